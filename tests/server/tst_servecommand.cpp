// SPDX-License-Identifier: GPL-3.0-or-later
#include "tests/server/httpclient.h"
#include "tests/support/wirechecks.h"

#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace cic::testing;

// `ci-companion serve`, run as a user runs it.
class TestServeCommand : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void servesFixtures();
    void servesTheDemoSetByDefault();
    void reportsBrokenFixtureFiles();
    void portTaken();
    void beyondLoopbackNeedsAToken();
    void tokenFromTheEnvironment();
    void badListenAddress_data();
    void badListenAddress();
    void help();

private:
    // Starts serve and waits for its "listening on" line; returns the base URL.
    QUrl start(QProcess &process, const QStringList &arguments,
               const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment());
};

QUrl TestServeCommand::start(QProcess &process, const QStringList &arguments,
                             const QProcessEnvironment &environment)
{
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral(CIC_APP), QStringList{QStringLiteral("serve")} + arguments);
    if (!process.waitForStarted(5000))
        return {};

    static const QRegularExpression listening(QStringLiteral("^listening on (http://\\S+)$"),
                                              QRegularExpression::MultilineOption);
    QByteArray output;
    QRegularExpressionMatch match;
    // Without the line, the empty URL makes the test fail where it checks it.
    (void)QTest::qWaitFor(
        [&] {
            output += process.readAllStandardOutput();
            match = listening.match(QString::fromUtf8(output));
            return match.hasMatch() || process.state() == QProcess::NotRunning;
        },
        20000);
    return match.hasMatch() ? QUrl(match.captured(1)) : QUrl();
}

void TestServeCommand::servesFixtures()
{
    QProcess process;
    const QUrl base = start(process,
                            {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                             QStringLiteral("--fixtures"), dataPath(QStringLiteral("contract")),
                             QStringLiteral("--no-watch")});
    QVERIFY2(base.isValid(), process.readAllStandardError().constData());
    QCOMPARE(base.host(), QStringLiteral("127.0.0.1"));
    QVERIFY(base.port() > 0);

    HttpClient client(base);
    const HttpResponse keel
        = client.get("/ci/builds?commitId=2626f5f&buildNumber=1042"
                     "&completionStatus=INCOMPLETE%2C%20SUCCEEDED%2C%20FAILED%2C%20ABORTED");
    QCOMPARE(keel.status, 200);
    QCOMPARE(keel.json(), golden(QStringLiteral("keel-query.json")));
    QCOMPARE(client.get("/scm/masters").json(), golden(QStringLiteral("scm-masters.json")));
    QCOMPARE(client.get("/ci/builds/b-1043/output").json(),
             golden(QStringLiteral("output-b-1043.json")));

    process.terminate();
    QVERIFY(process.waitForFinished(5000));
}

void TestServeCommand::servesTheDemoSetByDefault()
{
    QProcess process;
    const QUrl base = start(
        process, {QStringLiteral("--listen"), QStringLiteral(":0"), QStringLiteral("--keep-ansi")});
    QVERIFY2(base.isValid(), process.readAllStandardError().constData());

    HttpClient client(base);
    const HttpResponse builds = client.get("/ci/builds");
    QCOMPARE(builds.status, 200);
    QVERIFY(builds.json().array().size() > 100);
    for (const QJsonValue &build : builds.json().array())
        CIC_VERIFY_WIRE_BUILD(build.toObject());
    QVERIFY(!client.get("/scm/masters").json().object().isEmpty());

    process.terminate();
    QVERIFY(process.waitForFinished(5000));
}

void TestServeCommand::reportsBrokenFixtureFiles()
{
    QTemporaryDir dir;
    QFile broken(dir.filePath(QStringLiteral("broken.json")));
    QVERIFY(broken.open(QIODevice::WriteOnly));
    broken.write("{\"id\": ");
    broken.close();

    QProcess process;
    const QUrl base = start(process,
                            {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                             QStringLiteral("--fixtures"), dir.path(), QStringLiteral("--fixtures"),
                             dataPath(QStringLiteral("contract"))});
    QVERIFY(base.isValid());
    const QString errors = QString::fromUtf8(process.readAllStandardError());
    QVERIFY2(errors.contains(QStringLiteral("fixtures: %1: invalid JSON").arg(broken.fileName())),
             qPrintable(errors));
    // The good set is served all the same.
    QCOMPARE(HttpClient(base).get("/ci/builds?projectKey=SPKR").json().array().size(), 3);

    process.terminate();
    QVERIFY(process.waitForFinished(5000));
}

void TestServeCommand::portTaken()
{
    QTcpServer taken;
    QVERIFY(taken.listen(QHostAddress::LocalHost, 0));

    QProcess process;
    process.start(QStringLiteral(CIC_APP),
                  {QStringLiteral("serve"), QStringLiteral("--listen"),
                   QStringLiteral("127.0.0.1:%1").arg(taken.serverPort()),
                   QStringLiteral("--fixtures"), dataPath(QStringLiteral("contract"))});
    QVERIFY(process.waitForFinished(20000));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 1);
    const QString errors = QString::fromUtf8(process.readAllStandardError());
    QVERIFY2(errors.contains(QStringLiteral("ci-companion serve: cannot listen on 127.0.0.1:%1")
                                 .arg(taken.serverPort())),
             qPrintable(errors));
    QVERIFY(process.readAllStandardOutput().isEmpty());
}

void TestServeCommand::beyondLoopbackNeedsAToken()
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(QStringLiteral("CIC_SERVER_TOKEN"));

    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral(CIC_APP),
                  {QStringLiteral("serve"), QStringLiteral("--listen"), QStringLiteral("*:0")});
    QVERIFY(process.waitForFinished(20000));
    QCOMPARE(process.exitCode(), 1);
    const QString errors = QString::fromUtf8(process.readAllStandardError());
    QVERIFY2(errors.contains(QLatin1String("needs a bearer token")), qPrintable(errors));
    QVERIFY2(errors.contains(QLatin1String("--token")), qPrintable(errors));
}

void TestServeCommand::tokenFromTheEnvironment()
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("CIC_SERVER_TOKEN"), QStringLiteral("from-env"));

    QProcess process;
    const QUrl base = start(process,
                            {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                             QStringLiteral("--fixtures"), dataPath(QStringLiteral("contract"))},
                            environment);
    QVERIFY(base.isValid());
    HttpClient client(base);
    QCOMPARE(client.get("/health").status, 401);
    QCOMPARE(client.get("/health", {{"Authorization", "Bearer from-env"}}).status, 200);

    process.terminate();
    QVERIFY(process.waitForFinished(5000));
}

void TestServeCommand::badListenAddress_data()
{
    QTest::addColumn<QString>("listen");
    QTest::addColumn<QString>("message");

    QTest::newRow("host name") << "example.com:80"
                               << "not an IP address";
    QTest::newRow("port too big") << "127.0.0.1:70000"
                                  << "not a port number";
    QTest::newRow("port not a number") << "127.0.0.1:http"
                                       << "not a port number";
    QTest::newRow("unclosed bracket") << "[::1:8088"
                                      << "without closing it";
}

void TestServeCommand::badListenAddress()
{
    QFETCH(QString, listen);
    QFETCH(QString, message);

    QProcess process;
    process.start(QStringLiteral(CIC_APP),
                  {QStringLiteral("serve"), QStringLiteral("--listen"), listen});
    QVERIFY(process.waitForFinished(20000));
    QCOMPARE(process.exitCode(), 2);
    const QString errors = QString::fromUtf8(process.readAllStandardError());
    QVERIFY2(errors.contains(message), qPrintable(errors));
}

void TestServeCommand::help()
{
    QProcess process;
    process.start(QStringLiteral(CIC_APP), {QStringLiteral("serve"), QStringLiteral("--help")});
    QVERIFY(process.waitForFinished(20000));
    QCOMPARE(process.exitCode(), 0);
    const QString help = QString::fromUtf8(process.readAllStandardOutput());
    for (const char *option : {"--listen", "--fixtures", "--token", "--no-watch", "--keep-ansi"})
        QVERIFY2(help.contains(QLatin1String(option)), option);

    QProcess overview;
    overview.start(QStringLiteral(CIC_APP), {QStringLiteral("--help")});
    QVERIFY(overview.waitForFinished(20000));
    QVERIFY(overview.readAllStandardOutput().contains("serve"));
}

QTEST_GUILESS_MAIN(TestServeCommand)
#include "tst_servecommand.moc"
