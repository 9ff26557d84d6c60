// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/server/igorapi.h"

#include "core/logs/ansi.h"
#include "core/logs/decklogpager.h"
#include "core/service/sourceregistry.h"
#include "core/store/buildstore.h"
#include "core/util/jsontext.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QThreadPool>
#include <QTimer>

namespace cic {

namespace {
Q_LOGGING_CATEGORY(lcIgor, "cicompanion.core.server.igor")

using http::ErrorKind;
using http::Reply;
using http::Request;
using http::Responder;

// Logs above this are encoded on the thread pool, so neither the server's thread nor the
// registry's (the window's, in the app) stalls on a log of many megabytes.
constexpr qsizetype EncodeInPoolBytes = 256 * 1024;

// The registry answers a lookup within the budget on its own; this margin covers a registry
// thread that is busy, so the client gets the store's answer in any case.
constexpr int LookupDeadlineMarginMs = 250;

const QByteArray EmptyList = QByteArrayLiteral("[]");

QString trimmedQueryValue(const Request &request, QStringView name)
{
    const std::optional<QString> value = request.queryValue(name);
    return value ? value->trimmed() : QString();
}

} // namespace

IgorApi::IgorApi(SourceRegistry *registry, const ServerOptions &options, QObject *parent)
    : QObject(parent),
      m_store(registry->store()),
      m_registry(registry),
      m_options(options),
      m_scmMasters(encodeScmMasters(options.scmMasters)),
      m_pager(std::make_shared<DeckLogPager>()),
      m_health(std::make_shared<Health>())
{
    // This object moves to the server's thread; the registry is read on its own.
    m_health->update(*registry);
    const auto update = [health = m_health, registry] { health->update(*registry); };
    connect(registry, &SourceRegistry::statusChanged, registry, update);
    connect(registry, &SourceRegistry::sourcesChanged, registry, update);

    // A log replaced rather than grown makes the ledgers of what deck was sent meaningless.
    const std::shared_ptr<DeckLogPager> pager = m_pager;
    connect(
        registry, &SourceRegistry::logsInvalidated, this,
        [pager](const QStringList &ids) { pager->forget(ids); }, Qt::DirectConnection);
}

QList<http::Route> IgorApi::routes()
{
    using http::Method;
    const QByteArray masters = m_scmMasters;

    return {
        {Method::Get,
         QStringLiteral("/ci/builds"),
         {},
         [this](const Request &request, Responder responder) { builds(request, responder); }},
        {Method::Get,
         QStringLiteral("/ci/builds/{buildId}/output"),
         {},
         [this](const Request &request, Responder responder) { output(request, responder); }},
        {Method::Get,
         QStringLiteral("/scm/masters"),
         [masters](const Request &) { return http::jsonReply(masters); },
         {}},
        {Method::Get,
         QStringLiteral("/health"),
         [health = m_health](const Request &) {
             QMutexLocker locker(&health->mutex);
             return http::jsonReply(health->body);
         },
         {}},
    };
}

Result<BuildsRequest> IgorApi::parseBuildsQuery(const Request &request)
{
    BuildsRequest parsed;
    BuildQuery &query = parsed.query;
    query.projectKey = trimmedQueryValue(request, u"projectKey");
    query.repoSlug = trimmedQueryValue(request, u"repoSlug");
    query.commitPrefix = trimmedQueryValue(request, u"commitId").toLower();

    const QString number = trimmedQueryValue(request, u"buildNumber");
    if (!number.isEmpty()) {
        bool ok = false;
        const qint32 value = number.toInt(&ok);
        if (ok)
            query.buildNumber = value;
        else
            parsed.matchesNothing = true; // keel's numbers are 32-bit; no build has this one
    }

    // Spring joins a repeated String parameter with commas, so repeats are one longer list.
    ResultSet results = 0;
    for (const QString &list : request.queryValues(u"completionStatus")) {
        for (QStringView item : QStringView(list).split(u',')) {
            item = item.trimmed();
            if (item.isEmpty())
                continue;
            const std::optional<ResultSet> bits = parseCompletionStatus(item);
            if (!bits) {
                return Error{QStringLiteral("unknown completionStatus \"%1\"; use INCOMPLETE, "
                                            "SUCCEEDED, FAILED, ABORTED or a build result "
                                            "(SUCCESS, UNSTABLE, BUILDING, FAILURE, NOT_BUILT)")
                                 .arg(item)};
            }
            results |= *bits;
        }
    }
    if (results != 0)
        query.results = results;
    return parsed;
}

void IgorApi::builds(const Request &request, const Responder &responder)
{
    const Result<BuildsRequest> parsed = parseBuildsQuery(request);
    if (!parsed) {
        responder.send(http::errorReply(ErrorKind::BadRequest, parsed.error()));
        return;
    }
    if (parsed->matchesNothing) {
        responder.send(http::jsonReply(EmptyList));
        return;
    }

    const BuildQuery &query = parsed->query;
    QByteArray answer = m_store->queryWire(query, m_options.maxBuildsPerAnswer);
    if (answer.size() > EmptyList.size() || query.commitPrefix.isEmpty()) {
        responder.send(http::jsonReply(std::move(answer)));
        return;
    }
    lookUp(query, responder);
}

void IgorApi::lookUp(const BuildQuery &query, const Responder &responder)
{
    // keel asks for a commit the store has not seen (yet): ask the sources, then answer with
    // what the store holds; keel retries an empty answer.
    BuildStore *store = m_store;
    const qsizetype limit = m_options.maxBuildsPerAnswer;
    const int budget = m_options.lookupBudgetMs;
    auto answerFromStore = [store, query, limit, responder] {
        responder.send(http::jsonReply(store->queryWire(query, limit)));
    };

    QTimer::singleShot(budget + LookupDeadlineMarginMs, this, answerFromStore);

    const QPointer<SourceRegistry> registry = m_registry;
    if (!registry)
        return;
    QMetaObject::invokeMethod(
        registry.data(),
        [registry, query, budget, answerFromStore] {
            if (!registry)
                return;
            registry->lookup(query, budget)
                .then(registry.data(), [answerFromStore](const BuildList &) { answerFromStore(); });
        },
        Qt::QueuedConnection);
}

// Spring Boot's shape. The server answers, so it is UP; each source says whether its last
// refresh worked, for whoever wonders why a query answers []. A source being down does not
// make the server DOWN: a probe would then restart a server that is fine.
void IgorApi::Health::update(const SourceRegistry &registry)
{
    QJsonObject details;
    bool anyDown = false;
    for (CiBuildService *source : registry.sources()) {
        const SourceStatus status = registry.status(source->name());
        QString state = QStringLiteral("UNKNOWN");
        if (status.state == SourceStatus::State::Failed)
            state = QStringLiteral("DOWN");
        else if (status.state == SourceStatus::State::Ok || status.lastRefresh.isValid())
            state = QStringLiteral("UP");
        anyDown = anyDown || state == QLatin1String("DOWN");

        QJsonObject entry{{QStringLiteral("status"), state},
                          {QStringLiteral("kind"), status.kind},
                          {QStringLiteral("builds"), qint64(status.builds)}};
        if (status.state == SourceStatus::State::Failed && !status.error.isEmpty())
            entry.insert(QStringLiteral("error"), status.error);
        if (status.lastRefresh.isValid())
            entry.insert(QStringLiteral("lastRefresh"),
                         status.lastRefresh.toUTC().toString(Qt::ISODateWithMs));
        details.insert(source->name(), entry);
    }
    const QJsonObject components{
        {QStringLiteral("sources"),
         QJsonObject{
             {QStringLiteral("status"), anyDown ? QStringLiteral("DOWN") : QStringLiteral("UP")},
             {QStringLiteral("details"), details}}}};
    // Written by hand so that status comes first, as Spring writes it.
    QByteArray body = "{\"status\":\"UP\",\"components\":"
        + QJsonDocument(components).toJson(QJsonDocument::Compact) + '}';

    QMutexLocker locker(&mutex);
    this->body = std::move(body);
}

void IgorApi::output(const Request &request, const Responder &responder)
{
    const QString id = request.parameter(u"buildId");

    bool stripAnsi = m_options.stripAnsi;
    if (const std::optional<QString> ansi = request.queryValue(u"ansi")) {
        if (ansi->compare(QLatin1String("keep"), Qt::CaseInsensitive) == 0) {
            stripAnsi = false;
        } else if (ansi->compare(QLatin1String("strip"), Qt::CaseInsensitive) == 0) {
            stripAnsi = true;
        } else {
            responder.send(http::errorReply(
                ErrorKind::BadRequest,
                QStringLiteral("ansi is \"keep\" or \"strip\", not \"%1\"").arg(*ansi)));
            return;
        }
    }

    // deck's log tab pages with start (-1, then the count of answers it has) and limit.
    std::optional<qint64> start;
    if (const std::optional<QString> text = request.queryValue(u"start")) {
        bool ok = false;
        start = text->trimmed().toLongLong(&ok);
        if (!ok) {
            responder.send(http::errorReply(
                ErrorKind::BadRequest,
                QStringLiteral("start is deck's count of the answers it has had (-1 first), not "
                               "\"%1\"")
                    .arg(*text)));
            return;
        }
    }
    if (const std::optional<QString> limit = request.queryValue(u"limit")) {
        bool ok = false;
        limit->trimmed().toLongLong(&ok);
        if (!ok) {
            responder.send(http::errorReply(
                ErrorKind::BadRequest, QStringLiteral("limit must be a number, not \"%1\"")
                                           .arg(*limit)));
            return;
        }
    }

    if (!m_store->build(id)) {
        responder.send(http::errorReply(ErrorKind::NotFound,
                                        QStringLiteral("no build with id \"%1\"").arg(id)));
        return;
    }

    const QPointer<SourceRegistry> registry = m_registry;
    if (!registry) {
        responder.send(http::errorReply(ErrorKind::Unavailable,
                                        QStringLiteral("the sources are shutting down")));
        return;
    }

    const std::shared_ptr<DeckLogPager> pager = m_pager;
    QMetaObject::invokeMethod(
        registry.data(),
        [registry, id, stripAnsi, start, pager, responder] {
            if (!registry)
                return;
            registry->fetchLog(id, 0).then(
                registry.data(),
                [id, stripAnsi, start, pager, responder](const Result<LogChunk> &chunk) {
                    if (!chunk) {
                        qCWarning(lcIgor, "log of %s: %s", qUtf8Printable(id),
                                  qUtf8Printable(chunk.error()));
                        responder.send(http::errorReply(ErrorKind::SourceFailed, chunk.error()));
                        return;
                    }
                    QByteArray text = chunk->text;
                    if (start) {
                        const DeckLogPager::Slice slice = pager->page(
                            id, *start, text.size(), QDateTime::currentMSecsSinceEpoch());
                        text = text.mid(slice.from, slice.to - slice.from);
                    }
                    if (text.size() < EncodeInPoolBytes) {
                        responder.send(http::jsonReply(encodeLog(text, stripAnsi)));
                        return;
                    }
                    QThreadPool::globalInstance()->start([text, stripAnsi, responder] {
                        responder.send(http::jsonReply(encodeLog(text, stripAnsi)));
                    });
                });
        },
        Qt::QueuedConnection);
}

QByteArray IgorApi::encodeLog(const QByteArray &log, bool stripAnsi)
{
    const QByteArray text = stripAnsi ? ansi::strip(log) : log;
    QByteArray body;
    body.reserve(text.size() + text.size() / 16 + 16);
    body.append("{\"log\":");
    json::appendString(body, text);
    body.append('}');
    return body;
}

QByteArray IgorApi::encodeScmMasters(const QMap<QString, QString> &masters)
{
    static const QStringList igorKeys = {QStringLiteral("stash"), QStringLiteral("gitHub"),
                                         QStringLiteral("gitLab"), QStringLiteral("bitBucket")};
    QByteArray body("{");
    for (const QString &key : igorKeys) {
        for (auto it = masters.cbegin(); it != masters.cend(); ++it) {
            if (it.key().compare(key, Qt::CaseInsensitive) != 0 || it.value().isEmpty())
                continue;
            if (body.size() > 1)
                body.append(',');
            json::appendString(body, key.toUtf8());
            body.append(':');
            json::appendString(body, it.value().toUtf8());
            break;
        }
    }
    for (auto it = masters.cbegin(); it != masters.cend(); ++it) {
        const bool known = std::any_of(igorKeys.cbegin(), igorKeys.cend(), [&](const QString &k) {
            return k.compare(it.key(), Qt::CaseInsensitive) == 0;
        });
        if (!known)
            qCInfo(lcIgor,
                   "/scm/masters leaves out \"%s\": igor knows stash, gitHub, gitLab "
                   "and bitBucket",
                   qUtf8Printable(it.key()));
    }
    body.append('}');
    return body;
}

} // namespace cic
