// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/providers/gitlab/gitlabprovider.h"

#include "core/net/httperrors.h"
#include "core/providers/buildids.h"
#include "core/providers/futures.h"

#include <QLoggingCategory>
#include <QUrlQuery>

namespace cic {

namespace {
Q_LOGGING_CATEGORY(lcGitLab, "cicompanion.core.providers.gitlab")

constexpr int ProjectCacheSeconds = 60;
constexpr int JobsLimit = 500;

QUrl withQuery(QUrl url, const QList<std::pair<QString, QString>> &items)
{
    QUrlQuery query(url);
    for (const auto &[key, value] : items) {
        query.removeAllQueryItems(key);
        query.addQueryItem(key, QString::fromLatin1(QUrl::toPercentEncoding(value)));
    }
    url.setQuery(query.query(QUrl::FullyEncoded), QUrl::StrictMode);
    return url;
}

QString jobHeader(const QJsonObject &job)
{
    return QStringLiteral("=== %1: %2 (job %3) ===\n")
        .arg(job.value(QLatin1String("stage")).toString(),
             job.value(QLatin1String("name")).toString(),
             QString::number(qint64(job.value(QLatin1String("id")).toDouble())));
}

QString jobFooter(const QJsonObject &job)
{
    const bool allowed = job.value(QLatin1String("allow_failure")).toBool();
    const QString status = job.value(QLatin1String("status")).toString();
    return QStringLiteral("--- %1: %2%3 ---\n")
        .arg(job.value(QLatin1String("name")).toString(), status,
             allowed && status == QLatin1String("failed") ? QStringLiteral(" (allowed to fail)")
                                                          : QString());
}

qint64 jobId(const QJsonObject &job)
{
    return qint64(job.value(QLatin1String("id")).toDouble());
}

} // namespace

GitLabSettings GitLabSettings::fromConfig(const config::GitLabMaster &master, const QString &token)
{
    GitLabSettings settings;
    settings.name = master.name;
    settings.address = master.address;
    settings.privateToken = token;
    settings.projects = master.projects;
    settings.limitByMembership = master.limitByMembership;
    settings.limitByOwnership = master.limitByOwnership;
    settings.pageLength = master.defaultHttpPageLength;
    settings.connection = master.connection;
    return settings;
}

GitLabProvider::GitLabProvider(GitLabSettings settings, QObject *parent)
    : CiBuildService(parent)
    , m_settings(std::move(settings))
{
    m_api = m_settings.address;
    if (!m_api.path().endsWith(QLatin1String("/api/v4")))
        m_api = net::appendPathSegments(m_api, {QStringLiteral("api"), QStringLiteral("v4")});

    net::ClientSettings client
        = net::ClientSettings::forSource(m_settings.name, m_api, m_settings.connection);
    if (!m_settings.privateToken.isEmpty())
        client.auth = net::Auth::header("PRIVATE-TOKEN", m_settings.privateToken);
    m_http = new net::HttpClient(client, this);
}

GitLabProvider::~GitLabProvider() = default;

QUrl GitLabProvider::apiUrl(const QByteArray &encodedPath) const
{
    return net::appendEncodedPath(m_api, encodedPath);
}

std::optional<gitlab::Project> GitLabProvider::cachedProject(const QString &path) const
{
    for (const gitlab::Project &project : m_projects) {
        if (project.path == path)
            return project;
    }
    return std::nullopt;
}

QFuture<Result<QJsonArray>> GitLabProvider::getPages(const QUrl &first, const QString &what,
                                                     int limit)
{
    auto promise = futures::makePromise<Result<QJsonArray>>();
    QFuture<Result<QJsonArray>> future = promise->future();

    struct Walk
    {
        QJsonArray items;
        int pages = 0;
    };
    auto walk = std::make_shared<Walk>();
    auto step = std::make_shared<std::function<void(QUrl)>>();
    *step = [this, promise, walk, step, what, limit](const QUrl &url) {
        m_http->getJson(net::Request::get(url, what))
            .then(this, [this, promise, walk, step, url, limit](Result<net::JsonResponse> answer) {
                if (!answer) {
                    futures::fulfil(promise, Result<QJsonArray>(Error{answer.error()}));
                    *step = nullptr; // ends the cycle between the walk and its step
                    return;
                }
                for (const QJsonValue &item : answer->document.array())
                    walk->items.append(item);
                ++walk->pages;

                // The last page carries an empty x-next-page.
                const QByteArray next = answer->response.header("x-next-page").trimmed();
                if (next.isEmpty() || walk->items.size() >= limit
                    || walk->pages >= m_settings.maxPages) {
                    while (walk->items.size() > limit)
                        walk->items.removeLast();
                    futures::fulfil(promise, Result<QJsonArray>(walk->items));
                    *step = nullptr;
                    return;
                }
                (*step)(withQuery(url, {{QStringLiteral("page"), QString::fromLatin1(next)}}));
            });
    };
    (*step)(first);
    return future;
}

QFuture<Result<QList<gitlab::Project>>> GitLabProvider::projects(bool refresh)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (!refresh && m_projectsFetched.isValid()
        && m_projectsFetched.secsTo(now) < ProjectCacheSeconds)
        return futures::ready(m_projects);

    auto remember = [this](QList<gitlab::Project> projects) {
        m_projects = projects;
        m_projectsFetched = QDateTime::currentDateTimeUtc();
        return projects;
    };

    if (m_settings.projects.isEmpty()) {
        QList<std::pair<QString, QString>> query
            = {{QStringLiteral("simple"), QStringLiteral("true")},
               {QStringLiteral("per_page"), QString::number(m_settings.pageLength)},
               {QStringLiteral("order_by"), QStringLiteral("last_activity_at")}};
        if (m_settings.limitByMembership)
            query.append({QStringLiteral("membership"), QStringLiteral("true")});
        if (m_settings.limitByOwnership)
            query.append({QStringLiteral("owned"), QStringLiteral("true")});
        const QUrl url = withQuery(apiUrl("projects"), query);
        return getPages(url, QStringLiteral("the project list"),
                        m_settings.pageLength * m_settings.maxPages)
            .then(this, [remember](Result<QJsonArray> answer) -> Result<QList<gitlab::Project>> {
                if (!answer)
                    return Error{answer.error()};
                QList<gitlab::Project> projects;
                for (const QJsonValue &value : answer.value())
                    projects.append(gitlab::parseProject(value.toObject()));
                return remember(projects);
            });
    }

    QList<QFuture<Result<gitlab::Project>>> requests;
    for (const QString &path : std::as_const(m_settings.projects)) {
        const QUrl url = apiUrl("projects/" + gitlab::encodedProjectId(path));
        requests.append(
            m_http->getJson(net::Request::get(url, QStringLiteral("the project %1").arg(path)))
                .then(this, [](Result<net::JsonResponse> answer) -> Result<gitlab::Project> {
                    if (!answer)
                        return Error{answer.error()};
                    return gitlab::parseProject(answer->document.object());
                }));
    }
    return futures::collect(this, requests)
        .then(this,
              [this,
               remember](QList<Result<gitlab::Project>> answers) -> Result<QList<gitlab::Project>> {
                  QList<gitlab::Project> projects;
                  QString firstError;
                  for (const Result<gitlab::Project> &answer : answers) {
                      if (answer) {
                          projects.append(answer.value());
                      } else {
                          qCWarning(lcGitLab, "%s", qUtf8Printable(answer.error()));
                          if (firstError.isEmpty())
                              firstError = answer.error();
                      }
                  }
                  // One project we may not read does not hide the others.
                  if (projects.isEmpty() && !firstError.isEmpty())
                      return Error{firstError};
                  return remember(projects);
              });
}

QFuture<Result<QList<SourceProject>>> GitLabProvider::listProjects()
{
    return projects(true).then(
        this, [](Result<QList<gitlab::Project>> answer) -> Result<QList<SourceProject>> {
            if (!answer)
                return Error{answer.error()};
            QList<SourceProject> list;
            for (const gitlab::Project &project : answer.value())
                list.append({project.path, project.path, project.webUrl});
            return list;
        });
}

QFuture<Result<QJsonArray>> GitLabProvider::pipelines(const gitlab::Project &project,
                                                      const PipelineFilter &filter)
{
    QList<std::pair<QString, QString>> query
        = {{QStringLiteral("per_page"),
            QString::number(std::min(filter.limit, m_settings.pageLength))}};
    if (!filter.sha.isEmpty())
        query.append({QStringLiteral("sha"), filter.sha});
    if (!filter.ref.isEmpty())
        query.append({QStringLiteral("ref"), filter.ref});
    const QUrl url = withQuery(
        apiUrl("projects/" + gitlab::encodedProjectId(project.path) + "/pipelines"), query);
    return getPages(url, QStringLiteral("the pipelines of %1").arg(project.path), filter.limit);
}

QFuture<Result<gitlab::CommitInfo>> GitLabProvider::commit(const gitlab::Project &project,
                                                           const QString &sha)
{
    const QString key = project.path + QLatin1Char('/') + sha;
    const auto cached = m_commits.constFind(key);
    if (cached != m_commits.cend())
        return futures::ready(*cached);

    const QUrl url = apiUrl("projects/" + gitlab::encodedProjectId(project.path)
                            + "/repository/commits/" + sha.toLatin1());
    net::Request request = net::Request::get(url, QStringLiteral("commit %1").arg(sha.left(12)));
    request.acceptedStatuses = {404};
    return m_http->send(request).then(
        this, [this, key](Result<net::Response> answer) -> Result<gitlab::CommitInfo> {
            // A commit we cannot read leaves the message empty; the pipeline is still shown.
            if (!answer || answer->status != 200)
                return gitlab::CommitInfo();
            const gitlab::CommitInfo info
                = gitlab::parseCommit(QJsonDocument::fromJson(answer->body).object());
            m_commits.insert(key, info);
            return info;
        });
}

QFuture<Result<BuildPtr>> GitLabProvider::pipelineBuild(const gitlab::Project &project,
                                                        const QJsonObject &item)
{
    const qint64 id = qint64(item.value(QLatin1String("id")).toDouble());
    const QString updated = item.value(QLatin1String("updated_at")).toString();
    const gitlab::Context context{m_settings.name};
    const QString buildId = gitlab::mapPipeline(item, project, {}, context).id;

    const auto cached = m_pipelines.constFind(buildId);
    if (cached != m_pipelines.cend() && cached->first == updated && !updated.isEmpty())
        return futures::ready(cached->second);

    auto promise = futures::makePromise<Result<BuildPtr>>();
    QFuture<Result<BuildPtr>> future = promise->future();
    const QUrl url = apiUrl("projects/" + gitlab::encodedProjectId(project.path) + "/pipelines/"
                            + QByteArray::number(id));
    m_http
        ->getJson(
            net::Request::get(url, QStringLiteral("pipeline %1 of %2").arg(id).arg(project.path)))
        .then(
            this,
            [this, promise, project, context, id, buildId,
             updated](Result<net::JsonResponse> answer) {
                if (!answer) {
                    futures::fulfil(promise, Result<BuildPtr>(Error{answer.error()}));
                    return;
                }
                const QJsonObject pipeline = answer->document.object();
                const QString sha = pipeline.value(QLatin1String("sha")).toString();
                commit(project, sha)
                    .then(this,
                          [this, promise, project, context, id, buildId, updated,
                           pipeline](Result<gitlab::CommitInfo> info) {
                              Build build = gitlab::mapPipeline(
                                  pipeline, project, info ? info.value() : gitlab::CommitInfo(),
                                  context);
                              extras(project, id, !build.building)
                                  .then(this, [this, promise, buildId, updated,
                                               build = std::move(build)](Extras found) mutable {
                                      build.artifacts = std::move(found.artifacts);
                                      build.testResults = std::move(found.testResults);
                                      build.failedTests = std::move(found.failedTests);
                                      auto shared = std::make_shared<const Build>(std::move(build));
                                      if (found.complete)
                                          m_pipelines.insert(buildId, {updated, shared});
                                      futures::fulfil(promise, Result<BuildPtr>(BuildPtr(shared)));
                                  });
                          });
            });
    return future;
}

QFuture<GitLabProvider::Extras> GitLabProvider::extras(const gitlab::Project &project,
                                                       qint64 pipelineId, bool finished)
{
    const QByteArray pipelinePath = "projects/" + gitlab::encodedProjectId(project.path)
        + "/pipelines/" + QByteArray::number(pipelineId);
    auto found = std::make_shared<Extras>();
    auto promise = futures::makePromise<Extras>();
    QFuture<Extras> future = promise->future();
    auto remaining = std::make_shared<int>(finished ? 2 : 1);
    auto oneDone = [promise, found, remaining] {
        if (--*remaining == 0)
            futures::fulfil(promise, *found);
    };

    getPages(m_http->resolve(QString::fromLatin1(pipelinePath + "/jobs?per_page=100")),
             QStringLiteral("the jobs of pipeline %1").arg(pipelineId), JobsLimit)
        .then(this, [found, oneDone, project](Result<QJsonArray> jobs) {
            if (jobs) {
                found->artifacts = gitlab::mapJobArtifacts(jobs.value(), project);
            } else {
                qCWarning(lcGitLab, "%s", qUtf8Printable(jobs.error()));
                found->complete = false;
            }
            oneDone();
        });

    // A running pipeline's report is partial; it is read once the pipeline is done.
    if (finished) {
        net::Request request = net::Request::get(
            apiUrl(pipelinePath + "/test_report"),
            QStringLiteral("the test report of pipeline %1").arg(pipelineId));
        request.acceptedStatuses = {403, 404}; // no report, or an instance without the route
        m_http->send(request).then(this, [this, found, oneDone](Result<net::Response> answer) {
            if (!answer) {
                qCWarning(lcGitLab, "%s", qUtf8Printable(answer.error()));
                found->complete = false;
            } else if (answer->status == 200) {
                const QJsonObject report = QJsonDocument::fromJson(answer->body).object();
                if (const std::optional<TestSummary> summary = gitlab::mapTestReport(report)) {
                    found->testResults.append(*summary);
                    found->failedTests
                        = gitlab::failedTestsOf(report, m_settings.failedTestsLimit);
                }
            }
            oneDone();
        });
    }
    return future;
}

QFuture<Result<BuildPtr>> GitLabProvider::fetchBuild(const QString &id)
{
    const std::optional<buildids::Parts> parts = buildids::parse(id, m_settings.name);
    if (!parts || parts->project.isEmpty())
        return futures::ready(BuildPtr());

    // The project's web address makes the links; a project not listed is asked for by path.
    return projects()
        .then(this,
              [this, parts = *parts](Result<QList<gitlab::Project>> listed) {
                  gitlab::Project project{0, parts.project, {}};
                  if (listed) {
                      for (const gitlab::Project &candidate : listed.value()) {
                          if (candidate.path == parts.project)
                              project = candidate;
                      }
                  }
                  return pipelineBuild(project, QJsonObject{{QStringLiteral("id"),
                                                             double(parts.number)}});
              })
        .unwrap();
}

QFuture<Result<BuildList>> GitLabProvider::pipelineBuilds(const gitlab::Project &project,
                                                          const QJsonArray &items)
{
    QList<QFuture<Result<BuildPtr>>> requests;
    for (const QJsonValue &item : items)
        requests.append(pipelineBuild(project, item.toObject()));

    return futures::collect(this, requests)
        .then(this, [](QList<Result<BuildPtr>> answers) -> Result<BuildList> {
            BuildList builds;
            QString firstError;
            for (const Result<BuildPtr> &answer : answers) {
                if (answer && answer.value())
                    builds.append(answer.value());
                else if (!answer && firstError.isEmpty())
                    firstError = answer.error();
            }
            if (builds.isEmpty() && !firstError.isEmpty())
                return Error{firstError};
            return builds;
        });
}

QFuture<Result<BuildList>> GitLabProvider::fetchRecentBuilds(const QString &projectPath)
{
    auto promise = futures::makePromise<Result<BuildList>>();
    QFuture<Result<BuildList>> future = promise->future();

    projects().then(this, [this, promise, projectPath](Result<QList<gitlab::Project>> listed) {
        if (!listed) {
            futures::fulfil(promise, Result<BuildList>(Error{listed.error()}));
            return;
        }

        QList<QFuture<Result<BuildList>>> requests;
        for (const gitlab::Project &project : listed.value()) {
            if (!projectPath.isEmpty() && project.path != projectPath)
                continue;
            auto perProject = futures::makePromise<Result<BuildList>>();
            requests.append(perProject->future());
            pipelines(project, {{}, {}, m_settings.recentPipelines})
                .then(this, [this, project, perProject](Result<QJsonArray> items) {
                    if (!items) {
                        futures::fulfil(perProject, Result<BuildList>(Error{items.error()}));
                        return;
                    }
                    pipelineBuilds(project, items.value())
                        .then(this, [perProject](Result<BuildList> builds) {
                            futures::fulfil(perProject, std::move(builds));
                        });
                });
        }
        if (!projectPath.isEmpty() && requests.isEmpty()) {
            futures::fulfil(
                promise,
                Result<BuildList>(
                    Error{QStringLiteral("%1: no project %2").arg(m_settings.name, projectPath)}));
            return;
        }

        futures::collect(this, requests).then(this, [promise](QList<Result<BuildList>> all) {
            BuildList builds;
            QString firstError;
            for (const Result<BuildList> &one : all) {
                if (one)
                    builds += one.value();
                else {
                    qCWarning(lcGitLab, "%s", qUtf8Printable(one.error()));
                    if (firstError.isEmpty())
                        firstError = one.error();
                }
            }
            if (builds.isEmpty() && !firstError.isEmpty())
                futures::fulfil(promise, Result<BuildList>(Error{firstError}));
            else
                futures::fulfil(promise, Result<BuildList>(builds));
        });
    });
    return future;
}

QFuture<Result<BuildList>> GitLabProvider::findBuilds(const BuildQuery &query)
{
    if (!query.source.isEmpty() && query.source != m_settings.name)
        return futures::ready(BuildList());

    auto promise = futures::makePromise<Result<BuildList>>();
    QFuture<Result<BuildList>> future = promise->future();
    projects().then(this, [this, promise, query](Result<QList<gitlab::Project>> listed) {
        if (!listed) {
            futures::fulfil(promise, Result<BuildList>(Error{listed.error()}));
            return;
        }

        QList<QFuture<Result<BuildList>>> requests;
        for (const gitlab::Project &project : listed.value()) {
            if (!query.project.isEmpty() && project.path != query.project)
                continue;
            if (!query.projectKey.isEmpty()
                && project.namespacePath().compare(query.projectKey, Qt::CaseInsensitive) != 0)
                continue;
            if (!query.repoSlug.isEmpty()
                && project.slug().compare(query.repoSlug, Qt::CaseInsensitive) != 0)
                continue;

            // A full SHA is a server-side filter; a prefix or a number needs a scan.
            PipelineFilter filter;
            filter.limit = m_settings.scanDepth;
            if (query.commitPrefix.size() == 40)
                filter.sha = query.commitPrefix;

            auto perProject = futures::makePromise<Result<BuildList>>();
            requests.append(perProject->future());
            pipelines(project, filter)
                .then(this, [this, project, perProject, query](Result<QJsonArray> items) {
                    if (!items) {
                        futures::fulfil(perProject, Result<BuildList>(Error{items.error()}));
                        return;
                    }
                    QJsonArray candidates;
                    for (const QJsonValue &value : items.value()) {
                        const QJsonObject item = value.toObject();
                        const QString sha = item.value(QLatin1String("sha")).toString();
                        if (!query.commitPrefix.isEmpty()
                            && !sha.startsWith(query.commitPrefix, Qt::CaseInsensitive))
                            continue;
                        if (query.buildNumber
                            && item.value(QLatin1String("iid")).toInt() != *query.buildNumber)
                            continue;
                        candidates.append(item);
                    }
                    pipelineBuilds(project, candidates)
                        .then(this, [perProject, query](Result<BuildList> builds) {
                            if (builds) {
                                BuildList matching;
                                for (const BuildPtr &build : builds.value()) {
                                    if (query.matches(*build))
                                        matching.append(build);
                                }
                                builds = matching;
                            }
                            futures::fulfil(perProject, std::move(builds));
                        });
                });
        }

        futures::collect(this, requests).then(this, [promise](QList<Result<BuildList>> all) {
            BuildList builds;
            QString firstError;
            bool anyAnswer = false;
            for (const Result<BuildList> &one : all) {
                if (one) {
                    anyAnswer = true;
                    builds += one.value();
                } else if (firstError.isEmpty()) {
                    firstError = one.error();
                }
            }
            if (!anyAnswer && !firstError.isEmpty())
                futures::fulfil(promise, Result<BuildList>(Error{firstError}));
            else
                futures::fulfil(promise, Result<BuildList>(builds));
        });
    });
    return future;
}

QFuture<Result<QByteArray>> GitLabProvider::trace(const gitlab::Project &project, qint64 jobId,
                                                  qint64 from)
{
    const QUrl url = apiUrl("projects/" + gitlab::encodedProjectId(project.path) + "/jobs/"
                            + QByteArray::number(jobId) + "/trace");
    net::Request request = net::Request::get(url, QStringLiteral("the trace of job %1").arg(jobId));
    request.acceptedStatuses = {404, 416};
    if (from > 0)
        request.headers.append({"Range", "bytes=" + QByteArray::number(from) + '-'});

    return m_http->send(request).then(
        this, [from](Result<net::Response> answer) -> Result<QByteArray> {
            if (!answer)
                return Error{answer.error()};
            // A job without a trace yet, or nothing past the offset: no new text.
            if (answer->status == 404 || answer->status == 416)
                return QByteArray();
            if (answer->status == 206)
                return answer->body;
            return answer->body.mid(from); // the server ignored Range and sent the whole trace
        });
}

void GitLabProvider::advanceJournal(const QString &buildId, const gitlab::Project &project,
                                    QList<QJsonObject> jobs,
                                    std::shared_ptr<QPromise<Result<bool>>> done)
{
    Journal &journal = m_journals[buildId];

    if (journal.openJob != 0) {
        const auto open = std::find_if(jobs.cbegin(), jobs.cend(), [&](const QJsonObject &job) {
            return jobId(job) == journal.openJob;
        });
        if (open == jobs.cend()) { // retried away: close what we have
            journal.closedJobs.append(journal.openJob);
            journal.openJob = 0;
            advanceJournal(buildId, project, jobs, done);
            return;
        }

        const QJsonObject job = *open;
        trace(project, journal.openJob, journal.openBytes)
            .then(this, [this, buildId, project, jobs, done, job](Result<QByteArray> text) {
                if (!text) {
                    futures::fulfil(done, Result<bool>(Error{text.error()}));
                    return;
                }
                Journal &current = m_journals[buildId];
                current.text += text.value();
                current.openBytes += text->size();
                const QString status = job.value(QLatin1String("status")).toString();
                if (!gitlab::isFinishedStatus(status)) {
                    futures::fulfil(done, Result<bool>(true));
                    return;
                }
                if (!current.text.isEmpty() && !current.text.endsWith('\n'))
                    current.text += '\n';
                current.text += jobFooter(job).toUtf8();
                current.closedJobs.append(current.openJob);
                current.openJob = 0;
                advanceJournal(buildId, project, jobs, done);
            });
        return;
    }

    for (const QJsonObject &job : std::as_const(jobs)) {
        const qint64 id = jobId(job);
        if (journal.closedJobs.contains(id))
            continue;

        const QString status = job.value(QLatin1String("status")).toString();
        const bool started = !job.value(QLatin1String("started_at")).toString().isEmpty();
        if (gitlab::isFinishedStatus(status) && !started) {
            // Skipped or manual jobs that never ran have no trace: one line says so.
            journal.text += jobHeader(job).toUtf8() + jobFooter(job).toUtf8();
            journal.closedJobs.append(id);
            continue;
        }
        if (!started && !gitlab::isFinishedStatus(status))
            break; // later jobs wait, so the text keeps the pipeline's order

        journal.text += jobHeader(job).toUtf8();
        journal.openJob = id;
        journal.openBytes = 0;
        advanceJournal(buildId, project, jobs, done);
        return;
    }
    futures::fulfil(done, Result<bool>(true));
}

QFuture<Result<LogChunk>> GitLabProvider::fetchLog(const Build &build, qint64 offset)
{
    std::optional<gitlab::Project> project = cachedProject(build.project);
    if (!project) // the log of a build from before this session: the path is the id
        project = gitlab::Project{0, build.project, {}};

    const qint64 pipelineId = gitlab::pipelineIdOf(build);
    const QString buildId = build.id;
    const bool pipelineFinished = !build.building;
    auto promise = futures::makePromise<Result<LogChunk>>();
    QFuture<Result<LogChunk>> future = promise->future();
    getPages(m_http->resolve(QStringLiteral("projects/%1/pipelines/%2/jobs?per_page=100")
                                 .arg(QString::fromLatin1(gitlab::encodedProjectId(project->path)),
                                      QString::number(pipelineId))),
             QStringLiteral("the jobs of %1")
                 .arg(build.fullDisplayName.isEmpty() ? build.id : build.fullDisplayName),
             JobsLimit)
        .then(
            this,
            [this, promise, project = *project, buildId, offset,
             pipelineFinished](Result<QJsonArray> answer) {
                if (!answer) {
                    futures::fulfil(promise, Result<LogChunk>(Error{answer.error()}));
                    return;
                }
                QList<QJsonObject> jobs;
                for (const QJsonValue &value : answer.value())
                    jobs.append(value.toObject());
                std::sort(jobs.begin(), jobs.end(), [](const QJsonObject &a, const QJsonObject &b) {
                    return jobId(a) < jobId(b);
                });

                auto done = futures::makePromise<Result<bool>>();
                done->future().then(
                    this,
                    [this, promise, buildId, offset, pipelineFinished,
                     jobs](Result<bool> advanced) {
                        if (!advanced) {
                            futures::fulfil(promise, Result<LogChunk>(Error{advanced.error()}));
                            return;
                        }
                        const Journal &journal = m_journals[buildId];
                        const bool allClosed = journal.openJob == 0
                            && std::all_of(jobs.cbegin(), jobs.cend(), [&](const QJsonObject &job) {
                                                   return journal.closedJobs.contains(jobId(job));
                                               });
                        const qint64 start = std::min<qint64>(offset, journal.text.size());
                        // Every job done is the pipeline done, whatever the caller knew.
                        const bool complete = allClosed && (pipelineFinished || !jobs.isEmpty());
                        futures::fulfil(promise,
                                        Result<LogChunk>(LogChunk{journal.text.mid(start), start,
                                                                  journal.text.size(), complete}));
                    });
                advanceJournal(buildId, project, jobs, done);
            });
    return future;
}

QFuture<ConnectionCheck> GitLabProvider::checkConnection()
{
    auto promise = futures::makePromise<ConnectionCheck>();
    QFuture<ConnectionCheck> future = promise->future();

    m_http->fetch(net::Request::get(apiUrl("version"), QStringLiteral("the GitLab version")))
        .then(this, [this, promise](net::Response response) {
            if (!response.ok()) {
                ConnectionCheck check = ConnectionCheck::fromFailure(response);
                if (response.status == 401)
                    check.hint = m_settings.privateToken.isEmpty()
                        ? QStringLiteral("set privateToken: GitLab answers /version only with "
                                         "a token")
                        : QStringLiteral("check privateToken: a personal access token with "
                                         "read_api that has not expired");
                futures::fulfil(promise, check);
                return;
            }
            Result<QJsonDocument> document = net::parseJson(response, m_settings.name);
            if (!document) {
                futures::fulfil(promise,
                                ConnectionCheck::failed(
                                    document.error(),
                                    QStringLiteral("the address should be the GitLab root URL")));
                return;
            }
            const QString version = document->object().value(QLatin1String("version")).toString();
            const QString summary
                = QStringLiteral("GitLab %1 at %2")
                      .arg(version.isEmpty() ? QStringLiteral("(unknown version)") : version,
                           net::displayUrl(m_settings.address));

            m_http->fetch(net::Request::get(apiUrl("user"), QStringLiteral("the token's user")))
                .then(this, [this, promise, summary](net::Response user) {
                    QString line = summary;
                    if (user.ok()) {
                        const QString name = QJsonDocument::fromJson(user.body)
                                                 .object()
                                                 .value(QLatin1String("username"))
                                                 .toString();
                        if (!name.isEmpty())
                            line += QStringLiteral(", authenticated as %1").arg(name);
                    } else if (!m_settings.privateToken.isEmpty()) {
                        futures::fulfil(promise, ConnectionCheck::fromFailure(user));
                        return;
                    }
                    projects(true).then(
                        this, [promise, line](Result<QList<gitlab::Project>> listed) {
                            if (!listed) {
                                futures::fulfil(
                                    promise,
                                    ConnectionCheck::failed(
                                        line + QStringLiteral("; ") + listed.error(),
                                        QStringLiteral(
                                            "check the project paths and the token's scopes "
                                            "(read_api)")));
                                return;
                            }
                            if (listed->isEmpty()) {
                                futures::fulfil(
                                    promise,
                                    ConnectionCheck::warning(
                                        line + QStringLiteral(", but no projects"),
                                        QStringLiteral(
                                            "list projects: or make the token's user a member")));
                                return;
                            }
                            futures::fulfil(
                                promise,
                                ConnectionCheck::ok(
                                    line + QStringLiteral(", %1 projects").arg(listed->size())));
                        });
                });
        });
    return future;
}

} // namespace cic
