// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/config/configloader.h"
#include "core/config/configwriter.h"
#include "core/config/secret.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QPromise>
#include <QTemporaryDir>
#include <QTest>

using namespace cic;
using namespace cic::config;

namespace {

QByteArray validFile()
{
    return R"(server:
  listen: 127.0.0.1:9090
  token: ${CIC_TEST_SERVER_TOKEN}
jenkins:
  enabled: true
  masters:
    - name: main-jenkins
      address: https://jenkins.example.test/
      username: ci-bot
      token: ${CIC_TEST_JENKINS_TOKEN}
      csrf: true
      jobs: [team/app-build, tools]
      pollInterval: 2m
      timeout: 1500ms
      caCertificate: ca.pem
      proxy: http://proxy.example.test:3128
gitlab-ci:
  enabled: true
  masters:
    - name: gitlab
      address: https://gitlab.example.test
      privateToken: keychain:gitlab-token
      projects:
        - team/app
github-actions:
  masters:
    - name: gh
      repositories: [acme/app, acme/lib]
      token: inline-token-value
    - name: ghe
      baseUrl: https://ghe.example.test/api/v3
      repositories: [acme/app]
buildbot:
  masters:
    - name: bb
      address: http://127.0.0.1:8010
      builders: [ok]
fixtures:
  - name: demo
    path: fixtures/demo
stash:
  baseUrl: https://stash.example.test
github:
  baseUrl: https://api.github.com
  accessToken: igor-reads-this
)";
}

// The shape of a real igor's file: many sections this program does not read.
QByteArray igorFile()
{
    return R"(server:
  port: 8088
spring:
  application:
    name: igor
redis:
  connection: redis://localhost:6379
services:
  clouddriver:
    baseUrl: http://localhost:7002
jenkins:
  enabled: true
  masters:
    - name: my-jenkins
      address: http://jenkins.example.test:8080
      username: admin
      password: secret
      csrf: true
      permissions:
        READ: [dev]
        WRITE: [admin]
      itemUpperThreshold: 1000
gitlab-ci:
  enabled: true
  itemUpperThreshold: 1000
  masters:
    - name: my-gitlab
      address: https://gitlab.example.test
      privateToken: xyz
      limitByMembership: true
      limitByOwnership: false
      defaultHttpPageLength: 50
stash:
  baseUrl: https://stash.example.test
  username: bot
  password: pass
artifacts:
  gitlab:
    enabled: false
)";
}

} // namespace

class TestConfig : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        qputenv("CIC_TEST_SERVER_TOKEN", "server-token");
        qputenv("CIC_TEST_JENKINS_TOKEN", "jenkins-token-1234");
        qunsetenv("CIC_TEST_UNSET");
    }

    void readsEveryKey()
    {
        QTemporaryDir dir;
        QFile ca(dir.filePath(QStringLiteral("ca.pem")));
        QVERIFY(ca.open(QIODevice::WriteOnly));
        ca.write("-----BEGIN CERTIFICATE-----\n");
        ca.close();
        const QString path = dir.filePath(QStringLiteral("ci-companion.yml"));

        const LoadOutcome outcome = parseConfig(validFile(), path);
        QVERIFY2(outcome.ok(), qPrintable(outcome.errorText()));
        QVERIFY(outcome.config.warnings.isEmpty());
        const Config &config = outcome.config;

        QCOMPARE(config.server.listen, QStringLiteral("127.0.0.1:9090"));
        QCOMPARE(config.server.token.kind(), Secret::Kind::Environment);

        QCOMPARE(config.jenkins.size(), 1);
        const JenkinsMaster &jenkins = config.jenkins.first();
        QCOMPARE(jenkins.name, QStringLiteral("main-jenkins"));
        QCOMPARE(jenkins.address, QUrl(QStringLiteral("https://jenkins.example.test")));
        QCOMPARE(jenkins.username, QStringLiteral("ci-bot"));
        QCOMPARE(jenkins.token.reference(), QStringLiteral("CIC_TEST_JENKINS_TOKEN"));
        QVERIFY(!jenkins.password.isSet());
        QVERIFY(jenkins.csrf);
        QCOMPARE(jenkins.jobs,
                 (QStringList{QStringLiteral("team/app-build"), QStringLiteral("tools")}));
        QCOMPARE(jenkins.connection.pollIntervalMs, 120'000);
        QCOMPARE(jenkins.connection.timeoutMs, 1500);
        QCOMPARE(jenkins.connection.caCertificate, ca.fileName());
        QCOMPARE(jenkins.connection.proxy, QStringLiteral("http://proxy.example.test:3128"));
        QCOMPARE(jenkins.location.line, 7);

        QCOMPARE(config.gitLab.size(), 1);
        QCOMPARE(config.gitLab.first().privateToken.kind(), Secret::Kind::Keychain);
        QCOMPARE(config.gitLab.first().privateToken.reference(), QStringLiteral("gitlab-token"));
        QCOMPARE(config.gitLab.first().projects, QStringList{QStringLiteral("team/app")});

        QCOMPARE(config.gitHubActions.size(), 2);
        QCOMPARE(config.gitHubActions.at(0).baseUrl,
                 QUrl(QStringLiteral("https://api.github.com")));
        QCOMPARE(config.gitHubActions.at(0).token.kind(), Secret::Kind::Inline);
        QCOMPARE(config.gitHubActions.at(1).baseUrl,
                 QUrl(QStringLiteral("https://ghe.example.test/api/v3")));

        QCOMPARE(config.buildbot.first().builders, QStringList{QStringLiteral("ok")});
        QCOMPARE(config.fixtures.first().path, dir.filePath(QStringLiteral("fixtures/demo")));
        QCOMPARE(config.scmHosts.value(QStringLiteral("stash")),
                 QStringLiteral("https://stash.example.test"));
        QCOMPARE(config.scmHosts.value(QStringLiteral("gitHub")),
                 QStringLiteral("https://api.github.com"));
        QCOMPARE(config.sourceNames(),
                 (QStringList{QStringLiteral("main-jenkins"), QStringLiteral("gitlab"),
                              QStringLiteral("gh"), QStringLiteral("ghe"), QStringLiteral("bb"),
                              QStringLiteral("demo")}));
    }

    void readsIgorsFileAsItIs()
    {
        const LoadOutcome outcome = parseConfig(igorFile(), QStringLiteral("igor.yml"));
        QVERIFY2(outcome.ok(), qPrintable(outcome.errorText()));
        QCOMPARE(outcome.problems.size(), 0); // igor's own keys raise no warning
        QCOMPARE(outcome.config.jenkins.first().password.kind(), Secret::Kind::Inline);
        QCOMPARE(outcome.config.jenkins.first().password.text(), QStringLiteral("secret"));
        QCOMPARE(outcome.config.gitLab.first().defaultHttpPageLength, 50);
        QCOMPARE(outcome.config.server.listen, QStringLiteral("127.0.0.1:8088"));
    }

    void disabledSectionIsSkipped()
    {
        const LoadOutcome outcome = parseConfig(
            "jenkins:\n  enabled: false\n  masters:\n    - name: j\n      address: http://h\n",
            QStringLiteral("f.yml"));
        QVERIFY(outcome.ok());
        QVERIFY(outcome.config.jenkins.isEmpty());
    }

    void resolvesEnvironmentSecrets()
    {
        const LoadOutcome outcome = parseConfig(validFile(), QStringLiteral("f.yml"));
        SecretResolver resolver;
        const Result<QString> token = resolver.resolve(outcome.config.jenkins.first().token);
        QVERIFY2(token.ok(), qPrintable(token.error()));
        QCOMPARE(token.value(), QStringLiteral("jenkins-token-1234"));

        const Result<QString> missing
            = resolver.resolve(Secret::fromText(QStringLiteral("${CIC_TEST_UNSET}")));
        QVERIFY(!missing.ok());
        QVERIFY2(missing.error().contains(QStringLiteral("CIC_TEST_UNSET")),
                 qPrintable(missing.error()));

        const Result<QString> fallback
            = resolver.resolve(Secret::fromText(QStringLiteral("${CIC_TEST_UNSET:dflt}")));
        QCOMPARE(fallback.value(), QStringLiteral("dflt"));
    }

    void secretsAreMaskedWhenDescribed()
    {
        const Secret inlineSecret = Secret::fromText(QStringLiteral("hunter2-secret"));
        QVERIFY(!inlineSecret.describe().contains(QStringLiteral("hunter2")));
        QCOMPARE(Secret::fromText(QStringLiteral("${X_TOKEN}")).describe(),
                 QStringLiteral("${X_TOKEN}"));
        QCOMPARE(Secret::fromText(QStringLiteral("keychain:k")).describe(),
                 QStringLiteral("keychain:k"));
    }

    void keychainWithoutAnswerTimesOut()
    {
        SecretResolver resolver;
        auto never = std::make_shared<QPromise<Result<QString>>>();
        resolver.setKeychainReader([never](const QString &) {
            never->start();
            return never->future();
        });
        resolver.setKeychainTimeoutMs(200);

        QElapsedTimer timer;
        timer.start();
        const Result<QString> value
            = resolver.resolve(Secret::fromText(QStringLiteral("keychain:t")));
        QVERIFY(!value.ok());
        QVERIFY2(value.error().contains(QStringLiteral("did not answer")),
                 qPrintable(value.error()));
        QVERIFY(timer.elapsed() < 5000);
        never->finish();
    }

    void keychainErrorIsReported()
    {
        SecretResolver resolver;
        resolver.setKeychainReader([](const QString &key) {
            return QtFuture::makeReadyFuture(
                Result<QString>(Error{QStringLiteral("no entry ") + key}));
        });
        const Result<QString> value
            = resolver.resolve(Secret::fromText(QStringLiteral("keychain:abc")));
        QCOMPARE(value.error(), QStringLiteral("keychain:abc: no entry abc"));
    }

    // Where no secret service runs (no D-Bus session, as in CI), the real keychain gives an
    // error for that secret within the timeout; it never hangs.
    void realKeychainWithoutServiceFailsCleanly()
    {
        const QByteArray savedBus = qgetenv("DBUS_SESSION_BUS_ADDRESS");
        qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/cic-test-bus");
        SecretResolver resolver;
        resolver.setKeychainTimeoutMs(3000);

        QElapsedTimer timer;
        timer.start();
        const Result<QString> value
            = resolver.resolve(Secret::fromText(QStringLiteral("keychain:cic-test-entry")));
        if (savedBus.isNull())
            qunsetenv("DBUS_SESSION_BUS_ADDRESS");
        else
            qputenv("DBUS_SESSION_BUS_ADDRESS", savedBus);

        QVERIFY(!value.ok());
        QVERIFY2(value.error().startsWith(QStringLiteral("keychain:cic-test-entry: ")),
                 qPrintable(value.error()));
        QVERIFY(timer.elapsed() < 4000);
    }

    void reportsMistakes_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("message");

        QTest::newRow("not YAML") << QByteArray("jenkins:\n  masters:\n    - name: a: b\n") << 3
                                  << QString() << QStringLiteral("not valid YAML");
        QTest::newRow("missing address")
            << QByteArray("jenkins:\n  masters:\n    - name: j\n      username: u\n") << 3
            << QStringLiteral("jenkins.masters[0].address")
            << QStringLiteral("required key is missing");
        QTest::newRow("bad url") << QByteArray(
            "jenkins:\n  masters:\n    - name: j\n      address: ftp://h/\n")
                                 << 4 << QStringLiteral("jenkins.masters[0].address")
                                 << QStringLiteral("is not an http:// or https:// address");
        QTest::newRow("duplicate name")
            << QByteArray("jenkins:\n  masters:\n    - name: a\n      address: http://h\n"
                          "fixtures:\n  - name: a\n    path: /tmp\n")
            << 6 << QStringLiteral("fixtures[0].name") << QStringLiteral("already used on line 3");
        QTest::newRow("not a bool")
            << QByteArray("jenkins:\n  masters:\n    - name: j\n      address: http://h\n"
                          "      csrf: maybe\n")
            << 5 << QStringLiteral("jenkins.masters[0].csrf")
            << QStringLiteral("expected true or false");
        QTest::newRow("bad duration")
            << QByteArray("gitlab-ci:\n  masters:\n    - name: g\n      address: http://h\n"
                          "      timeout: soon\n")
            << 5 << QStringLiteral("gitlab-ci.masters[0].timeout")
            << QStringLiteral("expected a duration");
        QTest::newRow("masters not a list")
            << QByteArray("gitlab-ci:\n  masters:\n    name: g\n") << 3
            << QStringLiteral("gitlab-ci.masters") << QStringLiteral("expected a list of masters");
        QTest::newRow("no repositories")
            << QByteArray("github-actions:\n  masters:\n    - name: g\n      token: t\n") << 3
            << QStringLiteral("github-actions.masters[0].repositories")
            << QStringLiteral("owner/name");
        QTest::newRow("bad repository")
            << QByteArray("github-actions:\n  masters:\n    - name: g\n      repositories: [app]\n")
            << 4 << QStringLiteral("github-actions.masters[0].repositories")
            << QStringLiteral("'app' is not owner/name");
        QTest::newRow("password without username")
            << QByteArray("buildbot:\n  masters:\n    - name: b\n      address: http://h\n"
                          "      password: p\n")
            << 3 << QStringLiteral("buildbot.masters[0].username")
            << QStringLiteral("needs a username");
        QTest::newRow("bad proxy")
            << QByteArray("jenkins:\n  masters:\n    - name: j\n      address: http://h\n"
                          "      proxy: proxy.example\n")
            << 5 << QStringLiteral("jenkins.masters[0].proxy")
            << QStringLiteral("expected http://host:port");
        QTest::newRow("unset variable in address")
            << QByteArray("jenkins:\n  masters:\n    - name: j\n      address: ${CIC_TEST_UNSET}\n")
            << 4 << QStringLiteral("jenkins.masters[0].address")
            << QStringLiteral("CIC_TEST_UNSET is not set");
        QTest::newRow("bad listen")
            << QByteArray("server:\n  listen: localhost\n") << 2 << QStringLiteral("server.listen")
            << QStringLiteral("expected host:port");
        QTest::newRow("fixture without path")
            << QByteArray("fixtures:\n  - name: f\n") << 2 << QStringLiteral("fixtures[0].path")
            << QStringLiteral("required key is missing");
        QTest::newRow("clones not a list")
            << QByteArray("localClones:\n  remote: r\n") << 2 << QStringLiteral("localClones")
            << QStringLiteral("expected a list of {remote, path}");
        QTest::newRow("clone without path")
            << QByteArray("localClones:\n  - remote: https://github.com/acme/app.git\n") << 2
            << QStringLiteral("localClones[0].path") << QStringLiteral("required key is missing");
        QTest::newRow("list where a value belongs")
            << QByteArray("jenkins:\n  masters:\n    - name: [a, b]\n      address: http://h\n")
            << 3 << QStringLiteral("jenkins.masters[0].name")
            << QStringLiteral("expected a single value");
    }

    void reportsMistakes()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(int, line);
        QFETCH(QString, key);
        QFETCH(QString, message);

        const LoadOutcome outcome = parseConfig(yaml, QStringLiteral("/etc/ci.yml"));
        QVERIFY(!outcome.ok());
        const ConfigProblem problem = outcome.errors().first();
        QCOMPARE(problem.file, QStringLiteral("/etc/ci.yml"));
        QCOMPARE(problem.location.line, line);
        QCOMPARE(problem.key, key);
        QVERIFY2(problem.message.contains(message), qPrintable(problem.message));
        QVERIFY(outcome.errorText().startsWith(QStringLiteral("/etc/ci.yml:%1:").arg(line)));
    }

    // igor's SCM credentials, and our local clones with their paths resolved against the file.
    void readsScmCredentialsAndLocalClones()
    {
        const LoadOutcome outcome = parseConfig(
            "github:\n  baseUrl: https://api.github.com\n  accessToken: gh-token\n"
            "stash:\n  baseUrl: https://stash.example.test\n  username: bot\n"
            "  password: ${CIC_TEST_JENKINS_TOKEN}\n"
            "gitlab:\n  baseUrl: https://gitlab.example.test\n"
            "localClones:\n  - remote: https://github.com/acme/app.git\n    path: src/app\n"
            "  - remote: git@stash.example.test:team/lib.git\n    path: /srv/lib\n",
            QStringLiteral("/home/ada/.config/ci-companion/ci-companion.yml"));
        QVERIFY2(outcome.ok(), qPrintable(outcome.errorText()));
        const Config &config = outcome.config;

        QCOMPARE(config.scmCredentials.keys(),
                 QStringList({QStringLiteral("gitHub"), QStringLiteral("stash")}));
        QCOMPARE(config.scmCredentials.value(QStringLiteral("gitHub")).username, QString());
        QCOMPARE(config.scmCredentials.value(QStringLiteral("gitHub")).token.text(),
                 QStringLiteral("gh-token"));
        QCOMPARE(config.scmCredentials.value(QStringLiteral("stash")).username,
                 QStringLiteral("bot"));
        QCOMPARE(SecretResolver()
                     .resolve(config.scmCredentials.value(QStringLiteral("stash")).token)
                     .value(),
                 QStringLiteral("jenkins-token-1234"));

        QCOMPARE(config.localClones.size(), 2);
        QCOMPARE(config.localClones.at(0).remote,
                 QStringLiteral("https://github.com/acme/app.git"));
        QCOMPARE(config.localClones.at(0).path,
                 QStringLiteral("/home/ada/.config/ci-companion/src/app"));
        QCOMPARE(config.localClones.at(1).path, QStringLiteral("/srv/lib"));
    }

    void warnsAboutUnknownKeysInOurSections()
    {
        const LoadOutcome outcome = parseConfig("jenkins:\n  masters:\n    - name: j\n      "
                                                "adress: http://h\n      address: http://h\n",
                                                QStringLiteral("f.yml"));
        QVERIFY(outcome.ok());
        QCOMPARE(outcome.config.warnings.size(), 1);
        const ConfigProblem warning = outcome.config.warnings.first();
        QCOMPARE(warning.location.line, 4);
        QCOMPARE(warning.key, QStringLiteral("jenkins.masters[0].adress"));
        QVERIFY(warning.message.contains(QStringLiteral("did you mean 'address'")));
    }

    void missingFileNamesIt()
    {
        const LoadOutcome outcome = loadConfig(QStringLiteral("/nonexistent/ci-companion.yml"));
        QVERIFY(!outcome.ok());
        QVERIFY(outcome.errorText().contains(QStringLiteral("/nonexistent/ci-companion.yml")));
    }

    void savesAtomicallyAndRoundTrips()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("ci-companion.yml"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(igorFile());
        file.close();

        LoadOutcome first = loadConfig(path);
        QVERIFY2(first.ok(), qPrintable(first.errorText()));
        Config config = first.config;
        config.jenkins.first().token = Secret::fromText(QStringLiteral("${JENKINS_TOKEN}"));
        config.jenkins.first().password = {};
        config.jenkins.first().connection.timeoutMs = 2500;
        GitHubActionsMaster github;
        github.name = QStringLiteral("gh");
        github.repositories = {QStringLiteral("acme/app")};
        github.token = Secret::fromText(QStringLiteral("keychain:gh"));
        config.gitHubActions.append(github);
        config.fixtures.append({QStringLiteral("demo"), dir.filePath(QStringLiteral("fx")), {}});

        const Result<bool> saved = saveConfig(config, path);
        QVERIFY2(saved.ok(), qPrintable(saved.error()));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files),
                 QStringList{QStringLiteral("ci-companion.yml")});

        const LoadOutcome second = loadConfig(path);
        QVERIFY2(second.ok(), qPrintable(second.errorText()));
        QCOMPARE(second.problems.size(), 0);
        const JenkinsMaster &jenkins = second.config.jenkins.first();
        QCOMPARE(jenkins.token.text(), QStringLiteral("${JENKINS_TOKEN}"));
        QVERIFY(!jenkins.password.isSet());
        QCOMPARE(jenkins.connection.timeoutMs, 2500);
        QCOMPARE(jenkins.csrf, true);
        QCOMPARE(second.config.gitHubActions.first().token.text(), QStringLiteral("keychain:gh"));
        QCOMPARE(second.config.gitHubActions.first().repositories, github.repositories);
        QCOMPARE(second.config.fixtures.first().path, dir.filePath(QStringLiteral("fx")));
        QCOMPARE(second.config.gitLab.first().defaultHttpPageLength, 50);
        QCOMPARE(second.config.scmHosts, first.config.scmHosts);

        // What this program does not read survives the save.
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray text = file.readAll();
        QVERIFY(text.contains("redis:"));
        QVERIFY(text.contains("clouddriver"));
        QVERIFY(text.contains("itemUpperThreshold: 1000"));
        QVERIFY(text.contains("WRITE:"));
        QVERIFY(text.contains("username: bot")); // stash's igor keys
        QVERIFY(!text.contains("password: secret"));
        QCOMPARE(QFile::permissions(path) & (QFileDevice::ReadOther | QFileDevice::ReadGroup),
                 QFileDevice::Permissions());
    }

    // The example shipped in resources/ and shown in docs/configuration.md loads cleanly.
    void exampleLoadsWithoutProblems()
    {
        const LoadOutcome outcome =
            loadConfig(QStringLiteral(CIC_SOURCE_DIR "/resources/examples/ci-companion.yml"));
        QVERIFY2(outcome.ok(), qPrintable(outcome.errorText()));
        // Only the example's company CA file, which this machine does not have, is noted.
        for (const ConfigProblem &problem : outcome.problems) {
            QVERIFY(!problem.isError());
            QCOMPARE(problem.key, QStringLiteral("jenkins.masters[1].caCertificate"));
        }
        QCOMPARE(outcome.config.sourceNames().size(), 7);

        QFile doc(QStringLiteral(CIC_SOURCE_DIR "/docs/configuration.md"));
        QVERIFY(doc.open(QIODevice::ReadOnly));
        QFile example(QStringLiteral(CIC_SOURCE_DIR "/resources/examples/ci-companion.yml"));
        QVERIFY(example.open(QIODevice::ReadOnly));
        QVERIFY2(doc.readAll().contains(example.readAll()),
                 "docs/configuration.md shows the example file as it is");
    }

    void defaultPathHonoursEnvironment()
    {
        qputenv("CI_COMPANION_CONFIG", "/tmp/x.yml");
        QCOMPARE(defaultConfigPath(), QStringLiteral("/tmp/x.yml"));
        qunsetenv("CI_COMPANION_CONFIG");
#ifdef Q_OS_LINUX
        // One ci-companion folder under the XDG configuration home, beside server.env.
        const QByteArray home = qgetenv("XDG_CONFIG_HOME");
        qputenv("XDG_CONFIG_HOME", "/tmp/cic-config-home");
        QCOMPARE(defaultConfigPath(),
                 QStringLiteral("/tmp/cic-config-home/ci-companion/ci-companion.yml"));
        if (home.isNull())
            qunsetenv("XDG_CONFIG_HOME");
        else
            qputenv("XDG_CONFIG_HOME", home);
#else
        QVERIFY(defaultConfigPath().endsWith(QStringLiteral("/ci-companion/ci-companion.yml")));
#endif
    }
};

QTEST_GUILESS_MAIN(TestConfig)
#include "tst_config.moc"
