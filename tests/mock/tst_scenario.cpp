// SPDX-License-Identifier: GPL-3.0-or-later
// Reading scenario files: the timeline a file describes, and the errors a hand-written file
// gets for what is wrong in it.

#include "core/mock/scenario.h"
#include "core/mock/wirecheck.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace cic;
using namespace cic::mock;

namespace {

const char *const BaseBuild = R"({"number": 1091, "id": "keel-app-1091", "result": "SUCCESS",
    "fullDisplayName": "SPKR/keel-app #1091", "name": "SPKR/keel-app",
    "scm": [{"sha1": "2626f5f0c1d2e3f4a5b6c7d8e9f0011223344556", "committer": "Jane Doe"}],
    "artifacts": [], "properties": {"projectKey": "SPKR", "repoSlug": "keel-app"}})";

QByteArray scenarioWith(const QByteArray &timeline, const QByteArray &extra = {})
{
    return "{" + extra + "\"build\": " + QByteArray(BaseBuild) + ", \"timeline\": " + timeline
        + "}";
}

void writeFile(const QString &path, const QByteArray &data)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(data);
}

} // namespace

class TestScenario : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void timelineTimes();
    void logLinesFromFile();
    void fromFixtureBuild();
    void fromFile();
    void defaultIdAndAutostart();
    void loopOptions();
    void errors_data();
    void errors();
    void fingerprintFollowsReadFiles();
    void loadDirectorySkipsBrokenAndClashing();
    void wireCheck_data();
    void wireCheck();
    void mergeFields();
};

void TestScenario::timelineTimes()
{
    const QByteArray json = scenarioWith(R"([
        {"state": "queued"},
        {"afterMs": 2000, "state": "running"},
        {"afterMs": 500, "log": "one\n"},
        {"afterMs": 500, "log": ["two\n", "three\n"], "everyMs": 250},
        {"afterMs": 1000, "result": "FAILURE"}])");

    const Result<Scenario> scenario = parseScenario(QStringLiteral("s"), json, {});
    QVERIFY2(scenario.ok(), qPrintable(scenario.error()));
    QCOMPARE(scenario->builds.size(), 1);

    const QList<ScenarioStep> &steps = scenario->builds.first().steps;
    QCOMPARE(steps.size(), 6);
    QCOMPARE(steps.at(0).kind, ScenarioStep::Kind::Queue);
    QCOMPARE(steps.at(0).atMs, 0);
    QCOMPARE(steps.at(1).kind, ScenarioStep::Kind::Run);
    QCOMPARE(steps.at(1).atMs, 2000);
    QCOMPARE(steps.at(2).text, QByteArray("one\n"));
    QCOMPARE(steps.at(2).atMs, 2500);
    QCOMPARE(steps.at(3).atMs, 3000);
    QCOMPARE(steps.at(4).text, QByteArray("three\n"));
    QCOMPARE(steps.at(4).atMs, 3250);
    QCOMPARE(steps.at(5).kind, ScenarioStep::Kind::Finish);
    QCOMPARE(steps.at(5).result, BuildResult::Failure);
    QCOMPARE(steps.at(5).atMs, 4250);
    QCOMPARE(scenario->lengthMs(), 4250);
    QCOMPARE(scenario->builds.first().base.id, QStringLiteral("keel-app-1091"));
}

void TestScenario::logLinesFromFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QByteArray text;
    for (int line = 1; line <= 10; ++line)
        text += "line " + QByteArray::number(line) + '\n';
    writeFile(dir.filePath(QStringLiteral("scenarios/logs/run.log")), text);

    const QByteArray json = scenarioWith(R"([{"state": "running"},
        {"afterMs": 100, "log": {"file": "scenarios/logs/run.log", "lines": [2, 8],
                                 "chunkLines": 3, "everyMs": 400}}])");
    const Result<Scenario> scenario = parseScenario(QStringLiteral("s"), json, {dir.path(), {}});
    QVERIFY2(scenario.ok(), qPrintable(scenario.error()));

    const QList<ScenarioStep> &steps = scenario->builds.first().steps;
    QCOMPARE(steps.size(), 4); // running, then lines 2-4, 5-7, 8
    QCOMPARE(steps.at(1).text, QByteArray("line 2\nline 3\nline 4\n"));
    QCOMPARE(steps.at(1).atMs, 100);
    QCOMPARE(steps.at(2).text, QByteArray("line 5\nline 6\nline 7\n"));
    QCOMPARE(steps.at(2).atMs, 500);
    QCOMPARE(steps.at(3).text, QByteArray("line 8\n"));
    QCOMPARE(steps.at(3).atMs, 900);
}

void TestScenario::fromFixtureBuild()
{
    QTemporaryDir dir;
    writeFile(dir.filePath(QStringLiteral("logs/old.log")), "a\nb\nc\n");

    Build recorded;
    recorded.id = QStringLiteral("keel-app-1000");
    recorded.number = 1000;
    recorded.result = BuildResult::Success;
    recorded.properties = {{QStringLiteral("projectKey"), QStringLiteral("SPKR")},
                           {QStringLiteral("repoSlug"), QStringLiteral("keel-app")}};

    ScenarioContext context{
        dir.path(), [&](const QString &id) -> std::optional<std::pair<Build, QString>> {
            if (id != recorded.id)
                return std::nullopt;
            return std::pair{recorded, dir.filePath(QStringLiteral("logs/old.log"))};
        }};

    // "build" lays new fields over the recorded one; the log comes from its file.
    const QByteArray json = R"({"from": "keel-app-1000",
        "build": {"id": "keel-app-1001", "number": 1001, "properties": {"repoSlug": "other"}},
        "timeline": [{"log": {"lines": [2, 3]}}, {"afterMs": 10, "result": "ABORTED"}]})";
    const Result<Scenario> scenario = parseScenario(QStringLiteral("replay"), json, context);
    QVERIFY2(scenario.ok(), qPrintable(scenario.error()));

    const BuildTimeline &timeline = scenario->builds.first();
    QCOMPARE(timeline.base.id, QStringLiteral("keel-app-1001"));
    QCOMPARE(timeline.base.number, 1001);
    QCOMPARE(timeline.base.projectKey(), QStringLiteral("SPKR"));
    QCOMPARE(timeline.base.repoSlug(), QStringLiteral("other"));
    QCOMPARE(timeline.steps.first().text, QByteArray("b\nc\n"));
}

void TestScenario::fromFile()
{
    QTemporaryDir dir;
    writeFile(dir.filePath(QStringLiteral("proj/builds.json")), "[" + QByteArray(BaseBuild) + "]");
    writeFile(dir.filePath(QStringLiteral("proj/logs/keel-app-1091.log")), "x\ny\n");

    const QByteArray json = R"({"from": {"file": "proj/builds.json", "id": "keel-app-1091"},
        "timeline": [{"log": {"lines": [2, 2]}}, {"result": "SUCCESS"}]})";
    const Result<Scenario> scenario = parseScenario(QStringLiteral("s"), json, {dir.path(), {}});
    QVERIFY2(scenario.ok(), qPrintable(scenario.error()));
    QCOMPARE(scenario->builds.first().base.fullDisplayName, QStringLiteral("SPKR/keel-app #1091"));
    QCOMPARE(scenario->builds.first().steps.first().text, QByteArray("y\n"));
}

void TestScenario::defaultIdAndAutostart()
{
    const QByteArray json = R"({"autostart": false, "builds": [
        {"build": {"number": 7}, "timeline": [{"result": "SUCCESS"}]}]})";
    const Result<Scenario> scenario = parseScenario(QStringLiteral("nightly"), json, {});
    QVERIFY2(scenario.ok(), qPrintable(scenario.error()));
    QCOMPARE(scenario->autostart, false);
    QCOMPARE(scenario->builds.first().base.id, QStringLiteral("nightly-7"));
}

void TestScenario::loopOptions()
{
    const Result<Scenario> plain = parseScenario(
        QStringLiteral("s"),
        scenarioWith(R"([{"afterMs": 500, "result": "SUCCESS"}])", R"("loop": true, )"), {});
    QVERIFY2(plain.ok(), qPrintable(plain.error()));
    QVERIFY(plain->loop.enabled);
    QVERIFY(!plain->loop.newBuild);

    const Result<Scenario> renumbered
        = parseScenario(QStringLiteral("s"),
                        scenarioWith(R"([{"afterMs": 500, "result": "SUCCESS"}])",
                                     R"("loop": {"delayMs": 3000, "newBuild": true, "keep": 2}, )"),
                        {});
    QVERIFY2(renumbered.ok(), qPrintable(renumbered.error()));
    QCOMPARE(renumbered->loop.delayMs, 3000);
    QVERIFY(renumbered->loop.newBuild);
    QCOMPARE(renumbered->loop.keep, 2);
}

void TestScenario::errors_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("message"); // a part of the error

    QTest::newRow("invalid JSON") << QByteArray("{") << "invalid JSON";
    QTest::newRow("unknown top key")
        << scenarioWith("[]", R"("autoStart": true, )") << "unknown key \"autoStart\"";
    QTest::newRow("empty timeline") << scenarioWith("[]") << "non-empty list of steps";
    QTest::newRow("unknown step key")
        << scenarioWith(R"([{"after": 5, "result": "SUCCESS"}])") << "unknown key \"after\"";
    QTest::newRow("two actions") << scenarioWith(R"([{"state": "running", "result": "SUCCESS"}])")
                                 << "exactly one of state, log or result";
    QTest::newRow("unknown state")
        << scenarioWith(R"([{"state": "paused"}])") << "\"state\" is \"queued\" or \"running\"";
    QTest::newRow("BUILDING is no result")
        << scenarioWith(R"([{"result": "BUILDING"}])") << "\"result\" must be SUCCESS";
    QTest::newRow("step after the result")
        << scenarioWith(R"([{"result": "SUCCESS"}, {"log": "late"}])")
        << "builds[0].timeline[1]: nothing can follow the result";
    QTest::newRow("queued after running")
        << scenarioWith(R"([{"state": "running"}, {"state": "queued"}])")
        << "queued once, before it runs";
    QTest::newRow("negative delay") << scenarioWith(R"([{"afterMs": -5, "result": "SUCCESS"}])")
                                    << "\"afterMs\" must be whole milliseconds";
    QTest::newRow("log without file")
        << scenarioWith(R"([{"log": {"lines": [1, 2]}}])") << "no log file to read";
    QTest::newRow("missing log file")
        << scenarioWith(R"([{"log": {"file": "nope.log"}}])") << "cannot read nope.log";
    QTest::newRow("no number") << QByteArray(
        R"({"build": {"id": "x"}, "timeline": [{"result": "SUCCESS"}]})")
                               << "needs a \"number\"";
    QTest::newRow("unsafe id") << QByteArray(
        R"({"build": {"id": "a/b", "number": 1}, "timeline": [{"result": "SUCCESS"}]})")
                               << "\"id\" must be a non-empty string";
    QTest::newRow("typo in the build") << QByteArray(
        R"({"build": {"number": 1, "buidling": true}, "timeline": [{"result": "SUCCESS"}]})")
                                       << "unknown key \"buidling\"";
    QTest::newRow("unknown from") << QByteArray(
        R"({"from": "keel-app-1", "timeline": [{"result": "SUCCESS"}]})")
                                  << "no build \"keel-app-1\" in the fixture set";
    QTest::newRow("loop too short")
        << scenarioWith(R"([{"result": "SUCCESS"}])", R"("loop": true, )") << "at least 100 ms";
    QTest::newRow("builds and timeline")
        << QByteArray(R"({"builds": [], "timeline": []})") << "not both";
}

void TestScenario::errors()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, message);

    QTemporaryDir dir;
    const Result<Scenario> scenario = parseScenario(QStringLiteral("s"), json, {dir.path(), {}});
    QVERIFY(!scenario.ok());
    QVERIFY2(scenario.error().contains(message), qPrintable(scenario.error()));
}

void TestScenario::fingerprintFollowsReadFiles()
{
    QTemporaryDir dir;
    const QString log = dir.filePath(QStringLiteral("run.log"));
    writeFile(log, "first\n");
    const QByteArray json = scenarioWith(R"([{"log": {"file": "run.log"}}])");

    const Result<Scenario> before = parseScenario(QStringLiteral("s"), json, {dir.path(), {}});
    const Result<Scenario> same = parseScenario(QStringLiteral("s"), json, {dir.path(), {}});
    writeFile(log, "second\n");
    const Result<Scenario> after = parseScenario(QStringLiteral("s"), json, {dir.path(), {}});

    QVERIFY(before.ok() && same.ok() && after.ok());
    QCOMPARE(same->fingerprint, before->fingerprint);
    QVERIFY(after->fingerprint != before->fingerprint);
}

void TestScenario::loadDirectorySkipsBrokenAndClashing()
{
    QTemporaryDir dir;
    writeFile(dir.filePath(QStringLiteral("scenarios/a.json")),
              scenarioWith(R"([{"result": "SUCCESS"}])"));
    writeFile(dir.filePath(QStringLiteral("scenarios/b.json")), "{not json");
    writeFile(dir.filePath(QStringLiteral("scenarios/c.json")), // the same build id as a.json
              scenarioWith(R"([{"result": "FAILURE"}])"));

    const ScenarioSet set = loadScenarios({dir.path(), {}});
    QCOMPARE(set.scenarios.size(), 1);
    QCOMPARE(set.scenarios.first().name, QStringLiteral("a"));
    QCOMPARE(set.scenarios.first().path, dir.filePath(QStringLiteral("scenarios/a.json")));
    QCOMPARE(set.problems.size(), 2);
    QVERIFY(set.problems.at(0).path.endsWith(QLatin1String("b.json")));
    QVERIFY(set.problems.at(1).message.contains(QLatin1String("also in scenario a")));
}

void TestScenario::wireCheck_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<bool>("whole");
    QTest::addColumn<QString>("problem"); // empty: none expected

    QTest::newRow("whole build") << QByteArray(BaseBuild) << true << QString();
    QTest::newRow("missing id") << QByteArray(R"({"number": 1})") << true
                                << QStringLiteral("\"id\" is required");
    QTest::newRow("fields need no id")
        << QByteArray(R"({"result": "FAILURE"})") << false << QString();
    QTest::newRow("number too big")
        << QByteArray(R"({"number": 3000000000})") << false << QStringLiteral("keel reads an Int");
    QTest::newRow("result typo") << QByteArray(R"({"result": "SUCCES"})") << false
                                 << QStringLiteral("\"result\" must be one of");
    QTest::newRow("building as text") << QByteArray(R"({"building": "yes"})") << false
                                      << QStringLiteral("\"building\" must be true or false");
    QTest::newRow("scm not a list")
        << QByteArray(R"({"scm": {}})") << false << QStringLiteral("\"scm\" must be an array");
    QTest::newRow("bad startedAt")
        << QByteArray(R"({"properties": {"startedAt": "yesterday"}})") << false
        << QStringLiteral("properties.startedAt must be ISO-8601");
    QTest::newRow("null property removes")
        << QByteArray(R"({"properties": {"x": null}})") << false << QString();
    QTest::newRow("nested property") << QByteArray(R"({"properties": {"x": [1]}})") << false
                                     << QStringLiteral("properties.x must be a string");
}

void TestScenario::wireCheck()
{
    QFETCH(QByteArray, json);
    QFETCH(bool, whole);
    QFETCH(QString, problem);

    const QStringList problems = checkWireBuild(QJsonDocument::fromJson(json).object(),
                                                whole ? WireCheck::Whole : WireCheck::Fields);
    if (problem.isEmpty()) {
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u"; ")));
    } else {
        QCOMPARE(problems.size(), 1);
        QVERIFY2(problems.first().contains(problem), qPrintable(problems.first()));
    }
}

void TestScenario::mergeFields()
{
    const QJsonObject build = QJsonDocument::fromJson(BaseBuild).object();
    const QJsonObject merged
        = mergeWireFields(build,
                          QJsonDocument::fromJson(R"({"number": 5, "properties": {"repoSlug": null,
                                                                       "x": "y"}})")
                              .object());

    QCOMPARE(merged.value(u"number").toInt(), 5);
    QCOMPARE(merged.value(u"id").toString(), QStringLiteral("keel-app-1091"));
    const QJsonObject properties = merged.value(u"properties").toObject();
    QCOMPARE(properties.value(u"projectKey").toString(), QStringLiteral("SPKR"));
    QVERIFY(!properties.contains(u"repoSlug"));
    QCOMPARE(properties.value(u"x").toString(), QStringLiteral("y"));
}

QTEST_GUILESS_MAIN(TestScenario)
#include "tst_scenario.moc"
