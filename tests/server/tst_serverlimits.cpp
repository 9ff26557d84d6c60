// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/server/igorserver.h"
#include "core/service/sourceregistry.h"
#include "core/store/buildstore.h"
#include "tests/server/httpclient.h"

#include <QElapsedTimer>
#include <QTest>

using namespace cic;
using namespace cic::testing;

namespace {

constexpr int IdleMs = 400;

// Small sizes, and an idle time long enough that a loaded machine never hits it by accident.
ServerLimits strictLimits()
{
    ServerLimits limits;
    limits.maxRequestLineBytes = 1024;
    limits.maxHeaderBytes = 2048;
    limits.maxBodyBytes = 4096;
    limits.maxConnections = 4;
    limits.idleTimeoutMs = 60'000;
    return limits;
}

// Default sizes and a short idle time, for the tests of time.
ServerLimits quickLimits()
{
    ServerLimits limits;
    limits.idleTimeoutMs = IdleMs;
    return limits;
}

QByteArray get(const QByteArray &target, const QByteArray &extraHeaders = {})
{
    return "GET " + target + " HTTP/1.1\r\nHost: localhost\r\n" + extraHeaders + "\r\n";
}

QString messageOf(const RawResponse &response)
{
    return QJsonDocument::fromJson(response.body).object().value(u"message").toString();
}

} // namespace

// The limits QtHttpServer 6.4 lacks, enforced by the adapter's connection guard.
class TestServerLimits : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void refusals_data();
    void refusals();
    void unknownMethod();
    void requestLineAtTheLimitPasses();
    void defaultLimitsOverTheNetwork();
    void bodyWithinTheLimit();
    void expectContinueIsAnswered();
    void silentClientIsDroppedOthersAreServed();
    void idleKeepAliveIsDropped();
    void slowHeadGets408();
    void keepAliveServesManyRequests();
    void pipelinedRequestsInOrder();
    void tooManyConnections();
    void connectionCloseIsHonoured();
    void http10ClosesAfterTheAnswer();

private:
    std::unique_ptr<BuildStore> m_store;
    std::unique_ptr<SourceRegistry> m_registry;
    std::unique_ptr<IgorServer> m_server;
    std::unique_ptr<IgorServer> m_quick;
    quint16 m_port = 0;
    quint16 m_quickPort = 0;
};

void TestServerLimits::initTestCase()
{
    m_store = std::make_unique<BuildStore>();
    m_registry = std::make_unique<SourceRegistry>(m_store.get());

    ServerOptions options;
    options.port = 0;
    options.limits = strictLimits();
    m_server = std::make_unique<IgorServer>(m_registry.get(), options);
    QVERIFY(m_server->addRoute(
        http::Method::Post, QStringLiteral("/echo"), [](const http::Request &request) {
            return http::jsonReply("{\"size\":" + QByteArray::number(request.body.size()) + "}");
        }));
    const Result<quint16> started = m_server->start();
    QVERIFY2(started.ok(), qPrintable(started.error()));
    m_port = started.value();

    options.limits = quickLimits();
    m_quick = std::make_unique<IgorServer>(m_registry.get(), options);
    const Result<quint16> quickStarted = m_quick->start();
    QVERIFY2(quickStarted.ok(), qPrintable(quickStarted.error()));
    m_quickPort = quickStarted.value();
}

void TestServerLimits::cleanupTestCase()
{
    m_server.reset();
    m_quick.reset();
}

void TestServerLimits::refusals_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("message");

    QTest::newRow("over-long query")
        << get("/ci/builds?commitId=" + QByteArray(1100, 'a')) << 414 << "longer than 1024";
    QTest::newRow("over-long path")
        << get("/" + QByteArray(2000, 'p')) << 414 << "longer than 1024";
    QTest::newRow("over-long line without its end yet")
        << "GET /ci/builds?x=" + QByteArray(5000, 'x') << 414 << "request line";
    QTest::newRow("headers too large")
        << get("/health", "X-Big: " + QByteArray(2100, 'h') + "\r\n") << 431 << "2048";
    QTest::newRow("many small headers")
        << get("/health", QByteArray("X-Some: value\r\n").repeated(200)) << 431 << "headers";
    QTest::newRow("body over the limit")
        << QByteArray("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n") << 413
        << "5000 bytes";
    QTest::newRow("huge declared body")
        << QByteArray("POST /echo HTTP/1.1\r\nContent-Length: 99999999999\r\n\r\n") << 413
        << "limit is 4096";
    QTest::newRow("chunked body") << QByteArray(
        "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello"
        "\r\n0\r\n\r\n") << 411 << "Content-Length";
    QTest::newRow("bad Content-Length")
        << QByteArray("POST /echo HTTP/1.1\r\nContent-Length: ten\r\n\r\n") << 400
        << "Content-Length";
    QTest::newRow("two different Content-Lengths")
        << QByteArray("POST /echo HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab")
        << 400 << "Content-Length";
    QTest::newRow("not HTTP") << QByteArray("HELLO\r\n\r\n") << 400 << "METHOD TARGET HTTP/1.x";
    QTest::newRow("HTTP/2 preface")
        << QByteArray("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n") << 400 << "HTTP/1.x";
    QTest::newRow("space in the target")
        << QByteArray("GET /a b HTTP/1.1\r\n\r\n") << 400 << "METHOD TARGET";
    QTest::newRow("HTTP/1.9") << QByteArray("GET /health HTTP/1.9\r\n\r\n") << 400 << "HTTP/1.x";
    QTest::newRow("a bare CR in the request line")
        << QByteArray("GET /health HTTP/1.1\rX\r\n\r\n") << 400 << "METHOD TARGET";
}

void TestServerLimits::refusals()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    QFETCH(QString, message);

    RawConnection connection(m_port);
    QVERIFY(connection.isConnected());
    const RawResponse response = connection.exchange(request);
    QCOMPARE(response.status, status);
    QCOMPARE(response.header("Content-Type"), QByteArray("application/json"));
    QCOMPARE(response.header("Connection"), QByteArray("close"));
    const QJsonObject body = QJsonDocument::fromJson(response.body).object();
    QCOMPARE(body.value(u"status").toInt(), status);
    QVERIFY2(messageOf(response).contains(message), qPrintable(messageOf(response)));

    // The refused connection closes; nothing else comes on it, and the server carries on.
    QVERIFY(connection.waitForClose(2000));
    QVERIFY(!response.bytes.mid(response.bytes.indexOf(response.body) + response.body.size())
                 .contains("HTTP/1.1"));
    RawConnection next(m_port);
    QCOMPARE(next.exchange(get("/health")).status, 200);
}

void TestServerLimits::unknownMethod()
{
    RawConnection connection(m_port);
    const RawResponse response = connection.exchange(get("/health").replace("GET", "BREW"));
    QCOMPARE(response.status, 405);
    QCOMPARE(response.header("Allow"), QByteArray("GET, HEAD"));
    QVERIFY(messageOf(response).contains(QLatin1String("not supported on /health")));
}

void TestServerLimits::requestLineAtTheLimitPasses()
{
    // "GET " + target + " HTTP/1.1" is exactly 1024 bytes.
    const QByteArray prefix = "/ci/builds?commitId=";
    const QByteArray target = prefix + QByteArray(1024 - 4 - 9 - prefix.size(), 'a');
    RawConnection connection(m_port);
    const RawResponse atLimit = connection.exchange(get(target));
    QCOMPARE(atLimit.status, 200);
    QCOMPARE(atLimit.body, QByteArray("[]"));

    RawConnection another(m_port);
    QCOMPARE(another.exchange(get(target + "a")).status, 414);
}

void TestServerLimits::defaultLimitsOverTheNetwork()
{
    // The defaults, through an ordinary client: 8 KiB of request line.
    ServerOptions options;
    options.port = 0;
    IgorServer server(m_registry.get(), options);
    QVERIFY(server.start().ok());
    HttpClient client(server.baseUrl());

    const HttpResponse longButFine = client.get("/ci/builds?commitId=" + QByteArray(7000, 'a'));
    QCOMPARE(longButFine.status, 200);
    QCOMPARE(longButFine.body, QByteArray("[]"));

    const HttpResponse tooLong = client.get("/ci/builds?commitId=" + QByteArray(9000, 'a'));
    QCOMPARE(tooLong.status, 414);
    QCOMPARE(tooLong.json().object().value(u"status").toInt(), 414);
    QVERIFY(tooLong.json().object().value(u"message").toString().contains(QLatin1String("8192")));

    QCOMPARE(client.get("/health").status, 200);
}

void TestServerLimits::bodyWithinTheLimit()
{
    HttpClient client(m_server->baseUrl());
    const HttpResponse response = client.send("POST", "/echo", {}, QByteArray(4096, 'b'));
    QCOMPARE(response.status, 200);
    QCOMPARE(response.json().object().value(u"size").toInt(), 4096);

    const HttpResponse tooBig = client.send("POST", "/echo", {}, QByteArray(4097, 'b'));
    QCOMPARE(tooBig.status, 413);
}

void TestServerLimits::expectContinueIsAnswered()
{
    RawConnection connection(m_port);
    connection.write("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                     "Expect: 100-continue\r\n\r\n");

    // The interim answer comes before any body is sent.
    QByteArray interim;
    QVERIFY(QTest::qWaitFor(
        [&] {
            interim += connection.socket().readAll();
            return interim.contains("\r\n\r\n");
        },
        2000));
    QVERIFY(interim.startsWith("HTTP/1.1 100 Continue\r\n\r\n"));

    const RawResponse response = connection.exchange("hello");
    QCOMPARE(response.status, 200);
    QCOMPARE(response.body, QByteArray("{\"size\":5}"));
}

void TestServerLimits::silentClientIsDroppedOthersAreServed()
{
    QElapsedTimer timer;
    timer.start();
    RawConnection silent(m_quickPort);
    QVERIFY(silent.isConnected());

    // While it sits there, others are answered.
    HttpClient client(m_quick->baseUrl());
    QCOMPARE(client.get("/health").status, 200);

    QVERIFY(silent.waitForClose(IdleMs * 20));
    QVERIFY2(timer.elapsed() >= IdleMs - 50, qPrintable(QString::number(timer.elapsed())));
    QVERIFY(silent.socket().readAll().isEmpty()); // dropped without a word
    QCOMPARE(HttpClient(m_quick->baseUrl()).get("/health").status, 200);
}

void TestServerLimits::idleKeepAliveIsDropped()
{
    RawConnection connection(m_quickPort);
    const RawResponse response = connection.exchange(get("/health"));
    QCOMPARE(response.status, 200);
    QVERIFY(!response.closed); // kept alive after the answer...
    QVERIFY(connection.waitForClose(IdleMs * 20)); // ...until it has been idle too long
}

void TestServerLimits::slowHeadGets408()
{
    RawConnection connection(m_quickPort);
    connection.write("GET /health HTTP/1.1\r\nHost: x\r\n");
    // Trickle a header now and then: never idle, but the head never ends.
    QElapsedTimer timer;
    timer.start();
    RawResponse response;
    while (timer.elapsed() < IdleMs * 20 && response.status == 0) {
        connection.write("X-Slow: 1\r\n");
        response = connection.read(IdleMs / 4);
    }
    QCOMPARE(response.status, 408);
    QVERIFY(messageOf(response).contains(QString::number(IdleMs)));
    QVERIFY(connection.waitForClose(2000));
}

void TestServerLimits::keepAliveServesManyRequests()
{
    RawConnection connection(m_port);
    for (int i = 0; i < 50; ++i) {
        const RawResponse response = connection.exchange(
            i % 2 ? get("/health")
                  : QByteArray("POST /echo HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc"));
        QCOMPARE(response.status, 200);
        QVERIFY(!response.closed);
    }
}

void TestServerLimits::pipelinedRequestsInOrder()
{
    // Three requests in one write, one with a body: the guard follows each, and the answers
    // come back in order.
    RawConnection connection(m_port);
    connection.write(get("/health") + "POST /echo HTTP/1.1\r\nContent-Length: 4\r\n\r\nabcd"
                     + get("/scm/masters"));
    QByteArray received;
    QVERIFY(QTest::qWaitFor(
        [&] {
            received += connection.socket().readAll();
            return received.count("HTTP/1.1 200 OK") == 3 && received.endsWith("{}");
        },
        5000));
    const qsizetype health = received.indexOf("{\"status\":\"UP\",");
    const qsizetype echo = received.indexOf("{\"size\":4}");
    const qsizetype masters = received.lastIndexOf("{}");
    QVERIFY(health > 0 && echo > health && masters > echo);
}

void TestServerLimits::tooManyConnections()
{
    // A server of its own, so that no connection of another test is still closing.
    ServerOptions options;
    options.port = 0;
    options.limits = strictLimits();
    IgorServer server(m_registry.get(), options);
    QVERIFY(server.start().ok());
    const quint16 port = server.port();

    // Four connections are the limit; they stay busy with half-written requests.
    std::vector<std::unique_ptr<RawConnection>> open;
    for (int i = 0; i < 4; ++i) {
        open.push_back(std::make_unique<RawConnection>(port));
        QVERIFY(open.back()->isConnected());
        open.back()->write("GET /health HTTP/1.1\r\n");
    }
    QTest::qWait(50);

    RawConnection fifth(port);
    const RawResponse refused = fifth.read(2000);
    QCOMPARE(refused.status, 503);
    QVERIFY(messageOf(refused).contains(QLatin1String("too many open connections")));
    QVERIFY(fifth.waitForClose(2000));

    // The four are still served.
    for (auto &connection : open) {
        const RawResponse response = connection->exchange("Host: x\r\n\r\n");
        QCOMPARE(response.status, 200);
    }
    open.clear();

    QTRY_COMPARE_WITH_TIMEOUT(RawConnection(port).exchange(get("/health")).status, 200, 5000);
}

void TestServerLimits::connectionCloseIsHonoured()
{
    RawConnection connection(m_port);
    const RawResponse response = connection.exchange(get("/health", "Connection: close\r\n"));
    QCOMPARE(response.status, 200);
    QCOMPARE(response.header("Connection"), QByteArray("close"));
    QVERIFY(connection.waitForClose(2000));
}

// HTTP/1.0 closes after one answer unless the client asks to keep the connection.
void TestServerLimits::http10ClosesAfterTheAnswer()
{
    RawConnection once(m_port);
    once.write("GET /health HTTP/1.0\r\n\r\n");
    const RawResponse answer = once.read();
    QCOMPARE(answer.status, 200);
    QVERIFY(once.waitForClose(2000));

    RawConnection kept(m_port);
    kept.write("GET /health HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    QCOMPARE(kept.read().status, 200);
    QTest::qWait(300);
    QVERIFY(kept.isConnected());
    QCOMPARE(kept.exchange("GET /scm/masters HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").status,
             200);
}

QTEST_GUILESS_MAIN(TestServerLimits)
#include "tst_serverlimits.moc"
