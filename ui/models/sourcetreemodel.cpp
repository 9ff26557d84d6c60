// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/models/sourcetreemodel.h"

#include "core/store/buildstore.h"
#include "ui/icons.h"
#include "ui/text.h"

#include <QLocale>

namespace cic {

namespace {
constexpr quintptr SourceId = 0;
}

SourceTreeModel::SourceTreeModel(SourceRegistry *registry, QObject *parent)
    : QAbstractItemModel(parent)
    , m_registry(registry)
{
    connect(registry, &SourceRegistry::sourcesChanged, this, &SourceTreeModel::rebuild);
    connect(registry, &SourceRegistry::statusChanged, this, &SourceTreeModel::onStatusChanged);
    connect(registry->store(), &BuildStore::changed, this, &SourceTreeModel::onStoreChanged);
    rebuild();
}

SourceTreeModel::~SourceTreeModel() = default;

QList<SourceTreeModel::ProjectNode> SourceTreeModel::projectsOf(const QString &source,
                                                                BuildStore *store) const
{
    QList<ProjectNode> projects;
    for (const BuildStore::ProjectCount &count : store->projects()) {
        if (count.source != source)
            continue;
        ProjectNode node{count.project, count.builds, count.running, std::nullopt};
        BuildQuery newest;
        newest.source = source;
        newest.project = count.project;
        const BuildList latest = store->query(newest, 1);
        if (!latest.isEmpty())
            node.lastResult = latest.first()->effectiveResult();
        projects.append(node);
    }
    std::sort(projects.begin(), projects.end(), [](const ProjectNode &a, const ProjectNode &b) {
        return a.name.compare(b.name, Qt::CaseInsensitive) < 0;
    });
    return projects;
}

void SourceTreeModel::rebuild()
{
    beginResetModel();
    m_sources.clear();
    for (CiBuildService *service : m_registry->sources()) {
        SourceNode node;
        node.name = service->name();
        node.kind = service->kind();
        node.status = m_registry->status(node.name);
        node.projects = projectsOf(node.name, m_registry->store());
        for (const ProjectNode &project : std::as_const(node.projects)) {
            node.builds += project.builds;
            node.running += project.running;
        }
        m_sources.append(node);
    }
    endResetModel();
}

int SourceTreeModel::sourceRow(const QString &name) const
{
    for (int i = 0; i < m_sources.size(); ++i) {
        if (m_sources[i].name == name)
            return i;
    }
    return -1;
}

void SourceTreeModel::onStatusChanged(const QString &name)
{
    const int row = sourceRow(name);
    if (row < 0)
        return;
    m_sources[row].status = m_registry->status(name);
    const QModelIndex changed = index(row, 0);
    Q_EMIT dataChanged(changed, changed);
}

void SourceTreeModel::onStoreChanged()
{
    BuildStore *store = m_registry->store();
    for (int row = 0; row < m_sources.size(); ++row) {
        SourceNode &source = m_sources[row];
        const QList<ProjectNode> fresh = projectsOf(source.name, store);
        const QModelIndex parentIndex = index(row, 0);

        // Merge the sorted lists: drop what went, add what came, report changed counts.
        int i = 0;
        int j = 0;
        while (i < source.projects.size() || j < fresh.size()) {
            const int order = i >= source.projects.size() ? 1
                : j >= fresh.size()
                ? -1
                : source.projects[i].name.compare(fresh[j].name, Qt::CaseInsensitive);
            if (order < 0) {
                beginRemoveRows(parentIndex, i, i);
                source.projects.removeAt(i);
                endRemoveRows();
            } else if (order > 0) {
                beginInsertRows(parentIndex, i, i);
                source.projects.insert(i, fresh[j]);
                endInsertRows();
                ++i;
                ++j;
            } else {
                if (!(source.projects[i] == fresh[j])) {
                    source.projects[i] = fresh[j];
                    const QModelIndex changed = index(i, 0, parentIndex);
                    Q_EMIT dataChanged(changed, changed);
                }
                ++i;
                ++j;
            }
        }

        qsizetype builds = 0;
        qsizetype running = 0;
        for (const ProjectNode &project : std::as_const(source.projects)) {
            builds += project.builds;
            running += project.running;
        }
        if (builds != source.builds || running != source.running) {
            source.builds = builds;
            source.running = running;
            Q_EMIT dataChanged(parentIndex, parentIndex);
        }
    }
}

QModelIndex SourceTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (column != 0 || row < 0)
        return {};
    if (!parent.isValid())
        return row < m_sources.size() ? createIndex(row, 0, SourceId) : QModelIndex();
    if (parent.internalId() != SourceId || parent.row() >= m_sources.size())
        return {};
    if (row >= m_sources[parent.row()].projects.size())
        return {};
    return createIndex(row, 0, quintptr(parent.row()) + 1);
}

QModelIndex SourceTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == SourceId)
        return {};
    return createIndex(int(child.internalId() - 1), 0, SourceId);
}

int SourceTreeModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_sources.size());
    if (parent.column() != 0 || parent.internalId() != SourceId)
        return 0;
    return int(m_sources[parent.row()].projects.size());
}

int SourceTreeModel::columnCount(const QModelIndex &) const
{
    return 1;
}

QVariant SourceTreeModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};

    if (index.internalId() == SourceId) {
        const SourceNode &source = m_sources[index.row()];
        switch (role) {
        case Qt::DisplayRole:
        case SourceNameRole:
            return source.name;
        case NodeKindRole:
            return int(NodeKind::Source);
        case SourceKindRole:
            return source.kind;
        case StateRole:
            return int(source.status.state);
        case ErrorRole:
            return source.status.error;
        case BuildCountRole:
            return qlonglong(source.builds);
        case RunningCountRole:
            return qlonglong(source.running);
        case LastRefreshRole:
            return source.status.lastRefresh;
        case ProjectRole:
            return QString();
        case Qt::ToolTipRole: {
            QString tip = tr("%1 (%2)").arg(source.name, source.kind);
            if (source.status.lastRefresh.isValid())
                tip += QLatin1Char('\n')
                    + tr("Refreshed %1")
                          .arg(QLocale().toString(source.status.lastRefresh.toLocalTime(),
                                                  QLocale::ShortFormat));
            if (!source.status.error.isEmpty())
                tip += QLatin1Char('\n') + source.status.error;
            return tip;
        }
        }
        return {};
    }

    const SourceNode &source = m_sources[int(index.internalId() - 1)];
    const ProjectNode &project = source.projects[index.row()];
    switch (role) {
    case Qt::DisplayRole:
    case ProjectRole:
        return project.name;
    case SourceNameRole:
        return source.name;
    case NodeKindRole:
        return int(NodeKind::Project);
    case BuildCountRole:
        return qlonglong(project.builds);
    case RunningCountRole:
        return qlonglong(project.running);
    case LastResultRole:
        return project.lastResult ? QVariant(int(*project.lastResult)) : QVariant();
    case Qt::DecorationRole:
        return project.lastResult ? icons::result(*project.lastResult) : QVariant();
    case Qt::ToolTipRole:
        return QString(project.name + QStringLiteral(": ")
                       + text::counted(project.builds, tr("%1 build"), tr("%1 builds")));
    }
    return {};
}

QModelIndex SourceTreeModel::sourceIndex(const QString &source) const
{
    const int row = sourceRow(source);
    return row < 0 ? QModelIndex() : index(row, 0);
}

QModelIndex SourceTreeModel::projectIndex(const QString &source, const QString &project) const
{
    const int row = sourceRow(source);
    if (row < 0)
        return {};
    const QList<ProjectNode> &projects = m_sources[row].projects;
    for (int i = 0; i < projects.size(); ++i) {
        if (projects[i].name == project)
            return index(i, 0, index(row, 0));
    }
    return {};
}

bool SourceTreeModel::isRefreshing() const
{
    return std::any_of(m_sources.begin(), m_sources.end(), [](const SourceNode &source) {
        return source.status.state == SourceStatus::State::Refreshing;
    });
}

} // namespace cic
