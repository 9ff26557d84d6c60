// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/logs/ansi.h"
#include "core/providers/fixtures/fixtureprovider.h"
#include "core/server/igorserver.h"
#include "core/service/sourceregistry.h"
#include "core/store/buildstore.h"
#include "tests/server/httpclient.h"
#include "tests/support/wirechecks.h"

#include <QDirIterator>
#include <QElapsedTimer>
#include <QPromise>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimer>

using namespace cic;
using namespace cic::testing;

namespace {

constexpr int LookupBudgetMs = 500;

// A source that answers lookups late, as a CI server far away does.
class SlowSource final : public CiBuildService
{
public:
    SlowSource()
        : CiBuildService(nullptr)
    {
    }

    QString name() const override { return QStringLiteral("slow"); }
    QString kind() const override { return QStringLiteral("test"); }

    QFuture<Result<QList<SourceProject>>> listProjects() override
    {
        return QtFuture::makeReadyFuture(Result<QList<SourceProject>>(QList<SourceProject>()));
    }
    QFuture<Result<BuildList>> fetchRecentBuilds(const QString &) override
    {
        return QtFuture::makeReadyFuture(Result<BuildList>(BuildList()));
    }
    QFuture<Result<LogChunk>> fetchLog(const Build &, qint64) override
    {
        return QtFuture::makeReadyFuture(Result<LogChunk>(LogChunk{}));
    }

    QFuture<Result<BuildList>> findBuilds(const BuildQuery &query) override
    {
        ++lookups;
        lookupThread = QThread::currentThread();
        auto promise = std::make_shared<QPromise<Result<BuildList>>>();
        promise->start();
        BuildList found;
        for (const BuildPtr &build : std::as_const(known)) {
            if (query.matches(*build))
                found.append(build);
        }
        QTimer::singleShot(delayMs, this, [promise, found] {
            promise->addResult(Result<BuildList>(found));
            promise->finish();
        });
        return promise->future();
    }

    int delayMs = 50;
    BuildList known;
    int lookups = 0;
    QThread *lookupThread = nullptr;
};

// A source whose every answer is a refusal, as a CI server with a revoked token gives.
class FailingSource final : public CiBuildService
{
public:
    FailingSource()
        : CiBuildService(nullptr)
    {
    }

    QString name() const override { return QStringLiteral("broken"); }
    QString kind() const override { return QStringLiteral("test"); }

    QFuture<Result<QList<SourceProject>>> listProjects() override
    {
        return QtFuture::makeReadyFuture(Result<QList<SourceProject>>(Error{Refused}));
    }
    QFuture<Result<BuildList>> fetchRecentBuilds(const QString &) override
    {
        return QtFuture::makeReadyFuture(Result<BuildList>(Error{Refused}));
    }
    QFuture<Result<BuildList>> findBuilds(const BuildQuery &) override
    {
        return QtFuture::makeReadyFuture(Result<BuildList>(Error{Refused}));
    }
    QFuture<Result<LogChunk>> fetchLog(const Build &, qint64) override
    {
        return QtFuture::makeReadyFuture(Result<LogChunk>(Error{Refused}));
    }

    const QString Refused = QStringLiteral("broken: 401 Unauthorized");
};

BuildPtr slowBuild(const char *id, int number, const char *sha)
{
    auto build = std::make_shared<Build>();
    build->id = QString::fromLatin1(id);
    build->number = number;
    build->result = BuildResult::Success;
    build->source = QStringLiteral("slow");
    build->project = QStringLiteral("far/away");
    build->scm.append(GitRevision{{}, QStringLiteral("main"), QString::fromLatin1(sha)});
    build->properties = {{QStringLiteral("projectKey"), QStringLiteral("FAR")},
                         {QStringLiteral("repoSlug"), QStringLiteral("away")},
                         {QStringLiteral("startedTs"), QStringLiteral("1700009000000")}};
    return build;
}

void copyTree(const QString &from, const QString &to)
{
    QDirIterator it(from, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString source = it.next();
        const QString target = to + source.mid(from.size());
        QDir().mkpath(QFileInfo(target).absolutePath());
        QFile::copy(source, target);
    }
}

void writeFile(const QString &path, const QByteArray &content)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QCOMPARE(file.write(content), content.size());
}

QStringList idsOf(const QJsonDocument &document)
{
    QStringList ids;
    for (const QJsonValue &build : document.array())
        ids.append(build.toObject().value(u"id").toString());
    return ids;
}

// Every answer is JSON with a body; HEAD has the headers only.
void checkShape(const HttpResponse &response, bool head = false)
{
    QCOMPARE(response.header("Content-Type"), QByteArray("application/json"));
    if (head) {
        QVERIFY(response.body.isEmpty());
        return;
    }
    QVERIFY(!response.body.isEmpty());
    QVERIFY2(!response.json().isNull(), response.body.left(200).constData());
}

// kork's error body: timestamp, status, error, message.
void checkErrorBody(const HttpResponse &response, int status)
{
    QCOMPARE(response.status, status);
    checkShape(response);
    const QJsonObject body = response.json().object();
    QCOMPARE(body.keys(), QStringList({"error", "message", "status", "timestamp"}));
    QCOMPARE(body.value(u"status"), QJsonValue(status));
    QVERIFY(body.value(u"error").isString() && !body.value(u"error").toString().isEmpty());
    QVERIFY(body.value(u"message").isString() && !body.value(u"message").toString().isEmpty());
    static const QRegularExpression springDate(
        QStringLiteral("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\+00:00$"));
    QVERIFY2(springDate.match(body.value(u"timestamp").toString()).hasMatch(),
             qPrintable(body.value(u"timestamp").toString()));
}

} // namespace

class TestIgorServer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void builds_data();
    void builds();
    void buildsGolden_data();
    void buildsGolden();
    void output_data();
    void output();
    void largeLog();
    void errorBody();
    void methods_data();
    void methods();
    void headOnTheWire();
    void scmMastersAndHealth();
    void healthSaysWhichSourceIsDown();
    void requestHandled();
    void lookupOnMissWithinTheBudget();
    void lookupOnMissPastTheBudget();
    void clientLeavesDuringALookup();
    void extraRoutes();
    void droppedResponderAnswers503();
    void bearerToken_data();
    void bearerToken();
    void beyondLoopbackNeedsAToken();
    void portTaken();
    void stopAndStartAgain();

private:
    QTemporaryDir m_dir;
    QByteArray m_bigLog;
    std::unique_ptr<BuildStore> m_store;
    std::unique_ptr<SourceRegistry> m_registry;
    SlowSource *m_slow = nullptr;
    std::unique_ptr<IgorServer> m_server;
    std::unique_ptr<HttpClient> m_client;
    QObject m_mainThreadContext;
};

void TestIgorServer::initTestCase()
{
    QVERIFY(m_dir.isValid());
    copyTree(dataPath(QStringLiteral("contract")), m_dir.filePath(QStringLiteral("contract")));
    copyTree(dataPath(QStringLiteral("traps")), m_dir.filePath(QStringLiteral("traps")));

    // Ids with dots and tildes, and a log of several megabytes full of colour codes.
    const QString more = m_dir.filePath(QStringLiteral("more"));
    writeFile(more + QStringLiteral("/ops/builds.json"), R"([
        {"id": "job.name-1", "number": 1, "result": "SUCCESS",
         "scm": [{"sha1": "c0ffee0000000000000000000000000000000001"}],
         "properties": {"projectKey": "OPS", "repoSlug": "dots", "startedTs": "1700002000000"}},
        {"id": "with~tilde_2", "number": 2, "result": "FAILURE",
         "scm": [{"sha1": "c0ffee0000000000000000000000000000000002"}],
         "properties": {"projectKey": "OPS", "repoSlug": "dots", "startedTs": "1700002100000"}},
        {"id": "big-log", "number": 3, "result": "SUCCESS",
         "properties": {"projectKey": "OPS", "repoSlug": "logs", "startedTs": "1700002200000"}}
    ])");
    for (int i = 0; m_bigLog.size() < 6 * 1024 * 1024; ++i) {
        m_bigLog.append("\x1b[36m[").append(QByteArray::number(i)).append("]\x1b[0m ");
        m_bigLog.append("step \"compile\" \\ done \xe2\x9c\x93\n");
    }
    writeFile(more + QStringLiteral("/ops/logs/big-log.log"), m_bigLog);

    m_store = std::make_unique<BuildStore>();
    m_registry = std::make_unique<SourceRegistry>(m_store.get());
    for (const char *name : {"contract", "traps", "more"}) {
        auto *provider = new FixtureProvider(QString::fromLatin1(name),
                                             m_dir.filePath(QString::fromLatin1(name)));
        provider->setWatching(false);
        m_registry->addSource(provider);
        m_store->replaceSource(provider->name(), provider->builds());
    }
    m_slow = new SlowSource;
    m_registry->addSource(m_slow);
    QCOMPARE(m_store->size(), 10);

    ServerOptions options;
    options.port = 0;
    options.lookupBudgetMs = LookupBudgetMs;
    options.scmMasters = {{QStringLiteral("stash"), QStringLiteral("https://stash.example.com")},
                          {QStringLiteral("gitHub"), QStringLiteral("https://github.com")},
                          {QStringLiteral("gitea"), QStringLiteral("https://gitea.example.com")}};
    m_server = std::make_unique<IgorServer>(m_registry.get(), options);

    // Routes of another part of the app: one on the server's thread, one on this thread.
    QVERIFY(m_server->addRoute(http::Method::Get | http::Method::Post,
                               QStringLiteral("/control/echo/{word}"),
                               [](const http::Request &request) {
                                   const QByteArray body = "{\"word\":\""
                                       + request.parameter(u"word").toUtf8() + "\",\"body\":\""
                                       + request.body + "\",\"method\":\""
                                       + http::methodName(request.method) + "\"}";
                                   return http::jsonReply(body);
                               }));
    QVERIFY(m_server->addDeferredRoute(
        http::Method::Get, QStringLiteral("/control/thread"),
        [this](const http::Request &, http::Responder responder) {
            const bool mainThread = QThread::currentThread() == thread();
            responder.send(
                http::jsonReply(mainThread ? "{\"thread\":\"main\"}" : "{\"thread\":\"other\"}"));
        },
        &m_mainThreadContext));
    QVERIFY(m_server->addDeferredRoute(http::Method::Get, QStringLiteral("/control/forgotten"),
                                       [](const http::Request &, http::Responder) {}));
    QVERIFY(!m_server->addRoute(http::Method::Get, QStringLiteral("relative"),
                                [](const http::Request &) { return http::Reply(); }));

    const Result<quint16> started = m_server->start();
    QVERIFY2(started.ok(), qPrintable(started.error()));
    QVERIFY(started.value() != 0);
    QVERIFY(m_server->isListening());
    QCOMPARE(m_server->baseUrl().host(), QStringLiteral("127.0.0.1"));
    QCOMPARE(m_server->baseUrl().port(), int(started.value()));
    m_client = std::make_unique<HttpClient>(m_server->baseUrl());
}

void TestIgorServer::cleanupTestCase()
{
    m_client.reset();
    m_server.reset();
}

void TestIgorServer::builds_data()
{
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<int>("status");
    QTest::addColumn<QStringList>("ids"); // for 200; for 400, the words the message names

    const QStringList all
        = {"big-log",         "with~tilde_2", "job.name-1", "b-7",          "b-1043",
           "trap-max-number", "trap-no-scm",  "trap-pr",    "trap-running", "b-1042"};
    const QByteArray keelStatuses
        = "&completionStatus=INCOMPLETE%2C%20SUCCEEDED%2C%20FAILED%2C%20ABORTED";

    QTest::newRow("no parameters: everything, newest first") << QByteArray() << 200 << all;
    QTest::newRow("projectKey") << QByteArray("projectKey=SPKR") << 200
                                << QStringList{"b-7", "b-1043", "b-1042"};
    QTest::newRow("projectKey, other case")
        << QByteArray("projectKey=spkr") << 200 << QStringList{"b-7", "b-1043", "b-1042"};
    QTest::newRow("repoSlug") << QByteArray("repoSlug=dots") << 200
                              << QStringList{"with~tilde_2", "job.name-1"};
    QTest::newRow("projectKey and repoSlug") << QByteArray("projectKey=SPKR&repoSlug=keel-app")
                                             << 200 << QStringList{"b-1043", "b-1042"};
    QTest::newRow("buildNumber") << QByteArray("buildNumber=1042") << 200 << QStringList{"b-1042"};
    QTest::newRow("buildNumber, largest 32-bit")
        << QByteArray("buildNumber=2147483647") << 200 << QStringList{"trap-max-number"};
    QTest::newRow("buildNumber beyond 32 bits: none can have it")
        << QByteArray("buildNumber=2147483648") << 200 << QStringList{};
    QTest::newRow("buildNumber not a number")
        << QByteArray("buildNumber=abc") << 200 << QStringList{};
    QTest::newRow("buildNumber empty is no filter") << QByteArray("buildNumber=") << 200 << all;
    QTest::newRow("buildNumber with spaces")
        << QByteArray("buildNumber=%201042%20") << 200 << QStringList{"b-1042"};
    QTest::newRow("commitId, short")
        << QByteArray("commitId=2626f5f") << 200 << QStringList{"b-1042"};
    QTest::newRow("commitId, upper case")
        << QByteArray("commitId=2626F5F") << 200 << QStringList{"b-1042"};
    QTest::newRow("commitId, full")
        << QByteArray("commitId=9f1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6") << 200
        << QStringList{"b-1043"};
    QTest::newRow("commitId, shared prefix")
        << QByteArray("commitId=c0ffee") << 200 << QStringList{"with~tilde_2", "job.name-1"};
    QTest::newRow("commitId, no such commit")
        << QByteArray("commitId=0123456") << 200 << QStringList{};
    QTest::newRow("keel's query, %2C%20") << QByteArray("commitId=2626f5f&buildNumber=1042")
            + keelStatuses << 200 << QStringList{"b-1042"};
    QTest::newRow("keel's query, comma and plus")
        << QByteArray("commitId=2626f5f&buildNumber=1042&completionStatus=INCOMPLETE,+SUCCEEDED,"
                      "+FAILED,+ABORTED")
        << 200 << QStringList{"b-1042"};
    QTest::newRow("keel's query, no spaces")
        << QByteArray("commitId=2626f5f&buildNumber=1042&completionStatus=INCOMPLETE%2CSUCCEEDED")
        << 200 << QStringList{"b-1042"};
    QTest::newRow("keel's query, wrong number")
        << QByteArray("commitId=2626f5f&buildNumber=1043") + keelStatuses << 200 << QStringList{};
    QTest::newRow("SUCCEEDED") << QByteArray("completionStatus=SUCCEEDED") << 200
                               << QStringList{"big-log", "job.name-1", "trap-pr", "b-1042"};
    QTest::newRow("FAILED and ABORTED")
        << QByteArray("completionStatus=FAILED,ABORTED") << 200
        << QStringList{"with~tilde_2", "b-7", "trap-max-number", "trap-no-scm"};
    QTest::newRow("INCOMPLETE, lower case") << QByteArray("completionStatus=incomplete") << 200
                                            << QStringList{"b-1043", "trap-running"};
    QTest::newRow("a result name")
        << QByteArray("completionStatus=NOT_BUILT") << 200 << QStringList{};
    QTest::newRow("completionStatus repeated joins")
        << QByteArray("completionStatus=INCOMPLETE&completionStatus=FAILED") << 200
        << QStringList{"with~tilde_2", "b-7", "b-1043", "trap-no-scm", "trap-running"};
    QTest::newRow("completionStatus empty items")
        << QByteArray("completionStatus=%2C%20%2C") << 200 << all;
    QTest::newRow("completionStatus unknown word")
        << QByteArray("completionStatus=BOGUS") << 400 << QStringList{"\"BOGUS\""};
    QTest::newRow("completionStatus one bad word among good")
        << QByteArray("completionStatus=INCOMPLETE%2C%20NOPE") << 400 << QStringList{"\"NOPE\""};
    QTest::newRow("unknown parameters are ignored")
        << QByteArray("repoType=stash&start=0&limit=1&projectKey=SPKR&repoSlug=tools") << 200
        << QStringList{"b-7"};
    QTest::newRow("every parameter at once")
        << QByteArray("projectKey=TRAP&repoSlug=traps&buildNumber=2002&commitId=bbbbbbb"
                      "&completionStatus=SUCCEEDED")
        << 200 << QStringList{"trap-pr"};
    QTest::newRow("an encoded letter")
        << QByteArray("projectKey=%53PKR&repoSlug=tools") << 200 << QStringList{"b-7"};
    QTest::newRow("a stray percent is literal")
        << QByteArray("projectKey=SP%KR") << 200 << QStringList{};
    QTest::newRow("bad escape in a commit") << QByteArray("commitId=%zz") << 200 << QStringList{};
    QTest::newRow("bad escape in a status")
        << QByteArray("completionStatus=%ZZ") << 400 << QStringList{"%ZZ"};
    QTest::newRow("a key without a value")
        << QByteArray("projectKey&repoSlug=tools") << 200 << QStringList{"b-7"};
}

void TestIgorServer::builds()
{
    QFETCH(QByteArray, query);
    QFETCH(int, status);
    QFETCH(QStringList, ids);

    const HttpResponse response
        = m_client->get("/ci/builds" + (query.isEmpty() ? QByteArray() : "?" + query));
    QCOMPARE(response.status, status);
    checkShape(response);
    if (status != 200) {
        checkErrorBody(response, status);
        const QString message = response.json().object().value(u"message").toString();
        for (const QString &word : ids)
            QVERIFY2(message.contains(word), qPrintable(message));
        return;
    }

    QVERIFY(response.json().isArray());
    QCOMPARE(idsOf(response.json()), ids);
    for (const QJsonValue &build : response.json().array())
        CIC_VERIFY_WIRE_BUILD(build.toObject());
}

void TestIgorServer::buildsGolden_data()
{
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<QString>("goldenFile");

    QTest::newRow("deck's list (6.1)")
        << QByteArray("repoType=stash&projectKey=SPKR&repoSlug=keel-app") << "deck-list.json";
    QTest::newRow("deck's running badge") << QByteArray(
        "repoType=stash&projectKey=SPKR&repoSlug=keel-app&completionStatus=INCOMPLETE")
                                          << "deck-running-badge.json";
    QTest::newRow("keel's query (6.2)")
        << QByteArray("commitId=2626f5f&buildNumber=1042"
                      "&completionStatus=INCOMPLETE%2C%20SUCCEEDED%2C%20FAILED%2C%20ABORTED")
        << "keel-query.json";
    QTest::newRow("a build without revisions (6.3)")
        << QByteArray("projectKey=SPKR&repoSlug=tools") << "no-revisions.json";
    QTest::newRow("a running build")
        << QByteArray("projectKey=TRAP&buildNumber=2001") << "trap-running.json";
    QTest::newRow("a build with a pull request")
        << QByteArray("projectKey=TRAP&buildNumber=2002&commitId=bbbbbbb")
        << "trap-pull-request.json";
    QTest::newRow("no revisions, read loosely")
        << QByteArray("projectKey=TRAP&buildNumber=2003") << "trap-no-revisions.json";
    QTest::newRow("largest number")
        << QByteArray("buildNumber=2147483647") << "trap-max-number.json";
}

void TestIgorServer::buildsGolden()
{
    QFETCH(QByteArray, query);
    QFETCH(QString, goldenFile);

    const HttpResponse response = m_client->get("/ci/builds?" + query);
    QCOMPARE(response.status, 200);
    checkShape(response);
    QCOMPARE(response.json(), golden(goldenFile));
}

void TestIgorServer::output_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("log"); // for 200; for errors, what the message contains

    const QByteArray colored = QByteArray("\x1b[1m[12:00:01]\x1b[0m Cloning "
                                          "ssh://git@stash.example.com:7999/spkr/keel-app.git\n"
                                          "\x1b[32m[12:00:03]\x1b[0m ./gradlew build\n");
    const QByteArray plain = ansi::strip(colored);
    QCOMPARE(plain,
             QByteArray("[12:00:01] Cloning ssh://git@stash.example.com:7999/spkr/"
                        "keel-app.git\n[12:00:03] ./gradlew build\n"));

    QTest::newRow("ANSI stripped by default")
        << QByteArray("/ci/builds/b-1043/output") << 200 << plain;
    QTest::newRow("ansi=keep") << QByteArray("/ci/builds/b-1043/output?ansi=keep") << 200
                               << colored;
    QTest::newRow("ansi=strip") << QByteArray("/ci/builds/b-1043/output?ansi=strip") << 200
                                << plain;
    QTest::newRow("deck's start and limit are ignored")
        << QByteArray("/ci/builds/b-1043/output?start=-1&limit=4095") << 200 << plain;
    QTest::newRow("ansi=bogus") << QByteArray("/ci/builds/b-1043/output?ansi=bogus") << 400
                                << QByteArray("bogus");
    QTest::newRow("no log file is an empty log")
        << QByteArray("/ci/builds/b-1042/output") << 200 << QByteArray();
    QTest::newRow("id with dots") << QByteArray("/ci/builds/job.name-1/output") << 200
                                  << QByteArray();
    QTest::newRow("id with a tilde and underscore")
        << QByteArray("/ci/builds/with~tilde_2/output") << 200 << QByteArray();
    QTest::newRow("encoded letters in the id")
        << QByteArray("/ci/builds/%62-1043/output") << 200 << plain;
    QTest::newRow("encoded tilde")
        << QByteArray("/ci/builds/with%7Etilde_2/output") << 200 << QByteArray();
    QTest::newRow("encoded slash stays in the id")
        << QByteArray("/ci/builds/b%2F1043/output") << 404 << QByteArray("\"b/1043\"");
    QTest::newRow("unknown id") << QByteArray("/ci/builds/nope/output") << 404
                                << QByteArray("\"nope\"");
}

void TestIgorServer::output()
{
    QFETCH(QByteArray, path);
    QFETCH(int, status);
    QFETCH(QByteArray, log);

    const HttpResponse response = m_client->get(path);
    QCOMPARE(response.status, status);
    checkShape(response);
    if (status != 200) {
        checkErrorBody(response, status);
        QVERIFY2(response.json().object().value(u"message").toString().toUtf8().contains(log),
                 response.body.constData());
        return;
    }
    const QJsonObject body = response.json().object();
    QVERIFY(body.value(u"log").isString());
    QCOMPARE(body.value(u"log").toString(), QString::fromUtf8(log));
}

void TestIgorServer::largeLog()
{
    const HttpResponse stripped = m_client->get("/ci/builds/big-log/output");
    QCOMPARE(stripped.status, 200);
    QVERIFY(stripped.body.size() > 5 * 1024 * 1024);
    QCOMPARE(stripped.header("Content-Length").toLongLong(), stripped.body.size());
    QCOMPARE(stripped.json().object().value(u"log").toString(),
             QString::fromUtf8(ansi::strip(m_bigLog)));

    const HttpResponse kept = m_client->get("/ci/builds/big-log/output?ansi=keep");
    QCOMPARE(kept.status, 200);
    QCOMPARE(kept.json().object().value(u"log").toString(), QString::fromUtf8(m_bigLog));

    // The golden example of the contract, as a whole document.
    const HttpResponse example = m_client->get("/ci/builds/b-1043/output");
    QCOMPARE(example.json(), golden(QStringLiteral("output-b-1043.json")));
}

void TestIgorServer::errorBody()
{
    checkErrorBody(m_client->get("/ci/builds/nope/output"), 404);
    checkErrorBody(m_client->get("/nothing/here"), 404);
    checkErrorBody(m_client->send("POST", "/ci/builds"), 405);
    checkErrorBody(m_client->get("/ci/builds?completionStatus=DONE"), 400);

    const QJsonObject body = m_client->get("/nothing/here").json().object();
    QCOMPARE(body.value(u"error").toString(), QStringLiteral("Not Found"));
    QVERIFY(body.value(u"message").toString().contains(QLatin1String("/nothing/here")));
}

void TestIgorServer::methods_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("allow");

    QTest::newRow("HEAD builds") << QByteArray("HEAD") << QByteArray("/ci/builds") << 200
                                 << QByteArray();
    QTest::newRow("HEAD builds with a query")
        << QByteArray("HEAD") << QByteArray("/ci/builds?projectKey=SPKR") << 200 << QByteArray();
    QTest::newRow("HEAD output") << QByteArray("HEAD") << QByteArray("/ci/builds/b-1043/output")
                                 << 200 << QByteArray();
    QTest::newRow("HEAD health") << QByteArray("HEAD") << QByteArray("/health") << 200
                                 << QByteArray();
    QTest::newRow("HEAD unknown id")
        << QByteArray("HEAD") << QByteArray("/ci/builds/x/output") << 404 << QByteArray();
    QTest::newRow("POST builds") << QByteArray("POST") << QByteArray("/ci/builds") << 405
                                 << QByteArray("GET, HEAD");
    QTest::newRow("DELETE output") << QByteArray("DELETE") << QByteArray("/ci/builds/b-1043/output")
                                   << 405 << QByteArray("GET, HEAD");
    QTest::newRow("PUT scm masters")
        << QByteArray("PUT") << QByteArray("/scm/masters") << 405 << QByteArray("GET, HEAD");
    QTest::newRow("OPTIONS health")
        << QByteArray("OPTIONS") << QByteArray("/health") << 405 << QByteArray("GET, HEAD");
    QTest::newRow("PATCH on a GET and POST route")
        << QByteArray("PATCH") << QByteArray("/control/echo/x") << 405
        << QByteArray("GET, HEAD, POST");
    QTest::newRow("unknown path") << QByteArray("GET") << QByteArray("/ci/build") << 404
                                  << QByteArray();
    QTest::newRow("POST to an unknown path")
        << QByteArray("POST") << QByteArray("/nope") << 404 << QByteArray();
    QTest::newRow("root") << QByteArray("GET") << QByteArray("/") << 404 << QByteArray();
    QTest::newRow("a build without /output")
        << QByteArray("GET") << QByteArray("/ci/builds/b-1043") << 404 << QByteArray();
    QTest::newRow("trailing slash")
        << QByteArray("GET") << QByteArray("/ci/builds/") << 200 << QByteArray();
    QTest::newRow("doubled slashes")
        << QByteArray("GET") << QByteArray("//ci//builds") << 200 << QByteArray();
    QTest::newRow("paths are case sensitive")
        << QByteArray("GET") << QByteArray("/CI/builds") << 404 << QByteArray();
}

void TestIgorServer::methods()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, path);
    QFETCH(int, status);
    QFETCH(QByteArray, allow);

    const HttpResponse response = m_client->send(method, path);
    QCOMPARE(response.status, status);
    QCOMPARE(response.header("Allow"), allow);

    if (method == "HEAD") {
        // The headers GET would give, without the body.
        checkShape(response, true);
        const HttpResponse get = m_client->get(path);
        QCOMPARE(get.status, status);
        QCOMPARE(response.header("Content-Length").toLongLong(), get.body.size());
        QVERIFY(get.body.size() > 0);
        return;
    }
    checkShape(response);
    if (status >= 400)
        checkErrorBody(response, status);
}

void TestIgorServer::headOnTheWire()
{
    // What a client sees on the connection: the head, a Content-Length, and no body bytes
    // before the next response.
    RawConnection connection(m_server->port());
    connection.write("HEAD /ci/builds/b-1043/output HTTP/1.1\r\nHost: x\r\n\r\n");
    QByteArray received;
    QVERIFY(QTest::qWaitFor(
        [&] {
            received += connection.socket().readAll();
            return received.contains("\r\n\r\n");
        },
        5000));
    QTest::qWait(100);
    received += connection.socket().readAll();
    QVERIFY(received.startsWith("HTTP/1.1 200 "));
    QVERIFY(received.endsWith("\r\n\r\n"));
    RawResponse head;
    head.head = received;
    QVERIFY(head.header("Content-Length").toInt() > 0);

    const RawResponse next = connection.exchange("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
    QCOMPARE(next.status, 200);
    QVERIFY(next.bytes.startsWith("HTTP/1.1 200 "));
    QVERIFY2(next.body.startsWith("{\"status\":\"UP\",\"components\":"), next.body.constData());
}

void TestIgorServer::scmMastersAndHealth()
{
    const HttpResponse masters = m_client->get("/scm/masters");
    QCOMPARE(masters.status, 200);
    checkShape(masters);
    // igor's keys only: gitea is not one of them.
    QCOMPARE(masters.json(), golden(QStringLiteral("scm-masters.json")));

    const HttpResponse health = m_client->get("/health");
    QCOMPARE(health.status, 200);
    checkShape(health);
    QCOMPARE(health.json().object().value(u"status").toString(), QStringLiteral("UP"));
    const QJsonObject sources
        = health.json().object().value(u"components").toObject().value(u"sources").toObject();
    QCOMPARE(sources.value(u"details").toObject().keys(),
             QStringList({QStringLiteral("contract"), QStringLiteral("more"),
                          QStringLiteral("slow"), QStringLiteral("traps")}));
}

// A source whose refresh failed is DOWN under components, with its error; the server itself
// stays UP, so that a probe does not restart a server that answers.
void TestIgorServer::healthSaysWhichSourceIsDown()
{
    BuildStore store;
    SourceRegistry registry(&store);
    auto *working = new SlowSource;
    working->known = {slowBuild("w-1", 1, "0123456789abcdef0123456789abcdef01234567")};
    registry.addSource(working);
    auto *failing = new FailingSource;
    registry.addSource(failing);
    registry.refresh();
    QTRY_COMPARE(registry.status(QStringLiteral("broken")).state, SourceStatus::State::Failed);
    QTRY_COMPARE(registry.status(QStringLiteral("slow")).state, SourceStatus::State::Ok);

    ServerOptions options;
    options.port = 0;
    IgorServer server(&registry, options);
    QVERIFY(server.start().ok());
    HttpClient client(server.baseUrl());
    const HttpResponse health = client.get("/health");
    QCOMPARE(health.status, 200);

    const QJsonObject body = health.json().object();
    QCOMPARE(body.value(u"status").toString(), QStringLiteral("UP"));
    const QJsonObject sources = body.value(u"components").toObject().value(u"sources").toObject();
    QCOMPARE(sources.value(u"status").toString(), QStringLiteral("DOWN"));
    const QJsonObject broken = sources.value(u"details").toObject().value(u"broken").toObject();
    QCOMPARE(broken.value(u"status").toString(), QStringLiteral("DOWN"));
    QCOMPARE(broken.value(u"kind").toString(), QStringLiteral("test"));
    QCOMPARE(broken.value(u"error").toString(), QStringLiteral("broken: 401 Unauthorized"));
    const QJsonObject slow = sources.value(u"details").toObject().value(u"slow").toObject();
    QCOMPARE(slow.value(u"status").toString(), QStringLiteral("UP"));
    QVERIFY(slow.contains(u"lastRefresh"));
    QVERIFY(!slow.contains(u"error"));
}

void TestIgorServer::requestHandled()
{
    QSignalSpy handled(m_server.get(), &IgorServer::requestHandled);
    const QDateTime before = QDateTime::currentDateTimeUtc();
    QCOMPARE(m_client->get("/health").status, 200);
    QCOMPARE(m_client->get("/ci/builds/nope/output").status, 404);
    QCOMPARE(m_client->send("HEAD", "/ci/builds/b-1043/output").status, 200);

    QTRY_COMPARE(handled.count(), 3);
    const auto record = [&](int i) { return handled.at(i).at(0).value<RequestRecord>(); };
    QCOMPARE(record(0).method, QByteArray("GET"));
    QCOMPARE(record(0).path, QStringLiteral("/health"));
    QCOMPARE(record(0).status, 200);
    QCOMPARE(record(1).path, QStringLiteral("/ci/builds/nope/output"));
    QCOMPARE(record(1).status, 404);
    QCOMPARE(record(2).method, QByteArray("HEAD"));
    QCOMPARE(record(2).status, 200);
    for (int i = 0; i < 3; ++i) {
        QVERIFY(record(i).elapsedUs >= 0);
        QVERIFY(record(i).elapsedUs < 10'000'000);
        QVERIFY(record(i).time >= before.addSecs(-1));
        QVERIFY(record(i).time <= QDateTime::currentDateTimeUtc());
    }
}

void TestIgorServer::lookupOnMissWithinTheBudget()
{
    m_slow->known = {slowBuild("far-1", 11, "5107e00000000000000000000000000000000001")};
    m_slow->delayMs = 50;
    const int lookupsBefore = m_slow->lookups;

    QElapsedTimer timer;
    timer.start();
    const HttpResponse response
        = m_client->get("/ci/builds?commitId=5107e00&buildNumber=11"
                        "&completionStatus=INCOMPLETE%2C%20SUCCEEDED%2C%20FAILED%2C%20ABORTED");
    const qint64 elapsed = timer.elapsed();

    QCOMPARE(response.status, 200);
    QCOMPARE(idsOf(response.json()), QStringList({"far-1"}));
    QCOMPARE(m_slow->lookups, lookupsBefore + 1);
    QCOMPARE(m_slow->lookupThread, thread()); // the registry is reached on its own thread
    QVERIFY2(elapsed < 5000, qPrintable(QString::number(elapsed)));

    // Now the store has it: no second lookup.
    QCOMPARE(idsOf(m_client->get("/ci/builds?commitId=5107e00").json()), QStringList({"far-1"}));
    QCOMPARE(m_slow->lookups, lookupsBefore + 1);
}

void TestIgorServer::lookupOnMissPastTheBudget()
{
    m_slow->known = {slowBuild("far-2", 12, "5107e00000000000000000000000000000000002")};
    m_slow->delayMs = 4 * LookupBudgetMs;

    QElapsedTimer timer;
    timer.start();
    const HttpResponse response
        = m_client->get("/ci/builds?commitId=5107e00000000000000000000000000000000002");
    const qint64 elapsed = timer.elapsed();

    // keel retries an empty answer: the server answers with what it has when the budget ends.
    QCOMPARE(response.status, 200);
    QCOMPARE(response.json(), QJsonDocument(QJsonArray()));
    QVERIFY2(elapsed >= LookupBudgetMs - 50, qPrintable(QString::number(elapsed)));
    QVERIFY2(elapsed < 4 * LookupBudgetMs, qPrintable(QString::number(elapsed)));

    // The late answer still reaches the store, and the next try finds it.
    QTRY_VERIFY_WITH_TIMEOUT(m_store->build(QStringLiteral("far-2")), 10000);
    QCOMPARE(
        idsOf(m_client->get("/ci/builds?commitId=5107e00000000000000000000000000000000002").json()),
        QStringList({"far-2"}));
}

void TestIgorServer::clientLeavesDuringALookup()
{
    m_slow->known = {};
    m_slow->delayMs = 2 * LookupBudgetMs;
    {
        RawConnection connection(m_server->port());
        QVERIFY(connection.isConnected());
        connection.write("GET /ci/builds?commitId=dead000 HTTP/1.1\r\nHost: x\r\n\r\n");
        QTest::qWait(50);
        connection.socket().abort();
    }
    // The deferred answer finds no client, and the server carries on.
    QTest::qWait(LookupBudgetMs + 400);
    QCOMPARE(m_client->get("/health").status, 200);
    QCOMPARE(m_client->get("/ci/builds?commitId=2626f5f").status, 200);
}

void TestIgorServer::extraRoutes()
{
    const HttpResponse get = m_client->get("/control/echo/hello%20world");
    QCOMPARE(get.status, 200);
    QCOMPARE(get.json().object().value(u"word").toString(), QStringLiteral("hello world"));
    QCOMPARE(get.json().object().value(u"method").toString(), QStringLiteral("GET"));

    const HttpResponse post = m_client->send("POST", "/control/echo/x", {}, "payload");
    QCOMPARE(post.status, 200);
    QCOMPARE(post.json().object().value(u"body").toString(), QStringLiteral("payload"));

    // A route with a context object runs on that object's thread.
    QCOMPARE(m_client->get("/control/thread").json().object().value(u"thread").toString(),
             QStringLiteral("main"));
}

void TestIgorServer::droppedResponderAnswers503()
{
    // A deferred handler that lets its responder go without answering: the client is told.
    const HttpResponse response = m_client->get("/control/forgotten");
    checkErrorBody(response, 503);
}

void TestIgorServer::bearerToken_data()
{
    QTest::addColumn<QByteArray>("authorization");
    QTest::addColumn<int>("status");

    QTest::newRow("none") << QByteArray() << 401;
    QTest::newRow("wrong token") << QByteArray("Bearer wrong") << 401;
    QTest::newRow("a prefix of the token") << QByteArray("Bearer s3cr") << 401;
    QTest::newRow("the token and more") << QByteArray("Bearer s3cret!") << 401;
    QTest::newRow("basic") << QByteArray("Basic czNjcmV0") << 401;
    QTest::newRow("right token") << QByteArray("Bearer s3cret") << 200;
    QTest::newRow("scheme in lower case") << QByteArray("bearer s3cret") << 200;
}

void TestIgorServer::bearerToken()
{
    QFETCH(QByteArray, authorization);
    QFETCH(int, status);

    ServerOptions options;
    options.port = 0;
    options.bearerToken = QStringLiteral("s3cret");
    IgorServer server(m_registry.get(), options);
    QVERIFY(server.start().ok());
    HttpClient client(server.baseUrl());

    QList<std::pair<QByteArray, QByteArray>> headers;
    if (!authorization.isEmpty())
        headers.append({"Authorization", authorization});
    for (const QByteArray &path :
         {QByteArray("/ci/builds?projectKey=SPKR"), QByteArray("/health"), QByteArray("/nope")}) {
        const HttpResponse response = client.get(path, headers);
        if (status == 401) {
            checkErrorBody(response, 401);
            QCOMPARE(response.header("WWW-Authenticate"), QByteArray("Bearer"));
        } else {
            QCOMPARE(response.status, path == "/nope" ? 404 : 200);
        }
    }
}

void TestIgorServer::beyondLoopbackNeedsAToken()
{
    for (const QHostAddress &address :
         {QHostAddress(QHostAddress::AnyIPv4), QHostAddress(QStringLiteral("192.0.2.1"))}) {
        ServerOptions options;
        options.address = address;
        options.port = 0;
        IgorServer server(m_registry.get(), options);
        const Result<quint16> started = server.start();
        QVERIFY(!started.ok());
        QVERIFY2(started.error().contains(QLatin1String("token")), qPrintable(started.error()));
        QVERIFY(!server.isListening());
        QVERIFY(server.baseUrl().isEmpty());
    }
}

void TestIgorServer::portTaken()
{
    ServerOptions options;
    options.port = m_server->port();
    IgorServer second(m_registry.get(), options);
    QSignalSpy listening(&second, &IgorServer::listeningChanged);
    const Result<quint16> started = second.start();
    QVERIFY(!started.ok());
    QVERIFY2(started.error().contains(
                 QStringLiteral("cannot listen on 127.0.0.1:%1").arg(m_server->port())),
             qPrintable(started.error()));
    QVERIFY(!second.isListening());
    QCOMPARE(listening.count(), 0);
    QCOMPARE(m_client->get("/health").status, 200); // the first is unharmed
}

void TestIgorServer::stopAndStartAgain()
{
    ServerOptions options;
    options.port = 0;
    IgorServer server(m_registry.get(), options);
    QSignalSpy listening(&server, &IgorServer::listeningChanged);

    QVERIFY(server.start().ok());
    const QUrl first = server.baseUrl();
    QCOMPARE(HttpClient(first).get("/health").status, 200);

    server.stop();
    QVERIFY(!server.isListening());
    QCOMPARE(listening.count(), 2);
    QVERIFY(HttpClient(first).get("/health").status != 200);

    QVERIFY(server.start().ok());
    QCOMPARE(HttpClient(server.baseUrl()).get("/ci/builds?buildNumber=7").status, 200);
    QCOMPARE(listening.count(), 3);
}

QTEST_GUILESS_MAIN(TestIgorServer)
#include "tst_igorserver.moc"
