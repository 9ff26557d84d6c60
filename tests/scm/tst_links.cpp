// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/model/wirecodec.h"
#include "core/providers/buildids.h"
#include "core/scm/links.h"

#include <QTest>

using namespace cic;

class TestLinks : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesRemotesAndLinksCommits_data()
    {
        QTest::addColumn<QString>("remote");
        QTest::addColumn<QString>("configuredStash");
        QTest::addColumn<QString>("projectKey");
        QTest::addColumn<QString>("repoSlug");
        QTest::addColumn<QString>("commit");

        QTest::newRow("stash https")
            << QStringLiteral("https://stash.example.test/scm/team/app.git") << QString()
            << QStringLiteral("TEAM") << QStringLiteral("app")
            << QStringLiteral("https://stash.example.test/projects/TEAM/repos/app/commits/abc123");
        QTest::newRow("stash https with context")
            << QStringLiteral("https://host.test/stash/scm/TEAM/app.git") << QString()
            << QStringLiteral("TEAM") << QStringLiteral("app")
            << QStringLiteral("https://host.test/stash/projects/TEAM/repos/app/commits/abc123");
        QTest::newRow("stash ssh, configured base")
            << QStringLiteral("ssh://git@stash.example.test:7999/team/app.git")
            << QStringLiteral("https://stash.example.test/bitbucket") << QStringLiteral("TEAM")
            << QStringLiteral("app")
            << QStringLiteral(
                   "https://stash.example.test/bitbucket/projects/TEAM/repos/app/commits/abc123");
        QTest::newRow("github scp")
            << QStringLiteral("git@github.com:acme/app.git") << QString() << QStringLiteral("acme")
            << QStringLiteral("app") << QStringLiteral("https://github.com/acme/app/commit/abc123");
        QTest::newRow("github https")
            << QStringLiteral("https://github.com/acme/app") << QString() << QStringLiteral("acme")
            << QStringLiteral("app") << QStringLiteral("https://github.com/acme/app/commit/abc123");
        QTest::newRow("gitlab subgroups")
            << QStringLiteral("https://gitlab.example.test/group/sub/app.git") << QString()
            << QStringLiteral("group/sub") << QStringLiteral("app")
            << QStringLiteral("https://gitlab.example.test/group/sub/app/-/commit/abc123");
        QTest::newRow("bitbucket cloud")
            << QStringLiteral("git@bitbucket.org:ws/app.git") << QString() << QStringLiteral("ws")
            << QStringLiteral("app")
            << QStringLiteral("https://bitbucket.org/ws/app/commits/abc123");
        QTest::newRow("unknown host")
            << QStringLiteral("https://git.example.test/team/app.git") << QString()
            << QStringLiteral("team") << QStringLiteral("app") << QString();
    }

    void parsesRemotesAndLinksCommits()
    {
        QFETCH(QString, remote);
        QFETCH(QString, configuredStash);
        QFETCH(QString, projectKey);
        QFETCH(QString, repoSlug);
        QFETCH(QString, commit);

        scm::ScmHosts hosts;
        if (!configuredStash.isEmpty())
            hosts.insert(QStringLiteral("stash"), configuredStash);
        const std::optional<scm::Repository> repository = scm::parseRemoteUrl(remote, hosts);
        QVERIFY(repository);
        QCOMPARE(repository->projectKey, projectKey);
        QCOMPARE(repository->repoSlug, repoSlug);
        QCOMPARE(scm::commitUrl(*repository, QStringLiteral("abc123")), commit);
    }

    void githubApiRootMapsToWebHost()
    {
        scm::ScmHosts hosts{
            {QStringLiteral("gitHub"), QStringLiteral("https://ghe.example.test/api/v3")}};
        const auto repository
            = scm::parseRemoteUrl(QStringLiteral("git@ghe.example.test:acme/app.git"), hosts);
        QCOMPARE(repository->kind, scm::HostKind::GitHub);
        QCOMPARE(scm::commitUrl(*repository, QStringLiteral("f00")),
                 QStringLiteral("https://ghe.example.test/acme/app/commit/f00"));
        QCOMPARE(scm::compareUrl(*repository, QStringLiteral("a1"), QStringLiteral("b2")),
                 QStringLiteral("https://ghe.example.test/acme/app/compare/a1...b2"));
    }

    void buildIdsArePathSafeAndUnique_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("project");
        QTest::addColumn<QString>("id");
        QTest::newRow("folder") << QStringLiteral("ci") << QStringLiteral("team/app-build")
                                << QStringLiteral("ci-team~app-build-7");
        QTest::newRow("multibranch") << QStringLiteral("ci") << QStringLiteral("repo/feature%2Fx")
                                     << QStringLiteral("ci-repo~feature_252Fx-7");
        QTest::newRow("underscore")
            << QStringLiteral("ci") << QStringLiteral("my_job") << QStringLiteral("ci-my__job-7");
        QTest::newRow("space and unicode")
            << QStringLiteral("main ci") << QStringLiteral("caf\u00e9 job")
            << QStringLiteral("main_20ci-caf_C3_A9_20job-7");
    }

    void buildIdsArePathSafeAndUnique()
    {
        QFETCH(QString, source);
        QFETCH(QString, project);
        QFETCH(QString, id);
        const QString made = buildids::make(source, project, 7);
        QCOMPARE(made, id);
        QVERIFY(wire::isPathSafeId(made));
        // A literal "_20" and an escaped space do not collide.
        QVERIFY(buildids::make(QStringLiteral("ci"), QStringLiteral("a_20b"), 1)
                != buildids::make(QStringLiteral("ci"), QStringLiteral("a b"), 1));
    }
};

QTEST_GUILESS_MAIN(TestLinks)
#include "tst_links.moc"
