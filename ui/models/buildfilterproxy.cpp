// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/models/buildfilterproxy.h"

#include "ui/models/buildtablemodel.h"

namespace cic {

BuildFilterProxy::BuildFilterProxy(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(BuildTableModel::SortRole);
    setDynamicSortFilter(true);
}

void BuildFilterProxy::setBuildModel(BuildTableModel *model)
{
    m_model = model;
    setSourceModel(model);
}

void BuildFilterProxy::setText(const QString &text)
{
    const QStringList words = text.toLower().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    m_text = text;
    if (words == m_words)
        return;

    m_words = words;
    refilter();
}

void BuildFilterProxy::setResults(ResultSet results)
{
    if (results == m_results)
        return;
    m_results = results;
    refilter();
}

void BuildFilterProxy::setBranch(const QString &branch)
{
    if (branch == m_branch)
        return;
    m_branch = branch;
    refilter();
}

void BuildFilterProxy::setRunningOnly(bool runningOnly)
{
    if (runningOnly == m_runningOnly)
        return;
    m_runningOnly = runningOnly;
    refilter();
}

void BuildFilterProxy::refilter()
{
    invalidateRowsFilter();
}

bool BuildFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (!m_model || sourceParent.isValid())
        return true;

    const BuildTableModel::Row &row = m_model->row(sourceRow);
    if (!(m_results & resultBit(row.result)))
        return false;
    if (m_runningOnly && !row.build->building)
        return false;
    if (!m_branch.isEmpty() && row.branch != m_branch)
        return false;
    for (const QString &word : m_words) {
        if (!row.haystack.contains(word))
            return false;
    }
    return true;
}

bool BuildFilterProxy::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    if (!m_model)
        return QSortFilterProxyModel::lessThan(left, right);

    const int order = m_model->compare(left.row(), right.row(), left.column());
    if (order != 0)
        return order < 0;
    // Ties fall back to age, so equal results or branches still list newest first.
    return m_model->compare(left.row(), right.row(), BuildTableModel::Started) < 0;
}

} // namespace cic
