// SPDX-License-Identifier: GPL-3.0-or-later
// The scenario engine on a fake clock: each state a build goes through, as deck and keel
// would see it on the wire, and the controls (pause, resume, reset, advance, loop).

#include "core/mock/scenarioengine.h"
#include "core/model/wirecodec.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

using namespace cic;
using namespace cic::mock;

namespace {

constexpr qint64 T0 = 1'796'040'000'000; // 2026-11-30T12:00:00Z

// Not a raw string: moc 6.4 reads the "//" of a URL inside one as a comment.
const char *const Base
    = "\"build\": {\"number\": 1091, \"id\": \"keel-app-1091\","
      " \"fullDisplayName\": \"SPKR/keel-app #1091\","
      " \"url\": \"https://ci.example.com/builds/keel-app-1091\","
      " \"scm\": [{\"sha1\": \"2626f5f0c1d2e3f4a5b6c7d8e9f0011223344556\","
      " \"committer\": \"Jane Doe\"}],"
      " \"artifacts\": [{\"fileName\": \"keel-app.deb\", \"decorated\": false}],"
      " \"testResults\": [{\"failCount\": 0, \"skipCount\": 0, \"totalCount\": 3}],"
      " \"properties\": {\"projectKey\": \"SPKR\", \"repoSlug\": \"keel-app\","
      " \"pullRequestNumber\": \"\"}}";

// queued 0-2 s, running from 2 s, chunks at 3 s and 4 s, the result at 6 s.
const char *const Timeline = R"("timeline": [
    {"state": "queued"},
    {"afterMs": 2000, "state": "running"},
    {"afterMs": 1000, "log": "one\n"},
    {"afterMs": 1000, "log": "two\n"},
    {"afterMs": 2000, "result": "%1"}])";

Scenario scenario(const QByteArray &extra = {}, const QString &result = QStringLiteral("SUCCESS"),
                  const QString &name = QStringLiteral("keel"))
{
    const QByteArray json
        = "{" + extra + Base + ", " + QString::fromLatin1(Timeline).arg(result).toUtf8() + "}";
    Result<Scenario> parsed = parseScenario(name, json, {});
    if (!parsed)
        qFatal("%s", qPrintable(parsed.error()));
    return parsed.value();
}

QJsonObject wireOf(const BuildPtr &build)
{
    return build ? wire::toJson(*build) : QJsonObject();
}

} // namespace

class TestScenarioEngine : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();

    void buildGoesThroughItsStates();
    void finalResults_data();
    void finalResults();
    void notStartedUntilAsked();
    void pauseHoldsTheTimeline();
    void resetAndRestart();
    void advanceJumps();
    void loopRerunsTheSameBuild();
    void loopWithNewBuilds();
    void unchangedScenarioKeepsItsState();
    void changedScenarioRestarts();
    void buildIdsBelongToOneScenario();
    void firstChunkStartsAQueuedBuild();
    void timerDrivesRealTime();

private:
    qint64 m_now = T0;
    std::unique_ptr<ScenarioEngine> m_engine;

    void at(qint64 ms)
    {
        m_now = T0 + ms;
        m_engine->update();
    }
};

void TestScenarioEngine::init()
{
    m_now = T0;
    m_engine = std::make_unique<ScenarioEngine>();
    m_engine->setClock([this] { return m_now; });
}

void TestScenarioEngine::buildGoesThroughItsStates()
{
    QSignalSpy changed(m_engine.get(), &ScenarioEngine::buildsChanged);
    QVERIFY(m_engine->setScenario(scenario()).ok());
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.takeFirst().at(0).toStringList(), QStringList{"keel-app-1091"});

    // Queued: NOT_BUILT, not building, started when it entered the queue, no artifacts yet.
    QJsonObject wire = wireOf(m_engine->build(QStringLiteral("keel-app-1091")));
    QCOMPARE(wire.value(u"building").toBool(), false);
    QCOMPARE(wire.value(u"result").toString(), QStringLiteral("NOT_BUILT"));
    QVERIFY(!wire.contains(u"duration"));
    QCOMPARE(wire.value(u"artifacts").toArray().size(), 0);
    QJsonObject properties = wire.value(u"properties").toObject();
    QCOMPARE(properties.value(u"startedTs").toString(), QString::number(T0));
    QCOMPARE(properties.value(u"startedAt").toString(), QStringLiteral("2026-11-30T12:00:00Z"));
    QVERIFY(!properties.contains(u"completedAt"));
    QCOMPARE(m_engine->log(QStringLiteral("keel-app-1091")), QByteArray());

    // Running: BUILDING, the duration is the time since it started, which keeps growing.
    at(2500);
    wire = wireOf(m_engine->build(QStringLiteral("keel-app-1091")));
    QCOMPARE(wire.value(u"building").toBool(), true);
    QCOMPARE(wire.value(u"result").toString(), QStringLiteral("BUILDING"));
    QCOMPARE(wire.value(u"duration").toInteger(), 500);
    QCOMPARE(wire.value(u"properties").toObject().value(u"startedTs").toString(),
             QString::number(T0 + 2000));
    QCOMPARE(wire.value(u"timestamp").toString(), QString::number(T0 + 2000));
    at(2900);
    QCOMPARE(
        wireOf(m_engine->build(QStringLiteral("keel-app-1091"))).value(u"duration").toInteger(),
        900);

    // The log grows chunk by chunk.
    at(3000);
    QCOMPARE(m_engine->log(QStringLiteral("keel-app-1091")), QByteArray("one\n"));
    QVERIFY(!m_engine->isLogFinal(QStringLiteral("keel-app-1091")));
    at(4500);
    QCOMPARE(m_engine->log(QStringLiteral("keel-app-1091")), QByteArray("one\ntwo\n"));

    // Finished: the result, completedAt/completedTs, duration = end - start, artifacts back.
    at(6000);
    wire = wireOf(m_engine->build(QStringLiteral("keel-app-1091")));
    QCOMPARE(wire.value(u"building").toBool(), false);
    QCOMPARE(wire.value(u"result").toString(), QStringLiteral("SUCCESS"));
    QCOMPARE(wire.value(u"duration").toInteger(), 4000);
    properties = wire.value(u"properties").toObject();
    QCOMPARE(properties.value(u"completedTs").toString(), QString::number(T0 + 6000));
    QCOMPARE(properties.value(u"completedAt").toString(), QStringLiteral("2026-11-30T12:00:06Z"));
    QCOMPARE(properties.value(u"pullRequestNumber").toString(), QString());
    QCOMPARE(wire.value(u"artifacts").toArray().size(), 1);
    QCOMPARE(wire.value(u"testResults").toArray().size(), 1);
    QVERIFY(m_engine->isLogFinal(QStringLiteral("keel-app-1091")));
    QCOMPARE(m_engine->status(QStringLiteral("keel"))->state, ScenarioEngine::State::Finished);

    // Nothing changes after the end.
    changed.clear();
    at(60000);
    QCOMPARE(changed.count(), 0);
}

void TestScenarioEngine::finalResults_data()
{
    QTest::addColumn<QString>("result");
    QTest::newRow("success") << QStringLiteral("SUCCESS");
    QTest::newRow("failure") << QStringLiteral("FAILURE");
    QTest::newRow("unstable") << QStringLiteral("UNSTABLE");
    QTest::newRow("aborted") << QStringLiteral("ABORTED");
    QTest::newRow("not built") << QStringLiteral("NOT_BUILT");
}

void TestScenarioEngine::finalResults()
{
    QFETCH(QString, result);
    QVERIFY(m_engine->setScenario(scenario({}, result)).ok());
    at(6000);
    const BuildPtr build = m_engine->build(QStringLiteral("keel-app-1091"));
    QVERIFY(build);
    QCOMPARE(wireOf(build).value(u"result").toString(), result);
    QCOMPARE(build->building, false);
}

void TestScenarioEngine::notStartedUntilAsked()
{
    QVERIFY(m_engine->setScenario(scenario(R"("autostart": false, )")).ok());
    at(10000);
    QVERIFY(!m_engine->build(QStringLiteral("keel-app-1091")));
    QCOMPARE(m_engine->status(QStringLiteral("keel"))->state, ScenarioEngine::State::Stopped);
    QCOMPARE(m_engine->ownerOf(QStringLiteral("keel-app-1091")), QStringLiteral("keel"));

    QVERIFY(m_engine->start(QStringLiteral("keel")).ok());
    QCOMPARE(m_engine->build(QStringLiteral("keel-app-1091"))
                 ->properties.value(QStringLiteral("startedTs")),
             QString::number(T0 + 10000));
    QVERIFY(!m_engine->start(QStringLiteral("nope")).ok());
}

void TestScenarioEngine::pauseHoldsTheTimeline()
{
    QVERIFY(m_engine->setScenario(scenario()).ok());
    at(3500);
    const Result<ScenarioEngine::Status> paused = m_engine->pause(QStringLiteral("keel"));
    QVERIFY(paused.ok());
    QCOMPARE(paused->state, ScenarioEngine::State::Paused);
    QVERIFY(!m_engine->pause(QStringLiteral("keel")).ok()); // already paused

    // Ten seconds later: the log has not grown, the build has not finished, but it still runs.
    at(13500);
    const BuildPtr held = m_engine->build(QStringLiteral("keel-app-1091"));
    QCOMPARE(m_engine->log(QStringLiteral("keel-app-1091")), QByteArray("one\n"));
    QVERIFY(held->building);
    QCOMPARE(*held->durationMs, 11500);
    QCOMPARE(m_engine->status(QStringLiteral("keel"))->elapsedMs, 3500);

    // The rest of the timeline moves by the pause: the second chunk comes 500 ms after resume.
    QVERIFY(m_engine->resume(QStringLiteral("keel")).ok());
    at(13999);
    QCOMPARE(m_engine->log(QStringLiteral("keel-app-1091")), QByteArray("one\n"));
    at(14000);
    QCOMPARE(m_engine->log(QStringLiteral("keel-app-1091")), QByteArray("one\ntwo\n"));
    at(16000);
    QCOMPARE(m_engine->build(QStringLiteral("keel-app-1091"))->result, BuildResult::Success);
    QCOMPARE(*m_engine->build(QStringLiteral("keel-app-1091"))->durationMs, 14000);
}

void TestScenarioEngine::resetAndRestart()
{
    QVERIFY(m_engine->setScenario(scenario()).ok());
    at(4500);
    QSignalSpy logs(m_engine.get(), &ScenarioEngine::logsReset);
    QSignalSpy builds(m_engine.get(), &ScenarioEngine::buildsChanged);

    const Result<ScenarioEngine::Status> reset = m_engine->reset(QStringLiteral("keel"));
    QVERIFY(reset.ok());
    QCOMPARE(reset->state, ScenarioEngine::State::Stopped);
    QVERIFY(!m_engine->build(QStringLiteral("keel-app-1091")));
    QCOMPARE(logs.count(), 1);
    QCOMPARE(logs.first().at(0).toStringList(), QStringList{"keel-app-1091"});
    QCOMPARE(builds.count(), 1);

    at(5000);
    QVERIFY(m_engine->restart(QStringLiteral("keel")).ok());
    const BuildPtr again = m_engine->build(QStringLiteral("keel-app-1091"));
    QVERIFY(again);
    QCOMPARE(again->result, BuildResult::NotBuilt);
    QCOMPARE(again->startedMs(), T0 + 5000);
    QCOMPARE(m_engine->log(QStringLiteral("keel-app-1091")), QByteArray());
}

void TestScenarioEngine::advanceJumps()
{
    QVERIFY(m_engine->setScenario(scenario()).ok());
    QVERIFY(!m_engine->advance(QStringLiteral("keel"), -1).ok());

    // Into the middle: steps due by then are taken with the times they were due at.
    Result<ScenarioEngine::Status> status = m_engine->advance(QStringLiteral("keel"), 3000);
    QVERIFY(status.ok());
    QCOMPARE(status->elapsedMs, 3000);
    const BuildPtr running = m_engine->build(QStringLiteral("keel-app-1091"));
    QCOMPARE(m_engine->log(QStringLiteral("keel-app-1091")), QByteArray("one\n"));
    QCOMPARE(running->startedMs(), T0 - 1000); // started 1 s "ago"

    // Past the end: what happened moves back with the jump, so the times stay consistent.
    status = m_engine->advance(QStringLiteral("keel"), 10000);
    QCOMPARE(status->state, ScenarioEngine::State::Finished);
    const BuildPtr finished = m_engine->build(QStringLiteral("keel-app-1091"));
    QCOMPARE(finished->result, BuildResult::Success);
    QCOMPARE(*finished->durationMs, 4000);
    QCOMPARE(finished->startedMs(), T0 - 11000);
    QCOMPARE(finished->properties.value(QStringLiteral("completedTs")), QString::number(T0 - 7000));

    QVERIFY(m_engine->reset(QStringLiteral("keel")).ok());
    QVERIFY(!m_engine->advance(QStringLiteral("keel"), 10).ok()); // stopped
}

void TestScenarioEngine::loopRerunsTheSameBuild()
{
    QVERIFY(m_engine->setScenario(scenario(R"("loop": {"delayMs": 4000}, )")).ok());
    at(6000);
    QCOMPARE(m_engine->build(QStringLiteral("keel-app-1091"))->result, BuildResult::Success);
    QCOMPARE(m_engine->status(QStringLiteral("keel"))->state, ScenarioEngine::State::Running);

    QSignalSpy logs(m_engine.get(), &ScenarioEngine::logsReset);
    at(9999);
    QCOMPARE(logs.count(), 0);
    at(10000); // 6 s of timeline + 4 s of delay: round two, the same build queued again
    QCOMPARE(logs.count(), 1);
    const BuildPtr rerun = m_engine->build(QStringLiteral("keel-app-1091"));
    QCOMPARE(rerun->result, BuildResult::NotBuilt);
    QCOMPARE(rerun->startedMs(), T0 + 10000);
    QCOMPARE(m_engine->log(QStringLiteral("keel-app-1091")), QByteArray());
    QCOMPARE(m_engine->status(QStringLiteral("keel"))->round, 1);
    QCOMPARE(m_engine->builds().size(), 1);
}

void TestScenarioEngine::loopWithNewBuilds()
{
    QVERIFY(
        m_engine
            ->setScenario(scenario(R"("loop": {"delayMs": 4000, "newBuild": true, "keep": 2}, )"))
            .ok());
    at(10000);
    const BuildPtr second = m_engine->build(QStringLiteral("keel-app-1092"));
    QVERIFY(second);
    QCOMPARE(second->number, 1092);
    QCOMPARE(second->fullDisplayName, QStringLiteral("SPKR/keel-app #1092"));
    QCOMPARE(second->url, QStringLiteral("https://ci.example.com/builds/keel-app-1092"));
    QCOMPARE(second->result, BuildResult::NotBuilt);

    // The first round's build stays, finished, with its log.
    const BuildPtr first = m_engine->build(QStringLiteral("keel-app-1091"));
    QVERIFY(first);
    QCOMPARE(first->result, BuildResult::Success);
    QCOMPARE(m_engine->log(QStringLiteral("keel-app-1091")), QByteArray("one\ntwo\n"));

    // Only `keep` earlier rounds are listed.
    at(40000 + 1); // rounds of 10 s: the fifth round has just begun
    QStringList ids;
    for (const BuildPtr &build : m_engine->builds())
        ids.append(build->id);
    ids.sort();
    QCOMPARE(ids, (QStringList{"keel-app-1093", "keel-app-1094", "keel-app-1095"}));
    QVERIFY(!m_engine->build(QStringLiteral("keel-app-1091")));
}

void TestScenarioEngine::unchangedScenarioKeepsItsState()
{
    QVERIFY(m_engine->setScenario(scenario()).ok());
    at(3500);
    QSignalSpy changed(m_engine.get(), &ScenarioEngine::buildsChanged);

    const Result<ScenarioEngine::Status> again = m_engine->setScenario(scenario());
    QVERIFY(again.ok());
    QCOMPARE(again->elapsedMs, 3500);
    QCOMPARE(changed.count(), 0);
    QCOMPARE(m_engine->log(QStringLiteral("keel-app-1091")), QByteArray("one\n"));
}

void TestScenarioEngine::changedScenarioRestarts()
{
    QVERIFY(m_engine->setScenario(scenario()).ok());
    at(3500);
    QSignalSpy logs(m_engine.get(), &ScenarioEngine::logsReset);

    const Result<ScenarioEngine::Status> replaced
        = m_engine->setScenario(scenario({}, QStringLiteral("FAILURE")));
    QVERIFY(replaced.ok());
    QCOMPARE(replaced->elapsedMs, 0);
    QCOMPARE(logs.count(), 1);
    QCOMPARE(m_engine->build(QStringLiteral("keel-app-1091"))->result, BuildResult::NotBuilt);
    at(9500);
    QCOMPARE(m_engine->build(QStringLiteral("keel-app-1091"))->result, BuildResult::Failure);

    // A stopped scenario that does not autostart stays stopped when its file changes.
    QVERIFY(m_engine->removeScenario(QStringLiteral("keel")));
    QVERIFY(m_engine->setScenario(scenario(R"("autostart": false, )")).ok());
    QVERIFY(m_engine->setScenario(scenario(R"("autostart": false, "description": "x", )")).ok());
    QCOMPARE(m_engine->status(QStringLiteral("keel"))->state, ScenarioEngine::State::Stopped);
}

void TestScenarioEngine::buildIdsBelongToOneScenario()
{
    QVERIFY(m_engine->setScenario(scenario()).ok());
    const Result<ScenarioEngine::Status> clash
        = m_engine->setScenario(scenario({}, QStringLiteral("SUCCESS"), QStringLiteral("second")));
    QVERIFY(!clash.ok());
    QVERIFY(clash.error().contains(QLatin1String("belongs to scenario \"keel\"")));
}

void TestScenarioEngine::firstChunkStartsAQueuedBuild()
{
    const QByteArray json = R"({"build": {"number": 5, "id": "b-5"}, "timeline": [
        {"afterMs": 1000, "log": "hello\n"}, {"afterMs": 1000, "result": "SUCCESS"}]})";
    const Result<Scenario> parsed = parseScenario(QStringLiteral("s"), json, {});
    QVERIFY(parsed.ok());
    QVERIFY(m_engine->setScenario(*parsed).ok());

    QCOMPARE(m_engine->build(QStringLiteral("b-5"))->result, BuildResult::NotBuilt);
    at(1000);
    QVERIFY(m_engine->build(QStringLiteral("b-5"))->building);
    QCOMPARE(m_engine->build(QStringLiteral("b-5"))->startedMs(), T0 + 1000);
    at(2000);
    QCOMPARE(*m_engine->build(QStringLiteral("b-5"))->durationMs, 1000);
}

void TestScenarioEngine::timerDrivesRealTime()
{
    ScenarioEngine engine; // the wall clock
    engine.setTickInterval(20);
    const QByteArray json = R"({"build": {"number": 5, "id": "b-5"}, "timeline": [
        {"state": "running"}, {"afterMs": 50, "log": "a\n"}, {"afterMs": 50, "log": "b\n"},
        {"afterMs": 50, "result": "FAILURE"}]})";
    const Result<Scenario> parsed = parseScenario(QStringLiteral("s"), json, {});
    QVERIFY(parsed.ok());
    QVERIFY(engine.setScenario(*parsed).ok());

    QSignalSpy changed(&engine, &ScenarioEngine::buildsChanged);
    QTRY_COMPARE(engine.status(QStringLiteral("s"))->state, ScenarioEngine::State::Finished);
    QCOMPARE(engine.build(QStringLiteral("b-5"))->result, BuildResult::Failure);
    QCOMPARE(engine.log(QStringLiteral("b-5")), QByteArray("a\nb\n"));
    QVERIFY(changed.count() >= 3); // two chunks that changed the build's duration, the end
}

QTEST_GUILESS_MAIN(TestScenarioEngine)
#include "tst_scenarioengine.moc"
