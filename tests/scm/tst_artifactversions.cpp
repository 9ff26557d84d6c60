// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/scm/artifactversions.h"
#include "core/store/buildstore.h"

#include <QSignalSpy>
#include <QTest>

using namespace cic;

namespace {

const qint64 Hour = 3600 * 1000;
const qint64 Start = 1'700'000'000'000;

QString shaFor(int number)
{
    return QString::number(number).repeated(40).left(40);
}

// A build of keel-app that published a deb and a jar of `version`, started `hours` after Start.
BuildPtr build(int number, const QString &version, qint64 hours, const QString &branch = {},
               bool withMetadata = true)
{
    auto made = std::make_shared<Build>();
    made->id = QStringLiteral("keel-app-%1").arg(number);
    made->name = QStringLiteral("SPKR/keel-app");
    made->number = number;
    made->result = BuildResult::Success;
    made->durationMs = 10 * 60 * 1000;
    made->properties.insert(QStringLiteral("startedTs"), QString::number(Start + hours * Hour));
    made->properties.insert(QStringLiteral("projectKey"), QStringLiteral("SPKR"));
    made->properties.insert(QStringLiteral("repoSlug"), QStringLiteral("keel-app"));

    GitRevision revision;
    revision.sha1 = shaFor(number);
    revision.branch = branch.isEmpty() ? QStringLiteral("main") : branch;
    made->scm.append(revision);

    for (const char *type : {"deb", "jar"}) {
        BuildArtifact artifact;
        artifact.name = QStringLiteral("keel-app");
        artifact.type = QLatin1String(type);
        artifact.version = version;
        artifact.fileName = QStringLiteral("keel-app_%1.%2").arg(version, QLatin1String(type));
        if (withMetadata) {
            artifact.metadata.insert(QStringLiteral("buildNumber"), QString::number(number));
            artifact.metadata.insert(QStringLiteral("commitId"), shaFor(number).left(7));
        }
        made->artifacts.append(artifact);
    }
    return made;
}

QStringList versionsOf(const Artifact &artifact)
{
    QStringList versions;
    for (const ArtifactVersion &version : artifact.versions)
        versions.append(version.version);
    return versions;
}

} // namespace

class TestArtifactVersions : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void gathersNewestFirst();
    void keysMetadataAsSpinnakerDoes();
    void rerunKeepsTheNewestBuild();
    void versionWithoutAVersionString();
    void createdAtFromTheArtifact();
    void findVersion_data();
    void findVersion();
    void artifactByKeyOrName();
    void followsTheStore();
};

void TestArtifactVersions::gathersNewestFirst()
{
    // Build 1003 started last though 1004 has the higher number: time orders, not numbers.
    const BuildList builds{build(1001, QStringLiteral("1.0.0-h1001"), 0),
                           build(1004, QStringLiteral("1.0.0-h1004"), 2),
                           build(1003, QStringLiteral("1.0.0-h1003"), 3),
                           build(1002, QStringLiteral("1.0.0-h1002"), 1)};
    const QList<Artifact> artifacts = ArtifactVersions::gather(builds);

    QCOMPARE(artifacts.size(), 2);
    QCOMPARE(artifacts[0].key, QStringLiteral("deb:keel-app"));
    QCOMPARE(artifacts[1].key, QStringLiteral("jar:keel-app"));
    const QStringList expected{QStringLiteral("1.0.0-h1003"), QStringLiteral("1.0.0-h1004"),
                               QStringLiteral("1.0.0-h1002"), QStringLiteral("1.0.0-h1001")};
    QCOMPARE(versionsOf(artifacts[0]), expected);
    QCOMPARE(versionsOf(artifacts[1]), expected);

    const ArtifactVersion &newest = artifacts[0].versions.first();
    QCOMPARE(newest.buildNumber, 1003);
    QCOMPARE(newest.build->id, QStringLiteral("keel-app-1003"));
    QCOMPARE(newest.branch, QStringLiteral("main"));
    QCOMPARE(newest.createdAt.toMSecsSinceEpoch(), Start + 3 * Hour + 10 * 60 * 1000);
}

void TestArtifactVersions::keysMetadataAsSpinnakerDoes()
{
    const QList<Artifact> withMetadata
        = ArtifactVersions::gather({build(1042, QStringLiteral("1.4.0-h1042"), 0)});
    const ArtifactVersion version = withMetadata.first().versions.first();

    // The short commitId is made full from the build's revision; the carried value stays.
    QCOMPARE(version.commit, shaFor(1042));
    QCOMPARE(version.metadata().value(QStringLiteral("commitId")), shaFor(1042).left(7));
    QCOMPARE(version.metadata().value(QStringLiteral("buildNumber")), QStringLiteral("1042"));
    QCOMPARE(version.metadata().value(QStringLiteral("branch")), QStringLiteral("main"));
    QCOMPARE(version.metadata().value(QStringLiteral("createdAt")),
             QString::number(Start + 10 * 60 * 1000));

    // Without metadata, the build fills every key, as strings.
    const QList<Artifact> bare = ArtifactVersions::gather(
        {build(77, QStringLiteral("2.0.0"), 0, QStringLiteral("release/2.0"), false)});
    const ArtifactVersion filled = bare.first().versions.first();
    QCOMPARE(filled.metadata().value(QStringLiteral("buildNumber")), QStringLiteral("77"));
    QCOMPARE(filled.metadata().value(QStringLiteral("commitId")), shaFor(77));
    QCOMPARE(filled.metadata().value(QStringLiteral("branch")), QStringLiteral("release/2.0"));
}

void TestArtifactVersions::rerunKeepsTheNewestBuild()
{
    const QList<Artifact> artifacts = ArtifactVersions::gather(
        {build(10, QStringLiteral("3.0.0"), 0), build(11, QStringLiteral("3.0.0"), 5),
         build(9, QStringLiteral("2.9.0"), -1)});
    QCOMPARE(versionsOf(artifacts.first()),
             (QStringList{QStringLiteral("3.0.0"), QStringLiteral("2.9.0")}));
    QCOMPARE(artifacts.first().versions.first().buildNumber, 11);
}

void TestArtifactVersions::versionWithoutAVersionString()
{
    const QList<Artifact> artifacts = ArtifactVersions::gather({build(5, QString(), 0)});
    QCOMPARE(artifacts.first().versions.first().version, QStringLiteral("#5"));
}

void TestArtifactVersions::createdAtFromTheArtifact()
{
    auto made = std::make_shared<Build>(*build(8, QStringLiteral("1.0"), 0));
    made->artifacts[0].metadata.insert(QStringLiteral("date"), QStringLiteral("1600000000000"));
    const QList<Artifact> artifacts = ArtifactVersions::gather({made});
    QCOMPARE(artifacts[0].versions.first().createdAt.toMSecsSinceEpoch(), 1600000000000);
    QCOMPARE(artifacts[0].versions.first().metadata().value(QStringLiteral("createdAt")),
             QStringLiteral("1600000000000"));
}

void TestArtifactVersions::findVersion_data()
{
    // clang-format off
    QTest::addColumn<QString>("wanted");
    QTest::addColumn<int>("buildNumber"); // 0: none

    QTest::newRow("version") << "1.0.0-h1002" << 1002;
    QTest::newRow("build number") << "1001" << 1001;
    QTest::newRow("hash build number") << "#1003" << 1003;
    QTest::newRow("commit prefix") << shaFor(1002).left(9) << 1002;
    QTest::newRow("short prefix is not a commit") << shaFor(1002).left(5) << 0;
    QTest::newRow("unknown") << "9.9.9" << 0;
    // clang-format on
}

void TestArtifactVersions::findVersion()
{
    QFETCH(QString, wanted);
    QFETCH(int, buildNumber);

    const QList<Artifact> artifacts
        = ArtifactVersions::gather({build(1001, QStringLiteral("1.0.0-h1001"), 0),
                                    build(1002, QStringLiteral("1.0.0-h1002"), 1),
                                    build(1003, QStringLiteral("1.0.0-h1003"), 2)});
    const std::optional<ArtifactVersion> found = artifacts.first().find(wanted);
    QCOMPARE(found.has_value(), buildNumber != 0);
    if (found)
        QCOMPARE(found->buildNumber, buildNumber);
}

void TestArtifactVersions::artifactByKeyOrName()
{
    BuildStore store;
    auto docker = std::make_shared<Build>(*build(1, QStringLiteral("1.0"), 0));
    BuildArtifact image;
    image.name = QStringLiteral("spkr/keel-app");
    image.type = QStringLiteral("docker");
    image.version = QStringLiteral("1.0");
    docker->artifacts.append(image);
    store.upsert({docker});

    ArtifactVersions versions(&store);
    QCOMPARE(versions.artifacts().size(), 3);
    QCOMPARE(versions.artifact(QStringLiteral("JAR:keel-app"))->type, QStringLiteral("jar"));
    QCOMPARE(versions.artifact(QStringLiteral("spkr/keel-app"))->key,
             QStringLiteral("docker:spkr/keel-app"));
    QVERIFY(!versions.artifact(QStringLiteral("keel-app"))); // a deb and a jar share the name
    QVERIFY(!versions.artifact(QStringLiteral("nothing")));
}

void TestArtifactVersions::followsTheStore()
{
    BuildStore store;
    store.upsert({build(1, QStringLiteral("1.0"), 0), build(2, QStringLiteral("1.1"), 1)});

    ArtifactVersions versions(&store);
    QCOMPARE(versionsOf(versions.artifacts().first()),
             (QStringList{QStringLiteral("1.1"), QStringLiteral("1.0")}));

    QSignalSpy changed(&versions, &ArtifactVersions::changed);
    store.upsert({build(3, QStringLiteral("1.2"), 2)});
    store.upsert({build(4, QStringLiteral("1.3"), 3)});
    QTRY_COMPARE(changed.size(), 1); // two writes in a row, one rebuild
    QCOMPARE(versionsOf(versions.artifacts().first()),
             (QStringList{QStringLiteral("1.3"), QStringLiteral("1.2"), QStringLiteral("1.1"),
                          QStringLiteral("1.0")}));

    store.remove({QStringLiteral("keel-app-3"), QStringLiteral("keel-app-4")});
    QTRY_COMPARE(changed.size(), 2);
    QCOMPARE(versions.artifacts().first().versions.size(), 2);
}

QTEST_GUILESS_MAIN(TestArtifactVersions)
#include "tst_artifactversions.moc"
