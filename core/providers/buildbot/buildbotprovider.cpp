// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/providers/buildbot/buildbotprovider.h"

#include "core/net/httperrors.h"
#include "core/providers/futures.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkCookie>
#include <QNetworkCookieJar>

namespace cic {

namespace {
Q_LOGGING_CATEGORY(lcBuildbot, "cicompanion.core.providers.buildbot")

constexpr int FilterBatch = 50; // ids per `field=a&field=b...` request
const QLatin1String SessionCookie("TWISTED_SESSION");

QString api(const QString &path)
{
    return QStringLiteral("api/v2/") + path;
}

QString segment(const QString &text)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(text));
}

template<typename T> QList<QList<T>> batches(const QList<T> &items)
{
    QList<QList<T>> list;
    for (qsizetype i = 0; i < items.size(); i += FilterBatch)
        list.append(items.mid(i, FilterBatch));
    return list;
}

} // namespace

// One fetchLog() on its way: the build it reads, the cursor it advances, the text it adds.
struct BuildbotProvider::LogRead
{
    std::shared_ptr<QPromise<Result<LogChunk>>> promise;
    QString builder;
    qint32 number = 0;
    qint64 offset = 0; // as asked
    bool sliced = false; // the offset did not continue a cursor: read all, answer from offset

    int buildId = 0;
    bool buildComplete = false;
    QList<QJsonObject> steps;
    LogCursor cursor;
    QByteArray text; // added by this read
};

// One paged listing: `limit`/`offset` until a short page, never trusting meta.total (it counts
// the page, not the collection, once limit and offset are given).
struct BuildbotProvider::Paging
{
    std::shared_ptr<QPromise<Result<QList<QJsonObject>>>> promise;
    QString path;
    QUrlQuery query;
    QLatin1String plural;
    int offset = 0;
    int wanted = 0; // stop after this many; 0: everything
    QString what;
    QList<QJsonObject> items;
};

BuildbotSettings BuildbotSettings::fromConfig(const config::BuildbotMaster &master,
                                              const QString &password,
                                              const scm::ScmHosts &scmHosts)
{
    BuildbotSettings settings;
    settings.name = master.name;
    settings.address = master.address;
    settings.builders = master.builders;
    settings.username = master.username;
    settings.password = password;
    settings.connection = master.connection;
    settings.scmHosts = scmHosts;
    return settings;
}

BuildbotProvider::BuildbotProvider(BuildbotSettings settings, QObject *parent)
    : CiBuildService(parent)
    , m_settings(std::move(settings))
{
    QUrl base = m_settings.address;
    if (!base.path().endsWith(QLatin1Char('/')))
        base.setPath(base.path() + QLatin1Char('/'));
    m_settings.address = base;

    net::ClientSettings client
        = net::ClientSettings::forSource(m_settings.name, base, m_settings.connection);
    // Without it the master answers pretty-printed text/plain.
    client.defaultHeaders.append(net::Header("Accept", "application/json"));
    m_http = new net::HttpClient(client, this);
}

BuildbotProvider::~BuildbotProvider() = default;

buildbot::Context BuildbotProvider::context() const
{
    return {m_settings.name, m_settings.address, m_settings.scmHosts,
            QDateTime::currentDateTimeUtc()};
}

bool BuildbotProvider::wantsBuilder(const QString &name) const
{
    return m_settings.builders.isEmpty() || m_settings.builders.contains(name);
}

QFuture<Result<bool>> BuildbotProvider::ensureSession(bool renew)
{
    if (m_settings.username.isEmpty() || m_settings.password.isEmpty())
        return futures::ready(true);

    const bool failedBefore = m_sessionStarted && m_session.isFinished()
        && (m_session.resultCount() == 0 || !m_session.result().ok());
    if (m_sessionStarted && !renew && !failedBefore)
        return m_session;

    // Buildbot ignores basic credentials on the API itself: /auth/login checks them and sets
    // the session cookie the API then reads. The cookie jar of the client keeps it.
    net::Request login = net::Request::get(m_http->resolve(QStringLiteral("auth/login")),
                                           QStringLiteral("the login"));
    const QByteArray credentials
        = (m_settings.username + QLatin1Char(':') + m_settings.password).toUtf8().toBase64();
    login.headers.append(net::Header("Authorization", "Basic " + credentials));
    login.followRedirects = false; // the 302 leads to the web UI, which we do not need
    login.acceptedStatuses = {302};

    const QString user = m_settings.username;
    m_sessionStarted = true;
    m_session = m_http->send(login).then(this, [this, user](Result<net::Response> answer) {
        if (!answer)
            return Result<bool>(Error{answer.error()
                                      + QStringLiteral(" (signing in as %1; check username "
                                                       "and password)")
                                            .arg(user)});

        const QList<QNetworkCookie> cookies
            = m_http->network()->cookieJar()->cookiesForUrl(m_settings.address);
        const bool hasSession
            = std::any_of(cookies.cbegin(), cookies.cend(), [](const QNetworkCookie &cookie) {
                  return cookie.name() == SessionCookie.latin1();
              });
        if (!hasSession)
            return Result<bool>(
                Error{QStringLiteral("%1: the master answered the login without a session cookie; "
                                     "is the address the master's web root?")
                          .arg(m_settings.name)});
        qCDebug(lcBuildbot, "%s: signed in as %s", qUtf8Printable(m_settings.name),
                qUtf8Printable(user));
        return Result<bool>(true);
    });
    return m_session;
}

QFuture<Result<QJsonObject>> BuildbotProvider::getJson(const QString &path, const QUrlQuery &query,
                                                       const QString &what, QList<int> accepted)
{
    QUrl url = m_http->resolve(path);
    if (!query.isEmpty())
        url.setQuery(query);
    net::Request request = net::Request::get(url, what);
    request.acceptedStatuses = std::move(accepted);

    return ensureSession()
        .then(this,
              [this, request](Result<bool> session) {
                  if (!session)
                      return futures::failed<net::JsonResponse>(session.error());
                  return m_http->getJson(request);
              })
        .unwrap()
        .then(this, [](Result<net::JsonResponse> answer) -> Result<QJsonObject> {
            if (!answer)
                return Error{answer.error()};
            return answer->document.object();
        });
}

QFuture<Result<QList<QJsonObject>>> BuildbotProvider::getAll(const QString &path, QUrlQuery query,
                                                             QLatin1String plural, int offset,
                                                             int wanted, const QString &what)
{
    auto paging = std::make_shared<Paging>();
    paging->promise = futures::makePromise<Result<QList<QJsonObject>>>();
    paging->path = path;
    paging->query = std::move(query);
    paging->plural = plural;
    paging->offset = offset;
    paging->wanted = wanted;
    paging->what = what;
    QFuture<Result<QList<QJsonObject>>> future = paging->promise->future();
    nextPage(paging);
    return future;
}

void BuildbotProvider::nextPage(const std::shared_ptr<Paging> &paging)
{
    int limit = m_settings.pageSize;
    if (paging->wanted > 0)
        limit = std::min<int>(limit, paging->wanted - int(paging->items.size()));

    // Both, always: an offset past the end without a limit is a 404, with one an empty page.
    QUrlQuery query = paging->query;
    query.addQueryItem(QStringLiteral("limit"), QString::number(limit));
    query.addQueryItem(QStringLiteral("offset"),
                       QString::number(paging->offset + paging->items.size()));

    getJson(paging->path, query, paging->what)
        .then(this, [this, paging, limit](Result<QJsonObject> answer) {
            if (!answer) {
                futures::fulfil(paging->promise, Result<QList<QJsonObject>>(Error{answer.error()}));
                return;
            }
            const QList<QJsonObject> page = buildbot::entities(answer.value(), paging->plural);
            paging->items += page;
            const bool enough = paging->wanted > 0 && paging->items.size() >= paging->wanted;
            if (page.size() < limit || enough) {
                futures::fulfil(paging->promise, Result<QList<QJsonObject>>(paging->items));
                return;
            }
            nextPage(paging);
        });
}

QFuture<Result<QList<buildbot::Builder>>> BuildbotProvider::builders(bool refresh)
{
    if (m_buildersKnown && !refresh)
        return futures::ready(m_builders);

    return getAll(api(QStringLiteral("builders")), {}, QLatin1String("builders"), 0, 0,
                  QStringLiteral("the builder list"))
        .then(this, [this](Result<QList<QJsonObject>> answer) -> Result<QList<buildbot::Builder>> {
            if (!answer)
                return Error{answer.error()};

            QList<buildbot::Builder> list;
            for (const QJsonObject &object : answer.value()) {
                buildbot::Builder builder = buildbot::parseBuilder(object);
                if (wantsBuilder(builder.name))
                    list.append(builder);
            }
            std::sort(list.begin(), list.end(),
                      [](const buildbot::Builder &a, const buildbot::Builder &b) {
                          return a.name < b.name;
                      });
            for (const QString &configured : std::as_const(m_settings.builders)) {
                const bool known
                    = std::any_of(list.cbegin(), list.cend(),
                                  [&](const buildbot::Builder &b) { return b.name == configured; });
                if (!known)
                    qCWarning(lcBuildbot, "%s: the master has no builder named %s",
                              qUtf8Printable(m_settings.name), qUtf8Printable(configured));
            }
            m_builders = list;
            m_buildersKnown = true;
            return list;
        });
}

QFuture<Result<buildbot::Builder>> BuildbotProvider::builderNamed(const QString &name)
{
    auto find = [this, name]() -> std::optional<buildbot::Builder> {
        for (const buildbot::Builder &builder : std::as_const(m_builders)) {
            if (builder.name == name)
                return builder;
        }
        return std::nullopt;
    };
    if (const auto known = find())
        return futures::ready(*known);

    // Not seen yet: the master may have gained the builder since the last listing.
    return builders(true).then(
        this,
        [this, name, find](Result<QList<buildbot::Builder>> all) -> Result<buildbot::Builder> {
            if (!all)
                return Error{all.error()};
            if (const auto known = find())
                return *known;
            return Error{QStringLiteral("%1: there is no builder named %2%3")
                             .arg(m_settings.name, name,
                                  wantsBuilder(name) ? QString()
                                                     : QStringLiteral(" among the configured "
                                                                      "builders"))};
        });
}

QFuture<Result<QList<SourceProject>>> BuildbotProvider::listProjects()
{
    return builders(true).then(
        this, [this](Result<QList<buildbot::Builder>> all) -> Result<QList<SourceProject>> {
            if (!all)
                return Error{all.error()};
            QList<SourceProject> projects;
            for (const buildbot::Builder &builder : all.value())
                projects.append({builder.name, builder.name,
                                 buildbot::builderUrl(m_settings.address, builder.id)});
            return projects;
        });
}

QFuture<Result<QHash<int, QList<buildbot::SourceStamp>>>>
BuildbotProvider::sourceStamps(const QList<QJsonObject> &builds)
{
    using StampMap = QHash<int, QList<buildbot::SourceStamp>>;

    QList<int> missing;
    for (const QJsonObject &build : builds) {
        const int request = build.value(QLatin1String("buildrequestid")).toInt();
        if (request > 0 && !m_stampsByRequest.contains(request) && !missing.contains(request))
            missing.append(request);
    }
    auto known = [this, builds]() {
        StampMap map;
        for (const QJsonObject &build : builds) {
            const int request = build.value(QLatin1String("buildrequestid")).toInt();
            map.insert(request, m_stampsByRequest.value(request));
        }
        return map;
    };
    if (missing.isEmpty())
        return futures::ready(known());

    // build request -> build set, then build set -> source stamps; a batch of ids per request.
    QList<QFuture<Result<QJsonObject>>> requests;
    for (const QList<int> &batch : batches(missing)) {
        QUrlQuery query;
        for (int id : batch)
            query.addQueryItem(QStringLiteral("buildrequestid"), QString::number(id));
        requests.append(getJson(api(QStringLiteral("buildrequests")), query,
                                QStringLiteral("the build requests")));
    }

    auto promise = futures::makePromise<Result<StampMap>>();
    QFuture<Result<StampMap>> future = promise->future();
    futures::collect(this, requests)
        .then(this, [this, promise, known](QList<Result<QJsonObject>> answers) {
            QHash<int, int> setOfRequest;
            QList<int> sets;
            for (const Result<QJsonObject> &answer : answers) {
                if (!answer) {
                    futures::fulfil(promise, Result<StampMap>(Error{answer.error()}));
                    return;
                }
                for (const QJsonObject &request :
                     buildbot::entities(answer.value(), QLatin1String("buildrequests"))) {
                    const int set = request.value(QLatin1String("buildsetid")).toInt();
                    setOfRequest.insert(request.value(QLatin1String("buildrequestid")).toInt(),
                                        set);
                    if (!sets.contains(set))
                        sets.append(set);
                }
            }

            QList<QFuture<Result<QJsonObject>>> setRequests;
            for (const QList<int> &batch : batches(sets)) {
                QUrlQuery query;
                for (int id : batch)
                    query.addQueryItem(QStringLiteral("bsid"), QString::number(id));
                setRequests.append(getJson(api(QStringLiteral("buildsets")), query,
                                           QStringLiteral("the build sets")));
            }
            futures::collect(this, setRequests)
                .then(this,
                      [this, promise, known, setOfRequest](QList<Result<QJsonObject>> setAnswers) {
                          QHash<int, QList<buildbot::SourceStamp>> stampsOfSet;
                          for (const Result<QJsonObject> &answer : setAnswers) {
                              if (!answer) {
                                  futures::fulfil(promise, Result<StampMap>(Error{answer.error()}));
                                  return;
                              }
                              for (const QJsonObject &set :
                                   buildbot::entities(answer.value(), QLatin1String("buildsets"))) {
                                  QList<buildbot::SourceStamp> stamps;
                                  for (const QJsonValue &stamp :
                                       set.value(QLatin1String("sourcestamps")).toArray())
                                      stamps.append(buildbot::parseSourceStamp(stamp.toObject()));
                                  stampsOfSet.insert(set.value(QLatin1String("bsid")).toInt(),
                                                     stamps);
                              }
                          }
                          for (auto it = setOfRequest.cbegin(); it != setOfRequest.cend(); ++it)
                              m_stampsByRequest.insert(it.key(), stampsOfSet.value(it.value()));
                          futures::fulfil(promise, Result<StampMap>(known()));
                      });
        });
    return future;
}

QFuture<Result<bool>> BuildbotProvider::loadChanges(const QStringList &revisions)
{
    QStringList missing;
    for (const QString &revision : revisions) {
        if (!m_changes.contains(revision) && !missing.contains(revision))
            missing.append(revision);
    }
    if (missing.isEmpty())
        return futures::ready(true);

    // Only commits the master was told about have a change; a forced build has none. Those
    // are asked for again next time, as a change for the commit may arrive later.
    QList<QFuture<Result<QJsonObject>>> requests;
    for (const QStringList &batch : batches(missing)) {
        QUrlQuery query;
        for (const QString &revision : batch)
            query.addQueryItem(QStringLiteral("revision"), revision);
        requests.append(
            getJson(api(QStringLiteral("changes")), query, QStringLiteral("the changes")));
    }
    return futures::collect(this, requests)
        .then(this, [this](QList<Result<QJsonObject>> answers) -> Result<bool> {
            for (const Result<QJsonObject> &answer : answers) {
                if (!answer)
                    return Error{answer.error()};
                for (const QJsonObject &object :
                     buildbot::entities(answer.value(), QLatin1String("changes"))) {
                    const buildbot::Change change = buildbot::parseChange(object);
                    if (!change.revision.isEmpty())
                        m_changes.insert(change.revision, change);
                }
            }
            return true;
        });
}

QFuture<Result<BuildList>> BuildbotProvider::mapBuilds(const QList<QJsonObject> &builds)
{
    if (builds.isEmpty())
        return futures::ready(BuildList());

    auto promise = futures::makePromise<Result<BuildList>>();
    QFuture<Result<BuildList>> future = promise->future();
    sourceStamps(builds).then(
        this, [this, promise, builds](Result<QHash<int, QList<buildbot::SourceStamp>>> stamps) {
            if (!stamps) {
                futures::fulfil(promise, Result<BuildList>(Error{stamps.error()}));
                return;
            }
            QStringList shas;
            for (const QJsonObject &build : builds) {
                const int request = build.value(QLatin1String("buildrequestid")).toInt();
                shas += buildbot::revisionsOf(build, stamps->value(request));
            }

            loadChanges(shas).then(this, [this, promise, builds, stamps](Result<bool> loaded) {
                if (!loaded) // authors and messages are a nicety; the builds are still right
                    qCInfo(lcBuildbot, "%s: %s", qUtf8Printable(m_settings.name),
                           qUtf8Printable(loaded.error()));

                const buildbot::Context now = context();
                BuildList list;
                for (const QJsonObject &json : builds) {
                    const int builderId = json.value(QLatin1String("builderid")).toInt();
                    const auto builder = std::find_if(
                        m_builders.cbegin(), m_builders.cend(),
                        [builderId](const buildbot::Builder &b) { return b.id == builderId; });
                    if (builder == m_builders.cend())
                        continue;
                    const int request = json.value(QLatin1String("buildrequestid")).toInt();
                    list.append(std::make_shared<const Build>(buildbot::mapBuild(
                        json, *builder, stamps->value(request), m_changes, now)));
                }
                futures::fulfil(promise, Result<BuildList>(list));
            });
        });
    return future;
}

QFuture<Result<BuildList>> BuildbotProvider::fetchBuilds(const buildbot::Builder &builder,
                                                         int offset, int count)
{
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("order"), QStringLiteral("-number"));
    query.addQueryItem(QStringLiteral("property"), QStringLiteral("*"));
    const QString path = api(QStringLiteral("builders/%1/builds").arg(builder.id));
    return getAll(path, query, QLatin1String("builds"), offset, count,
                  QStringLiteral("the builds of %1").arg(builder.name))
        .then(this,
              [this](Result<QList<QJsonObject>> answer) {
                  if (!answer)
                      return futures::failed<BuildList>(answer.error());
                  return mapBuilds(answer.value());
              })
        .unwrap();
}

QFuture<Result<BuildPtr>> BuildbotProvider::fetchBuild(const QString &builderName, qint32 number)
{
    return builderNamed(builderName)
        .then(this,
              [this, number](Result<buildbot::Builder> builder) {
                  if (!builder)
                      return futures::failed<QJsonObject>(builder.error());
                  QUrlQuery query;
                  query.addQueryItem(QStringLiteral("property"), QStringLiteral("*"));
                  return getJson(
                      api(QStringLiteral("builders/%1/builds/%2").arg(builder->id).arg(number)),
                      query, QStringLiteral("build %1 #%2").arg(builder->name).arg(number), {404});
              })
        .unwrap()
        .then(this,
              [this](Result<QJsonObject> answer) {
                  if (!answer)
                      return futures::failed<BuildList>(answer.error());
                  return mapBuilds(buildbot::entities(answer.value(), QLatin1String("builds")));
              })
        .unwrap()
        .then(this, [](Result<BuildList> list) -> Result<BuildPtr> {
            if (!list)
                return Error{list.error()};
            return list->isEmpty() ? BuildPtr() : list->first();
        });
}

QFuture<Result<BuildList>>
BuildbotProvider::scanBuilders(const QList<buildbot::Builder> &candidates, const BuildQuery &query,
                               int depth)
{
    QList<QFuture<Result<BuildList>>> requests;
    for (const buildbot::Builder &builder : candidates)
        requests.append(fetchBuilds(builder, 0, depth));

    return futures::collect(this, requests)
        .then(this, [query](QList<Result<BuildList>> answers) -> Result<BuildList> {
            BuildList found;
            for (const Result<BuildList> &answer : answers) {
                if (!answer)
                    return Error{answer.error()};
                for (const BuildPtr &build : answer.value()) {
                    if (query.matches(*build))
                        found.append(build);
                }
            }
            return found;
        });
}

QFuture<Result<BuildList>> BuildbotProvider::fetchRecentBuilds(const QString &project)
{
    BuildQuery query;
    query.project = project;
    return builders(true)
        .then(this,
              [this, query](Result<QList<buildbot::Builder>> all) {
                  if (!all)
                      return futures::failed<BuildList>(all.error());
                  QList<buildbot::Builder> wanted;
                  for (const buildbot::Builder &builder : all.value()) {
                      if (query.project.isEmpty() || builder.name == query.project)
                          wanted.append(builder);
                  }
                  return scanBuilders(wanted, query, m_settings.recentBuilds);
              })
        .unwrap();
}

QFuture<Result<BuildList>> BuildbotProvider::findBuilds(const BuildQuery &query)
{
    if (!query.source.isEmpty() && query.source != m_settings.name)
        return futures::ready(BuildList());

    return builders()
        .then(this,
              [this, query](Result<QList<buildbot::Builder>> all) {
                  if (!all)
                      return futures::failed<BuildList>(all.error());
                  QList<buildbot::Builder> candidates;
                  for (const buildbot::Builder &builder : all.value()) {
                      if (query.project.isEmpty() || builder.name == query.project)
                          candidates.append(builder);
                  }

                  if (!query.buildNumber) {
                      const int depth = query.commitPrefix.isEmpty() ? m_settings.recentBuilds
                                                                     : m_settings.scanDepth;
                      return scanBuilders(candidates, query, depth);
                  }

                  // A number names at most one build per builder: ask for exactly those.
                  QList<QFuture<Result<BuildPtr>>> requests;
                  for (const buildbot::Builder &builder : std::as_const(candidates))
                      requests.append(fetchBuild(builder.name, *query.buildNumber));
                  return futures::collect(this, requests)
                      .then(this, [query](QList<Result<BuildPtr>> answers) -> Result<BuildList> {
                          BuildList found;
                          for (const Result<BuildPtr> &answer : answers) {
                              if (!answer)
                                  return Error{answer.error()};
                              if (answer.value() && query.matches(*answer.value()))
                                  found.append(answer.value());
                          }
                          return found;
                      });
              })
        .unwrap();
}

QFuture<Result<LogChunk>> BuildbotProvider::fetchLog(const Build &build, qint64 offset)
{
    if (build.source != m_settings.name)
        return futures::failed<LogChunk>(
            QStringLiteral("%1: build %2 is not from this source").arg(m_settings.name, build.id));

    auto read = std::make_shared<LogRead>();
    read->promise = futures::makePromise<Result<LogChunk>>();
    read->builder = build.project;
    read->number = build.number;
    read->offset = std::max<qint64>(0, offset);
    QFuture<Result<LogChunk>> future = read->promise->future();
    readLog(read);
    return future;
}

void BuildbotProvider::readLog(const std::shared_ptr<LogRead> &read)
{
    auto fail = [read](const QString &message) {
        futures::fulfil(read->promise, Result<LogChunk>(Error{message}));
    };

    builderNamed(read->builder)
        .then(
            this,
            [this, read](Result<buildbot::Builder> builder) {
                if (!builder)
                    return futures::failed<QJsonObject>(builder.error());
                return getJson(
                    api(QStringLiteral("builders/%1/builds/%2").arg(builder->id).arg(read->number)),
                    {}, QStringLiteral("build %1 #%2").arg(read->builder).arg(read->number));
            })
        .unwrap()
        .then(this, [this, read, fail](Result<QJsonObject> answer) {
            if (!answer)
                return fail(answer.error());
            const QList<QJsonObject> found
                = buildbot::entities(answer.value(), QLatin1String("builds"));
            if (found.isEmpty())
                return fail(QStringLiteral("%1: builder %2 has no build #%3")
                                .arg(m_settings.name, read->builder)
                                .arg(read->number));

            read->buildId = found.first().value(QLatin1String("buildid")).toInt();
            read->buildComplete = found.first().value(QLatin1String("complete")).toBool();

            // Continue where the last answer ended; any other offset reads the log afresh.
            const auto cursor = m_logCursors.constFind(read->buildId);
            if (read->offset > 0 && cursor != m_logCursors.cend()
                && cursor->bytes == read->offset) {
                read->cursor = *cursor;
            } else {
                read->cursor = LogCursor();
                read->sliced = read->offset > 0;
            }
            readSteps(read);
        });
}

void BuildbotProvider::readSteps(const std::shared_ptr<LogRead> &read)
{
    if (read->cursor.complete) {
        finishLog(read);
        return;
    }
    getJson(api(QStringLiteral("builds/%1/steps").arg(read->buildId)), {},
            QStringLiteral("the steps of %1 #%2").arg(read->builder).arg(read->number))
        .then(this, [this, read](Result<QJsonObject> answer) {
            if (!answer) {
                futures::fulfil(read->promise, Result<LogChunk>(Error{answer.error()}));
                return;
            }
            read->steps = buildbot::entities(answer.value(), QLatin1String("steps"));
            std::sort(read->steps.begin(), read->steps.end(),
                      [](const QJsonObject &a, const QJsonObject &b) {
                          return a.value(QLatin1String("number")).toInt()
                              < b.value(QLatin1String("number")).toInt();
                      });
            readStep(read, 0);
        });
}

void BuildbotProvider::readStep(const std::shared_ptr<LogRead> &read, int index)
{
    if (index >= read->steps.size()) {
        finishLog(read);
        return;
    }

    const QJsonObject step = read->steps.at(index);
    const int stepId = step.value(QLatin1String("stepid")).toInt();
    QList<StepCursor> &cursors = read->cursor.steps;
    auto cursor = std::find_if(cursors.begin(), cursors.end(),
                               [stepId](const StepCursor &c) { return c.stepId == stepId; });
    if (cursor == cursors.end()) {
        StepCursor fresh;
        fresh.stepId = stepId;
        fresh.number = step.value(QLatin1String("number")).toInt();
        fresh.name = step.value(QLatin1String("name")).toString();
        cursors.append(fresh);
        cursor = cursors.end() - 1;
    }
    if (cursor->closed) {
        readStep(read, index + 1);
        return;
    }
    if (step.value(QLatin1String("hidden")).toBool()) {
        cursor->closed = true;
        readStep(read, index + 1);
        return;
    }
    if (!cursor->opened) {
        const bool first = read->cursor.bytes == 0 && read->text.isEmpty();
        read->text += buildbot::stepOpening(cursor->number, cursor->name, first);
        cursor->opened = true;
    }

    // Steps run one after another: a step still running is the last one with output.
    const bool stepComplete = step.value(QLatin1String("complete")).toBool();
    getJson(api(QStringLiteral("steps/%1/logs").arg(stepId)), {},
            QStringLiteral("the logs of step %1").arg(cursor->name))
        .then(this, [this, read, index, stepId, stepComplete](Result<QJsonObject> answer) {
            if (!answer) {
                futures::fulfil(read->promise, Result<LogChunk>(Error{answer.error()}));
                return;
            }
            StepCursor *cursor = nullptr;
            for (StepCursor &candidate : read->cursor.steps) {
                if (candidate.stepId == stepId)
                    cursor = &candidate;
            }

            qint64 available = 0;
            cursor->logId = 0;
            for (const QJsonObject &log :
                 buildbot::entities(answer.value(), QLatin1String("logs"))) {
                if (log.value(QLatin1String("type")).toString() != QLatin1String("s"))
                    continue;
                cursor->logId = log.value(QLatin1String("logid")).toInt();
                available = log.value(QLatin1String("num_lines")).toInteger();
                if (log.value(QLatin1String("slug")).toString() == QLatin1String("stdio"))
                    break;
            }
            readLines(read, index, available, stepComplete);
        });
}

void BuildbotProvider::readLines(const std::shared_ptr<LogRead> &read, int index, qint64 available,
                                 bool stepComplete)
{
    const int stepId = read->steps.at(index).value(QLatin1String("stepid")).toInt();
    StepCursor *cursor = nullptr;
    for (StepCursor &candidate : read->cursor.steps) {
        if (candidate.stepId == stepId)
            cursor = &candidate;
    }

    if (cursor->logId > 0 && cursor->linesRead < available) {
        const qint64 count
            = std::min<qint64>(available - cursor->linesRead, m_settings.logLinesPerRequest);
        QUrlQuery query;
        query.addQueryItem(QStringLiteral("offset"), QString::number(cursor->linesRead));
        query.addQueryItem(QStringLiteral("limit"), QString::number(count));
        getJson(api(QStringLiteral("logs/%1/contents").arg(cursor->logId)), query,
                QStringLiteral("the log of step %1").arg(cursor->name))
            .then(this,
                  [this, read, index, stepId, available, stepComplete](Result<QJsonObject> answer) {
                      if (!answer) {
                          futures::fulfil(read->promise, Result<LogChunk>(Error{answer.error()}));
                          return;
                      }
                      StepCursor *cursor = nullptr;
                      for (StepCursor &candidate : read->cursor.steps) {
                          if (candidate.stepId == stepId)
                              cursor = &candidate;
                      }
                      QByteArray content;
                      for (const QJsonObject &chunk :
                           buildbot::entities(answer.value(), QLatin1String("logchunks")))
                          content += chunk.value(QLatin1String("content")).toString().toUtf8();
                      const qint64 lines = content.count('\n');
                      if (lines == 0) { // nothing came although the log said more: ask next time
                          finishLog(read);
                          return;
                      }
                      cursor->linesRead += lines;
                      read->text += buildbot::stripChannels(content, m_settings.logHeaderLines);
                      readLines(read, index, available, stepComplete);
                  });
        return;
    }

    if (!stepComplete || cursor->linesRead < available) {
        finishLog(read); // the running step: the next read goes on from here
        return;
    }
    read->text += buildbot::stepClosing(cursor->number, cursor->name, read->steps.at(index));
    cursor->closed = true;
    readStep(read, index + 1);
}

void BuildbotProvider::finishLog(const std::shared_ptr<LogRead> &read)
{
    LogCursor &cursor = read->cursor;
    const bool allClosed = std::all_of(cursor.steps.cbegin(), cursor.steps.cend(),
                                       [](const StepCursor &step) { return step.closed; });
    const qint64 start = cursor.bytes;
    cursor.bytes += read->text.size();
    cursor.complete = read->buildComplete && allClosed;

    // Whichever read got further keeps its cursor; another read from that offset continues it.
    const auto stored = m_logCursors.constFind(read->buildId);
    if (stored == m_logCursors.cend() || stored->bytes <= cursor.bytes)
        m_logCursors.insert(read->buildId, cursor);

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

QFuture<Result<int>> BuildbotProvider::forceBuild(const BuildbotForce &force)
{
    return postForce(force, false);
}

QFuture<Result<int>> BuildbotProvider::postForce(const BuildbotForce &force, bool renewed)
{
    QJsonObject params{
        {QStringLiteral("builderNames"), QJsonArray{force.builder}},
        {QStringLiteral("reason"), force.reason},
        {QStringLiteral("branch"), force.branch},
        {QStringLiteral("revision"), force.revision},
        {QStringLiteral("repository"), force.repository},
        {QStringLiteral("project"), force.project},
    };
    const QJsonObject call{{QStringLiteral("jsonrpc"), QStringLiteral("2.0")},
                           {QStringLiteral("method"), QStringLiteral("force")},
                           {QStringLiteral("id"), 1},
                           {QStringLiteral("params"), params}};

    net::Request request;
    request.url
        = m_http->resolve(api(QStringLiteral("forceschedulers/") + segment(force.scheduler)));
    request.method = "POST";
    request.body = QJsonDocument(call).toJson(QJsonDocument::Compact);
    request.headers.append(net::Header("Content-Type", "application/json"));
    request.acceptedStatuses = {400, 403, 500}; // JSON-RPC errors come with these
    request.what = QStringLiteral("a build of %1").arg(force.builder);

    const bool canSignIn = !m_settings.username.isEmpty() && !m_settings.password.isEmpty();
    return ensureSession(renewed)
        .then(this,
              [this, request](Result<bool> session) {
                  if (!session)
                      return futures::failed<net::Response>(session.error());
                  return m_http->send(request);
              })
        .unwrap()
        .then(this,
              [this, force, renewed, canSignIn](Result<net::Response> answer) {
                  if (!answer)
                      return futures::failed<int>(answer.error());
                  // A session that has expired reads as anonymous: sign in again, once.
                  if (answer->status == 403 && canSignIn && !renewed)
                      return postForce(force, true);

                  const QJsonObject reply = QJsonDocument::fromJson(answer->body).object();
                  const QJsonObject error = reply.value(QLatin1String("error")).toObject();
                  if (!error.isEmpty() || answer->status >= 300) {
                      QString message = error.value(QLatin1String("message")).toString();
                      if (message.isEmpty())
                          message = net::describeStatus(answer->status, answer.value(),
                                                        QStringLiteral("forcing a build"));
                      QString hint;
                      if (answer->status == 403 && !canSignIn)
                          hint = QStringLiteral("; set username and password for this master");
                      return futures::failed<int>(
                          QStringLiteral("%1: the master refused a "
                                         "build of %2: %3%4")
                              .arg(m_settings.name, force.builder, message, hint));
                  }
                  // result: [buildsetid, {"<builderid>": buildrequestid}]
                  const QJsonObject requests
                      = reply.value(QLatin1String("result")).toArray().at(1).toObject();
                  if (requests.isEmpty())
                      return futures::failed<int>(
                          QStringLiteral("%1: the master answered the force request without a "
                                         "build request")
                              .arg(m_settings.name));
                  return futures::ready(requests.begin().value().toInt());
              })
        .unwrap();
}

QFuture<ConnectionCheck> BuildbotProvider::checkConnection()
{
    const bool signsIn = !m_settings.username.isEmpty() && !m_settings.password.isEmpty();
    return ensureSession()
        .then(this,
              [this](Result<bool> session) {
                  if (!session) {
                      net::Response failed;
                      failed.failure = net::Failure::Other;
                      failed.errorMessage = session.error();
                      return QtFuture::makeReadyFuture(failed);
                  }
                  return m_http->fetch(net::Request::get(m_http->resolve(QStringLiteral("config")),
                                                         QStringLiteral("the master's "
                                                                        "configuration")));
              })
        .unwrap()
        .then(this,
              [this, signsIn](net::Response response) {
                  if (!response.ok()) {
                      ConnectionCheck check = ConnectionCheck::fromFailure(response);
                      if (signsIn && response.failure == net::Failure::Other)
                          check.hint = QStringLiteral("check username and password");
                      return QtFuture::makeReadyFuture(check);
                  }
                  const QJsonObject config = QJsonDocument::fromJson(response.body).object();
                  QString version;
                  for (const QJsonValue &entry :
                       config.value(QLatin1String("versions")).toArray()) {
                      if (entry.toArray().at(0).toString() == QLatin1String("Buildbot"))
                          version = entry.toArray().at(1).toString();
                  }
                  const QJsonObject user = config.value(QLatin1String("user")).toObject();
                  const QString who = user.value(QLatin1String("anonymous")).toBool()
                      ? QStringLiteral("anonymous")
                      : QStringLiteral("signed in as %1")
                            .arg(user.value(QLatin1String("username")).toString());

                  return builders(true).then(
                      this,
                      [this, version, who, user, signsIn](Result<QList<buildbot::Builder>> all) {
                          if (!all)
                              return ConnectionCheck::failed(all.error());
                          const QString summary
                              = QStringLiteral("Buildbot %1 at %2, %3, %4 builders")
                                    .arg(version.isEmpty() ? QStringLiteral("(version unknown)")
                                                           : version,
                                         net::displayUrl(m_settings.address), who)
                                    .arg(all->size());
                          if (signsIn && user.value(QLatin1String("anonymous")).toBool())
                              return ConnectionCheck::warning(
                                  summary,
                                  QStringLiteral("the login did not stick; check that the "
                                                 "master has auth configured"));
                          QStringList missing;
                          for (const QString &name : std::as_const(m_settings.builders)) {
                              if (std::none_of(
                                      all->cbegin(), all->cend(),
                                      [&](const buildbot::Builder &b) { return b.name == name; }))
                                  missing.append(name);
                          }
                          if (!missing.isEmpty())
                              return ConnectionCheck::warning(
                                  summary,
                                  QStringLiteral("the master has no builder named %1")
                                      .arg(missing.join(QStringLiteral(", "))));
                          return ConnectionCheck::ok(summary);
                      });
              })
        .unwrap();
}

} // namespace cic
