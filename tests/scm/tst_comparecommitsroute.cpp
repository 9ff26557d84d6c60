// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/scm/comparecommitsroute.h"
#include "core/scm/scmcompareservice.h"
#include "core/scm/scmtransport.h"
#include "core/server/igorserver.h"
#include "core/service/sourceregistry.h"
#include "core/store/buildstore.h"
#include "fakescmserver.h"
#include "tests/server/httpclient.h"

#include <QPromise>
#include <QTest>

using namespace cic;

namespace {

const QString Old = QStringLiteral("0000000000000000000000000000000000000000");
const QString New = QStringLiteral("9999999999999999999999999999999999999999");

QString shaOf(int i)
{
    return QString::number(i).repeated(40);
}

QByteArray json(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

// A server that never answers, to spend the route's budget.
class SilentTransport final : public ScmTransport
{
public:
    QFuture<ScmHttpReply> get(const QNetworkRequest &) override
    {
        m_pending.append(std::make_shared<QPromise<ScmHttpReply>>());
        m_pending.last()->start();
        return m_pending.last()->future();
    }

private:
    QList<std::shared_ptr<QPromise<ScmHttpReply>>> m_pending;
};

} // namespace

class TestCompareCommitsRoute : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void stashNewestFirstInMilliseconds();
    void stashLimit();
    void gitHubOldestFirstInIsoTime();
    void unknownRevisionAnswersThePlaceholder();
    void missingParameter_data();
    void missingParameter();
    void kindNotConfigured();
    void budgetSpent();

private:
    testing::HttpClient client() const { return testing::HttpClient(m_server->baseUrl()); }

    FakeScmServer m_scm;
    BuildStore m_store;
    std::unique_ptr<SourceRegistry> m_registry;
    std::unique_ptr<ScmCompareService> m_service;
    std::unique_ptr<IgorServer> m_server;
};

void TestCompareCommitsRoute::initTestCase()
{
    QVERIFY(m_scm.isListening());

    // Bitbucket Server under /bitbucket, newest first, from = newer.
    QJsonArray values;
    for (int i = 3; i >= 1; --i)
        values.append(QJsonObject{{"id", shaOf(i)},
                                  {"displayId", shaOf(i).left(11)},
                                  {"author", QJsonObject{{"name", "ada"}, {"displayName", "Ada"}}},
                                  {"authorTimestamp", qint64(1714554000000) + i * 1000},
                                  {"message", QStringLiteral("Change %1").arg(i)}});
    m_scm.on("/bitbucket/rest/api/1.0/projects/SPKR/repos/keel-app/compare/commits",
             {{"from", New}, {"to", Old}}, json({{"isLastPage", true}, {"values", values}}));
    m_scm.on("/bitbucket/rest/api/1.0/projects/SPKR/repos/keel-app/compare/commits",
             {{"from", New}, {"to", "dead"}},
             R"({"errors":[{"message":"Commit 'dead' does not exist in repository 'keel-app'."}]})",
             404);

    // GitHub Enterprise under /api/v3, oldest first.
    QJsonArray commits;
    for (int i = 1; i <= 2; ++i)
        commits.append(QJsonObject{
            {"sha", shaOf(i)},
            {"html_url", QString(QStringLiteral("https://ghe.test/acme/app/commit/") + shaOf(i))},
            {"commit",
             QJsonObject{
                 {"message", QStringLiteral("Change %1").arg(i)},
                 {"author",
                  QJsonObject{{"name", "Grace"},
                              {"date", QStringLiteral("2024-05-01T09:0%1:00Z").arg(i)}}}}}});
    m_scm.on(QStringLiteral("/api/v3/repos/acme/app/compare/") + Old + "..." + New, {},
             json({{"total_commits", 2}, {"commits", commits}}));

    m_registry = std::make_unique<SourceRegistry>(&m_store);
    m_service = std::make_unique<ScmCompareService>();
    m_service->setHosts({ScmHost::fromBaseUrl(ScmKind::BitbucketServer, m_scm.url("/bitbucket")),
                         ScmHost::fromBaseUrl(ScmKind::GitHub, m_scm.url("/api/v3"))});

    ServerOptions options;
    options.port = 0;
    m_server = std::make_unique<IgorServer>(m_registry.get(), options);
    QVERIFY(scm::addCompareCommitsRoutes(*m_server, m_service.get(), 5'000));
    QVERIFY(m_server->start().ok());
}

void TestCompareCommitsRoute::cleanupTestCase()
{
    m_server.reset();
}

void TestCompareCommitsRoute::stashNewestFirstInMilliseconds()
{
    const testing::HttpResponse response = client().get(
        "/stash/SPKR/keel-app/compareCommits?from=" + New.toLatin1() + "&to=" + Old.toLatin1());
    QCOMPARE(response.status, 200);
    const QJsonArray commits = response.json().array();
    QCOMPARE(commits.size(), 3);

    const QJsonObject first = commits.first().toObject();
    QCOMPARE(first.value("id").toString(), shaOf(3));
    QCOMPARE(first.value("displayId").toString(), shaOf(3).left(11));
    QCOMPARE(first.value("authorDisplayName").toString(), QStringLiteral("Ada"));
    QCOMPARE(first.value("message").toString(), QStringLiteral("Change 3"));
    QVERIFY(first.value("timestamp").isDouble());
    QCOMPARE(qint64(first.value("timestamp").toDouble()), qint64(1714554003000));
    QCOMPARE(first.value("commitUrl").toString(),
             m_scm.url("/bitbucket/projects/SPKR/repos/keel-app/commits/" + shaOf(3)).toString());
    QCOMPARE(commits.last().toObject().value("id").toString(), shaOf(1));
}

void TestCompareCommitsRoute::stashLimit()
{
    const testing::HttpResponse response
        = client().get("/stash/SPKR/keel-app/compareCommits?from=" + New.toLatin1()
                       + "&to=" + Old.toLatin1() + "&limit=2");
    QCOMPARE(response.status, 200);
    const QJsonArray commits = response.json().array();
    QCOMPARE(commits.size(), 2);
    QCOMPARE(commits.first().toObject().value("id").toString(), shaOf(3));
}

void TestCompareCommitsRoute::gitHubOldestFirstInIsoTime()
{
    const testing::HttpResponse response = client().get(
        "/github/acme/app/compareCommits?from=" + New.toLatin1() + "&to=" + Old.toLatin1());
    QCOMPARE(response.status, 200);
    const QJsonArray commits = response.json().array();
    QCOMPARE(commits.size(), 2);
    const QJsonObject first = commits.first().toObject();
    QCOMPARE(first.value("id").toString(), shaOf(1));
    QCOMPARE(first.value("displayId").toString(), shaOf(1).left(7));
    QCOMPARE(first.value("timestamp").toString(), QStringLiteral("2024-05-01T09:01:00Z"));
    QCOMPARE(first.value("commitUrl").toString(),
             QStringLiteral("https://ghe.test/acme/app/commit/") + shaOf(1));
}

void TestCompareCommitsRoute::unknownRevisionAnswersThePlaceholder()
{
    const testing::HttpResponse response
        = client().get("/stash/SPKR/keel-app/compareCommits?from=" + New.toLatin1() + "&to=dead");
    QCOMPARE(response.status, 200);
    const QJsonArray commits = response.json().array();
    QCOMPARE(commits.size(), 1);
    const QJsonObject placeholder = commits.first().toObject();
    QCOMPARE(placeholder.value("id").toString(), QStringLiteral("NOT_FOUND"));
    QCOMPARE(placeholder.value("message").toString(),
             QStringLiteral("could not find any commits from ") + New + " to dead in "
                 + m_scm.url("/bitbucket").toString() + " SPKR/keel-app");
}

void TestCompareCommitsRoute::missingParameter_data()
{
    QTest::addColumn<QByteArray>("query");
    QTest::newRow("no to") << QByteArray("?from=abc");
    QTest::newRow("no from") << QByteArray("?to=abc");
    QTest::newRow("empty to") << QByteArray("?from=abc&to=");
}

void TestCompareCommitsRoute::missingParameter()
{
    QFETCH(QByteArray, query);
    const testing::HttpResponse response = client().get("/github/acme/app/compareCommits" + query);
    QCOMPARE(response.status, 400);
    QCOMPARE(response.json().object().value("message").toString(),
             QStringLiteral("toCommit and fromCommit parameters are required in the query "
                            "string"));
}

void TestCompareCommitsRoute::kindNotConfigured()
{
    const testing::HttpResponse response
        = client().get("/gitlab/platform/orca/compareCommits?from=a&to=b");
    QCOMPARE(response.status, 404);
    QCOMPARE(response.json().object().value("message").toString(),
             QStringLiteral("No GitLab server is configured."));
}

void TestCompareCommitsRoute::budgetSpent()
{
    SilentTransport silent;
    ScmCompareService service;
    service.setTransport(&silent);
    service.setHosts({ScmHost::fromBaseUrl(ScmKind::GitHub, m_scm.url("/api/v3"))});

    ServerOptions options;
    options.port = 0;
    IgorServer server(m_registry.get(), options);
    QVERIFY(scm::addCompareCommitsRoutes(server, &service, 300));
    QVERIFY(server.start().ok());

    QElapsedTimer timer;
    timer.start();
    const testing::HttpResponse response
        = testing::HttpClient(server.baseUrl()).get("/github/acme/app/compareCommits?from=a&to=b");
    QCOMPARE(response.status, 503);
    QVERIFY(timer.elapsed() >= 300);
    QCOMPARE(response.json().object().value("message").toString(),
             QStringLiteral("The SCM server did not answer within 0.3 s."));
}

QTEST_GUILESS_MAIN(TestCompareCommitsRoute)
#include "tst_comparecommitsroute.moc"
