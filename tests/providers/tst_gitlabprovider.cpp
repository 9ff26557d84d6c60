// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/providers/gitlab/gitlabprovider.h"
#include "core/service/sourceregistry.h"
#include "core/store/buildstore.h"
#include "tests/support/fakegitlab.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

using namespace cic;
using cic::test::FakeGitLab;
using cic::test::FakeReply;

Q_DECLARE_METATYPE(cic::BuildResult)

namespace {

const QString ShaA = QStringLiteral("3f1c0de5a7b9e2d4c6f8a0b1c2d3e4f5a6b7c8d9");
const QString ShaB = QStringLiteral("89abcdef89abcdef89abcdef89abcdef89abcdef");
const QString Token = QStringLiteral("glpat-secret");

template<typename T> T wait(QFuture<T> future, int timeoutMs = 20000)
{
    if (!QTest::qWaitFor([&] { return future.isFinished(); }, timeoutMs))
        qFatal("no answer within %d ms", timeoutMs);
    return future.result();
}

void populate(FakeGitLab &gitlab)
{
    gitlab.setToken(Token);

    FakeGitLab::FakeProject app;
    app.id = 42;
    app.path = QStringLiteral("group/sub/app");
    app.commits.insert(
        ShaA,
        QJsonObject{
            {QStringLiteral("id"), ShaA},
            {QStringLiteral("title"), QStringLiteral("Fix flaky parser test")},
            {QStringLiteral("author_name"), QStringLiteral("Ada")},
            {QStringLiteral("committed_date"), QStringLiteral("2024-05-01T09:58:00.000+02:00")}});

    FakeGitLab::FakePipeline mergeRequest;
    mergeRequest.id = 5005;
    mergeRequest.iid = 81;
    mergeRequest.ref = QStringLiteral("refs/merge-requests/12/head");
    mergeRequest.source = QStringLiteral("merge_request_event");
    mergeRequest.sha = ShaB;
    app.pipelines.append(mergeRequest);

    FakeGitLab::FakePipeline running;
    running.id = 5004;
    running.iid = 80;
    running.status = QStringLiteral("running");
    running.sha = ShaA;
    running.jobs = {
        {101, QStringLiteral("compile"), QStringLiteral("build"), QStringLiteral("success"), false,
         true, QByteArray("compiling\n")},
        {102, QStringLiteral("unit"), QStringLiteral("test"), QStringLiteral("running"), true, true,
         QByteArray("test 1\n")},
        {103, QStringLiteral("deploy"), QStringLiteral("deploy"), QStringLiteral("created"), false,
         false, std::nullopt},
    };
    app.pipelines.append(running);

    FakeGitLab::FakePipeline canceled;
    canceled.id = 5003;
    canceled.iid = 79;
    canceled.status = QStringLiteral("canceled");
    canceled.sha = ShaA;
    canceled.jobs = {{99, QStringLiteral("compile"), QStringLiteral("build"),
                      QStringLiteral("canceled"), false, true, std::nullopt}};
    app.pipelines.append(canceled);

    FakeGitLab::FakePipeline warnings;
    warnings.id = 5002;
    warnings.iid = 78;
    warnings.status = QStringLiteral("success");
    warnings.detailedGroup = QStringLiteral("success-with-warnings");
    warnings.sha = ShaA;
    app.pipelines.append(warnings);

    FakeGitLab::FakePipeline passed;
    passed.id = 5001;
    passed.iid = 77;
    passed.sha = ShaA;
    FakeGitLab::FakeJob package{91, QStringLiteral("package"), QStringLiteral("build"),
                                QStringLiteral("success"), false, true, QByteArray("packing\n")};
    package.archive = QStringLiteral("artifacts.zip");
    package.archiveSize = 2048;
    FakeGitLab::FakeJob docs{92, QStringLiteral("docs"), QStringLiteral("build"),
                             QStringLiteral("success"), false, true, QByteArray("docs\n")};
    docs.archive = QStringLiteral("site.zip");
    docs.archiveSize = 77;
    docs.legacyArtifacts = true;
    FakeGitLab::FakeJob lint{90, QStringLiteral("lint"), QStringLiteral("test"),
                             QStringLiteral("success"), false, true, QByteArray("ok\n")};
    passed.jobs = {docs, lint, package};
    passed.testReport = QJsonObject{
        {QStringLiteral("total_count"), 12},
        {QStringLiteral("success_count"), 8},
        {QStringLiteral("failed_count"), 1},
        {QStringLiteral("skipped_count"), 2},
        {QStringLiteral("error_count"), 1},
        {QStringLiteral("test_suites"),
         QJsonArray{QJsonObject{
             {QStringLiteral("name"), QStringLiteral("unit")},
             {QStringLiteral("test_cases"),
              QJsonArray{
                  QJsonObject{{QStringLiteral("status"), QStringLiteral("success")},
                              {QStringLiteral("name"), QStringLiteral("parses")},
                              {QStringLiteral("classname"), QStringLiteral("ParserTest")}},
                  QJsonObject{{QStringLiteral("status"), QStringLiteral("failed")},
                              {QStringLiteral("name"), QStringLiteral("rejects garbage")},
                              {QStringLiteral("classname"), QStringLiteral("ParserTest")},
                              {QStringLiteral("system_output"),
                               QStringLiteral("expected an error, got 3")}},
                  QJsonObject{{QStringLiteral("status"), QStringLiteral("error")},
                              {QStringLiteral("name"), QStringLiteral("times out")},
                              {QStringLiteral("stack_trace"),
                               QStringLiteral("TimeoutError at line 4")}}}}}}}};
    app.pipelines.append(passed);
    gitlab.addProject(app);

    for (int i = 1; i <= 2; ++i) {
        FakeGitLab::FakeProject other;
        other.id = 50 + i;
        other.path = QStringLiteral("team/lib%1").arg(i);
        gitlab.addProject(other);
    }
}

GitLabSettings settingsFor(const FakeGitLab &gitlab)
{
    GitLabSettings settings;
    settings.name = QStringLiteral("gl");
    settings.address = gitlab.baseUrl();
    settings.privateToken = Token;
    settings.projects = {QStringLiteral("group/sub/app")};
    settings.pageLength = 2; // small pages, so paging is exercised
    settings.connection.timeoutMs = 5000;
    return settings;
}

GitLabProvider *makeProvider(const GitLabSettings &settings)
{
    auto *provider = new GitLabProvider(settings);
    provider->http()->setRetryPolicy(2, 10, 40);
    return provider;
}

BuildPtr byId(const BuildList &builds, const QString &id)
{
    for (const BuildPtr &build : builds) {
        if (build->id == id)
            return build;
    }
    return {};
}

} // namespace

class TestGitLabProvider : public QObject
{
    Q_OBJECT

private:
    FakeGitLab m_gitlab;
    std::unique_ptr<GitLabProvider> m_provider;

private Q_SLOTS:
    void initTestCase()
    {
        populate(m_gitlab);
        QVERIFY(m_gitlab.start());
        m_provider.reset(makeProvider(settingsFor(m_gitlab)));
    }

    void init()
    {
        m_gitlab.http().clearRequests();
        m_gitlab.clearOverrides();
    }

    void readsConfiguredProjectsByEncodedPath()
    {
        const Result<QList<SourceProject>> projects = wait(m_provider->listProjects());
        QVERIFY2(projects.ok(), qPrintable(projects.error()));
        QCOMPARE(projects->size(), 1);
        QCOMPARE(projects->first().id, QStringLiteral("group/sub/app"));
        QCOMPARE(m_gitlab.http().requests().first().encodedPath,
                 QByteArray("/api/v4/projects/group%2Fsub%2Fapp"));
        QCOMPARE(m_gitlab.http().requests().first().header("private-token"), Token.toUtf8());
    }

    void pagesThroughMembership()
    {
        GitLabSettings settings = settingsFor(m_gitlab);
        settings.projects.clear();
        std::unique_ptr<GitLabProvider> provider(makeProvider(settings));
        const Result<QList<SourceProject>> projects = wait(provider->listProjects());
        QVERIFY2(projects.ok(), qPrintable(projects.error()));
        QCOMPARE(projects->size(), 3);
        QCOMPARE(m_gitlab.http().count("/api/v4/projects"),
                 2); // two pages, the last with an empty X-Next-Page
        QCOMPARE(m_gitlab.http().requests().first().queryValue(QStringLiteral("membership")),
                 QStringLiteral("true"));
        QCOMPARE(m_gitlab.http().requests().last().queryValue(QStringLiteral("page")),
                 QStringLiteral("2"));
    }

    void mapsPipelines()
    {
        const Result<BuildList> builds = wait(m_provider->fetchRecentBuilds());
        QVERIFY2(builds.ok(), qPrintable(builds.error()));
        QCOMPARE(builds->size(), 5);
        QCOMPARE(m_gitlab.http().count("/api/v4/projects/group%2Fsub%2Fapp/pipelines?"), 0);
        // 3 pages of the list, then per pipeline its details and jobs, and for the four
        // finished ones the test report.
        QCOMPARE(m_gitlab.http().count("/api/v4/projects/group%2Fsub%2Fapp/pipelines"),
                 3 + 5 + 5 + 4);
        QCOMPARE(m_gitlab.http().count("/api/v4/projects/group%2Fsub%2Fapp/pipelines/5004/test"),
                 0);

        const BuildPtr passed = byId(builds.value(), QStringLiteral("gl-group~sub~app-5001"));
        QVERIFY(passed);
        QCOMPARE(passed->number, 77);
        QCOMPARE(passed->name, QStringLiteral("group/sub/app"));
        QCOMPARE(passed->fullDisplayName, QStringLiteral("group/sub/app #77"));
        QCOMPARE(passed->result, std::optional<BuildResult>(BuildResult::Success));
        QCOMPARE(passed->url,
                 m_gitlab.baseUrl().toString() + QStringLiteral("/group/sub/app/-/pipelines/5001"));
        QCOMPARE(passed->durationMs, std::optional<qint64>(244000));
        QCOMPARE(passed->projectKey(), QStringLiteral("group/sub"));
        QCOMPARE(passed->repoSlug(), QStringLiteral("app"));
        QCOMPARE(passed->properties.value(QStringLiteral("startedAt")),
                 QStringLiteral("2024-05-01T10:00:05Z"));
        QCOMPARE(passed->properties.value(QStringLiteral("completedAt")),
                 QStringLiteral("2024-05-01T10:04:09Z"));
        QCOMPARE(passed->scm.size(), 1);
        QCOMPARE(passed->scm.first().sha1, ShaA);
        QCOMPARE(passed->scm.first().branch, QStringLiteral("main"));
        QCOMPARE(passed->scm.first().message, QStringLiteral("Fix flaky parser test"));
        QCOMPARE(passed->scm.first().committer, QStringLiteral("Ada"));
        QCOMPARE(passed->scm.first().compareUrl,
                 m_gitlab.baseUrl().toString() + QStringLiteral("/group/sub/app/-/commit/") + ShaA);

        QCOMPARE(byId(builds.value(), QStringLiteral("gl-group~sub~app-5002"))->result,
                 std::optional<BuildResult>(BuildResult::Unstable));
        QCOMPARE(byId(builds.value(), QStringLiteral("gl-group~sub~app-5003"))->result,
                 std::optional<BuildResult>(BuildResult::Aborted));
        const BuildPtr running = byId(builds.value(), QStringLiteral("gl-group~sub~app-5004"));
        QVERIFY(running->building);
        QVERIFY(!running->properties.contains(QStringLiteral("completedAt")));

        const BuildPtr mergeRequest = byId(builds.value(), QStringLiteral("gl-group~sub~app-5005"));
        QCOMPARE(mergeRequest->properties.value(QStringLiteral("pullRequestNumber")),
                 QStringLiteral("12"));
        QCOMPARE(mergeRequest->properties.value(QStringLiteral("pullRequestUrl")),
                 m_gitlab.baseUrl().toString()
                     + QStringLiteral("/group/sub/app/-/merge_requests/12"));
        QVERIFY(mergeRequest->scm.first().message.isEmpty()); // its commit answers 404

        // Unchanged pipelines come from the cache the second time.
        m_gitlab.http().clearRequests();
        QVERIFY(wait(m_provider->fetchRecentBuilds()).ok());
        QCOMPARE(m_gitlab.http().count("/api/v4/projects/group%2Fsub%2Fapp/pipelines/"), 0);
    }

    // Each job's archive is an artifact with its download page; the finished pipeline's test
    // report is its summary, errors counted as failures, and its failed cases are kept.
    void mapsArtifactsAndTestReports()
    {
        const Result<BuildList> builds = wait(m_provider->fetchRecentBuilds());
        QVERIFY2(builds.ok(), qPrintable(builds.error()));
        const BuildPtr passed = byId(builds.value(), QStringLiteral("gl-group~sub~app-5001"));
        QVERIFY(passed);

        QCOMPARE(passed->artifacts.size(), 2);
        const BuildArtifact &package = passed->artifacts.at(0);
        QCOMPARE(package.name, QStringLiteral("package"));
        QCOMPARE(package.fileName, QStringLiteral("artifacts.zip"));
        QCOMPARE(package.displayPath, QStringLiteral("package/artifacts.zip"));
        QCOMPARE(package.type, QStringLiteral("zip"));
        QCOMPARE(package.url, m_gitlab.baseUrl().toString()
                                  + QStringLiteral("/group/sub/app/-/jobs/91/artifacts/download"));
        QCOMPARE(package.metadata.value(QStringLiteral("sizeInBytes")), QStringLiteral("2048"));
        QCOMPARE(package.metadata.value(QStringLiteral("expiresAt")),
                 QStringLiteral("2024-06-01T10:04:09.000Z"));
        const BuildArtifact &docs = passed->artifacts.at(1); // only artifacts_file
        QCOMPARE(docs.fileName, QStringLiteral("site.zip"));
        QCOMPARE(docs.metadata.value(QStringLiteral("sizeInBytes")), QStringLiteral("77"));

        QCOMPARE(passed->testResults.size(), 1);
        QCOMPARE(passed->testResults.first().totalCount, 12);
        QCOMPARE(passed->testResults.first().failCount, 2);
        QCOMPARE(passed->testResults.first().skipCount, 2);
        QCOMPARE(passed->failedTests.size(), 2);
        QCOMPARE(passed->failedTests.at(0).suite, QStringLiteral("unit"));
        QCOMPARE(passed->failedTests.at(0).name, QStringLiteral("ParserTest.rejects garbage"));
        QCOMPARE(passed->failedTests.at(0).message, QStringLiteral("expected an error, got 3"));
        QCOMPARE(passed->failedTests.at(1).name, QStringLiteral("times out"));
        QCOMPARE(passed->failedTests.at(1).message, QStringLiteral("TimeoutError at line 4"));

        // No report (404) is no summary, not an error.
        const BuildPtr warnings = byId(builds.value(), QStringLiteral("gl-group~sub~app-5002"));
        QVERIFY(warnings->testResults.isEmpty());
        QVERIFY(warnings->artifacts.isEmpty());
    }

    // A job list that fails leaves the pipeline without artifacts, and it is asked again on
    // the next refresh rather than cached as having none.
    void failedExtrasAreAskedAgain()
    {
        GitLabSettings settings = settingsFor(m_gitlab);
        std::unique_ptr<GitLabProvider> provider(makeProvider(settings));
        provider->http()->setRetryPolicy(0, 10, 40);
        m_gitlab.overridePath("/api/v4/projects/group%2Fsub%2Fapp/pipelines/5001/jobs",
                              FakeReply::text("boom", 500));
        Result<BuildList> builds = wait(provider->fetchRecentBuilds());
        QVERIFY2(builds.ok(), qPrintable(builds.error()));
        QVERIFY(byId(builds.value(), QStringLiteral("gl-group~sub~app-5001"))->artifacts.isEmpty());

        m_gitlab.clearOverrides();
        builds = wait(provider->fetchRecentBuilds());
        QVERIFY2(builds.ok(), qPrintable(builds.error()));
        QCOMPARE(byId(builds.value(), QStringLiteral("gl-group~sub~app-5001"))->artifacts.size(),
                 2);
    }

    // An old pipeline is asked for by the pipeline id its build id ends with, not found by
    // scanning the list for its number.
    void fetchesABuildById()
    {
        const Result<BuildPtr> found
            = wait(m_provider->fetchBuild(QStringLiteral("gl-group~sub~app-5003")));
        QVERIFY2(found.ok(), qPrintable(found.error()));
        QVERIFY(found.value());
        QCOMPARE(found.value()->id, QStringLiteral("gl-group~sub~app-5003"));
        QCOMPARE(found.value()->number, 79);
        QCOMPARE(found.value()->result, std::optional<BuildResult>(BuildResult::Aborted));
        // The pipeline, its jobs and its test report.
        QCOMPARE(m_gitlab.http().count("/api/v4/projects/group%2Fsub%2Fapp/pipelines/5003"), 3);
        QCOMPARE(m_gitlab.http().count("/api/v4/projects/group%2Fsub%2Fapp/pipelines?"), 0);

        const Result<BuildPtr> missing
            = wait(m_provider->fetchBuild(QStringLiteral("gl-group~sub~app-5999")));
        QVERIFY(!missing.ok());
        QVERIFY2(missing.error().contains(QStringLiteral("5999")), qPrintable(missing.error()));

        const Result<BuildPtr> foreign
            = wait(m_provider->fetchBuild(QStringLiteral("other-app-1")));
        QVERIFY(foreign.ok());
        QVERIFY(!foreign.value());
    }

    void findsBySha()
    {
        BuildQuery bySha;
        bySha.commitPrefix = ShaB;
        const Result<BuildList> found = wait(m_provider->findBuilds(bySha));
        QVERIFY2(found.ok(), qPrintable(found.error()));
        QCOMPARE(found->size(), 1);
        QCOMPARE(found->first()->number, 81);
        const auto lists = m_gitlab.http().requests();
        QVERIFY(std::any_of(lists.cbegin(), lists.cend(), [](const test::RecordedRequest &r) {
            return r.queryValue(QStringLiteral("sha")) == ShaB;
        }));

        BuildQuery byPrefix;
        byPrefix.commitPrefix = ShaA.left(8);
        byPrefix.projectKey = QStringLiteral("GROUP/SUB");
        byPrefix.repoSlug = QStringLiteral("app");
        QCOMPARE(wait(m_provider->findBuilds(byPrefix))->size(), 4);

        BuildQuery byNumber;
        byNumber.buildNumber = 79;
        const Result<BuildList> numbered = wait(m_provider->findBuilds(byNumber));
        QCOMPARE(numbered->size(), 1);
        QCOMPARE(numbered->first()->id, QStringLiteral("gl-group~sub~app-5003"));

        BuildQuery elsewhere;
        elsewhere.commitPrefix = ShaA.left(8);
        elsewhere.repoSlug = QStringLiteral("other");
        QCOMPARE(wait(m_provider->findBuilds(elsewhere))->size(), 0);
    }

    void logGrowsByJobTraces()
    {
        Build build;
        build.id = QStringLiteral("gl-group~sub~app-5004");
        build.project = QStringLiteral("group/sub/app");
        build.building = true;

        const Result<LogChunk> first = wait(m_provider->fetchLog(build, 0));
        QVERIFY2(first.ok(), qPrintable(first.error()));
        const QByteArray expectedFirst
            = "=== build: compile (job 101) ===\ncompiling\n--- compile: success ---\n"
              "=== test: unit (job 102) ===\ntest 1\n";
        QCOMPARE(first->text, expectedFirst);
        QCOMPARE(first->nextOffset, expectedFirst.size());
        QVERIFY(!first->complete);

        // The running job's trace grows; only the new part is fetched (Range) and returned.
        m_gitlab.job(QStringLiteral("group/sub/app"), 5004, 102)->trace
            = QByteArray("test 1\ntest 2\n");
        m_gitlab.http().clearRequests();
        const Result<LogChunk> second = wait(m_provider->fetchLog(build, first->nextOffset));
        QCOMPARE(second->text, QByteArray("test 2\n"));
        QCOMPARE(second->offset, first->nextOffset);
        QVERIFY(!second->complete);
        QCOMPARE(m_gitlab.http().requests().last().header("range"), QByteArray("bytes=7-"));

        // The job fails (allowed), the last job is skipped, the pipeline ends.
        FakeGitLab::FakeJob *unit = m_gitlab.job(QStringLiteral("group/sub/app"), 5004, 102);
        unit->status = QStringLiteral("failed");
        m_gitlab.job(QStringLiteral("group/sub/app"), 5004, 103)->status
            = QStringLiteral("skipped");
        build.building = false;
        const Result<LogChunk> last = wait(m_provider->fetchLog(build, second->nextOffset));
        QCOMPARE(last->text,
                 QByteArray("--- unit: failed (allowed to fail) ---\n"
                            "=== deploy: deploy (job 103) ===\n--- deploy: skipped ---\n"));
        QVERIFY(last->complete);
    }

    void missingTraceIsEmptyAndRangeIsOptional()
    {
        Build build;
        build.id = QStringLiteral("gl-group~sub~app-5003");
        build.project = QStringLiteral("group/sub/app");
        const Result<LogChunk> log = wait(m_provider->fetchLog(build, 0));
        QVERIFY2(log.ok(), qPrintable(log.error()));
        QCOMPARE(log->text,
                 QByteArray("=== build: compile (job 99) ===\n--- compile: canceled ---\n"));
        QVERIFY(log->complete);

        // A server that ignores Range sends the whole trace; only the new part is kept.
        FakeGitLab withoutRange;
        populate(withoutRange);
        withoutRange.setHonourRange(false);
        QVERIFY(withoutRange.start());
        std::unique_ptr<GitLabProvider> provider(makeProvider(settingsFor(withoutRange)));
        Build running;
        running.id = QStringLiteral("gl-group~sub~app-5004");
        running.project = QStringLiteral("group/sub/app");
        running.building = true;
        const Result<LogChunk> first = wait(provider->fetchLog(running, 0));
        withoutRange.job(QStringLiteral("group/sub/app"), 5004, 102)->trace
            = QByteArray("test 1\nmore\n");
        const Result<LogChunk> second = wait(provider->fetchLog(running, first->nextOffset));
        QCOMPARE(second->text, QByteArray("more\n"));
    }

    void failuresAreExplained_data()
    {
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<FakeReply>("reply");
        QTest::addColumn<QString>("expected");

        const QByteArray project = "/api/v4/projects/group%2Fsub%2Fapp";
        QTest::newRow("401") << project << FakeReply::json(R"({"message":"401 Unauthorized"})", 401)
                             << QStringLiteral("The server said: \"401 Unauthorized\"");
        QTest::newRow("404") << project
                             << FakeReply::json(R"({"message":"404 Project Not Found"})", 404)
                             << QStringLiteral("Not found (HTTP 404): the project group/sub/app");
        QTest::newRow("403") << project << FakeReply::json(R"({"message":"403 Forbidden"})", 403)
                             << QStringLiteral("Access denied (HTTP 403)");
        QTest::newRow("malformed")
            << project << FakeReply::json(R"({"id": 42, "path_with_namespace": })")
            << QStringLiteral("malformed JSON");
        QTest::newRow("html") << project << FakeReply::text("<!DOCTYPE html><html>sign in</html>")
                              << QStringLiteral("is the address the API root?");
        QTest::newRow("503 all along")
            << project << FakeReply::text("maintenance", 503) << QStringLiteral("HTTP 503");
    }

    void failuresAreExplained()
    {
        QFETCH(QByteArray, path);
        QFETCH(FakeReply, reply);
        QFETCH(QString, expected);

        std::unique_ptr<GitLabProvider> provider(makeProvider(settingsFor(m_gitlab)));
        m_gitlab.overridePath(path, reply);
        const Result<BuildList> builds = wait(provider->fetchRecentBuilds());
        QVERIFY(!builds.ok());
        QVERIFY2(builds.error().contains(expected), qPrintable(builds.error()));
        QVERIFY(builds.error().startsWith(QStringLiteral("gl: ")));
        QVERIFY(!builds.error().contains(Token));
    }

    void waitsOutARateLimit()
    {
        std::unique_ptr<GitLabProvider> provider(makeProvider(settingsFor(m_gitlab)));
        m_gitlab.overridePath("/api/v4/projects/group%2Fsub%2Fapp/pipelines",
                              FakeReply::json(R"({"message":"429 Too Many Requests"})", 429)
                                  .withHeader("Retry-After", "1"),
                              1);
        QSignalSpy waits(provider->http(), &net::HttpClient::waiting);
        const Result<BuildList> builds = wait(provider->fetchRecentBuilds());
        QVERIFY2(builds.ok(), qPrintable(builds.error()));
        QCOMPARE(builds->size(), 5);
        QCOMPARE(waits.size(), 1);
        QVERIFY(waits.first().first().toString().contains(
            QStringLiteral("rate limit reached; waiting 1 s")));
    }

    void retriesAServerError()
    {
        std::unique_ptr<GitLabProvider> provider(makeProvider(settingsFor(m_gitlab)));
        m_gitlab.overridePath("/api/v4/projects/group%2Fsub%2Fapp",
                              FakeReply::text("bad gateway", 502), 1);
        const Result<QList<SourceProject>> projects = wait(provider->listProjects());
        QVERIFY2(projects.ok(), qPrintable(projects.error()));
        QCOMPARE(m_gitlab.http().count("/api/v4/projects/group%2Fsub%2Fapp"), 2);
    }

    void checksTheConnection()
    {
        const ConnectionCheck ok = wait(m_provider->checkConnection());
        QCOMPARE(ok.verdict, ConnectionCheck::Verdict::Ok);
        QVERIFY2(ok.summary.contains(QStringLiteral("GitLab 16.11.2-ee")), qPrintable(ok.summary));
        QVERIFY(ok.summary.contains(QStringLiteral("authenticated as ada")));
        QVERIFY(ok.summary.contains(QStringLiteral("1 projects")));

        GitLabSettings settings = settingsFor(m_gitlab);
        settings.privateToken = QStringLiteral("wrong-token");
        std::unique_ptr<GitLabProvider> wrong(makeProvider(settings));
        const ConnectionCheck denied = wait(wrong->checkConnection());
        QCOMPARE(denied.verdict, ConnectionCheck::Verdict::Failed);
        QVERIFY(denied.summary.contains(QStringLiteral("HTTP 401")));
        QVERIFY(!denied.summary.contains(QStringLiteral("wrong-token")));
        QVERIFY(!denied.hint.isEmpty());
    }

    void oneBrokenSourceLeavesOthersWorking()
    {
        BuildStore store;
        SourceRegistry registry(&store);
        registry.addSource(makeProvider(settingsFor(m_gitlab)));
        GitLabSettings broken = settingsFor(m_gitlab);
        broken.name = QStringLiteral("broken");
        broken.privateToken = QStringLiteral("revoked");
        registry.addSource(makeProvider(broken));

        registry.refresh();
        QTRY_VERIFY_WITH_TIMEOUT(
            registry.status(QStringLiteral("gl")).state == SourceStatus::State::Ok, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(
            registry.status(QStringLiteral("broken")).state == SourceStatus::State::Failed, 20000);
        QVERIFY(
            registry.status(QStringLiteral("broken")).error.contains(QStringLiteral("HTTP 401")));
        QCOMPARE(store.size(), 5);
    }

    void mapsPipelineStatuses_data()
    {
        QTest::addColumn<QString>("status");
        QTest::addColumn<QString>("group");
        QTest::addColumn<BuildResult>("expected");
        const QList<std::pair<const char *, BuildResult>> rows = {
            {"created", BuildResult::NotBuilt},   {"waiting_for_resource", BuildResult::NotBuilt},
            {"preparing", BuildResult::NotBuilt}, {"waiting_for_callback", BuildResult::NotBuilt},
            {"pending", BuildResult::NotBuilt},   {"scheduled", BuildResult::NotBuilt},
            {"manual", BuildResult::NotBuilt},    {"running", BuildResult::Building},
            {"canceling", BuildResult::Building}, {"success", BuildResult::Success},
            {"failed", BuildResult::Failure},     {"canceled", BuildResult::Aborted},
            {"skipped", BuildResult::NotBuilt},   {"something-new", BuildResult::NotBuilt},
        };
        for (const auto &[status, result] : rows)
            QTest::newRow(status) << QString::fromLatin1(status) << QString() << result;
        QTest::newRow("success-with-warnings")
            << QStringLiteral("success") << QStringLiteral("success-with-warnings")
            << BuildResult::Unstable;
    }

    void mapsPipelineStatuses()
    {
        QFETCH(QString, status);
        QFETCH(QString, group);
        QFETCH(BuildResult, expected);
        QCOMPARE(gitlab::mapPipelineStatus(status, group), expected);
    }

    void mapsJobStatuses_data()
    {
        QTest::addColumn<QString>("status");
        QTest::addColumn<bool>("allowFailure");
        QTest::addColumn<BuildResult>("expected");
        QTest::newRow("failed") << QStringLiteral("failed") << false << BuildResult::Failure;
        QTest::newRow("failed, allowed")
            << QStringLiteral("failed") << true << BuildResult::Unstable;
        QTest::newRow("success, allowed")
            << QStringLiteral("success") << true << BuildResult::Success;
        QTest::newRow("canceled") << QStringLiteral("canceled") << false << BuildResult::Aborted;
        QTest::newRow("manual") << QStringLiteral("manual") << false << BuildResult::NotBuilt;
    }

    void mapsJobStatuses()
    {
        QFETCH(QString, status);
        QFETCH(bool, allowFailure);
        QFETCH(BuildResult, expected);
        QCOMPARE(gitlab::mapJobStatus(status, allowFailure), expected);
    }

    void readsMergeRequestRefs()
    {
        QCOMPARE(gitlab::mergeRequestFromRef(QStringLiteral("refs/merge-requests/12/head")),
                 std::optional<int>(12));
        QCOMPARE(gitlab::mergeRequestFromRef(QStringLiteral("refs/merge-requests/3/merge")),
                 std::optional<int>(3));
        QCOMPARE(gitlab::mergeRequestFromRef(QStringLiteral("main")), std::nullopt);
        QCOMPARE(gitlab::encodedProjectId(QStringLiteral("group/sub/app")),
                 QByteArray("group%2Fsub%2Fapp"));
    }
};

QTEST_GUILESS_MAIN(TestGitLabProvider)
#include "tst_gitlabprovider.moc"
