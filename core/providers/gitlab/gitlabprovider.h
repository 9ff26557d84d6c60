// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/config/config.h"
#include "core/net/httpclient.h"
#include "core/providers/connectioncheck.h"
#include "core/providers/gitlab/gitlabmapping.h"
#include "core/service/cibuildservice.h"

#include <QDateTime>
#include <QHash>
#include <QJsonArray>

namespace cic {

struct GitLabSettings
{
    QString name;
    QUrl address; // the instance root; /api/v4 is added
    QString privateToken;
    QStringList projects; // full paths; empty: membership
    bool limitByMembership = true;
    bool limitByOwnership = false;
    int pageLength = 100;
    config::ConnectionOptions connection;

    int recentPipelines = 20; // per project, for the store
    int scanDepth = 100; // pipelines per project searched for a commit prefix or number
    int maxPages = 10; // of any list, so a huge instance cannot run away
    int failedTestsLimit = 50; // failed test cases kept per pipeline

    static GitLabSettings fromConfig(const config::GitLabMaster &master, const QString &token);
};

// Pipeline filters for GitLabProvider::pipelines.
struct PipelineFilter
{
    QString sha;
    QString ref;
    int limit = 20;
};

// A GitLab instance: projects (configured or by membership), pipelines as builds, and a
// pipeline's log made of its jobs' traces. Build ids are `<source>-<project path>-<pipeline
// id>`; the build number is the pipeline's per-project iid.
class GitLabProvider : public CiBuildService, public ConnectionCheckable
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GitLabProvider)

public:
    explicit GitLabProvider(GitLabSettings settings, QObject *parent = nullptr);
    ~GitLabProvider() override;

    QString name() const override { return m_settings.name; }
    QString kind() const override { return QStringLiteral("gitlab-ci"); }

    QFuture<Result<QList<SourceProject>>> listProjects() override;
    QFuture<Result<BuildList>> fetchRecentBuilds(const QString &project = {}) override;
    QFuture<Result<BuildList>> findBuilds(const BuildQuery &query) override;

    // The pipeline's jobs in id order, each under a header line. The text only grows: a job's
    // trace is appended while it runs (fetched from where the last read stopped) and the next
    // job follows once it is done, so offsets stay valid while the pipeline runs.
    QFuture<Result<LogChunk>> fetchLog(const Build &build, qint64 offset = 0) override;
    // By the pipeline id the build id ends with: projects/:id/pipelines/:pipeline_id.
    QFuture<Result<BuildPtr>> fetchBuild(const QString &id) override;
    QFuture<ConnectionCheck> checkConnection() override;

    QFuture<Result<QList<gitlab::Project>>> projects(bool refresh = false);

    // Pipeline list items, newest first, following X-Next-Page.
    QFuture<Result<QJsonArray>> pipelines(const gitlab::Project &project,
                                          const PipelineFilter &filter);

    // Full builds for pipeline list items; finished, unchanged pipelines come from a cache.
    QFuture<Result<BuildList>> pipelineBuilds(const gitlab::Project &project,
                                              const QJsonArray &items);

    QUrl apiUrl(const QByteArray &encodedPath) const;
    net::HttpClient *http() const { return m_http; }

private:
    struct Journal
    {
        QByteArray text;
        QList<qint64> closedJobs;
        qint64 openJob = 0;
        qint64 openBytes = 0;
    };

    QFuture<Result<QJsonArray>> getPages(const QUrl &first, const QString &what, int limit);
    QFuture<Result<BuildPtr>> pipelineBuild(const gitlab::Project &project,
                                            const QJsonObject &item);
    QFuture<Result<gitlab::CommitInfo>> commit(const gitlab::Project &project, const QString &sha);

    // What a pipeline's jobs and test report add to its build: artifacts, for a finished
    // pipeline the test summary and failures. `complete` is false when a request failed, so
    // the build is not cached and the next refresh asks again.
    struct Extras
    {
        QList<BuildArtifact> artifacts;
        QList<TestSummary> testResults;
        QList<FailedTest> failedTests;
        bool complete = true;
    };
    QFuture<Extras> extras(const gitlab::Project &project, qint64 pipelineId, bool finished);
    QFuture<Result<QByteArray>> trace(const gitlab::Project &project, qint64 jobId, qint64 from);
    void advanceJournal(const QString &buildId, const gitlab::Project &project,
                        QList<QJsonObject> jobs, std::shared_ptr<QPromise<Result<bool>>> done);
    std::optional<gitlab::Project> cachedProject(const QString &path) const;

    GitLabSettings m_settings;
    QUrl m_api;
    net::HttpClient *m_http;

    QList<gitlab::Project> m_projects;
    QDateTime m_projectsFetched;
    QHash<QString, std::pair<QString, BuildPtr>> m_pipelines; // build id -> updated_at, build
    QHash<QString, gitlab::CommitInfo> m_commits; // project/sha -> commit
    QHash<QString, Journal> m_journals; // build id -> log so far
};

} // namespace cic
