// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/model/buildresult.h"

#include <QSortFilterProxyModel>

namespace cic {

class BuildTableModel;

// The filter bar over a BuildTableModel: words that must all appear (in the number, branch,
// commit, author, message or project), a result, a branch, and "running only". Filtering
// and sorting read the source model's precomputed rows directly, never through QVariant,
// so a keystroke re-filters a hundred thousand builds in a few milliseconds.
class BuildFilterProxy final : public QSortFilterProxyModel
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

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    void refilter();

    BuildTableModel *m_model = nullptr;
    QString m_text;
    QStringList m_words;
    ResultSet m_results = AnyResult;
    QString m_branch;
    bool m_runningOnly = false;
};

} // namespace cic
