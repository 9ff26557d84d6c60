// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/util/result.h"

#include <QJsonObject>
#include <QList>
#include <QMutex>
#include <QRandomGenerator>
#include <QStringList>

#include <optional>

// How the mock misbehaves on purpose: latency and faults per route, so that a client's
// handling of a slow or broken igor can be tried on one route while the others answer
// normally.
namespace cic::mock {

// A path pattern as the routes are written: /ci/builds/{buildId}/output. A `{name}` or `*`
// segment matches any one segment, a final `**` any number of them (including none); other
// segments match themselves.
class RoutePattern
{
public:
    static Result<RoutePattern> parse(const QString &text);

    bool matches(const QStringList &segments) const;
    QString text() const { return m_text; }

    // The decoded segments of a path: "/ci/builds" -> {"ci", "builds"}.
    static QStringList segmentsOf(const QString &path);

private:
    QString m_text;
    QStringList m_segments; // "*" for any one, "**" for the rest
};

// Methods a rule applies to, upper case; empty for every method.
struct RouteSelector
{
    RoutePattern pattern;
    QStringList methods;

    bool matches(QByteArrayView method, const QStringList &segments) const;
    bool sameAs(const RouteSelector &other) const;
};

struct LatencyRule
{
    RouteSelector selector;
    int minMs = 0;
    int maxMs = 0; // equal to minMs for a fixed delay

    // {"route": "/ci/builds", "methods": ["GET"], "ms": 1500} or "ms": {"min": 200,
    // "max": 3000}.
    static Result<LatencyRule> fromJson(const QJsonObject &object);
    QJsonObject toJson() const;

    // The command line's form: ROUTE=MS or ROUTE=MIN-MAX, e.g. /ci/builds=2000.
    static Result<LatencyRule> fromSpec(const QString &spec);
};

enum class FaultKind {
    Status, // an error status with a body
    Malformed, // 200 with a JSON content type and a body that is not valid JSON
    Drop, // the connection is reset without an answer
    Close, // the connection is closed without an answer
};

struct FaultRule
{
    RouteSelector selector;
    FaultKind kind = FaultKind::Status;
    int status = 503;
    // For Status: the body (empty: igor's error shape for the status); for Malformed: the
    // text sent (empty: the route's own answer cut off in the middle).
    QByteArray body;
    QByteArray contentType = QByteArrayLiteral("application/json");
    int times = -1; // how many more requests fail; -1 for every one
    double probability = 1.0;
    quint64 hits = 0; // requests failed so far

    // {"route": "/ci/builds", "methods": ["GET"], "fault": "status" | "malformed" | "drop" |
    //  "close", "status": 503, "body": "..." or any JSON, "contentType": "...",
    //  "times": 3, "probability": 0.5}
    static Result<FaultRule> fromJson(const QJsonObject &object);
    QJsonObject toJson() const;
};

QString faultName(FaultKind kind);

// What to do with one request.
struct PolicyDecision
{
    int delayMs = 0;
    std::optional<FaultRule> fault; // the rule as it was when it applied
};

// The rules in force. For each request the newest latency rule and the newest fault rule
// that match apply; a rule set again for the same route and methods replaces the old one.
// Thread-safe: the server decides on its thread, the control API changes rules on another.
class RequestPolicy
{
public:
    RequestPolicy();

    void setLatency(const LatencyRule &rule);
    void setFault(const FaultRule &rule);
    // Removes the rules of a route pattern (as written), or every rule when it is empty;
    // returns how many went.
    int removeLatency(const QString &route = {});
    int removeFault(const QString &route = {});
    void clear();

    QList<LatencyRule> latencies() const;
    QList<FaultRule> faults() const;

    // Counts the request against a fault's `times` when the fault applies.
    PolicyDecision decide(QByteArrayView method, const QStringList &segments);

    // For tests: the same random draws every run.
    void seed(quint32 seed);

private:
    mutable QMutex m_mutex;
    QList<LatencyRule> m_latencies; // oldest first
    QList<FaultRule> m_faults;
    QRandomGenerator m_random;
};

} // namespace cic::mock
