// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/service/sourceregistry.h"

#include "core/store/buildstore.h"

#include <QLoggingCategory>
#include <QPromise>
#include <QTimer>

namespace cic {

namespace {
Q_LOGGING_CATEGORY(lcSources, "cicompanion.core.sources")
}

SourceRegistry::SourceRegistry(BuildStore *store, QObject *parent)
    : QObject(parent), m_store(store)
{
    // A finished build's cached log is final until the build itself changes (a rerun, an
    // edited fixture); a running build's log keeps growing from where it stopped.
    connect(m_store, &BuildStore::changed, this, [this](const QStringList &ids) {
        for (const QString &id : ids) {
            const auto it = m_logs.constFind(id);
            if (it != m_logs.cend() && it->complete)
                m_logs.erase(it);
        }
    });
}

SourceRegistry::~SourceRegistry() = default;

void SourceRegistry::addSource(CiBuildService *service)
{
    const QString name = service->name();
    removeSource(name);

    service->setParent(this);
    m_sources.insert(name, service);
    m_status.insert(name, SourceStatus{name, service->kind()});

    connect(service, &CiBuildService::buildsInvalidated, this, [this, name] { refresh(name); });
    connect(service, &CiBuildService::logsInvalidated, this, [this](const QStringList &ids) {
        for (const QString &id : ids)
            m_logs.remove(id);
        Q_EMIT logsInvalidated(ids);
    });
    Q_EMIT sourcesChanged();
}

void SourceRegistry::removeSource(const QString &name)
{
    CiBuildService *service = m_sources.take(name);
    if (!service)
        return;

    m_status.remove(name);
    m_store->replaceSource(name, {});
    service->deleteLater();
    Q_EMIT sourcesChanged();
}

QList<CiBuildService *> SourceRegistry::sources() const
{
    QList<CiBuildService *> list = m_sources.values();
    std::sort(list.begin(), list.end(), [](CiBuildService *a, CiBuildService *b) {
        return a->name() < b->name();
    });
    return list;
}

CiBuildService *SourceRegistry::source(const QString &name) const
{
    return m_sources.value(name);
}

SourceStatus SourceRegistry::status(const QString &name) const
{
    return m_status.value(name);
}

void SourceRegistry::setStatus(const QString &name, SourceStatus::State state,
                               const QString &error, qsizetype builds)
{
    auto it = m_status.find(name);
    if (it == m_status.end())
        return;

    it->state = state;
    it->error = error;
    if (state == SourceStatus::State::Ok || state == SourceStatus::State::Failed)
        it->lastRefresh = QDateTime::currentDateTimeUtc();
    if (builds >= 0)
        it->builds = builds;
    Q_EMIT statusChanged(name);
}

void SourceRegistry::refresh(const QString &name)
{
    const QList<CiBuildService *> targets =
        name.isEmpty() ? sources() : QList<CiBuildService *>{source(name)};

    for (CiBuildService *service : targets) {
        if (!service)
            continue;

        const QString sourceName = service->name();
        setStatus(sourceName, SourceStatus::State::Refreshing);

        QPointer<CiBuildService> guard(service);
        service->fetchRecentBuilds().then(this, [this, guard, sourceName](Result<BuildList> result) {
            if (!guard || m_sources.value(sourceName) != guard)
                return;
            if (!result) {
                qCWarning(lcSources, "%s: refresh failed: %s", qUtf8Printable(sourceName),
                          qUtf8Printable(result.error()));
                setStatus(sourceName, SourceStatus::State::Failed, result.error());
                return;
            }
            m_store->replaceSource(sourceName, result.value());
            setStatus(sourceName, SourceStatus::State::Ok, {}, result.value().size());
        });
    }
}

QFuture<BuildList> SourceRegistry::lookup(const BuildQuery &query, int budgetMs)
{
    struct Pending
    {
        QPromise<BuildList> promise;
        int waiting = 0;
        bool done = false;
    };
    auto pending = std::make_shared<Pending>();
    QFuture<BuildList> future = pending->promise.future();
    pending->promise.start();

    auto finish = [this, pending, query] {
        if (pending->done)
            return;
        pending->done = true;
        pending->promise.addResult(m_store->query(query));
        pending->promise.finish();
    };

    const QList<CiBuildService *> targets = sources();
    pending->waiting = int(targets.size());
    if (targets.isEmpty()) {
        finish();
        return future;
    }

    QTimer::singleShot(budgetMs, this, finish);
    for (CiBuildService *service : targets) {
        const QString sourceName = service->name();
        service->findBuilds(query).then(this, [this, pending, finish, sourceName](
                                                  Result<BuildList> result) {
            if (result)
                m_store->upsert(result.value());
            else
                qCInfo(lcSources, "%s: lookup failed: %s", qUtf8Printable(sourceName),
                       qUtf8Printable(result.error()));
            if (--pending->waiting == 0)
                finish();
        });
    }
    return future;
}

QFuture<Result<LogChunk>> SourceRegistry::fetchLog(const QString &buildId, qint64 offset)
{
    const BuildPtr build = m_store->build(buildId);
    if (!build)
        return QtFuture::makeReadyFuture(Result<LogChunk>(Error{QStringLiteral("no build %1").arg(buildId)}));

    CiBuildService *service = source(build->source);
    if (!service)
        return QtFuture::makeReadyFuture(Result<LogChunk>(
            Error{QStringLiteral("the source %1 of build %2 is not configured")
                      .arg(build->source, buildId)}));

    auto answerFromCache = [this, buildId, offset]() -> Result<LogChunk> {
        CachedLog &cached = m_logs[buildId];
        cached.lastUse = ++m_logUseCounter;
        const qint64 start = qBound<qint64>(0, offset, cached.text.size());
        return LogChunk{cached.text.mid(start), start, cached.nextOffset, cached.complete};
    };

    const auto cached = m_logs.constFind(buildId);
    if (cached != m_logs.cend() && cached->complete)
        return QtFuture::makeReadyFuture(answerFromCache());

    // Only the part not yet cached is fetched.
    const qint64 from = cached == m_logs.cend() ? 0 : cached->nextOffset;
    const bool finished = !build->building;
    return service->fetchLog(*build, from).then(
        this, [this, buildId, from, finished, answerFromCache](Result<LogChunk> result) {
            if (!result)
                return result;

            CachedLog &entry = m_logs[buildId];
            if (entry.nextOffset != from) // a concurrent fetch already appended this part
                return answerFromCache();
            entry.text.append(result->text);
            entry.nextOffset = result->nextOffset;
            entry.complete = result->complete && finished;
            entry.lastUse = ++m_logUseCounter;
            trimLogCache();
            return answerFromCache();
        });
}

void SourceRegistry::setLogCacheLimit(qint64 bytes)
{
    m_logCacheLimit = bytes;
    trimLogCache();
}

void SourceRegistry::trimLogCache()
{
    qint64 total = 0;
    for (const CachedLog &log : std::as_const(m_logs))
        total += log.text.size();

    while (total > m_logCacheLimit && m_logs.size() > 1) {
        auto oldest = std::min_element(m_logs.begin(), m_logs.end(),
                                       [](const CachedLog &a, const CachedLog &b) {
                                           return a.lastUse < b.lastUse;
                                       });
        total -= oldest->text.size();
        m_logs.erase(oldest);
    }
}

} // namespace cic
