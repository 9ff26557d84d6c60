// SPDX-License-Identifier: GPL-3.0-or-later
// GitHub's answers onto the build model, without a server: status and conclusion, the web
// root of an API base, Link headers, and runs with missing parts.
#include "core/providers/github/githubmapping.h"

#include <QJsonDocument>
#include <QTest>

using namespace cic;

namespace {

const char RunWithoutNames[] = R"({"id": 9000000001, "name": null, "run_number": 3000000000,
    "status": "completed", "conclusion": "success", "head_sha": "abc", "head_branch": null,
    "head_commit": null, "created_at": "2024-05-01T10:00:00Z", "updated_at": "2024-05-01T10:01:00Z",
    "html_url": "https://github.com/acme/app/actions/runs/9000000001", "pull_requests": []})";

const char RunningRun[] = R"({"id": 42, "name": "CI", "run_number": 7, "status": "in_progress",
    "conclusion": null, "head_sha": "abc", "head_branch": "main",
    "run_started_at": "2024-05-01T10:00:00Z", "updated_at": "2024-05-01T10:00:30Z"})";

} // namespace

class TestGitHubMapping : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void mapsStatusAndConclusion_data()
    {
        QTest::addColumn<QString>("status");
        QTest::addColumn<QString>("conclusion");
        QTest::addColumn<bool>("building");
        QTest::addColumn<int>("result");

        const int notBuilt = int(BuildResult::NotBuilt);
        QTest::newRow("queued") << "queued"
                                << "" << false << notBuilt;
        QTest::newRow("requested") << "requested"
                                   << "" << false << notBuilt;
        QTest::newRow("waiting (approval)") << "waiting"
                                            << "" << false << notBuilt;
        QTest::newRow("pending") << "pending"
                                 << "" << false << notBuilt;
        QTest::newRow("in_progress") << "in_progress"
                                     << "" << true << int(BuildResult::Building);
        QTest::newRow("success") << "completed"
                                 << "success" << false << int(BuildResult::Success);
        QTest::newRow("neutral") << "completed"
                                 << "neutral" << false << int(BuildResult::Success);
        QTest::newRow("failure") << "completed"
                                 << "failure" << false << int(BuildResult::Failure);
        QTest::newRow("startup_failure") << "completed"
                                         << "startup_failure" << false << int(BuildResult::Failure);
        QTest::newRow("timed_out") << "completed"
                                   << "timed_out" << false << int(BuildResult::Failure);
        QTest::newRow("cancelled") << "completed"
                                   << "cancelled" << false << int(BuildResult::Aborted);
        QTest::newRow("stale") << "completed"
                               << "stale" << false << int(BuildResult::Aborted);
        QTest::newRow("skipped") << "completed"
                                 << "skipped" << false << notBuilt;
        QTest::newRow("action_required") << "completed"
                                         << "action_required" << false << notBuilt;
        QTest::newRow("unknown conclusion") << "completed"
                                            << "exploded" << false << notBuilt;
        QTest::newRow("completed, no conclusion") << "completed"
                                                  << "" << false << notBuilt;
        QTest::newRow("unknown status") << "paused"
                                        << "" << false << notBuilt;
    }

    void mapsStatusAndConclusion()
    {
        QFETCH(QString, status);
        QFETCH(QString, conclusion);
        QFETCH(bool, building);
        QFETCH(int, result);

        const github::Outcome outcome = github::mapOutcome(status, conclusion);
        QCOMPARE(outcome.building, building);
        QCOMPARE(int(outcome.result), result);
    }

    void findsTheWebRoot_data()
    {
        QTest::addColumn<QString>("apiBase");
        QTest::addColumn<QString>("webBase");
        QTest::newRow("github.com") << "https://api.github.com"
                                    << "https://github.com";
        QTest::newRow("github.com, slash") << "https://api.github.com/"
                                           << "https://github.com";
        QTest::newRow("enterprise") << "https://ghe.example/api/v3"
                                    << "https://ghe.example";
        QTest::newRow("enterprise, slash") << "https://ghe.example/api/v3/"
                                           << "https://ghe.example";
        QTest::newRow("enterprise with port") << "http://127.0.0.1:8123/api/v3"
                                              << "http://127.0.0.1:8123";
    }

    void findsTheWebRoot()
    {
        QFETCH(QString, apiBase);
        QFETCH(QString, webBase);
        QCOMPARE(github::webBaseFor(QUrl(apiBase)), webBase);
    }

    void readsLinkHeaders_data()
    {
        QTest::addColumn<QByteArray>("link");
        QTest::addColumn<QString>("next");
        QTest::newRow("next and last")
            << QByteArray(R"(<https://api.github.com/r?per_page=2&page=2>; rel="next", )"
                          R"(<https://api.github.com/r?per_page=2&page=5>; rel="last")")
            << "https://api.github.com/r?per_page=2&page=2";
        QTest::newRow("last page")
            << QByteArray(R"(<https://api.github.com/r?page=1>; rel="first", )"
                          R"(<https://api.github.com/r?page=4>; rel="prev")")
            << "";
        QTest::newRow("next not first")
            << QByteArray(R"(<https://x/r?page=1>; rel="prev", <https://x/r?page=3>; rel="next")")
            << "https://x/r?page=3";
        QTest::newRow("encoded") << QByteArray(R"(<https://x/r?branch=a%2Fb&page=2>; rel="next")")
                                 << "https://x/r?branch=a%2Fb&page=2";
        QTest::newRow("none") << QByteArray() << "";
    }

    void readsLinkHeaders()
    {
        QFETCH(QByteArray, link);
        QFETCH(QString, next);
        QCOMPARE(github::nextPageUrl(link).toString(QUrl::FullyEncoded), next);
    }

    void makesIdsThatKeepTheRunId()
    {
        const github::Repository repository{QStringLiteral("acme"), QStringLiteral("my_app")};
        const QString id = github::buildId(QStringLiteral("gh main"), repository, 9000000001);
        QCOMPARE(id, QStringLiteral("gh_20main-acme~my__app-9000000001"));
        QCOMPARE(github::runIdOf(id), 9000000001);
        QVERIFY(!github::Repository::parse(QStringLiteral("acme")));
        QVERIFY(!github::Repository::parse(QStringLiteral("acme/app/x")));
        QCOMPARE(github::Repository::parse(QStringLiteral("acme/app"))->fullName(),
                 QStringLiteral("acme/app"));
    }

    void mapsARunWithMissingParts()
    {
        const github::Context context{
            QStringLiteral("gh"), QStringLiteral("https://github.com"), {}};
        const Build build
            = github::mapRun(QJsonDocument::fromJson(RunWithoutNames).object(),
                             {QStringLiteral("acme"), QStringLiteral("app")}, context);
        QCOMPARE(build.name, QStringLiteral("acme/app"));
        QCOMPARE(build.fullDisplayName, QStringLiteral("acme/app #2147483647"));
        QCOMPARE(build.number, 2147483647); // keel reads a 32-bit number
        QCOMPARE(build.scm.size(), 1);
        QCOMPARE(build.scm.first().sha1, QStringLiteral("abc"));
        QVERIFY(build.scm.first().branch.isEmpty());
        QVERIFY(build.scm.first().name.isEmpty());
        QVERIFY(build.scm.first().committer.isEmpty());
        QCOMPARE(build.scm.first().remoteUrl, QStringLiteral("https://github.com/acme/app.git"));
        QCOMPARE(build.timestampMs.value_or(0), 1714557600000); // created_at stands in
        QCOMPARE(build.durationMs.value_or(0), 60000);
        QVERIFY(!build.properties.contains(QStringLiteral("pullRequestNumber")));
    }

    void aRunningRunCountsUp()
    {
        github::Context context{
            QStringLiteral("gh"), QStringLiteral("https://github.com"),
            QDateTime::fromString(QStringLiteral("2024-05-01T10:02:00Z"), Qt::ISODate)};
        const Build build
            = github::mapRun(QJsonDocument::fromJson(RunningRun).object(),
                             {QStringLiteral("acme"), QStringLiteral("app")}, context);
        QVERIFY(build.building);
        QCOMPARE(build.durationMs.value_or(0), 120000); // now - start, not updated_at
        QVERIFY(!build.properties.contains(QStringLiteral("completedAt")));
    }

    void mapsArtifacts()
    {
        const QJsonObject json{{QStringLiteral("id"), 501},
                               {QStringLiteral("name"), QStringLiteral("app-linux")},
                               {QStringLiteral("size_in_bytes"), 123456},
                               {QStringLiteral("expired"), true},
                               {QStringLiteral("archive_download_url"),
                                QStringLiteral("https://api.github.com/repos/acme/app/actions/"
                                               "artifacts/501/zip")},
                               {QStringLiteral("digest"), QJsonValue()}};
        const BuildArtifact artifact = github::mapArtifact(json);
        QCOMPARE(artifact.name, QStringLiteral("app-linux"));
        QCOMPARE(artifact.fileName, QStringLiteral("app-linux.zip"));
        QCOMPARE(artifact.type, QStringLiteral("zip"));
        QCOMPARE(artifact.metadata.value(QStringLiteral("sizeInBytes")), QStringLiteral("123456"));
        QCOMPARE(artifact.metadata.value(QStringLiteral("expired")), QStringLiteral("true"));
        QVERIFY(!artifact.metadata.contains(QStringLiteral("digest")));
        QCOMPARE(artifact.url, json.value(QLatin1String("archive_download_url")).toString());
    }
};

QTEST_GUILESS_MAIN(TestGitHubMapping)
#include "tst_githubmapping.moc"
