// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/store/buildstore.h"

#include "core/model/wirecodec.h"

#include <QLoggingCategory>
#include <QSet>

#include <algorithm>
#include <array>
#include <atomic>

namespace cic {

namespace {
Q_LOGGING_CATEGORY(lcStore, "cicompanion.core.store")

// Rank lists hold positions in the newest-first order, ascending, so a merge or a walk over
// one keeps that order without sorting again.
using Ranks = std::vector<qsizetype>;

QString repoKey(const QString &projectKey, const QString &repoSlug)
{
    return projectKey.toLower() + QLatin1Char('\n') + repoSlug.toLower();
}

QString sourceKey(const QString &source, const QString &project)
{
    return source + QLatin1Char('\n') + project;
}

} // namespace

struct BuildStore::Snapshot
{
    // The encoded JSON of builds[i], made the first time a query needs it: a large first
    // load is indexed at once and only what clients ask for is encoded. Entries carried over
    // from the previous snapshot keep their bytes.
    struct Wire
    {
        std::atomic<bool> ready{false};
        QByteArray bytes;
    };

    explicit Snapshot(std::size_t count = 0) : wires(new Wire[count]) { }

    const QByteArray &encoded(qsizetype rank) const
    {
        Wire &entry = wires[rank];
        if (!entry.ready.load(std::memory_order_acquire)) {
            QMutexLocker locker(&encodeMutex);
            if (!entry.ready.load(std::memory_order_relaxed)) {
                entry.bytes = wire::encode(*builds[rank]);
                entry.ready.store(true, std::memory_order_release);
            }
        }
        return entry.bytes;
    }

    std::vector<BuildPtr> builds; // newest first
    std::unique_ptr<Wire[]> wires;
    mutable QMutex encodeMutex;

    QHash<QString, qsizetype> byId;
    QHash<qint32, Ranks> byNumber;
    // Lower-case shas in UTF-8, sorted: prefix lookups compare bytes.
    std::vector<std::pair<QByteArray, qsizetype>> bySha;
    QHash<QString, Ranks> byProjectKey;
    QHash<QString, Ranks> byRepoSlug;
    QHash<QString, Ranks> byRepo;
    QHash<QString, Ranks> bySource;
    QHash<QString, Ranks> bySourceProject;
    std::array<Ranks, 6> byResult;
};

BuildStore::BuildStore(QObject *parent)
    : QObject(parent), m_snapshot(std::make_shared<Snapshot>())
{
}

BuildStore::~BuildStore() = default;

std::shared_ptr<const BuildStore::Snapshot> BuildStore::snapshot() const
{
    QMutexLocker locker(&m_snapshotMutex);
    return m_snapshot;
}

void BuildStore::replaceSource(const QString &source, const BuildList &builds)
{
    QStringList changedIds;
    {
        QMutexLocker writer(&m_writeMutex);
        QHash<QString, BuildPtr> next = m_builds;
        QSet<QString> changedSet;

        for (auto it = next.begin(); it != next.end();) {
            if (it.value()->source == source) {
                changedSet.insert(it.key());
                it = next.erase(it);
            } else {
                ++it;
            }
        }
        for (const BuildPtr &build : builds) {
            if (!build)
                continue;
            // A build that comes back unchanged keeps its old pointer (and so its encoded
            // bytes), and is no change: listeners such as the log cache keep their state.
            const BuildPtr old = m_builds.value(build->id);
            if (old && old->source == source && (old == build || *old == *build)) {
                next.insert(old->id, old);
                changedSet.remove(old->id);
            } else {
                next.insert(build->id, build);
                changedSet.insert(build->id);
            }
        }

        m_builds = std::move(next);
        if (changedSet.isEmpty())
            return;
        changedIds = QStringList(changedSet.cbegin(), changedSet.cend());
        changedIds.sort();
        publish(m_builds, changedIds);
    }
    Q_EMIT changed(changedIds);
}

void BuildStore::upsert(const BuildList &builds)
{
    QStringList changedIds;
    {
        QMutexLocker writer(&m_writeMutex);
        for (const BuildPtr &build : builds) {
            if (!build)
                continue;
            const BuildPtr old = m_builds.value(build->id);
            if (old && (old == build || *old == *build))
                continue;
            m_builds.insert(build->id, build);
            changedIds.append(build->id);
        }
        if (changedIds.isEmpty())
            return;
        publish(m_builds, changedIds);
    }
    Q_EMIT changed(changedIds);
}

void BuildStore::remove(const QStringList &ids)
{
    QStringList changedIds;
    {
        QMutexLocker writer(&m_writeMutex);
        for (const QString &id : ids) {
            if (m_builds.remove(id))
                changedIds.append(id);
        }
        if (changedIds.isEmpty())
            return;
        publish(m_builds, changedIds);
    }
    Q_EMIT changed(changedIds);
}

void BuildStore::clear()
{
    QStringList changedIds;
    {
        QMutexLocker writer(&m_writeMutex);
        if (m_builds.isEmpty())
            return;
        changedIds = m_builds.keys();
        m_builds.clear();
        publish(m_builds, changedIds);
    }
    Q_EMIT changed(changedIds);
}

void BuildStore::publish(QHash<QString, BuildPtr> builds, const QStringList &changedIds)
{
    const std::shared_ptr<const Snapshot> previous = snapshot();
    std::vector<BuildPtr> sorted;
    sorted.reserve(builds.size());
    for (const BuildPtr &build : std::as_const(builds))
        sorted.push_back(build);
    sortNewestFirst(sorted);

    const qsizetype count = qsizetype(sorted.size());
    auto next = std::make_shared<Snapshot>(sorted.size());
    next->builds = std::move(sorted);

    // Unchanged builds keep the bytes already encoded for the previous snapshot.
    for (qsizetype rank = 0; rank < count; ++rank) {
        const Build &build = *next->builds[rank];
        const qsizetype oldRank = previous->byId.value(build.id, -1);
        if (oldRank < 0 || previous->builds[oldRank].get() != &build)
            continue;
        const Snapshot::Wire &old = previous->wires[oldRank];
        if (old.ready.load(std::memory_order_acquire)) {
            next->wires[rank].bytes = old.bytes;
            next->wires[rank].ready.store(true, std::memory_order_relaxed);
        }
    }

    next->byId.reserve(count);
    for (qsizetype rank = 0; rank < count; ++rank) {
        const Build &build = *next->builds[rank];
        next->byId.insert(build.id, rank);
        next->byNumber[build.number].push_back(rank);
        next->byResult[std::size_t(build.effectiveResult())].push_back(rank);
        next->bySource[build.source].push_back(rank);
        next->bySourceProject[sourceKey(build.source, build.project)].push_back(rank);

        const QString projectKey = build.projectKey();
        const QString repoSlug = build.repoSlug();
        if (!projectKey.isEmpty())
            next->byProjectKey[projectKey.toLower()].push_back(rank);
        if (!repoSlug.isEmpty())
            next->byRepoSlug[repoSlug.toLower()].push_back(rank);
        next->byRepo[repoKey(projectKey, repoSlug)].push_back(rank);

        for (const GitRevision &revision : build.scm) {
            if (!revision.sha1.isEmpty())
                next->bySha.emplace_back(revision.sha1.toLower().toUtf8(), rank);
        }
    }
    std::sort(next->bySha.begin(), next->bySha.end());

    qCDebug(lcStore, "%zu builds indexed, %lld changed", next->builds.size(),
            qlonglong(changedIds.size()));
    QMutexLocker locker(&m_snapshotMutex);
    m_snapshot = std::move(next);
}

BuildPtr BuildStore::build(const QString &id) const
{
    const auto current = snapshot();
    const qsizetype rank = current->byId.value(id, -1);
    return rank >= 0 ? current->builds[rank] : BuildPtr();
}

void BuildStore::candidates(const Snapshot &snapshot, const BuildQuery &query,
                            Candidates &found)
{
    // Each filter with an index names a rank list; the shortest one is walked and every
    // candidate is checked against the whole query. Nothing here copies an index.
    static const Ranks none;

    auto consider = [&found](const Ranks *ranks) {
        if (!found.ranks || ranks->size() < found.ranks->size())
            found.ranks = ranks;
    };
    auto lookup = [&consider](const QHash<QString, Ranks> &index, const QString &key) {
        const auto it = index.constFind(key);
        consider(it == index.cend() ? &none : &it.value());
    };

    if (!query.commitPrefix.isEmpty()) {
        const QByteArray prefix = query.commitPrefix.toLower().toUtf8();
        auto it = std::lower_bound(snapshot.bySha.cbegin(), snapshot.bySha.cend(), prefix,
                                   [](const std::pair<QByteArray, qsizetype> &entry,
                                      const QByteArray &key) { return entry.first < key; });
        for (; it != snapshot.bySha.cend() && it->first.startsWith(prefix); ++it)
            found.owned.push_back(it->second);
        std::sort(found.owned.begin(), found.owned.end());
        found.owned.erase(std::unique(found.owned.begin(), found.owned.end()),
                          found.owned.end());
        consider(&found.owned);
    }
    if (query.buildNumber) {
        const auto it = snapshot.byNumber.constFind(*query.buildNumber);
        consider(it == snapshot.byNumber.cend() ? &none : &it.value());
    }
    if (!query.projectKey.isEmpty() && !query.repoSlug.isEmpty())
        lookup(snapshot.byRepo, repoKey(query.projectKey, query.repoSlug));
    else if (!query.projectKey.isEmpty())
        lookup(snapshot.byProjectKey, query.projectKey.toLower());
    else if (!query.repoSlug.isEmpty())
        lookup(snapshot.byRepoSlug, query.repoSlug.toLower());

    if (!query.source.isEmpty() && !query.project.isEmpty())
        lookup(snapshot.bySourceProject, sourceKey(query.source, query.project));
    else if (!query.source.isEmpty())
        lookup(snapshot.bySource, query.source);

    // The result index matters when no other filter narrowed the set: the running badge of
    // a whole store, or a status filter alone.
    if (query.results != AnyResult && (!found.ranks || found.ranks->size() > 64)) {
        const Ranks *single = nullptr;
        int count = 0;
        for (BuildResult result : AllBuildResults) {
            if (query.results & resultBit(result)) {
                single = &snapshot.byResult[std::size_t(result)];
                ++count;
            }
        }
        if (count == 1) {
            consider(single);
        } else if (!found.ranks) {
            for (BuildResult result : AllBuildResults) {
                if (!(query.results & resultBit(result)))
                    continue;
                const Ranks &ranks = snapshot.byResult[std::size_t(result)];
                Ranks merged;
                merged.reserve(found.merged.size() + ranks.size());
                std::merge(found.merged.cbegin(), found.merged.cend(), ranks.cbegin(),
                           ranks.cend(), std::back_inserter(merged));
                found.merged = std::move(merged);
            }
            consider(&found.merged);
        }
    }
}

template<typename Visit>
void BuildStore::visit(const Snapshot &snapshot, const BuildQuery &query, qsizetype limit,
                       Visit &&visit)
{
    Candidates found; // the rank list may point into it, so it is filled in place
    candidates(snapshot, query, found);
    qsizetype taken = 0;
    auto consider = [&](qsizetype rank) {
        if (limit >= 0 && taken >= limit)
            return false;
        if (query.matches(*snapshot.builds[rank])) {
            visit(rank);
            ++taken;
        }
        return true;
    };

    if (found.ranks) {
        for (qsizetype rank : *found.ranks) {
            if (!consider(rank))
                break;
        }
        return;
    }
    for (qsizetype rank = 0; rank < qsizetype(snapshot.builds.size()); ++rank) {
        if (!consider(rank))
            break;
    }
}

BuildList BuildStore::query(const BuildQuery &query, qsizetype limit) const
{
    const auto current = snapshot();
    BuildList found;
    visit(*current, query, limit, [&](qsizetype rank) { found.append(current->builds[rank]); });
    return found;
}

QByteArray BuildStore::queryWire(const BuildQuery &query, qsizetype limit) const
{
    const auto current = snapshot();
    QList<QByteArray> encoded;
    visit(*current, query, limit, [&](qsizetype rank) { encoded.append(current->encoded(rank)); });
    return wire::encodeArray(encoded);
}

qsizetype BuildStore::size() const
{
    return qsizetype(snapshot()->builds.size());
}

QList<BuildStore::ProjectCount> BuildStore::projects() const
{
    const auto current = snapshot();
    QList<ProjectCount> counts;
    counts.reserve(current->bySourceProject.size());

    for (auto it = current->bySourceProject.cbegin(); it != current->bySourceProject.cend(); ++it) {
        const Build &first = *current->builds[it.value().front()];
        ProjectCount count{first.source, first.project, qsizetype(it.value().size()), 0};
        for (qsizetype rank : it.value())
            count.running += current->builds[rank]->building ? 1 : 0;
        counts.append(count);
    }
    std::sort(counts.begin(), counts.end(), [](const ProjectCount &a, const ProjectCount &b) {
        return std::tie(a.source, a.project) < std::tie(b.source, b.project);
    });
    return counts;
}

} // namespace cic
