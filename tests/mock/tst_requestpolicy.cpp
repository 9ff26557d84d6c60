// SPDX-License-Identifier: GPL-3.0-or-later
// Latency and fault rules per route, and the journal of requests: which rule applies to which
// request, "fail N times then succeed", and the order the journal keeps.

#include "core/mock/requestjournal.h"
#include "core/mock/requestpolicy.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace cic;
using namespace cic::mock;

namespace {

// Routes with "/*" are written as plain strings: moc 6.4 reads one inside a raw string as the
// start of a comment.
QJsonObject json(const QByteArray &text)
{
    return QJsonDocument::fromJson(text).object();
}

QStringList path(const char *text)
{
    return RoutePattern::segmentsOf(QString::fromUtf8(text));
}

} // namespace

class TestRequestPolicy : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void patterns_data();
    void patterns();
    void latencyOnOneRoute();
    void latencyRange();
    void faultTimesThenSucceeds();
    void newestRuleWins();
    void methodsNarrowARule();
    void probability();
    void badRules_data();
    void badRules();
    void rulesRoundTrip();
    void latencyFromTheCommandLine_data();
    void latencyFromTheCommandLine();
    void journalKeepsArrivalOrder();
    void journalCapacityAndClear();
};

void TestRequestPolicy::patterns_data()
{
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<QString>("path");
    QTest::addColumn<bool>("matches");

    QTest::newRow("exact") << "/ci/builds"
                           << "/ci/builds" << true;
    QTest::newRow("not a prefix") << "/ci/builds"
                                  << "/ci/builds/b-1/output" << false;
    QTest::newRow("parameter") << "/ci/builds/{buildId}/output"
                               << "/ci/builds/b-1/output" << true;
    QTest::newRow("star") << "/ci/builds/*/output"
                          << "/ci/builds/b-1/output" << true;
    QTest::newRow("parameter is one segment") << "/ci/builds/{id}"
                                              << "/ci/builds/a/b" << false;
    QTest::newRow("rest") << "/ci/**"
                          << "/ci/builds/b-1/output" << true;
    QTest::newRow("rest may be empty") << "/jobs/**"
                                       << "/jobs" << true;
    QTest::newRow("other root") << "/ci/**"
                                << "/scm/masters" << false;
    QTest::newRow("encoded segment") << "/jobs/demo/{job}"
                                     << "/jobs/demo/a%20b" << true;
    QTest::newRow("trailing slash") << "/ci/builds"
                                    << "/ci/builds/" << true;
}

void TestRequestPolicy::patterns()
{
    QFETCH(QString, pattern);
    QFETCH(QString, path);
    QFETCH(bool, matches);

    const Result<RoutePattern> parsed = RoutePattern::parse(pattern);
    QVERIFY2(parsed.ok(), qPrintable(parsed.error()));
    QCOMPARE(parsed->matches(RoutePattern::segmentsOf(path)), matches);
}

void TestRequestPolicy::latencyOnOneRoute()
{
    RequestPolicy policy;
    const Result<LatencyRule> rule
        = LatencyRule::fromJson(json(R"({"route": "/ci/builds", "ms": 1500})"));
    QVERIFY2(rule.ok(), qPrintable(rule.error()));
    policy.setLatency(*rule);

    QCOMPARE(policy.decide("GET", path("/ci/builds")).delayMs, 1500);
    QCOMPARE(policy.decide("GET", path("/ci/builds/b-1/output")).delayMs, 0);
    QCOMPARE(policy.decide("GET", path("/scm/masters")).delayMs, 0);
    QVERIFY(!policy.decide("GET", path("/ci/builds")).fault);

    QCOMPARE(policy.removeLatency(QStringLiteral("/ci/builds")), 1);
    QCOMPARE(policy.decide("GET", path("/ci/builds")).delayMs, 0);
}

void TestRequestPolicy::latencyRange()
{
    RequestPolicy policy;
    policy.seed(7);
    const Result<LatencyRule> rule = LatencyRule::fromJson(
        json("{\"route\": \"/ci/**\", \"ms\": {\"min\": 200, \"max\": 300}}"));
    QVERIFY2(rule.ok(), qPrintable(rule.error()));
    policy.setLatency(*rule);

    QSet<int> seen;
    for (int i = 0; i < 200; ++i) {
        const int delay = policy.decide("GET", path("/ci/builds")).delayMs;
        QVERIFY2(delay >= 200 && delay <= 300, qPrintable(QString::number(delay)));
        seen.insert(delay);
    }
    QVERIFY(seen.size() > 10); // a range, not one value
}

void TestRequestPolicy::faultTimesThenSucceeds()
{
    RequestPolicy policy;
    const Result<FaultRule> rule = FaultRule::fromJson(
        json(R"({"route": "/ci/builds/{id}/output", "fault": "status", "status": 502,
                 "body": {"message": "bad gateway"}, "times": 2})"));
    QVERIFY2(rule.ok(), qPrintable(rule.error()));
    policy.setFault(*rule);

    for (int i = 0; i < 2; ++i) {
        const PolicyDecision decision = policy.decide("GET", path("/ci/builds/b-1/output"));
        QVERIFY(decision.fault);
        QCOMPARE(decision.fault->status, 502);
        QCOMPARE(decision.fault->body, QByteArray(R"({"message":"bad gateway"})"));
        QVERIFY(!policy.decide("GET", path("/ci/builds")).fault); // other routes untouched
    }
    QVERIFY(!policy.decide("GET", path("/ci/builds/b-1/output")).fault);
    QCOMPARE(policy.faults().first().hits, 2u);
    QCOMPARE(policy.faults().first().times, 0);
}

void TestRequestPolicy::newestRuleWins()
{
    RequestPolicy policy;
    policy.setFault(*FaultRule::fromJson(json("{\"route\": \"/ci/**\", \"fault\": \"drop\"}")));
    policy.setFault(*FaultRule::fromJson(json(R"({"route": "/ci/builds", "status": 500})")));

    QCOMPARE(policy.decide("GET", path("/ci/builds")).fault->kind, FaultKind::Status);
    QCOMPARE(policy.decide("GET", path("/ci/builds/x/output")).fault->kind, FaultKind::Drop);

    // Set again for the same route: replaced, and now newest.
    policy.setFault(*FaultRule::fromJson(json("{\"route\": \"/ci/**\", \"fault\": \"close\"}")));
    QCOMPARE(policy.faults().size(), 2);
    QCOMPARE(policy.decide("GET", path("/ci/builds")).fault->kind, FaultKind::Close);
    QCOMPARE(policy.removeFault(), 2);
    QVERIFY(!policy.decide("GET", path("/ci/builds")).fault);
}

void TestRequestPolicy::methodsNarrowARule()
{
    RequestPolicy policy;
    policy.setLatency(
        *LatencyRule::fromJson(json(R"({"route": "/ci/builds", "methods": ["head"], "ms": 10})")));
    QCOMPARE(policy.decide("HEAD", path("/ci/builds")).delayMs, 10);
    QCOMPARE(policy.decide("GET", path("/ci/builds")).delayMs, 0);
}

void TestRequestPolicy::probability()
{
    RequestPolicy policy;
    policy.seed(1);
    policy.setFault(*FaultRule::fromJson(
        json(R"({"route": "/ci/builds", "status": 503, "probability": 0.5})")));
    int failed = 0;
    for (int i = 0; i < 400; ++i)
        failed += policy.decide("GET", path("/ci/builds")).fault ? 1 : 0;
    QVERIFY2(failed > 150 && failed < 250, qPrintable(QString::number(failed)));

    policy.setFault(
        *FaultRule::fromJson(json(R"({"route": "/ci/builds", "status": 503, "probability": 0})")));
    QVERIFY(!policy.decide("GET", path("/ci/builds")).fault);
}

void TestRequestPolicy::badRules_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<bool>("latency");
    QTest::addColumn<QString>("message");

    QTest::newRow("no route") << QByteArray(R"({"ms": 5})") << true << "\"route\" is required";
    QTest::newRow("relative route")
        << QByteArray(R"({"route": "ci", "ms": 5})") << true << "must start with /";
    QTest::newRow("no ms") << QByteArray(R"({"route": "/ci"})") << true << "\"ms\" must be";
    QTest::newRow("range upside down")
        << QByteArray(R"({"route": "/ci", "ms": {"min": 9, "max": 1}})") << true
        << "must not be below";
    QTest::newRow("too long") << QByteArray(R"({"route": "/ci", "ms": 99999999})") << true
                              << "\"ms\" must be";
    QTest::newRow("unknown method")
        << QByteArray(R"({"route": "/ci", "methods": ["FETCH"], "ms": 1})") << true
        << "unknown method \"FETCH\"";
    QTest::newRow("unknown latency key")
        << QByteArray(R"({"route": "/ci", "delay": 1})") << true << "unknown key \"delay\"";
    QTest::newRow("unknown fault") << QByteArray(R"({"route": "/ci", "fault": "explode"})") << false
                                   << "status, malformed, drop or close";
    QTest::newRow("status out of range")
        << QByteArray(R"({"route": "/ci", "status": 99})") << false << "HTTP status";
    QTest::newRow("status with drop")
        << QByteArray(R"({"route": "/ci", "fault": "drop", "status": 500})") << false
        << "goes with \"fault\": \"status\"";
    QTest::newRow("body with close")
        << QByteArray(R"({"route": "/ci", "fault": "close", "body": "x"})") << false
        << "sends no body";
    QTest::newRow("zero times") << QByteArray(R"({"route": "/ci", "times": 0})") << false
                                << "\"times\" must be";
    QTest::newRow("probability above one")
        << QByteArray(R"({"route": "/ci", "probability": 2})") << false << "from 0 to 1";
    QTest::newRow("rest in the middle")
        << QByteArray("{\"route\": \"/ci/**/output\"}") << false << "may only end a route";
}

void TestRequestPolicy::badRules()
{
    QFETCH(QByteArray, json);
    QFETCH(bool, latency);
    QFETCH(QString, message);

    const QJsonObject object = QJsonDocument::fromJson(json).object();
    const QString error
        = latency ? LatencyRule::fromJson(object).error() : FaultRule::fromJson(object).error();
    QVERIFY2(error.contains(message), qPrintable(error));
}

void TestRequestPolicy::rulesRoundTrip()
{
    const QJsonObject latency = json(R"({"route": "/ci/builds", "methods": ["GET"],
                                         "ms": {"min": 1, "max": 5}})");
    QCOMPARE(LatencyRule::fromJson(latency)->toJson(), latency);

    const Result<FaultRule> fault
        = FaultRule::fromJson(json(R"({"route": "/x", "fault": "malformed", "times": 3})"));
    const QJsonObject written = fault->toJson();
    QCOMPARE(written.value(u"fault").toString(), QStringLiteral("malformed"));
    QCOMPARE(written.value(u"times").toInt(), 3);
    QCOMPARE(written.value(u"hits").toInt(), 0);
    QCOMPARE(written.value(u"contentType").toString(), QStringLiteral("application/json"));
}

void TestRequestPolicy::latencyFromTheCommandLine_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("route"); // empty: an error
    QTest::addColumn<int>("min");
    QTest::addColumn<int>("max");

    QTest::newRow("fixed") << "/ci/builds=2000"
                           << "/ci/builds" << 2000 << 2000;
    QTest::newRow("range") << "/ci/**=500-3000"
                           << "/ci/**" << 500 << 3000;
    QTest::newRow("no route") << "=5"
                              << "" << 0 << 0;
    QTest::newRow("no number") << "/ci/builds=slow"
                               << "" << 0 << 0;
    QTest::newRow("three numbers") << "/ci=1-2-3"
                                   << "" << 0 << 0;
    QTest::newRow("upside down") << "/ci=9-1"
                                 << "" << 0 << 0;
}

void TestRequestPolicy::latencyFromTheCommandLine()
{
    QFETCH(QString, spec);
    QFETCH(QString, route);
    QFETCH(int, min);
    QFETCH(int, max);

    const Result<LatencyRule> rule = LatencyRule::fromSpec(spec);
    QCOMPARE(rule.ok(), !route.isEmpty());
    if (!rule)
        return;
    QCOMPARE(rule->selector.pattern.text(), route);
    QCOMPARE(rule->minMs, min);
    QCOMPARE(rule->maxMs, max);
}

void TestRequestPolicy::journalKeepsArrivalOrder()
{
    RequestJournal journal;
    const QDateTime t0 = QDateTime::fromMSecsSinceEpoch(1'796'040'000'000, Qt::UTC);
    const quint64 slow
        = journal.begin("GET", QStringLiteral("/ci/builds"), QStringLiteral("projectKey=SPKR"), t0);
    const quint64 fast = journal.begin("GET", QStringLiteral("/scm/masters"), {}, t0.addMSecs(5));
    journal.finish(fast, 200, 1, 0, {});
    journal.finish(slow, 503, 1500, 1500, QStringLiteral("status"));

    const QList<JournalEntry> all = journal.after(0, 100);
    QCOMPARE(all.size(), 2);
    QCOMPARE(all.at(0).path, QStringLiteral("/ci/builds"));
    QCOMPARE(all.at(0).status, 503);
    QCOMPARE(all.at(0).delayMs, 1500);
    QCOMPARE(all.at(1).path, QStringLiteral("/scm/masters"));

    const QJsonObject written = all.at(0).toJson();
    QCOMPARE(written.value(u"query").toString(), QStringLiteral("projectKey=SPKR"));
    QCOMPARE(written.value(u"time").toString(), QStringLiteral("2026-11-30T12:00:00Z"));
    QCOMPARE(written.value(u"latencyMs").toInteger(), 1500);
    QCOMPARE(written.value(u"fault").toString(), QStringLiteral("status"));

    // An unanswered request shows a null status.
    const quint64 pending = journal.begin("GET", QStringLiteral("/ci/builds"), {}, t0);
    QVERIFY(journal.after(fast, 10).first().toJson().value(u"status").isNull());
    QCOMPARE(journal.after(fast, 10).first().seq, pending);
    QCOMPARE(journal.after(0, 1).size(), 1); // the cap
    QCOMPARE(journal.since(t0.addMSecs(1), 10).size(), 1);
}

void TestRequestPolicy::journalCapacityAndClear()
{
    RequestJournal journal(3);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (int i = 0; i < 5; ++i)
        journal.begin("GET", QStringLiteral("/%1").arg(i), {}, now);
    QCOMPARE(journal.size(), 3);
    QCOMPARE(journal.after(0, 10).first().path, QStringLiteral("/2"));
    journal.finish(1, 200, 0, 0, {}); // gone already: ignored

    journal.clear();
    QCOMPARE(journal.size(), 0);
    const quint64 next = journal.begin("GET", QStringLiteral("/x"), {}, now);
    QCOMPARE(next, 6u); // numbers keep growing, so ?since= stays meaningful
}

QTEST_GUILESS_MAIN(TestRequestPolicy)
#include "tst_requestpolicy.moc"
