// SPDX-License-Identifier: GPL-3.0-or-later
// `ci-companion serve` as a local igor mock, run as a process: the control API only when
// asked and only on loopback, scenarios that play or wait, latency from the command line.

#include "tests/server/httpclient.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>

using namespace cic::testing;

class TestServeMock : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void controlAndWaitingScenarios();
    void scenariosPlayByDefault();
    void withoutScenarios();
    void latencyFromTheCommandLine();
    void refusedOptions_data();
    void refusedOptions();

private:
    // Starts serve and waits until it has printed what it serves; returns the base URL.
    QUrl start(QProcess &process, const QStringList &arguments, QByteArray *output = nullptr);
    static void stop(QProcess &process);
};

QUrl TestServeMock::start(QProcess &process, const QStringList &arguments, QByteArray *output)
{
    process.start(QStringLiteral(CIC_APP), QStringList{QStringLiteral("serve")} + arguments);
    if (!process.waitForStarted(5000))
        return {};

    static const QRegularExpression listening(QStringLiteral("^listening on (http://\\S+)$"),
                                              QRegularExpression::MultilineOption);
    QByteArray printed;
    QRegularExpressionMatch match;
    const bool ready = QTest::qWaitFor(
        [&] {
            printed += process.readAllStandardOutput();
            match = listening.match(QString::fromUtf8(printed));
            return printed.contains("serving ") || process.state() == QProcess::NotRunning;
        },
        20000);
    QTest::qWait(50); // the lines printed right after "serving"
    printed += process.readAllStandardOutput();
    if (output)
        *output = printed;
    return ready && match.hasMatch() ? QUrl(match.captured(1)) : QUrl();
}

void TestServeMock::stop(QProcess &process)
{
    process.terminate();
    QVERIFY(process.waitForFinished(5000));
}

void TestServeMock::controlAndWaitingScenarios()
{
    QProcess process;
    QByteArray output;
    const QUrl base = start(process,
                            {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                             QStringLiteral("--control"), QStringLiteral("--no-autostart")},
                            &output);
    QVERIFY2(base.isValid(), process.readAllStandardError().constData());
    QVERIFY2(output.contains("scenario keel-app-main (demo): stopped"), output.constData());
    const QByteArray controlLine = "control API on " + base.toString().toUtf8() + "/_mock";
    QVERIFY2(output.contains(controlLine), output.constData());

    HttpClient client(base);
    QCOMPARE(client.get("/ci/builds?buildNumber=1091&repoSlug=keel-app").json().array().size(), 0);
    const HttpResponse started = client.send("POST", "/_mock/scenarios/keel-app-main/start");
    QCOMPARE(started.status, 200);
    QCOMPARE(started.json().object().value(u"state").toString(), QStringLiteral("running"));

    const QJsonArray queued
        = client.get("/ci/builds?buildNumber=1091&repoSlug=keel-app").json().array();
    QCOMPARE(queued.size(), 1);
    QCOMPARE(queued.at(0)[u"result"].toString(), QStringLiteral("NOT_BUILT"));
    stop(process);
}

void TestServeMock::scenariosPlayByDefault()
{
    QProcess process;
    QByteArray output;
    const QUrl base
        = start(process, {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")}, &output);
    QVERIFY(base.isValid());
    QVERIFY2(output.contains("scenario keel-app-main (demo): running"), output.constData());

    HttpClient client(base);
    QCOMPARE(client.get("/ci/builds?buildNumber=1210&repoSlug=deck-ui").json().array().size(), 1);
    QCOMPARE(client.get("/_mock").status, 404); // no control API unless asked for
    stop(process);
}

void TestServeMock::withoutScenarios()
{
    QProcess process;
    QByteArray output;
    const QUrl base = start(process,
                            {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                             QStringLiteral("--no-scenarios")},
                            &output);
    QVERIFY(base.isValid());
    QVERIFY2(!output.contains("scenario "), output.constData());
    HttpClient client(base);
    QCOMPARE(client.get("/ci/builds?buildNumber=1091&repoSlug=keel-app").json().array().size(), 0);
    QVERIFY(client.get("/ci/builds").json().array().size() >= 300);
    stop(process);
}

void TestServeMock::latencyFromTheCommandLine()
{
    QProcess process;
    const QUrl base = start(process,
                            {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                             QStringLiteral("--latency"), QStringLiteral("/scm/masters=400")});
    QVERIFY(base.isValid());

    HttpClient client(base);
    QElapsedTimer timer;
    timer.start();
    QCOMPARE(client.get("/scm/masters").status, 200);
    QVERIFY(timer.elapsed() >= 400);
    stop(process);
}

void TestServeMock::refusedOptions_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");

    QTest::newRow("control beyond loopback")
        << QStringList{"--control", "--listen", "0.0.0.0:0", "--token", "t"}
        << "served on loopback only";
    QTest::newRow("bad latency") << QStringList{"--latency", "/ci/builds=slow"}
                                 << "--latency: \"/ci/builds=slow\" is not ROUTE=MS";
    QTest::newRow("bad journal size") << QStringList{"--journal-size", "0"} << "--journal-size";
}

void TestServeMock::refusedOptions()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);

    QProcess process;
    process.start(QStringLiteral(CIC_APP), QStringList{QStringLiteral("serve")} + arguments);
    QVERIFY(process.waitForFinished(20000));
    QCOMPARE(process.exitCode(), 2);
    const QString errors = QString::fromUtf8(process.readAllStandardError());
    QVERIFY2(errors.contains(message), qPrintable(errors));
}

QTEST_GUILESS_MAIN(TestServeMock)
#include "tst_servemock.moc"
