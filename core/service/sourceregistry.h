// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/service/cibuildservice.h"

#include <QHash>
#include <QObject>
#include <QPointer>

namespace cic {

class BuildStore;

// The state of one source as a person sees it: last refresh, its error if any.
struct SourceStatus
{
    enum class State { Idle, Refreshing, Ok, Failed };

    QString name;
    QString kind;
    State state = State::Idle;
    QString error;
    QDateTime lastRefresh;
    qsizetype builds = 0;
};

// The configured sources, and the fan-out over them: refreshes fill the store; a query the
// store cannot answer is looked up through every source within a time budget; logs are
// fetched through the source that reported the build and cached, and a running build's log
// grows by incremental fetches.
class SourceRegistry final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SourceRegistry)

public:
    explicit SourceRegistry(BuildStore *store, QObject *parent = nullptr);
    ~SourceRegistry() override;

    BuildStore *store() const { return m_store; }

    // Takes ownership. A source with a name already present replaces it.
    void addSource(CiBuildService *service);
    void removeSource(const QString &name);

    QList<CiBuildService *> sources() const;
    CiBuildService *source(const QString &name) const;
    SourceStatus status(const QString &name) const;

    // Refreshes one source, or all when name is empty. Sources refresh independently: one that
    // fails reports its error and leaves the others, and its previous builds, in place.
    void refresh(const QString &name = {});

    // Asks every source for builds matching the query, puts what they answer in the store,
    // and finishes with the store's answer when all have answered or the budget is spent.
    QFuture<BuildList> lookup(const BuildQuery &query, int budgetMs);

    // A build's log from a byte offset, through its source, cached.
    QFuture<Result<LogChunk>> fetchLog(const QString &buildId, qint64 offset = 0);

    // Bytes of log kept in memory before the least recently read logs are dropped.
    void setLogCacheLimit(qint64 bytes);

Q_SIGNALS:
    void sourcesChanged();
    void statusChanged(const QString &name);

    // Relayed from the sources, after the cached text of those logs was dropped.
    void logsInvalidated(const QStringList &buildIds);

private:
    struct CachedLog
    {
        QByteArray text;
        qint64 nextOffset = 0;
        bool complete = false;
        quint64 lastUse = 0;
    };

    void setStatus(const QString &name, SourceStatus::State state, const QString &error = {},
                   qsizetype builds = -1);
    void trimLogCache();

    BuildStore *m_store;
    QHash<QString, CiBuildService *> m_sources;
    QHash<QString, SourceStatus> m_status;
    QHash<QString, CachedLog> m_logs;
    qint64 m_logCacheLimit = 512LL * 1024 * 1024;
    quint64 m_logUseCounter = 0;
};

} // namespace cic
