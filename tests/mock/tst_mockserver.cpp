// SPDX-License-Identifier: GPL-3.0-or-later
// The local igor mock over HTTP, in process on a loopback port: a scenario driven through its
// states with the control API and watched the way deck and keel poll, deck's log paging,
// latency and faults on one route leaving the others alone, the request journal, and igor's
// other routes.

#include "core/mock/mockcontrol.h"
#include "core/mock/mockinterceptor.h"
#include "core/mock/mocksource.h"
#include "core/server/igorserver.h"
#include "core/service/sourceregistry.h"
#include "core/store/buildstore.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace cic;
using namespace cic::mock;

namespace {

constexpr qint64 T0 = 1'796'040'000'000;

// Not raw strings: moc 6.4 reads the "//" of a URL inside one as a comment.
const char *const FixtureBuilds
    = "[{\"building\": false, \"number\": 1090, \"id\": \"keel-app-1090\", \"result\": \"SUCCESS\","
      " \"name\": \"SPKR/keel-app\", \"duration\": 1000, \"timestamp\": \"1796000000000\","
      " \"url\": \"https://ci.example.com/builds/keel-app-1090\","
      " \"scm\": [{\"sha1\": \"aaaa000000000000000000000000000000000000\","
      "            \"committer\": \"Jane Doe\"}], \"artifacts\": [], \"testResults\": [],"
      " \"properties\": {\"projectKey\": \"SPKR\", \"repoSlug\": \"keel-app\","
      "                  \"startedTs\": \"1796000000000\"}}]";

// Started on request: queued at 0, running at 1 s, a chunk at 2, 3 and 4 s, SUCCESS at 5 s.
const char *const RunScenario
    = "{\"autostart\": false,"
      " \"build\": {\"number\": 1091, \"id\": \"keel-app-1091\", \"name\": \"SPKR/keel-app\","
      "   \"artifacts\": [{\"fileName\": \"keel-app_1.0_all.deb\", \"decorated\": false}],"
      "   \"scm\": [{\"sha1\": \"bbbb000000000000000000000000000000000000\","
      "              \"committer\": \"Jane Doe\", \"branch\": \"main\"}],"
      "   \"properties\": {\"projectKey\": \"SPKR\", \"repoSlug\": \"keel-app\","
      "                    \"pullRequestNumber\": \"\", \"pullRequestUrl\": \"\"}},"
      " \"timeline\": [{\"state\": \"queued\"}, {\"afterMs\": 1000, \"state\": \"running\"},"
      "   {\"afterMs\": 1000, \"log\": \"[12:00:02] clone\\n\"},"
      "   {\"afterMs\": 1000, \"log\": \"[12:00:03] \\u001b[32mbuild\\u001b[0m\\n\"},"
      "   {\"afterMs\": 1000, \"log\": \"[12:00:04] test\\n\"},"
      "   {\"afterMs\": 1000, \"result\": \"SUCCESS\"}]}";

void writeFile(const QString &path, const QByteArray &data)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(data);
}

struct Answer
{
    int status = 0; // 0: no HTTP answer at all
    QByteArray body;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    qint64 elapsedMs = 0;

    QJsonValue json() const
    {
        const QJsonDocument document = QJsonDocument::fromJson(body);
        return document.isArray() ? QJsonValue(document.array()) : QJsonValue(document.object());
    }
};

} // namespace

class TestMockServer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void scenarioAsDeckAndKeelSeeIt();
    void deckPagesTheGrowingLog();
    void plainOutputIsTheWholeLog();
    void latencyOnOneRoute();
    void delayedReplyToAClientThatLeft();
    void faultOnOneRoute_data();
    void faultOnOneRoute();
    void failTimesThenSucceed();
    void journalInOrder();
    void editsThroughTheControlApi();
    void controlApiErrors_data();
    void controlApiErrors();
    void runTimeScenarioOverHttp();
    void igorInfoRoutes_data();
    void igorInfoRoutes();
    void controlIsOffUnlessAsked();
    void controlOnlyOnLoopback();

private:
    void startServer(bool control = true);
    Answer send(const QByteArray &method, const QString &path, const QByteArray &body = {},
                const QByteArray &contentType = "application/json");
    Answer get(const QString &path) { return send("GET", path); }
    void at(qint64 ms);

    QNetworkAccessManager m_network;
    qint64 m_now = T0;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<BuildStore> m_store;
    std::unique_ptr<SourceRegistry> m_registry;
    MockSource *m_mock = nullptr;
    std::shared_ptr<RequestPolicy> m_policy;
    std::shared_ptr<RequestJournal> m_journal;
    std::unique_ptr<MockControl> m_control;
    std::unique_ptr<IgorServer> m_server;
};

void TestMockServer::initTestCase()
{
    qRegisterMetaType<QNetworkReply::NetworkError>();
}

void TestMockServer::init()
{
    m_now = T0;
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    writeFile(m_dir->filePath(QStringLiteral("keel/builds.json")), FixtureBuilds);
    writeFile(m_dir->filePath(QStringLiteral("keel/logs/keel-app-1090.log")), "recorded\n");
    writeFile(m_dir->filePath(QStringLiteral("scenarios/run.json")), RunScenario);

    m_store = std::make_unique<BuildStore>();
    m_registry = std::make_unique<SourceRegistry>(m_store.get());
    m_mock = new MockSource(QStringLiteral("mock"), m_dir->path());
    m_mock->engine()->setClock([this] { return m_now; });
    m_registry->addSource(m_mock);
    m_registry->refresh();
    QVERIFY2(m_mock->problems().isEmpty(), qPrintable(m_mock->problems().value(0).toString()));

    m_policy = std::make_shared<RequestPolicy>();
    m_journal = std::make_shared<RequestJournal>();
}

void TestMockServer::cleanup()
{
    m_server.reset();
    m_control.reset();
    m_registry.reset();
    m_store.reset();
    m_mock = nullptr;
}

void TestMockServer::startServer(bool control)
{
    ServerOptions options;
    options.address = QHostAddress(QHostAddress::LocalHost);
    options.port = 0;
    m_server = std::make_unique<IgorServer>(m_registry.get(), options);

    if (control) {
        m_control = std::make_unique<MockControl>(QList<MockSource *>{m_mock}, m_policy, m_journal);
        m_server->setInterceptor(std::make_shared<MockInterceptor>(m_policy, m_journal));
        for (const http::Route &route : m_control->routes())
            QVERIFY(m_server->addRoute(route));
    }
    const Result<quint16> port = m_server->start();
    QVERIFY2(port.ok(), qPrintable(port.error()));
}

Answer TestMockServer::send(const QByteArray &method, const QString &path, const QByteArray &body,
                            const QByteArray &contentType)
{
    QUrl url = m_server->baseUrl();
    const qsizetype question = path.indexOf(u'?');
    url.setPath(path.left(question));
    if (question >= 0)
        url.setQuery(path.mid(question + 1));

    QNetworkRequest request(url);
    if (!body.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
    QElapsedTimer timer;
    timer.start();
    QNetworkReply *reply = m_network.sendCustomRequest(request, method, body);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!reply->isFinished())
        finished.wait(20000);

    Answer answer;
    answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    answer.body = reply->readAll();
    answer.error = reply->error();
    answer.elapsedMs = timer.elapsed();
    reply->deleteLater();
    return answer;
}

void TestMockServer::at(qint64 ms)
{
    m_now = T0 + ms;
    m_mock->engine()->update();
}

void TestMockServer::scenarioAsDeckAndKeelSeeIt()
{
    startServer();
    const QString deckList
        = QStringLiteral("/ci/builds?repoType=stash&projectKey=SPKR&repoSlug=keel-app");
    const QString deckBadge = deckList + QStringLiteral("&completionStatus=INCOMPLETE");
    const QString keel = QStringLiteral("/ci/builds?commitId=bbbb000&buildNumber=1091&"
                                        "completionStatus=INCOMPLETE%2C%20SUCCEEDED%2C%20FAILED%2C"
                                        "%20ABORTED");

    // Not started: only the recorded build.
    QCOMPARE(get(deckList).json().toArray().size(), 1);
    QCOMPARE(get(keel).json().toArray().size(), 0);

    Answer started = send("POST", QStringLiteral("/_mock/scenarios/run/start"));
    QCOMPARE(started.status, 200);
    QCOMPARE(started.json()[u"state"].toString(), QStringLiteral("running"));

    // Queued: first in deck's list (newest), NOT_BUILT, nothing running for the badge.
    QJsonArray list = get(deckList).json().toArray();
    QCOMPARE(list.size(), 2);
    QCOMPARE(list.at(0)[u"id"].toString(), QStringLiteral("keel-app-1091"));
    QCOMPARE(list.at(0)[u"result"].toString(), QStringLiteral("NOT_BUILT"));
    QCOMPARE(list.at(0)[u"building"].toBool(), false);
    QCOMPARE(get(deckBadge).json().toArray().size(), 0);

    // Running: the badge counts it, keel finds it as BUILDING, its log grows.
    at(2500);
    list = get(deckBadge).json().toArray();
    QCOMPARE(list.size(), 1);
    QCOMPARE(list.at(0)[u"duration"].toInteger(), 1500);
    QJsonArray found = get(keel).json().toArray();
    QCOMPARE(found.size(), 1);
    QCOMPARE(found.at(0)[u"result"].toString(), QStringLiteral("BUILDING"));
    QCOMPARE(found.at(0)[u"properties"][u"startedTs"].toString(), QString::number(T0 + 1000));
    QCOMPARE(get(QStringLiteral("/ci/builds/keel-app-1091/output")).json()[u"log"].toString(),
             QStringLiteral("[12:00:02] clone\n"));

    // Jump to the end through the control API: SUCCESS, completed, no longer INCOMPLETE.
    const Answer advanced = send("POST", QStringLiteral("/_mock/scenarios/run/advance?ms=10000"));
    QCOMPARE(advanced.status, 200);
    QCOMPARE(advanced.json()[u"state"].toString(), QStringLiteral("finished"));
    QCOMPARE(get(deckBadge).json().toArray().size(), 0);
    found = get(keel).json().toArray();
    QCOMPARE(found.size(), 1);
    QCOMPARE(found.at(0)[u"result"].toString(), QStringLiteral("SUCCESS"));
    QCOMPARE(found.at(0)[u"duration"].toInteger(), 4000);
    QVERIFY(found.at(0)[u"properties"][u"completedAt"].isString());
    QCOMPARE(found.at(0)[u"artifacts"].toArray().size(), 1);
    QCOMPARE(get(QStringLiteral("/ci/builds/keel-app-1091/output")).json()[u"log"].toString(),
             QStringLiteral("[12:00:02] clone\n[12:00:03] build\n[12:00:04] test\n"));

    // Reset: gone again.
    QCOMPARE(send("POST", QStringLiteral("/_mock/scenarios/run/reset")).status, 200);
    QCOMPARE(get(deckList).json().toArray().size(), 1);
    QCOMPARE(get(QStringLiteral("/ci/builds/keel-app-1091/output")).status, 404);
}

void TestMockServer::deckPagesTheGrowingLog()
{
    startServer();
    QCOMPARE(send("POST", QStringLiteral("/_mock/scenarios/run/start")).status, 200);

    // deck: start=-1 first, then the count of answers, each answer appended.
    const QString output = QStringLiteral("/ci/builds/keel-app-1091/output?start=%1&limit=4095");
    QString shown;
    int answers = 0;
    for (qint64 ms = 1000; ms <= 6000; ms += 500) {
        at(ms);
        const Answer page = get(output.arg(answers == 0 ? -1 : answers));
        QCOMPARE(page.status, 200);
        shown += page.json()[u"log"].toString();
        ++answers;
    }
    QCOMPARE(shown, QStringLiteral("[12:00:02] clone\n[12:00:03] build\n[12:00:04] test\n"));

    // A second tab opened late gets everything at once, then nothing new.
    QCOMPARE(get(output.arg(-1)).json()[u"log"].toString(), shown);
    QCOMPARE(get(output.arg(1)).json()[u"log"].toString(), QString());

    QCOMPARE(get(QStringLiteral("/ci/builds/keel-app-1091/output?start=x")).status, 400);
}

void TestMockServer::plainOutputIsTheWholeLog()
{
    startServer();
    QCOMPARE(send("POST", QStringLiteral("/_mock/scenarios/run/start")).status, 200);
    at(3000);
    const QString whole = QStringLiteral("[12:00:02] clone\n[12:00:03] build\n");
    QCOMPARE(get(QStringLiteral("/ci/builds/keel-app-1091/output")).json()[u"log"].toString(),
             whole);
    QCOMPARE(get(QStringLiteral("/ci/builds/keel-app-1091/output")).json()[u"log"].toString(),
             whole); // every time, as behind stock gate
}

void TestMockServer::latencyOnOneRoute()
{
    startServer();
    const Answer set
        = send("PUT", QStringLiteral("/_mock/latency"), R"({"route": "/ci/builds", "ms": 600})");
    QCOMPARE(set.status, 200);
    QCOMPARE(set.json()[u"ms"].toInt(), 600);

    // The slow request and, while it waits, a fast one on another route.
    QNetworkReply *slow = m_network.get(QNetworkRequest(
        m_server->baseUrl().resolved(QUrl(QStringLiteral("/ci/builds?projectKey=SPKR")))));
    QElapsedTimer timer;
    timer.start();
    const Answer masters = get(QStringLiteral("/scm/masters"));
    QCOMPARE(masters.status, 200);
    QVERIFY2(!slow->isFinished(), "the other route waited for the delayed one");
    QTRY_VERIFY_WITH_TIMEOUT(slow->isFinished(), 10000);
    QVERIFY(timer.elapsed() >= 600);
    QCOMPARE(slow->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    QCOMPARE(QJsonDocument::fromJson(slow->readAll()).array().size(), 1);
    slow->deleteLater();

    // The journal says which got the delay.
    const QJsonArray entries = get(QStringLiteral("/_mock/journal")).json()[u"entries"].toArray();
    QCOMPARE(entries.size(), 2);
    QCOMPARE(entries.at(0)[u"path"].toString(), QStringLiteral("/ci/builds"));
    QCOMPARE(entries.at(0)[u"delayMs"].toInt(), 600);
    QVERIFY(entries.at(0)[u"latencyMs"].toInteger() >= 600);
    QCOMPARE(entries.at(1)[u"path"].toString(), QStringLiteral("/scm/masters"));
    QVERIFY(!entries.at(1).toObject().contains(u"delayMs"));

    QCOMPARE(send("DELETE", QStringLiteral("/_mock/latency?route=/ci/builds")).status, 200);
    QCOMPARE(send("DELETE", QStringLiteral("/_mock/latency?route=/ci/builds")).status, 404);
}

void TestMockServer::delayedReplyToAClientThatLeft()
{
    startServer();
    QCOMPARE(send("PUT", QStringLiteral("/_mock/latency"), "{\"route\": \"/ci/**\", \"ms\": 300}")
                 .status,
             200);
    QNetworkReply *gone = m_network.get(
        QNetworkRequest(m_server->baseUrl().resolved(QUrl(QStringLiteral("/ci/builds")))));
    QTRY_COMPARE(m_journal->size(), qsizetype(1)); // it arrived
    gone->abort();
    gone->deleteLater();

    // The server lives on, and records that nobody got the answer.
    QTest::qWait(500);
    QCOMPARE(get(QStringLiteral("/health")).status, 200);
    const JournalEntry entry = m_journal->after(0, 1).first();
    QCOMPARE(entry.path, QStringLiteral("/ci/builds"));
    QCOMPARE(entry.status, 0);
}

void TestMockServer::faultOnOneRoute_data()
{
    QTest::addColumn<QByteArray>("rule");
    QTest::addColumn<int>("status"); // 0: no HTTP answer
    QTest::addColumn<bool>("validJson");

    QTest::newRow("status 503") << QByteArray(R"({"route": "/ci/builds", "status": 503})") << 503
                                << true;
    QTest::newRow("status with a body")
        << QByteArray(R"({"route": "/ci/builds", "status": 500, "body": {"oops": true}})") << 500
        << true;
    QTest::newRow("malformed") << QByteArray(R"({"route": "/ci/builds", "fault": "malformed"})")
                               << 200 << false;
    QTest::newRow("drop") << QByteArray(R"({"route": "/ci/builds", "fault": "drop"})") << 0
                          << false;
    QTest::newRow("close") << QByteArray(R"({"route": "/ci/builds", "fault": "close"})") << 0
                           << false;
}

void TestMockServer::faultOnOneRoute()
{
    QFETCH(QByteArray, rule);
    QFETCH(int, status);
    QFETCH(bool, validJson);

    startServer();
    QCOMPARE(send("PUT", QStringLiteral("/_mock/faults"), rule).status, 200);

    const Answer broken = get(QStringLiteral("/ci/builds?projectKey=SPKR"));
    QCOMPARE(broken.status, status);
    if (status == 0)
        QVERIFY(broken.error != QNetworkReply::NoError);
    QJsonParseError parse;
    QJsonDocument::fromJson(broken.body, &parse);
    QCOMPARE(parse.error == QJsonParseError::NoError && !broken.body.isEmpty(), validJson);

    // Every other route answers as usual.
    const Answer masters = get(QStringLiteral("/scm/masters"));
    QCOMPARE(masters.status, 200);
    const Answer output = get(QStringLiteral("/ci/builds/keel-app-1090/output"));
    QCOMPARE(output.status, 200);
    QCOMPARE(output.json()[u"log"].toString(), QStringLiteral("recorded\n"));
    QCOMPARE(get(QStringLiteral("/_mock/faults")).status, 200);

    const QJsonArray entries = get(QStringLiteral("/_mock/journal")).json()[u"entries"].toArray();
    QVERIFY(entries.size() >= 3);
    QVERIFY(entries.at(0)[u"fault"].isString());
    QCOMPARE(entries.at(0)[u"status"].toInt(), status == 0 ? -1 : status);
    QVERIFY(!entries.at(entries.size() - 1).toObject().contains(u"fault"));
}

void TestMockServer::failTimesThenSucceed()
{
    startServer();
    QCOMPARE(send("PUT", QStringLiteral("/_mock/faults"),
                  R"({"route": "/ci/builds/{buildId}/output", "status": 502, "times": 2})")
                 .status,
             200);
    QCOMPARE(get(QStringLiteral("/ci/builds/keel-app-1090/output")).status, 502);
    QCOMPARE(get(QStringLiteral("/ci/builds/keel-app-1090/output")).status, 502);
    QCOMPARE(get(QStringLiteral("/ci/builds/keel-app-1090/output")).status, 200);

    const QJsonArray faults = get(QStringLiteral("/_mock/faults")).json()[u"faults"].toArray();
    QCOMPARE(faults.size(), 1);
    QCOMPARE(faults.at(0)[u"hits"].toInt(), 2);
    QCOMPARE(faults.at(0)[u"times"].toInt(), 0);
}

void TestMockServer::journalInOrder()
{
    startServer();
    const QStringList asked = {
        QStringLiteral("/ci/builds?projectKey=SPKR&repoSlug=keel-app"),
        QStringLiteral("/scm/masters"),
        QStringLiteral("/ci/builds/keel-app-1090/output?start=-1&limit=4095"),
        QStringLiteral("/ci/builds/nope/output"),
        QStringLiteral("/no/such/path"),
    };
    for (const QString &path : asked)
        get(path);
    send("POST", QStringLiteral("/_mock/scenarios/run/start")); // not journaled

    const QJsonObject journal = get(QStringLiteral("/_mock/journal?since=0")).json().toObject();
    const QJsonArray entries = journal[u"entries"].toArray();
    QCOMPARE(entries.size(), asked.size());
    const QList<int> statuses = {200, 200, 200, 404, 404};
    for (qsizetype i = 0; i < asked.size(); ++i) {
        const QJsonObject entry = entries.at(i).toObject();
        const QString path = asked.at(i).section(u'?', 0, 0);
        const QString query = asked.at(i).section(u'?', 1);
        QCOMPARE(entry[u"seq"].toInteger(), i + 1);
        QCOMPARE(entry[u"method"].toString(), QStringLiteral("GET"));
        QCOMPARE(entry[u"path"].toString(), path);
        QCOMPARE(entry[u"query"].toString(), query);
        QCOMPARE(entry[u"status"].toInt(), statuses.at(i));
        QVERIFY(entry[u"latencyMs"].toInteger() >= 0);
        QVERIFY(entry[u"time"].toString().endsWith(u'Z'));
    }
    QCOMPARE(journal[u"lastSeq"].toInteger(), asked.size());

    // ?since= the last seen, and a cap.
    QJsonArray later = get(QStringLiteral("/_mock/journal?since=3")).json()[u"entries"].toArray();
    QCOMPARE(later.size(), 2);
    QCOMPARE(later.at(0)[u"seq"].toInteger(), 4);
    QCOMPARE(get(QStringLiteral("/_mock/journal?limit=2")).json()[u"entries"].toArray().size(), 2);
    QCOMPARE(get(QStringLiteral("/_mock/journal?limit=0")).status, 400);
    QCOMPARE(get(QStringLiteral("/_mock/journal?since=yesterday")).status, 400);

    QCOMPARE(send("DELETE", QStringLiteral("/_mock/journal")).status, 200);
    QCOMPARE(get(QStringLiteral("/_mock/journal")).json()[u"entries"].toArray().size(), 0);
    get(QStringLiteral("/health"));
    later = get(QStringLiteral("/_mock/journal")).json()[u"entries"].toArray();
    QCOMPARE(later.size(), 1);
    QCOMPARE(later.at(0)[u"seq"].toInteger(), asked.size() + 1);
}

void TestMockServer::editsThroughTheControlApi()
{
    startServer();

    // A running build appears, its log grows by appends, it fails.
    Answer created = send("POST", QStringLiteral("/_mock/builds"),
                          R"({"id": "tools-1", "number": 1, "name": "SPKR/tools", "building": true,
                              "scm": [],
                              "properties": {"projectKey": "SPKR", "repoSlug": "tools"}})");
    QCOMPARE(created.status, 201);
    QCOMPARE(created.json()[u"_origin"].toString(), QStringLiteral("edit"));
    QCOMPARE(
        get(QStringLiteral("/ci/builds?projectKey=SPKR&repoSlug=tools&completionStatus=INCOMPLETE"))
            .json()
            .toArray()
            .size(),
        1);

    QCOMPARE(send("POST", QStringLiteral("/_mock/builds/tools-1/log"), "one\n", "text/plain")
                 .json()[u"bytes"]
                 .toInt(),
             4);
    const QString output = QStringLiteral("/ci/builds/tools-1/output?start=%1&limit=4095");
    QCOMPARE(get(output.arg(-1)).json()[u"log"].toString(), QStringLiteral("one\n"));
    send("POST", QStringLiteral("/_mock/builds/tools-1/log"), R"({"log": "two\n"})");
    QCOMPARE(get(output.arg(1)).json()[u"log"].toString(), QStringLiteral("two\n"));
    QCOMPARE(get(QStringLiteral("/_mock/builds/tools-1/log")).body, QByteArray("one\ntwo\n"));

    m_now = T0 + 30000;
    const Answer failed
        = send("PATCH", QStringLiteral("/_mock/builds/tools-1"), R"({"result": "FAILURE"})");
    QCOMPARE(failed.status, 200);
    QCOMPARE(failed.json()[u"building"].toBool(), false);
    QCOMPARE(failed.json()[u"duration"].toInteger(), 30000);
    const QJsonArray list
        = get(QStringLiteral("/ci/builds?projectKey=SPKR&repoSlug=tools")).json().toArray();
    QCOMPARE(list.at(0)[u"result"].toString(), QStringLiteral("FAILURE"));
    QCOMPARE(list.at(0)[u"properties"][u"completedTs"].toString(), QString::number(T0 + 30000));

    // Replace the log, then delete the build.
    QCOMPARE(
        send("PUT", QStringLiteral("/_mock/builds/tools-1/log"), "short\n", "text/plain").status,
        200);
    QCOMPARE(get(QStringLiteral("/ci/builds/tools-1/output")).json()[u"log"].toString(),
             QStringLiteral("short\n"));
    QCOMPARE(send("DELETE", QStringLiteral("/_mock/builds/tools-1")).status, 200);
    QCOMPARE(get(QStringLiteral("/ci/builds/tools-1/output")).status, 404);
    QCOMPARE(get(QStringLiteral("/_mock/builds/tools-1")).status, 404);

    // A fixture build changed, then everything reset.
    QCOMPARE(send("PATCH", QStringLiteral("/_mock/builds/keel-app-1090"),
                  R"({"properties": {"pullRequestNumber": "7"}})")
                 .status,
             200);
    QCOMPARE(get(QStringLiteral("/ci/builds?buildNumber=1090"))
                 .json()[0][u"properties"][u"pullRequestNumber"]
                 .toString(),
             QStringLiteral("7"));
    QCOMPARE(send("POST", QStringLiteral("/_mock/reset")).status, 200);
    QVERIFY(!get(QStringLiteral("/ci/builds?buildNumber=1090"))
                 .json()[0][u"properties"]
                 .toObject()
                 .contains(u"pullRequestNumber"));
}

void TestMockServer::controlApiErrors_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("message");

    QTest::newRow("not JSON") << QByteArray("POST") << "/_mock/builds" << QByteArray("{") << 400
                              << "the body is not JSON";
    QTest::newRow("no id") << QByteArray("POST") << "/_mock/builds"
                           << QByteArray(R"({"number": 1})") << 400 << "\"id\" is required";
    QTest::newRow("exists") << QByteArray("POST") << "/_mock/builds"
                            << QByteArray(R"({"id": "keel-app-1090", "number": 1})") << 409
                            << "exists";
    QTest::newRow("typo in PUT") << QByteArray("PUT") << "/_mock/builds/x-1"
                                 << QByteArray(R"({"number": 1, "reslt": "SUCCESS"})") << 400
                                 << "unknown key \"reslt\"";
    QTest::newRow("bad result") << QByteArray("PATCH") << "/_mock/builds/keel-app-1090"
                                << QByteArray(R"({"result": "GREEN"})") << 400
                                << "\"result\" must be one of";
    QTest::newRow("patch unknown") << QByteArray("PATCH") << "/_mock/builds/nope"
                                   << QByteArray("{}") << 404 << "no build \"nope\"";
    QTest::newRow("delete unknown")
        << QByteArray("DELETE") << "/_mock/builds/nope" << QByteArray() << 404 << "no build";
    QTest::newRow("unknown scenario") << QByteArray("POST") << "/_mock/scenarios/nope/start"
                                      << QByteArray() << 404 << "no scenario";
    QTest::newRow("unknown action") << QByteArray("POST") << "/_mock/scenarios/run/jump"
                                    << QByteArray() << 404 << "no action \"jump\"";
    QTest::newRow("pause stopped") << QByteArray("POST") << "/_mock/scenarios/run/pause"
                                   << QByteArray() << 409 << "not running";
    QTest::newRow("advance without ms") << QByteArray("POST") << "/_mock/scenarios/run/advance"
                                        << QByteArray() << 400 << "advance needs";
    QTest::newRow("bad latency") << QByteArray("PUT") << "/_mock/latency"
                                 << QByteArray(R"({"route": "/ci"})") << 400 << "\"ms\" must be";
    QTest::newRow("bad fault") << QByteArray("PUT") << "/_mock/faults"
                               << QByteArray(R"({"route": "/ci", "fault": "boom"})") << 400
                               << "status, malformed, drop or close";
    QTest::newRow("bad scenario") << QByteArray("PUT") << "/_mock/scenarios/new"
                                  << QByteArray(R"({"build": {"number": 1}, "timeline": []})")
                                  << 400 << "non-empty list of steps";
}

void TestMockServer::controlApiErrors()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, message);

    startServer();
    const Answer answer = send(method, path, body);
    QCOMPARE(answer.status, status);
    const QString text = answer.json()[u"message"].toString();
    QVERIFY2(text.contains(message), qPrintable(text));
    QCOMPARE(answer.json()[u"status"].toInt(), status);
}

void TestMockServer::runTimeScenarioOverHttp()
{
    startServer();
    QCOMPARE(send("POST", QStringLiteral("/_mock/scenarios/run/start")).status, 200);
    at(2000);

    // A build a scenario plays cannot be edited.
    QCOMPARE(
        send("PATCH", QStringLiteral("/_mock/builds/keel-app-1091"), R"({"result": "FAILURE"})")
            .status,
        409);
    QCOMPARE(
        send("POST", QStringLiteral("/_mock/builds/keel-app-1091/log"), "x", "text/plain").status,
        409);

    const Answer added = send("PUT", QStringLiteral("/_mock/scenarios/nightly"),
                              R"({"build": {"number": 3, "id": "nightly-3",
                                  "properties": {"projectKey": "OPS", "repoSlug": "nightly"}},
                                  "timeline": [{"state": "running"},
                                               {"afterMs": 100, "result": "ABORTED"}]})");
    QCOMPARE(added.status, 201);
    QCOMPARE(added.json()[u"state"].toString(), QStringLiteral("running"));
    at(2100);
    QCOMPARE(get(QStringLiteral("/ci/builds?projectKey=OPS&repoSlug=nightly"))
                 .json()[0][u"result"]
                 .toString(),
             QStringLiteral("ABORTED"));

    const QJsonArray scenarios = get(QStringLiteral("/_mock/scenarios")).json().toArray();
    QCOMPARE(scenarios.size(), 2);
    QCOMPARE(send("DELETE", QStringLiteral("/_mock/scenarios/nightly")).status, 200);
    QCOMPARE(get(QStringLiteral("/ci/builds?projectKey=OPS")).json().toArray().size(), 0);
}

void TestMockServer::igorInfoRoutes_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("expected"); // the JSON answer, compared as JSON

    QTest::newRow("masters") << "/masters" << 200 << QByteArray(R"(["mock"])");
    QTest::newRow("masters of a type") << "/masters?type=jenkins" << 200 << QByteArray("[]");
    QTest::newRow("unknown type") << "/masters?type=hudson" << 400 << QByteArray();
    QTest::newRow("jobs") << "/jobs/mock" << 200 << QByteArray(R"(["SPKR/keel-app"])");
    QTest::newRow("jobs of nobody") << "/jobs/nope" << 404 << QByteArray();
    QTest::newRow("job config") << "/jobs/mock/SPKR/keel-app" << 200
                                << QByteArray(
                                       R"({"description": null, "displayName": "SPKR/keel-app",
                          "name": "SPKR/keel-app", "buildable": true, "url": null,
                          "concurrentBuild": false, "parameterDefinitionList": []})");
    QTest::newRow("unknown job") << "/jobs/mock/SPKR/other" << 404 << QByteArray();
    QTest::newRow("queue, started")
        << "/builds/queue/mock/1090" << 200
        << QByteArray(R"({"executable": {"number": 1090}, "number": 1090, "ready": true})");
    QTest::newRow("queue, waiting")
        << "/builds/queue/mock/5" << 200
        << QByteArray(R"({"executable": null, "number": null, "ready": false})");
    QTest::newRow("artifact versions") << "/artifacts/rocket/keel-app" << 200 << QByteArray("[]");
    QTest::newRow("artifact version") << "/artifacts/rocket/keel-app/1.0" << 404 << QByteArray();
    QTest::newRow("artifactory") << "/artifactory/names" << 200 << QByteArray("[]");
    QTest::newRow("build services")
        << "/buildServices" << 200
        << QByteArray(R"([{"name": "mock", "buildServiceProvider": null, "permissions": {}}])");
}

void TestMockServer::igorInfoRoutes()
{
    QFETCH(QString, path);
    QFETCH(int, status);
    QFETCH(QByteArray, expected);

    startServer(false);
    const Answer answer = get(path);
    QCOMPARE(answer.status, status);
    if (!expected.isEmpty())
        QCOMPARE(QJsonDocument::fromJson(answer.body), QJsonDocument::fromJson(expected));
}

void TestMockServer::controlIsOffUnlessAsked()
{
    startServer(false);
    QCOMPARE(get(QStringLiteral("/_mock")).status, 404);
    QCOMPARE(send("POST", QStringLiteral("/_mock/scenarios/run/start")).status, 404);

    // igor's build routes of the same data, without the control API.
    const Answer all = get(QStringLiteral("/builds/all/mock/SPKR/keel-app"));
    QCOMPARE(all.status, 200);
    QCOMPARE(all.json().toArray().size(), 1);
    const Answer one = get(QStringLiteral("/builds/status/1090/mock/SPKR/keel-app"));
    QCOMPARE(one.json()[u"id"].toString(), QStringLiteral("keel-app-1090"));
    QCOMPARE(
        get(QStringLiteral("/builds/status/1090/mock?job=SPKR/keel-app")).json()[u"number"].toInt(),
        1090);
    const Answer missing = get(QStringLiteral("/builds/status/7/mock/SPKR/keel-app"));
    QCOMPARE(missing.status, 200);
    QVERIFY(missing.body.isEmpty());
}

void TestMockServer::controlOnlyOnLoopback()
{
    QVERIFY(!controlRefusedOn(QHostAddress(QHostAddress::LocalHost)));
    QVERIFY(!controlRefusedOn(QHostAddress(QHostAddress::LocalHostIPv6)));
    const std::optional<QString> any = controlRefusedOn(QHostAddress(QHostAddress::Any));
    QVERIFY(any);
    QVERIFY2(any->contains(QLatin1String("loopback")), qPrintable(*any));
    QVERIFY(controlRefusedOn(QHostAddress(QStringLiteral("192.168.1.5"))));
}

QTEST_GUILESS_MAIN(TestMockServer)
#include "tst_mockserver.moc"
