// SPDX-License-Identifier: GPL-3.0-or-later
// Buildbot's answers onto the build model, without a master: result codes, channel prefixes,
// revisions from properties, source stamps and changes.
#include "core/providers/buildbot/buildbotmapping.h"

#include <QJsonDocument>
#include <QTest>

using namespace cic;

namespace {

QJsonObject object(const char *json)
{
    return QJsonDocument::fromJson(json).object();
}

const char EnvelopeJson[] = R"({"builds":[{"buildid":4},{"buildid":5}],"meta":{"total":1}})";

const char ErrorJson[] = R"({"error":"x"})";

const char BuildJson[] = R"({"buildid": 4, "number": 2, "builderid": 7,
            "buildrequestid": 4, "started_at": 1714550400, "complete": true,
            "complete_at": 1714550461, "results": 0, "state_string": "build successful",
            "properties": {
              "got_revision": ["89abcdef89abcdef89abcdef89abcdef89abcdef",
                               "SetPropertyFromCommand Step"],
              "branch": ["main", "Build"],
              "revision": ["fedcba9876543210fedcba9876543210fedcba98", "Build"],
              "repository": ["ssh://git@stash.example.test:7999/spkr/keel-app.git", "Build"]}})";

const char RunningBuildJson[] = R"({"number": 3, "builderid": 1, "started_at": 1714550400,
            "complete": false, "complete_at": null, "results": null, "properties": {}})";

const char CodebasesJson[] = R"({"properties": {
            "got_revision": [{"app": "1111111111111111111111111111111111111111",
                              "lib": "2222222222222222222222222222222222222222"}, "Git"]}})";

} // namespace

class TestBuildbotMapping : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void mapsResults_data()
    {
        QTest::addColumn<QJsonValue>("results");
        QTest::addColumn<bool>("complete");
        QTest::addColumn<int>("expected");

        QTest::newRow("running, null")
            << QJsonValue(QJsonValue::Null) << false << int(BuildResult::Building);
        QTest::newRow("running, stale code")
            << QJsonValue(2) << false << int(BuildResult::Building);
        QTest::newRow("finished, null")
            << QJsonValue(QJsonValue::Null) << true << int(BuildResult::NotBuilt);
        QTest::newRow("0 SUCCESS") << QJsonValue(0) << true << int(BuildResult::Success);
        QTest::newRow("1 WARNINGS") << QJsonValue(1) << true << int(BuildResult::Unstable);
        QTest::newRow("2 FAILURE") << QJsonValue(2) << true << int(BuildResult::Failure);
        QTest::newRow("3 SKIPPED") << QJsonValue(3) << true << int(BuildResult::NotBuilt);
        QTest::newRow("4 EXCEPTION") << QJsonValue(4) << true << int(BuildResult::Failure);
        QTest::newRow("5 RETRY") << QJsonValue(5) << true << int(BuildResult::Aborted);
        QTest::newRow("6 CANCELLED") << QJsonValue(6) << true << int(BuildResult::Aborted);
        QTest::newRow("unknown 7") << QJsonValue(7) << true << int(BuildResult::NotBuilt);
        QTest::newRow("-1 (a waiting request)")
            << QJsonValue(-1) << true << int(BuildResult::NotBuilt);
    }

    void mapsResults()
    {
        QFETCH(QJsonValue, results);
        QFETCH(bool, complete);
        QFETCH(int, expected);
        const std::optional<BuildResult> result = buildbot::mapResult(results, complete);
        QVERIFY(result.has_value());
        QCOMPARE(int(*result), expected);
    }

    void stripsChannels_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<bool>("keepHeaders");
        QTest::addColumn<QByteArray>("expected");

        const QByteArray mixed = "hsh -c 'make'\nh HOME=/root\nocc -c main.c\nenote: chatter\n"
                                 "o\nhprogram finished with exit code 0\n";
        QTest::newRow("headers dropped")
            << mixed << false << QByteArray("cc -c main.c\nnote: chatter\n\n");
        QTest::newRow("headers kept")
            << mixed << true
            << QByteArray("sh -c 'make'\n HOME=/root\ncc -c main.c\nnote: chatter\n\nprogram "
                          "finished with exit code 0\n");
        QTest::newRow("no final newline") << QByteArray("oa\nob") << false << QByteArray("a\nb");
        QTest::newRow("unmarked line")
            << QByteArray("plain text\n") << false << QByteArray("plain text\n");
        QTest::newRow("empty") << QByteArray() << false << QByteArray();
        QTest::newRow("utf-8") << QByteArray("o\xc3\xa9t\xc3\xa9\n") << false
                               << QByteArray("\xc3\xa9t\xc3\xa9\n");
    }

    void stripsChannels()
    {
        QFETCH(QByteArray, content);
        QFETCH(bool, keepHeaders);
        QFETCH(QByteArray, expected);
        QCOMPARE(buildbot::stripChannels(content, keepHeaders), expected);
    }

    void readsEnvelopes()
    {
        const QJsonObject answer = object(EnvelopeJson);
        const QList<QJsonObject> builds = buildbot::entities(answer, QLatin1String("builds"));
        QCOMPARE(builds.size(), 2); // meta.total says 1: it counts the page, not the builds
        QCOMPARE(builds.at(1).value(QLatin1String("buildid")).toInt(), 5);
        QVERIFY(buildbot::entities(object(ErrorJson), QLatin1String("builds")).isEmpty());
    }

    void namesPeople_data()
    {
        QTest::addColumn<QString>("author");
        QTest::addColumn<QString>("name");
        QTest::newRow("name and mail") << "Jane Dev <jane@example.test>"
                                       << "Jane Dev";
        QTest::newRow("name only") << "jane"
                                   << "jane";
        QTest::newRow("mail only") << "<jane@example.test>"
                                   << "<jane@example.test>";
    }

    void namesPeople()
    {
        QFETCH(QString, author);
        QFETCH(QString, name);
        QCOMPARE(buildbot::personName(author), name);
    }

    void mapsABuild()
    {
        const QJsonObject json = object(BuildJson);
        buildbot::Builder builder{7, QStringLiteral("app build"), {}, {}};
        buildbot::Context context{
            QStringLiteral("main bb"), QUrl(QStringLiteral("https://bb.example.test/")), {}, {}};

        const Build build = buildbot::mapBuild(json, builder, {}, {}, context);
        QCOMPARE(build.id, QStringLiteral("main_20bb-app_20build-2"));
        QCOMPARE(build.url, QStringLiteral("https://bb.example.test/#/builders/7/builds/2"));
        QCOMPARE(build.timestampMs.value_or(0), 1714550400000);
        QCOMPARE(build.durationMs.value_or(0), 61000);
        QCOMPARE(build.properties.value(QStringLiteral("startedAt")),
                 QStringLiteral("2024-05-01T08:00:00Z"));
        QCOMPARE(build.properties.value(QStringLiteral("completedAt")),
                 QStringLiteral("2024-05-01T08:01:01Z"));
        QCOMPARE(build.projectKey(), QStringLiteral("SPKR"));
        QCOMPARE(build.repoSlug(), QStringLiteral("keel-app"));
        QCOMPARE(build.scm.size(), 1);
        QCOMPARE(build.scm.first().sha1,
                 QStringLiteral("89abcdef89abcdef89abcdef89abcdef89abcdef"));
        QCOMPARE(build.scm.first().compareUrl,
                 QStringLiteral("https://stash.example.test/projects/SPKR/repos/keel-app/commits/"
                                "89abcdef89abcdef89abcdef89abcdef89abcdef"));
    }

    void runningBuildHasElapsedTime()
    {
        const QJsonObject json = object(RunningBuildJson);
        buildbot::Context context;
        context.source = QStringLiteral("bb");
        context.now = QDateTime::fromSecsSinceEpoch(1714550430, Qt::UTC);
        const Build build
            = buildbot::mapBuild(json, {1, QStringLiteral("ok"), {}, {}}, {}, {}, context);
        QVERIFY(build.building);
        QCOMPARE(build.effectiveResult(), BuildResult::Building);
        QCOMPARE(build.durationMs.value_or(0), 30000);
        QVERIFY(!build.properties.contains(QStringLiteral("completedAt")));
        QVERIFY(build.scm.isEmpty()); // nothing known about what it builds
    }

    void readsSeveralCodebases()
    {
        // got_revision is a map per codebase when a build checks out several repositories.
        const QJsonObject json = object(CodebasesJson);
        const QList<buildbot::SourceStamp> stamps{
            {1, QStringLiteral("app"), QStringLiteral("https://github.com/acme/app.git"),
             QStringLiteral("main"), QString(), QString()},
            {2, QStringLiteral("lib"), QStringLiteral("https://github.com/acme/lib.git"),
             QStringLiteral("v2"), QStringLiteral("3333333333333333333333333333333333333333"),
             QString()},
        };
        QHash<QString, buildbot::Change> changes;
        buildbot::Change change;
        change.author = QStringLiteral("Ada <ada@example.test>");
        change.comments = QStringLiteral("Bump lib");
        change.revlink = QStringLiteral("https://git.example.test/lib/commit/2222");
        changes.insert(QStringLiteral("2222222222222222222222222222222222222222"), change);

        const QList<GitRevision> revisions = buildbot::revisions(json, stamps, changes, {});
        QCOMPARE(revisions.size(), 2);
        QCOMPARE(revisions.at(0).sha1, QStringLiteral("1111111111111111111111111111111111111111"));
        QCOMPARE(revisions.at(0).branch, QStringLiteral("main"));
        QCOMPARE(revisions.at(0).compareUrl,
                 QStringLiteral("https://github.com/acme/app/commit/"
                                "1111111111111111111111111111111111111111"));
        QCOMPARE(revisions.at(1).sha1, QStringLiteral("2222222222222222222222222222222222222222"));
        QCOMPARE(revisions.at(1).committer, QStringLiteral("Ada"));
        QCOMPARE(revisions.at(1).message, QStringLiteral("Bump lib"));
        QCOMPARE(revisions.at(1).compareUrl, change.revlink);
        QCOMPARE(revisions.at(1).name, QStringLiteral("refs/heads/v2"));
    }
};

QTEST_GUILESS_MAIN(TestBuildbotMapping)
#include "tst_buildbotmapping.moc"
