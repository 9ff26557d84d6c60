// SPDX-License-Identifier: GPL-3.0-or-later
// ci-companion builds, log, check and record with a github-actions source, run as the real
// executable against the fake GitHub in this process.
#include "core/model/wirecodec.h"
#include "core/providers/fixtures/fixtureprovider.h"
#include "core/providers/github/githubprovider.h"
#include "tests/providers/github/fakegithub.h"
#include "tests/support/commandrun.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace cic;
using cic::test::CommandRun;
using cic::test::FakeGitHub;
using cic::test::FakeJob;
using cic::test::FakeRun;

namespace {

const QString Sha = QStringLiteral("3f1c0de5a7b9e2d4c6f8a0b1c2d3e4f5a6b7c8d9");

CommandRun run(const QStringList &arguments, const std::function<void()> &whileRunning = {})
{
    return test::runCommand(QStringLiteral(CIC_APP_BINARY), arguments,
                            {{QStringLiteral("CIC_TEST_GITHUB_TOKEN"), QStringLiteral("s3cret")}},
                            whileRunning);
}

QList<FakeRun> runs()
{
    FakeRun passed;
    passed.id = 9000000004;
    passed.number = 59;
    passed.sha = Sha;
    passed.jobs = {FakeJob{101, QStringLiteral("build"), QStringLiteral("completed"),
                           QStringLiteral("success"), "compiled\n"}};

    FakeRun failed;
    failed.id = 9000000003;
    failed.number = 58;
    failed.conclusion = QStringLiteral("failure");
    failed.sha = QStringLiteral("1111111111111111111111111111111111111111");
    failed.jobs = {FakeJob{102, QStringLiteral("build"), QStringLiteral("completed"),
                           QStringLiteral("failure"), "error: boom\n"}};

    FakeRun running;
    running.id = 9000000002;
    running.number = 57;
    running.status = QStringLiteral("in_progress");
    running.sha = QStringLiteral("2222222222222222222222222222222222222222");
    running.jobs = {FakeJob{103, QStringLiteral("build"), QStringLiteral("completed"),
                            QStringLiteral("success"), "built\n"},
                    FakeJob{104, QStringLiteral("deploy"), QStringLiteral("in_progress"), QString(),
                            "deployed\n"}};
    return {passed, failed, running};
}

} // namespace

class TestGitHubCommands : public QObject
{
    Q_OBJECT

private:
    FakeGitHub m_fake{QStringLiteral("/api/v3")};
    QTemporaryDir m_dir;
    QString m_config;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_fake.start());
        m_fake.runs = runs();
        m_config = test::writeFile(m_dir, QStringLiteral("ci-companion.yml"),
                                   "github-actions:\n  masters:\n    - name: gh\n"
                                   "      baseUrl: "
                                       + m_fake.apiBase().toEncoded()
                                       + "\n      repositories: [acme/app]\n"
                                         "      token: ${CIC_TEST_GITHUB_TOKEN}\n"
                                         "      timeout: 5s\n");
    }

    void answersQueries()
    {
        const CommandRun json
            = run({QStringLiteral("builds"), QStringLiteral("--config"), m_config,
                   QStringLiteral("--json"), QStringLiteral("--commit"), Sha.left(8)});
        QVERIFY2(json.exitCode == 0, qPrintable(json.err));
        const QJsonArray builds = QJsonDocument::fromJson(json.out.toUtf8()).array();
        QCOMPARE(builds.size(), 1);
        const QJsonObject build = builds.first().toObject();
        QCOMPARE(build.value(QLatin1String("id")).toString(),
                 QStringLiteral("gh-acme~app-9000000004"));
        QCOMPARE(build.value(QLatin1String("number")).toInt(), 59);
        QCOMPARE(build.value(QLatin1String("result")).toString(), QStringLiteral("SUCCESS"));

        const CommandRun table
            = run({QStringLiteral("builds"), QStringLiteral("--config"), m_config,
                   QStringLiteral("--table"), QStringLiteral("--status"),
                   QStringLiteral("FAILED,INCOMPLETE")});
        QVERIFY2(table.exitCode == 0, qPrintable(table.err));
        QVERIFY2(table.out.contains(QStringLiteral("gh-acme~app-9000000003  FAILURE")),
                 qPrintable(table.out));
        QVERIFY(table.out.contains(QStringLiteral("gh-acme~app-9000000002  BUILDING")));
        QVERIFY(!table.out.contains(QStringLiteral("9000000004")));
    }

    void printsAndFollowsLogs()
    {
        const CommandRun plain = run({QStringLiteral("log"), QStringLiteral("--config"), m_config,
                                      QStringLiteral("gh-acme~app-9000000003")});
        QVERIFY2(plain.exitCode == 0, qPrintable(plain.err));
        QCOMPARE(plain.out, QStringLiteral("=== job build: failure ===\nerror: boom\n"));

        const CommandRun followed
            = run({QStringLiteral("log"), QStringLiteral("--config"), m_config,
                   QStringLiteral("--follow"), QStringLiteral("--interval"), QStringLiteral("0.2"),
                   QStringLiteral("gh-acme~app-9000000002")},
                  [&] {
                      QTest::qWait(1500);
                      FakeRun *running = m_fake.run(9000000002);
                      running->jobs[1].status = QStringLiteral("completed");
                      running->jobs[1].conclusion = QStringLiteral("success");
                      running->status = QStringLiteral("completed");
                  });
        QVERIFY2(followed.exitCode == 0, qPrintable(followed.err));
        QVERIFY2(followed.out.startsWith(QStringLiteral("=== job build: success ===\nbuilt\n")),
                 qPrintable(followed.out));
        QVERIFY(followed.out.contains(QStringLiteral("=== job deploy: in_progress;")));
        QVERIFY(followed.out.endsWith(QStringLiteral("\n=== job deploy: success ===\ndeployed\n")));
        m_fake.runs = runs();
    }

    void checksTheSource()
    {
        const CommandRun checked
            = run({QStringLiteral("check"), QStringLiteral("--config"), m_config});
        QCOMPARE(checked.exitCode, 0);
        QVERIFY2(checked.out.startsWith(QStringLiteral("ok    gh ")), qPrintable(checked.out));
        QVERIFY(checked.out.contains(QStringLiteral("1 repository")));
        QVERIFY(!checked.out.contains(QStringLiteral("s3cret")));

        QTemporaryDir dir;
        const QString wrong = test::writeFile(
            dir, QStringLiteral("wrong.yml"),
            "github-actions:\n  masters:\n    - name: gh\n      baseUrl: "
                + m_fake.apiBase().toEncoded()
                + "\n      repositories: [acme/app]\n      token: not-the-token\n");
        const CommandRun refused
            = run({QStringLiteral("check"), QStringLiteral("--config"), wrong});
        QCOMPARE(refused.exitCode, 1);
        QVERIFY2(refused.out.startsWith(QStringLiteral("FAIL  gh ")), qPrintable(refused.out));
        QVERIFY(refused.out.contains(QStringLiteral("HTTP 401")));
        QVERIFY(!refused.out.contains(QStringLiteral("not-the-token")));
    }

    void recordsAFixtureSetThatReplays()
    {
        const QString out = m_dir.filePath(QStringLiteral("recorded"));
        const CommandRun recorded = run({QStringLiteral("record"), QStringLiteral("--config"),
                                         m_config, QStringLiteral("--source"), QStringLiteral("gh"),
                                         QStringLiteral("--out"), out, QStringLiteral("--logs")});
        QVERIFY2(recorded.exitCode == 0, qPrintable(recorded.err));

        FixtureProvider replay(QStringLiteral("gh"), out);
        replay.setWatching(false);
        QVERIFY2(replay.problems().isEmpty(), qPrintable(replay.problems().value(0).toString()));
        QCOMPARE(replay.builds().size(), 3);

        GitHubActionsSettings settings;
        settings.name = QStringLiteral("gh");
        settings.baseUrl = m_fake.apiBase();
        settings.repositories = {QStringLiteral("acme/app")};
        settings.token = QStringLiteral("s3cret");
        GitHubActionsProvider live(settings);
        QFuture<Result<BuildList>> future = live.fetchRecentBuilds();
        QVERIFY(QTest::qWaitFor([&] { return future.isFinished(); }, 20'000));
        for (const BuildPtr &build : future.result().value()) {
            if (build->building)
                continue; // its running time has moved on since the recording
            const auto replayed
                = std::find_if(replay.builds().cbegin(), replay.builds().cend(),
                               [&](const BuildPtr &b) { return b->id == build->id; });
            QVERIFY2(replayed != replay.builds().cend(), qPrintable(build->id));
            QCOMPARE(wire::toJson(**replayed), wire::toJson(*build));
        }

        const BuildPtr failed = *std::find_if(replay.builds().cbegin(), replay.builds().cend(),
                                              [](const BuildPtr &b) { return b->number == 58; });
        QFuture<Result<LogChunk>> log = replay.fetchLog(*failed, 0);
        QVERIFY(QTest::qWaitFor([&] { return log.isFinished(); }, 5000));
        QCOMPARE(log.result()->text, QByteArray("=== job build: failure ===\nerror: boom\n"));
    }
};

QTEST_GUILESS_MAIN(TestGitHubCommands)
#include "tst_githubcommands.moc"
