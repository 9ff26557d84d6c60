// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/model/buildresult.h"

#include <QAbstractProxyModel>

#include <vector>

namespace cic {

class BuildTableModel;

// The filter bar and the column sort over a BuildTableModel: words that must all appear (in
// the number, branch, commit, author, message or project), a set of results, a branch, and
// "running only".
//
// It keeps every row in the current sort order, so a change of filter is one pass over that
// order, without sorting: a keystroke re-filters a hundred thousand builds in milliseconds.
// Filter and sort changes are announced as layout changes, which keep the selection; rows
// the builds model adds or removes are re-sorted once per change.
class BuildFilterProxy final : public QAbstractProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BuildFilterProxy)

public:
    explicit BuildFilterProxy(QObject *parent = nullptr);

    void setBuildModel(BuildTableModel *model);
    BuildTableModel *buildModel() const { return m_model; }

    void setText(const QString &text);
    QString text() const { return m_text; }

    void setResults(ResultSet results);
    ResultSet results() const { return m_results; }

    // Exact branch name; empty for every branch.
    void setBranch(const QString &branch);
    QString branch() const { return m_branch; }

    void setRunningOnly(bool runningOnly);
    bool runningOnly() const { return m_runningOnly; }

    int sortColumn() const { return m_sortColumn; }
    Qt::SortOrder sortOrder() const { return m_sortOrder; }

    bool acceptsRow(int sourceRow) const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QModelIndex mapToSource(const QModelIndex &proxyIndex) const override;
    QModelIndex mapFromSource(const QModelIndex &sourceIndex) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    bool hasChildren(const QModelIndex &parent = {}) const override;
    QModelIndex sibling(int row, int column, const QModelIndex &idx) const override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

private:
    void setSourceModel(QAbstractItemModel *model) override; // use setBuildModel

    void resort();
    void refilter(bool narrowing = false);
    void relayout(bool resortRows, bool narrowing = false);
    void rebuildVisible(bool narrowing = false);
    bool lessThan(int left, int right) const;
    int sourceRowOf(const QString &id) const;

    void onAboutToChangeRows();
    void onRowsChanged();
    void onDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight,
                       const QList<int> &roles);

    BuildTableModel *m_model = nullptr;
    QString m_text;
    QList<QByteArray> m_words; // lower-case UTF-8
    ResultSet m_results = AnyResult;
    QString m_branch;
    bool m_runningOnly = false;
    int m_sortColumn = -1;
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;

    std::vector<int> m_order; // every source row, in sort order
    std::vector<int> m_visible; // proxy row -> source row
    std::vector<int> m_proxyOf; // source row -> proxy row, or -1

    // Persistent indexes across a change of the source's rows, by build id.
    QModelIndexList m_savedPersistent;
    QStringList m_savedIds;
    bool m_inSourceChange = false;
    bool m_inBatch = false; // between changesAboutToBeApplied and changesApplied
};

} // namespace cic
