// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/config/configloader.h"
#include "ui/configsettingsbackend.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace cic;

namespace {

void write(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(bytes);
}

SourceSettings find(const QList<SourceSettings> &sources, const QString &name)
{
    for (const SourceSettings &source : sources) {
        if (source.name() == name)
            return source;
    }
    return {};
}

} // namespace

class TestConfigSettings : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(QStringLiteral("ci-companion.yml"));
        write(
            m_dir.filePath(QStringLiteral("fx/app.json")),
            R"([{"number": 1, "id": "app-1", "name": "app", "result": "SUCCESS", "building": false},
                  {"number": 2, "id": "app-2", "name": "app", "result": "FAILURE", "building": false}])");
        write(
            m_path,
            QByteArray(
                "jenkins:\n  masters:\n    - name: main\n      address: https://ci.example.test/\n"
                "      username: bot\n      token: ${JENKINS_TOKEN}\n      timeout: 45s\n"
                "      pollInterval: 2m\nfixtures:\n  - name: recorded\n    path: ")
                + m_dir.filePath(QStringLiteral("fx")).toUtf8()
                + "\nspring:\n  application:\n    name: igor\n");
    }

    void readsTheFile()
    {
        ConfigSettingsBackend backend(m_path);
        QCOMPARE(backend.loadError(), QString());
        QCOMPARE(backend.location(), m_path);
        const QList<SourceSettings> sources = backend.sources();
        QCOMPARE(sources.size(), 2);
        const SourceSettings jenkins = find(sources, QStringLiteral("main"));
        QCOMPARE(jenkins.kind, QStringLiteral("jenkins"));
        QCOMPARE(jenkins.values.value(QStringLiteral("address")).toString(),
                 QStringLiteral("https://ci.example.test"));
        QCOMPARE(jenkins.values.value(QStringLiteral("token")).toString(),
                 QStringLiteral("${JENKINS_TOKEN}"));
        QCOMPARE(jenkins.values.value(QStringLiteral("pollIntervalSeconds")).toInt(), 120);
        QCOMPARE(find(sources, QStringLiteral("recorded")).kind, QStringLiteral("fixtures"));

        QStringList kinds;
        for (const SourceKind &kind : backend.kinds())
            kinds.append(kind.id);
        QCOMPARE(kinds,
                 (QStringList{"jenkins", "gitlab-ci", "github-actions", "buildbot", "fixtures"}));
    }

    // Saved, read back: the edit is there, and what the dialog does not edit is kept.
    void savesAndKeepsTheRest()
    {
        ConfigSettingsBackend backend(m_path);
        QList<SourceSettings> sources = backend.sources();
        for (SourceSettings &source : sources) {
            if (source.name() == QLatin1String("main")) {
                source.values.insert(QStringLiteral("jobs"), QStringList{QStringLiteral("deploy")});
                source.values.insert(QStringLiteral("pollIntervalSeconds"), 30);
            }
        }
        sources.append({QStringLiteral("gitlab-ci"),
                        {{QStringLiteral("name"), QStringLiteral("lab")},
                         {QStringLiteral("address"), QStringLiteral("https://gitlab.example.test")},
                         {QStringLiteral("privateToken"), QStringLiteral("keychain:gitlab")},
                         {QStringLiteral("projects"), QStringList{QStringLiteral("team/app")}}}});
        sources.removeIf(
            [](const SourceSettings &s) { return s.name() == QLatin1String("recorded"); });
        const Result<bool> saved = backend.save(sources);
        QVERIFY2(saved.ok(), saved.ok() ? "" : qPrintable(saved.error()));

        const config::LoadOutcome reread = config::loadConfig(m_path);
        QVERIFY2(reread.ok(), qPrintable(reread.errorText()));
        QCOMPARE(reread.config.jenkins.size(), 1);
        const config::JenkinsMaster &main = reread.config.jenkins.first();
        QCOMPARE(main.jobs, QStringList{QStringLiteral("deploy")});
        QCOMPARE(main.connection.pollIntervalMs, 30000);
        QCOMPARE(main.connection.timeoutMs, 45000); // not in the dialog, kept
        QCOMPARE(main.token.text(), QStringLiteral("${JENKINS_TOKEN}"));
        QCOMPARE(reread.config.gitLab.size(), 1);
        QCOMPARE(reread.config.gitLab.first().privateToken.text(),
                 QStringLiteral("keychain:gitlab"));
        QCOMPARE(reread.config.fixtures.size(), 0);

        QFile file(m_path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(file.readAll().contains("spring:")); // igor's own sections stay
        QVERIFY(!QDir(m_dir.path())
                     .entryList(QDir::Files)
                     .join(QLatin1Char(' '))
                     .contains(QStringLiteral(".tmp")));
    }

    void missingFileIsEmpty()
    {
        ConfigSettingsBackend backend(m_dir.filePath(QStringLiteral("new/ci-companion.yml")));
        QCOMPARE(backend.sources().size(), 0);
        QCOMPARE(backend.loadError(), QString());
    }

    // A file the backend could not read stays as it is: saving says why and writes nothing.
    void malformedFileIsNotOverwritten()
    {
        const QByteArray broken = "jenkins:\n  masters:\n    - name: main\n      address: [\n";
        write(m_path, broken);
        ConfigSettingsBackend backend(m_path);
        QVERIFY(backend.loadError().contains(m_path));

        SourceSettings fixtures;
        fixtures.kind = QStringLiteral("fixtures");
        fixtures.values.insert(QStringLiteral("name"), QStringLiteral("replay"));
        fixtures.values.insert(QStringLiteral("path"), m_dir.filePath(QStringLiteral("fx")));
        const Result<bool> saved = backend.save({fixtures});
        QVERIFY(!saved.ok());
        QVERIFY2(saved.error().contains(QStringLiteral("correct it first")),
                 qPrintable(saved.error()));

        QFile file(m_path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), broken);
    }

    void testsAFixtureSet()
    {
        ConfigSettingsBackend backend(m_path);
        QFuture<Result<QString>> future
            = backend.testConnection(find(backend.sources(), QStringLiteral("recorded")));
        QTRY_VERIFY(future.isFinished());
        QVERIFY(future.result().ok());
        QCOMPARE(future.result().value(), QStringLiteral("2 builds"));
    }

    // A server that is not there: the test says so, it does not hang or pass.
    void testsAnUnreachableServer()
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 port = probe.serverPort();
        probe.close(); // nothing listens there now

        ConfigSettingsBackend backend(m_path);
        SourceSettings jenkins = find(backend.sources(), QStringLiteral("main"));
        jenkins.values.insert(QStringLiteral("address"),
                              QStringLiteral("http://127.0.0.1:%1/").arg(port));
        jenkins.values.insert(QStringLiteral("token"), QStringLiteral("inline-token"));
        QFuture<Result<QString>> future = backend.testConnection(jenkins);
        QTRY_VERIFY_WITH_TIMEOUT(future.isFinished(), 20000);
        QVERIFY(!future.result().ok());
        QVERIFY(!future.result().error().isEmpty());
    }

private:
    QTemporaryDir m_dir;
    QString m_path;
};

QTEST_MAIN(TestConfigSettings)
#include "tst_configsettings.moc"
