// SPDX-License-Identifier: GPL-3.0-or-later
// The Buildbot provider against a real Buildbot 3.7 master and worker, which the CTest fixture
// `buildbot-plain` starts (tests/fakes/buildbot/README.md). The suite forces its own builds.
#include "core/providers/buildbot/buildbotprovider.h"
#include "core/providers/buildids.h"
#include "core/server/igorserver.h"
#include "core/service/sourceregistry.h"
#include "core/store/buildstore.h"
#include "tests/providers/buildbot/buildbotsupport.h"
#include "tests/server/httpclient.h"

#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace cic;
using cic::test::harnessAnswer;
using cic::test::startHarness;
using cic::test::waitFor;

namespace {

const QString Repository = QStringLiteral("https://github.com/acme/app.git");
const QString OkRevision = QStringLiteral("0123456789abcdef0123456789abcdef01234567");
const QString FailRevision = QStringLiteral("aaaaaaa1aaaaaaa2aaaaaaa3aaaaaaa4aaaaaaa5");
const QString WarnRevision = QStringLiteral("bbbbbbb1bbbbbbb2bbbbbbb3bbbbbbb4bbbbbbb5");
const QString ChangeRevision = QStringLiteral("fedcba9876543210fedcba9876543210fedcba98");

QStringList idsOf(const BuildList &builds)
{
    QStringList ids;
    for (const BuildPtr &build : builds)
        ids.append(build->id);
    ids.sort();
    return ids;
}

// Requests this program sent, from the master's access log: "GET <path> HTTP/1.1" <status>.
struct LoggedRequest
{
    QString path;
    int status = 0;
};

QList<LoggedRequest> ourRequests(const QString &dir, qsizetype fromLine = 0)
{
    QList<LoggedRequest> requests;
    QFile file(dir + QStringLiteral("/master/http.log"));
    if (!file.open(QIODevice::ReadOnly))
        return requests;
    static const QRegularExpression line(QStringLiteral(R"re("[A-Z]+ (\S+) HTTP/[\d.]+" (\d+))re"));
    const QList<QByteArray> lines = file.readAll().split('\n');
    for (qsizetype i = fromLine; i < lines.size(); ++i) {
        const QString text = QString::fromUtf8(lines.at(i));
        if (!text.contains(QLatin1String("ci-companion/")))
            continue;
        const QRegularExpressionMatch match = line.match(text);
        if (match.hasMatch())
            requests.append({match.captured(1), match.captured(2).toInt()});
    }
    return requests;
}

qsizetype accessLogLines(const QString &dir)
{
    QFile file(dir + QStringLiteral("/master/http.log"));
    if (!file.open(QIODevice::ReadOnly))
        return 0;
    return file.readAll().count('\n');
}

} // namespace

class TestBuildbotProvider : public QObject
{
    Q_OBJECT

private:
    QHash<QString, QString> m_env;
    QString m_dir;
    QHash<QString, QJsonObject> m_forced; // ok, fail, warn, change -> the harness's summary
    BuildbotProvider *m_provider = nullptr;

    BuildbotSettings settings() const
    {
        BuildbotSettings settings;
        settings.name = QStringLiteral("bb");
        settings.address = QUrl(m_env.value(QStringLiteral("BUILDBOT_URL")));
        settings.pageSize = 2; // small pages, so every listing pages
        return settings;
    }

    BuildPtr forcedBuild(const QString &key)
    {
        const QJsonObject forced = m_forced.value(key);
        const QString builder = key == QLatin1String("change") ? QStringLiteral("ok") : key;
        const Result<BuildPtr> build = waitFor(
            m_provider->fetchBuild(builder, forced.value(QLatin1String("number")).toInt()));
        if (!build || !build.value())
            qWarning("no build for %s: %s", qPrintable(key), qPrintable(build.error()));
        return build ? build.value() : BuildPtr();
    }

    QByteArray wholeLog(const BuildPtr &build)
    {
        BuildbotProvider fresh(settings());
        const Result<LogChunk> chunk = waitFor(fresh.fetchLog(*build, 0));
        return chunk ? chunk->text : QByteArray("ERROR: " + chunk.error().toUtf8());
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_env = test::readBuildbotEnv();
        QVERIFY2(!m_env.isEmpty(),
                 "the buildbot-plain fixture did not start; see "
                 "bb-plain/harness.log in the build tree");
        m_dir = m_env.value(QStringLiteral("BUILDBOT_DIR"));

        // Different builders build in parallel; the change queues behind the first ok build.
        const QStringList dir{QStringLiteral("--dir"), m_dir};
        const QStringList wait{QStringLiteral("--wait")};
        QHash<QString, QProcess *> runs;
        runs.insert(
            QStringLiteral("ok"),
            startHarness(QStringList{QStringLiteral("force")} + dir
                             + QStringList{QStringLiteral("--builder"), QStringLiteral("ok"),
                                           QStringLiteral("--branch"), QStringLiteral("main"),
                                           QStringLiteral("--revision"), OkRevision,
                                           QStringLiteral("--repository"), Repository}
                             + wait,
                         this));
        runs.insert(QStringLiteral("fail"),
                    startHarness(
                        QStringList{QStringLiteral("force")} + dir
                            + QStringList{QStringLiteral("--builder"), QStringLiteral("fail"),
                                          QStringLiteral("--branch"), QStringLiteral("release/1.x"),
                                          QStringLiteral("--revision"), FailRevision,
                                          QStringLiteral("--repository"), Repository}
                            + wait,
                        this));
        runs.insert(
            QStringLiteral("warn"),
            startHarness(QStringList{QStringLiteral("force")} + dir
                             + QStringList{QStringLiteral("--builder"), QStringLiteral("warn"),
                                           QStringLiteral("--branch"), QStringLiteral("main"),
                                           QStringLiteral("--revision"), WarnRevision}
                             + wait,
                         this));
        runs.insert(
            QStringLiteral("change"),
            startHarness(QStringList{QStringLiteral("change")} + dir
                             + QStringList{QStringLiteral("--revision"), ChangeRevision,
                                           QStringLiteral("--branch"), QStringLiteral("feature/x"),
                                           QStringLiteral("--author"),
                                           QStringLiteral("Jane Dev <jane@example.test>"),
                                           QStringLiteral("--comments"),
                                           QStringLiteral("Fix the frobnicator\n\nLonger "
                                                          "body."),
                                           QStringLiteral("--repository"), Repository}
                             + wait,
                         this));
        for (auto it = runs.cbegin(); it != runs.cend(); ++it) {
            const QJsonObject answer = harnessAnswer(it.value());
            QVERIFY2(answer.contains(QLatin1String("number")), qPrintable(it.key()));
            m_forced.insert(it.key(), answer);
        }

        m_provider = new BuildbotProvider(settings(), this);
    }

    void listsBuildersByName()
    {
        const Result<QList<SourceProject>> projects = waitFor(m_provider->listProjects());
        QVERIFY2(projects, qPrintable(projects.error()));
        QStringList names;
        for (const SourceProject &project : projects.value())
            names.append(project.id);
        QCOMPARE(names,
                 (QStringList{QStringLiteral("fail"), QStringLiteral("ok"), QStringLiteral("slow"),
                              QStringLiteral("warn")}));

        // The master's own ids, which differ from run to run, end up in the page links.
        const Result<QList<buildbot::Builder>> builders = waitFor(m_provider->builders());
        QVERIFY(builders);
        for (const buildbot::Builder &builder : builders.value()) {
            if (!m_forced.contains(builder.name))
                continue;
            QCOMPARE(builder.id,
                     m_forced.value(builder.name).value(QLatin1String("builderid")).toInt());
        }
    }

    void configuredBuildersOnly()
    {
        BuildbotSettings only = settings();
        only.builders = {QStringLiteral("warn"), QStringLiteral("fail")};
        BuildbotProvider provider(only);
        const Result<BuildList> recent = waitFor(provider.fetchRecentBuilds());
        QVERIFY2(recent, qPrintable(recent.error()));
        QSet<QString> projects;
        for (const BuildPtr &build : recent.value())
            projects.insert(build->project);
        QCOMPARE(projects, (QSet<QString>{QStringLiteral("warn"), QStringLiteral("fail")}));
    }

    void mapsResults_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<int>("result");
        QTest::addColumn<QString>("stateString");
        QTest::newRow("ok") << "ok" << int(BuildResult::Success) << "build successful";
        QTest::newRow("fail") << "fail" << int(BuildResult::Failure) << "failed test (failure)";
        QTest::newRow("warn") << "warn" << int(BuildResult::Unstable)
                              << "warnings compile (warnings)";
    }

    void mapsResults()
    {
        QFETCH(QString, key);
        QFETCH(int, result);
        QFETCH(QString, stateString);

        const QJsonObject forced = m_forced.value(key);
        const int number = forced.value(QLatin1String("number")).toInt();
        BuildQuery query;
        query.project = key;
        query.buildNumber = number;
        const Result<BuildList> found = waitFor(m_provider->findBuilds(query));
        QVERIFY2(found, qPrintable(found.error()));
        QCOMPARE(found->size(), 1);

        const Build &build = *found->first();
        QCOMPARE(int(build.effectiveResult()), result);
        QVERIFY(!build.building);
        QCOMPARE(build.number, number);
        QCOMPARE(build.id, buildids::make(QStringLiteral("bb"), key, number));
        QCOMPARE(build.source, QStringLiteral("bb"));
        QCOMPARE(build.project, key);
        QCOMPARE(build.fullDisplayName, QStringLiteral("%1 #%2").arg(key).arg(number));
        QCOMPARE(build.url,
                 QStringLiteral("%1#/builders/%2/builds/%3")
                     .arg(m_env.value(QStringLiteral("BUILDBOT_URL")))
                     .arg(forced.value(QLatin1String("builderid")).toInt())
                     .arg(number));
        QCOMPARE(build.properties.value(QStringLiteral("stateString")), stateString);

        // Epoch seconds on the wire become milliseconds and ISO instants.
        const qint64 started = build.properties.value(QStringLiteral("startedTs")).toLongLong();
        const qint64 completed = build.properties.value(QStringLiteral("completedTs")).toLongLong();
        QVERIFY(started > 1'600'000'000'000);
        QCOMPARE(started % 1000, 0);
        QVERIFY(completed >= started);
        QCOMPARE(build.durationMs.value_or(-1), completed - started);
        QCOMPARE(build.timestampMs.value_or(-1), started);
        QVERIFY(build.properties.value(QStringLiteral("startedAt")).endsWith(QLatin1Char('Z')));
    }

    void readsRevisions_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("sha");
        QTest::addColumn<QString>("branch");
        QTest::addColumn<QString>("committer");
        QTest::addColumn<QString>("projectKey");

        // ok: got_revision from its checkout step; fail: only the forced revision; warn: no
        // repository, so no project; change: author and message from the change.
        QTest::newRow("got_revision") << "ok" << OkRevision << "main"
                                      << ""
                                      << "acme";
        QTest::newRow("revision") << "fail" << FailRevision << "release/1.x"
                                  << ""
                                  << "acme";
        QTest::newRow("no repository") << "warn" << WarnRevision << "main"
                                       << ""
                                       << "";
        QTest::newRow("change") << "change" << ChangeRevision << "feature/x"
                                << "Jane Dev"
                                << "acme";
    }

    void readsRevisions()
    {
        QFETCH(QString, key);
        QFETCH(QString, sha);
        QFETCH(QString, branch);
        QFETCH(QString, committer);
        QFETCH(QString, projectKey);

        const BuildPtr build = forcedBuild(key);
        QVERIFY(build);
        QCOMPARE(build->scm.size(), 1);
        const GitRevision &revision = build->scm.first();
        QCOMPARE(revision.sha1, sha);
        QCOMPARE(revision.branch, branch);
        QCOMPARE(revision.name, QStringLiteral("refs/heads/") + branch);
        QCOMPARE(revision.committer, committer);
        QCOMPARE(build->projectKey(), projectKey);
        if (projectKey.isEmpty()) {
            QVERIFY(revision.remoteUrl.isEmpty());
            QVERIFY(revision.compareUrl.isEmpty());
            return;
        }
        QCOMPARE(build->repoSlug(), QStringLiteral("app"));
        QCOMPARE(revision.remoteUrl, Repository);
        QCOMPARE(revision.compareUrl, QStringLiteral("https://github.com/acme/app/commit/") + sha);
        if (!committer.isEmpty()) {
            QCOMPARE(revision.message, QStringLiteral("Fix the frobnicator\n\nLonger body."));
            QVERIFY(revision.timestamp.isValid());
        }
    }

    void findsByCommitPrefix_data()
    {
        QTest::addColumn<QString>("prefix");
        QTest::addColumn<QStringList>("keys");
        QTest::newRow("got_revision") << OkRevision.left(7) << QStringList{"ok"};
        QTest::newRow("upper case") << OkRevision.left(10).toUpper() << QStringList{"ok"};
        QTest::newRow("revision") << FailRevision.left(8) << QStringList{"fail"};
        QTest::newRow("change") << ChangeRevision << QStringList{"change"};
        QTest::newRow("unknown") << QStringLiteral("ffff0000") << QStringList();
    }

    void findsByCommitPrefix()
    {
        QFETCH(QString, prefix);
        QFETCH(QStringList, keys);

        QStringList expected;
        for (const QString &key : std::as_const(keys)) {
            const QString builder = key == QLatin1String("change") ? QStringLiteral("ok") : key;
            expected.append(
                buildids::make(QStringLiteral("bb"), builder,
                               m_forced.value(key).value(QLatin1String("number")).toInt()));
        }
        expected.sort();

        BuildQuery query;
        query.commitPrefix = prefix.toLower();
        const Result<BuildList> found = waitFor(m_provider->findBuilds(query));
        QVERIFY2(found, qPrintable(found.error()));
        QCOMPARE(idsOf(found.value()), expected);
    }

    void findsByBuildNumberAcrossBuilders()
    {
        BuildQuery query;
        query.buildNumber = 1;
        const Result<BuildList> found = waitFor(m_provider->findBuilds(query));
        QVERIFY2(found, qPrintable(found.error()));
        QStringList expected;
        for (const QString &builder :
             {QStringLiteral("fail"), QStringLiteral("ok"), QStringLiteral("warn")})
            expected.append(buildids::make(QStringLiteral("bb"), builder, 1));
        QStringList ids = idsOf(found.value());
        ids.removeAll(buildids::make(QStringLiteral("bb"), QStringLiteral("slow"), 1));
        QCOMPARE(ids, expected);

        query.buildNumber = 999;
        const Result<BuildList> none = waitFor(m_provider->findBuilds(query));
        QVERIFY2(none, qPrintable(none.error()));
        QVERIFY(none->isEmpty());
    }

    void readsFinishedLogs_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QStringList>("present");
        QTest::addColumn<QStringList>("absent");

        // Header lines (the command, the worker's environment, the exit code) are left out.
        const QStringList headers{"HOME=", "environment:", "program finished with exit code",
                                  "using PTY"};
        QTest::newRow("ok") << "ok"
                            << QStringList{"=== step 0: worker_preparation ===\n",
                                           "\n=== step 1: checkout ===\n",
                                           "=== step 2: compile ===\n",
                                           "compiling branch main at " + OkRevision + "\n",
                                           "note: compiler chatter on stderr\n",
                                           "--- step 3 test: SUCCESS (test)\n"}
                            << headers + QStringList{"\nocompiling", "\nenote:"};
        QTest::newRow("fail") << "fail"
                              << QStringList{"FAIL: test_frobnicator\n",
                                             "--- step 2 test: FAILURE (test (failure))\n"}
                              << headers;
        QTest::newRow("warn") << "warn" << QStringList{"warning:", "--- step 1 compile: WARNINGS"}
                              << headers;
    }

    void readsFinishedLogs()
    {
        QFETCH(QString, key);
        QFETCH(QStringList, present);
        QFETCH(QStringList, absent);

        const BuildPtr build = forcedBuild(key);
        QVERIFY(build);
        const Result<LogChunk> chunk = waitFor(m_provider->fetchLog(*build, 0));
        QVERIFY2(chunk, qPrintable(chunk.error()));
        const QString text = QString::fromUtf8(chunk->text);
        for (const QString &part : present)
            QVERIFY2(text.contains(part),
                     qPrintable(part + QStringLiteral(" missing in:\n") + text));
        for (const QString &part : absent)
            QVERIFY2(!text.contains(part),
                     qPrintable(part + QStringLiteral(" found in:\n") + text));
        QVERIFY(text.startsWith(QLatin1String("=== step 0: worker_preparation ===\n")));
        QCOMPARE(chunk->offset, 0);
        QCOMPARE(chunk->nextOffset, chunk->text.size());
        QVERIFY(chunk->complete);

        // Asking on from the end: nothing more, and still complete.
        const Result<LogChunk> rest = waitFor(m_provider->fetchLog(*build, chunk->nextOffset));
        QVERIFY2(rest, qPrintable(rest.error()));
        QVERIFY(rest->text.isEmpty());
        QCOMPARE(rest->offset, chunk->nextOffset);
        QCOMPARE(rest->nextOffset, chunk->nextOffset);
        QVERIFY(rest->complete);
    }

    void keepsHeaderLinesWhenAsked()
    {
        BuildbotSettings withHeaders = settings();
        withHeaders.logHeaderLines = true;
        BuildbotProvider provider(withHeaders);
        const BuildPtr build = forcedBuild(QStringLiteral("ok"));
        QVERIFY(build);
        const Result<LogChunk> chunk = waitFor(provider.fetchLog(*build, 0));
        QVERIFY2(chunk, qPrintable(chunk.error()));
        QVERIFY(chunk->text.contains("program finished with exit code 0\n"));
        QVERIFY(!chunk->text.contains("\nhprogram finished"));
    }

    void answersAnOffsetItDidNotGive()
    {
        const BuildPtr build = forcedBuild(QStringLiteral("fail"));
        QVERIFY(build);
        const QByteArray whole = wholeLog(build);
        QVERIFY(whole.size() > 40);

        BuildbotProvider fresh(settings());
        const Result<LogChunk> chunk = waitFor(fresh.fetchLog(*build, 25));
        QVERIFY2(chunk, qPrintable(chunk.error()));
        QCOMPARE(chunk->offset, 25);
        QCOMPARE(chunk->text, whole.mid(25));
        QCOMPARE(chunk->nextOffset, whole.size());
        QVERIFY(chunk->complete);
    }

    void followsARunningBuild()
    {
        QProcess *force = startHarness(
            {QStringLiteral("force"), QStringLiteral("--dir"), m_dir, QStringLiteral("--builder"),
             QStringLiteral("slow"), QStringLiteral("--branch"), QStringLiteral("main"),
             QStringLiteral("--property"), QStringLiteral("lines=40"), QStringLiteral("--property"),
             QStringLiteral("interval=0.25")},
            this);
        const QJsonObject forced = harnessAnswer(force);
        QVERIFY(forced.contains(QLatin1String("number")));
        const int number = forced.value(QLatin1String("number")).toInt();

        const Result<BuildPtr> running
            = waitFor(m_provider->fetchBuild(QStringLiteral("slow"), number));
        QVERIFY2(running && running.value(), qPrintable(running.error()));
        QVERIFY(running.value()->building);
        QCOMPARE(running.value()->effectiveResult(), BuildResult::Building);
        QVERIFY(!running.value()->properties.contains(QStringLiteral("completedAt")));
        QVERIFY(running.value()->durationMs.has_value());
        const Build build = *running.value();

        // The first lines, once the worker has sent some.
        LogChunk first;
        QVERIFY(test::pollUntil(
            [&] {
                const Result<LogChunk> chunk = waitFor(m_provider->fetchLog(build, 0));
                if (chunk)
                    first = chunk.value();
                return first.text.contains("line 1 of 40");
            },
            20'000));
        QVERIFY(!first.complete);
        QCOMPARE(first.offset, 0);
        const qsizetype logMark = accessLogLines(m_dir);

        // From where it ended, only what came since.
        LogChunk second;
        QVERIFY(test::pollUntil(
            [&] {
                const Result<LogChunk> chunk
                    = waitFor(m_provider->fetchLog(build, first.nextOffset));
                if (chunk)
                    second = chunk.value();
                return second.text.contains("line ");
            },
            20'000));
        QCOMPARE(second.offset, first.nextOffset);
        static const QRegularExpression numbered(QStringLiteral(R"(line (\d+) of 40)"));
        auto numbers = [](const QByteArray &text) {
            QList<int> list;
            auto matches = numbered.globalMatch(QString::fromUtf8(text));
            while (matches.hasNext())
                list.append(matches.next().captured(1).toInt());
            return list;
        };
        QVERIFY(!numbers(first.text).isEmpty());
        QVERIFY(!numbers(second.text).isEmpty());
        QCOMPARE(numbers(second.text).first(), numbers(first.text).last() + 1);

        // On until the build finishes; the whole log then reads the same as the pieces.
        QByteArray assembled = first.text + second.text;
        qint64 next = second.nextOffset;
        bool complete = false;
        QVERIFY(test::pollUntil(
            [&] {
                const Result<LogChunk> chunk = waitFor(m_provider->fetchLog(build, next));
                if (!chunk)
                    return false;
                if (chunk->offset != next)
                    qFatal("the chunk starts at %lld, not %lld", chunk->offset, next);
                assembled += chunk->text;
                next = chunk->nextOffset;
                complete = chunk->complete;
                return complete;
            },
            40'000));

        const QList<LoggedRequest> following = ourRequests(m_dir, logMark);

        const Result<BuildPtr> finished
            = waitFor(m_provider->fetchBuild(QStringLiteral("slow"), number));
        QVERIFY(finished && finished.value());
        QCOMPARE(finished.value()->effectiveResult(), BuildResult::Success);
        QVERIFY(!finished.value()->building);

        QList<int> expected;
        for (int i = 1; i <= 40; ++i)
            expected.append(i);
        QCOMPARE(numbers(assembled), expected);
        QVERIFY(assembled.contains("done\n"));
        QVERIFY(assembled.contains("--- step 1 stream: SUCCESS"));
        QCOMPARE(assembled, wholeLog(finished.value()));

        // No line was asked for twice while following.
        QHash<QString, qint64> lastOffset;
        static const QRegularExpression contents(
            QStringLiteral(R"(/api/v2/logs/(\d+)/contents\?offset=(\d+)&limit=(\d+))"));
        for (const LoggedRequest &request : following) {
            const QRegularExpressionMatch match = contents.match(request.path);
            if (!match.hasMatch())
                continue;
            const QString log = match.captured(1);
            const qint64 offset = match.captured(2).toLongLong();
            if (lastOffset.contains(log))
                QVERIFY2(offset > lastOffset.value(log), qPrintable(request.path));
            lastOffset.insert(log, offset);
        }
        QVERIFY(!lastOffset.isEmpty());
    }

    void servesThroughTheRegistry()
    {
        BuildStore store;
        SourceRegistry registry(&store);
        registry.addSource(new BuildbotProvider(settings()));
        registry.refresh();
        QTRY_COMPARE_WITH_TIMEOUT(int(registry.status(QStringLiteral("bb")).state),
                                  int(SourceStatus::State::Ok), 30'000);

        BuildQuery byRepository;
        byRepository.projectKey = QStringLiteral("acme");
        byRepository.repoSlug = QStringLiteral("app");
        const QStringList ids = idsOf(store.query(byRepository));
        QVERIFY(ids.contains(buildids::make(
            QStringLiteral("bb"), QStringLiteral("ok"),
            m_forced.value(QStringLiteral("ok")).value(QLatin1String("number")).toInt())));
        QVERIFY(ids.contains(buildids::make(QStringLiteral("bb"), QStringLiteral("fail"), 1)));
        QVERIFY(!ids.contains(buildids::make(QStringLiteral("bb"), QStringLiteral("warn"), 1)));

        BuildQuery byCommit;
        byCommit.commitPrefix = ChangeRevision.left(12);
        const BuildList found = waitFor(registry.lookup(byCommit, 20'000));
        QCOMPARE(found.size(), 1);
        QCOMPARE(found.first()->scm.first().committer, QStringLiteral("Jane Dev"));

        const Result<LogChunk> log = waitFor(registry.fetchLog(found.first()->id));
        QVERIFY2(log, qPrintable(log.error()));
        QVERIFY(log->complete);
        QCOMPARE(log->text, wholeLog(found.first()));
    }

    void servesIgorsApi()
    {
        BuildStore store;
        SourceRegistry registry(&store);
        registry.addSource(new BuildbotProvider(settings()));
        ServerOptions options;
        options.port = 0;
        options.lookupBudgetMs = 20'000;
        IgorServer server(&registry, options);
        const Result<quint16> port = server.start();
        QVERIFY2(port, qPrintable(port.error()));
        testing::HttpClient client(server.baseUrl());

        // Before any refresh: a commit the store has not seen is looked up in the master.
        const QByteArray change = ChangeRevision.left(10).toLatin1();
        const testing::HttpResponse byCommit = client.get("/ci/builds?commitId=" + change, {});
        QCOMPARE(byCommit.status, 200);
        const QJsonArray found = byCommit.json().array();
        QCOMPARE(found.size(), 1);
        const QJsonObject build = found.first().toObject();
        QCOMPARE(build.value(QLatin1String("result")).toString(), QStringLiteral("SUCCESS"));
        const QJsonObject revision = build.value(QLatin1String("scm")).toArray().first().toObject();
        QCOMPARE(revision.value(QLatin1String("sha1")).toString(), ChangeRevision);
        QCOMPARE(revision.value(QLatin1String("committer")).toString(), QStringLiteral("Jane Dev"));
        QCOMPARE(
            build.value(QLatin1String("properties")).toObject().value(QLatin1String("repoSlug")),
            QJsonValue(QStringLiteral("app")));

        registry.refresh();
        QTRY_COMPARE_WITH_TIMEOUT(int(registry.status(QStringLiteral("bb")).state),
                                  int(SourceStatus::State::Ok), 30'000);
        const int failNumber
            = m_forced.value(QStringLiteral("fail")).value(QLatin1String("number")).toInt();
        const testing::HttpResponse failed = client.get(
            "/ci/builds?projectKey=acme&repoSlug=app&completionStatus=FAILED&buildNumber="
            + QByteArray::number(failNumber));
        QCOMPARE(failed.status, 200);
        QCOMPARE(failed.json().array().size(), 1);
        const QString failId
            = failed.json().array().first().toObject().value(QLatin1String("id")).toString();
        QCOMPARE(failId, buildids::make(QStringLiteral("bb"), QStringLiteral("fail"), failNumber));

        const testing::HttpResponse output
            = client.get("/ci/builds/" + failId.toUtf8() + "/output");
        QCOMPARE(output.status, 200);
        const QString log = output.json().object().value(QLatin1String("log")).toString();
        QVERIFY2(log.contains(QLatin1String("FAIL: test_frobnicator\n")), qPrintable(log));
        QCOMPARE(log.toUtf8(), wholeLog(store.build(failId)));
    }

    void neverSendsAQueryTheMasterRejects()
    {
        // The master answers 400 for any query parameter it does not know.
        int requests = 0;
        for (const auto &request : ourRequests(m_dir)) {
            ++requests;
            QVERIFY2(request.status != 400, qPrintable(request.path));
        }
        QVERIFY(requests > 20);
    }
};

QTEST_GUILESS_MAIN(TestBuildbotProvider)
#include "tst_buildbotprovider.moc"
