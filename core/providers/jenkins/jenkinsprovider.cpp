// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/providers/jenkins/jenkinsprovider.h"

#include "core/net/httperrors.h"
#include "core/providers/futures.h"

#include <QJsonArray>
#include <QLoggingCategory>
#include <QUrlQuery>

namespace cic {

namespace {
Q_LOGGING_CATEGORY(lcJenkins, "cicompanion.core.providers.jenkins")

constexpr int JobCacheSeconds = 30;
constexpr int NewestBuildsLimit = 100; // Jenkins' `builds` holds only the 100 newest

QUrl withTree(QUrl url, const QString &tree)
{
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("tree"), tree);
    url.setQuery(query);
    return url;
}

QUrl apiJson(const QUrl &objectUrl)
{
    return net::appendPathSegments(objectUrl, {QStringLiteral("api"), QStringLiteral("json")});
}

bool matchesFilter(const jenkins::Job &job, const QStringList &filters)
{
    if (filters.isEmpty())
        return true;
    const QString name = job.fullName();
    return std::any_of(filters.cbegin(), filters.cend(), [&](const QString &filter) {
        return name == filter || name.startsWith(filter + QLatin1Char('/'));
    });
}

} // namespace

JenkinsSettings JenkinsSettings::fromConfig(const config::JenkinsMaster &master,
                                            const QString &token, const QString &password,
                                            const scm::ScmHosts &scmHosts)
{
    JenkinsSettings settings;
    settings.name = master.name;
    settings.address = master.address;
    settings.username = master.username;
    settings.token = token;
    settings.password = password;
    settings.csrf = master.csrf;
    settings.jobs = master.jobs;
    settings.connection = master.connection;
    settings.scmHosts = scmHosts;
    return settings;
}

JenkinsProvider::JenkinsProvider(JenkinsSettings settings, QObject *parent)
    : CiBuildService(parent)
    , m_settings(std::move(settings))
{
    net::ClientSettings client = net::ClientSettings::forSource(m_settings.name, m_settings.address,
                                                                m_settings.connection);
    const QString secret = m_settings.token.isEmpty() ? m_settings.password : m_settings.token;
    if (!m_settings.username.isEmpty())
        client.auth = net::Auth::basic(m_settings.username, secret);
    m_http = new net::HttpClient(client, this);
}

JenkinsProvider::~JenkinsProvider() = default;

jenkins::Context JenkinsProvider::context() const
{
    return {m_settings.name, m_settings.address, m_settings.scmHosts};
}

std::optional<jenkins::Job> JenkinsProvider::cachedJob(const QString &fullName) const
{
    for (const jenkins::Job &job : m_jobs) {
        if (job.fullName() == fullName)
            return job;
    }
    return std::nullopt;
}

QFuture<Result<jenkins::JobTree>> JenkinsProvider::listJobsUnder(const QStringList &path)
{
    const QString tree = QStringLiteral("name,_class,color,lastBuild[number],actions[objectUrl],")
        + jenkins::jobTreeQuery(m_settings.jobTreeDepth);
    const QUrl url = withTree(apiJson(jenkins::jobUrl(m_settings.address, path)), tree);
    const QString what = path.isEmpty()
        ? QStringLiteral("the job list")
        : QStringLiteral("the jobs in %1").arg(path.join(QLatin1Char('/')));

    return m_http->getJson(net::Request::get(url, what))
        .then(this, [path](Result<net::JsonResponse> answer) -> Result<jenkins::JobTree> {
            if (!answer)
                return Error{answer.error()};

            const QJsonObject object = answer->document.object();
            const QString className = object.value(QLatin1String("_class")).toString();
            const QJsonValue children = object.value(QLatin1String("jobs"));
            if (children.isArray() || path.isEmpty())
                return jenkins::parseJobTree(children.toArray(), path,
                                             className.contains(QLatin1String("MultiBranch")));

            // The filter named a job, not a folder: the answer describes that job itself.
            QJsonObject self = object;
            self.insert(QStringLiteral("name"), path.last());
            jenkins::JobTree tree
                = jenkins::parseJobTree(QJsonArray{self}, path.mid(0, path.size() - 1), false);
            return tree;
        });
}

QFuture<Result<QList<jenkins::Job>>> JenkinsProvider::expandFolders(jenkins::JobTree tree)
{
    if (tree.unexpandedFolders.isEmpty())
        return futures::ready(tree.jobs);

    QList<QFuture<Result<jenkins::JobTree>>> requests;
    for (const QStringList &folder : std::as_const(tree.unexpandedFolders))
        requests.append(listJobsUnder(folder));

    auto promise = futures::makePromise<Result<QList<jenkins::Job>>>();
    QFuture<Result<QList<jenkins::Job>>> future = promise->future();
    futures::collect(this, requests)
        .then(this, [this, promise, jobs = tree.jobs](QList<Result<jenkins::JobTree>> answers) {
            jenkins::JobTree merged;
            merged.jobs = jobs;
            for (const Result<jenkins::JobTree> &answer : answers) {
                if (!answer) {
                    // One folder we may not read does not hide the rest of the master.
                    qCWarning(lcJenkins, "%s", qUtf8Printable(answer.error()));
                    continue;
                }
                merged.jobs += answer->jobs;
                merged.unexpandedFolders += answer->unexpandedFolders;
            }
            expandFolders(merged).then(this, [promise](Result<QList<jenkins::Job>> all) {
                futures::fulfil(promise, std::move(all));
            });
        });
    return future;
}

QFuture<Result<QList<jenkins::Job>>> JenkinsProvider::jobs(bool refresh)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (!refresh && m_jobsFetched.isValid() && m_jobsFetched.secsTo(now) < JobCacheSeconds)
        return futures::ready(m_jobs);

    QList<QStringList> roots;
    for (const QString &filter : std::as_const(m_settings.jobs))
        roots.append(filter.split(QLatin1Char('/'), Qt::SkipEmptyParts));
    if (roots.isEmpty())
        roots.append(QStringList());

    QList<QFuture<Result<jenkins::JobTree>>> requests;
    for (const QStringList &root : std::as_const(roots))
        requests.append(listJobsUnder(root));

    auto promise = futures::makePromise<Result<QList<jenkins::Job>>>();
    QFuture<Result<QList<jenkins::Job>>> future = promise->future();
    futures::collect(this, requests)
        .then(this, [this, promise](QList<Result<jenkins::JobTree>> answers) {
            jenkins::JobTree merged;
            for (const Result<jenkins::JobTree> &answer : answers) {
                if (!answer) {
                    futures::fulfil(promise, Result<QList<jenkins::Job>>(Error{answer.error()}));
                    return;
                }
                merged.jobs += answer->jobs;
                merged.unexpandedFolders += answer->unexpandedFolders;
            }
            expandFolders(merged).then(this, [this, promise](Result<QList<jenkins::Job>> all) {
                if (all) {
                    QList<jenkins::Job> kept;
                    for (const jenkins::Job &job : all.value()) {
                        if (matchesFilter(job, m_settings.jobs))
                            kept.append(job);
                    }
                    m_jobs = kept;
                    m_jobsFetched = QDateTime::currentDateTimeUtc();
                    qCDebug(lcJenkins, "%s: %lld jobs", qUtf8Printable(m_settings.name),
                            qlonglong(kept.size()));
                    all = kept;
                }
                futures::fulfil(promise, std::move(all));
            });
        });
    return future;
}

QFuture<Result<QList<SourceProject>>> JenkinsProvider::listProjects()
{
    return jobs(true).then(
        this, [this](Result<QList<jenkins::Job>> answer) -> Result<QList<SourceProject>> {
            if (!answer)
                return Error{answer.error()};
            QList<SourceProject> projects;
            for (const jenkins::Job &job : answer.value()) {
                projects.append(
                    {job.fullName(), job.displayName(),
                     jenkins::jobUrl(m_settings.address, job.path).toString(QUrl::FullyEncoded)});
            }
            return projects;
        });
}

QFuture<Result<BuildList>> JenkinsProvider::fetchBuilds(const jenkins::Job &job, int from, int to)
{
    const QString property
        = to <= NewestBuildsLimit ? QStringLiteral("builds") : QStringLiteral("allBuilds");
    const QString tree
        = QStringLiteral("%1[%2]{%3,%4}").arg(property, jenkins::buildFields()).arg(from).arg(to);
    const QUrl url = withTree(apiJson(jenkins::jobUrl(m_settings.address, job.path)), tree);
    const QString what = QStringLiteral("the builds of %1").arg(job.fullName());

    return m_http->getJson(net::Request::get(url, what))
        .then(this, [this, job, property](Result<net::JsonResponse> answer) -> Result<BuildList> {
            if (!answer)
                return Error{answer.error()};
            BuildList builds;
            const jenkins::Context mapping = context();
            const QJsonArray list = answer->document.object().value(property).toArray();
            for (const QJsonValue &value : list)
                builds.append(std::make_shared<const Build>(
                    jenkins::mapBuild(value.toObject(), job, mapping)));
            return builds;
        });
}

QFuture<Result<BuildPtr>> JenkinsProvider::fetchBuild(const jenkins::Job &job, qint32 number)
{
    const QUrl url = withTree(apiJson(jenkins::buildUrl(m_settings.address, job.path, number)),
                              jenkins::buildFields());
    net::Request request
        = net::Request::get(url, QStringLiteral("build #%1 of %2").arg(number).arg(job.fullName()));
    request.acceptedStatuses = {404};

    return m_http->send(request).then(
        this, [this, job](Result<net::Response> answer) -> Result<BuildPtr> {
            if (!answer)
                return Error{answer.error()};
            if (answer->status == 404)
                return BuildPtr();
            Result<QJsonDocument> document = net::parseJson(answer.value(), m_settings.name);
            if (!document)
                return Error{document.error()};
            return std::make_shared<const Build>(
                jenkins::mapBuild(document->object(), job, context()));
        });
}

QFuture<Result<BuildList>> JenkinsProvider::attachFailedTests(BuildList builds)
{
    QList<QFuture<Result<BuildList>>> reports;
    BuildList unchanged;
    for (const BuildPtr &build : std::as_const(builds)) {
        const int failures
            = build->testResults.isEmpty() ? 0 : build->testResults.first().failCount;
        const auto cached = m_failedTests.constFind(build->id);
        if (cached != m_failedTests.cend()) {
            Build copy = *build;
            copy.failedTests = *cached;
            unchanged.append(std::make_shared<const Build>(std::move(copy)));
            continue;
        }
        // Only finished builds with a few failures: their report is small and never changes.
        if (build->building || failures <= 0 || failures > m_settings.failedTestsLimit) {
            unchanged.append(build);
            continue;
        }

        const QUrl reportUrl = withTree(
            QUrl(build->url
                 + (build->url.endsWith(QLatin1Char('/')) ? QString() : QStringLiteral("/"))
                 + QStringLiteral("testReport/api/json")),
            QStringLiteral("suites[name,cases[className,name,status,errorDetails]],"
                           "childReports[result[suites[name,cases[className,name,status,"
                           "errorDetails]]]]"));
        net::Request request = net::Request::get(
            QUrl::fromEncoded(reportUrl.toEncoded()),
            QStringLiteral("the test report of %1").arg(build->fullDisplayName));
        request.acceptedStatuses = {404};
        reports.append(m_http->getJson(request).then(
            this, [this, build](Result<net::JsonResponse> answer) -> Result<BuildList> {
                Build copy = *build;
                if (answer && answer->response.status == 200) {
                    copy.failedTests = jenkins::failedTests(answer->document.object(),
                                                            m_settings.failedTestsLimit);
                    m_failedTests.insert(build->id, copy.failedTests);
                }
                // Without a report the build is still worth showing.
                return BuildList{std::make_shared<const Build>(std::move(copy))};
            }));
    }

    if (reports.isEmpty())
        return futures::ready(unchanged);
    return futures::collect(this, reports).then(this, [unchanged](QList<Result<BuildList>> done) {
        BuildList all = unchanged;
        for (const Result<BuildList> &one : done) {
            if (one)
                all += one.value();
        }
        sortNewestFirst(all);
        return Result<BuildList>(all);
    });
}

void JenkinsProvider::rememberRepositories(const BuildList &builds)
{
    for (const BuildPtr &build : builds) {
        if (!build->projectKey().isEmpty())
            m_jobRepository.insert(build->project, {build->projectKey(), build->repoSlug()});
    }
}

QFuture<Result<BuildList>> JenkinsProvider::fetchRecentBuilds(const QString &project)
{
    auto promise = futures::makePromise<Result<BuildList>>();
    QFuture<Result<BuildList>> future = promise->future();

    jobs().then(this, [this, promise, project](Result<QList<jenkins::Job>> listed) {
        if (!listed) {
            futures::fulfil(promise, Result<BuildList>(Error{listed.error()}));
            return;
        }

        QList<QFuture<Result<BuildList>>> requests;
        for (const jenkins::Job &job : listed.value()) {
            if (!project.isEmpty() && job.fullName() != project)
                continue;
            if (job.lastBuild <= 0)
                continue; // never built: nothing to ask for
            requests.append(fetchBuilds(job, 0, m_settings.recentBuilds));
        }
        if (!project.isEmpty() && requests.isEmpty() && !cachedJob(project)) {
            futures::fulfil(promise,
                            Result<BuildList>(Error{
                                QStringLiteral("%1: no job %2").arg(m_settings.name, project)}));
            return;
        }

        futures::collect(this, requests).then(this, [this, promise](QList<Result<BuildList>> all) {
            BuildList builds;
            QStringList errors;
            for (const Result<BuildList> &one : all) {
                if (one)
                    builds += one.value();
                else
                    errors.append(one.error());
            }
            // A job we may not read is reported; the others still count.
            for (const QString &error : std::as_const(errors))
                qCWarning(lcJenkins, "%s", qUtf8Printable(error));
            if (builds.isEmpty() && !errors.isEmpty()) {
                futures::fulfil(promise, Result<BuildList>(Error{errors.first()}));
                return;
            }
            rememberRepositories(builds);
            attachFailedTests(builds).then(this, [promise](Result<BuildList> withTests) {
                futures::fulfil(promise, std::move(withTests));
            });
        });
    });
    return future;
}

QFuture<Result<BuildList>> JenkinsProvider::scanJobs(const QList<jenkins::Job> &candidates,
                                                     const BuildQuery &query)
{
    QList<QFuture<Result<BuildList>>> requests;
    for (const jenkins::Job &job : candidates) {
        if (query.buildNumber) {
            if (job.lastBuild < *query.buildNumber)
                continue;
            requests.append(fetchBuild(job, *query.buildNumber)
                                .then(this, [](Result<BuildPtr> one) -> Result<BuildList> {
                                    if (!one)
                                        return Error{one.error()};
                                    return one.value() ? BuildList{one.value()} : BuildList{};
                                }));
            continue;
        }

        // A commit search reads the newest builds, deeper when the query names the job.
        const int depth
            = query.project.isEmpty() ? m_settings.scanDepth : m_settings.projectScanDepth;
        for (int from = 0; from < depth; from += NewestBuildsLimit) {
            const int to = std::min(depth, from + NewestBuildsLimit);
            if (from > 0 && job.lastBuild <= from)
                break;
            requests.append(fetchBuilds(job, from, to));
        }
    }

    return futures::collect(this, requests)
        .then(this, [this, query](QList<Result<BuildList>> all) -> Result<BuildList> {
            BuildList matches;
            QString firstError;
            bool anyAnswer = false;
            for (const Result<BuildList> &one : all) {
                if (!one) {
                    if (firstError.isEmpty())
                        firstError = one.error();
                    continue;
                }
                anyAnswer = true;
                rememberRepositories(one.value());
                for (const BuildPtr &build : one.value()) {
                    if (query.matches(*build))
                        matches.append(build);
                }
            }
            if (!anyAnswer && !firstError.isEmpty())
                return Error{firstError};
            return matches;
        });
}

QFuture<Result<BuildList>> JenkinsProvider::findBuilds(const BuildQuery &query)
{
    if (!query.source.isEmpty() && query.source != m_settings.name)
        return futures::ready(BuildList());

    auto promise = futures::makePromise<Result<BuildList>>();
    QFuture<Result<BuildList>> future = promise->future();
    jobs().then(this, [this, promise, query](Result<QList<jenkins::Job>> listed) {
        if (!listed) {
            futures::fulfil(promise, Result<BuildList>(Error{listed.error()}));
            return;
        }

        QList<jenkins::Job> candidates;
        for (const jenkins::Job &job : listed.value()) {
            if (!query.project.isEmpty() && job.fullName() != query.project)
                continue;
            if (job.lastBuild <= 0)
                continue;
            // Jobs known to build another repository are skipped; unknown ones are read.
            const auto known = m_jobRepository.constFind(job.fullName());
            if (known != m_jobRepository.cend()
                && ((!query.projectKey.isEmpty()
                     && known->first.compare(query.projectKey, Qt::CaseInsensitive) != 0)
                    || (!query.repoSlug.isEmpty()
                        && known->second.compare(query.repoSlug, Qt::CaseInsensitive) != 0)))
                continue;
            candidates.append(job);
        }

        scanJobs(candidates, query).then(this, [this, promise](Result<BuildList> found) {
            if (!found) {
                futures::fulfil(promise, std::move(found));
                return;
            }
            attachFailedTests(found.value()).then(this, [promise](Result<BuildList> withTests) {
                futures::fulfil(promise, std::move(withTests));
            });
        });
    });
    return future;
}

QFuture<Result<LogChunk>> JenkinsProvider::fetchLog(const Build &build, qint64 offset)
{
    const QStringList path = build.project.split(QLatin1Char('/'));
    const QUrl base = jenkins::buildUrl(m_settings.address, path, build.number);
    const QString what = QStringLiteral("the log of %1").arg(build.fullDisplayName);

    // A finished build's whole log is one plain download; anything else goes through
    // progressiveText, which says where the next read starts and whether more will come.
    if (!build.building && offset == 0) {
        const QUrl url = net::appendPathSegments(base, {QStringLiteral("consoleText")});
        return m_http->send(net::Request::get(url, what))
            .then(this, [](Result<net::Response> answer) -> Result<LogChunk> {
                if (!answer)
                    return Error{answer.error()};
                const QByteArray text = jenkins::stripConsoleNotes(answer->body);
                return LogChunk{text, 0, answer->body.size(), true};
            });
    }

    QUrl url = net::appendPathSegments(
        base, {QStringLiteral("logText"), QStringLiteral("progressiveText")});
    url.setQuery(QStringLiteral("start=%1").arg(offset));
    return m_http->send(net::Request::get(url, what))
        .then(this, [offset](Result<net::Response> answer) -> Result<LogChunk> {
            if (!answer)
                return Error{answer.error()};

            bool ok = false;
            qint64 next = answer->header("x-text-size").trimmed().toLongLong(&ok);
            if (!ok)
                next = offset + answer->body.size();
            // The header is present, as "true", only while the build runs.
            const bool more
                = answer->header("x-more-data").trimmed().compare("true", Qt::CaseInsensitive) == 0;
            // A smaller size than asked for means the log restarted: the chunk starts at 0.
            const qint64 start = next < offset ? 0 : offset;
            return LogChunk{jenkins::stripConsoleNotes(answer->body), start, next, !more};
        });
}

QFuture<Result<std::optional<net::Header>>> JenkinsProvider::crumb(bool refresh)
{
    using Answer = Result<std::optional<net::Header>>;
    if (!usesPassword() && !m_settings.csrf)
        return futures::ready(std::optional<net::Header>()); // API tokens skip CSRF checks
    if (m_crumbKnown && !refresh)
        return futures::ready(m_crumb);

    const QUrl url
        = apiJson(net::appendPathSegments(m_settings.address, {QStringLiteral("crumbIssuer")}));
    net::Request request = net::Request::get(url, QStringLiteral("a CSRF crumb"));
    request.acceptedStatuses = {404};
    return m_http->send(request).then(this, [this](Result<net::Response> answer) -> Answer {
        if (!answer)
            return Error{answer.error()};
        m_crumbKnown = true;
        m_crumb.reset();
        if (answer->status == 404)
            return m_crumb; // the crumb issuer is off: no CSRF protection

        Result<QJsonDocument> document = net::parseJson(answer.value(), m_settings.name);
        if (!document)
            return Error{document.error()};
        const QJsonObject object = document->object();
        const QString field = object.value(QLatin1String("crumbRequestField")).toString();
        const QString value = object.value(QLatin1String("crumb")).toString();
        if (!field.isEmpty() && !value.isEmpty())
            m_crumb = net::Header{field.toUtf8(), value.toUtf8()};
        return m_crumb;
    });
}

void JenkinsProvider::postWithCrumb(const QUrl &url, bool retried,
                                    std::shared_ptr<QPromise<Result<net::Response>>> promise)
{
    crumb(retried).then(
        this, [this, url, retried, promise](Result<std::optional<net::Header>> header) {
            if (!header) {
                futures::fulfil(promise, Result<net::Response>(Error{header.error()}));
                return;
            }

            net::Request request = net::Request::get(url, QStringLiteral("starting a build"));
            request.method = "POST";
            request.acceptedStatuses = {403};
            if (header.value())
                request.headers.append(*header.value());
            m_http->send(request).then(
                this, [this, url, retried, promise](Result<net::Response> answer) {
                    if (answer && answer->status == 403) {
                        // The crumb belongs to a session; an expired session wants a new crumb,
                        // once.
                        if (!retried && answer->body.contains("No valid crumb")) {
                            qCInfo(lcJenkins, "%s: crumb rejected; fetching a new one",
                                   qUtf8Printable(m_settings.name));
                            postWithCrumb(url, true, promise);
                            return;
                        }
                        futures::fulfil(
                            promise,
                            Result<net::Response>(
                                Error{m_settings.name + QStringLiteral(": ")
                                      + net::describeStatus(403, answer.value(),
                                                            QStringLiteral("starting a build"))}));
                        return;
                    }
                    futures::fulfil(promise, std::move(answer));
                });
        });
}

QFuture<Result<QUrl>> JenkinsProvider::triggerBuild(const QString &project)
{
    const QUrl url = net::appendPathSegments(
        jenkins::jobUrl(m_settings.address, project.split(QLatin1Char('/'))),
        {QStringLiteral("build")});
    auto promise = futures::makePromise<Result<net::Response>>();
    QFuture<Result<net::Response>> future = promise->future();
    postWithCrumb(url, false, promise);
    return future.then(this, [this](Result<net::Response> answer) -> Result<QUrl> {
        if (!answer)
            return Error{answer.error()};
        const QByteArray location = answer->header("location");
        return location.isEmpty()
            ? QUrl()
            : jenkins::rebaseUrl(m_settings.address, QString::fromUtf8(location));
    });
}

QFuture<ConnectionCheck> JenkinsProvider::checkConnection()
{
    auto promise = futures::makePromise<ConnectionCheck>();
    QFuture<ConnectionCheck> future = promise->future();

    const QUrl root
        = withTree(apiJson(m_settings.address), QStringLiteral("mode,useCrumbs,jobs[name]"));
    m_http->fetch(net::Request::get(root, QStringLiteral("the Jenkins root")))
        .then(this, [this, promise](net::Response response) {
            if (!response.ok()) {
                futures::fulfil(promise, ConnectionCheck::fromFailure(response));
                return;
            }
            const QString version = QString::fromUtf8(response.header("x-jenkins"));
            Result<QJsonDocument> document = net::parseJson(response, m_settings.name);
            if (!document) {
                futures::fulfil(promise,
                                ConnectionCheck::failed(
                                    document.error(),
                                    QStringLiteral("the address should be the Jenkins root URL")));
                return;
            }
            if (version.isEmpty()) {
                futures::fulfil(promise,
                                ConnectionCheck::warning(
                                    QStringLiteral("%1 answers JSON but sends no X-Jenkins header")
                                        .arg(net::displayUrl(m_settings.address)),
                                    QStringLiteral("is the address the Jenkins root URL?")));
                return;
            }

            const int jobs = int(document->object().value(QLatin1String("jobs")).toArray().size());
            QString summary
                = QStringLiteral("Jenkins %1 at %2, %3 top-level jobs")
                      .arg(version, net::displayUrl(m_settings.address), QString::number(jobs));
            const QUrl whoAmI
                = apiJson(net::appendPathSegments(m_settings.address, {QStringLiteral("whoAmI")}));
            net::Request request = net::Request::get(whoAmI, QStringLiteral("whoAmI"));
            request.acceptedStatuses = {404};
            m_http->fetch(request).then(this, [this, promise, summary](net::Response who) mutable {
                const QJsonObject me = QJsonDocument::fromJson(who.body).object();
                const QString user = me.value(QLatin1String("name")).toString();
                const bool anonymous = me.value(QLatin1String("anonymous")).toBool()
                    || user == QLatin1String("anonymous");
                if (!m_settings.username.isEmpty() && anonymous) {
                    futures::fulfil(
                        promise,
                        ConnectionCheck::failed(
                            summary
                                + QStringLiteral(", but the credentials were not used (anonymous)"),
                            QStringLiteral("check username and token")));
                    return;
                }
                if (anonymous)
                    summary += QStringLiteral(", anonymous access");
                else if (!user.isEmpty())
                    summary += QStringLiteral(", authenticated as %1").arg(user);

                if (!usesPassword() && !m_settings.csrf) {
                    if (!m_settings.token.isEmpty())
                        summary += QStringLiteral("; API token, no crumb needed");
                    futures::fulfil(promise, ConnectionCheck::ok(summary));
                    return;
                }
                crumb(true).then(
                    this, [promise, summary](Result<std::optional<net::Header>> header) {
                        if (!header) {
                            futures::fulfil(
                                promise,
                                ConnectionCheck::failed(
                                    summary + QStringLiteral("; the CSRF crumb failed: ")
                                        + header.error(),
                                    QStringLiteral(
                                        "use an API token (token:) instead of a password")));
                            return;
                        }
                        futures::fulfil(
                            promise,
                            ConnectionCheck::ok(
                                summary
                                + (header.value()
                                       ? QStringLiteral("; CSRF crumb issued")
                                       : QStringLiteral("; no crumb issuer (CSRF off)"))));
                    });
            });
        });
    return future;
}

} // namespace cic
