// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/config/config.h"
#include "core/net/httpclient.h"
#include "tests/support/fakehttpserver.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

using namespace cic;
using namespace cic::net;
using cic::test::FakeHttpServer;
using cic::test::FakeReply;
using cic::test::RecordedRequest;

namespace {

template<typename T> T wait(QFuture<T> future, int timeoutMs = 15000)
{
    if (!QTest::qWaitFor([&] { return future.isFinished(); }, timeoutMs))
        qFatal("request did not finish within %d ms", timeoutMs);
    return future.result();
}

ClientSettings fastSettings(const QUrl &base)
{
    ClientSettings settings;
    settings.sourceName = QStringLiteral("fake");
    settings.baseUrl = base;
    settings.retryBaseDelayMs = 10;
    settings.retryMaxDelayMs = 40;
    settings.timeoutMs = 3000;
    return settings;
}

} // namespace

class TestHttpClient : public QObject
{
    Q_OBJECT

private:
    FakeHttpServer m_server;

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_server.start()); }
    void init() { m_server.clearRequests(); }

    void sendsAuthHeaders_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("basic") << int(Auth::Kind::Basic) << QByteArray("authorization")
                               << QByteArray("Basic " + QByteArray("ada:s3cret").toBase64());
        QTest::newRow("bearer") << int(Auth::Kind::Bearer) << QByteArray("authorization")
                                << QByteArray("Bearer s3cret");
        QTest::newRow("private token")
            << int(Auth::Kind::Header) << QByteArray("private-token") << QByteArray("s3cret");
    }

    void sendsAuthHeaders()
    {
        QFETCH(int, kind);
        QFETCH(QByteArray, header);
        QFETCH(QByteArray, expected);

        ClientSettings settings = fastSettings(m_server.baseUrl());
        settings.auth
            = {Auth::Kind(kind), QStringLiteral("ada"), QStringLiteral("s3cret"), "PRIVATE-TOKEN"};
        HttpClient client(settings);
        m_server.setHandler([](const RecordedRequest &) { return FakeReply::json("{}"); });

        const Result<Response> answer
            = wait(client.send(Request::get(QUrl(QStringLiteral("api/json")))));
        QVERIFY2(answer.ok(), qPrintable(answer.error()));
        QCOMPARE(m_server.requests().size(), 1);
        QCOMPARE(m_server.requests().first().header(header), expected);
        QCOMPARE(m_server.requests().first().encodedPath, QByteArray("/api/json"));
    }

    void retriesServerErrorsThenSucceeds()
    {
        HttpClient client(fastSettings(m_server.baseUrl()));
        int calls = 0;
        m_server.setHandler([&](const RecordedRequest &) {
            return ++calls == 1 ? FakeReply::text("busy", 503) : FakeReply::json(R"({"ok":true})");
        });
        QSignalSpy waits(&client, &HttpClient::waiting);

        const Result<JsonResponse> answer = wait(client.getJson(QStringLiteral("thing")));
        QVERIFY2(answer.ok(), qPrintable(answer.error()));
        QCOMPARE(answer->document.object().value(QStringLiteral("ok")).toBool(), true);
        QCOMPARE(calls, 2);
        QCOMPARE(answer->response.attempts, 2);
        QCOMPARE(waits.size(), 1);
    }

    void givesUpAfterRetries()
    {
        HttpClient client(fastSettings(m_server.baseUrl()));
        m_server.setHandler([](const RecordedRequest &) { return FakeReply::text("down", 500); });

        const Response response = wait(
            client.fetch(Request::get(QUrl(QStringLiteral("x")), QStringLiteral("the job list"))));
        QCOMPARE(response.failure, Failure::Http);
        QCOMPARE(response.status, 500);
        QCOMPARE(m_server.requests().size(), 3);
        QVERIFY2(response.errorMessage.contains(QStringLiteral("HTTP 500")),
                 qPrintable(response.errorMessage));
        QVERIFY(response.errorMessage.contains(QStringLiteral("after 3 attempts")));
        QVERIFY(response.errorMessage.startsWith(QStringLiteral("fake: ")));
    }

    // Encoded slashes in a URL survive into the message (QString::arg would eat "%2F").
    void messagesKeepEncodedUrls()
    {
        HttpClient client(fastSettings(m_server.baseUrl()));
        m_server.setHandler([](const RecordedRequest &) { return FakeReply::text("down", 503); });
        const Response response
            = wait(client.fetch(Request::get(QUrl(QStringLiteral("projects/a%2Fb")))));
        QVERIFY2(response.errorMessage.contains(QStringLiteral("/projects/a%2Fb")),
                 qPrintable(response.errorMessage));
        QVERIFY(response.errorMessage.contains(QStringLiteral("after 3 attempts")));
    }

    void postsAreNotRetried()
    {
        HttpClient client(fastSettings(m_server.baseUrl()));
        m_server.setHandler([](const RecordedRequest &) { return FakeReply::text("down", 502); });
        Request request = Request::get(QUrl(QStringLiteral("job/x/build")));
        request.method = "POST";
        const Response response = wait(client.fetch(request));
        QCOMPARE(response.failure, Failure::Http);
        QCOMPARE(m_server.requests().size(), 1);
    }

    void mapsStatusesToActions_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("expected");
        QTest::newRow("401") << 401 << QByteArray(R"({"message":"401 Unauthorized"})")
                             << QStringLiteral("rejected the credentials (HTTP 401)");
        QTest::newRow("401 server words")
            << 401 << QByteArray(R"({"message":"401 Unauthorized"})")
            << QStringLiteral("The server said: \"401 Unauthorized\"");
        QTest::newRow("403") << 403 << QByteArray("nope") << QStringLiteral("lacks permission");
        QTest::newRow("403 crumb")
            << 403 << QByteArray("No valid crumb was included in the request")
            << QStringLiteral("use an API token instead");
        QTest::newRow("404") << 404 << QByteArray("<html>x</html>")
                             << QStringLiteral("Not found (HTTP 404)");
        QTest::newRow("410") << 410 << QByteArray() << QStringLiteral("Gone (HTTP 410)");
        QTest::newRow("418") << 418 << QByteArray()
                             << QStringLiteral("Unexpected answer (HTTP 418)");
    }

    void mapsStatusesToActions()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(QString, expected);
        HttpClient client(fastSettings(m_server.baseUrl()));
        m_server.setHandler([&](const RecordedRequest &) { return FakeReply::json(body, status); });

        const Response response = wait(client.fetch(Request::get(QUrl(QStringLiteral("thing")))));
        QCOMPARE(response.failure, Failure::Http);
        QCOMPARE(response.status, status);
        QVERIFY2(response.errorMessage.contains(expected, Qt::CaseInsensitive),
                 qPrintable(response.errorMessage));
        QVERIFY(!response.errorMessage.contains(QStringLiteral("<html>")));
    }

    void acceptedStatusesComeBack()
    {
        HttpClient client(fastSettings(m_server.baseUrl()));
        m_server.setHandler([](const RecordedRequest &) { return FakeReply::text("", 404); });
        Request request = Request::get(QUrl(QStringLiteral("trace")));
        request.acceptedStatuses = {404};
        const Result<Response> answer = wait(client.send(request));
        QVERIFY(answer.ok());
        QCOMPARE(answer->status, 404);
    }

    void waitsForRateLimitAndSaysSo_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<bool>("retryAfter");
        QTest::newRow("429 Retry-After") << 429 << true;
        QTest::newRow("403 x-ratelimit") << 403 << false;
        QTest::newRow("429 x-ratelimit") << 429 << false;
    }

    void waitsForRateLimitAndSaysSo()
    {
        QFETCH(int, status);
        QFETCH(bool, retryAfter);
        HttpClient client(fastSettings(m_server.baseUrl()));
        int calls = 0;
        m_server.setHandler([&](const RecordedRequest &) {
            if (++calls > 1)
                return FakeReply::json("[]").withHeader("x-ratelimit-remaining", "4999");
            FakeReply limited = FakeReply::json(R"({"message":"API rate limit exceeded"})", status);
            if (retryAfter)
                return limited.withHeader("Retry-After", "1");
            const qint64 reset = QDateTime::currentSecsSinceEpoch() + 2;
            return limited.withHeader("x-ratelimit-remaining", "0")
                .withHeader("x-ratelimit-reset", QByteArray::number(reset));
        });
        QSignalSpy waits(&client, &HttpClient::waiting);

        QElapsedTimer timer;
        timer.start();
        const Result<JsonResponse> answer = wait(client.getJson(QStringLiteral("runs")));
        QVERIFY2(answer.ok(), qPrintable(answer.error()));
        QCOMPARE(calls, 2);
        QCOMPARE(waits.size(), 1);
        const QString message = waits.first().first().toString();
        QVERIFY2(message.contains(QStringLiteral("rate limit reached; waiting")),
                 qPrintable(message));
        QVERIFY(waits.first().at(1).toLongLong() <= 2100);
        QVERIFY(timer.elapsed() >= 500);
        QCOMPARE(client.rateLimitRemaining(), 4999);
    }

    void rateLimitBeyondTheCapFailsAtOnce()
    {
        ClientSettings settings = fastSettings(m_server.baseUrl());
        settings.maxRateLimitWaitMs = 1000;
        HttpClient client(settings);
        const qint64 reset = QDateTime::currentSecsSinceEpoch() + 3600;
        m_server.setHandler([&](const RecordedRequest &) {
            return FakeReply::json(R"({"message":"API rate limit exceeded"})", 403)
                .withHeader("x-ratelimit-remaining", "0")
                .withHeader("x-ratelimit-reset", QByteArray::number(reset));
        });

        const Response first = wait(client.fetch(Request::get(QUrl(QStringLiteral("runs")))));
        QCOMPARE(first.failure, Failure::Http);
        QVERIFY2(first.errorMessage.contains(QStringLiteral("budget resets at")),
                 qPrintable(first.errorMessage));

        // The next request does not even go out: the budget is known to be spent.
        const Response second = wait(client.fetch(Request::get(QUrl(QStringLiteral("runs")))));
        QCOMPARE(second.failure, Failure::RateLimited);
        QCOMPARE(m_server.requests().size(), 1);
        QVERIFY(second.errorMessage.contains(QStringLiteral("budget is spent until")));
    }

    void explainsBadJson_data()
    {
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("expected");
        QTest::newRow("html") << QByteArray("text/html")
                              << QByteArray("<!DOCTYPE html><html>login</html>")
                              << QStringLiteral("answered HTML, not JSON");
        QTest::newRow("html as json") << QByteArray("application/json") << QByteArray("  <html>")
                                      << QStringLiteral("is the address the API root?");
        QTest::newRow("malformed")
            << QByteArray("application/json") << QByteArray(R"({"a": 1,, "b": 2})")
            << QStringLiteral("malformed JSON");
        QTest::newRow("offset") << QByteArray("application/json")
                                << QByteArray(R"({"a": 1,, "b": 2})")
                                << QStringLiteral("at byte offset 9");
        QTest::newRow("ends early")
            << QByteArray("application/json") << QByteArray(R"({"jobs": [{"name": "a"})")
            << QStringLiteral("ends early");
        QTest::newRow("empty") << QByteArray("application/json") << QByteArray()
                               << QStringLiteral("empty body");
    }

    void explainsBadJson()
    {
        QFETCH(QByteArray, contentType);
        QFETCH(QByteArray, body);
        QFETCH(QString, expected);
        HttpClient client(fastSettings(m_server.baseUrl()));
        m_server.setHandler([&](const RecordedRequest &) {
            FakeReply reply = FakeReply::json(body);
            reply.contentType = contentType;
            return reply;
        });
        const Result<JsonResponse> answer = wait(client.getJson(QStringLiteral("api/json")));
        QVERIFY(!answer.ok());
        QVERIFY2(answer.error().contains(expected), qPrintable(answer.error()));
    }

    void reportsTruncatedBodies()
    {
        HttpClient client(fastSettings(m_server.baseUrl()));
        m_server.setHandler([](const RecordedRequest &) {
            FakeReply reply = FakeReply::json(R"({"builds": [{"number": 1},)");
            reply.contentLength = 400;
            reply.closeAfter = true;
            return reply;
        });
        const Response response
            = wait(client.fetch(Request::get(QUrl(QStringLiteral("api/json")))));
        QVERIFY(response.failure == Failure::Truncated || response.failure == Failure::Connection);
        QVERIFY2(response.errorMessage.contains(QStringLiteral("of 400 bytes"))
                     || response.errorMessage.contains(QStringLiteral("cannot reach")),
                 qPrintable(response.errorMessage));
        QCOMPARE(m_server.requests().size(), 3); // retried as a dropped connection
    }

    void timesOutOnSlowServers()
    {
        ClientSettings settings = fastSettings(m_server.baseUrl());
        settings.timeoutMs = 200;
        settings.maxRetries = 1;
        HttpClient client(settings);
        m_server.setHandler([](const RecordedRequest &) {
            FakeReply reply = FakeReply::json("{}");
            reply.delayMs = 1500;
            return reply;
        });
        QElapsedTimer timer;
        timer.start();
        const Response response = wait(client.fetch(
            Request::get(QUrl(QStringLiteral("slow")), QStringLiteral("the job list"))));
        QCOMPARE(response.failure, Failure::Timeout);
        QVERIFY2(response.errorMessage.contains(
                     QStringLiteral("no answer for the job list within 0.2 s")),
                 qPrintable(response.errorMessage));
        QCOMPARE(m_server.requests().size(), 2);
        QVERIFY(timer.elapsed() < 1500);
    }

    void detectsRedirectLoops()
    {
        HttpClient client(fastSettings(m_server.baseUrl()));
        m_server.setHandler([](const RecordedRequest &request) {
            const QByteArray next = request.encodedPath == "/a" ? "/b" : "/a";
            return FakeReply::text("", 302).withHeader("Location", next);
        });
        const Response response = wait(client.fetch(Request::get(QUrl(QStringLiteral("/a")))));
        QCOMPARE(response.failure, Failure::Redirect);
        QVERIFY2(response.errorMessage.contains(QStringLiteral("redirect loop")),
                 qPrintable(response.errorMessage));
        QCOMPARE(m_server.requests().size(), 2);
    }

    void redirectsDropCredentialsForOtherHosts()
    {
        FakeHttpServer storage;
        QVERIFY(storage.start());
        storage.setHandler([](const RecordedRequest &) { return FakeReply::text("log text"); });
        const QByteArray target = storage.baseUrl().toEncoded() + "/signed/log?sig=x";
        m_server.setHandler([&](const RecordedRequest &request) {
            if (request.encodedPath == "/same")
                return FakeReply::text("", 302).withHeader("Location", "/final");
            if (request.encodedPath == "/final")
                return FakeReply::text("same host");
            return FakeReply::text("", 302).withHeader("Location", target);
        });

        ClientSettings settings = fastSettings(m_server.baseUrl());
        settings.auth = Auth::bearer(QStringLiteral("s3cret"));
        HttpClient client(settings);

        const Result<Response> away = wait(client.send(Request::get(QUrl(QStringLiteral("logs")))));
        QVERIFY2(away.ok(), qPrintable(away.error()));
        QCOMPARE(away->body, QByteArray("log text"));
        QCOMPARE(m_server.requests().first().header("authorization"), QByteArray("Bearer s3cret"));
        QCOMPARE(storage.requests().size(), 1);
        QVERIFY(storage.requests().first().header("authorization").isEmpty());

        const Result<Response> same = wait(client.send(Request::get(QUrl(QStringLiteral("same")))));
        QCOMPARE(same->body, QByteArray("same host"));
        QCOMPARE(m_server.requests().last().header("authorization"), QByteArray("Bearer s3cret"));
    }

    void capsResponseSize()
    {
        ClientSettings settings = fastSettings(m_server.baseUrl());
        settings.maxResponseBytes = 1024;
        HttpClient client(settings);
        m_server.setHandler(
            [](const RecordedRequest &) { return FakeReply::text(QByteArray(64 * 1024, 'x')); });
        const Response response = wait(client.fetch(Request::get(QUrl(QStringLiteral("big")))));
        QCOMPARE(response.failure, Failure::TooLarge);
        QVERIFY(response.errorMessage.contains(QStringLiteral("larger than")));
    }

    void reportsRefusedConnections()
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 port = probe.serverPort();
        probe.close();

        HttpClient client(fastSettings(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port))));
        const Response response
            = wait(client.fetch(Request::get(QUrl(QStringLiteral("api/json")))));
        QCOMPARE(response.failure, Failure::Connection);
        QVERIFY2(response.errorMessage.contains(QStringLiteral("cannot reach")),
                 qPrintable(response.errorMessage));
        QCOMPARE(response.attempts, 3);
    }

    void keepsEncodedSegments()
    {
        const QUrl base(QStringLiteral("http://127.0.0.1:1/api/v4"));
        QCOMPARE(appendPathSegments(
                     base, {QStringLiteral("projects"), QStringLiteral("group/sub/project")})
                     .toEncoded(),
                 QByteArray("http://127.0.0.1:1/api/v4/projects/group%2Fsub%2Fproject"));
        QCOMPARE(appendPathSegments(QUrl(QStringLiteral("http://h/jenkins/")),
                                    {QStringLiteral("job"), QStringLiteral("repo"),
                                     QStringLiteral("job"), QStringLiteral("feature%2Fx")})
                     .toEncoded(),
                 QByteArray("http://h/jenkins/job/repo/job/feature%252Fx"));

        HttpClient client(fastSettings(m_server.baseUrl()));
        m_server.setHandler([](const RecordedRequest &) { return FakeReply::json("{}"); });
        const QUrl url = appendPathSegments(
            m_server.baseUrl(),
            {QStringLiteral("projects"), QStringLiteral("a/b"), QStringLiteral("feature%2Fx")});
        QVERIFY(wait(client.send(Request::get(url))).ok());
        QCOMPARE(m_server.requests().first().encodedPath,
                 QByteArray("/projects/a%2Fb/feature%252Fx"));

        const QUrl relative
            = client.resolve(QStringLiteral("projects/a%2Fb/pipelines?sha=abc&per_page=5"));
        QCOMPARE(relative.path(QUrl::FullyEncoded), QStringLiteral("/projects/a%2Fb/pipelines"));
        QCOMPARE(relative.query(), QStringLiteral("sha=abc&per_page=5"));
    }

    void settingsFromConnectionOptions()
    {
        config::ConnectionOptions options;
        options.timeoutMs = 1234;
        options.proxy = QStringLiteral("none");
        options.insecureSkipVerify = true;
        const ClientSettings settings = ClientSettings::forSource(
            QStringLiteral("s"), QUrl(QStringLiteral("http://h")), options);
        QCOMPARE(settings.timeoutMs, 1234);
        QCOMPARE(settings.proxy, QStringLiteral("none"));
        QVERIFY(settings.insecureSkipVerify);
        QCOMPARE(settings.sourceName, QStringLiteral("s"));
    }
};

QTEST_GUILESS_MAIN(TestHttpClient)
#include "tst_httpclient.moc"
