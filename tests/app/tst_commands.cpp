// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/model/wirecodec.h"
#include "core/providers/fixtures/fixtureprovider.h"
#include "core/providers/jenkins/jenkinsprovider.h"
#include "tests/support/fakegitlab.h"
#include "tests/support/fakejenkins.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace cic;
using cic::test::FakeGitLab;
using cic::test::FakeJenkins;

namespace {

const QString Sha = QStringLiteral("3f1c0de5a7b9e2d4c6f8a0b1c2d3e4f5a6b7c8d9");

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
};

// Runs the command while this process's event loop keeps the fake servers answering.
Run run(const QStringList &arguments, const std::function<void()> &whileRunning = {},
        int timeoutMs = 60000)
{
    QProcess process;
    process.setProgram(QStringLiteral(CIC_APP_BINARY));
    process.setArguments(arguments);
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(QStringLiteral("QT_LOGGING_RULES"));
    environment.insert(QStringLiteral("HOME"), QDir::tempPath() + QStringLiteral("/cic-test-home"));
    process.setProcessEnvironment(environment);
    process.start();
    if (!process.waitForStarted(10000))
        return {};
    if (whileRunning)
        whileRunning();
    if (!QTest::qWaitFor([&] { return process.state() == QProcess::NotRunning; }, timeoutMs)) {
        process.kill();
        process.waitForFinished();
    }
    return {process.exitCode(), QString::fromUtf8(process.readAllStandardOutput()),
            QString::fromUtf8(process.readAllStandardError())};
}

QJsonObject buildData(const QString &sha)
{
    return QJsonObject{
        {QStringLiteral("_class"), QStringLiteral("hudson.plugins.git.util.BuildData")},
        {QStringLiteral("lastBuiltRevision"),
         QJsonObject{
             {QStringLiteral("SHA1"), sha},
             {QStringLiteral("branch"),
              QJsonArray{QJsonObject{{QStringLiteral("SHA1"), sha},
                                     {QStringLiteral("name"), QStringLiteral("origin/main")}}}}}},
        {QStringLiteral("remoteUrls"),
         QJsonArray{QStringLiteral("https://stash.example.test/scm/team/app.git")}}};
}

void populate(FakeJenkins &jenkins)
{
    jenkins.addFolder({QStringLiteral("team")});
    jenkins.addJob({QStringLiteral("team"), QStringLiteral("app-build")});
    for (int number = 1; number <= 3; ++number) {
        FakeJenkins::FakeBuild build;
        build.number = number;
        build.timestamp = 1714550400000 + number * 60000;
        build.result = number == 2 ? QStringLiteral("FAILURE") : QStringLiteral("SUCCESS");
        build.log = QStringLiteral("log of build %1\n\x1b[31mred\x1b[0m\n").arg(number).toUtf8();
        build.actions = {QJsonObject{},
                         buildData(number == 3 ? Sha : QString(40, QLatin1Char('a' + number)))};
        build.extra.insert(QStringLiteral("artifacts"),
                           QJsonArray{QJsonObject{
                               {QStringLiteral("displayPath"), QStringLiteral("app.tgz")},
                               {QStringLiteral("fileName"), QStringLiteral("app.tgz")},
                               {QStringLiteral("relativePath"), QStringLiteral("out/app.tgz")}}});
        jenkins.addBuild({QStringLiteral("team"), QStringLiteral("app-build")}, build);
    }
    FakeJenkins::FakeBuild running;
    running.number = 4;
    running.building = true;
    running.timestamp = 1714550400000 + 5 * 60000;
    running.log = "step one\n";
    jenkins.addBuild({QStringLiteral("team"), QStringLiteral("app-build")}, running);
}

QString writeConfig(const QTemporaryDir &dir, const QByteArray &text)
{
    const QString path = dir.filePath(QStringLiteral("ci-companion.yml"));
    QFile file(path);
    file.open(QIODevice::WriteOnly);
    file.write(text);
    return path;
}

} // namespace

class TestCommands : public QObject
{
    Q_OBJECT

private:
    FakeJenkins m_jenkins;
    FakeGitLab m_gitlab;
    QTemporaryDir m_dir;
    QString m_config;

private Q_SLOTS:
    void initTestCase()
    {
        populate(m_jenkins);
        QVERIFY(m_jenkins.start());
        m_gitlab.setToken(QStringLiteral("glpat-right"));
        FakeGitLab::FakeProject project;
        project.id = 1;
        project.path = QStringLiteral("team/app");
        m_gitlab.addProject(project);
        QVERIFY(m_gitlab.start());

        const QByteArray config = "jenkins:\n  enabled: true\n  masters:\n"
                                  "    - name: ci\n      address: "
            + m_jenkins.baseUrl().toEncoded()
            + "\n"
              "      timeout: 5s\n"
              "stash:\n  baseUrl: https://stash.example.test\n";
        m_config = writeConfig(m_dir, config);
    }

    void recordsAFixtureSetThatReplays()
    {
        const QString out = m_dir.filePath(QStringLiteral("recorded"));
        const Run recorded
            = run({QStringLiteral("record"), QStringLiteral("--config"), m_config,
                   QStringLiteral("--source"), QStringLiteral("ci"), QStringLiteral("--out"), out,
                   QStringLiteral("--logs"), QStringLiteral("--limit"), QStringLiteral("10")});
        QVERIFY2(recorded.exitCode == 0, qPrintable(recorded.err));
        QVERIFY(recorded.out.contains(QStringLiteral("recorded 4 builds and 4 logs from ci")));

        // The set loads as serve --fixtures would load it, with nothing skipped.
        FixtureProvider replay(QStringLiteral("ci"), out);
        replay.setWatching(false);
        QVERIFY2(replay.problems().isEmpty(), qPrintable(replay.problems().value(0).toString()));
        QCOMPARE(replay.builds().size(), 4);
        QCOMPARE(replay.scmMasters().value(QStringLiteral("stash")),
                 QStringLiteral("https://stash.example.test"));

        // Each replayed build is, on the wire, what the live source answers.
        JenkinsSettings settings;
        settings.name = QStringLiteral("ci");
        settings.address = m_jenkins.baseUrl();
        settings.scmHosts.insert(QStringLiteral("stash"),
                                 QStringLiteral("https://stash.example.test"));
        JenkinsProvider live(settings);
        QFuture<Result<BuildList>> future = live.fetchRecentBuilds();
        QVERIFY(QTest::qWaitFor([&] { return future.isFinished(); }, 20000));
        const BuildList liveBuilds = future.result().value();
        QCOMPARE(liveBuilds.size(), 4);
        for (const BuildPtr &build : liveBuilds) {
            const auto replayed
                = std::find_if(replay.builds().cbegin(), replay.builds().cend(),
                               [&](const BuildPtr &b) { return b->id == build->id; });
            QVERIFY2(replayed != replay.builds().cend(), qPrintable(build->id));
            QCOMPARE(wire::toJson(**replayed), wire::toJson(*build));
        }

        const BuildPtr second = *std::find_if(replay.builds().cbegin(), replay.builds().cend(),
                                              [](const BuildPtr &b) { return b->number == 2; });
        QFuture<Result<LogChunk>> log = replay.fetchLog(*second, 0);
        QVERIFY(QTest::qWaitFor([&] { return log.isFinished(); }, 5000));
        QVERIFY2(log.result()->text.contains("log of build 2"), log.result()->text.constData());
    }

    void answersQueriesAsJsonAndTables()
    {
        const Run json = run({QStringLiteral("builds"), QStringLiteral("--config"), m_config,
                              QStringLiteral("--json"), QStringLiteral("--commit"), Sha.left(10)});
        QVERIFY2(json.exitCode == 0, qPrintable(json.err));
        const QJsonArray builds = QJsonDocument::fromJson(json.out.toUtf8()).array();
        QCOMPARE(builds.size(), 1);
        QCOMPARE(builds.first().toObject().value(QStringLiteral("id")).toString(),
                 QStringLiteral("ci-team~app-build-3"));
        QCOMPARE(builds.first().toObject().value(QStringLiteral("result")).toString(),
                 QStringLiteral("SUCCESS"));

        const Run failures = run({QStringLiteral("builds"), QStringLiteral("--config"), m_config,
                                  QStringLiteral("--table"), QStringLiteral("--status"),
                                  QStringLiteral("FAILED,INCOMPLETE")});
        QVERIFY2(failures.exitCode == 0, qPrintable(failures.err));
        const QStringList lines = failures.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 3); // header, the failed build, the running one
        QVERIFY(lines.at(0).startsWith(QStringLiteral("ID ")));
        QVERIFY(failures.out.contains(QStringLiteral("ci-team~app-build-2  FAILURE")));
        QVERIFY(failures.out.contains(QStringLiteral("ci-team~app-build-4  BUILDING")));
    }

    void printsLogsAndFollowsThem()
    {
        const Run plain = run({QStringLiteral("log"), QStringLiteral("--config"), m_config,
                               QStringLiteral("ci-team~app-build-2")});
        QVERIFY2(plain.exitCode == 0, qPrintable(plain.err));
        QCOMPARE(plain.out, QStringLiteral("log of build 2\nred\n"));

        const Run coloured
            = run({QStringLiteral("log"), QStringLiteral("--config"), m_config,
                   QStringLiteral("--keep-ansi"), QStringLiteral("ci-team~app-build-2")});
        QVERIFY(coloured.out.contains(QStringLiteral("\x1b[31mred")));

        FakeJenkins::FakeBuild *running
            = m_jenkins.build({QStringLiteral("team"), QStringLiteral("app-build")}, 4);
        const Run followed = run({QStringLiteral("log"), QStringLiteral("--config"), m_config,
                                  QStringLiteral("--follow"), QStringLiteral("--interval"),
                                  QStringLiteral("0.2"), QStringLiteral("ci-team~app-build-4")},
                                 [&] {
                                     QTest::qWait(1500);
                                     running->log += "step two\n";
                                     QTest::qWait(600);
                                     running->log += "Finished: SUCCESS\n";
                                     running->building = false;
                                 });
        QVERIFY2(followed.exitCode == 0, qPrintable(followed.err));
        QCOMPARE(followed.out, QStringLiteral("step one\nstep two\nFinished: SUCCESS\n"));
        running->building = true;
        running->log = "step one\n";

        const Run unknown = run({QStringLiteral("log"), QStringLiteral("--config"), m_config,
                                 QStringLiteral("nowhere-1")});
        QCOMPARE(unknown.exitCode, 2);
        QVERIFY(unknown.err.contains(QStringLiteral("names none of the configured sources (ci)")));
    }

    void checksEverySourceAndMasksSecrets()
    {
        QTemporaryDir dir;
        const QByteArray config = "jenkins:\n  masters:\n"
                                  "    - name: ci\n      address: "
            + m_jenkins.baseUrl().toEncoded()
            + "\n"
              "    - name: from-env\n      address: http://127.0.0.1:9\n      username: u\n"
              "      token: ${CIC_TEST_NOT_SET}\n"
              "gitlab-ci:\n  masters:\n"
              "    - name: gl\n      address: "
            + m_gitlab.baseUrl().toEncoded()
            + "\n"
              "      privateToken: glpat-SUPERSECRET\n"
              "fixtures:\n  - name: missing\n    path: ./not-there\n";
        const QString path = writeConfig(dir, config);

        const Run checked = run({QStringLiteral("check"), QStringLiteral("--config"), path});
        QCOMPARE(checked.exitCode, 1);
        const QStringList lines = checked.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QVERIFY2(lines.value(0).startsWith(QStringLiteral("ok    ci ")), qPrintable(checked.out));
        QVERIFY(lines.value(0).contains(QStringLiteral("Jenkins 2.440.3")));
        QVERIFY(lines.value(1).startsWith(QStringLiteral("FAIL  from-env ")));
        QVERIFY(lines.value(1).contains(QStringLiteral("CIC_TEST_NOT_SET is not set")));
        QVERIFY2(lines.value(1).contains(path + QStringLiteral(":8")), qPrintable(checked.out));
        QVERIFY(lines.value(3).startsWith(QStringLiteral("FAIL  gl ")));
        QVERIFY(lines.value(3).contains(QStringLiteral("HTTP 401")));
        QVERIFY(lines.value(4).contains(QStringLiteral("hint: ")));
        QVERIFY(checked.out.contains(QStringLiteral("FAIL  missing")));
        QVERIFY(checked.out.contains(QStringLiteral("1 of 4 sources ok")));
        QVERIFY(!checked.out.contains(QStringLiteral("SUPERSECRET")));
        QVERIFY(!checked.err.contains(QStringLiteral("SUPERSECRET")));
    }

    // serve --config answers /ci/builds from the configured live sources.
    void servesConfiguredSources()
    {
        QProcess serve;
        serve.setProgram(QStringLiteral(CIC_APP_BINARY));
        serve.setArguments({QStringLiteral("serve"), QStringLiteral("--config"), m_config,
                            QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")});
        serve.start();
        QVERIFY(serve.waitForStarted(10000));
        QString url;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                const QString line = QString::fromUtf8(serve.readLine());
                if (line.startsWith(QStringLiteral("listening on ")))
                    url = line.mid(13).trimmed();
                return !url.isEmpty();
            }(),
            20000);

        QNetworkAccessManager network;
        QJsonArray builds;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                QNetworkReply *reply = network.get(QNetworkRequest(
                    QUrl(url + QStringLiteral("/ci/builds?projectKey=TEAM&repoSlug=app"))));
                if (!QTest::qWaitFor([&] { return reply->isFinished(); }, 5000))
                    return false;
                builds = QJsonDocument::fromJson(reply->readAll()).array();
                reply->deleteLater();
                return builds.size() == 3;
            }(),
            20000);
        QCOMPARE(builds.first().toObject().value(QStringLiteral("id")).toString(),
                 QStringLiteral("ci-team~app-build-3"));
        serve.terminate();
        QVERIFY(serve.waitForFinished(10000));
    }

    // A usage error exits 2 and says where help is; so does a value out of range.
    void rejectsBadOptions_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message");

        QTest::newRow("unknown option")
            << QStringList{QStringLiteral("builds"), QStringLiteral("--bogus")}
            << QStringLiteral("ci-companion builds: Unknown option 'bogus'.\n"
                              "Run 'ci-companion builds --help' for its options.\n");
        QTest::newRow("serve") << QStringList{QStringLiteral("serve"), QStringLiteral("--bogus")}
                               << QStringLiteral(
                                      "ci-companion serve: Unknown option 'bogus'.\n"
                                      "Run 'ci-companion serve --help' for its options.\n");
        QTest::newRow("negative limit")
            << QStringList{QStringLiteral("builds"), QStringLiteral("--limit"),
                           QStringLiteral("-3")}
            << QStringLiteral("ci-companion builds: --limit wants a whole number, 0 or more\n");
    }

    void rejectsBadOptions()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        const Run result = run(arguments);
        QCOMPARE(result.exitCode, 2);
        QCOMPARE(result.err, message);
        QCOMPARE(result.out, QString());
    }

    // With no display, a window option is refused as serve's, with why serve is running.
    void noDisplayRunsServeAndSaysSo()
    {
        QProcess process;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        for (const char *name : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
            environment.remove(QString::fromLatin1(name));
        process.setProcessEnvironment(environment);
        process.start(QStringLiteral(CIC_APP_BINARY), {QStringLiteral("--no-serve")});
        QVERIFY(process.waitForFinished(20000));
        QCOMPARE(process.exitCode(), 2);
        QCOMPARE(QString::fromUtf8(process.readAllStandardError()),
                 QStringLiteral("ci-companion: Unknown option 'no-serve'.\nThere is no display, so "
                                "the window cannot open and ci-companion runs serve in its place; "
                                "run 'ci-companion serve --help' for the options it takes.\n"));
    }

    // A fixture set's builds keep the ids their files give; log finds them by those.
    void printsAFixtureBuildsLogByItsOwnId()
    {
        QTemporaryDir dir;
        QDir().mkpath(dir.filePath(QStringLiteral("set/logs")));
        QFile builds(dir.filePath(QStringLiteral("set/builds.json")));
        QVERIFY(builds.open(QIODevice::WriteOnly));
        builds.write(
            R"([{"id": "widget-11", "number": 11, "name": "widget", "result": "SUCCESS"}])");
        builds.close();
        QFile log(dir.filePath(QStringLiteral("set/logs/widget-11.log")));
        QVERIFY(log.open(QIODevice::WriteOnly));
        log.write("compiling widget\nFinished: SUCCESS\n");
        log.close();
        const QString path = writeConfig(dir,
                                         "fixtures:\n  - name: mybuilds\n    path: "
                                             + dir.filePath(QStringLiteral("set")).toUtf8() + "\n");

        const Run found = run({QStringLiteral("log"), QStringLiteral("--config"), path,
                               QStringLiteral("widget-11")});
        QVERIFY2(found.exitCode == 0, qPrintable(found.err));
        QCOMPARE(found.out, QStringLiteral("compiling widget\nFinished: SUCCESS\n"));

        const Run missing = run({QStringLiteral("log"), QStringLiteral("--config"), path,
                                 QStringLiteral("gadget-1")});
        QCOMPARE(missing.exitCode, 2);
        QVERIFY2(missing.err.contains(QStringLiteral("no fixture set holds it")),
                 qPrintable(missing.err));
    }

    // A configured fixture set that is not there is said to be missing, once, and with
    // nothing else configured the command fails.
    void reportsAMissingFixtureSet()
    {
        QTemporaryDir dir;
        const QString missing = dir.filePath(QStringLiteral("nonexistent"));
        const QString path = writeConfig(
            dir, "fixtures:\n  - name: recorded\n    path: " + missing.toUtf8() + "\n");
        const Run result = run({QStringLiteral("builds"), QStringLiteral("--config"), path,
                                QStringLiteral("--json")});
        QCOMPARE(result.exitCode, 1);
        QCOMPARE(result.err, QStringLiteral("ci-companion builds: recorded: %1: does not exist\n")
                                 .arg(missing));
        QCOMPARE(result.out.trimmed(), QStringLiteral("[]"));
    }

    void reportsConfigurationErrors()
    {
        QTemporaryDir dir;
        const QString path
            = writeConfig(dir, "jenkins:\n  masters:\n    - name: ci\n      address: not a url\n");
        const Run broken = run({QStringLiteral("builds"), QStringLiteral("--config"), path});
        QCOMPARE(broken.exitCode, 2);
        QVERIFY2(broken.err.contains(path + QStringLiteral(":4:16: jenkins.masters[0].address: ")),
                 qPrintable(broken.err));
    }
};

QTEST_GUILESS_MAIN(TestCommands)
#include "tst_commands.moc"
