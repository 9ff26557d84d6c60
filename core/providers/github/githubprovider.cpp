// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/providers/github/githubprovider.h"

#include "core/providers/buildids.h"

#include "core/net/httperrors.h"
#include "core/providers/futures.h"

#include <QJsonArray>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QUrlQuery>

namespace cic {

namespace {
Q_LOGGING_CATEGORY(lcGitHub, "cicompanion.core.providers.github")

constexpr qsizetype MaxCachedAnswers = 4000;

QByteArray headerOf(const QList<net::Header> &headers, QByteArrayView name)
{
    for (const net::Header &header : headers) {
        if (header.first.compare(name, Qt::CaseInsensitive) == 0)
            return header.second;
    }
    return {};
}

bool isFullSha(const QString &text)
{
    static const QRegularExpression sha(QStringLiteral("^[0-9a-fA-F]{40}$"));
    return sha.match(text).hasMatch();
}

QUrl withQuery(QUrl url, const QList<std::pair<QString, QString>> &items)
{
    QByteArray query = url.query(QUrl::FullyEncoded).toUtf8();
    for (const auto &[key, value] : items) {
        if (!query.isEmpty())
            query += '&';
        query += QUrl::toPercentEncoding(key) + '=' + QUrl::toPercentEncoding(value);
    }
    url.setQuery(QString::fromLatin1(query), QUrl::StrictMode);
    return url;
}

} // namespace

// One fetchLog() on its way.
struct GitHubActionsProvider::LogRead
{
    std::shared_ptr<QPromise<Result<LogChunk>>> promise;
    github::Repository repository;
    qint64 runId = 0;
    qint64 offset = 0;
    bool sliced = false; // the offset did not continue a cursor: read all, answer from offset
    bool runCompleted = false;
    QString runConclusion;
    QList<github::Job> jobs;
    LogCursor cursor;
    QByteArray text;
};

// One listing through the Link header's next pages.
struct GitHubActionsProvider::RunListing
{
    std::shared_ptr<QPromise<Result<QList<QJsonObject>>>> promise;
    QLatin1String key;
    int maxItems = 0;
    QString what;
    QList<QJsonObject> items;
};

GitHubActionsSettings GitHubActionsSettings::fromConfig(const config::GitHubActionsMaster &master,
                                                        const QString &token)
{
    GitHubActionsSettings settings;
    settings.name = master.name;
    settings.baseUrl = master.baseUrl;
    settings.repositories = master.repositories;
    settings.token = token;
    settings.connection = master.connection;
    return settings;
}

GitHubActionsProvider::GitHubActionsProvider(GitHubActionsSettings settings, QObject *parent)
    : CiBuildService(parent)
    , m_settings(std::move(settings))
{
    m_settings.pageSize = std::clamp(m_settings.pageSize, 1, 100);
    for (const QString &name : std::as_const(m_settings.repositories)) {
        if (const auto repository = github::Repository::parse(name))
            m_repositories.append(*repository);
        else
            qCWarning(lcGitHub, "%s: '%s' is not owner/name; left out",
                      qUtf8Printable(m_settings.name), qUtf8Printable(name));
    }
    m_webBase = github::webBaseFor(m_settings.baseUrl);

    net::ClientSettings client = net::ClientSettings::forSource(m_settings.name, m_settings.baseUrl,
                                                                m_settings.connection);
    client.defaultHeaders.append(net::Header("Accept", "application/vnd.github+json"));
    client.defaultHeaders.append(net::Header("X-GitHub-Api-Version", "2022-11-28"));
    if (!m_settings.token.isEmpty())
        client.auth = net::Auth::bearer(m_settings.token);
    m_http = new net::HttpClient(client, this);

    // The signed URLs of logs and artifacts carry their own authorisation; the token stays
    // with the API, also when a signed URL points back at the API's own host.
    m_signed = new net::HttpClient(
        net::ClientSettings::forSource(m_settings.name, m_settings.baseUrl, m_settings.connection),
        this);
}

GitHubActionsProvider::~GitHubActionsProvider() = default;

github::Context GitHubActionsProvider::context() const
{
    return {m_settings.name, m_webBase, QDateTime::currentDateTimeUtc()};
}

QUrl GitHubActionsProvider::repoUrl(const github::Repository &repository, const QString &tail) const
{
    const QUrl repo = net::appendPathSegments(
        m_settings.baseUrl, {QStringLiteral("repos"), repository.owner, repository.name});
    return net::appendEncodedPath(repo, tail.toUtf8());
}

QList<github::Repository> GitHubActionsProvider::repositoriesFor(const QString &projectKey,
                                                                 const QString &repoSlug) const
{
    QList<github::Repository> list;
    for (const github::Repository &repository : m_repositories) {
        if (!projectKey.isEmpty() && repository.owner.compare(projectKey, Qt::CaseInsensitive))
            continue;
        if (!repoSlug.isEmpty() && repository.name.compare(repoSlug, Qt::CaseInsensitive))
            continue;
        list.append(repository);
    }
    return list;
}

QFuture<Result<GitHubActionsProvider::JsonPage>> GitHubActionsProvider::getPage(const QUrl &url,
                                                                                const QString &what)
{
    const QString key = url.toString(QUrl::FullyEncoded);
    net::Request request = net::Request::get(url, what);
    request.acceptedStatuses = {304};
    if (const auto cached = m_answers.constFind(key); cached != m_answers.cend())
        request.headers.append(net::Header("If-None-Match", cached->etag));

    return m_http->send(request).then(
        this, [this, key](Result<net::Response> answer) -> Result<JsonPage> {
            if (!answer)
                return Error{answer.error()};
            const net::Response &response = answer.value();

            if (response.status == 304) {
                const auto cached = m_answers.constFind(key);
                if (cached == m_answers.cend())
                    return Error{QStringLiteral("%1: %2 answered 304 Not Modified to a request "
                                                "that was not conditional")
                                     .arg(m_settings.name, net::displayUrl(response.url))};
                return JsonPage{cached->document,
                                github::nextPageUrl(headerOf(cached->headers, "link"))};
            }

            Result<QJsonDocument> document = net::parseJson(response, m_settings.name);
            if (!document)
                return Error{document.error()};
            const QByteArray etag = response.header("etag");
            if (!etag.isEmpty()) {
                if (m_answers.size() >= MaxCachedAnswers)
                    m_answers.clear();
                m_answers.insert(key, {etag, document.value(), response.headers});
            }
            return JsonPage{document.value(), github::nextPageUrl(response.header("link"))};
        });
}

QFuture<Result<QList<QJsonObject>>>
GitHubActionsProvider::getAll(const QUrl &url, QLatin1String key, int maxItems, const QString &what)
{
    auto listing = std::make_shared<RunListing>();
    listing->promise = futures::makePromise<Result<QList<QJsonObject>>>();
    listing->key = key;
    listing->maxItems = maxItems;
    listing->what = what;
    QFuture<Result<QList<QJsonObject>>> future = listing->promise->future();
    nextPage(listing, url);
    return future;
}

void GitHubActionsProvider::nextPage(const std::shared_ptr<RunListing> &listing, const QUrl &url)
{
    getPage(url, listing->what).then(this, [this, listing](Result<JsonPage> page) {
        if (!page) {
            futures::fulfil(listing->promise, Result<QList<QJsonObject>>(Error{page.error()}));
            return;
        }
        const QJsonArray items = page->document.object().value(listing->key).toArray();
        for (const QJsonValue &item : items) {
            if (listing->maxItems > 0 && listing->items.size() >= listing->maxItems)
                break;
            listing->items.append(item.toObject());
        }
        const bool enough = listing->maxItems > 0 && listing->items.size() >= listing->maxItems;
        if (enough || page->next.isEmpty() || items.isEmpty()) {
            futures::fulfil(listing->promise, Result<QList<QJsonObject>>(listing->items));
            return;
        }
        nextPage(listing, page->next);
    });
}

QFuture<Result<QList<SourceProject>>> GitHubActionsProvider::listProjects()
{
    QList<SourceProject> projects;
    for (const github::Repository &repository : std::as_const(m_repositories))
        projects.append({repository.fullName(), repository.fullName(),
                         QStringLiteral("%1/%2/actions").arg(m_webBase, repository.fullName())});
    return futures::ready(projects);
}

QFuture<Result<BuildList>> GitHubActionsProvider::fetchRuns(const github::Repository &repository,
                                                            const GitHubRunFilter &filter)
{
    QList<std::pair<QString, QString>> query;
    if (!filter.headSha.isEmpty())
        query.append({QStringLiteral("head_sha"), filter.headSha});
    if (!filter.branch.isEmpty())
        query.append({QStringLiteral("branch"), filter.branch});
    const int perPage = std::min(m_settings.pageSize, std::max(1, filter.maxRuns));
    query.append({QStringLiteral("per_page"), QString::number(perPage)});
    const QUrl url = withQuery(repoUrl(repository, QStringLiteral("actions/runs")), query);

    return getAll(url, QLatin1String("workflow_runs"), filter.maxRuns,
                  QStringLiteral("the workflow runs of %1").arg(repository.fullName()))
        .then(this, [this, repository](Result<QList<QJsonObject>> runs) -> Result<BuildList> {
            if (!runs)
                return Error{runs.error()};
            const github::Context now = context();
            BuildList builds;
            for (const QJsonObject &run : runs.value())
                builds.append(std::make_shared<const Build>(github::mapRun(run, repository, now)));
            return builds;
        });
}

QFuture<Result<QList<github::Job>>>
GitHubActionsProvider::fetchJobs(const github::Repository &repository, qint64 runId)
{
    const QUrl url
        = withQuery(repoUrl(repository, QStringLiteral("actions/runs/%1/jobs").arg(runId)),
                    {{QStringLiteral("per_page"), QStringLiteral("100")}});
    return getAll(url, QLatin1String("jobs"), 0, QStringLiteral("the jobs of run %1").arg(runId))
        .then(this, [](Result<QList<QJsonObject>> jobs) -> Result<QList<github::Job>> {
            if (!jobs)
                return Error{jobs.error()};
            QList<github::Job> list;
            for (const QJsonObject &job : jobs.value())
                list.append(github::parseJob(job));
            return list;
        });
}

QFuture<Result<QList<BuildArtifact>>>
GitHubActionsProvider::fetchArtifacts(const github::Repository &repository, qint64 runId)
{
    const QUrl url
        = withQuery(repoUrl(repository, QStringLiteral("actions/runs/%1/artifacts").arg(runId)),
                    {{QStringLiteral("per_page"), QStringLiteral("100")}});
    return getAll(url, QLatin1String("artifacts"), 0,
                  QStringLiteral("the artifacts of run %1").arg(runId))
        .then(this, [](Result<QList<QJsonObject>> artifacts) -> Result<QList<BuildArtifact>> {
            if (!artifacts)
                return Error{artifacts.error()};
            QList<BuildArtifact> list;
            for (const QJsonObject &artifact : artifacts.value())
                list.append(github::mapArtifact(artifact));
            return list;
        });
}

QFuture<Result<BuildList>>
GitHubActionsProvider::withArtifacts(const github::Repository &repository, BuildList builds)
{
    if (!m_settings.fetchArtifacts)
        return futures::ready(builds);

    // Artifacts of a completed run no longer change; a running run's are asked for once done.
    QList<qint64> missing;
    for (const BuildPtr &build : std::as_const(builds)) {
        const qint64 runId = github::runIdOf(build->id);
        if (build->properties.contains(QStringLiteral("completedAt"))
            && !m_artifacts.contains(runId))
            missing.append(runId);
    }

    QList<QFuture<Result<QList<BuildArtifact>>>> requests;
    for (qint64 runId : std::as_const(missing))
        requests.append(fetchArtifacts(repository, runId));

    return futures::collect(this, requests)
        .then(this, [this, builds, missing](QList<Result<QList<BuildArtifact>>> answers) {
            for (qsizetype i = 0; i < answers.size(); ++i) {
                if (answers.at(i))
                    m_artifacts.insert(missing.at(i), answers.at(i).value());
                else // the builds are right without them; they are asked for next time
                    qCInfo(lcGitHub, "%s", qUtf8Printable(answers.at(i).error()));
            }
            BuildList list;
            for (const BuildPtr &build : builds) {
                const auto artifacts = m_artifacts.constFind(github::runIdOf(build->id));
                if (artifacts == m_artifacts.cend() || artifacts->isEmpty()) {
                    list.append(build);
                    continue;
                }
                auto withList = std::make_shared<Build>(*build);
                withList->artifacts = *artifacts;
                list.append(withList);
            }
            return Result<BuildList>(list);
        });
}

QFuture<Result<BuildList>>
GitHubActionsProvider::scanRepositories(const QList<github::Repository> &repositories,
                                        const BuildQuery &query, int depth)
{
    // A whole commit id is a filter GitHub applies itself; a prefix needs a scan.
    GitHubRunFilter filter;
    filter.maxRuns = depth;
    if (isFullSha(query.commitPrefix))
        filter.headSha = query.commitPrefix.toLower();

    QList<QFuture<Result<BuildList>>> requests;
    for (const github::Repository &repository : repositories) {
        requests.append(fetchRuns(repository, filter)
                            .then(this,
                                  [this, repository, query](Result<BuildList> runs) {
                                      if (!runs)
                                          return futures::failed<BuildList>(runs.error());
                                      BuildList matching;
                                      for (const BuildPtr &build : runs.value()) {
                                          if (query.matches(*build))
                                              matching.append(build);
                                      }
                                      return withArtifacts(repository, matching);
                                  })
                            .unwrap());
    }
    return futures::collect(this, requests)
        .then(this, [](QList<Result<BuildList>> answers) -> Result<BuildList> {
            BuildList all;
            for (const Result<BuildList> &answer : answers) {
                if (!answer)
                    return Error{answer.error()};
                all += answer.value();
            }
            return all;
        });
}

QFuture<Result<BuildList>> GitHubActionsProvider::fetchRecentBuilds(const QString &project)
{
    QList<github::Repository> repositories;
    for (const github::Repository &repository : std::as_const(m_repositories)) {
        if (project.isEmpty() || repository.fullName() == project)
            repositories.append(repository);
    }
    return scanRepositories(repositories, BuildQuery(), m_settings.recentRuns);
}

QFuture<Result<BuildList>> GitHubActionsProvider::findBuilds(const BuildQuery &query)
{
    if (!query.source.isEmpty() && query.source != m_settings.name)
        return futures::ready(BuildList());

    QList<github::Repository> repositories;
    for (const github::Repository &repository : repositoriesFor(query.projectKey, query.repoSlug)) {
        if (query.project.isEmpty() || repository.fullName() == query.project)
            repositories.append(repository);
    }
    const bool deep = !query.commitPrefix.isEmpty() || query.buildNumber.has_value();
    return scanRepositories(repositories, query,
                            deep ? m_settings.scanDepth : m_settings.recentRuns);
}

QFuture<Result<BuildPtr>> GitHubActionsProvider::fetchBuild(const QString &id)
{
    const std::optional<buildids::Parts> parts = buildids::parse(id, m_settings.name);
    const std::optional<github::Repository> repository
        = parts ? github::Repository::parse(parts->project) : std::nullopt;
    if (!repository)
        return futures::ready(BuildPtr());

    const qint64 runId = parts->number;
    return getPage(repoUrl(*repository, QStringLiteral("actions/runs/%1").arg(runId)),
                   QStringLiteral("run %1 of %2").arg(runId).arg(repository->fullName()))
        .then(this,
              [this, repository = *repository](Result<JsonPage> page) {
                  if (!page)
                      return futures::failed<BuildList>(page.error());
                  const BuildPtr build = std::make_shared<const Build>(
                      github::mapRun(page->document.object(), repository, context()));
                  return withArtifacts(repository, {build});
              })
        .unwrap()
        .then(this, [](Result<BuildList> builds) -> Result<BuildPtr> {
            if (!builds)
                return Error{builds.error()};
            return builds->isEmpty() ? BuildPtr() : builds->first();
        });
}

QFuture<Result<QByteArray>> GitHubActionsProvider::followSigned(const QUrl &url,
                                                                const QString &what,
                                                                const QString &goneMessage,
                                                                bool goneAsText)
{
    net::Request request = net::Request::get(url, what);
    request.followRedirects = false;
    request.acceptedStatuses = {302, 303, 307, 404, 410};

    return m_http->send(request)
        .then(this,
              [this, url, what, goneMessage, goneAsText](Result<net::Response> answer) {
                  if (!answer)
                      return futures::failed<QByteArray>(answer.error());
                  const int status = answer->status;
                  if ((status == 404 || status == 410) && goneAsText)
                      return futures::ready(
                          QStringLiteral("(%1; HTTP %2)\n").arg(goneMessage).arg(status).toUtf8());
                  if (status == 404 || status == 410)
                      return futures::failed<QByteArray>(QStringLiteral("%1: %2 (HTTP %3)")
                                                             .arg(m_settings.name, goneMessage)
                                                             .arg(status));
                  if (status >= 200 && status < 300)
                      return futures::ready(answer->body);

                  const QByteArray location = answer->header("location").trimmed();
                  if (location.isEmpty())
                      return futures::failed<QByteArray>(
                          QStringLiteral("%1: %2 answered %3 without saying where to")
                              .arg(m_settings.name, net::displayUrl(url))
                              .arg(status));
                  const QUrl target = url.resolved(QUrl::fromEncoded(location));
                  return m_signed->send(net::Request::get(target, what))
                      .then(this, [](Result<net::Response> download) -> Result<QByteArray> {
                          if (!download)
                              return Error{download.error()};
                          return download->body;
                      });
              })
        .unwrap();
}

QFuture<Result<QByteArray>> GitHubActionsProvider::fetchJobLog(const github::Repository &repository,
                                                               const github::Job &job)
{
    const QUrl url = repoUrl(repository, QStringLiteral("actions/jobs/%1/logs").arg(job.id));
    return followSigned(url, QStringLiteral("the log of job %1").arg(job.name),
                        QStringLiteral("GitHub has no log for job %1; logs are kept for a "
                                       "limited time")
                            .arg(job.name),
                        true);
}

QFuture<Result<QByteArray>> GitHubActionsProvider::downloadArtifact(const BuildArtifact &artifact)
{
    return followSigned(QUrl(artifact.url), QStringLiteral("the artifact %1").arg(artifact.name),
                        QStringLiteral("the artifact %1 has expired or was deleted; GitHub "
                                       "keeps artifacts for a limited time")
                            .arg(artifact.name),
                        false);
}

QFuture<Result<LogChunk>> GitHubActionsProvider::fetchLog(const Build &build, qint64 offset)
{
    const std::optional<github::Repository> repository = github::Repository::parse(build.project);
    const qint64 runId = github::runIdOf(build.id);
    if (build.source != m_settings.name || !repository || runId <= 0)
        return futures::failed<LogChunk>(QStringLiteral("%1: build %2 is not a run of this source")
                                             .arg(m_settings.name, build.id));

    auto read = std::make_shared<LogRead>();
    read->promise = futures::makePromise<Result<LogChunk>>();
    read->repository = *repository;
    read->runId = runId;
    read->offset = std::max<qint64>(0, offset);
    QFuture<Result<LogChunk>> future = read->promise->future();
    auto fail = [read](const QString &message) {
        futures::fulfil(read->promise, Result<LogChunk>(Error{message}));
    };

    // The run says whether more jobs may come; its jobs say which logs exist.
    const QUrl runUrl = repoUrl(*repository, QStringLiteral("actions/runs/%1").arg(runId));
    getPage(runUrl, QStringLiteral("run %1").arg(runId))
        .then(this,
              [this, read](Result<JsonPage> run) {
                  if (!run)
                      return futures::failed<QList<github::Job>>(run.error());
                  const QJsonObject object = run->document.object();
                  read->runCompleted = object.value(QLatin1String("status")).toString()
                      == QLatin1String("completed");
                  read->runConclusion = object.value(QLatin1String("conclusion")).toString();
                  return fetchJobs(read->repository, read->runId);
              })
        .unwrap()
        .then(this, [this, read, fail](Result<QList<github::Job>> jobs) {
            if (!jobs)
                return fail(jobs.error());
            read->jobs = jobs.value();

            const auto cursor = m_logCursors.constFind(read->runId);
            if (read->offset > 0 && cursor != m_logCursors.cend()
                && cursor->bytes == read->offset) {
                read->cursor = *cursor;
            } else {
                read->sliced = read->offset > 0;
            }

            QList<github::Job> ready;
            QList<QFuture<Result<QByteArray>>> requests;
            for (const github::Job &job : std::as_const(read->jobs)) {
                if (job.completed() && !read->cursor.jobsDone.contains(job.id)) {
                    ready.append(job);
                    requests.append(fetchJobLog(read->repository, job));
                }
            }
            futures::collect(this, requests)
                .then(this, [this, read, ready, fail](QList<Result<QByteArray>> logs) {
                    QHash<qint64, QByteArray> logOf;
                    for (qsizetype i = 0; i < logs.size(); ++i) {
                        if (!logs.at(i))
                            return fail(logs.at(i).error());
                        logOf.insert(ready.at(i).id, logs.at(i).value());
                    }

                    for (const github::Job &job : std::as_const(read->jobs)) {
                        const bool first = read->cursor.bytes == 0 && read->text.isEmpty();
                        if (logOf.contains(job.id)) {
                            QByteArray log = logOf.value(job.id);
                            if (!log.isEmpty() && !log.endsWith('\n'))
                                log += '\n';
                            read->text += github::jobOpening(job, first) + log;
                            read->cursor.jobsDone.append(job.id);
                        } else if (!job.completed()
                                   && !read->cursor.jobsAnnounced.contains(job.id)) {
                            read->text += github::jobPending(job, first);
                            read->cursor.jobsAnnounced.insert(job.id);
                        }
                    }
                    if (read->jobs.isEmpty() && read->runCompleted && read->cursor.bytes == 0)
                        read->text += QStringLiteral("=== the run has no jobs (%1) ===\n")
                                          .arg(read->runConclusion)
                                          .toUtf8();
                    finishLog(read);
                });
        });
    return future;
}

void GitHubActionsProvider::finishLog(const std::shared_ptr<LogRead> &read)
{
    LogCursor &cursor = read->cursor;
    const bool allDone
        = std::all_of(read->jobs.cbegin(), read->jobs.cend(),
                      [&](const github::Job &job) { return cursor.jobsDone.contains(job.id); });
    const qint64 start = cursor.bytes;
    cursor.bytes += read->text.size();
    cursor.complete = read->runCompleted && allDone;

    // Whichever read got further keeps its cursor; another read from that offset continues it.
    const auto stored = m_logCursors.constFind(read->runId);
    if (stored == m_logCursors.cend() || stored->bytes <= cursor.bytes)
        m_logCursors.insert(read->runId, cursor);

    LogChunk chunk;
    chunk.complete = cursor.complete;
    chunk.nextOffset = cursor.bytes;
    if (read->sliced) {
        chunk.offset = std::min<qint64>(read->offset, cursor.bytes);
        chunk.text = read->text.mid(chunk.offset);
    } else {
        chunk.offset = start;
        chunk.text = read->text;
    }
    futures::fulfil(read->promise, Result<LogChunk>(chunk));
}

QFuture<ConnectionCheck> GitHubActionsProvider::checkConnection()
{
    if (m_repositories.isEmpty())
        return QtFuture::makeReadyFuture(ConnectionCheck::failed(
            QStringLiteral("%1: no repositories configured").arg(m_settings.name),
            QStringLiteral("list owner/name entries under repositories")));

    QList<QFuture<net::Response>> requests;
    for (const github::Repository &repository : std::as_const(m_repositories))
        requests.append(m_http->fetch(net::Request::get(
            net::appendPathSegments(m_settings.baseUrl,
                                    {QStringLiteral("repos"), repository.owner, repository.name}),
            QStringLiteral("the repository %1").arg(repository.fullName()))));

    return QtFuture::whenAll(requests.begin(), requests.end())
        .then(this, [this](const QList<QFuture<net::Response>> &answers) {
            int remaining = -1;
            for (const QFuture<net::Response> &future : answers) {
                const net::Response response = future.result();
                if (!response.ok()) {
                    ConnectionCheck check = ConnectionCheck::fromFailure(response);
                    if (response.status == 404)
                        check.hint = QStringLiteral("check the owner/name, and that the token "
                                                    "may read the repository (a private one "
                                                    "answers 404 without access)");
                    return check;
                }
                bool ok = false;
                const int left = response.header("x-ratelimit-remaining").toInt(&ok);
                if (ok)
                    remaining = left;
            }

            const qsizetype count = m_repositories.size();
            QString summary = QStringLiteral("GitHub at %1, %2 %3")
                                  .arg(net::displayUrl(m_settings.baseUrl))
                                  .arg(count)
                                  .arg(count == 1 ? QStringLiteral("repository")
                                                  : QStringLiteral("repositories"));
            if (remaining >= 0)
                summary += QStringLiteral(", %1 requests left this hour").arg(remaining);
            if (m_settings.token.isEmpty())
                return ConnectionCheck::warning(
                    summary,
                    QStringLiteral("without a token GitHub allows 60 requests an "
                                   "hour; set token"));
            return ConnectionCheck::ok(summary);
        });
}

} // namespace cic
