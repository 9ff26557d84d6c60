// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/config/config.h"
#include "core/net/httpclient.h"
#include "core/providers/connectioncheck.h"
#include "core/providers/jenkins/jenkinsmapping.h"
#include "core/service/cibuildservice.h"

#include <QDateTime>
#include <QHash>

namespace cic {

struct JenkinsSettings
{
    QString name;
    QUrl address;
    QString username;
    QString token; // API token: Basic user:token, no crumb needed
    QString password; // password auth: Basic user:password, crumb for POSTs
    bool csrf = false;
    QStringList jobs; // only these job paths (and below); empty: every job
    config::ConnectionOptions connection;
    scm::ScmHosts scmHosts;

    int recentBuilds = 20; // per job, for the store
    int scanDepth = 50; // builds per job searched for a commit
    int projectScanDepth = 200; // ... when the query names the job
    int jobTreeDepth = 4; // folder levels per job-tree request
    int failedTestsLimit = 50;

    static JenkinsSettings fromConfig(const config::JenkinsMaster &master, const QString &token,
                                      const QString &password, const scm::ScmHosts &scmHosts);
};

// A Jenkins master: jobs through folders and multibranch projects, builds with paging, logs
// through progressiveText. Build ids are `<source>-<job path, '/' as '~'>-<number>` (see
// core/providers/buildids.h).
class JenkinsProvider : public CiBuildService, public ConnectionCheckable
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JenkinsProvider)

public:
    explicit JenkinsProvider(JenkinsSettings settings, QObject *parent = nullptr);
    ~JenkinsProvider() override;

    QString name() const override { return m_settings.name; }
    QString kind() const override { return QStringLiteral("jenkins"); }

    QFuture<Result<QList<SourceProject>>> listProjects() override;
    QFuture<Result<BuildList>> fetchRecentBuilds(const QString &project = {}) override;
    QFuture<Result<BuildList>> findBuilds(const BuildQuery &query) override;
    QFuture<Result<LogChunk>> fetchLog(const Build &build, qint64 offset = 0) override;
    QFuture<ConnectionCheck> checkConnection() override;

    // Every buildable job, through folders; cached for a short while.
    QFuture<Result<QList<jenkins::Job>>> jobs(bool refresh = false);

    // Builds [from, to) of a job, newest first. Past the 100 newest, Jenkins lists them only
    // under allBuilds, which this switches to.
    QFuture<Result<BuildList>> fetchBuilds(const jenkins::Job &job, int from, int to);

    // One build; a build that does not exist answers an empty pointer.
    QFuture<Result<BuildPtr>> fetchBuild(const jenkins::Job &job, qint32 number);

    // Starts a build; answers the queue item's URL. With password auth this fetches a CSRF
    // crumb (keeping the session cookie it belongs to) and retries once on "No valid crumb".
    QFuture<Result<QUrl>> triggerBuild(const QString &project);

    net::HttpClient *http() const { return m_http; }

private:
    QFuture<Result<jenkins::JobTree>> listJobsUnder(const QStringList &path);
    QFuture<Result<QList<jenkins::Job>>> expandFolders(jenkins::JobTree tree);
    QFuture<Result<BuildList>> attachFailedTests(BuildList builds);
    QFuture<Result<BuildList>> scanJobs(const QList<jenkins::Job> &candidates,
                                        const BuildQuery &query);
    QFuture<Result<std::optional<net::Header>>> crumb(bool refresh);
    void postWithCrumb(const QUrl &url, bool retried,
                       std::shared_ptr<QPromise<Result<net::Response>>> promise);
    bool usesPassword() const
    {
        return m_settings.token.isEmpty() && !m_settings.password.isEmpty();
    }
    jenkins::Context context() const;
    std::optional<jenkins::Job> cachedJob(const QString &fullName) const;
    void rememberRepositories(const BuildList &builds);

    JenkinsSettings m_settings;
    net::HttpClient *m_http;

    QList<jenkins::Job> m_jobs;
    QDateTime m_jobsFetched;
    QHash<QString, std::pair<QString, QString>> m_jobRepository; // job -> projectKey, repoSlug
    QHash<QString, QList<FailedTest>> m_failedTests; // finished build id -> cases
    std::optional<net::Header> m_crumb;
    bool m_crumbKnown = false;
};

} // namespace cic
