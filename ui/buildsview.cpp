// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/buildsview.h"

#include "ui/models/buildtablemodel.h"

#include <QHeaderView>
#include <QTableView>

namespace cic {

QTableView *createBuildsView(QAbstractItemModel *model, QWidget *parent)
{
    auto *table = new QTableView(parent);
    table->setModel(model);
    table->setSortingEnabled(true);
    table->sortByColumn(BuildTableModel::Started, Qt::DescendingOrder);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    table->setAlternatingRowColors(true);
    table->setWordWrap(false);
    table->setShowGrid(false);
    table->verticalHeader()->hide();
    table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    table->verticalHeader()->setDefaultSectionSize(qMax(20, table->fontMetrics().height() + 6));
    QHeaderView *header = table->horizontalHeader();
    header->setHighlightSections(false);
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setStretchLastSection(false);
    header->setSectionResizeMode(BuildTableModel::Message, QHeaderView::Stretch);
    const int charWidth = table->fontMetrics().averageCharWidth();
    header->resizeSection(BuildTableModel::Number, charWidth * 7);
    header->resizeSection(BuildTableModel::Result, charWidth * 15);
    header->resizeSection(BuildTableModel::Project, charWidth * 22);
    header->resizeSection(BuildTableModel::Branch, charWidth * 18);
    header->resizeSection(BuildTableModel::Commit, charWidth * 12);
    header->resizeSection(BuildTableModel::Author, charWidth * 16);
    header->resizeSection(BuildTableModel::Started, charWidth * 16);
    header->resizeSection(BuildTableModel::Duration, charWidth * 16);
    return table;
}

} // namespace cic
