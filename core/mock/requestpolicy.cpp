// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/mock/requestpolicy.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QUrl>

#include <algorithm>

namespace cic::mock {

namespace {

constexpr int MaxDelayMs = 10 * 60 * 1000;

const QStringList &knownMethods()
{
    static const QStringList methods = {
        QStringLiteral("GET"),     QStringLiteral("HEAD"),  QStringLiteral("POST"),
        QStringLiteral("PUT"),     QStringLiteral("PATCH"), QStringLiteral("DELETE"),
        QStringLiteral("OPTIONS"),
    };
    return methods;
}

Result<RouteSelector> readSelector(const QJsonObject &object)
{
    const QJsonValue route = object.value(QLatin1String("route"));
    if (!route.isString())
        return Error{QStringLiteral("\"route\" is required: a path pattern such as "
                                    "/ci/builds/{buildId}/output")};
    Result<RoutePattern> pattern = RoutePattern::parse(route.toString());
    if (!pattern)
        return Error{pattern.error()};

    RouteSelector selector{std::move(pattern).value(), {}};
    const QJsonValue methods = object.value(QLatin1String("methods"));
    if (methods.isString()) {
        selector.methods.append(methods.toString().toUpper());
    } else if (methods.isArray()) {
        for (const QJsonValue &method : methods.toArray())
            selector.methods.append(method.toString().toUpper());
    } else if (!methods.isUndefined()) {
        return Error{QStringLiteral("\"methods\" must be a list such as [\"GET\"]")};
    }
    for (const QString &method : std::as_const(selector.methods)) {
        if (!knownMethods().contains(method))
            return Error{QStringLiteral("unknown method \"%1\"; use %2")
                             .arg(method, knownMethods().join(QStringLiteral(", ")))};
    }
    selector.methods.removeDuplicates();
    selector.methods.sort();
    return selector;
}

Result<int> readDelay(const QJsonValue &value, const char *name)
{
    const double ms = value.toDouble(-1);
    if (!value.isDouble() || ms < 0 || ms > MaxDelayMs || ms != int(ms))
        return Error{QStringLiteral("\"%1\" must be whole milliseconds from 0 to %2")
                         .arg(QLatin1String(name))
                         .arg(MaxDelayMs)};
    return int(ms);
}

void writeSelector(QJsonObject &object, const RouteSelector &selector)
{
    object.insert(QStringLiteral("route"), selector.pattern.text());
    if (!selector.methods.isEmpty())
        object.insert(QStringLiteral("methods"), QJsonArray::fromStringList(selector.methods));
}

template<typename Rule> int removeRules(QList<Rule> &rules, const QString &route)
{
    const qsizetype before = rules.size();
    if (route.isEmpty())
        rules.clear();
    else
        rules.removeIf(
            [&route](const Rule &rule) { return rule.selector.pattern.text() == route; });
    return int(before - rules.size());
}

} // namespace

Result<RoutePattern> RoutePattern::parse(const QString &text)
{
    if (!text.startsWith(u'/'))
        return Error{QStringLiteral("the route \"%1\" must start with /").arg(text)};

    RoutePattern pattern;
    pattern.m_text = text;
    const QStringList segments = segmentsOf(text);
    for (qsizetype i = 0; i < segments.size(); ++i) {
        const QString &segment = segments.at(i);
        if (segment == u"**") {
            if (i != segments.size() - 1)
                return Error{QStringLiteral("\"**\" may only end a route")};
            pattern.m_segments.append(segment);
        } else if (segment == u"*"
                   || (segment.startsWith(u'{') && segment.endsWith(u'}') && segment.size() > 2)) {
            pattern.m_segments.append(QStringLiteral("*"));
        } else {
            pattern.m_segments.append(segment);
        }
    }
    return pattern;
}

QStringList RoutePattern::segmentsOf(const QString &path)
{
    QStringList segments;
    const QStringList raw = path.split(u'/', Qt::SkipEmptyParts);
    for (const QString &segment : raw)
        segments.append(QUrl::fromPercentEncoding(segment.toUtf8()));
    return segments;
}

bool RoutePattern::matches(const QStringList &segments) const
{
    for (qsizetype i = 0; i < m_segments.size(); ++i) {
        const QString &want = m_segments.at(i);
        if (want == u"**")
            return true;
        if (i >= segments.size())
            return false;
        if (want != u"*" && want != segments.at(i))
            return false;
    }
    return segments.size() == m_segments.size();
}

bool RouteSelector::matches(QByteArrayView method, const QStringList &segments) const
{
    if (!methods.isEmpty()) {
        const QString name = QString::fromLatin1(method).toUpper();
        if (!methods.contains(name))
            return false;
    }
    return pattern.matches(segments);
}

bool RouteSelector::sameAs(const RouteSelector &other) const
{
    return pattern.text() == other.pattern.text() && methods == other.methods;
}

Result<LatencyRule> LatencyRule::fromJson(const QJsonObject &object)
{
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        static const QStringList known
            = {QStringLiteral("route"), QStringLiteral("methods"), QStringLiteral("ms")};
        if (!known.contains(it.key()))
            return Error{QStringLiteral("unknown key \"%1\"; a latency rule has route, methods "
                                        "and ms")
                             .arg(it.key())};
    }

    Result<RouteSelector> selector = readSelector(object);
    if (!selector)
        return Error{selector.error()};

    LatencyRule rule{std::move(selector).value()};
    const QJsonValue ms = object.value(QLatin1String("ms"));
    if (ms.isObject()) {
        const Result<int> low = readDelay(ms.toObject().value(QLatin1String("min")), "ms.min");
        const Result<int> high = readDelay(ms.toObject().value(QLatin1String("max")), "ms.max");
        if (!low)
            return Error{low.error()};
        if (!high)
            return Error{high.error()};
        if (*high < *low)
            return Error{QStringLiteral("\"ms.max\" must not be below \"ms.min\"")};
        rule.minMs = *low;
        rule.maxMs = *high;
    } else {
        const Result<int> fixed = readDelay(ms, "ms");
        if (!fixed)
            return Error{fixed.error() + QStringLiteral(", or {\"min\", \"max\"}")};
        rule.minMs = rule.maxMs = *fixed;
    }
    return rule;
}

Result<LatencyRule> LatencyRule::fromSpec(const QString &spec)
{
    const qsizetype equals = spec.lastIndexOf(u'=');
    if (equals <= 0)
        return Error{QStringLiteral("\"%1\" is not ROUTE=MS or ROUTE=MIN-MAX").arg(spec)};

    QJsonObject object{{QStringLiteral("route"), spec.left(equals)}};
    const QStringList bounds = spec.mid(equals + 1).split(u'-');
    QList<double> numbers;
    for (const QString &bound : bounds) {
        bool ok = false;
        numbers.append(bound.trimmed().toDouble(&ok));
        if (!ok || bounds.size() > 2)
            return Error{QStringLiteral("\"%1\" is not ROUTE=MS or ROUTE=MIN-MAX").arg(spec)};
    }
    if (numbers.size() == 1)
        object.insert(QStringLiteral("ms"), numbers.first());
    else
        object.insert(QStringLiteral("ms"),
                      QJsonObject{{QStringLiteral("min"), numbers.at(0)},
                                  {QStringLiteral("max"), numbers.at(1)}});
    return fromJson(object);
}

QJsonObject LatencyRule::toJson() const
{
    QJsonObject object;
    writeSelector(object, selector);
    if (minMs == maxMs)
        object.insert(QStringLiteral("ms"), minMs);
    else
        object.insert(QStringLiteral("ms"),
                      QJsonObject{{QStringLiteral("min"), minMs}, {QStringLiteral("max"), maxMs}});
    return object;
}

QString faultName(FaultKind kind)
{
    switch (kind) {
    case FaultKind::Status:
        return QStringLiteral("status");
    case FaultKind::Malformed:
        return QStringLiteral("malformed");
    case FaultKind::Drop:
        return QStringLiteral("drop");
    case FaultKind::Close:
        return QStringLiteral("close");
    }
    return {};
}

Result<FaultRule> FaultRule::fromJson(const QJsonObject &object)
{
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        static const QStringList known = {
            QStringLiteral("route"),  QStringLiteral("methods"),     QStringLiteral("fault"),
            QStringLiteral("status"), QStringLiteral("body"),        QStringLiteral("contentType"),
            QStringLiteral("times"),  QStringLiteral("probability"),
        };
        if (!known.contains(it.key()))
            return Error{QStringLiteral("unknown key \"%1\"; a fault has %2")
                             .arg(it.key(), known.join(QStringLiteral(", ")))};
    }

    Result<RouteSelector> selector = readSelector(object);
    if (!selector)
        return Error{selector.error()};
    FaultRule rule{std::move(selector).value()};

    const QString kind = object.value(QLatin1String("fault")).toString(QStringLiteral("status"));
    if (kind == u"status")
        rule.kind = FaultKind::Status;
    else if (kind == u"malformed")
        rule.kind = FaultKind::Malformed;
    else if (kind == u"drop")
        rule.kind = FaultKind::Drop;
    else if (kind == u"close")
        rule.kind = FaultKind::Close;
    else
        return Error{QStringLiteral("\"fault\" is status, malformed, drop or close")};

    const QJsonValue status = object.value(QLatin1String("status"));
    if (!status.isUndefined()) {
        const double code = status.toDouble(0);
        if (!status.isDouble() || code < 200 || code > 599 || code != int(code))
            return Error{QStringLiteral("\"status\" must be an HTTP status from 200 to 599")};
        if (rule.kind != FaultKind::Status)
            return Error{QStringLiteral("\"status\" goes with \"fault\": \"status\"")};
        rule.status = int(code);
    }

    const QJsonValue body = object.value(QLatin1String("body"));
    if (body.isString())
        rule.body = body.toString().toUtf8();
    else if (body.isObject())
        rule.body = QJsonDocument(body.toObject()).toJson(QJsonDocument::Compact);
    else if (body.isArray())
        rule.body = QJsonDocument(body.toArray()).toJson(QJsonDocument::Compact);
    else if (!body.isUndefined() && !body.isNull())
        return Error{QStringLiteral("\"body\" must be text or JSON")};
    if (!rule.body.isEmpty() && (rule.kind == FaultKind::Drop || rule.kind == FaultKind::Close))
        return Error{QStringLiteral("a dropped or closed connection sends no body")};

    const QJsonValue type = object.value(QLatin1String("contentType"));
    if (type.isString())
        rule.contentType = type.toString().toUtf8();
    else if (!type.isUndefined())
        return Error{QStringLiteral("\"contentType\" must be text")};

    const QJsonValue times = object.value(QLatin1String("times"));
    if (!times.isUndefined()) {
        const double count = times.toDouble(0);
        if (!times.isDouble() || count < 1 || count > 1e9 || count != int(count))
            return Error{QStringLiteral("\"times\" must be a whole number of requests, at least "
                                        "1 (leave it out for every request)")};
        rule.times = int(count);
    }

    const QJsonValue probability = object.value(QLatin1String("probability"));
    if (!probability.isUndefined()) {
        const double p = probability.toDouble(-1);
        if (!probability.isDouble() || p < 0 || p > 1)
            return Error{QStringLiteral("\"probability\" must be from 0 to 1")};
        rule.probability = p;
    }
    return rule;
}

QJsonObject FaultRule::toJson() const
{
    QJsonObject object;
    writeSelector(object, selector);
    object.insert(QStringLiteral("fault"), faultName(kind));
    if (kind == FaultKind::Status)
        object.insert(QStringLiteral("status"), status);
    if (!body.isEmpty())
        object.insert(QStringLiteral("body"), QString::fromUtf8(body));
    if (kind == FaultKind::Status || kind == FaultKind::Malformed)
        object.insert(QStringLiteral("contentType"), QString::fromUtf8(contentType));
    if (times >= 0)
        object.insert(QStringLiteral("times"), times);
    if (probability < 1.0)
        object.insert(QStringLiteral("probability"), probability);
    object.insert(QStringLiteral("hits"), qint64(hits));
    return object;
}

RequestPolicy::RequestPolicy()
    : m_random(QRandomGenerator::securelySeeded())
{
}

void RequestPolicy::seed(quint32 seed)
{
    QMutexLocker locker(&m_mutex);
    m_random.seed(seed);
}

void RequestPolicy::setLatency(const LatencyRule &rule)
{
    QMutexLocker locker(&m_mutex);
    m_latencies.removeIf(
        [&rule](const LatencyRule &old) { return old.selector.sameAs(rule.selector); });
    m_latencies.append(rule);
}

void RequestPolicy::setFault(const FaultRule &rule)
{
    QMutexLocker locker(&m_mutex);
    m_faults.removeIf([&rule](const FaultRule &old) { return old.selector.sameAs(rule.selector); });
    m_faults.append(rule);
}

int RequestPolicy::removeLatency(const QString &route)
{
    QMutexLocker locker(&m_mutex);
    return removeRules(m_latencies, route);
}

int RequestPolicy::removeFault(const QString &route)
{
    QMutexLocker locker(&m_mutex);
    return removeRules(m_faults, route);
}

void RequestPolicy::clear()
{
    QMutexLocker locker(&m_mutex);
    m_latencies.clear();
    m_faults.clear();
}

QList<LatencyRule> RequestPolicy::latencies() const
{
    QMutexLocker locker(&m_mutex);
    return m_latencies;
}

QList<FaultRule> RequestPolicy::faults() const
{
    QMutexLocker locker(&m_mutex);
    return m_faults;
}

PolicyDecision RequestPolicy::decide(QByteArrayView method, const QStringList &segments)
{
    QMutexLocker locker(&m_mutex);
    PolicyDecision decision;

    for (auto it = m_latencies.crbegin(); it != m_latencies.crend(); ++it) {
        if (!it->selector.matches(method, segments))
            continue;
        decision.delayMs
            = it->minMs == it->maxMs ? it->minMs : int(m_random.bounded(it->minMs, it->maxMs + 1));
        break;
    }

    for (auto it = m_faults.rbegin(); it != m_faults.rend(); ++it) {
        if (it->times == 0 || !it->selector.matches(method, segments))
            continue;
        if (it->probability < 1.0 && m_random.generateDouble() >= it->probability)
            break; // this time the route answers normally
        if (it->times > 0)
            --it->times;
        ++it->hits;
        decision.fault = *it;
        break;
    }
    return decision;
}

} // namespace cic::mock
