// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/config/config.h"
#include "core/net/httpclient.h"
#include "core/providers/connectioncheck.h"
#include "core/providers/github/githubmapping.h"
#include "core/service/cibuildservice.h"

#include <QHash>
#include <QSet>

#include <memory>

namespace cic {

struct GitHubActionsSettings
{
    QString name;
    QUrl baseUrl = QUrl(QStringLiteral("https://api.github.com")); // Enterprise: host/api/v3
    QStringList repositories; // owner/name
    QString token; // sent as a bearer token; anonymous without one (60 requests an hour)
    config::ConnectionOptions connection;

    int recentRuns = 30; // per repository, for the store
    int scanDepth = 300; // runs per repository searched for a commit prefix or a number
    int pageSize = 100; // per_page, at most 100
    bool fetchArtifacts = true; // one request per completed run, kept once answered

    static GitHubActionsSettings fromConfig(const config::GitHubActionsMaster &master,
                                            const QString &token);
};

// Which workflow runs to list.
struct GitHubRunFilter
{
    QString headSha; // a full commit id
    QString branch;
    int maxRuns = 30;
};

// GitHub Actions for a set of repositories on github.com or a GitHub Enterprise server. Each
// workflow run is a build: its number is the run number, its id `<source>-<owner>~<repo>-<run
// id>` (unique, as run numbers repeat across workflows).
//
// Every JSON request is conditional: the answer's ETag is kept per URL and sent back as
// If-None-Match, and a 304 (which costs no rate limit) reuses the answer kept. When the rate
// limit is spent the client waits for its reset and says so through HttpClient::waiting().
//
// A run's log is its jobs' logs, each under a `=== job NAME: CONCLUSION ===` line. GitHub
// serves a job's log only once the job has completed, through a redirect to a short-lived
// signed URL; that URL is fetched without the token, whatever host it names. While a run is
// in progress its log holds the jobs that have completed and a line for each job still
// running; the job's log follows that line once the job completes.
class GitHubActionsProvider : public CiBuildService, public ConnectionCheckable
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GitHubActionsProvider)

public:
    explicit GitHubActionsProvider(GitHubActionsSettings settings, QObject *parent = nullptr);
    ~GitHubActionsProvider() override;

    QString name() const override { return m_settings.name; }
    QString kind() const override { return QStringLiteral("github-actions"); }

    QFuture<Result<QList<SourceProject>>> listProjects() override;
    QFuture<Result<BuildList>> fetchRecentBuilds(const QString &project = {}) override;
    QFuture<Result<BuildList>> findBuilds(const BuildQuery &query) override;
    QFuture<Result<LogChunk>> fetchLog(const Build &build, qint64 offset = 0) override;
    // By the run id the build id ends with: actions/runs/{run_id}.
    QFuture<Result<BuildPtr>> fetchBuild(const QString &id) override;
    QFuture<ConnectionCheck> checkConnection() override;

    // Workflow runs of one repository, newest first, following the Link header's next page.
    QFuture<Result<BuildList>> fetchRuns(const github::Repository &repository,
                                         const GitHubRunFilter &filter);

    QFuture<Result<QList<github::Job>>> fetchJobs(const github::Repository &repository,
                                                  qint64 runId);
    QFuture<Result<QList<BuildArtifact>>> fetchArtifacts(const github::Repository &repository,
                                                         qint64 runId);

    // An artifact's zip, through the redirect to its signed URL; an expired artifact is an
    // error that says so.
    QFuture<Result<QByteArray>> downloadArtifact(const BuildArtifact &artifact);

    // The client for the API (its waiting() signal announces rate-limit pauses).
    net::HttpClient *http() const { return m_http; }
    QString webBase() const { return m_webBase; }

private:
    struct CachedAnswer
    {
        QByteArray etag;
        QJsonDocument document;
        QList<net::Header> headers;
    };

    struct JsonPage
    {
        QJsonDocument document;
        QUrl next;
    };

    struct LogCursor
    {
        QList<qint64> jobsDone; // job ids whose log has been delivered
        QSet<qint64> jobsAnnounced; // job ids whose "still running" line has been delivered
        qint64 bytes = 0;
        bool complete = false;
    };

    struct LogRead;
    struct RunListing;

    QFuture<Result<JsonPage>> getPage(const QUrl &url, const QString &what);
    QFuture<Result<QList<QJsonObject>>> getAll(const QUrl &url, QLatin1String key, int maxItems,
                                               const QString &what);
    void nextPage(const std::shared_ptr<RunListing> &listing, const QUrl &url);
    // A log or artifact through the redirect to its signed URL. A 404 or 410 (gone) is an
    // error, or with goneAsText a line saying so in place of the content.
    QFuture<Result<QByteArray>> followSigned(const QUrl &url, const QString &what,
                                             const QString &goneMessage, bool goneAsText);
    QFuture<Result<QByteArray>> fetchJobLog(const github::Repository &repository,
                                            const github::Job &job);
    QFuture<Result<BuildList>> withArtifacts(const github::Repository &repository,
                                             BuildList builds);
    QFuture<Result<BuildList>> scanRepositories(const QList<github::Repository> &repositories,
                                                const BuildQuery &query, int depth);
    QList<github::Repository> repositoriesFor(const QString &projectKey,
                                              const QString &repoSlug) const;
    QUrl repoUrl(const github::Repository &repository, const QString &tail) const;
    void finishLog(const std::shared_ptr<LogRead> &read);
    github::Context context() const;

    GitHubActionsSettings m_settings;
    QList<github::Repository> m_repositories;
    QString m_webBase;
    net::HttpClient *m_http;
    net::HttpClient *m_signed; // no credentials: for the signed log and artifact URLs

    QHash<QString, CachedAnswer> m_answers; // by URL
    QHash<qint64, QList<BuildArtifact>> m_artifacts; // completed runs only
    QHash<qint64, LogCursor> m_logCursors; // by run id
};

} // namespace cic
