// SPDX-License-Identifier: GPL-3.0-or-later
// The GitHub Actions provider against a fake GitHub API on loopback (fakegithub.h).
#include "core/net/httpclient.h"
#include "core/providers/github/githubprovider.h"
#include "core/server/igorserver.h"
#include "core/service/sourceregistry.h"
#include "core/store/buildstore.h"
#include "tests/providers/github/fakegithub.h"
#include "tests/server/httpclient.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

using namespace cic;
using cic::test::FakeArtifact;
using cic::test::FakeGitHub;
using cic::test::FakeJob;
using cic::test::FakeRun;
using cic::test::RecordedRequest;

namespace {

const QString ShaA = QStringLiteral("3f1c0de5a7b9e2d4c6f8a0b1c2d3e4f5a6b7c8d9");
const QString ShaB = QStringLiteral("1111111111111111111111111111111111111111");
const QString ShaC = QStringLiteral("2222222222222222222222222222222222222222");
const QString ShaD = QStringLiteral("4444444444444444444444444444444444444444");

const QByteArray BuildLog = "2024-05-01T10:00:06.1234567Z compiling\n"
                            "2024-05-01T10:00:09.0000000Z done\n";
const QByteArray TestLog = "2024-05-01T10:01:00.0000000Z ok: 40 tests"; // no final newline

// Newest first: a queued run, a finished pull-request run with artifacts, a failed run on a
// branch, and a release run that is still deploying.
QList<FakeRun> defaultRuns()
{
    FakeRun queued;
    queued.id = 9000000005;
    queued.number = 60;
    queued.status = QStringLiteral("queued");
    queued.sha = ShaD;

    FakeRun passed;
    passed.id = 9000000004;
    passed.number = 59;
    passed.sha = ShaA;
    passed.pullRequest = 12;
    passed.jobs = {FakeJob{101, QStringLiteral("build"), QStringLiteral("completed"),
                           QStringLiteral("success"), BuildLog},
                   FakeJob{102, QStringLiteral("test"), QStringLiteral("completed"),
                           QStringLiteral("success"), TestLog}};
    passed.artifacts = {FakeArtifact{501, QStringLiteral("app-linux"), false, "PK\x03\x04linux"},
                        FakeArtifact{502, QStringLiteral("coverage"), true, "PK\x03\x04old"}};

    FakeRun failed;
    failed.id = 9000000003;
    failed.number = 58;
    failed.conclusion = QStringLiteral("failure");
    failed.sha = ShaB;
    failed.branch = QStringLiteral("feature/x");
    failed.jobs = {FakeJob{103, QStringLiteral("build"), QStringLiteral("completed"),
                           QStringLiteral("failure"), "error: boom\n"}};

    FakeRun releasing;
    releasing.id = 9000000002;
    releasing.number = 12;
    releasing.workflow = QStringLiteral("Release");
    releasing.status = QStringLiteral("in_progress");
    releasing.sha = ShaC;
    releasing.jobs = {FakeJob{104, QStringLiteral("build"), QStringLiteral("completed"),
                              QStringLiteral("success"), "built\n"},
                      FakeJob{105, QStringLiteral("deploy"), QStringLiteral("in_progress"),
                              QString(), "deployed\n"}};

    return {queued, passed, failed, releasing};
}

template<typename T> T waitFor(QFuture<T> future, int timeoutMs = 20'000)
{
    if (!QTest::qWaitFor([&] { return future.isFinished(); }, timeoutMs))
        qFatal("the request did not finish within %d ms", timeoutMs);
    return future.result();
}

BuildPtr byNumber(const BuildList &builds, int number)
{
    for (const BuildPtr &build : builds) {
        if (build->number == number)
            return build;
    }
    return {};
}

QList<RecordedRequest> requestsTo(FakeGitHub &fake, const QByteArray &pathPart)
{
    QList<RecordedRequest> matching;
    const QList<RecordedRequest> all = fake.server().requests();
    for (const RecordedRequest &request : all) {
        if (request.encodedPath.contains(pathPart))
            matching.append(request);
    }
    return matching;
}

} // namespace

class TestGitHubProvider : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<FakeGitHub> m_fake;

    GitHubActionsSettings settings(const FakeGitHub &fake) const
    {
        GitHubActionsSettings settings;
        settings.name = QStringLiteral("gh");
        settings.baseUrl = fake.apiBase();
        settings.repositories = {QStringLiteral("acme/app")};
        settings.token = QStringLiteral("s3cret");
        settings.pageSize = 2; // every listing pages
        return settings;
    }

    BuildPtr recent(GitHubActionsProvider &provider, int number)
    {
        const Result<BuildList> builds = waitFor(provider.fetchRecentBuilds());
        if (!builds)
            qWarning("%s", qPrintable(builds.error()));
        return builds ? byNumber(builds.value(), number) : BuildPtr();
    }

private Q_SLOTS:
    void init()
    {
        m_fake = std::make_unique<FakeGitHub>();
        QVERIFY(m_fake->start());
        m_fake->runs = defaultRuns();
    }

    void cleanup() { m_fake.reset(); }

    void mapsRunsToBuilds()
    {
        GitHubActionsProvider provider(settings(*m_fake));
        const Result<BuildList> builds = waitFor(provider.fetchRecentBuilds());
        QVERIFY2(builds, qPrintable(builds.error()));
        QCOMPARE(builds->size(), 4);

        const BuildPtr passed = byNumber(builds.value(), 59);
        QVERIFY(passed);
        QCOMPARE(passed->id, QStringLiteral("gh-acme~app-9000000004"));
        QCOMPARE(passed->source, QStringLiteral("gh"));
        QCOMPARE(passed->project, QStringLiteral("acme/app"));
        QCOMPARE(passed->name, QStringLiteral("CI"));
        QCOMPARE(passed->fullDisplayName, QStringLiteral("acme/app CI #59"));
        QCOMPARE(passed->url,
                 m_fake->webBase() + QStringLiteral("/acme/app/actions/runs/9000000004"));
        QCOMPARE(passed->effectiveResult(), BuildResult::Success);
        QCOMPARE(passed->durationMs.value_or(0), 245'000);
        QCOMPARE(passed->properties.value(QStringLiteral("startedAt")),
                 QStringLiteral("2024-05-01T10:00:05Z"));
        QCOMPARE(passed->properties.value(QStringLiteral("completedAt")),
                 QStringLiteral("2024-05-01T10:04:10Z"));
        QCOMPARE(passed->properties.value(QStringLiteral("projectKey")), QStringLiteral("acme"));
        QCOMPARE(passed->properties.value(QStringLiteral("repoSlug")), QStringLiteral("app"));
        QCOMPARE(passed->properties.value(QStringLiteral("pullRequestNumber")),
                 QStringLiteral("12"));
        QCOMPARE(passed->properties.value(QStringLiteral("pullRequestUrl")),
                 m_fake->webBase() + QStringLiteral("/acme/app/pull/12"));

        QCOMPARE(passed->scm.size(), 1);
        const GitRevision &revision = passed->scm.first();
        QCOMPARE(revision.sha1, ShaA);
        QCOMPARE(revision.branch, QStringLiteral("main"));
        QCOMPARE(revision.name, QStringLiteral("refs/heads/main"));
        QCOMPARE(revision.committer, QStringLiteral("Ada"));
        QCOMPARE(revision.message, QStringLiteral("Fix flaky parser test\n\nDetails here."));
        QCOMPARE(revision.timestamp,
                 QDateTime::fromString(QStringLiteral("2024-05-01T09:58:00Z"), Qt::ISODate));
        QCOMPARE(revision.compareUrl,
                 m_fake->webBase() + QStringLiteral("/acme/app/commit/") + ShaA);

        QCOMPARE(passed->artifacts.size(), 2);
        const BuildArtifact &linuxZip = passed->artifacts.at(0);
        QCOMPARE(linuxZip.name, QStringLiteral("app-linux"));
        QCOMPARE(linuxZip.fileName, QStringLiteral("app-linux.zip"));
        QCOMPARE(linuxZip.url,
                 m_fake->apiBase().toString()
                     + QStringLiteral("/repos/acme/app/actions/artifacts/501/zip"));
        QCOMPARE(linuxZip.metadata.value(QStringLiteral("sizeInBytes")), QStringLiteral("9"));
        QCOMPARE(linuxZip.metadata.value(QStringLiteral("expired")), QStringLiteral("false"));
        QCOMPARE(passed->artifacts.at(1).metadata.value(QStringLiteral("expired")),
                 QStringLiteral("true"));

        const BuildPtr failed = byNumber(builds.value(), 58);
        QCOMPARE(failed->effectiveResult(), BuildResult::Failure);
        QCOMPARE(failed->scm.first().branch, QStringLiteral("feature/x"));
        QVERIFY(!failed->properties.contains(QStringLiteral("pullRequestNumber")));

        const BuildPtr releasing = byNumber(builds.value(), 12);
        QCOMPARE(releasing->name, QStringLiteral("Release"));
        QVERIFY(releasing->building);
        QCOMPARE(releasing->effectiveResult(), BuildResult::Building);
        QVERIFY(!releasing->properties.contains(QStringLiteral("completedAt")));
        QVERIFY(releasing->artifacts.isEmpty());

        const BuildPtr queued = byNumber(builds.value(), 60);
        QVERIFY(!queued->building);
        QCOMPARE(queued->effectiveResult(), BuildResult::NotBuilt);

        // Artifacts were asked for the finished runs only.
        QCOMPARE(requestsTo(*m_fake, "/artifacts").size(), 2);
    }

    // An old run is asked for by the run id its build id ends with.
    void fetchesABuildById()
    {
        GitHubActionsProvider provider(settings(*m_fake));
        const Result<BuildPtr> found
            = waitFor(provider.fetchBuild(QStringLiteral("gh-acme~app-9000000004")));
        QVERIFY2(found, qPrintable(found.error()));
        QVERIFY(found.value());
        QCOMPARE(found.value()->number, 59);
        QCOMPARE(found.value()->effectiveResult(), BuildResult::Success);
        QVERIFY(!requestsTo(*m_fake, "/actions/runs/9000000004").isEmpty());
        QCOMPARE(requestsTo(*m_fake, "/actions/runs?").size(), 0);

        const Result<BuildPtr> missing
            = waitFor(provider.fetchBuild(QStringLiteral("gh-acme~app-9999")));
        QVERIFY(!missing);
        QVERIFY2(missing.error().contains(QStringLiteral("9999")), qPrintable(missing.error()));
    }

    void sendsTheApiHeaders()
    {
        GitHubActionsProvider provider(settings(*m_fake));
        QVERIFY(waitFor(provider.fetchRecentBuilds()));
        const QList<RecordedRequest> requests = requestsTo(*m_fake, "/actions/runs");
        QVERIFY(!requests.isEmpty());
        for (const RecordedRequest &request : requests) {
            QCOMPARE(request.header("authorization"), QByteArray("Bearer s3cret"));
            QCOMPARE(request.header("accept"), QByteArray("application/vnd.github+json"));
            QCOMPARE(request.header("x-github-api-version"), QByteArray("2022-11-28"));
        }
    }

    void followsLinkPages_data()
    {
        QTest::addColumn<int>("recentRuns");
        QTest::addColumn<int>("builds");
        QTest::addColumn<QStringList>("pages");
        QTest::newRow("all") << 30 << 4 << QStringList{"", "2"};
        QTest::newRow("stops at the limit") << 3 << 3 << QStringList{"", "2"};
        QTest::newRow("one page") << 2 << 2 << QStringList{""};
    }

    void followsLinkPages()
    {
        QFETCH(int, recentRuns);
        QFETCH(int, builds);
        QFETCH(QStringList, pages);

        GitHubActionsSettings limited = settings(*m_fake);
        limited.recentRuns = recentRuns;
        limited.fetchArtifacts = false;
        GitHubActionsProvider provider(limited);
        const Result<BuildList> answer = waitFor(provider.fetchRecentBuilds());
        QVERIFY2(answer, qPrintable(answer.error()));
        QCOMPARE(answer->size(), builds);

        QStringList asked;
        for (const RecordedRequest &request : requestsTo(*m_fake, "/actions/runs")) {
            QCOMPARE(request.queryValue(QStringLiteral("per_page")), QStringLiteral("2"));
            asked.append(request.queryValue(QStringLiteral("page")));
        }
        QCOMPARE(asked, pages);
    }

    void filtersRuns_data()
    {
        QTest::addColumn<QString>("headSha");
        QTest::addColumn<QString>("branch");
        QTest::addColumn<QList<int>>("numbers");
        QTest::newRow("head_sha") << ShaB << QString() << QList<int>{58};
        QTest::newRow("branch") << QString() << QStringLiteral("feature/x") << QList<int>{58};
        QTest::newRow("main") << QString() << QStringLiteral("main") << QList<int>{60, 59, 12};
        QTest::newRow("nothing") << ShaB << QStringLiteral("main") << QList<int>{};
    }

    void filtersRuns()
    {
        QFETCH(QString, headSha);
        QFETCH(QString, branch);
        QFETCH(QList<int>, numbers);

        GitHubActionsProvider provider(settings(*m_fake));
        GitHubRunFilter filter;
        filter.headSha = headSha;
        filter.branch = branch;
        const Result<BuildList> runs = waitFor(provider.fetchRuns(
            github::Repository{QStringLiteral("acme"), QStringLiteral("app")}, filter));
        QVERIFY2(runs, qPrintable(runs.error()));
        QList<int> found;
        for (const BuildPtr &build : runs.value())
            found.append(build->number);
        QCOMPARE(found, numbers);

        const RecordedRequest first = requestsTo(*m_fake, "/actions/runs").first();
        QCOMPARE(first.queryValue(QStringLiteral("head_sha")), headSha);
        QCOMPARE(first.queryValue(QStringLiteral("branch")), branch);
    }

    void findsBuilds_data()
    {
        QTest::addColumn<QString>("commitPrefix");
        QTest::addColumn<int>("buildNumber");
        QTest::addColumn<QString>("projectKey");
        QTest::addColumn<QList<int>>("numbers");
        QTest::addColumn<bool>("filteredByGitHub");

        QTest::newRow("prefix") << ShaA.left(7) << 0 << QString() << QList<int>{59} << false;
        QTest::newRow("whole commit") << ShaA << 0 << QString() << QList<int>{59} << true;
        QTest::newRow("number") << QString() << 58 << QString() << QList<int>{58} << false;
        QTest::newRow("number and commit") << ShaA << 58 << QString() << QList<int>{} << true;
        QTest::newRow("other owner")
            << ShaA << 0 << QStringLiteral("nobody") << QList<int>{} << false;
        QTest::newRow("owner in another case")
            << ShaC.left(10) << 0 << QStringLiteral("ACME") << QList<int>{12} << false;
    }

    void findsBuilds()
    {
        QFETCH(QString, commitPrefix);
        QFETCH(int, buildNumber);
        QFETCH(QString, projectKey);
        QFETCH(QList<int>, numbers);
        QFETCH(bool, filteredByGitHub);

        GitHubActionsProvider provider(settings(*m_fake));
        BuildQuery query;
        query.commitPrefix = commitPrefix;
        if (buildNumber > 0)
            query.buildNumber = buildNumber;
        query.projectKey = projectKey;
        const Result<BuildList> found = waitFor(provider.findBuilds(query));
        QVERIFY2(found, qPrintable(found.error()));
        QList<int> got;
        for (const BuildPtr &build : found.value())
            got.append(build->number);
        QCOMPARE(got, numbers);

        const QList<RecordedRequest> listings = requestsTo(*m_fake, "/actions/runs");
        if (projectKey == QLatin1String("nobody")) {
            QVERIFY(listings.isEmpty()); // not a configured repository: nothing to ask
            return;
        }
        QVERIFY(!listings.isEmpty());
        QCOMPARE(listings.first().queryValue(QStringLiteral("head_sha")),
                 filteredByGitHub ? commitPrefix : QString());
    }

    void reusesAnswersByEtag()
    {
        GitHubActionsSettings plain = settings(*m_fake);
        plain.fetchArtifacts = false;
        GitHubActionsProvider provider(plain);
        const Result<BuildList> first = waitFor(provider.fetchRecentBuilds());
        QVERIFY2(first, qPrintable(first.error()));
        QCOMPARE(m_fake->notModified(), 0);
        m_fake->server().clearRequests();

        const Result<BuildList> second = waitFor(provider.fetchRecentBuilds());
        QVERIFY2(second, qPrintable(second.error()));
        QCOMPARE(m_fake->notModified(), 2); // both pages
        for (const RecordedRequest &request : m_fake->server().requests())
            QVERIFY(request.header("if-none-match").startsWith("W/\""));
        QCOMPARE(second->size(), first->size());
        for (qsizetype i = 0; i < first->size(); ++i) {
            Build before = *first->at(i);
            Build after = *second->at(i);
            // The time of a run that has not finished counts up between the two reads.
            if (!before.properties.contains(QStringLiteral("completedAt")))
                before.durationMs = after.durationMs;
            QCOMPARE(after, before);
        }

        // A changed answer comes through in full.
        m_fake->runs[1].conclusion = QStringLiteral("cancelled");
        const Result<BuildList> third = waitFor(provider.fetchRecentBuilds());
        QVERIFY(third);
        QCOMPARE(byNumber(third.value(), 59)->effectiveResult(), BuildResult::Aborted);
    }

    void waitsForTheRateLimit_data()
    {
        QTest::addColumn<int>("status");
        QTest::newRow("403") << 403;
        QTest::newRow("429") << 429;
    }

    void waitsForTheRateLimit()
    {
        QFETCH(int, status);
        m_fake->rateLimitStatus = status;
        m_fake->rateLimitResetSeconds = 2;

        GitHubActionsProvider provider(settings(*m_fake));
        QSignalSpy waiting(provider.http(), &net::HttpClient::waiting);
        QElapsedTimer timer;
        timer.start();
        const Result<BuildList> builds = waitFor(provider.fetchRecentBuilds());
        QVERIFY2(builds, qPrintable(builds.error()));
        QCOMPARE(builds->size(), 4);

        // The reset is 1-2 s ahead (epoch seconds); the pause is announced before it starts.
        QVERIFY(timer.elapsed() >= 900);
        QVERIFY(waiting.count() >= 1);
        const QString message = waiting.first().at(0).toString();
        QVERIFY2(message.contains(QLatin1String("rate limit")), qPrintable(message));
        QVERIFY(waiting.first().at(1).toLongLong() > 0);
    }

    void readsJobLogsWithoutTheToken()
    {
        GitHubActionsProvider provider(settings(*m_fake));
        const BuildPtr passed = recent(provider, 59);
        QVERIFY(passed);
        m_fake->server().clearRequests();

        const Result<LogChunk> log = waitFor(provider.fetchLog(*passed, 0));
        QVERIFY2(log, qPrintable(log.error()));
        const QByteArray expected = "=== job build: success ===\n" + BuildLog
            + "\n=== job test: success ===\n" + TestLog + "\n";
        QCOMPARE(log->text, expected);
        QCOMPARE(log->offset, 0);
        QCOMPARE(log->nextOffset, expected.size());
        QVERIFY(log->complete);

        // The API saw the token; the signed URL on the same host did not.
        const QList<RecordedRequest> api = requestsTo(*m_fake, "/actions/jobs/");
        QCOMPARE(api.size(), 2);
        for (const RecordedRequest &request : api)
            QCOMPARE(request.header("authorization"), QByteArray("Bearer s3cret"));
        const QList<RecordedRequest> signedRequests = requestsTo(*m_fake, "/_signed/joblog/");
        QCOMPARE(signedRequests.size(), 2);
        for (const RecordedRequest &request : signedRequests) {
            QVERIFY(request.header("authorization").isEmpty());
            QVERIFY(request.header("x-github-api-version").isEmpty());
        }

        const Result<LogChunk> rest = waitFor(provider.fetchLog(*passed, log->nextOffset));
        QVERIFY(rest);
        QVERIFY(rest->text.isEmpty());
        QVERIFY(rest->complete);
    }

    void aJobWithoutALogSaysSo()
    {
        FakeRun *failed = m_fake->run(9000000003);
        failed->jobs[0].logGone = true;
        failed->jobs.append(FakeJob{106, QStringLiteral("lint"), QStringLiteral("completed"),
                                    QStringLiteral("success"), "clean\n"});
        GitHubActionsProvider provider(settings(*m_fake));
        const BuildPtr build = recent(provider, 58);
        QVERIFY(build);

        const Result<LogChunk> log = waitFor(provider.fetchLog(*build, 0));
        QVERIFY2(log, qPrintable(log.error()));
        QCOMPARE(log->text,
                 QByteArray("=== job build: failure ===\n(GitHub has no log for job "
                            "build; logs are kept for a limited time; HTTP 410)\n"
                            "\n=== job lint: success ===\nclean\n"));
        QVERIFY(log->complete);
    }

    void followsARunningRun()
    {
        GitHubActionsProvider provider(settings(*m_fake));
        const BuildPtr releasing = recent(provider, 12);
        QVERIFY(releasing);

        const Result<LogChunk> first = waitFor(provider.fetchLog(*releasing, 0));
        QVERIFY2(first, qPrintable(first.error()));
        QVERIFY(!first->complete);
        QVERIFY(first->text.startsWith("=== job build: success ===\nbuilt\n"));
        QVERIFY2(first->text.contains("=== job deploy: in_progress; GitHub serves a job's log "
                                      "once the job has finished"),
                 first->text.constData());
        QCOMPARE(requestsTo(*m_fake, "/actions/jobs/105/").size(), 0); // not asked while running

        // Nothing new yet: an empty piece, still not complete.
        const Result<LogChunk> same = waitFor(provider.fetchLog(*releasing, first->nextOffset));
        QVERIFY(same);
        QVERIFY(same->text.isEmpty());
        QVERIFY(!same->complete);

        FakeRun *run = m_fake->run(9000000002);
        run->jobs[1].status = QStringLiteral("completed");
        run->jobs[1].conclusion = QStringLiteral("success");
        run->status = QStringLiteral("completed");

        const Result<LogChunk> second = waitFor(provider.fetchLog(*releasing, first->nextOffset));
        QVERIFY2(second, qPrintable(second.error()));
        QCOMPARE(second->offset, first->nextOffset);
        QCOMPARE(second->text, QByteArray("\n=== job deploy: success ===\ndeployed\n"));
        QCOMPARE(second->nextOffset, first->nextOffset + second->text.size());
        QVERIFY(second->complete);

        // Read afresh once it has finished, the log holds each job once, in the run's order.
        GitHubActionsProvider fresh(settings(*m_fake));
        const Result<LogChunk> whole = waitFor(fresh.fetchLog(*releasing, 0));
        QVERIFY(whole);
        QCOMPARE(whole->text,
                 QByteArray("=== job build: success ===\nbuilt\n\n"
                            "=== job deploy: success ===\ndeployed\n"));

        // An offset it did not answer: the log from there.
        GitHubActionsProvider other(settings(*m_fake));
        const Result<LogChunk> tail = waitFor(other.fetchLog(*releasing, 10));
        QVERIFY(tail);
        QCOMPARE(tail->offset, 10);
        QCOMPARE(tail->text, whole->text.mid(10));
    }

    void downloadsArtifacts()
    {
        GitHubActionsProvider provider(settings(*m_fake));
        const BuildPtr passed = recent(provider, 59);
        QVERIFY(passed);
        m_fake->server().clearRequests();

        const Result<QByteArray> zip = waitFor(provider.downloadArtifact(passed->artifacts.at(0)));
        QVERIFY2(zip, qPrintable(zip.error()));
        QCOMPARE(zip.value(), QByteArray("PK\x03\x04linux"));
        const QList<RecordedRequest> signedRequests = requestsTo(*m_fake, "/_signed/artifact/");
        QCOMPARE(signedRequests.size(), 1);
        QVERIFY(signedRequests.first().header("authorization").isEmpty());

        const Result<QByteArray> expired
            = waitFor(provider.downloadArtifact(passed->artifacts.at(1)));
        QVERIFY(!expired);
        QVERIFY2(expired.error().contains(QLatin1String("coverage has expired")),
                 qPrintable(expired.error()));
        QVERIFY2(expired.error().contains(QLatin1String("410")), qPrintable(expired.error()));
    }

    void readsAnEnterpriseServer()
    {
        FakeGitHub enterprise(QStringLiteral("/api/v3"));
        QVERIFY(enterprise.start());
        enterprise.runs = defaultRuns();

        GitHubActionsProvider provider(settings(enterprise));
        QCOMPARE(provider.webBase(), enterprise.webBase());
        const Result<BuildList> builds = waitFor(provider.fetchRecentBuilds());
        QVERIFY2(builds, qPrintable(builds.error()));
        QCOMPARE(builds->size(), 4);

        const BuildPtr passed = byNumber(builds.value(), 59);
        QCOMPARE(passed->scm.first().compareUrl,
                 enterprise.webBase() + QStringLiteral("/acme/app/commit/") + ShaA);
        QCOMPARE(passed->properties.value(QStringLiteral("pullRequestUrl")),
                 enterprise.webBase() + QStringLiteral("/acme/app/pull/12"));
        const Result<LogChunk> log = waitFor(provider.fetchLog(*passed, 0));
        QVERIFY2(log, qPrintable(log.error()));
        QVERIFY(log->text.contains(BuildLog));

        for (const RecordedRequest &request : enterprise.server().requests()) {
            QVERIFY2(request.encodedPath.startsWith("/api/v3/repos/acme/app/")
                         || request.encodedPath.startsWith("/_signed/"),
                     request.encodedPath.constData());
        }
        const Result<QList<SourceProject>> projects = waitFor(provider.listProjects());
        QVERIFY(projects);
        QCOMPARE(projects->first().url, enterprise.webBase() + QStringLiteral("/acme/app/actions"));
    }

    void reportsMalformedJson()
    {
        m_fake->malformed = true;
        GitHubActionsProvider provider(settings(*m_fake));
        const Result<BuildList> builds = waitFor(provider.fetchRecentBuilds());
        QVERIFY(!builds);
        QVERIFY2(builds.error().contains(QLatin1String("malformed JSON")),
                 qPrintable(builds.error()));
        QVERIFY2(builds.error().startsWith(QLatin1String("gh: ")), qPrintable(builds.error()));
    }

    void reportsRejectedCredentials()
    {
        GitHubActionsSettings wrong = settings(*m_fake);
        wrong.token = QStringLiteral("expired-token");
        GitHubActionsProvider provider(wrong);
        const Result<BuildList> builds = waitFor(provider.fetchRecentBuilds());
        QVERIFY(!builds);
        QVERIFY2(builds.error().contains(QLatin1String("401")), qPrintable(builds.error()));

        const ConnectionCheck check = waitFor(provider.checkConnection());
        QCOMPARE(int(check.verdict), int(ConnectionCheck::Verdict::Failed));
        QVERIFY2(check.summary.contains(QLatin1String("401")), qPrintable(check.summary));
        QVERIFY(!check.hint.isEmpty());
    }

    void checksTheConnection()
    {
        GitHubActionsProvider provider(settings(*m_fake));
        const ConnectionCheck check = waitFor(provider.checkConnection());
        QCOMPARE(int(check.verdict), int(ConnectionCheck::Verdict::Ok));
        QVERIFY2(check.summary.contains(QLatin1String("1 repository")), qPrintable(check.summary));
        QVERIFY2(check.summary.contains(QLatin1String("4990 requests left")),
                 qPrintable(check.summary));

        GitHubActionsSettings unknown = settings(*m_fake);
        unknown.repositories = {QStringLiteral("acme/gone")};
        GitHubActionsProvider missing(unknown);
        const ConnectionCheck failed = waitFor(missing.checkConnection());
        QCOMPARE(int(failed.verdict), int(ConnectionCheck::Verdict::Failed));
        QVERIFY2(failed.hint.contains(QLatin1String("owner/name")), qPrintable(failed.hint));
    }

    void servesIgorsApi()
    {
        BuildStore store;
        SourceRegistry registry(&store);
        registry.addSource(new GitHubActionsProvider(settings(*m_fake)));
        ServerOptions options;
        options.port = 0;
        options.lookupBudgetMs = 10'000;
        IgorServer server(&registry, options);
        const Result<quint16> port = server.start();
        QVERIFY2(port, qPrintable(port.error()));
        testing::HttpClient client(server.baseUrl());

        // keel's question for a commit the store has not seen: looked up in GitHub.
        const testing::HttpResponse byCommit
            = client.get("/ci/builds?commitId=" + ShaA.left(12).toLatin1());
        QCOMPARE(byCommit.status, 200);
        QCOMPARE(byCommit.json().array().size(), 1);
        const QJsonObject build = byCommit.json().array().first().toObject();
        QCOMPARE(build.value(QLatin1String("number")).toInt(), 59);
        QCOMPARE(build.value(QLatin1String("id")).toString(),
                 QStringLiteral("gh-acme~app-9000000004"));
        const QJsonObject properties = build.value(QLatin1String("properties")).toObject();
        QCOMPARE(properties.value(QLatin1String("pullRequestNumber")), QJsonValue("12"));
        QCOMPARE(build.value(QLatin1String("artifacts")).toArray().size(), 2);

        registry.refresh();
        QTRY_COMPARE_WITH_TIMEOUT(int(registry.status(QStringLiteral("gh")).state),
                                  int(SourceStatus::State::Ok), 10'000);
        const testing::HttpResponse running
            = client.get("/ci/builds?projectKey=acme&repoSlug=app&completionStatus=INCOMPLETE");
        QCOMPARE(running.status, 200);
        QCOMPARE(running.json().array().size(), 1);
        QCOMPARE(running.json().array().first().toObject().value(QLatin1String("result")),
                 QJsonValue("BUILDING"));

        const testing::HttpResponse output = client.get("/ci/builds/gh-acme~app-9000000004/output");
        QCOMPARE(output.status, 200);
        QCOMPARE(output.json().object().value(QLatin1String("log")).toString().toUtf8(),
                 "=== job build: success ===\n" + BuildLog + "\n=== job test: success ===\n"
                     + TestLog + "\n");
    }

    void aBrokenSourceLeavesTheOthersWorking()
    {
        FakeGitHub other;
        QVERIFY(other.start());
        other.runs = defaultRuns();
        other.token = "another-token"; // the broken source still sends s3cret

        BuildStore store;
        SourceRegistry registry(&store);
        registry.addSource(new GitHubActionsProvider(settings(*m_fake)));
        GitHubActionsSettings broken = settings(other);
        broken.name = QStringLiteral("gh-broken");
        registry.addSource(new GitHubActionsProvider(broken));

        registry.refresh();
        QTRY_COMPARE_WITH_TIMEOUT(int(registry.status(QStringLiteral("gh")).state),
                                  int(SourceStatus::State::Ok), 10'000);
        QTRY_COMPARE_WITH_TIMEOUT(int(registry.status(QStringLiteral("gh-broken")).state),
                                  int(SourceStatus::State::Failed), 10'000);
        QVERIFY(registry.status(QStringLiteral("gh-broken")).error.contains(QLatin1String("401")));
        QCOMPARE(registry.status(QStringLiteral("gh")).builds, 4);
        QCOMPARE(store.size(), 4);

        BuildQuery byCommit;
        byCommit.commitPrefix = ShaA.left(8);
        const BuildList found = waitFor(registry.lookup(byCommit, 10'000));
        QCOMPARE(found.size(), 1);
        QCOMPARE(found.first()->source, QStringLiteral("gh"));

        const Result<LogChunk> log = waitFor(registry.fetchLog(found.first()->id));
        QVERIFY2(log, qPrintable(log.error()));
        QVERIFY(log->text.contains(BuildLog));

        // Failing again keeps the good source's builds.
        registry.refresh(QStringLiteral("gh-broken"));
        QTRY_COMPARE_WITH_TIMEOUT(int(registry.status(QStringLiteral("gh-broken")).state),
                                  int(SourceStatus::State::Failed), 10'000);
        QCOMPARE(store.size(), 4);
    }
};

QTEST_GUILESS_MAIN(TestGitHubProvider)
#include "tst_githubprovider.moc"
