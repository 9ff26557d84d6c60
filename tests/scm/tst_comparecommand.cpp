// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/model/wirecodec.h"
#include "fakescmserver.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace cic;

namespace {

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

bool git(const QString &directory, const QStringList &arguments, QByteArray *output = nullptr)
{
    QProcess process;
    process.setWorkingDirectory(directory);
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("HOME"), directory);
    environment.insert(QStringLiteral("GIT_CONFIG_NOSYSTEM"), QStringLiteral("1"));
    for (const char *name : {"GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME"})
        environment.insert(QLatin1String(name), QStringLiteral("Ada Lovelace"));
    for (const char *name : {"GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL"})
        environment.insert(QLatin1String(name), QStringLiteral("ada@example.test"));
    for (const char *name : {"GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"})
        environment.insert(QLatin1String(name), QStringLiteral("2024-05-01T10:00:00Z"));
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral("git"), arguments);
    if (!process.waitForFinished(30'000) || process.exitCode() != 0)
        return false;
    if (output)
        *output = process.readAllStandardOutput().trimmed();
    return true;
}

QString commit(const QString &directory, const QString &file, const QByteArray &content,
               const QString &message)
{
    QFile out(directory + QLatin1Char('/') + file);
    if (!out.open(QIODevice::WriteOnly))
        return {};
    out.write(content);
    out.close();
    QByteArray sha;
    if (!git(directory, {"add", "-A"}) || !git(directory, {"commit", "-q", "-m", message})
        || !git(directory, {"rev-parse", "HEAD"}, &sha))
        return {};
    return QString::fromLatin1(sha);
}

QJsonObject buildJson(int number, const QString &version, const QString &sha,
                      const QString &remote = QStringLiteral("https://github.com/acme/app.git"))
{
    Build build;
    build.id = QStringLiteral("app-%1").arg(number);
    build.name = QStringLiteral("acme/app");
    build.number = number;
    build.result = BuildResult::Success;
    build.url = QStringLiteral("https://ci.example.test/builds/app-%1").arg(number);
    build.properties.insert(QStringLiteral("projectKey"), QStringLiteral("acme"));
    build.properties.insert(QStringLiteral("repoSlug"), QStringLiteral("app"));
    build.properties.insert(QStringLiteral("startedTs"),
                            QString::number(1'700'000'000'000 + number * 60'000));
    GitRevision revision;
    revision.sha1 = sha;
    revision.branch = QStringLiteral("main");
    revision.remoteUrl = remote;
    build.scm.append(revision);
    BuildArtifact artifact;
    artifact.name = QStringLiteral("app");
    artifact.type = QStringLiteral("deb");
    artifact.version = version;
    artifact.metadata.insert(QStringLiteral("buildNumber"), QString::number(number));
    artifact.metadata.insert(QStringLiteral("commitId"), sha.left(7));
    build.artifacts.append(artifact);
    return wire::toJson(build);
}

} // namespace

// `ci-companion compare`, run as a user runs it, over fixture builds and a local clone.
class TestCompareCommand : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void text();
    void json();
    void patchKeepsBytes();
    void errors_data();
    void errors();
    void exampleHostsAreNotAsked();
    void configuredCloneIsUsed();
    void configuredTokenReachesTheHost();

private:
    Run run(const QStringList &arguments) const;

    QTemporaryDir m_clone;
    QTemporaryDir m_fixtures;
    QStringList m_shas;
};

Run TestCompareCommand::run(const QStringList &arguments) const
{
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("cicompanion.*=false"));
    process.setProcessEnvironment(environment);
    process.start(
        QStringLiteral(CIC_APP),
        QStringList{QStringLiteral("compare"), QStringLiteral("--fixtures"), m_fixtures.path()}
            + arguments);
    Run result;
    if (!process.waitForFinished(60'000))
        return result;
    result.exitCode = process.exitCode();
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}

void TestCompareCommand::initTestCase()
{
    QVERIFY(m_clone.isValid() && m_fixtures.isValid());
    QVERIFY(git(m_clone.path(), {"init", "-q", "-b", "main"}));
    m_shas.append(commit(m_clone.path(), "menu.txt", "cr\xe8me\n", "Start the menu"));
    m_shas.append(commit(m_clone.path(), "menu.txt", "cr\xe8me br\xfbl\xe9\n", "Add dessert"));
    m_shas.append(commit(m_clone.path(), "logo.bin", QByteArray("\x89PNG\0\x01", 6), "Add logo"));
    QVERIFY(!m_shas.contains(QString()));

    const QJsonArray builds{buildJson(1, "1.0", m_shas[0]), buildJson(2, "1.1", m_shas[1]),
                            buildJson(3, "1.2", m_shas[2])};
    QFile file(m_fixtures.filePath(QStringLiteral("builds.json")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QJsonDocument(builds).toJson());
}

void TestCompareCommand::text()
{
    const Run result = run({"deb:app", "1.0", "#3", "--clone", m_clone.path()});
    QVERIFY2(result.exitCode == 0, result.err.constData());
    const QString out = QString::fromUtf8(result.out);
    QVERIFY2(out.startsWith(QStringLiteral("deb:app: 1.0 (build #1, %1) → 1.2 (build #3, %2)\n")
                                .arg(m_shas[0].left(7), m_shas[2].left(7))),
             qPrintable(out));
    QVERIFY(out.contains(QStringLiteral("acme/app on GitHub, from the local clone at ")));
    QVERIFY(out.contains(QStringLiteral("https://github.com/acme/app/compare/") + m_shas[0] + "..."
                         + m_shas[2]));
    QVERIFY(out.contains(QStringLiteral("2 commits:\n  %1  2024-05-01  Ada Lovelace  Add logo\n"
                                        "  %2  2024-05-01  Ada Lovelace  Add dessert\n")
                             .arg(m_shas[2].left(7), m_shas[1].left(7))));
    QVERIFY(out.contains(QStringLiteral("2 files changed, +1 -1:\n")));
    QVERIFY(out.contains(QStringLiteral("  A  logo.bin  (binary)\n")));
    QVERIFY(out.contains(QStringLiteral("  M  menu.txt  +1 -1\n")));
}

void TestCompareCommand::json()
{
    const Run result = run({"app", "1.1", "1.2", "--clone", m_clone.path(), "--json"});
    QVERIFY2(result.exitCode == 0, result.err.constData());
    const QJsonObject object = QJsonDocument::fromJson(result.out).object();
    QCOMPARE(object.value("artifact").toString(), QStringLiteral("deb:app"));
    QCOMPARE(object.value("older").toObject().value("commit").toString(), m_shas[1]);
    QCOMPARE(object.value("newer").toObject().value("buildNumber").toInt(), 3);
    const QJsonObject comparison = object.value("comparison").toObject();
    QCOMPARE(comparison.value("commits").toArray().size(), 1);
    QCOMPARE(comparison.value("truncated").toBool(true), false);
    const QJsonObject file = comparison.value("files").toArray().first().toObject();
    QCOMPARE(file.value("path").toString(), QStringLiteral("logo.bin"));
    QCOMPARE(file.value("binary").toBool(), true);
    QVERIFY(!file.contains("patch")); // only with --patch
}

void TestCompareCommand::patchKeepsBytes()
{
    const Run result = run({"deb:app", "1.0", "1.1", "--clone", m_clone.path(), "--patch"});
    QVERIFY2(result.exitCode == 0, result.err.constData());
    QVERIFY(result.out.contains("diff --git a/menu.txt b/menu.txt\n--- a/menu.txt\n"
                                "+++ b/menu.txt\n@@ -1 +1 @@\n-cr\xe8me\n+cr\xe8me br\xfbl\xe9\n"));

    const Run json = run({"deb:app", "1.0", "1.1", "--clone", m_clone.path(), "--patch", "--json"});
    QVERIFY2(json.exitCode == 0, json.err.constData());
    const QJsonObject file = QJsonDocument::fromJson(json.out)
                                 .object()
                                 .value("comparison")
                                 .toObject()
                                 .value("files")
                                 .toArray()
                                 .first()
                                 .toObject();
    QCOMPARE(QByteArray::fromBase64(file.value("patchBase64").toString().toLatin1()),
             QByteArray("@@ -1 +1 @@\n-cr\xe8me\n+cr\xe8me br\xfbl\xe9\n"));
    QCOMPARE(file.value("patch").toString(),
             QStringLiteral("@@ -1 +1 @@\n-cr\uFFFDme\n+cr\uFFFDme br\uFFFDl\uFFFD\n"));
}

void TestCompareCommand::errors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("message");

    QTest::newRow("too few") << QStringList{"deb:app", "1.0"} << 2
                             << "ci-companion compare: expected ARTIFACT OLD NEW";
    QTest::newRow("no artifact") << QStringList{"jar:app", "1.0", "1.1"} << 2
                                 << "ci-companion compare: no artifact \"jar:app\"; the builds "
                                    "made: deb:app";
    QTest::newRow("no version") << QStringList{"deb:app", "9.9", "1.1"} << 2
                                << "ci-companion compare: deb:app has no version \"9.9\"; the "
                                   "newest are: 1.2, 1.1, 1.0";
    QTest::newRow("bad bound") << QStringList{"deb:app", "1.0", "1.1", "--max-commits", "x"} << 2
                               << "ci-companion compare: --max-commits: \"x\" is not a positive "
                                  "number";
    QTest::newRow("not a clone") << QStringList{"deb:app", "1.0", "1.1", "--clone", "/nonexistent"}
                                 << 1
                                 << "ci-companion compare: /nonexistent is not a git repository";
}

void TestCompareCommand::errors()
{
    QFETCH(QStringList, arguments);
    QFETCH(int, exitCode);
    QFETCH(QString, message);

    const Run result = run(arguments);
    QCOMPARE(result.exitCode, exitCode);
    QVERIFY2(QString::fromUtf8(result.err).startsWith(message), result.err.constData());
}

// The demo set's SCM hosts are example names: compare says so at once, without a lookup.
void TestCompareCommand::exampleHostsAreNotAsked()
{
    QTemporaryDir home;
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("XDG_CONFIG_HOME"), home.path()); // no configuration
    environment.remove(QStringLiteral("QT_LOGGING_RULES")); // as a user runs it
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral(CIC_APP),
                  {QStringLiteral("compare"), QStringLiteral("deb:keel-app"),
                   QStringLiteral("1085"), QStringLiteral("1089")});
    QVERIFY(process.waitForFinished(30'000));
    const QString err = QString::fromUtf8(process.readAllStandardError());
    QCOMPARE(process.exitCode(), 1);
    QVERIFY2(err.startsWith(QStringLiteral("ci-companion compare: stash.example.com is an example "
                                           "host name")),
             qPrintable(err));
    QVERIFY(err.contains(QStringLiteral("--clone DIR")));
}

// A clone named in the configuration's localClones is where compare works, with no --clone.
void TestCompareCommand::configuredCloneIsUsed()
{
    QTemporaryDir home;
    const QString config = home.filePath(QStringLiteral("ci-companion.yml"));
    QFile file(config);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("localClones:\n  - remote: https://github.com/acme/app.git\n    path: "
               + m_clone.path().toUtf8() + "\n");
    file.close();

    const Run result = run({"deb:app", "1.0", "1.1", "--config", config});
    QVERIFY2(result.exitCode == 0, result.err.constData());
    const QString out = QString::fromUtf8(result.out);
    QVERIFY2(out.contains(QStringLiteral("acme/app on GitHub, from the local clone at %1")
                              .arg(m_clone.path())),
             qPrintable(out));
    QVERIFY(out.contains(QStringLiteral("1 commit:\n  %1  2024-05-01  Ada Lovelace  Add dessert\n")
                             .arg(m_shas[1].left(7))));
}

// github.accessToken, as igor has it, is what compare sends to a GitHub Enterprise server.
void TestCompareCommand::configuredTokenReachesTheHost()
{
    FakeScmServer server;
    QVERIFY(server.isListening());
    const QString older = QStringLiteral("1111111111111111111111111111111111111111");
    const QString newer = QStringLiteral("2222222222222222222222222222222222222222");
    const QJsonObject commit{
        {"sha", newer},
        {"html_url", server.url(QStringLiteral("/acme/app/commit/") + newer).toString()},
        {"commit", QJsonObject{{"message", "Tune the cache"},
                               {"author", QJsonObject{{"name", "Ada"},
                                                      {"email", "ada@example.test"},
                                                      {"date", "2024-05-01T09:00:00Z"}}}}}};
    server.on(QStringLiteral("/api/v3/repos/acme/app/compare/") + older + "..." + newer, {},
              QJsonDocument(QJsonObject{{"total_commits", 1},
                                        {"commits", QJsonArray{commit}},
                                        {"files", QJsonArray{}}})
                  .toJson(QJsonDocument::Compact));

    QTemporaryDir home;
    const QString remote = server.url(QStringLiteral("/acme/app.git")).toString();
    QFile builds(home.filePath(QStringLiteral("set/builds.json")));
    QVERIFY(QDir().mkpath(home.filePath(QStringLiteral("set"))));
    QVERIFY(builds.open(QIODevice::WriteOnly));
    builds.write(QJsonDocument(QJsonArray{buildJson(1, "1.0", older, remote),
                                          buildJson(2, "1.1", newer, remote)})
                     .toJson());
    builds.close();
    QFile config(home.filePath(QStringLiteral("ci-companion.yml")));
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write("github:\n  baseUrl: " + server.url(QStringLiteral("/api/v3")).toEncoded()
                 + "\n  accessToken: ${CIC_TEST_GITHUB_TOKEN}\n");
    config.close();

    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("CIC_TEST_GITHUB_TOKEN"), QStringLiteral("s3cret"));
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral(CIC_APP),
                  {QStringLiteral("compare"), QStringLiteral("--config"), config.fileName(),
                   QStringLiteral("--fixtures"), home.filePath(QStringLiteral("set")),
                   QStringLiteral("deb:app"), QStringLiteral("1.0"), QStringLiteral("1.1")});
    // The fake answers from this process's event loop while compare runs.
    QVERIFY(QTest::qWaitFor([&] { return process.state() == QProcess::NotRunning; }, 30'000));
    const QString out = QString::fromUtf8(process.readAllStandardOutput());
    QVERIFY2(process.exitCode() == 0, process.readAllStandardError().constData());
    QVERIFY2(out.contains(QStringLiteral("Tune the cache")), qPrintable(out));
    QVERIFY(!server.seen().isEmpty());
    QCOMPARE(server.seen().first().authorization, QByteArray("Bearer s3cret"));
}

QTEST_GUILESS_MAIN(TestCompareCommand)
#include "tst_comparecommand.moc"
