// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/model/buildresult.h"
#include "core/service/sourceregistry.h"

#include <QAbstractItemModel>

#include <optional>

namespace cic {

class BuildStore;

// The left-hand tree: each configured source with its state (refreshing, failed with its
// error, build and running counts), and under it the projects (jobs, repositories,
// builders) it has builds for, with the result of each project's newest build.
class SourceTreeModel final : public QAbstractItemModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SourceTreeModel)

public:
    enum Role {
        NodeKindRole = Qt::UserRole + 1, // NodeKind
        SourceNameRole,
        ProjectRole, // empty on a source
        StateRole, // SourceStatus::State as int, on a source
        ErrorRole,
        BuildCountRole,
        RunningCountRole,
        LastResultRole, // BuildResult as int, on a project with builds
        LastRefreshRole,
        SourceKindRole,
    };
    enum class NodeKind { Source, Project };

    explicit SourceTreeModel(SourceRegistry *registry, QObject *parent = nullptr);
    ~SourceTreeModel() override;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

    QModelIndex sourceIndex(const QString &source) const;
    QModelIndex projectIndex(const QString &source, const QString &project) const;

    bool isRefreshing() const;

private:
    struct ProjectNode
    {
        QString name;
        qsizetype builds = 0;
        qsizetype running = 0;
        std::optional<BuildResult> lastResult;

        bool operator==(const ProjectNode &) const = default;
    };
    struct SourceNode
    {
        QString name;
        QString kind;
        SourceStatus status;
        QList<ProjectNode> projects;
        qsizetype builds = 0;
        qsizetype running = 0;
    };

    void rebuild();
    void onStatusChanged(const QString &name);
    void onStoreChanged();
    QList<ProjectNode> projectsOf(const QString &source, BuildStore *store) const;
    int sourceRow(const QString &name) const;

    SourceRegistry *m_registry;
    QList<SourceNode> m_sources;
};

} // namespace cic
