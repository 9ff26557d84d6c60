// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/providers/jenkins/jenkinsprovider.h"
#include "core/service/sourceregistry.h"
#include "core/store/buildstore.h"
#include "tests/support/fakejenkins.h"

#include <QSignalSpy>
#include <QTest>

using namespace cic;
using cic::test::FakeJenkins;
using cic::test::FakeReply;

Q_DECLARE_METATYPE(cic::BuildResult)

namespace {

const QString ShaMain = QStringLiteral("3f1c0de5a7b9e2d4c6f8a0b1c2d3e4f5a6b7c8d9");
const QString ShaLibrary = QStringLiteral("1111111111111111111111111111111111111111");
const QString ShaFeature = QStringLiteral("89abcdef89abcdef89abcdef89abcdef89abcdef");
const QString ShaOld = QStringLiteral("c0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ff");

template<typename T> T wait(QFuture<T> future, int timeoutMs = 20000)
{
    if (!QTest::qWaitFor([&] { return future.isFinished(); }, timeoutMs))
        qFatal("no answer within %d ms", timeoutMs);
    return future.result();
}

QJsonObject buildData(const QString &sha, const QString &branch, const QJsonArray &remotes)
{
    return QJsonObject{
        {QStringLiteral("_class"), QStringLiteral("hudson.plugins.git.util.BuildData")},
        {QStringLiteral("lastBuiltRevision"),
         QJsonObject{{QStringLiteral("SHA1"), sha},
                     {QStringLiteral("branch"),
                      QJsonArray{QJsonObject{{QStringLiteral("SHA1"), sha},
                                             {QStringLiteral("name"), branch}}}}}},
        {QStringLiteral("remoteUrls"), remotes},
        {QStringLiteral("scmName"), QString()}};
}

QJsonObject changeItem(const QString &sha, const QString &comment, const QString &author)
{
    return QJsonObject{
        {QStringLiteral("_class"), QStringLiteral("hudson.plugins.git.GitChangeSet")},
        {QStringLiteral("commitId"), sha},
        {QStringLiteral("msg"), comment.section(QLatin1Char('\n'), 0, 0)},
        {QStringLiteral("comment"), comment},
        {QStringLiteral("timestamp"), 1714549000000.0},
        {QStringLiteral("authorEmail"), QStringLiteral("ada@example.test")},
        {QStringLiteral("author"), QJsonObject{{QStringLiteral("fullName"), author}}}};
}

// A master with folders, a multibranch project, a job deeper than one tree request reaches,
// and a job with more builds than `builds` lists; its answers carry absolute URLs on a root
// that is not the address it listens on.
void populate(FakeJenkins &jenkins)
{
    jenkins.setAdvertisedRoot(QStringLiteral("http://jenkins.internal:8080/"));
    jenkins.addFolder({QStringLiteral("team")});
    jenkins.addJob({QStringLiteral("team"), QStringLiteral("app-build")});
    jenkins.addJob({QStringLiteral("team"), QStringLiteral("never-built")});
    jenkins.addFolder({QStringLiteral("deep")});
    jenkins.addFolder({QStringLiteral("deep"), QStringLiteral("a")});
    jenkins.addFolder({QStringLiteral("deep"), QStringLiteral("a"), QStringLiteral("b")});
    jenkins.addJob(
        {QStringLiteral("deep"), QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("leaf")});
    jenkins.addFolder(
        {QStringLiteral("repo")},
        QStringLiteral("org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject"));
    for (const QString &branch :
         {QStringLiteral("main"), QStringLiteral("feature%2Fx"), QStringLiteral("PR-7")})
        jenkins.addJob({QStringLiteral("repo"), branch},
                       QStringLiteral("org.jenkinsci.plugins.workflow.job.WorkflowJob"));
    jenkins.addJob({QStringLiteral("big")});

    const QJsonArray stash{QStringLiteral("ssh://git@stash.example.test:7999/team/app.git")};

    FakeJenkins::FakeBuild running;
    running.number = 12;
    running.building = true;
    running.timestamp = 1714550500000;
    running.log = "Started by user Ada\n";
    running.actions
        = {QJsonObject{{QStringLiteral("_class"), QStringLiteral("hudson.model.CauseAction")}},
           QJsonObject{}, buildData(ShaMain, QStringLiteral("refs/remotes/origin/main"), stash)};
    running.extra.insert(
        QStringLiteral("changeSet"),
        QJsonObject{
            {QStringLiteral("kind"), QStringLiteral("git")},
            {QStringLiteral("items"),
             QJsonArray{changeItem(ShaMain, QStringLiteral("Fix flaky parser test\n\nDetails.\n"),
                                   QStringLiteral("Ada"))}}});
    jenkins.addBuild({QStringLiteral("team"), QStringLiteral("app-build")}, running);

    FakeJenkins::FakeBuild unstable;
    unstable.number = 11;
    unstable.result = QStringLiteral("UNSTABLE");
    unstable.timestamp = 1714550400000;
    unstable.duration = 93512;
    unstable.log = "building\n\x1b[8mha:AAAAWB+LCAAAAAAAAP9b\x1b[0mdone\nFinished: UNSTABLE\n";
    unstable.actions
        = {QJsonObject{},
           QJsonObject{{QStringLiteral("_class"),
                        QStringLiteral("org.jenkinsci.plugins.workflow.libs.LibrariesAction")}},
           buildData(ShaLibrary, QStringLiteral("refs/remotes/origin/master"),
                     QJsonArray()), // library checkout without remote
           buildData(ShaMain, QStringLiteral("origin/main"), stash),
           buildData(ShaMain, QStringLiteral("origin/main"), stash), // Jenkins repeats BuildData
           QJsonObject{
               {QStringLiteral("_class"), QStringLiteral("hudson.tasks.junit.TestResultAction")},
               {QStringLiteral("failCount"), 1},
               {QStringLiteral("skipCount"), 2},
               {QStringLiteral("totalCount"), 40},
               {QStringLiteral("urlName"), QStringLiteral("testReport")}}};
    unstable.extra.insert(
        QStringLiteral("artifacts"),
        QJsonArray{
            QJsonObject{{QStringLiteral("displayPath"), QStringLiteral("app 1.tar.gz")},
                        {QStringLiteral("fileName"), QStringLiteral("app 1.tar.gz")},
                        {QStringLiteral("relativePath"), QStringLiteral("out/app 1.tar.gz")}}});
    unstable.extra.insert(
        QStringLiteral("changeSets"),
        QJsonArray{QJsonObject{{QStringLiteral("kind"), QStringLiteral("git")},
                               {QStringLiteral("items"),
                                QJsonArray{changeItem(ShaMain, QStringLiteral("Pipeline change\n"),
                                                      QStringLiteral("Grace"))}}}});
    unstable.testReport = QJsonObject{
        {QStringLiteral("failCount"), 1},
        {QStringLiteral("suites"),
         QJsonArray{QJsonObject{
             {QStringLiteral("name"), QStringLiteral("ParserTest")},
             {QStringLiteral("cases"),
              QJsonArray{QJsonObject{{QStringLiteral("className"), QStringLiteral("ParserTest")},
                                     {QStringLiteral("name"), QStringLiteral("handlesEmptyInput")},
                                     {QStringLiteral("status"), QStringLiteral("REGRESSION")},
                                     {QStringLiteral("errorDetails"),
                                      QStringLiteral("expected 0 but was 1")}},
                         QJsonObject{{QStringLiteral("className"), QStringLiteral("ParserTest")},
                                     {QStringLiteral("name"), QStringLiteral("passes")},
                                     {QStringLiteral("status"), QStringLiteral("PASSED")}}}}}}}};
    jenkins.addBuild({QStringLiteral("team"), QStringLiteral("app-build")}, unstable);

    FakeJenkins::FakeBuild leaf;
    leaf.number = 1;
    jenkins.addBuild(
        {QStringLiteral("deep"), QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("leaf")},
        leaf);

    FakeJenkins::FakeBuild feature;
    feature.number = 3;
    feature.actions = {buildData(ShaFeature, QStringLiteral("feature/x"),
                                 QJsonArray{QStringLiteral("git@github.com:acme/repo.git")})};
    jenkins.addBuild({QStringLiteral("repo"), QStringLiteral("feature%2Fx")}, feature);

    FakeJenkins::FakeBuild pullRequest;
    pullRequest.number = 1;
    pullRequest.result = QStringLiteral("FAILURE");
    pullRequest.actions
        = {buildData(ShaFeature, QStringLiteral("PR-7"),
                     QJsonArray{QStringLiteral("https://gitlab.example.test/group/sub/repo.git")})};
    jenkins.addBuild({QStringLiteral("repo"), QStringLiteral("PR-7")}, pullRequest);

    for (int number = 1; number <= 150; ++number) {
        FakeJenkins::FakeBuild build;
        build.number = number;
        build.timestamp = 1714000000000 + number * 1000;
        const QString sha
            = number == 20 ? ShaOld : QStringLiteral("%1").arg(number, 40, 10, QLatin1Char('0'));
        build.actions = {
            buildData(sha, QStringLiteral("origin/main"),
                      QJsonArray{QStringLiteral("https://stash.example.test/scm/team/big.git")})};
        jenkins.addBuild({QStringLiteral("big")}, build);
    }
}

JenkinsSettings settingsFor(const FakeJenkins &jenkins)
{
    JenkinsSettings settings;
    settings.name = QStringLiteral("ci");
    settings.address = jenkins.baseUrl();
    settings.scmHosts.insert(QStringLiteral("stash"), QStringLiteral("https://stash.example.test"));
    settings.jobTreeDepth = 2;
    settings.connection.timeoutMs = 5000;
    return settings;
}

JenkinsProvider *makeProvider(const JenkinsSettings &settings, QObject *parent = nullptr)
{
    auto *provider = new JenkinsProvider(settings, parent);
    provider->http()->setRetryPolicy(2, 10, 40);
    return provider;
}

BuildPtr byNumber(const BuildList &builds, int number)
{
    for (const BuildPtr &build : builds) {
        if (build->number == number)
            return build;
    }
    return {};
}

} // namespace

class TestJenkinsProvider : public QObject
{
    Q_OBJECT

private:
    FakeJenkins m_jenkins;
    std::unique_ptr<JenkinsProvider> m_provider;

private Q_SLOTS:
    void initTestCase()
    {
        populate(m_jenkins);
        QVERIFY(m_jenkins.start());
        m_provider.reset(makeProvider(settingsFor(m_jenkins)));
    }

    void init()
    {
        m_jenkins.http().clearRequests();
        m_jenkins.clearOverrides();
    }

    void listsJobsThroughFoldersAndMultibranch()
    {
        const Result<QList<SourceProject>> projects = wait(m_provider->listProjects());
        QVERIFY2(projects.ok(), qPrintable(projects.error()));

        QStringList ids;
        for (const SourceProject &project : projects.value())
            ids.append(project.id);
        ids.sort();
        QCOMPARE(ids,
                 (QStringList{QStringLiteral("big"), QStringLiteral("deep/a/b/leaf"),
                              QStringLiteral("repo/PR-7"), QStringLiteral("repo/feature%2Fx"),
                              QStringLiteral("repo/main"), QStringLiteral("team/app-build"),
                              QStringLiteral("team/never-built")}));

        // The root request reaches two levels; the folder below was asked for on its own.
        QCOMPARE(m_jenkins.http().count("/job/deep/job/a/api/json"), 1);

        const auto feature
            = std::find_if(projects->cbegin(), projects->cend(), [](const SourceProject &p) {
                  return p.id == QLatin1String("repo/feature%2Fx");
              });
        QCOMPARE(feature->displayName, QStringLiteral("repo \u00bb feature/x"));
        QCOMPARE(feature->url,
                 m_jenkins.baseUrl().toString() + QStringLiteral("/job/repo/job/feature%252Fx"));
    }

    void mapsBuildsOntoTheModel()
    {
        const Result<BuildList> builds
            = wait(m_provider->fetchRecentBuilds(QStringLiteral("team/app-build")));
        QVERIFY2(builds.ok(), qPrintable(builds.error()));
        QCOMPARE(builds->size(), 2);

        const BuildPtr unstable = byNumber(builds.value(), 11);
        QVERIFY(unstable);
        QCOMPARE(unstable->id, QStringLiteral("ci-team~app-build-11"));
        QCOMPARE(unstable->source, QStringLiteral("ci"));
        QCOMPARE(unstable->project, QStringLiteral("team/app-build"));
        QCOMPARE(unstable->name, QStringLiteral("team/app-build"));
        QCOMPARE(unstable->fullDisplayName, QStringLiteral("team \u00bb app-build #11"));
        QCOMPARE(unstable->result, std::optional<BuildResult>(BuildResult::Unstable));
        QVERIFY(!unstable->building);
        QCOMPARE(unstable->timestampMs, std::optional<qint64>(1714550400000));
        QCOMPARE(unstable->durationMs, std::optional<qint64>(93512));

        // Jenkins' own URLs name jenkins.internal:8080; they are moved onto the configured address.
        const QString base = m_jenkins.baseUrl().toString();
        QCOMPARE(unstable->url, base + QStringLiteral("/job/team/job/app-build/11/"));
        QCOMPARE(unstable->artifacts.size(), 1);
        QCOMPARE(unstable->artifacts.first().fileName, QStringLiteral("app 1.tar.gz"));
        QCOMPARE(unstable->artifacts.first().relativePath, QStringLiteral("out/app 1.tar.gz"));
        QCOMPARE(unstable->artifacts.first().url,
                 base + QStringLiteral("/job/team/job/app-build/11/artifact/out/app%201.tar.gz"));

        QCOMPARE(unstable->testResults.size(), 1);
        QCOMPARE(unstable->testResults.first(),
                 (TestSummary{1, 2, 40, QStringLiteral("testReport")}));
        QCOMPARE(unstable->failedTests.size(), 1);
        QCOMPARE(unstable->failedTests.first(),
                 (FailedTest{QStringLiteral("ParserTest"), QStringLiteral("handlesEmptyInput"),
                             QStringLiteral("expected 0 but was 1")}));

        // Only the BuildData with a remote counts, once; the message comes from changeSets.
        QCOMPARE(unstable->scm.size(), 1);
        const GitRevision revision = unstable->scm.first();
        QCOMPARE(revision.sha1, ShaMain);
        QCOMPARE(revision.name, QStringLiteral("origin/main"));
        QCOMPARE(revision.branch, QStringLiteral("main"));
        QCOMPARE(revision.message, QStringLiteral("Pipeline change"));
        QCOMPARE(revision.committer, QStringLiteral("Grace"));
        QCOMPARE(revision.remoteUrl,
                 QStringLiteral("ssh://git@stash.example.test:7999/team/app.git"));
        QCOMPARE(revision.compareUrl,
                 QStringLiteral("https://stash.example.test/projects/TEAM/repos/app/commits/")
                     + ShaMain);
        QCOMPARE(unstable->projectKey(), QStringLiteral("TEAM"));
        QCOMPARE(unstable->repoSlug(), QStringLiteral("app"));
        QCOMPARE(unstable->properties.value(QStringLiteral("startedAt")),
                 QStringLiteral("2024-05-01T08:00:00Z"));
        QCOMPARE(unstable->properties.value(QStringLiteral("startedTs")),
                 QStringLiteral("1714550400000"));
        QCOMPARE(unstable->properties.value(QStringLiteral("completedTs")),
                 QStringLiteral("1714550493512"));
        QCOMPARE(unstable->properties.value(QStringLiteral("completedAt")),
                 QStringLiteral("2024-05-01T08:01:33.512Z"));

        const BuildPtr running = byNumber(builds.value(), 12);
        QVERIFY(running->building);
        QCOMPARE(running->effectiveResult(), BuildResult::Building);
        QCOMPARE(running->scm.first().message, QStringLiteral("Fix flaky parser test"));
        QCOMPARE(running->scm.first().committer, QStringLiteral("Ada"));
        QCOMPARE(running->scm.first().name, QStringLiteral("refs/remotes/origin/main"));
        QCOMPARE(running->scm.first().branch, QStringLiteral("main"));
        QVERIFY(!running->properties.contains(QStringLiteral("completedAt")));
    }

    void buildsMultibranchUrlsSegmentBySegment()
    {
        const Result<BuildList> builds
            = wait(m_provider->fetchRecentBuilds(QStringLiteral("repo/feature%2Fx")));
        QVERIFY2(builds.ok(), qPrintable(builds.error()));
        QCOMPARE(builds->size(), 1);
        QCOMPARE(m_jenkins.http().count("/job/repo/job/feature%252Fx/api/json"), 1);

        const BuildPtr build = builds->first();
        QCOMPARE(build->id, QStringLiteral("ci-repo~feature_252Fx-3"));
        QCOMPARE(build->url,
                 m_jenkins.baseUrl().toString() + QStringLiteral("/job/repo/job/feature%252Fx/3/"));
        QCOMPARE(build->scm.first().branch, QStringLiteral("feature/x"));
        QCOMPARE(build->scm.first().compareUrl,
                 QStringLiteral("https://github.com/acme/repo/commit/") + ShaFeature);
        QCOMPARE(build->projectKey(), QStringLiteral("acme"));
        QCOMPARE(build->repoSlug(), QStringLiteral("repo"));

        const Result<BuildList> pullRequest
            = wait(m_provider->fetchRecentBuilds(QStringLiteral("repo/PR-7")));
        QCOMPARE(pullRequest->first()->properties.value(QStringLiteral("pullRequestNumber")),
                 QStringLiteral("7"));
        QCOMPARE(pullRequest->first()->scm.first().compareUrl,
                 QStringLiteral("https://gitlab.example.test/group/sub/repo/-/commit/")
                     + ShaFeature);
        QCOMPARE(pullRequest->first()->projectKey(), QStringLiteral("group/sub"));
    }

    void pagesPastTheNewestHundred()
    {
        const std::optional<jenkins::Job> big = [&]() -> std::optional<jenkins::Job> {
            const auto jobs = wait(m_provider->jobs());
            for (const jenkins::Job &job : jobs.value()) {
                if (job.fullName() == QLatin1String("big"))
                    return job;
            }
            return std::nullopt;
        }();
        QVERIFY(big);
        QCOMPARE(big->lastBuild, 150);

        const Result<BuildList> newest = wait(m_provider->fetchBuilds(*big, 0, 100));
        QCOMPARE(newest->size(), 100);
        QCOMPARE(newest->first()->number, 150);

        m_jenkins.http().clearRequests();
        const Result<BuildList> older = wait(m_provider->fetchBuilds(*big, 100, 150));
        QVERIFY2(older.ok(), qPrintable(older.error()));
        QCOMPARE(older->size(), 50);
        QCOMPARE(older->first()->number, 50);
        QCOMPARE(older->last()->number, 1);
        const QString tree = m_jenkins.http().requests().first().queryValue(QStringLiteral("tree"));
        QVERIFY2(tree.startsWith(QStringLiteral("allBuilds[")), qPrintable(tree));
        QVERIFY(tree.endsWith(QStringLiteral("]{100,150}")));
    }

    void findsByCommitPrefix()
    {
        BuildQuery query;
        query.commitPrefix = ShaMain.left(7);
        const Result<BuildList> found = wait(m_provider->findBuilds(query));
        QVERIFY2(found.ok(), qPrintable(found.error()));
        QList<int> numbers;
        for (const BuildPtr &build : found.value())
            numbers.append(build->number);
        std::sort(numbers.begin(), numbers.end());
        QCOMPARE(numbers, (QList<int>{11, 12}));

        // A commit older than the newest hundred is found when the query names the job.
        BuildQuery deep;
        deep.commitPrefix = ShaOld.left(10);
        deep.project = QStringLiteral("big");
        const Result<BuildList> old = wait(m_provider->findBuilds(deep));
        QVERIFY2(old.ok(), qPrintable(old.error()));
        QCOMPARE(old->size(), 1);
        QCOMPARE(old->first()->number, 20);

        BuildQuery other;
        other.commitPrefix = ShaMain.left(7);
        other.source = QStringLiteral("another-source");
        QCOMPARE(wait(m_provider->findBuilds(other))->size(), 0);
    }

    void findsByBuildNumber()
    {
        BuildQuery query;
        query.buildNumber = 11;
        query.projectKey = QStringLiteral("team");
        query.repoSlug = QStringLiteral("app");
        const Result<BuildList> found = wait(m_provider->findBuilds(query));
        QVERIFY2(found.ok(), qPrintable(found.error()));
        QCOMPARE(found->size(), 1);
        QCOMPARE(found->first()->id, QStringLiteral("ci-team~app-build-11"));
        QCOMPARE(m_jenkins.http().count("/job/team/job/app-build/11/api/json"), 1);
    }

    void followsAGrowingLog()
    {
        FakeJenkins::FakeBuild *running
            = m_jenkins.build({QStringLiteral("team"), QStringLiteral("app-build")}, 12);
        running->building = true;
        running->log = "Started by user Ada\n";
        const Result<BuildList> builds
            = wait(m_provider->fetchRecentBuilds(QStringLiteral("team/app-build")));
        const BuildPtr build = byNumber(builds.value(), 12);

        const Result<LogChunk> first = wait(m_provider->fetchLog(*build, 0));
        QVERIFY2(first.ok(), qPrintable(first.error()));
        QCOMPARE(first->text, QByteArray("Started by user Ada\n"));
        QCOMPARE(first->nextOffset, 20);
        QVERIFY(!first->complete);

        running->log += "step 1\n";
        const Result<LogChunk> second = wait(m_provider->fetchLog(*build, first->nextOffset));
        QCOMPARE(second->text, QByteArray("step 1\n"));
        QCOMPARE(second->offset, 20);
        QCOMPARE(second->nextOffset, 27);
        QVERIFY(!second->complete);
        QCOMPARE(m_jenkins.http().requests().last().queryValue(QStringLiteral("start")),
                 QStringLiteral("20"));

        // Finished: X-More-Data is gone, and nothing already read comes again.
        running->log += "Finished: SUCCESS\n";
        running->building = false;
        const Result<LogChunk> last = wait(m_provider->fetchLog(*build, second->nextOffset));
        QCOMPARE(last->text, QByteArray("Finished: SUCCESS\n"));
        QVERIFY(last->complete);
    }

    void readsFinishedLogsWholeWithoutConsoleNotes()
    {
        const Result<BuildList> builds
            = wait(m_provider->fetchRecentBuilds(QStringLiteral("team/app-build")));
        const Result<LogChunk> log = wait(m_provider->fetchLog(*byNumber(builds.value(), 11), 0));
        QVERIFY2(log.ok(), qPrintable(log.error()));
        QCOMPARE(log->text, QByteArray("building\ndone\nFinished: UNSTABLE\n"));
        QVERIFY(log->complete);
        QCOMPARE(m_jenkins.http().requests().last().encodedPath,
                 QByteArray("/job/team/job/app-build/11/consoleText"));
    }

    void passwordAuthUsesCrumbAndSessionCookie()
    {
        FakeJenkins secured;
        populate(secured);
        secured.requireBasicAuth(QStringLiteral("ada"), QStringLiteral("pass"));
        QVERIFY(secured.start());
        JenkinsSettings settings = settingsFor(secured);
        settings.username = QStringLiteral("ada");
        settings.password = QStringLiteral("pass");
        std::unique_ptr<JenkinsProvider> provider(makeProvider(settings));

        const Result<QUrl> queued = wait(provider->triggerBuild(QStringLiteral("team/app-build")));
        QVERIFY2(queued.ok(), qPrintable(queued.error()));
        QCOMPARE(queued->path(), QStringLiteral("/queue/item/1/"));
        QCOMPARE(queued->port(), secured.baseUrl().port());
        QCOMPARE(secured.crumbRequests(), 1);
        QVERIFY(secured.http().requests().last().header("cookie").contains("JSESSIONID="));

        // The session behind the crumb ends: one 403, a new crumb, and the POST goes through.
        secured.expireSessions();
        const Result<QUrl> again = wait(provider->triggerBuild(QStringLiteral("team/app-build")));
        QVERIFY2(again.ok(), qPrintable(again.error()));
        QCOMPARE(secured.crumbRequests(), 2);
        QCOMPARE(secured.buildsTriggered(), 2);

        const ConnectionCheck check = wait(provider->checkConnection());
        QCOMPARE(check.verdict, ConnectionCheck::Verdict::Ok);
        QVERIFY2(check.summary.contains(QStringLiteral("Jenkins 2.440.3")),
                 qPrintable(check.summary));
        QVERIFY(check.summary.contains(QStringLiteral("authenticated as ada")));
        QVERIFY(check.summary.contains(QStringLiteral("CSRF crumb issued")));
    }

    void tokenAuthNeedsNoCrumb()
    {
        FakeJenkins secured;
        populate(secured);
        secured.requireBasicAuth(QStringLiteral("ada"), QStringLiteral("api-token"));
        QVERIFY(secured.start());
        JenkinsSettings settings = settingsFor(secured);
        settings.username = QStringLiteral("ada");
        settings.token = QStringLiteral("api-token");
        std::unique_ptr<JenkinsProvider> provider(makeProvider(settings));

        const Result<BuildList> builds
            = wait(provider->fetchRecentBuilds(QStringLiteral("team/app-build")));
        QVERIFY2(builds.ok(), qPrintable(builds.error()));
        QCOMPARE(secured.crumbRequests(), 0);

        const ConnectionCheck check = wait(provider->checkConnection());
        QCOMPARE(check.verdict, ConnectionCheck::Verdict::Ok);
        QVERIFY(check.summary.contains(QStringLiteral("API token, no crumb needed")));

        settings.token = QStringLiteral("wrong");
        std::unique_ptr<JenkinsProvider> wrong(makeProvider(settings));
        const ConnectionCheck denied = wait(wrong->checkConnection());
        QCOMPARE(denied.verdict, ConnectionCheck::Verdict::Failed);
        QVERIFY2(denied.summary.contains(QStringLiteral("HTTP 401")), qPrintable(denied.summary));
        QVERIFY(denied.hint.contains(QStringLiteral("token")));
        QVERIFY(!denied.summary.contains(QStringLiteral("wrong")));
    }

    void failuresAreExplained_data()
    {
        QTest::addColumn<FakeReply>("reply");
        QTest::addColumn<QString>("expected");

        QTest::newRow("401") << FakeReply::text("Invalid password/token", 401)
                             << QStringLiteral("HTTP 401");
        QTest::newRow("403 crumb")
            << FakeReply::text("No valid crumb was included in the request", 403)
            << QStringLiteral("CSRF crumb");
        QTest::newRow("404") << FakeReply::text("<html>Not Found</html>", 404)
                             << QStringLiteral("HTTP 404");
        QTest::newRow("malformed") << FakeReply::json(R"({"jobs": [{"name": "a"},, ]})")
                                   << QStringLiteral("malformed JSON");
        QTest::newRow("html") << FakeReply::text("<html><body>Sign in</body></html>")
                              << QStringLiteral("answered HTML, not JSON");
        FakeReply truncated = FakeReply::json(R"({"jobs": [)");
        truncated.contentLength = 500;
        truncated.closeAfter = true;
        QTest::newRow("truncated") << truncated << QStringLiteral("500 bytes");
        FakeReply slow = FakeReply::json("{}");
        slow.delayMs = 2000;
        QTest::newRow("slow") << slow << QStringLiteral("no answer for the job list within 0.3 s");
        QTest::newRow("redirect loop")
            << FakeReply::text("", 302).withHeader("Location", "/api/json?x=1")
            << QStringLiteral("redirect loop");
        QTest::newRow("429") << FakeReply::text("slow down", 429).withHeader("Retry-After", "3600")
                             << QStringLiteral("HTTP 429");
    }

    void failuresAreExplained()
    {
        QFETCH(FakeReply, reply);
        QFETCH(QString, expected);

        JenkinsSettings settings = settingsFor(m_jenkins);
        settings.connection.timeoutMs = 300;
        std::unique_ptr<JenkinsProvider> provider(makeProvider(settings));
        provider->http()->setRetryPolicy(1, 10, 20);
        m_jenkins.overridePath("/api/json", reply);

        const Result<QList<SourceProject>> projects = wait(provider->listProjects());
        QVERIFY(!projects.ok());
        QVERIFY2(projects.error().contains(expected), qPrintable(projects.error()));
        QVERIFY(projects.error().startsWith(QStringLiteral("ci: ")));
    }

    void retriesAServerErrorThenSucceeds()
    {
        m_jenkins.overridePath("/api/json", FakeReply::text("Jenkins is restarting", 500), 1);
        std::unique_ptr<JenkinsProvider> provider(makeProvider(settingsFor(m_jenkins)));
        const Result<QList<SourceProject>> projects = wait(provider->listProjects());
        QVERIFY2(projects.ok(), qPrintable(projects.error()));
        QCOMPARE(m_jenkins.http().count("/api/json"), 2);
        QCOMPARE(projects->size(), 7);
    }

    void oneBrokenSourceLeavesOthersWorking()
    {
        FakeJenkins broken;
        QVERIFY(broken.start());
        broken.overridePath("/", FakeReply::text("<html>Bad gateway</html>", 502));

        BuildStore store;
        SourceRegistry registry(&store);
        registry.addSource(makeProvider(settingsFor(m_jenkins)));
        JenkinsSettings brokenSettings = settingsFor(broken);
        brokenSettings.name = QStringLiteral("broken");
        registry.addSource(makeProvider(brokenSettings));

        registry.refresh();
        QTRY_VERIFY_WITH_TIMEOUT(
            registry.status(QStringLiteral("ci")).state == SourceStatus::State::Ok, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(
            registry.status(QStringLiteral("broken")).state == SourceStatus::State::Failed, 20000);
        QVERIFY2(
            registry.status(QStringLiteral("broken")).error.contains(QStringLiteral("HTTP 502")),
            qPrintable(registry.status(QStringLiteral("broken")).error));
        QVERIFY(store.build(QStringLiteral("ci-team~app-build-11")));
        QCOMPARE(registry.status(QStringLiteral("ci")).builds, store.size());

        // Logs still come through the working source.
        const Result<LogChunk> log
            = wait(registry.fetchLog(QStringLiteral("ci-team~app-build-11")));
        QVERIFY2(log.ok(), qPrintable(log.error()));
        QVERIFY(log->text.contains("Finished: UNSTABLE"));
    }

    void mapsResults_data()
    {
        QTest::addColumn<bool>("building");
        QTest::addColumn<QJsonValue>("result");
        QTest::addColumn<BuildResult>("expected");
        QTest::newRow("building, result null")
            << true << QJsonValue(QJsonValue::Null) << BuildResult::Building;
        QTest::newRow("building wins over a result")
            << true << QJsonValue(QStringLiteral("SUCCESS")) << BuildResult::Building;
        QTest::newRow("SUCCESS") << false << QJsonValue(QStringLiteral("SUCCESS"))
                                 << BuildResult::Success;
        QTest::newRow("UNSTABLE") << false << QJsonValue(QStringLiteral("UNSTABLE"))
                                  << BuildResult::Unstable;
        QTest::newRow("FAILURE") << false << QJsonValue(QStringLiteral("FAILURE"))
                                 << BuildResult::Failure;
        QTest::newRow("ABORTED") << false << QJsonValue(QStringLiteral("ABORTED"))
                                 << BuildResult::Aborted;
        QTest::newRow("NOT_BUILT")
            << false << QJsonValue(QStringLiteral("NOT_BUILT")) << BuildResult::NotBuilt;
        QTest::newRow("null, not building (queued)")
            << false << QJsonValue(QJsonValue::Null) << BuildResult::NotBuilt;
        QTest::newRow("unknown word")
            << false << QJsonValue(QStringLiteral("WEIRD")) << BuildResult::NotBuilt;
    }

    void mapsResults()
    {
        QFETCH(bool, building);
        QFETCH(QJsonValue, result);
        QFETCH(BuildResult, expected);
        QCOMPARE(jenkins::mapResult(result, building), std::optional<BuildResult>(expected));
    }

    void namesBranches_data()
    {
        QTest::addColumn<QString>("ref");
        QTest::addColumn<QString>("branch");
        QTest::newRow("remote ref")
            << QStringLiteral("refs/remotes/origin/main") << QStringLiteral("main");
        QTest::newRow("remote ref with slash")
            << QStringLiteral("refs/remotes/origin/feature/x") << QStringLiteral("feature/x");
        QTest::newRow("origin/") << QStringLiteral("origin/release/1.2")
                                 << QStringLiteral("release/1.2");
        QTest::newRow("head ref") << QStringLiteral("refs/heads/main") << QStringLiteral("main");
        QTest::newRow("plain with slash")
            << QStringLiteral("feature/x") << QStringLiteral("feature/x");
        QTest::newRow("plain") << QStringLiteral("PR-7") << QStringLiteral("PR-7");
    }

    void namesBranches()
    {
        QFETCH(QString, ref);
        QFETCH(QString, branch);
        QCOMPARE(jenkins::branchName(ref), branch);
    }

    void rebasesForeignUrls_data()
    {
        QTest::addColumn<QString>("base");
        QTest::addColumn<QString>("absolute");
        QTest::addColumn<QString>("expected");
        QTest::newRow("other host") << QStringLiteral("https://ci.example.test")
                                    << QStringLiteral("http://jenkins.internal:8080/job/a/12/")
                                    << QStringLiteral("https://ci.example.test/job/a/12/");
        QTest::newRow("context path")
            << QStringLiteral("https://ci.example.test/jenkins")
            << QStringLiteral("http://localhost:8080/jenkins/job/a/job/b%252Fc/3/")
            << QStringLiteral("https://ci.example.test/jenkins/job/a/job/b%252Fc/3/");
        QTest::newRow("same host") << QStringLiteral("https://ci.example.test")
                                   << QStringLiteral("https://ci.example.test/job/a/1/")
                                   << QStringLiteral("https://ci.example.test/job/a/1/");
        QTest::newRow("queue item")
            << QStringLiteral("https://ci.example.test/jenkins")
            << QStringLiteral("http://10.0.0.1/jenkins/queue/item/5/")
            << QStringLiteral("https://ci.example.test/jenkins/queue/item/5/");
    }

    void rebasesForeignUrls()
    {
        QFETCH(QString, base);
        QFETCH(QString, absolute);
        QFETCH(QString, expected);
        QCOMPARE(jenkins::rebaseUrl(QUrl(base), absolute).toString(QUrl::FullyEncoded), expected);
    }
};

QTEST_GUILESS_MAIN(TestJenkinsProvider)
#include "tst_jenkinsprovider.moc"
