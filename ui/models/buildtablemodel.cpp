// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/models/buildtablemodel.h"

#include "core/store/buildstore.h"
#include "ui/icons.h"
#include "ui/text.h"
#include "ui/theme.h"

#include <QLocale>
#include <QSet>

#include <algorithm>

namespace cic {

namespace {

constexpr int ClockIntervalMs = 30 * 1000;

// Above this many new rows at once a reset is cheaper than inserting them one by one.
constexpr qsizetype MaxIncrementalInserts = 256;

template<typename T> int threeWay(const T &a, const T &b)
{
    return a < b ? -1 : (b < a ? 1 : 0);
}

} // namespace

BuildTableModel::BuildTableModel(BuildStore *store, QObject *parent)
    : QAbstractTableModel(parent)
    , m_store(store)
{
    connect(store, &BuildStore::changed, this, &BuildTableModel::onStoreChanged);
    m_clock.setInterval(ClockIntervalMs);
    connect(&m_clock, &QTimer::timeout, this, [this] {
        if (!m_rows.empty())
            Q_EMIT dataChanged(index(0, Started), index(rowCount() - 1, Started),
                               {Qt::DisplayRole});
    });
    m_clock.start();
    m_runningClock.setInterval(1000);
    connect(&m_runningClock, &QTimer::timeout, this, [this] {
        qsizetype first = -1;
        qsizetype last = -1;
        for (qsizetype row = 0; row < qsizetype(m_rows.size()); ++row) {
            if (!m_rows[row].build->building)
                continue;
            if (first < 0)
                first = row;
            last = row;
        }
        if (first >= 0)
            Q_EMIT dataChanged(index(int(first), Duration), index(int(last), Duration),
                               {Qt::DisplayRole});
    });
    m_runningClock.start();
    reload();
}

BuildTableModel::~BuildTableModel() = default;

void BuildTableModel::setScope(const QString &source, const QString &project)
{
    if (source == m_source && project == m_project)
        return;
    m_source = source;
    m_project = project;
    reload();
}

void BuildTableModel::setNow(const QDateTime &now)
{
    m_fixedNow = now;
}

bool BuildTableModel::inScope(const Build &build) const
{
    return (m_source.isEmpty() || build.source == m_source)
        && (m_project.isEmpty() || build.project == m_project);
}

BuildTableModel::Row BuildTableModel::makeRow(const BuildPtr &build) const
{
    Row row;
    row.build = build;
    row.result = build->effectiveResult();
    row.startedMs = build->startedMs();
    if (!build->scm.isEmpty()) {
        const GitRevision &revision = build->scm.first();
        row.branch = revision.branch;
        row.shortSha = revision.sha1.left(8);
        row.author = revision.committer;
        row.message = revision.message.section(QLatin1Char('\n'), 0, 0).trimmed();
    }
    if (row.branch.isEmpty())
        row.branch = build->properties.value(QStringLiteral("branch"));
    row.haystack
        = (QString::number(build->number) + QLatin1Char('\n') + build->id + QLatin1Char('\n')
           + build->project + QLatin1Char('\n') + row.branch + QLatin1Char('\n')
           + (build->scm.isEmpty() ? QString() : build->scm.first().sha1) + QLatin1Char('\n')
           + row.author + QLatin1Char('\n') + row.message)
              .toLower()
              .toUtf8();
    return row;
}

void BuildTableModel::reload()
{
    BuildQuery query;
    query.source = m_source;
    query.project = m_project;
    const BuildList builds = m_store->query(query);

    beginResetModel();
    m_rows.clear();
    m_rows.reserve(size_t(builds.size()));
    for (const BuildPtr &build : builds)
        m_rows.push_back(makeRow(build));
    rebuildRowIndex();
    endResetModel();
}

void BuildTableModel::rebuildRowIndex(int from)
{
    if (from == 0)
        m_rowOf.clear();
    m_rowOf.reserve(qsizetype(m_rows.size()));
    for (int i = from; i < int(m_rows.size()); ++i)
        m_rowOf.insert(m_rows[size_t(i)].build->id, i);
}

int BuildTableModel::insertPosition(const BuildPtr &build) const
{
    const auto it = std::lower_bound(
        m_rows.begin(), m_rows.end(), build,
        [](const Row &row, const BuildPtr &b) { return Build::newerThan(*row.build, *b); });
    return int(it - m_rows.begin());
}

void BuildTableModel::onStoreChanged(const QStringList &ids)
{
    const QSet<QString> unique(ids.cbegin(), ids.cend()); // a replaced build is listed twice

    // First sort the changes out, then apply them; many additions at once are cheaper as a
    // reset than as row inserts into a large table.
    QList<int> removals;
    BuildList additions;
    QList<std::pair<int, BuildPtr>> updates;
    for (const QString &id : unique) {
        const BuildPtr build = m_store->build(id);
        const bool wanted = build && inScope(*build);
        const int existing = m_rowOf.value(id, -1);
        if (existing >= 0) {
            const Row &current = m_rows[size_t(existing)];
            if (wanted && (current.build == build || *current.build == *build)) {
                updates.append({existing, build}); // same content, newer snapshot: no signal
                continue;
            }
            if (wanted && build->startedMs() == current.startedMs
                && build->number == current.build->number && build->id == current.build->id) {
                updates.append({-1 - existing, build});
                continue;
            }
            removals.append(existing);
        }
        if (wanted)
            additions.append(build);
    }
    if (additions.size() > MaxIncrementalInserts) {
        reload();
        return;
    }

    const bool structural = !removals.isEmpty() || !additions.isEmpty();
    if (structural)
        Q_EMIT changesAboutToBeApplied();

    for (const auto &[row, build] : std::as_const(updates)) {
        if (row >= 0) {
            m_rows[size_t(row)].build = build;
            continue;
        }
        const int changed = -1 - row;
        m_rows[size_t(changed)] = makeRow(build);
        Q_EMIT dataChanged(index(changed, 0), index(changed, ColumnCount - 1));
    }

    // From the bottom up, in contiguous ranges, so the row numbers still to remove stay valid.
    std::sort(removals.begin(), removals.end(), std::greater<>());
    for (qsizetype i = 0; i < removals.size();) {
        const int last = removals[i];
        int first = last;
        while (++i < removals.size() && removals[i] == first - 1)
            first = removals[i];
        beginRemoveRows({}, first, last);
        m_rows.erase(m_rows.begin() + first, m_rows.begin() + last + 1);
        endRemoveRows();
    }

    sortNewestFirst(additions);
    for (const BuildPtr &build : std::as_const(additions)) {
        const int position = insertPosition(build);
        beginInsertRows({}, position, position);
        m_rows.insert(m_rows.begin() + position, makeRow(build));
        endInsertRows();
    }

    if (structural) {
        rebuildRowIndex();
        Q_EMIT changesApplied();
    }
}

int BuildTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int BuildTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

BuildPtr BuildTableModel::buildAt(int row) const
{
    return row >= 0 && row < int(m_rows.size()) ? m_rows[size_t(row)].build : nullptr;
}

QString BuildTableModel::formatDuration(qint64 ms)
{
    if (ms < 0)
        return {};
    const qint64 seconds = ms / 1000;
    if (seconds < 60)
        return tr("%1 s").arg(seconds);
    if (seconds < 3600)
        return tr("%1 min %2 s").arg(seconds / 60).arg(seconds % 60);
    return tr("%1 h %2 min").arg(seconds / 3600).arg((seconds % 3600) / 60);
}

QString BuildTableModel::formatRelative(qint64 thenMs, qint64 nowMs)
{
    if (thenMs <= 0)
        return {};
    const qint64 seconds = (nowMs - thenMs) / 1000;
    if (seconds < 0)
        return tr("in the future");
    if (seconds < 60)
        return tr("just now");
    if (seconds < 3600)
        return text::counted(seconds / 60, tr("%1 minute ago"), tr("%1 minutes ago"));
    if (seconds < 86400)
        return text::counted(seconds / 3600, tr("%1 hour ago"), tr("%1 hours ago"));
    if (seconds < 86400 * 45)
        return text::counted(seconds / 86400, tr("%1 day ago"), tr("%1 days ago"));
    return QLocale().toString(QDateTime::fromMSecsSinceEpoch(thenMs).date(), QLocale::ShortFormat);
}

QVariant BuildTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};

    const Row &row = m_rows[size_t(index.row())];
    const Build &build = *row.build;
    const int column = index.column();

    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case Number:
            return build.number;
        case Result:
            return icons::resultLabel(row.result);
        case Project:
            return build.project;
        case Branch:
            return row.branch;
        case Commit:
            return row.shortSha;
        case Author:
            return row.author;
        case Message:
            return row.message;
        case Started: {
            const qint64 now = m_fixedNow.isValid() ? m_fixedNow.toMSecsSinceEpoch()
                                                    : QDateTime::currentMSecsSinceEpoch();
            return formatRelative(row.startedMs, now);
        }
        case Duration:
            if (build.building && row.startedMs > 0) {
                const qint64 now = m_fixedNow.isValid() ? m_fixedNow.toMSecsSinceEpoch()
                                                        : QDateTime::currentMSecsSinceEpoch();
                return tr("%1 so far").arg(formatDuration(now - row.startedMs));
            }
            return build.durationMs ? formatDuration(*build.durationMs) : QString();
        }
        return {};
    case Qt::DecorationRole:
        if (column == Result)
            return icons::result(row.result);
        return {};
    case Qt::ForegroundRole:
        if (column == Result)
            return icons::resultColor(row.result, theme::isDark());
        return {};
    case Qt::ToolTipRole:
        switch (column) {
        case Started:
            return row.startedMs > 0 ? QLocale().toString(
                       QDateTime::fromMSecsSinceEpoch(row.startedMs), QLocale::LongFormat)
                                     : QVariant();
        case Commit:
            return build.scm.isEmpty() ? QVariant() : build.scm.first().sha1;
        case Message:
            return build.scm.isEmpty() ? QVariant() : build.scm.first().message;
        case Number:
            return build.fullDisplayName.isEmpty() ? build.id : build.fullDisplayName;
        }
        return {};
    case Qt::TextAlignmentRole:
        if (column == Number || column == Duration)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case BuildRole:
        return QVariant::fromValue(row.build);
    case IdRole:
        return build.id;
    case ResultRole:
        return int(row.result);
    case SortRole:
        switch (column) {
        case Number:
            return build.number;
        case Result:
            return int(row.result);
        case Started:
            return row.startedMs;
        case Duration:
            return build.durationMs.value_or(-1);
        default:
            return data(index, Qt::DisplayRole);
        }
    }
    return {};
}

int BuildTableModel::compare(int left, int right, int column) const
{
    const Row &a = m_rows[size_t(left)];
    const Row &b = m_rows[size_t(right)];
    switch (column) {
    case Number:
        return threeWay(a.build->number, b.build->number);
    case Result:
        return threeWay(int(a.result), int(b.result));
    case Project:
        return a.build->project.compare(b.build->project, Qt::CaseInsensitive);
    case Branch:
        return a.branch.compare(b.branch, Qt::CaseInsensitive);
    case Commit:
        return a.shortSha.compare(b.shortSha);
    case Author:
        return a.author.compare(b.author, Qt::CaseInsensitive);
    case Message:
        return a.message.compare(b.message, Qt::CaseInsensitive);
    case Started:
        return threeWay(a.startedMs, b.startedMs);
    case Duration:
        return threeWay(a.build->durationMs.value_or(-1), b.build->durationMs.value_or(-1));
    }
    return 0;
}

QVariant BuildTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Number:
        return tr("#");
    case Result:
        return tr("Result");
    case Project:
        return tr("Project");
    case Branch:
        return tr("Branch");
    case Commit:
        return tr("Commit");
    case Author:
        return tr("Author");
    case Message:
        return tr("Message");
    case Started:
        return tr("Started");
    case Duration:
        return tr("Duration");
    }
    return {};
}

QStringList BuildTableModel::branches() const
{
    QSet<QString> seen;
    QStringList list;
    for (const Row &row : m_rows) {
        if (!row.branch.isEmpty() && !seen.contains(row.branch)) {
            seen.insert(row.branch);
            list.append(row.branch);
        }
    }
    list.sort(Qt::CaseInsensitive);
    return list;
}

} // namespace cic
