// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/model/build.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QTimer>

#include <vector>

namespace cic {

class BuildStore;

// The builds of one source, one project or all, newest first, fed from the BuildStore.
// A store change is applied as row inserts, removals and dataChanged, so the view keeps its
// selection and scroll position while a refresh lands.
class BuildTableModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BuildTableModel)

public:
    enum Column {
        Number,
        Result,
        Project,
        Branch,
        Commit,
        Author,
        Message,
        Started,
        Duration,
        ColumnCount
    };

    enum Role {
        BuildRole = Qt::UserRole + 1, // the BuildPtr
        IdRole,
        ResultRole, // BuildResult as int
        SortRole, // a value that sorts the column the way a person expects
    };

    // What each row shows, worked out once when the row is added.
    struct Row
    {
        BuildPtr build;
        QString branch;
        QString shortSha;
        QString author;
        QString message; // the first line
        QByteArray haystack; // lower-case UTF-8 text the filter matches against
        BuildResult result = BuildResult::NotBuilt;
        qint64 startedMs = 0;
    };

    explicit BuildTableModel(BuildStore *store, QObject *parent = nullptr);
    ~BuildTableModel() override;

    // Shows the builds of a source (every project when project is empty), or of every source
    // when both are empty.
    void setScope(const QString &source, const QString &project);
    QString scopeSource() const { return m_source; }
    QString scopeProject() const { return m_project; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    const Row &row(int row) const { return m_rows[size_t(row)]; }
    BuildPtr buildAt(int row) const;
    int rowOf(const QString &id) const { return m_rowOf.value(id, -1); }

    // -1, 0 or 1: how two rows compare in a column, without going through QVariant.
    int compare(int left, int right, int column) const;

    // The distinct branches of the rows, for the filter's branch list.
    QStringList branches() const;

    // The reference time for "5 minutes ago"; tests fix it.
    void setNow(const QDateTime &now);

    static QString formatDuration(qint64 milliseconds);
    static QString formatRelative(qint64 thenMs, qint64 nowMs);

Q_SIGNALS:
    // Around the row inserts and removals of one store change, so that a sorting proxy can
    // re-sort once for all of them instead of once a row.
    void changesAboutToBeApplied();
    void changesApplied();

private:
    void onStoreChanged(const QStringList &ids);
    bool inScope(const Build &build) const;
    Row makeRow(const BuildPtr &build) const;
    int insertPosition(const BuildPtr &build) const;
    void rebuildRowIndex(int from = 0);
    void reload();

    BuildStore *m_store;
    QString m_source;
    QString m_project;
    std::vector<Row> m_rows;
    QHash<QString, int> m_rowOf;
    QDateTime m_fixedNow;
    QTimer m_clock; // keeps "started 5 minutes ago" current
    QTimer m_runningClock; // keeps the running builds' "2 min 5 s so far" current
};

} // namespace cic
