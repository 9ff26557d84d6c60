// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/scm/remotecompareclient.h"
#include "core/scm/scmtransport.h"
#include "fakescmserver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
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

QStringList shas(const ScmComparison &comparison)
{
    QStringList list;
    for (const ScmCommit &commit : comparison.commits)
        list.append(commit.sha);
    return list;
}

const ScmChangedFile *fileAt(const ScmComparison &comparison, const QString &path)
{
    for (const ScmChangedFile &file : comparison.files) {
        if (file.path == path)
            return &file;
    }
    return nullptr;
}

ScmRepository repositoryOn(const ScmHost &host, const QString &owner, const QString &name)
{
    ScmRepository repository;
    repository.kind = host.kind;
    repository.webUrl = host.webUrl;
    repository.owner = owner;
    repository.name = name;
    return repository;
}

Result<ScmComparison> wait(QFuture<Result<ScmComparison>> future)
{
    if (!QTest::qWaitFor([&] { return future.isFinished(); }, 10'000))
        return Error{QStringLiteral("the comparison did not finish")};
    return future.result();
}

// --- GitHub ---

QJsonObject gitHubCommit(const FakeScmServer &server, int i)
{
    const QString sha = shaOf(i);
    return {{"sha", sha},
            {"html_url", server.url(QStringLiteral("/acme/app/commit/") + sha).toString()},
            {"commit",
             QJsonObject{{"message", QStringLiteral("Change %1\n\nWhy it matters.").arg(i)},
                         {"author",
                          QJsonObject{{"name", "Ada"},
                                      {"email", "ada@example.test"},
                                      {"date", QStringLiteral("2024-05-01T09:0%1:00Z").arg(i)}}}}}};
}

QJsonArray gitHubCommits(const FakeScmServer &server, std::initializer_list<int> numbers)
{
    QJsonArray array;
    for (int i : numbers)
        array.append(gitHubCommit(server, i));
    return array;
}

QString gitHubPath(const QString &older, const QString &newer)
{
    return QStringLiteral("/api/v3/repos/acme/app/compare/") + older + QStringLiteral("...")
        + newer;
}

QList<QPair<QString, QString>> gitHubPage(int page)
{
    return {{QStringLiteral("per_page"), QStringLiteral("2")},
            {QStringLiteral("page"), QString::number(page)}};
}

} // namespace

class TestRemoteCompare : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void gitHubPagesNewestFirst();
    void gitHubFiles_data();
    void gitHubFiles();
    void gitHubBoundKeepsTheNewest();
    void gitHubFileCap();
    void gitHubUnknownSha();
    void gitHubRateLimit();
    void gitHubBytesThatAreNotUtf8();

    void gitLabCompare();
    void gitLabUnknownSha();

    void bitbucketServerPages();
    void bitbucketServerCutList();
    void bitbucketServerUnknownSha();

    void giteaCompare();
    void giteaWithoutDiffPage();

    void bitbucketCloudCompare();

    void unreachableServer();

private:
    ScmHost gitHubHost(const FakeScmServer &server) const
    {
        ScmHost host = ScmHost::fromBaseUrl(ScmKind::GitHub, server.url("/api/v3"));
        host.token = QStringLiteral("ghp-secret");
        return host;
    }

    void serveGitHubPages(FakeScmServer &server)
    {
        QJsonArray files;
        files.append(QJsonObject{{"filename", "src/parser.cpp"},
                                 {"status", "modified"},
                                 {"additions", 2},
                                 {"deletions", 1},
                                 {"changes", 3},
                                 {"patch",
                                  "@@ -40,3 +40,4 @@\n-  return 1;\n+  if (in.empty())\n"
                                  "+    return 0;"}});
        files.append(QJsonObject{{"filename", "include/util.h"},
                                 {"previous_filename", "lib/util.h"},
                                 {"status", "renamed"},
                                 {"additions", 0},
                                 {"deletions", 0},
                                 {"changes", 0}});
        files.append(QJsonObject{{"filename", "logo.png"},
                                 {"status", "modified"},
                                 {"additions", 0},
                                 {"deletions", 0},
                                 {"changes", 0}});
        files.append(QJsonObject{{"filename", "db/dump.sql"},
                                 {"status", "added"},
                                 {"additions", 50000},
                                 {"deletions", 0},
                                 {"changes", 50000}});
        const QString html
            = server.url(QStringLiteral("/acme/app/compare/") + Old + QStringLiteral("...") + New)
                  .toString();
        server.on(gitHubPath(Old, New), gitHubPage(1),
                  json({{"html_url", html},
                        {"status", "ahead"},
                        {"total_commits", 5},
                        {"commits", gitHubCommits(server, {1, 2})},
                        {"files", files}}));
        server.on(gitHubPath(Old, New), gitHubPage(2),
                  json({{"total_commits", 5}, {"commits", gitHubCommits(server, {3, 4})}}));
        server.on(gitHubPath(Old, New), gitHubPage(3),
                  json({{"total_commits", 5}, {"commits", gitHubCommits(server, {5})}}));
    }

    ScmCompareOptions pagesOfTwo() const
    {
        ScmCompareOptions options;
        options.pageSize = 2;
        return options;
    }

    NetworkScmTransport m_transport;
};

void TestRemoteCompare::gitHubPagesNewestFirst()
{
    FakeScmServer server;
    QVERIFY(server.isListening());
    serveGitHubPages(server);
    const ScmHost host = gitHubHost(server);
    RemoteCompareClient client(host, &m_transport);

    const Result<ScmComparison> result
        = wait(client.compare(repositoryOn(host, "acme", "app"), Old, New, pagesOfTwo()));
    QVERIFY2(result.ok(), qPrintable(result.error()));

    QCOMPARE(shas(*result), (QStringList{shaOf(5), shaOf(4), shaOf(3), shaOf(2), shaOf(1)}));
    QCOMPARE(result->totalCommits, 5);
    QVERIFY(!result->truncated);
    QCOMPARE(result->commits[0].author, QStringLiteral("Ada"));
    QCOMPARE(result->commits[0].subject(), QStringLiteral("Change 5"));
    QCOMPARE(result->commits[0].date, QDateTime(QDate(2024, 5, 1), QTime(9, 5), Qt::UTC));
    QCOMPARE(result->commits[0].url, server.url("/acme/app/commit/" + shaOf(5)).toString());
    QVERIFY(result->compareUrl.endsWith(QStringLiteral("/acme/app/compare/") + Old + "..." + New));

    // Page 1 for the files and the count, then from the last page down.
    QCOMPARE(server.seen().size(), 3);
    QCOMPARE(server.seen()[0].query.queryItemValue("page"), QStringLiteral("1"));
    QCOMPARE(server.seen()[1].query.queryItemValue("page"), QStringLiteral("3"));
    QCOMPARE(server.seen()[2].query.queryItemValue("page"), QStringLiteral("2"));
    QCOMPARE(server.seen()[0].authorization, QByteArray("Bearer ghp-secret"));
}

void TestRemoteCompare::gitHubFiles_data()
{
    // clang-format off
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("status");
    QTest::addColumn<QString>("oldPath");
    QTest::addColumn<bool>("binary");
    QTest::addColumn<bool>("hasPatch");
    QTest::addColumn<bool>("hasNote");

    QTest::newRow("modified") << "src/parser.cpp" << "modified" << "" << false << true << false;
    QTest::newRow("renamed") << "include/util.h" << "renamed" << "lib/util.h" << false << false
        << false;
    QTest::newRow("binary") << "logo.png" << "modified" << "" << true << false << false;
    QTest::newRow("too large") << "db/dump.sql" << "added" << "" << false << false << true;
    // clang-format on
}

void TestRemoteCompare::gitHubFiles()
{
    QFETCH(QString, path);
    QFETCH(QString, status);
    QFETCH(QString, oldPath);
    QFETCH(bool, binary);
    QFETCH(bool, hasPatch);
    QFETCH(bool, hasNote);

    FakeScmServer server;
    QVERIFY(server.isListening());
    serveGitHubPages(server);
    const ScmHost host = gitHubHost(server);
    RemoteCompareClient client(host, &m_transport);
    const Result<ScmComparison> result
        = wait(client.compare(repositoryOn(host, "acme", "app"), Old, New, pagesOfTwo()));
    QVERIFY2(result.ok(), qPrintable(result.error()));
    QCOMPARE(result->files.size(), 4);

    const ScmChangedFile *file = fileAt(*result, path);
    QVERIFY(file);
    QCOMPARE(scmFileStatusName(file->status), status);
    QCOMPARE(file->oldPath, oldPath);
    QCOMPARE(file->binary, binary);
    QCOMPARE(!file->patch.isEmpty(), hasPatch);
    QCOMPARE(!file->patchNote.isEmpty(), hasNote);
    if (hasPatch)
        QCOMPARE(file->patch,
                 QByteArray("@@ -40,3 +40,4 @@\n-  return 1;\n+  if (in.empty())\n"
                            "+    return 0;\n"));
}

void TestRemoteCompare::gitHubBoundKeepsTheNewest()
{
    FakeScmServer server;
    QVERIFY(server.isListening());
    serveGitHubPages(server);
    const ScmHost host = gitHubHost(server);
    RemoteCompareClient client(host, &m_transport);

    ScmCompareOptions options = pagesOfTwo();
    options.maxCommits = 2;
    const Result<ScmComparison> result
        = wait(client.compare(repositoryOn(host, "acme", "app"), Old, New, options));
    QVERIFY2(result.ok(), qPrintable(result.error()));
    QCOMPARE(shas(*result), (QStringList{shaOf(5), shaOf(4)}));
    QVERIFY(result->truncated);
    QCOMPARE(result->truncationMessage(),
             QStringLiteral("Showing the newest 2 of 5 commits; CI Companion reads at most 2."));
}

void TestRemoteCompare::gitHubFileCap()
{
    FakeScmServer server;
    QVERIFY(server.isListening());
    QJsonArray files;
    for (int i = 0; i < 300; ++i)
        files.append(QJsonObject{{"filename", QStringLiteral("gen/file%1.txt").arg(i)},
                                 {"status", "added"},
                                 {"additions", 1},
                                 {"deletions", 0},
                                 {"patch", "@@ -0,0 +1 @@\n+x"}});
    server.on(
        gitHubPath(Old, New), gitHubPage(1),
        json({{"total_commits", 1}, {"commits", gitHubCommits(server, {1})}, {"files", files}}));
    const ScmHost host = gitHubHost(server);
    RemoteCompareClient client(host, &m_transport);

    const Result<ScmComparison> result
        = wait(client.compare(repositoryOn(host, "acme", "app"), Old, New, pagesOfTwo()));
    QVERIFY2(result.ok(), qPrintable(result.error()));
    QCOMPARE(result->files.size(), 300);
    QVERIFY(result->truncated);
    QCOMPARE(result->truncationMessage(),
             QStringLiteral("GitHub lists at most 300 changed files in a comparison; files "
                            "after those are not shown."));
}

void TestRemoteCompare::gitHubUnknownSha()
{
    FakeScmServer server;
    QVERIFY(server.isListening());
    server.on(gitHubPath(QStringLiteral("dead"), New), {},
              R"({"message":"No commit found for SHA: dead","documentation_url":"https://docs"})",
              404);
    const ScmHost host = gitHubHost(server);
    RemoteCompareClient client(host, &m_transport);

    const Result<ScmComparison> result
        = wait(client.compare(repositoryOn(host, "acme", "app"), QStringLiteral("dead"), New));
    QVERIFY(!result.ok());
    QCOMPARE(result.error(),
             QStringLiteral("GitHub at 127.0.0.1 does not know dead or ") + New
                 + QStringLiteral(" in acme/app (HTTP 404: No commit found for SHA: dead). "
                                  "Check that both revisions were pushed and that the "
                                  "configured token can read the repository."));
}

void TestRemoteCompare::gitHubRateLimit()
{
    FakeScmServer server;
    QVERIFY(server.isListening());
    server.on(gitHubPath(Old, New), {}, R"({"message":"API rate limit exceeded"})", 403,
              {{"x-ratelimit-remaining", "0"}, {"x-ratelimit-reset", "1714557600"}});
    const ScmHost host = gitHubHost(server);
    RemoteCompareClient client(host, &m_transport);

    const Result<ScmComparison> result
        = wait(client.compare(repositoryOn(host, "acme", "app"), Old, New));
    QVERIFY(!result.ok());
    const QString until
        = QDateTime::fromSecsSinceEpoch(1714557600).toString(QStringLiteral("HH:mm"));
    QCOMPARE(result.error(),
             QStringLiteral("The rate limit of GitHub at 127.0.0.1 is spent until ") + until
                 + QStringLiteral("; try again then, or configure a token."));
}

void TestRemoteCompare::gitHubBytesThatAreNotUtf8()
{
    FakeScmServer server;
    QVERIFY(server.isListening());
    // A server passing Latin-1 file contents straight into its JSON.
    server.on(gitHubPath(Old, New), {},
              "{\"total_commits\":0,\"commits\":[],\"files\":[{\"filename\":\"menu.txt\","
              "\"status\":\"modified\",\"additions\":1,\"deletions\":1,"
              "\"patch\":\"@@ -1 +1 @@\\n-cr\xe8me\\n+cr\xe8me br\xfbl\xe9\"}]}");
    const ScmHost host = gitHubHost(server);
    RemoteCompareClient client(host, &m_transport);

    const Result<ScmComparison> result
        = wait(client.compare(repositoryOn(host, "acme", "app"), Old, New));
    QVERIFY2(result.ok(), qPrintable(result.error()));
    QCOMPARE(result->files.size(), 1);
    QCOMPARE(result->files[0].patchText(),
             QStringLiteral("@@ -1 +1 @@\n-cr\uFFFDme\n+cr\uFFFDme br\uFFFDl\uFFFD\n"));
}

void TestRemoteCompare::gitLabCompare()
{
    FakeScmServer server;
    QVERIFY(server.isListening());
    auto commit = [](int i) {
        return QJsonObject{
            {"id", shaOf(i)},
            {"title", QStringLiteral("Change %1").arg(i)},
            {"message", QStringLiteral("Change %1\n").arg(i)},
            {"author_name", "Grace"},
            {"author_email", "grace@example.test"},
            {"authored_date", QStringLiteral("2024-05-01T11:0%1:00.000+02:00").arg(i)}};
    };
    auto diff = [](const char *oldPath, const char *newPath, const char *text) {
        return QJsonObject{{"old_path", oldPath}, {"new_path", newPath},   {"diff", text},
                           {"new_file", false},   {"renamed_file", false}, {"deleted_file", false}};
    };
    QJsonObject added = diff("docs/new.md", "docs/new.md", "@@ -0,0 +1 @@\n+hello\n");
    added["new_file"] = true;
    QJsonObject removed = diff("old.txt", "old.txt", "@@ -1 +0,0 @@\n-bye\n");
    removed["deleted_file"] = true;
    QJsonObject renamed = diff("lib/a.h", "include/a.h", "");
    renamed["renamed_file"] = true;
    QJsonObject tooLarge = diff("dump.sql", "dump.sql", "");
    tooLarge["too_large"] = true;
    QJsonObject collapsed = diff("gen.json", "gen.json", "");
    collapsed["collapsed"] = true;

    const QJsonArray diffs{
        diff("src/a.cpp", "src/a.cpp",
             "--- a/src/a.cpp\n+++ b/src/a.cpp\n"
             "@@ -1,2 +1,2 @@\n ctx\n-old\n+new\n"),
        added,
        removed,
        renamed,
        diff("logo.png", "logo.png", "Binary files a/logo.png and b/logo.png differ\n"),
        tooLarge,
        collapsed};
    server.on(
        QStringLiteral("/gitlab/api/v4/projects/platform%2Finfra%2Forca-svc/repository/compare"),
        {{"from", Old}, {"to", New}, {"straight", "false"}},
        json({{"commit", commit(2)},
              {"commits", QJsonArray{commit(1), commit(2)}},
              {"diffs", diffs},
              {"compare_timeout", true},
              {"compare_same_ref", false},
              {"web_url", "https://gitlab.example.com/platform/infra/orca-svc/-/compare/a...b"}}));

    ScmHost host = ScmHost::fromBaseUrl(ScmKind::GitLab, server.url("/gitlab/"));
    host.token = QStringLiteral("glpat-secret");
    QCOMPARE(host.apiBase(), server.url("/gitlab/api/v4"));
    RemoteCompareClient client(host, &m_transport);

    const Result<ScmComparison> result
        = wait(client.compare(repositoryOn(host, "platform/infra", "orca-svc"), Old, New));
    QVERIFY2(result.ok(), qPrintable(result.error()));
    QCOMPARE(server.seen().first().privateToken, QByteArray("glpat-secret"));

    QCOMPARE(shas(*result), (QStringList{shaOf(2), shaOf(1)}));
    QCOMPARE(result->commits[0].date, QDateTime(QDate(2024, 5, 1), QTime(9, 2), Qt::UTC));
    QCOMPARE(result->commits[0].url,
             server.url("/gitlab/platform/infra/orca-svc/-/commit/" + shaOf(2)).toString());
    QVERIFY(result->truncated);
    QCOMPARE(result->truncationMessage(),
             QStringLiteral("GitLab stopped computing the diff at its time limit; some files "
                            "have no patch."));

    QCOMPARE(result->files.size(), 7);
    QCOMPARE(result->files[0].patch, QByteArray("@@ -1,2 +1,2 @@\n ctx\n-old\n+new\n"));
    QCOMPARE(result->files[0].additions, 1);
    QCOMPARE(result->files[0].deletions, 1);
    QCOMPARE(result->files[1].status, ScmChangedFile::Status::Added);
    QCOMPARE(result->files[2].status, ScmChangedFile::Status::Removed);
    QCOMPARE(result->files[3].status, ScmChangedFile::Status::Renamed);
    QCOMPARE(result->files[3].oldPath, QStringLiteral("lib/a.h"));
    QVERIFY(result->files[4].binary);
    QVERIFY(result->files[5].patchNote.contains(QStringLiteral("size limit")));
    QVERIFY(result->files[6].patchNote.contains(QStringLiteral("collapsed")));
}

void TestRemoteCompare::gitLabUnknownSha()
{
    FakeScmServer server;
    QVERIFY(server.isListening());
    server.on(QStringLiteral("/api/v4/projects/platform%2Forca-svc/repository/compare"), {},
              R"({"message":"404 Commit Not Found"})", 404);
    const ScmHost host = ScmHost::fromBaseUrl(ScmKind::GitLab, server.url());
    RemoteCompareClient client(host, &m_transport);

    const Result<ScmComparison> result
        = wait(client.compare(repositoryOn(host, "platform", "orca-svc"), Old, New));
    QVERIFY(!result.ok());
    QVERIFY2(result.error().contains(QStringLiteral("(HTTP 404: 404 Commit Not Found)")),
             qPrintable(result.error()));
}

void TestRemoteCompare::bitbucketServerPages()
{
    FakeScmServer server;
    QVERIFY(server.isListening());
    auto commit = [](int i) {
        return QJsonObject{{"id", shaOf(i)},
                           {"displayId", shaOf(i).left(11)},
                           {"author",
                            QJsonObject{{"name", "ada"},
                                        {"emailAddress", "ada@example.test"},
                                        {"displayName", "Ada Lovelace"}}},
                           {"authorTimestamp", qint64(1714554000000) + i * 60000},
                           {"message", QStringLiteral("Change %1").arg(i)}};
    };
    const QString base
        = QStringLiteral("/bitbucket/rest/api/1.0/projects/SPKR/repos/keel-app/compare/");
    // Bitbucket's source is the newer side: from=New, to=Old.
    server.on(base + "commits", {{"from", New}, {"to", Old}, {"start", "0"}, {"limit", "2"}},
              json({{"size", 2},
                    {"limit", 2},
                    {"isLastPage", false},
                    {"start", 0},
                    {"nextPageStart", 2},
                    {"values", QJsonArray{commit(3), commit(2)}}}));
    server.on(base + "commits", {{"from", New}, {"to", Old}, {"start", "2"}},
              json({{"size", 1},
                    {"limit", 2},
                    {"isLastPage", true},
                    {"start", 2},
                    {"values", QJsonArray{commit(1)}}}));

    auto path = [](const char *text) { return QJsonObject{{"toString", text}}; };
    auto change = [&](const char *type, const char *file) {
        return QJsonObject{{"type", type}, {"path", path(file)}, {"nodeType", "FILE"}};
    };
    QJsonObject moved = change("MOVE", "include/a.h");
    moved["srcPath"] = path("lib/a.h");
    server.on(
        base + "changes", {{"from", New}, {"to", Old}, {"start", "0"}},
        json({{"isLastPage", true},
              {"values",
               QJsonArray{change("MODIFY", "src/a.cpp"), change("ADD", "docs/new.md"),
                          change("DELETE", "old.txt"), moved, change("MODIFY", "logo.png")}}}));

    auto hunk = [](int sourceLine, int sourceSpan, int destinationLine, int destinationSpan,
                   QJsonArray segments) {
        return QJsonObject{{"sourceLine", sourceLine},
                           {"sourceSpan", sourceSpan},
                           {"destinationLine", destinationLine},
                           {"destinationSpan", destinationSpan},
                           {"segments", segments},
                           {"truncated", false}};
    };
    auto segment = [](const char *type, QStringList lines) {
        QJsonArray array;
        for (const QString &line : lines)
            array.append(QJsonObject{{"line", line}, {"truncated", false}});
        return QJsonObject{{"type", type}, {"lines", array}, {"truncated", false}};
    };
    const QJsonArray diffs{
        QJsonObject{{"source", path("src/a.cpp")},
                    {"destination", path("src/a.cpp")},
                    {"hunks",
                     QJsonArray{hunk(1, 2, 1, 2,
                                     {segment("CONTEXT", {"ctx"}), segment("REMOVED", {"old"}),
                                      segment("ADDED", {"new"})})}},
                    {"truncated", false}},
        QJsonObject{{"source", QJsonValue::Null},
                    {"destination", path("docs/new.md")},
                    {"hunks", QJsonArray{hunk(0, 0, 1, 1, {segment("ADDED", {"hello"})})}}},
        QJsonObject{{"source", path("old.txt")},
                    {"destination", QJsonValue::Null},
                    {"hunks", QJsonArray{hunk(1, 1, 0, 0, {segment("REMOVED", {"bye"})})}}},
        QJsonObject{{"source", path("lib/a.h")},
                    {"destination", path("include/a.h")},
                    {"hunks", QJsonArray{}}},
        QJsonObject{
            {"source", path("logo.png")}, {"destination", path("logo.png")}, {"binary", true}}};
    server.on(base + "diff", {{"from", New}, {"to", Old}, {"contextLines", "3"}},
              json({{"fromHash", New}, {"toHash", Old}, {"diffs", diffs}, {"truncated", false}}));

    ScmHost host = ScmHost::fromBaseUrl(ScmKind::BitbucketServer, server.url("/bitbucket"));
    host.username = QStringLiteral("ci");
    host.token = QStringLiteral("pat");
    RemoteCompareClient client(host, &m_transport);

    const Result<ScmComparison> result
        = wait(client.compare(repositoryOn(host, "SPKR", "keel-app"), Old, New, pagesOfTwo()));
    QVERIFY2(result.ok(), qPrintable(result.error()));
    QCOMPARE(server.seen().first().authorization, "Basic " + QByteArray("ci:pat").toBase64());

    QCOMPARE(shas(*result), (QStringList{shaOf(3), shaOf(2), shaOf(1)}));
    QVERIFY(!result->truncated);
    QCOMPARE(result->commits[0].author, QStringLiteral("Ada Lovelace"));
    QCOMPARE(result->commits[0].date.toMSecsSinceEpoch(), 1714554000000 + 3 * 60000);
    QCOMPARE(result->commits[0].url,
             server.url("/bitbucket/projects/SPKR/repos/keel-app/commits/" + shaOf(3)).toString());
    QCOMPARE(result->compareUrl,
             server.url("/bitbucket/projects/SPKR/repos/keel-app/compare/commits?targetBranch=")
                     .toString()
                 + Old + "&sourceBranch=" + New);

    QCOMPARE(result->files.size(), 5);
    QCOMPARE(result->files[0].patch, QByteArray("@@ -1,2 +1,2 @@\n ctx\n-old\n+new\n"));
    QCOMPARE(result->files[1].status, ScmChangedFile::Status::Added);
    QCOMPARE(result->files[1].patch, QByteArray("@@ -0,0 +1,1 @@\n+hello\n"));
    QCOMPARE(result->files[2].status, ScmChangedFile::Status::Removed);
    QCOMPARE(result->files[2].deletions, 1);
    QCOMPARE(result->files[3].status, ScmChangedFile::Status::Renamed);
    QCOMPARE(result->files[3].oldPath, QStringLiteral("lib/a.h"));
    QVERIFY(result->files[4].binary);
}

void TestRemoteCompare::bitbucketServerCutList()
{
    FakeScmServer server;
    QVERIFY(server.isListening());
    const QString base = QStringLiteral("/rest/api/1.0/projects/SPKR/repos/keel-app/compare/");
    QJsonArray values;
    for (int i = 2; i >= 1; --i)
        values.append(QJsonObject{{"id", shaOf(i)}, {"message", "m"}, {"authorTimestamp", 0}});
    server.on(base + "commits", {{"start", "0"}},
              json({{"isLastPage", false}, {"nextPageStart", 2}, {"values", values}}));
    const ScmHost host = ScmHost::fromBaseUrl(ScmKind::BitbucketServer, server.url());
    RemoteCompareClient client(host, &m_transport);

    ScmCompareOptions options = pagesOfTwo();
    options.maxCommits = 2;
    options.withFiles = false;
    const Result<ScmComparison> result
        = wait(client.compare(repositoryOn(host, "SPKR", "keel-app"), Old, New, options));
    QVERIFY2(result.ok(), qPrintable(result.error()));
    QCOMPARE(result->commits.size(), 2);
    QVERIFY(result->truncated);
    QCOMPARE(result->truncationMessage(),
             QStringLiteral("Showing the newest 2 commits; CI Companion reads at most 2."));
    QCOMPARE(server.seen().size(), 1);
}

void TestRemoteCompare::bitbucketServerUnknownSha()
{
    FakeScmServer server;
    QVERIFY(server.isListening());
    server.on(
        QStringLiteral("/rest/api/1.0/projects/SPKR/repos/keel-app/compare/commits"), {},
        R"({"errors":[{"context":null,"message":"Commit 'dead' does not exist in repository )"
        R"('keel-app'.","exceptionName":"com.atlassian.bitbucket.commit.NoSuchCommitException"}]})",
        404);
    const ScmHost host = ScmHost::fromBaseUrl(ScmKind::BitbucketServer, server.url());
    RemoteCompareClient client(host, &m_transport);

    const Result<ScmComparison> result
        = wait(client.compare(repositoryOn(host, "SPKR", "keel-app"), QStringLiteral("dead"), New));
    QVERIFY(!result.ok());
    QVERIFY2(result.error().contains(QStringLiteral(
                 "(HTTP 404: Commit 'dead' does not exist in repository 'keel-app'.)")),
             qPrintable(result.error()));
}

void TestRemoteCompare::giteaCompare()
{
    FakeScmServer server;
    QVERIFY(server.isListening());
    auto commit = [](int i) {
        return QJsonObject{
            {"sha", shaOf(i)},
            {"commit",
             QJsonObject{{"message", QStringLiteral("Change %1").arg(i)},
                         {"author",
                          QJsonObject{{"name", "Linus"},
                                      {"email", "l@example.test"},
                                      {"date", QStringLiteral("2024-05-01T09:0%1:00Z").arg(i)}}}}},
            {"files", QJsonArray{QJsonObject{{"filename", "a.txt"}}}}};
    };
    const QString range = Old + QStringLiteral("...") + New;
    server.on(QStringLiteral("/api/v1/repos/acme/app/compare/") + range, {},
              json({{"total_commits", 3}, {"commits", QJsonArray{commit(1), commit(2)}}}));
    server.on(FakeScmServer::Answer{
        QStringLiteral("/acme/app/compare/") + range + QStringLiteral(".diff"),
        {},
        200,
        "diff --git a/lib/a.h b/include/a.h\n"
        "similarity index 95%\nrename from lib/a.h\nrename to include/a.h\n"
        "--- a/lib/a.h\n+++ b/include/a.h\n@@ -1 +1 @@\n-old\n+new\n"
        "diff --git a/logo.png b/logo.png\nBinary files a/logo.png and b/logo.png differ\n"
        "diff --git a/menu.txt b/menu.txt\n--- a/menu.txt\n+++ b/menu.txt\n"
        "@@ -1 +1 @@\n-cr\xe8me\n+cr\xe8me br\xfbl\xe9\n",
        "text/plain; charset=utf-8",
        {}});

    ScmHost host = ScmHost::fromBaseUrl(ScmKind::Gitea, server.url("/"));
    host.token = QStringLiteral("gt");
    RemoteCompareClient client(host, &m_transport);

    const Result<ScmComparison> result
        = wait(client.compare(repositoryOn(host, "acme", "app"), Old, New));
    QVERIFY2(result.ok(), qPrintable(result.error()));
    QCOMPARE(server.seen().first().authorization, QByteArray("token gt"));
    QCOMPARE(shas(*result), (QStringList{shaOf(2), shaOf(1)}));
    QVERIFY(result->truncated);
    QCOMPARE(result->truncationMessage(), QStringLiteral("Gitea listed 2 of the 3 commits."));

    QCOMPARE(result->files.size(), 3);
    QCOMPARE(result->files[0].status, ScmChangedFile::Status::Renamed);
    QCOMPARE(result->files[0].oldPath, QStringLiteral("lib/a.h"));
    QVERIFY(result->files[1].binary);
    QCOMPARE(result->files[2].patch, QByteArray("@@ -1 +1 @@\n-cr\xe8me\n+cr\xe8me br\xfbl\xe9\n"));
}

void TestRemoteCompare::giteaWithoutDiffPage()
{
    FakeScmServer server;
    QVERIFY(server.isListening());
    const QJsonObject commit{
        {"sha", shaOf(1)},
        {"commit", QJsonObject{{"message", "m"}}},
        {"files",
         QJsonArray{QJsonObject{{"filename", "b.txt"}}, QJsonObject{{"filename", "a.txt"}}}}};
    server.on(QStringLiteral("/api/v1/repos/acme/app/compare/") + Old + "..." + New, {},
              json({{"total_commits", 1}, {"commits", QJsonArray{commit}}}));
    const ScmHost host = ScmHost::fromBaseUrl(ScmKind::Gitea, server.url());
    RemoteCompareClient client(host, &m_transport);

    const Result<ScmComparison> result
        = wait(client.compare(repositoryOn(host, "acme", "app"), Old, New));
    QVERIFY2(result.ok(), qPrintable(result.error()));
    QCOMPARE(result->files.size(), 2);
    QCOMPARE(result->files[0].path, QStringLiteral("a.txt"));
    QVERIFY(result->files[0].patch.isEmpty());
    QVERIFY(
        result->files[0].patchNote.startsWith(QStringLiteral("No patch: Gitea's compare page")));
}

void TestRemoteCompare::bitbucketCloudCompare()
{
    FakeScmServer server;
    QVERIFY(server.isListening());
    auto commit = [&](int i) {
        return QJsonObject{
            {"hash", shaOf(i)},
            {"date", QStringLiteral("2024-05-01T09:0%1:00+00:00").arg(i)},
            {"message", QStringLiteral("Change %1").arg(i)},
            {"author", QJsonObject{{"raw", "Ada Lovelace <ada@example.test>"}}},
            {"links",
             QJsonObject{
                 {"html",
                  QJsonObject{{"href",
                               QString(QStringLiteral("https://bitbucket.org/ws/repo/commits/")
                                       + shaOf(i))}}}}}};
    };
    const QString commits = QStringLiteral("/2.0/repositories/ws/repo/commits");
    QUrl next = server.url(commits);
    next.setQuery(QStringLiteral("include=%1&exclude=%2&pagelen=2&page=2").arg(New, Old));
    server.on(commits, {{"page", "2"}}, json({{"pagelen", 2}, {"values", QJsonArray{commit(1)}}}));
    server.on(commits, {{"include", New}, {"exclude", Old}, {"pagelen", "2"}},
              json({{"pagelen", 2},
                    {"values", QJsonArray{commit(3), commit(2)}},
                    {"next", next.toString()}}));
    server.on(FakeScmServer::Answer{
        QStringLiteral("/2.0/repositories/ws/repo/diff/") + New + ".." + Old,
        {},
        200,
        "diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n@@ -1 +1,2 @@\n a\n+b\n",
        "text/plain",
        {}});

    ScmHost host;
    host.kind = ScmKind::BitbucketCloud;
    host.webUrl = QUrl(QStringLiteral("https://bitbucket.org"));
    host.apiUrl = server.url("/2.0");
    RemoteCompareClient client(host, &m_transport);

    const Result<ScmComparison> result
        = wait(client.compare(repositoryOn(host, "ws", "repo"), Old, New, pagesOfTwo()));
    QVERIFY2(result.ok(), qPrintable(result.error()));
    QCOMPARE(shas(*result), (QStringList{shaOf(3), shaOf(2), shaOf(1)}));
    QCOMPARE(result->commits[0].author, QStringLiteral("Ada Lovelace"));
    QCOMPARE(result->commits[0].authorEmail, QStringLiteral("ada@example.test"));
    QCOMPARE(result->compareUrl,
             QStringLiteral("https://bitbucket.org/ws/repo/branches/compare/") + New + ".." + Old);
    QCOMPARE(result->files.size(), 1);
    QCOMPARE(result->files[0].additions, 1);
}

void TestRemoteCompare::unreachableServer()
{
    quint16 closedPort = 0;
    {
        FakeScmServer server;
        closedPort = quint16(server.url().port());
    }
    ScmHost host = ScmHost::fromBaseUrl(
        ScmKind::GitHub, QUrl(QStringLiteral("http://127.0.0.1:%1/api/v3").arg(closedPort)));
    RemoteCompareClient client(host, &m_transport);
    const Result<ScmComparison> result
        = wait(client.compare(repositoryOn(host, "acme", "app"), Old, New));
    QVERIFY(!result.ok());
    QVERIFY2(result.error().startsWith(QStringLiteral("Could not reach GitHub at 127.0.0.1: ")),
             qPrintable(result.error()));
}

QTEST_GUILESS_MAIN(TestRemoteCompare)
#include "tst_remotecompare.moc"
