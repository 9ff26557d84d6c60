// SPDX-License-Identifier: GPL-3.0-or-later
// The mock source behind the registry and the store: fixture builds with scenarios playing
// over them, run-time edits, logs that grow through the registry's incremental cache, and
// hot reload of the fixture files.

#include "core/mock/mocksource.h"
#include "core/model/wirecodec.h"
#include "core/providers/fixtures/fixtureprovider.h"
#include "core/service/sourceregistry.h"
#include "core/store/buildstore.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace cic;
using namespace cic::mock;

namespace {

constexpr qint64 T0 = 1'796'040'000'000;

const char *const FixtureBuilds = R"([
  {"building": false, "number": 1090, "id": "keel-app-1090", "result": "SUCCESS",
   "name": "SPKR/keel-app", "duration": 1000, "timestamp": "1796000000000",
   "scm": [{"sha1": "aaaa000000000000000000000000000000000000", "committer": "Jane Doe"}],
   "artifacts": [], "testResults": [],
   "properties": {"projectKey": "SPKR", "repoSlug": "keel-app", "startedTs": "1796000000000",
                  "startedAt": "2026-11-30T00:53:20Z"}},
  {"building": false, "number": 7, "id": "tools-7", "result": "FAILURE", "name": "OPS/tools",
   "scm": [], "artifacts": [], "testResults": [],
   "properties": {"projectKey": "OPS", "repoSlug": "tools", "startedTs": "1795000000000"}}
])";

const char *const RunScenario = R"({"build": {"number": 1091, "id": "keel-app-1091",
    "name": "SPKR/keel-app", "properties": {"projectKey": "SPKR", "repoSlug": "keel-app"},
    "scm": [{"sha1": "bbbb000000000000000000000000000000000000", "committer": "Jane Doe"}]},
  "timeline": [{"state": "running"}, {"afterMs": 1000, "log": "one\n"},
               {"afterMs": 1000, "log": "two\n"}, {"afterMs": 1000, "result": "%1"}]})";

void writeFile(const QString &path, const QByteArray &data)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(data);
}

QByteArray runScenario(const char *result = "SUCCESS")
{
    return QString::fromUtf8(RunScenario).arg(QLatin1String(result)).toUtf8();
}

QJsonObject json(const QByteArray &text)
{
    return QJsonDocument::fromJson(text).object();
}

QByteArray fetchedLog(SourceRegistry &registry, const QString &id)
{
    QFuture<Result<LogChunk>> future = registry.fetchLog(id);
    future.waitForFinished();
    const Result<LogChunk> chunk = future.result();
    return chunk ? chunk->text : QByteArray("<" + chunk.error().toUtf8() + ">");
}

} // namespace

class TestMockSource : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void servesFixturesAndScenarios();
    void storeFollowsTheScenario();
    void registryLogCacheFollowsGrowthAndResets();
    void putPatchRemove();
    void patchMovesABuildAlong();
    void rejectsBrokenBodies_data();
    void rejectsBrokenBodies();
    void editedLogsGrowThroughTheCache();
    void scenarioTakesOverAFixtureId();
    void hotReloadKeepsRunningScenario();
    void changedScenarioFileRestartsOnlyIt();
    void runTimeScenario();
    void options();
    void bundledDemoScenariosPlay_data();
    void bundledDemoScenariosPlay();

private:
    void makeSet(const QByteArray &scenarioResult = "SUCCESS");
    void startMock();

    qint64 m_now = T0;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<BuildStore> m_store;
    std::unique_ptr<SourceRegistry> m_registry;
    MockSource *m_mock = nullptr; // owned by the registry

    void at(qint64 ms)
    {
        m_now = T0 + ms;
        m_mock->engine()->update();
    }
};

void TestMockSource::init()
{
    m_now = T0;
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_store = std::make_unique<BuildStore>();
    m_registry = std::make_unique<SourceRegistry>(m_store.get());
}

void TestMockSource::cleanup()
{
    m_registry.reset();
    m_store.reset();
    m_mock = nullptr;
}

void TestMockSource::makeSet(const QByteArray &scenarioResult)
{
    writeFile(m_dir->filePath(QStringLiteral("keel/builds.json")), FixtureBuilds);
    writeFile(m_dir->filePath(QStringLiteral("keel/logs/keel-app-1090.log")), "fixture log\n");
    writeFile(m_dir->filePath(QStringLiteral("scenarios/run.json")),
              runScenario(scenarioResult.constData()));
}

void TestMockSource::startMock()
{
    m_mock = new MockSource(QStringLiteral("mock"), m_dir->path());
    // Play the scenario on the test's clock from its start.
    m_mock->engine()->setClock([this] { return m_now; });
    QVERIFY(m_mock->engine()->restart(QStringLiteral("run")).ok());
    m_registry->addSource(m_mock);
    m_registry->refresh();
}

void TestMockSource::servesFixturesAndScenarios()
{
    makeSet();
    startMock();

    QVERIFY2(m_mock->problems().isEmpty(), qPrintable(m_mock->problems().value(0).toString()));
    QCOMPARE(m_mock->builds().size(), 3);
    QCOMPARE(m_mock->origin(QStringLiteral("keel-app-1090")), Origin::Fixture);
    QCOMPARE(m_mock->origin(QStringLiteral("keel-app-1091")), Origin::Scenario);
    QCOMPARE(m_mock->builds().first()->id, QStringLiteral("keel-app-1091")); // newest first

    const BuildPtr played = m_store->build(QStringLiteral("keel-app-1091"));
    QVERIFY(played);
    QCOMPARE(played->source, QStringLiteral("mock"));
    QCOMPARE(played->project, QStringLiteral("SPKR/keel-app"));
    QVERIFY(played->building);

    QFuture<Result<QList<SourceProject>>> projects = m_mock->listProjects();
    QCOMPARE(projects.result()->size(), 2);
    QCOMPARE(fetchedLog(*m_registry, QStringLiteral("keel-app-1090")), QByteArray("fixture log\n"));
}

void TestMockSource::storeFollowsTheScenario()
{
    makeSet("FAILURE");
    startMock();

    QSignalSpy changed(m_store.get(), &BuildStore::changed);
    at(1500);
    QVERIFY(changed.count() >= 1);
    QCOMPARE(*m_store->build(QStringLiteral("keel-app-1091"))->durationMs, 1500);

    BuildQuery running;
    running.results = resultBit(BuildResult::Building);
    QCOMPARE(m_store->query(running).size(), 1);

    at(3000);
    const BuildPtr finished = m_store->build(QStringLiteral("keel-app-1091"));
    QCOMPARE(finished->result, BuildResult::Failure);
    QVERIFY(!finished->building);
    QCOMPARE(m_store->query(running).size(), 0);

    // keel's query by commit and number finds it, finished.
    BuildQuery keel;
    keel.commitPrefix = QStringLiteral("bbbb000");
    keel.buildNumber = 1091;
    const BuildList found = m_store->query(keel);
    QCOMPARE(found.size(), 1);
    QCOMPARE(wire::toJson(*found.first()).value(u"result").toString(), QStringLiteral("FAILURE"));
}

void TestMockSource::registryLogCacheFollowsGrowthAndResets()
{
    makeSet();
    startMock();

    QCOMPARE(fetchedLog(*m_registry, QStringLiteral("keel-app-1091")), QByteArray());
    at(1000);
    QCOMPARE(fetchedLog(*m_registry, QStringLiteral("keel-app-1091")), QByteArray("one\n"));
    at(2000);
    QCOMPARE(fetchedLog(*m_registry, QStringLiteral("keel-app-1091")), QByteArray("one\ntwo\n"));
    at(3000);
    QCOMPARE(fetchedLog(*m_registry, QStringLiteral("keel-app-1091")), QByteArray("one\ntwo\n"));

    // The restarted build's log starts again; the cache must not keep the old text.
    QSignalSpy invalidated(m_registry.get(), &SourceRegistry::logsInvalidated);
    at(4000);
    QVERIFY(m_mock->engine()->restart(QStringLiteral("run")).ok());
    QVERIFY(invalidated.count() >= 1);
    QCOMPARE(fetchedLog(*m_registry, QStringLiteral("keel-app-1091")), QByteArray());
    at(5000);
    QCOMPARE(fetchedLog(*m_registry, QStringLiteral("keel-app-1091")), QByteArray("one\n"));
}

void TestMockSource::putPatchRemove()
{
    makeSet();
    startMock();

    const Result<BuildPtr> created
        = m_mock->putBuild(QStringLiteral("tools-8"),
                           json(R"({"number": 8, "name": "OPS/tools", "building": true, "scm": [],
                 "properties": {"projectKey": "OPS", "repoSlug": "tools"}})"));
    QVERIFY2(created.ok(), qPrintable(created.error()));
    QCOMPARE(m_mock->origin(QStringLiteral("tools-8")), Origin::Edit);
    const BuildPtr stored = m_store->build(QStringLiteral("tools-8"));
    QVERIFY(stored);
    QCOMPARE(stored->properties.value(QStringLiteral("startedTs")), QString::number(T0));
    QCOMPARE(stored->project, QStringLiteral("OPS/tools"));

    // A fixture build changed at run time, then deleted: it stays deleted.
    const Result<BuildPtr> patched = m_mock->patchBuild(
        QStringLiteral("tools-7"), json(R"({"properties": {"pullRequestNumber": "12"}})"));
    QVERIFY2(patched.ok(), qPrintable(patched.error()));
    QCOMPARE(m_store->build(QStringLiteral("tools-7"))
                 ->properties.value(QStringLiteral("pullRequestNumber")),
             QStringLiteral("12"));
    QCOMPARE(m_store->build(QStringLiteral("tools-7"))->result, BuildResult::Failure);

    QVERIFY(m_mock->removeBuild(QStringLiteral("tools-7")));
    QVERIFY(!m_store->build(QStringLiteral("tools-7")));
    QVERIFY(!m_mock->removeBuild(QStringLiteral("tools-7")));

    m_mock->clearEdits();
    QVERIFY(m_store->build(QStringLiteral("tools-7")));
    QVERIFY(!m_store->build(QStringLiteral("tools-8")));
    QVERIFY(m_store->build(QStringLiteral("tools-7"))
                ->properties.value(QStringLiteral("pullRequestNumber"))
                .isEmpty());
}

void TestMockSource::patchMovesABuildAlong()
{
    makeSet();
    startMock();
    QVERIFY(
        m_mock
            ->putBuild(QStringLiteral("tools-8"), json(R"({"number": 8, "building": true, "scm": [],
                                      "properties": {"projectKey": "OPS", "repoSlug": "tools"}})"))
            .ok());

    // A final result finishes it: completedAt/completedTs now, duration since it started.
    m_now = T0 + 42000;
    Result<BuildPtr> done
        = m_mock->patchBuild(QStringLiteral("tools-8"), json(R"({"result": "FAILURE"})"));
    QVERIFY2(done.ok(), qPrintable(done.error()));
    QCOMPARE((*done)->building, false);
    QCOMPARE((*done)->result, BuildResult::Failure);
    QCOMPARE(*(*done)->durationMs, 42000);
    QCOMPARE((*done)->properties.value(QStringLiteral("completedTs")), QString::number(T0 + 42000));
    QCOMPARE((*done)->properties.value(QStringLiteral("completedAt")),
             QStringLiteral("2026-11-30T12:00:42Z"));

    // Running again drops the end.
    const Result<BuildPtr> rerun
        = m_mock->patchBuild(QStringLiteral("tools-8"), json(R"({"building": true})"));
    QVERIFY2(rerun.ok(), qPrintable(rerun.error()));
    QCOMPARE(wire::toJson(**rerun).value(u"result").toString(), QStringLiteral("BUILDING"));
    QVERIFY(!(*rerun)->properties.contains(QStringLiteral("completedAt")));

    const Result<BuildPtr> noResult
        = m_mock->patchBuild(QStringLiteral("tools-8"), json(R"({"building": false})"));
    QVERIFY(!noResult.ok());
    QVERIFY(noResult.error().contains(QLatin1String("needs a \"result\"")));
}

void TestMockSource::rejectsBrokenBodies_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("problem");

    QTest::newRow("other id") << QByteArray(R"({"id": "x-1", "number": 1})")
                              << QStringLiteral("differs from \"tools-9\"");
    QTest::newRow("no number") << QByteArray(R"({"building": true})")
                               << QStringLiteral("\"number\" is required");
    QTest::newRow("bad result") << QByteArray(R"({"number": 9, "result": "GREEN"})")
                                << QStringLiteral("\"result\" must be one of");
    QTest::newRow("typo") << QByteArray(R"({"number": 9, "propertes": {}})")
                          << QStringLiteral("unknown key \"propertes\"");
}

void TestMockSource::rejectsBrokenBodies()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, problem);

    makeSet();
    startMock();
    const Result<BuildPtr> put = m_mock->putBuild(QStringLiteral("tools-9"), json(body));
    QVERIFY(!put.ok());
    QVERIFY2(put.error().contains(problem), qPrintable(put.error()));
    QVERIFY(!m_store->build(QStringLiteral("tools-9")));
}

void TestMockSource::editedLogsGrowThroughTheCache()
{
    makeSet();
    startMock();

    // A finished fixture build's log was cached whole; appending makes it ours and it grows.
    QCOMPARE(fetchedLog(*m_registry, QStringLiteral("keel-app-1090")), QByteArray("fixture log\n"));
    QCOMPARE(m_mock->appendLog(QStringLiteral("keel-app-1090"), "more\n"), 17);
    QCOMPARE(fetchedLog(*m_registry, QStringLiteral("keel-app-1090")),
             QByteArray("fixture log\nmore\n"));
    m_mock->appendLog(QStringLiteral("keel-app-1090"), "again\n");
    QCOMPARE(fetchedLog(*m_registry, QStringLiteral("keel-app-1090")),
             QByteArray("fixture log\nmore\nagain\n"));

    QSignalSpy invalidated(m_registry.get(), &SourceRegistry::logsInvalidated);
    m_mock->setLog(QStringLiteral("keel-app-1090"), "short\n");
    QCOMPARE(invalidated.count(), 1);
    QCOMPARE(fetchedLog(*m_registry, QStringLiteral("keel-app-1090")), QByteArray("short\n"));
    QCOMPARE(m_mock->logText(QStringLiteral("keel-app-1090")), QByteArray("short\n"));
}

void TestMockSource::scenarioTakesOverAFixtureId()
{
    writeFile(m_dir->filePath(QStringLiteral("keel/builds.json")), FixtureBuilds);
    writeFile(m_dir->filePath(QStringLiteral("keel/logs/keel-app-1090.log")), "fixture log\n");
    // A replay of the recorded build under its own id, started on request.
    writeFile(m_dir->filePath(QStringLiteral("scenarios/replay.json")),
              R"({"autostart": false, "from": "keel-app-1090",
                  "timeline": [{"state": "running"}, {"afterMs": 10, "log": {"lines": [1, 1]}},
                               {"afterMs": 10, "result": "SUCCESS"}]})");
    m_mock = new MockSource(QStringLiteral("mock"), m_dir->path());
    m_mock->engine()->setClock([this] { return m_now; });
    m_registry->addSource(m_mock);
    m_registry->refresh();
    QVERIFY2(m_mock->problems().isEmpty(), qPrintable(m_mock->problems().value(0).toString()));

    QCOMPARE(fetchedLog(*m_registry, QStringLiteral("keel-app-1090")), QByteArray("fixture log\n"));
    QVERIFY(m_mock->engine()->start(QStringLiteral("replay")).ok());
    QCOMPARE(m_mock->origin(QStringLiteral("keel-app-1090")), Origin::Scenario);
    QVERIFY(m_store->build(QStringLiteral("keel-app-1090"))->building);
    QCOMPARE(fetchedLog(*m_registry, QStringLiteral("keel-app-1090")), QByteArray());
    at(10);
    QCOMPARE(fetchedLog(*m_registry, QStringLiteral("keel-app-1090")), QByteArray("fixture log\n"));

    // Reset: the recorded build is back, as the file has it.
    QVERIFY(m_mock->engine()->reset(QStringLiteral("replay")).ok());
    QCOMPARE(m_mock->origin(QStringLiteral("keel-app-1090")), Origin::Fixture);
    QCOMPARE(m_store->build(QStringLiteral("keel-app-1090"))->startedMs(), 1796000000000);
}

void TestMockSource::hotReloadKeepsRunningScenario()
{
    makeSet();
    startMock();
    at(1500);
    QCOMPARE(fetchedLog(*m_registry, QStringLiteral("keel-app-1091")), QByteArray("one\n"));
    QSignalSpy reloaded(m_mock->fixtures(), &FixtureProvider::reloaded);
    QSignalSpy resets(m_mock->engine(), &ScenarioEngine::logsReset);
    QTRY_VERIFY(m_mock->fixtures()->isWatching()); // from the first turn of the event loop

    // Another file of the set changes: a new build appears, the scenario plays on.
    writeFile(m_dir->filePath(QStringLiteral("ops/more.json")),
              R"({"number": 3, "id": "ops-3", "result": "SUCCESS", "scm": [],
                  "properties": {"projectKey": "OPS", "repoSlug": "more"}})");
    QTRY_VERIFY_WITH_TIMEOUT(m_store->build(QStringLiteral("ops-3")), 10000);
    QVERIFY(reloaded.count() >= 1);
    QCOMPARE(resets.count(), 0);

    const std::optional<ScenarioEngine::Status> status
        = m_mock->engine()->status(QStringLiteral("run"));
    QCOMPARE(status->state, ScenarioEngine::State::Running);
    QCOMPARE(status->elapsedMs, 1500);
    QCOMPARE(fetchedLog(*m_registry, QStringLiteral("keel-app-1091")), QByteArray("one\n"));
    at(2000);
    QCOMPARE(fetchedLog(*m_registry, QStringLiteral("keel-app-1091")), QByteArray("one\ntwo\n"));
}

void TestMockSource::changedScenarioFileRestartsOnlyIt()
{
    makeSet();
    writeFile(m_dir->filePath(QStringLiteral("scenarios/other.json")),
              R"({"build": {"number": 1, "id": "other-1"},
                  "timeline": [{"state": "running"}, {"afterMs": 100000, "result": "SUCCESS"}]})");
    m_mock = new MockSource(QStringLiteral("mock"), m_dir->path());
    m_mock->engine()->setClock([this] { return m_now; });
    QVERIFY(m_mock->engine()->restart(QStringLiteral("run")).ok());
    QVERIFY(m_mock->engine()->restart(QStringLiteral("other")).ok());
    m_registry->addSource(m_mock);
    m_registry->refresh();
    at(1500);

    QSignalSpy resets(m_mock->engine(), &ScenarioEngine::logsReset);
    QTRY_VERIFY(m_mock->fixtures()->isWatching());
    writeFile(m_dir->filePath(QStringLiteral("scenarios/run.json")), runScenario("ABORTED"));
    QTRY_COMPARE_WITH_TIMEOUT(resets.count(), 1, 10000);
    QCOMPARE(resets.first().at(0).toStringList(), QStringList{"keel-app-1091"});

    QCOMPARE(m_mock->engine()->status(QStringLiteral("run"))->elapsedMs, 0);
    QCOMPARE(m_mock->engine()->status(QStringLiteral("other"))->elapsedMs, 1500);
    at(4500);
    QCOMPARE(m_store->build(QStringLiteral("keel-app-1091"))->result, BuildResult::Aborted);
}

void TestMockSource::runTimeScenario()
{
    makeSet();
    startMock();

    const Result<ScenarioEngine::Status> added = m_mock->putScenario(
        QStringLiteral("late"),
        R"({"build": {"number": 2, "id": "late-2"},
            "timeline": [{"afterMs": 500, "state": "running"}]})");
    QVERIFY2(added.ok(), qPrintable(added.error()));
    QCOMPARE(added->state, ScenarioEngine::State::Running);
    QVERIFY(!m_store->build(QStringLiteral("late-2"))); // not queued before its first step
    at(500);
    QVERIFY(m_store->build(QStringLiteral("late-2"))->building);

    // Run-time scenarios survive a reload of the set's files.
    m_mock->reloadScenarios();
    QVERIFY(m_mock->engine()->status(QStringLiteral("late")).has_value());

    const Result<ScenarioEngine::Status> broken
        = m_mock->putScenario(QStringLiteral("bad"), R"({"timeline": []})");
    QVERIFY(!broken.ok());
}

void TestMockSource::options()
{
    makeSet();

    // Without autostart every scenario waits to be started.
    MockSource waiting(QStringLiteral("a"), m_dir->path(), MockOptions{true, false, false});
    QCOMPARE(waiting.engine()->status(QStringLiteral("run"))->state,
             ScenarioEngine::State::Stopped);
    QCOMPARE(waiting.builds().size(), 2);
    QVERIFY(waiting.engine()->start(QStringLiteral("run")).ok());
    QCOMPARE(waiting.builds().size(), 3);

    // Without scenarios the set is served as its files say.
    MockSource still(QStringLiteral("b"), m_dir->path(), MockOptions{false, true, false});
    QVERIFY(still.engine()->scenarioNames().isEmpty());
    QCOMPARE(still.builds().size(), 2);
}

void TestMockSource::bundledDemoScenariosPlay_data()
{
    QTest::addColumn<QString>("scenario");
    QTest::addColumn<QString>("buildId");
    QTest::addColumn<QString>("result");

    QTest::newRow("keel-app succeeds") << "keel-app-main"
                                       << "keel-app-1091"
                                       << "SUCCESS";
    QTest::newRow("deck-ui fails") << "deck-ui-pr-fails"
                                   << "deck-ui-1210"
                                   << "FAILURE";
}

void TestMockSource::bundledDemoScenariosPlay()
{
    QFETCH(QString, scenario);
    QFETCH(QString, buildId);
    QFETCH(QString, result);

    m_mock = new MockSource(QStringLiteral("demo"), QStringLiteral(":/demo"));
    QVERIFY2(m_mock->problems().isEmpty(), qPrintable(m_mock->problems().value(0).toString()));
    m_mock->engine()->setClock([this] { return m_now; });
    QVERIFY(m_mock->engine()->restart(scenario).ok());
    m_registry->addSource(m_mock);
    m_registry->refresh();

    const std::optional<ScenarioEngine::Status> status = m_mock->engine()->status(scenario);
    QVERIFY(status);
    QVERIFY(status->loop.newBuild);
    QVERIFY2(status->lengthMs >= 20000 && status->lengthMs <= 40000,
             qPrintable(QString::number(status->lengthMs)));
    QCOMPARE(m_store->build(buildId)->result, BuildResult::NotBuilt);

    // Half way: running, part of the log; at the end: the result and the whole log.
    at(status->lengthMs / 2);
    QVERIFY(m_store->build(buildId)->building);
    const QByteArray half = fetchedLog(*m_registry, buildId);
    QVERIFY(!half.isEmpty());
    at(status->lengthMs);
    QCOMPARE(wire::toJson(*m_store->build(buildId)).value(u"result").toString(), result);
    const QByteArray whole = fetchedLog(*m_registry, buildId);
    QVERIFY(whole.startsWith(half));
    QVERIFY2(whole.trimmed().endsWith(QByteArray("Finished: " + result.toUtf8())),
             whole.right(80).constData());
}

QTEST_GUILESS_MAIN(TestMockSource)
#include "tst_mocksource.moc"
