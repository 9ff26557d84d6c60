// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/config/config.h"
#include "core/net/httpclient.h"
#include "core/providers/buildbot/buildbotmapping.h"
#include "core/providers/connectioncheck.h"
#include "core/service/cibuildservice.h"

#include <QHash>
#include <QUrlQuery>

#include <memory>

namespace cic {

struct BuildbotSettings
{
    QString name;
    QUrl address; // the master's web root; the data API is api/v2 below it
    QStringList builders; // only these builders; empty: every builder
    QString username; // with a password: a session through /auth/login; else anonymous
    QString password;
    config::ConnectionOptions connection;
    scm::ScmHosts scmHosts;

    int recentBuilds = 20; // per builder, for the store
    int scanDepth = 200; // builds per builder searched for a commit
    int pageSize = 50;
    int logLinesPerRequest = 5000;
    bool logHeaderLines = false; // keep stdio header lines (they list the worker environment)

    static BuildbotSettings fromConfig(const config::BuildbotMaster &master,
                                       const QString &password, const scm::ScmHosts &scmHosts);
};

// What to ask the force scheduler for.
struct BuildbotForce
{
    QString builder;
    QString scheduler = QStringLiteral("force");
    QString reason;
    QString branch;
    QString revision;
    QString repository;
    QString project;
};

// A Buildbot master through its data API: builders by name, builds with their properties,
// source stamps and changes, and logs assembled from the steps' stdio logs. Build ids are
// `<source>-<builder>-<number>` (see core/providers/buildids.h).
//
// A build's log is its steps' stdio logs in step order, each under a `=== step N: name ===`
// line and closed by a `--- step N name: RESULT (state)` line once the step has finished. The
// one-character channel prefix of every line is removed, and header lines are left out. While
// a build runs, the log is read incrementally: the provider remembers how many lines of each
// step it has delivered, so the next fetchLog() from the offset it answered asks the master
// only for new lines.
class BuildbotProvider : public CiBuildService, public ConnectionCheckable
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BuildbotProvider)

public:
    explicit BuildbotProvider(BuildbotSettings settings, QObject *parent = nullptr);
    ~BuildbotProvider() override;

    QString name() const override { return m_settings.name; }
    QString kind() const override { return QStringLiteral("buildbot"); }

    QFuture<Result<QList<SourceProject>>> listProjects() override;
    QFuture<Result<BuildList>> fetchRecentBuilds(const QString &project = {}) override;
    QFuture<Result<BuildList>> findBuilds(const BuildQuery &query) override;
    QFuture<Result<LogChunk>> fetchLog(const Build &build, qint64 offset = 0) override;
    QFuture<ConnectionCheck> checkConnection() override;

    // The configured builders the master knows (every builder when none are configured).
    QFuture<Result<QList<buildbot::Builder>>> builders(bool refresh = false);

    // Builds of a builder, newest first: `count` of them, from `offset`.
    QFuture<Result<BuildList>> fetchBuilds(const buildbot::Builder &builder, int offset, int count);

    // One build by its number; an empty pointer when the builder has no such build.
    QFuture<Result<BuildPtr>> fetchBuild(const QString &builder, qint32 number);

    // Asks the force scheduler for a build; answers the build request id. With credentials
    // configured this goes through the session, logging in again once if it has expired.
    QFuture<Result<int>> forceBuild(const BuildbotForce &force);

    net::HttpClient *http() const { return m_http; }

private:
    struct StepCursor
    {
        int stepId = 0;
        int number = 0;
        QString name;
        int logId = -1; // the stdio log; -1 until known, 0 when the step has none
        qint64 linesRead = 0;
        bool opened = false;
        bool closed = false;
    };

    // How far a build's assembled log has been delivered.
    struct LogCursor
    {
        QList<StepCursor> steps;
        qint64 bytes = 0;
        bool complete = false;
    };

    struct LogRead;
    struct Paging;

    QFuture<Result<QJsonObject>> getJson(const QString &path, const QUrlQuery &query,
                                         const QString &what, QList<int> accepted = {});
    QFuture<Result<QList<QJsonObject>>> getAll(const QString &path, QUrlQuery query,
                                               QLatin1String plural, int offset, int wanted,
                                               const QString &what);
    void nextPage(const std::shared_ptr<Paging> &paging);
    QFuture<Result<bool>> ensureSession(bool renew = false);
    QFuture<Result<BuildList>> mapBuilds(const QList<QJsonObject> &builds);
    QFuture<Result<BuildList>> scanBuilders(const QList<buildbot::Builder> &builders,
                                            const BuildQuery &query, int depth);
    QFuture<Result<buildbot::Builder>> builderNamed(const QString &name);
    QFuture<Result<QHash<int, QList<buildbot::SourceStamp>>>>
    sourceStamps(const QList<QJsonObject> &builds);
    QFuture<Result<bool>> loadChanges(const QStringList &revisions);
    QFuture<Result<int>> postForce(const BuildbotForce &force, bool renewed);

    void readLog(const std::shared_ptr<LogRead> &read);
    void readSteps(const std::shared_ptr<LogRead> &read);
    void readStep(const std::shared_ptr<LogRead> &read, int index);
    void readLines(const std::shared_ptr<LogRead> &read, int index, qint64 available,
                   bool stepComplete);
    void finishLog(const std::shared_ptr<LogRead> &read);

    bool wantsBuilder(const QString &name) const;
    buildbot::Context context() const;

    BuildbotSettings m_settings;
    net::HttpClient *m_http;

    QList<buildbot::Builder> m_builders;
    bool m_buildersKnown = false;
    QFuture<Result<bool>> m_session;
    bool m_sessionStarted = false;

    // Immutable once created, so kept: build request -> its build set's source stamps, and
    // commit -> its change (or none, an empty Change).
    QHash<int, QList<buildbot::SourceStamp>> m_stampsByRequest;
    QHash<QString, buildbot::Change> m_changes;
    QHash<int, LogCursor> m_logCursors; // Buildbot build id -> delivered log
};

} // namespace cic
