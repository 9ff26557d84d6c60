// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/model/build.h"
#include "core/scm/scmhost.h"
#include "core/scm/scmlinks.h"

#include <QTest>

using namespace cic;

Q_DECLARE_METATYPE(cic::ScmKind)

namespace {

ScmRepository repository(ScmKind kind, const QString &base, const QString &owner,
                         const QString &name)
{
    ScmRepository repository;
    repository.kind = kind;
    repository.webUrl = QUrl(base);
    repository.owner = owner;
    repository.name = name;
    return repository;
}

ScmHost host(ScmKind kind, const QString &base)
{
    return ScmHost::fromBaseUrl(kind, QUrl(base));
}

const QString Old = QStringLiteral("1111111111111111111111111111111111111111");
const QString New = QStringLiteral("2626f5f0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6");

} // namespace

class TestScmLinks : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void compareLink_data();
    void compareLink();
    void commitLink_data();
    void commitLink();
    void kindKeys_data();
    void kindKeys();
    void hostFromBaseUrl_data();
    void hostFromBaseUrl();
    void parseRemote_data();
    void parseRemote();
    void remoteIdentity_data();
    void remoteIdentity();
    void repositoryFromRemote_data();
    void repositoryFromRemote();
    void repositoryFromCommitUrl_data();
    void repositoryFromCommitUrl();
    void repositoryOfBuild();
};

void TestScmLinks::compareLink_data()
{
    // clang-format off
    QTest::addColumn<ScmKind>("kind");
    QTest::addColumn<QString>("base");
    QTest::addColumn<QString>("owner");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("older");
    QTest::addColumn<QString>("newer");
    QTest::addColumn<QString>("expected");

    // keel's own test: https://stash/projects/spkr/repos/keel/compare/commits?...
    QTest::newRow("stash as keel builds it")
        << ScmKind::BitbucketServer << "https://stash" << "spkr" << "keel" << "old" << "new"
        << "https://stash/projects/spkr/repos/keel/compare/commits?targetBranch=old"
           "&sourceBranch=new";
    QTest::newRow("stash full shas")
        << ScmKind::BitbucketServer << "https://stash.example.com" << "SPKR" << "keel-app" << Old
        << New
        << "https://stash.example.com/projects/SPKR/repos/keel-app/compare/commits?targetBranch="
               + Old + "&sourceBranch=" + New;
    QTest::newRow("stash path prefix")
        << ScmKind::BitbucketServer << "https://example.com/bitbucket" << "SPKR" << "app" << "a"
        << "b"
        << "https://example.com/bitbucket/projects/SPKR/repos/app/compare/commits?targetBranch=a"
           "&sourceBranch=b";
    QTest::newRow("stash trailing slash")
        << ScmKind::BitbucketServer << "https://example.com/bitbucket/" << "SPKR" << "app" << "a"
        << "b"
        << "https://example.com/bitbucket/projects/SPKR/repos/app/compare/commits?targetBranch=a"
           "&sourceBranch=b";
    QTest::newRow("stash port")
        << ScmKind::BitbucketServer << "http://127.0.0.1:7990" << "P" << "r" << "a" << "b"
        << "http://127.0.0.1:7990/projects/P/repos/r/compare/commits?targetBranch=a"
           "&sourceBranch=b";
    QTest::newRow("stash ref with a slash kept as keel inserts it")
        << ScmKind::BitbucketServer << "https://stash" << "P" << "r" << "refs/tags/v1" << "b"
        << "https://stash/projects/P/repos/r/compare/commits?targetBranch=refs/tags/v1"
           "&sourceBranch=b";
    QTest::newRow("stash ampersand encoded")
        << ScmKind::BitbucketServer << "https://stash" << "P" << "r" << "a&b" << "c#d"
        << "https://stash/projects/P/repos/r/compare/commits?targetBranch=a%26b"
           "&sourceBranch=c%23d";

    QTest::newRow("github")
        << ScmKind::GitHub << "https://github.com" << "spinnaker-demo" << "deck-ui" << "aaa"
        << "bbb" << "https://github.com/spinnaker-demo/deck-ui/compare/aaa...bbb";
    QTest::newRow("github trailing slashes")
        << ScmKind::GitHub << "https://github.com//" << "o" << "r" << "aaa" << "bbb"
        << "https://github.com/o/r/compare/aaa...bbb";
    QTest::newRow("github enterprise")
        << ScmKind::GitHub << "https://ghe.example.com" << "team" << "svc" << "v1.0" << "v1.1"
        << "https://ghe.example.com/team/svc/compare/v1.0...v1.1";
    QTest::newRow("github enterprise prefix")
        << ScmKind::GitHub << "https://example.com/github/" << "team" << "svc" << "a" << "b"
        << "https://example.com/github/team/svc/compare/a...b";

    QTest::newRow("gitlab")
        << ScmKind::GitLab << "https://gitlab.example.com" << "platform" << "orca-svc" << "a"
        << "b" << "https://gitlab.example.com/platform/orca-svc/-/compare/a...b";
    QTest::newRow("gitlab subgroups")
        << ScmKind::GitLab << "https://gitlab.com" << "group/sub/deeper" << "proj" << "a" << "b"
        << "https://gitlab.com/group/sub/deeper/proj/-/compare/a...b";
    QTest::newRow("gitlab relative url root")
        << ScmKind::GitLab << "https://example.com/gitlab/" << "g" << "p" << "a" << "b"
        << "https://example.com/gitlab/g/p/-/compare/a...b";

    QTest::newRow("bitbucket cloud newer first")
        << ScmKind::BitbucketCloud << "https://bitbucket.org" << "ws" << "repo" << "old" << "new"
        << "https://bitbucket.org/ws/repo/branches/compare/new..old";

    QTest::newRow("gitea")
        << ScmKind::Gitea << "https://gitea.example.com" << "owner" << "repo" << "a" << "b"
        << "https://gitea.example.com/owner/repo/compare/a...b";
    QTest::newRow("gitea sub path")
        << ScmKind::Gitea << "https://example.com/git/" << "owner" << "repo" << "a" << "b"
        << "https://example.com/git/owner/repo/compare/a...b";
    // clang-format on
}

void TestScmLinks::compareLink()
{
    QFETCH(ScmKind, kind);
    QFETCH(QString, base);
    QFETCH(QString, owner);
    QFETCH(QString, name);
    QFETCH(QString, older);
    QFETCH(QString, newer);
    QFETCH(QString, expected);

    QCOMPARE(scm::compareLink(repository(kind, base, owner, name), older, newer), expected);
}

void TestScmLinks::commitLink_data()
{
    // clang-format off
    QTest::addColumn<ScmKind>("kind");
    QTest::addColumn<QString>("base");
    QTest::addColumn<QString>("owner");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("expected");

    QTest::newRow("stash") << ScmKind::BitbucketServer << "https://stash.example.com/" << "SPKR"
                           << "keel-app"
                           << "https://stash.example.com/projects/SPKR/repos/keel-app/commits/"
                                  + New;
    QTest::newRow("stash prefix") << ScmKind::BitbucketServer << "https://example.com/bb"
                                  << "SPKR" << "app"
                                  << "https://example.com/bb/projects/SPKR/repos/app/commits/"
                                         + New;
    QTest::newRow("github") << ScmKind::GitHub << "https://github.com" << "o" << "r"
                            << "https://github.com/o/r/commit/" + New;
    QTest::newRow("github enterprise") << ScmKind::GitHub << "https://ghe.example.com/" << "o"
                                       << "r" << "https://ghe.example.com/o/r/commit/" + New;
    QTest::newRow("gitlab") << ScmKind::GitLab << "https://gitlab.example.com" << "a/b" << "c"
                            << "https://gitlab.example.com/a/b/c/-/commit/" + New;
    QTest::newRow("bitbucket cloud") << ScmKind::BitbucketCloud << "https://bitbucket.org"
                                     << "ws" << "r"
                                     << "https://bitbucket.org/ws/r/commits/" + New;
    QTest::newRow("gitea") << ScmKind::Gitea << "https://codeberg.org" << "o" << "r"
                           << "https://codeberg.org/o/r/commit/" + New;
    // clang-format on
}

void TestScmLinks::commitLink()
{
    QFETCH(ScmKind, kind);
    QFETCH(QString, base);
    QFETCH(QString, owner);
    QFETCH(QString, name);
    QFETCH(QString, expected);

    QCOMPARE(scm::commitLink(repository(kind, base, owner, name), New), expected);
}

void TestScmLinks::kindKeys_data()
{
    // clang-format off
    QTest::addColumn<QString>("key");
    QTest::addColumn<int>("kind"); // -1: not a kind

    QTest::newRow("stash") << "stash" << int(ScmKind::BitbucketServer);
    QTest::newRow("bitbucket server") << "bitbucket-server" << int(ScmKind::BitbucketServer);
    QTest::newRow("gitHub") << "gitHub" << int(ScmKind::GitHub);
    QTest::newRow("GITHUB") << "GITHUB" << int(ScmKind::GitHub);
    QTest::newRow("gitLab") << "gitLab" << int(ScmKind::GitLab);
    QTest::newRow("bitBucket is the cloud") << "bitBucket" << int(ScmKind::BitbucketCloud);
    QTest::newRow("gitea") << "gitea" << int(ScmKind::Gitea);
    QTest::newRow("forgejo") << "forgejo" << int(ScmKind::Gitea);
    QTest::newRow("svn") << "svn" << -1;
    // clang-format on
}

void TestScmLinks::kindKeys()
{
    QFETCH(QString, key);
    QFETCH(int, kind);

    const std::optional<ScmKind> parsed = scmKindFromKey(key);
    QCOMPARE(parsed.has_value(), kind >= 0);
    if (parsed) {
        QCOMPARE(int(*parsed), kind);
        QCOMPARE(scmKindFromKey(scmKindKey(*parsed)), parsed);
    }
}

void TestScmLinks::hostFromBaseUrl_data()
{
    // clang-format off
    QTest::addColumn<ScmKind>("kind");
    QTest::addColumn<QString>("base");
    QTest::addColumn<QString>("web");
    QTest::addColumn<QString>("api");

    QTest::newRow("github.com") << ScmKind::GitHub << "https://github.com"
                                << "https://github.com" << "https://api.github.com";
    QTest::newRow("api.github.com") << ScmKind::GitHub << "https://api.github.com/"
                                    << "https://github.com" << "https://api.github.com";
    QTest::newRow("enterprise web") << ScmKind::GitHub << "https://ghe.example.com/"
                                    << "https://ghe.example.com"
                                    << "https://ghe.example.com/api/v3";
    QTest::newRow("enterprise api") << ScmKind::GitHub << "https://ghe.example.com/api/v3"
                                    << "https://ghe.example.com"
                                    << "https://ghe.example.com/api/v3";
    QTest::newRow("gitlab") << ScmKind::GitLab << "https://example.com/gitlab/"
                            << "https://example.com/gitlab"
                            << "https://example.com/gitlab/api/v4";
    QTest::newRow("gitlab api") << ScmKind::GitLab << "https://gitlab.example.com/api/v4"
                                << "https://gitlab.example.com"
                                << "https://gitlab.example.com/api/v4";
    QTest::newRow("stash prefix") << ScmKind::BitbucketServer << "https://example.com/bitbucket/"
                                  << "https://example.com/bitbucket"
                                  << "https://example.com/bitbucket/rest/api/1.0";
    QTest::newRow("stash rest")
        << ScmKind::BitbucketServer << "https://stash.example.com/rest/api/1.0"
        << "https://stash.example.com" << "https://stash.example.com/rest/api/1.0";
    QTest::newRow("bitbucket cloud") << ScmKind::BitbucketCloud << "https://bitbucket.org"
                                     << "https://bitbucket.org"
                                     << "https://api.bitbucket.org/2.0";
    QTest::newRow("bitbucket cloud api") << ScmKind::BitbucketCloud
                                         << "https://api.bitbucket.org/2.0"
                                         << "https://bitbucket.org"
                                         << "https://api.bitbucket.org/2.0";
    QTest::newRow("gitea") << ScmKind::Gitea << "https://gitea.example.com/"
                           << "https://gitea.example.com" << "https://gitea.example.com/api/v1";
    // clang-format on
}

void TestScmLinks::hostFromBaseUrl()
{
    QFETCH(ScmKind, kind);
    QFETCH(QString, base);
    QFETCH(QString, web);
    QFETCH(QString, api);

    const ScmHost scmHost = host(kind, base);
    QCOMPARE(scmHost.webUrl.toString(), web);
    QCOMPARE(scmHost.apiBase().toString(), api);
}

void TestScmLinks::parseRemote_data()
{
    // clang-format off
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("scheme");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("path");

    QTest::newRow("ssh stash") << "ssh://git@stash.example.com:7999/spkr/keel-app.git" << "ssh"
                               << "stash.example.com" << 7999 << "spkr/keel-app";
    QTest::newRow("https stash") << "https://stash.example.com/scm/spkr/keel-app.git" << "https"
                                 << "stash.example.com" << -1 << "scm/spkr/keel-app";
    QTest::newRow("scp github") << "git@github.com:spinnaker-demo/deck-ui.git" << "scp"
                                << "github.com" << -1 << "spinnaker-demo/deck-ui";
    QTest::newRow("scp gitlab subgroup") << "git@GitLab.example.com:a/b/c.git" << "scp"
                                         << "gitlab.example.com" << -1 << "a/b/c";
    QTest::newRow("https user and no .git") << "https://ada@github.com/o/r" << "https"
                                            << "github.com" << -1 << "o/r";
    QTest::newRow("trailing slash") << "https://github.com/o/r.git/" << "https" << "github.com"
                                    << -1 << "o/r";
    QTest::newRow("git+ssh") << "git+ssh://git@host.example/o/r.git" << "ssh" << "host.example"
                             << -1 << "o/r";
    QTest::newRow("scp without user") << "host.example:o/r.git" << "scp" << "host.example" << -1
                                      << "o/r";
    QTest::newRow("local path") << "/srv/git/app.git" << "file" << "" << -1 << "srv/git/app";
    // clang-format on
}

void TestScmLinks::parseRemote()
{
    QFETCH(QString, url);
    QFETCH(QString, scheme);
    QFETCH(QString, host);
    QFETCH(int, port);
    QFETCH(QString, path);

    const std::optional<RemoteUrl> remote = parseRemoteUrl(url);
    QVERIFY(remote);
    QCOMPARE(remote->scheme, scheme);
    QCOMPARE(remote->host, host);
    QCOMPARE(remote->port, port);
    QCOMPARE(remote->path(), path);
}

void TestScmLinks::remoteIdentity_data()
{
    // clang-format off
    QTest::addColumn<QString>("a");
    QTest::addColumn<QString>("b");
    QTest::addColumn<bool>("same");

    QTest::newRow("ssh and https stash")
        << "ssh://git@stash.example.com:7999/spkr/keel-app.git"
        << "https://stash.example.com/scm/SPKR/keel-app.git" << true;
    QTest::newRow("scp and https github") << "git@github.com:o/r.git" << "https://github.com/o/r"
                                          << true;
    QTest::newRow("other repository") << "git@github.com:o/r.git" << "git@github.com:o/s.git"
                                      << false;
    QTest::newRow("other host") << "git@github.com:o/r.git" << "git@gitlab.com:o/r.git" << false;
    // clang-format on
}

void TestScmLinks::remoteIdentity()
{
    QFETCH(QString, a);
    QFETCH(QString, b);
    QFETCH(bool, same);

    QCOMPARE(parseRemoteUrl(a)->identity() == parseRemoteUrl(b)->identity(), same);
}

void TestScmLinks::repositoryFromRemote_data()
{
    // clang-format off
    QTest::addColumn<QString>("remote");
    QTest::addColumn<int>("kind"); // -1: no repository
    QTest::addColumn<QString>("web");
    QTest::addColumn<QString>("owner");
    QTest::addColumn<QString>("name");

    QTest::newRow("stash ssh, key upper cased")
        << "ssh://git@stash.example.com:7999/spkr/keel-app.git" << int(ScmKind::BitbucketServer)
        << "https://stash.example.com" << "SPKR" << "keel-app";
    QTest::newRow("stash https with prefix")
        << "https://example.com/bitbucket/scm/plat/tools.git" << int(ScmKind::BitbucketServer)
        << "https://example.com/bitbucket" << "PLAT" << "tools";
    QTest::newRow("stash personal project")
        << "ssh://git@stash.example.com:7999/~ada/sandbox.git" << int(ScmKind::BitbucketServer)
        << "https://stash.example.com" << "~ada" << "sandbox";
    QTest::newRow("github.com without configuration")
        << "git@github.com:spinnaker-demo/deck-ui.git" << int(ScmKind::GitHub)
        << "https://github.com" << "spinnaker-demo" << "deck-ui";
    QTest::newRow("github enterprise")
        << "https://ghe.example.com/team/svc.git" << int(ScmKind::GitHub)
        << "https://ghe.example.com" << "team" << "svc";
    QTest::newRow("gitlab subgroups") << "git@gitlab.example.com:platform/infra/orca-svc.git"
                                      << int(ScmKind::GitLab) << "https://gitlab.example.com"
                                      << "platform/infra" << "orca-svc";
    QTest::newRow("bitbucket cloud") << "https://ada@bitbucket.org/ws/repo.git"
                                     << int(ScmKind::BitbucketCloud) << "https://bitbucket.org"
                                     << "ws" << "repo";
    QTest::newRow("gitea ssh port") << "ssh://git@gitea.example.com:2222/owner/repo.git"
                                    << int(ScmKind::Gitea) << "https://gitea.example.com"
                                    << "owner" << "repo";
    QTest::newRow("unknown host") << "git@git.unknown.test:o/r.git" << -1 << "" << "" << "";
    QTest::newRow("unknown stash by its /scm/ path")
        << "https://host.test:8443/stash/scm/team/app.git" << int(ScmKind::BitbucketServer)
        << "https://host.test:8443/stash" << "TEAM" << "app";
    QTest::newRow("unknown stash by its ssh port")
        << "ssh://git@code.test:7999/team/app.git" << int(ScmKind::BitbucketServer)
        << "https://code.test" << "TEAM" << "app";
    QTest::newRow("unknown gitlab by its name") << "git@gitlab.corp.test:a/b/c.git"
        << int(ScmKind::GitLab) << "https://gitlab.corp.test" << "a/b" << "c";
    // clang-format on
}

void TestScmLinks::repositoryFromRemote()
{
    QFETCH(QString, remote);
    QFETCH(int, kind);
    QFETCH(QString, web);
    QFETCH(QString, owner);
    QFETCH(QString, name);

    const QList<ScmHost> hosts{
        host(ScmKind::BitbucketServer, QStringLiteral("https://stash.example.com/")),
        host(ScmKind::BitbucketServer, QStringLiteral("https://example.com/bitbucket")),
        host(ScmKind::GitHub, QStringLiteral("https://ghe.example.com/api/v3")),
        host(ScmKind::GitLab, QStringLiteral("https://gitlab.example.com")),
        host(ScmKind::Gitea, QStringLiteral("https://gitea.example.com")),
    };
    const std::optional<ScmRepository> repository = cic::repositoryFromRemote(remote, hosts);
    QCOMPARE(repository.has_value(), kind >= 0);
    if (!repository)
        return;
    QCOMPARE(int(repository->kind), kind);
    QCOMPARE(repository->webUrl.toString(), web);
    QCOMPARE(repository->owner, owner);
    QCOMPARE(repository->name, name);
}

void TestScmLinks::repositoryFromCommitUrl_data()
{
    // clang-format off
    QTest::addColumn<QString>("url");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("web");
    QTest::addColumn<QString>("fullName");

    QTest::newRow("stash") << "https://stash.example.com/projects/SPKR/repos/keel-app/commits/"
                                  + New
                           << int(ScmKind::BitbucketServer) << "https://stash.example.com"
                           << "SPKR/keel-app";
    QTest::newRow("stash prefix")
        << "https://example.com/bitbucket/projects/PLAT/repos/tools/commits/" + New
        << int(ScmKind::BitbucketServer) << "https://example.com/bitbucket" << "PLAT/tools";
    QTest::newRow("github") << "https://github.com/spinnaker-demo/deck-ui/commit/" + New
                            << int(ScmKind::GitHub) << "https://github.com"
                            << "spinnaker-demo/deck-ui";
    QTest::newRow("gitlab") << "https://gitlab.example.com/platform/orca-svc/-/commit/" + New
                            << int(ScmKind::GitLab) << "https://gitlab.example.com"
                            << "platform/orca-svc";
    QTest::newRow("gitlab inferred for an unknown host")
        << "https://git.corp.test:8443/a/b/c/-/commit/" + New << int(ScmKind::GitLab)
        << "https://git.corp.test:8443" << "a/b/c";
    QTest::newRow("gitea is a gitea host, though github shaped")
        << "https://gitea.example.com/owner/repo/commit/" + New << int(ScmKind::Gitea)
        << "https://gitea.example.com" << "owner/repo";
    QTest::newRow("not a commit page") << "https://github.com/o/r/pull/12" << -1 << "" << "";
    // clang-format on
}

void TestScmLinks::repositoryFromCommitUrl()
{
    QFETCH(QString, url);
    QFETCH(int, kind);
    QFETCH(QString, web);
    QFETCH(QString, fullName);

    const QList<ScmHost> hosts{
        host(ScmKind::BitbucketServer, QStringLiteral("https://stash.example.com")),
        host(ScmKind::BitbucketServer, QStringLiteral("https://example.com/bitbucket/")),
        host(ScmKind::GitLab, QStringLiteral("https://gitlab.example.com")),
        host(ScmKind::Gitea, QStringLiteral("https://gitea.example.com")),
    };
    const std::optional<ScmRepository> repository = cic::repositoryFromCommitUrl(url, hosts);
    QCOMPARE(repository.has_value(), kind >= 0);
    if (!repository)
        return;
    QCOMPARE(int(repository->kind), kind);
    QCOMPARE(repository->webUrl.toString(), web);
    QCOMPARE(repository->fullName(), fullName);
    QCOMPARE(scm::commitLink(*repository, New), url);
}

void TestScmLinks::repositoryOfBuild()
{
    const QList<ScmHost> hosts = scmHostsFromMasters(
        {{QStringLiteral("stash"), QStringLiteral("https://stash.example.com")},
         {QStringLiteral("gitHub"), QStringLiteral("https://github.com")}});
    QCOMPARE(hosts.size(), 2);

    Build build;
    build.properties.insert(QStringLiteral("projectKey"), QStringLiteral("SPKR"));
    build.properties.insert(QStringLiteral("repoSlug"), QStringLiteral("keel-app"));
    QVERIFY(!cic::repositoryOfBuild(build, hosts)); // no revision

    // keel's way: the commit link's host, with projectKey and repoSlug.
    GitRevision revision;
    revision.sha1 = New;
    revision.compareUrl = QStringLiteral("https://stash.example.com/some/other/page");
    build.scm.append(revision);
    std::optional<ScmRepository> repository = cic::repositoryOfBuild(build, hosts);
    QVERIFY(repository);
    QCOMPARE(repository->kind, ScmKind::BitbucketServer);
    QCOMPARE(repository->fullName(), QStringLiteral("SPKR/keel-app"));

    // The remote URL wins over keel's way.
    build.scm[0].remoteUrl = QStringLiteral("ssh://git@stash.example.com:7999/spkr/other.git");
    repository = cic::repositoryOfBuild(build, hosts);
    QVERIFY(repository);
    QCOMPARE(repository->fullName(), QStringLiteral("SPKR/other"));

    // And a commit page on a configured host wins over both.
    build.scm[0].compareUrl
        = QStringLiteral("https://stash.example.com/projects/SPKR/repos/keel-app/commits/") + New;
    repository = cic::repositoryOfBuild(build, hosts);
    QVERIFY(repository);
    QCOMPARE(repository->fullName(), QStringLiteral("SPKR/keel-app"));
    QCOMPARE(scm::compareLink(*repository, Old, New),
             QStringLiteral("https://stash.example.com/projects/SPKR/repos/keel-app/compare/"
                            "commits?targetBranch=")
                 + Old + QStringLiteral("&sourceBranch=") + New);
}

QTEST_GUILESS_MAIN(TestScmLinks)
#include "tst_scmlinks.moc"
