// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/mock/mockcontrol.h"

#include "core/model/wirecodec.h"

#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>

namespace cic::mock {

namespace {
Q_LOGGING_CATEGORY(lcControl, "cicompanion.core.mock.control")

using http::Reply;
using http::Request;

Reply jsonAnswer(const QJsonValue &value, int status = 200)
{
    const QByteArray body = value.isArray()
        ? QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact)
        : QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
    return http::jsonReply(body, status);
}

Reply failure(int status, const QString &message)
{
    return http::jsonReply(http::errorBody(status, message), status);
}

Result<QJsonObject> bodyObject(const Request &request)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(request.body, &error);
    if (error.error != QJsonParseError::NoError)
        return Error{QStringLiteral("the body is not JSON: %1 at offset %2")
                         .arg(error.errorString())
                         .arg(error.offset)};
    if (!document.isObject())
        return Error{QStringLiteral("the body must be a JSON object")};
    return document.object();
}

QJsonObject loopJson(const LoopOptions &loop)
{
    return {{QStringLiteral("enabled"), loop.enabled},
            {QStringLiteral("delayMs"), loop.delayMs},
            {QStringLiteral("newBuild"), loop.newBuild},
            {QStringLiteral("keep"), loop.keep}};
}

QJsonObject statusJson(const ScenarioEngine::Status &status, const QString &source)
{
    QJsonArray builds;
    for (const ScenarioEngine::BuildStatus &build : status.builds) {
        QJsonObject item{{QStringLiteral("id"), build.id},
                         {QStringLiteral("phase"), phaseName(build.phase)},
                         {QStringLiteral("logBytes"), build.logBytes}};
        if (build.result)
            item.insert(QStringLiteral("result"), resultName(*build.result));
        builds.append(item);
    }
    return {{QStringLiteral("name"), status.name},
            {QStringLiteral("source"), source},
            {QStringLiteral("description"), status.description},
            {QStringLiteral("file"), status.path},
            {QStringLiteral("state"), ScenarioEngine::stateName(status.state)},
            {QStringLiteral("round"), status.round},
            {QStringLiteral("elapsedMs"), status.elapsedMs},
            {QStringLiteral("lengthMs"), status.lengthMs},
            {QStringLiteral("autostart"), status.autostart},
            {QStringLiteral("loop"), loopJson(status.loop)},
            {QStringLiteral("builds"), builds}};
}

QJsonObject buildJson(const MockSource &source, const BuildPtr &build)
{
    QJsonObject object = wire::toJson(*build);
    object.insert(QStringLiteral("_source"), source.name());
    if (const std::optional<Origin> origin = source.origin(build->id))
        object.insert(QStringLiteral("_origin"), originName(*origin));
    return object;
}

// The log a PUT or POST carries: the text itself, or {"log": "..."} with a JSON type.
Result<QByteArray> logBody(const Request &request)
{
    if (!request.header("content-type").toLower().contains("json"))
        return request.body;
    const Result<QJsonObject> object = bodyObject(request);
    if (!object)
        return Error{object.error()};
    const QJsonValue log = object->value(QLatin1String("log"));
    if (!log.isString())
        return Error{QStringLiteral("a JSON body must be {\"log\": \"text\"}; or send the text "
                                    "itself as text/plain")};
    return log.toString().toUtf8();
}

} // namespace

std::optional<QString> controlRefusedOn(const QHostAddress &address)
{
    if (address.isLoopback())
        return std::nullopt;
    return QStringLiteral("the control API (--control) changes what this server answers and "
                          "has no authentication, so it is served on loopback only; %1 is not "
                          "a loopback address")
        .arg(address.toString());
}

MockControl::MockControl(const QList<MockSource *> &sources, std::shared_ptr<RequestPolicy> policy,
                         std::shared_ptr<RequestJournal> journal, QObject *parent)
    : QObject(parent)
    , m_policy(std::move(policy))
    , m_journal(std::move(journal))
{
    for (MockSource *source : sources)
        m_sources.append(source);
}

QList<http::Route> MockControl::routes()
{
    using http::Method;
    const auto route = [this](http::Methods methods, const char *pattern, http::Handler handler) {
        return http::Route{methods, QString::fromLatin1(pattern), std::move(handler), {}, this};
    };

    return {
        route(Method::Get, "/_mock", [this](const Request &) { return summary(); }),
        route(Method::Post, "/_mock/reset", [this](const Request &) { return reset(); }),

        route(Method::Get, "/_mock/builds", [this](const Request &) { return listBuilds(); }),
        route(Method::Post, "/_mock/builds",
              [this](const Request &request) { return createBuild(request); }),
        route(Method::Get, "/_mock/builds/{id}",
              [this](const Request &request) { return getBuild(request); }),
        route(Method::Put, "/_mock/builds/{id}",
              [this](const Request &request) { return putBuild(request); }),
        route(Method::Patch, "/_mock/builds/{id}",
              [this](const Request &request) { return patchBuild(request); }),
        route(Method::Delete, "/_mock/builds/{id}",
              [this](const Request &request) { return deleteBuild(request); }),
        route(Method::Get, "/_mock/builds/{id}/log",
              [this](const Request &request) { return getLog(request); }),
        route(Method::Put, "/_mock/builds/{id}/log",
              [this](const Request &request) { return changeLog(request, false); }),
        route(Method::Post, "/_mock/builds/{id}/log",
              [this](const Request &request) { return changeLog(request, true); }),
        route(Method::Delete, "/_mock/builds/{id}/log",
              [this](const Request &request) { return deleteLog(request); }),

        route(Method::Get, "/_mock/scenarios", [this](const Request &) { return listScenarios(); }),
        route(Method::Get, "/_mock/scenarios/{name}",
              [this](const Request &request) { return getScenario(request); }),
        route(Method::Put, "/_mock/scenarios/{name}",
              [this](const Request &request) { return putScenario(request); }),
        route(Method::Delete, "/_mock/scenarios/{name}",
              [this](const Request &request) { return deleteScenario(request); }),
        route(Method::Post, "/_mock/scenarios/{name}/{action}",
              [this](const Request &request) { return scenarioAction(request); }),

        route(Method::Get, "/_mock/latency", [this](const Request &) { return listRules(); }),
        route(Method::Put, "/_mock/latency",
              [this](const Request &request) { return setLatency(request); }),
        route(Method::Delete, "/_mock/latency",
              [this](const Request &request) { return removeRules(request, true); }),
        route(Method::Get, "/_mock/faults", [this](const Request &) { return listRules(); }),
        route(Method::Put, "/_mock/faults",
              [this](const Request &request) { return setFault(request); }),
        route(Method::Delete, "/_mock/faults",
              [this](const Request &request) { return removeRules(request, false); }),

        route(Method::Get, "/_mock/journal",
              [this](const Request &request) { return journal(request); }),
        route(Method::Delete, "/_mock/journal", [this](const Request &) { return clearJournal(); }),
    };
}

QList<MockSource *> MockControl::sources() const
{
    QList<MockSource *> alive;
    for (const QPointer<MockSource> &source : m_sources) {
        if (source)
            alive.append(source);
    }
    return alive;
}

MockSource *MockControl::sourceOf(const QString &buildId) const
{
    for (MockSource *source : sources()) {
        if (source->build(buildId))
            return source;
    }
    return nullptr;
}

MockSource *MockControl::sourceNamed(const QString &name) const
{
    const QList<MockSource *> all = sources();
    if (name.isEmpty())
        return all.value(0);
    for (MockSource *source : all) {
        if (source->name() == name)
            return source;
    }
    return nullptr;
}

MockSource *MockControl::scenarioSource(const QString &name) const
{
    for (MockSource *source : sources()) {
        if (source->engine()->status(name))
            return source;
    }
    return nullptr;
}

Reply MockControl::summary() const
{
    QJsonArray sourceList;
    QJsonArray problems;
    QJsonArray scenarios;
    for (MockSource *source : sources()) {
        sourceList.append(QJsonObject{{QStringLiteral("name"), source->name()},
                                      {QStringLiteral("directory"), source->directory()},
                                      {QStringLiteral("builds"), source->builds().size()}});
        for (const FixtureProblem &problem : source->problems())
            problems.append(problem.toString());
        for (const ScenarioEngine::Status &status : source->engine()->statuses())
            scenarios.append(statusJson(status, source->name()));
    }

    QJsonArray latency;
    for (const LatencyRule &rule : m_policy->latencies())
        latency.append(rule.toJson());
    QJsonArray faults;
    for (const FaultRule &rule : m_policy->faults())
        faults.append(rule.toJson());

    return jsonAnswer(QJsonObject{
        {QStringLiteral("sources"), sourceList},
        {QStringLiteral("scenarios"), scenarios},
        {QStringLiteral("latency"), latency},
        {QStringLiteral("faults"), faults},
        {QStringLiteral("journal"),
         QJsonObject{{QStringLiteral("entries"), m_journal->size()},
                     {QStringLiteral("lastSeq"), qint64(m_journal->lastSeq())}}},
        {QStringLiteral("problems"), problems},
    });
}

Reply MockControl::reset()
{
    m_policy->clear();
    m_journal->clear();
    for (MockSource *source : sources()) {
        source->clearEdits();
        for (const QString &name : source->engine()->scenarioNames()) {
            const std::optional<ScenarioEngine::Status> status = source->engine()->status(name);
            if (status && status->path.isEmpty())
                source->engine()->removeScenario(name); // added at run time
            else if (status && status->autostart && source->engine()->autostartEnabled())
                source->engine()->restart(name);
            else
                source->engine()->reset(name);
        }
    }
    qCInfo(lcControl, "mock reset: edits, rules and journal cleared, scenarios restarted");
    return summary();
}

Reply MockControl::listBuilds() const
{
    QJsonArray list;
    for (MockSource *source : sources()) {
        for (const BuildPtr &build : source->builds()) {
            QJsonObject item{{QStringLiteral("id"), build->id},
                             {QStringLiteral("source"), source->name()},
                             {QStringLiteral("project"), build->project},
                             {QStringLiteral("number"), build->number},
                             {QStringLiteral("result"), resultName(build->effectiveResult())},
                             {QStringLiteral("origin"),
                              originName(source->origin(build->id).value_or(Origin::Fixture))}};
            const QString scenario = source->engine()->ownerOf(build->id);
            if (!scenario.isEmpty() && source->origin(build->id) == Origin::Scenario)
                item.insert(QStringLiteral("scenario"), scenario);
            list.append(item);
        }
    }
    return jsonAnswer(list);
}

Reply MockControl::createBuild(const Request &request)
{
    const Result<QJsonObject> body = bodyObject(request);
    if (!body)
        return failure(400, body.error());
    const QString id = body->value(QLatin1String("id")).toString();
    if (id.isEmpty() || !wire::isPathSafeId(id))
        return failure(400, QStringLiteral("\"id\" is required: A-Z a-z 0-9 . _ ~ - only"));
    if (MockSource *owner = sourceOf(id))
        return failure(409,
                       QStringLiteral("build \"%1\" exists in %2; PUT /_mock/builds/%1 "
                                      "replaces it")
                           .arg(id, owner->name()));

    const QString sourceName = request.queryValue(u"source").value_or(QString());
    MockSource *source = sourceNamed(sourceName);
    if (!source)
        return failure(404, QStringLiteral("no mock source \"%1\"").arg(sourceName));

    const Result<BuildPtr> created = source->putBuild(id, *body);
    if (!created)
        return failure(400, created.error());
    return jsonAnswer(buildJson(*source, *created), 201);
}

Reply MockControl::getBuild(const Request &request) const
{
    const QString id = request.parameter(u"id");
    MockSource *source = sourceOf(id);
    if (!source)
        return failure(404, QStringLiteral("no build \"%1\"").arg(id));
    return jsonAnswer(buildJson(*source, source->build(id)));
}

Reply MockControl::putBuild(const Request &request)
{
    const QString id = request.parameter(u"id");
    const Result<QJsonObject> body = bodyObject(request);
    if (!body)
        return failure(400, body.error());

    MockSource *existing = sourceOf(id);
    MockSource *source
        = existing ? existing : sourceNamed(request.queryValue(u"source").value_or(QString()));
    if (!source)
        return failure(404, QStringLiteral("no such mock source"));
    const QString scenario = source->engine()->ownerOf(id);
    if (!scenario.isEmpty() && source->origin(id) == Origin::Scenario)
        return failure(409,
                       QStringLiteral("build \"%1\" is played by scenario \"%2\"; reset the "
                                      "scenario or change its file")
                           .arg(id, scenario));

    const Result<BuildPtr> stored = source->putBuild(id, *body);
    if (!stored)
        return failure(400, stored.error());
    return jsonAnswer(buildJson(*source, *stored), existing ? 200 : 201);
}

Reply MockControl::patchBuild(const Request &request)
{
    const QString id = request.parameter(u"id");
    MockSource *source = sourceOf(id);
    if (!source)
        return failure(404, QStringLiteral("no build \"%1\"; PUT creates one").arg(id));
    if (source->origin(id) == Origin::Scenario)
        return failure(409,
                       QStringLiteral("build \"%1\" is played by scenario \"%2\"")
                           .arg(id, source->engine()->ownerOf(id)));

    const Result<QJsonObject> body = bodyObject(request);
    if (!body)
        return failure(400, body.error());
    const Result<BuildPtr> patched = source->patchBuild(id, *body);
    if (!patched)
        return failure(400, patched.error());
    return jsonAnswer(buildJson(*source, *patched));
}

Reply MockControl::deleteBuild(const Request &request)
{
    const QString id = request.parameter(u"id");
    MockSource *source = sourceOf(id);
    if (!source)
        return failure(404, QStringLiteral("no build \"%1\"").arg(id));
    if (source->origin(id) == Origin::Scenario)
        return failure(409,
                       QStringLiteral("build \"%1\" is played by scenario \"%2\"; reset the "
                                      "scenario instead")
                           .arg(id, source->engine()->ownerOf(id)));
    source->removeBuild(id);
    return jsonAnswer(QJsonObject{{QStringLiteral("deleted"), id}});
}

Reply MockControl::getLog(const Request &request) const
{
    const QString id = request.parameter(u"id");
    MockSource *source = sourceOf(id);
    if (!source)
        return failure(404, QStringLiteral("no build \"%1\"").arg(id));
    Reply reply;
    reply.contentType = QByteArrayLiteral("text/plain; charset=utf-8");
    reply.body = source->logText(id);
    return reply;
}

Reply MockControl::changeLog(const Request &request, bool append)
{
    const QString id = request.parameter(u"id");
    MockSource *source = sourceOf(id);
    if (!source)
        return failure(404, QStringLiteral("no build \"%1\"").arg(id));
    if (source->origin(id) == Origin::Scenario)
        return failure(409,
                       QStringLiteral("the log of \"%1\" is played by scenario \"%2\"")
                           .arg(id, source->engine()->ownerOf(id)));

    const Result<QByteArray> text = logBody(request);
    if (!text)
        return failure(400, text.error());
    const qint64 bytes = append ? source->appendLog(id, *text) : source->setLog(id, *text);
    return jsonAnswer(QJsonObject{{QStringLiteral("id"), id}, {QStringLiteral("bytes"), bytes}});
}

Reply MockControl::deleteLog(const Request &request)
{
    const QString id = request.parameter(u"id");
    MockSource *source = sourceOf(id);
    if (!source)
        return failure(404, QStringLiteral("no build \"%1\"").arg(id));
    if (!source->revertLog(id))
        return failure(404,
                       QStringLiteral("the log of \"%1\" was not changed at run time").arg(id));
    return jsonAnswer(QJsonObject{{QStringLiteral("id"), id},
                                  {QStringLiteral("bytes"), source->logText(id).size()}});
}

Reply MockControl::listScenarios() const
{
    QJsonArray list;
    for (MockSource *source : sources()) {
        for (const ScenarioEngine::Status &status : source->engine()->statuses())
            list.append(statusJson(status, source->name()));
    }
    return jsonAnswer(list);
}

Reply MockControl::getScenario(const Request &request) const
{
    const QString name = request.parameter(u"name");
    MockSource *source = scenarioSource(name);
    if (!source)
        return failure(404, QStringLiteral("no scenario \"%1\"").arg(name));
    return jsonAnswer(statusJson(*source->engine()->status(name), source->name()));
}

Reply MockControl::putScenario(const Request &request)
{
    const QString name = request.parameter(u"name");
    MockSource *existing = scenarioSource(name);
    MockSource *source
        = existing ? existing : sourceNamed(request.queryValue(u"source").value_or(QString()));
    if (!source)
        return failure(404, QStringLiteral("no such mock source"));

    const Result<ScenarioEngine::Status> status = source->putScenario(name, request.body);
    if (!status)
        return failure(400, status.error());
    return jsonAnswer(statusJson(*status, source->name()), existing ? 200 : 201);
}

Reply MockControl::deleteScenario(const Request &request)
{
    const QString name = request.parameter(u"name");
    MockSource *source = scenarioSource(name);
    if (!source)
        return failure(404, QStringLiteral("no scenario \"%1\"").arg(name));
    source->engine()->removeScenario(name);
    return jsonAnswer(QJsonObject{{QStringLiteral("deleted"), name}});
}

Reply MockControl::scenarioAction(const Request &request)
{
    const QString name = request.parameter(u"name");
    const QString action = request.parameter(u"action");
    MockSource *source = scenarioSource(name);
    if (!source)
        return failure(404, QStringLiteral("no scenario \"%1\"").arg(name));
    ScenarioEngine *engine = source->engine();

    Result<ScenarioEngine::Status> status;
    if (action == u"start") {
        status = engine->start(name);
    } else if (action == u"pause") {
        status = engine->pause(name);
    } else if (action == u"resume") {
        status = engine->resume(name);
    } else if (action == u"reset") {
        status = engine->reset(name);
    } else if (action == u"restart") {
        status = engine->restart(name);
    } else if (action == u"advance") {
        QString text = request.queryValue(u"ms").value_or(QString());
        if (text.isEmpty() && !request.body.isEmpty()) {
            const Result<QJsonObject> body = bodyObject(request);
            if (!body)
                return failure(400, body.error());
            text = QString::number(body->value(QLatin1String("ms")).toDouble(-1), 'f', 0);
        }
        bool ok = false;
        const qint64 ms = text.toLongLong(&ok);
        if (!ok || ms < 0)
            return failure(400,
                           QStringLiteral("advance needs ?ms=N or {\"ms\": N}, whole "
                                          "milliseconds"));
        status = engine->advance(name, ms);
    } else {
        return failure(404,
                       QStringLiteral("no action \"%1\"; use start, pause, resume, reset, "
                                      "restart or advance")
                           .arg(action));
    }

    if (!status)
        return failure(409, status.error());
    return jsonAnswer(statusJson(*status, source->name()));
}

Reply MockControl::listRules() const
{
    QJsonArray latency;
    for (const LatencyRule &rule : m_policy->latencies())
        latency.append(rule.toJson());
    QJsonArray faults;
    for (const FaultRule &rule : m_policy->faults())
        faults.append(rule.toJson());
    return jsonAnswer(
        QJsonObject{{QStringLiteral("latency"), latency}, {QStringLiteral("faults"), faults}});
}

Reply MockControl::setLatency(const Request &request)
{
    const Result<QJsonObject> body = bodyObject(request);
    if (!body)
        return failure(400, body.error());
    const Result<LatencyRule> rule = LatencyRule::fromJson(*body);
    if (!rule)
        return failure(400, rule.error());
    m_policy->setLatency(*rule);
    qCInfo(lcControl, "latency on %s: %d-%d ms", qUtf8Printable(rule->selector.pattern.text()),
           rule->minMs, rule->maxMs);
    return jsonAnswer(rule->toJson());
}

Reply MockControl::setFault(const Request &request)
{
    const Result<QJsonObject> body = bodyObject(request);
    if (!body)
        return failure(400, body.error());
    const Result<FaultRule> rule = FaultRule::fromJson(*body);
    if (!rule)
        return failure(400, rule.error());
    m_policy->setFault(*rule);
    qCInfo(lcControl, "%s fault on %s", qUtf8Printable(faultName(rule->kind)),
           qUtf8Printable(rule->selector.pattern.text()));
    return jsonAnswer(rule->toJson());
}

Reply MockControl::removeRules(const Request &request, bool latency)
{
    const QString route = request.queryValue(u"route").value_or(QString());
    const int removed = latency ? m_policy->removeLatency(route) : m_policy->removeFault(route);
    if (!route.isEmpty() && removed == 0)
        return failure(404, QStringLiteral("no rule on %1").arg(route));
    return jsonAnswer(QJsonObject{{QStringLiteral("removed"), removed}});
}

Reply MockControl::journal(const Request &request) const
{
    qsizetype limit = DefaultJournalLimit;
    if (const std::optional<QString> text = request.queryValue(u"limit")) {
        bool ok = false;
        limit = text->toLongLong(&ok);
        if (!ok || limit < 1)
            return failure(400, QStringLiteral("limit must be a whole number, at least 1"));
    }

    QList<JournalEntry> entries;
    const QString since = request.queryValue(u"since").value_or(QString());
    bool isNumber = false;
    const quint64 seq = since.toULongLong(&isNumber);
    if (since.isEmpty() || isNumber) {
        entries = m_journal->after(isNumber ? seq : 0, limit);
    } else {
        const QDateTime time = wire::parseInstant(QJsonValue(since));
        if (!time.isValid())
            return failure(400,
                           QStringLiteral("since is a sequence number (the \"seq\" of the "
                                          "last entry seen) or an ISO-8601 time"));
        entries = m_journal->since(time, limit);
    }

    QJsonArray list;
    for (const JournalEntry &entry : std::as_const(entries))
        list.append(entry.toJson());
    return jsonAnswer(QJsonObject{{QStringLiteral("entries"), list},
                                  {QStringLiteral("lastSeq"), qint64(m_journal->lastSeq())},
                                  {QStringLiteral("capacity"), m_journal->capacity()}});
}

Reply MockControl::clearJournal()
{
    m_journal->clear();
    return jsonAnswer(QJsonObject{{QStringLiteral("lastSeq"), qint64(m_journal->lastSeq())}});
}

} // namespace cic::mock
