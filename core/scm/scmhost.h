// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

namespace cic {

struct Build;

// The kinds of SCM server whose commits and compare pages CI Companion links to.
enum class ScmKind {
    BitbucketServer, // Bitbucket Server / Data Center, formerly Stash
    GitHub, // github.com and GitHub Enterprise Server
    GitLab,
    BitbucketCloud, // bitbucket.org
    Gitea, // Gitea and Forgejo
};

// The key igor's /scm/masters uses for a kind (stash, gitHub, gitLab, bitBucket), and
// "gitea", which igor lacks.
QString scmKindKey(ScmKind kind);

// A kind from a key as written in configuration or a URL path: igor's keys in any case, and
// the usual names (bitbucketServer, github, bitbucket, forgejo, ...).
std::optional<ScmKind> scmKindFromKey(QStringView key);

// The name a person reads: "Bitbucket Server", "GitHub", ...
QString scmKindName(ScmKind kind);

// One configured SCM server.
struct ScmHost
{
    ScmKind kind = ScmKind::GitHub;
    QUrl webUrl; // what a browser opens, with any path prefix; no trailing slash
    QUrl apiUrl; // empty: derived from webUrl (see apiBase())
    QString username; // with token: HTTP Basic (Bitbucket); without: a bearer token
    QString token;
    QString name; // for messages; empty: the host name

    // The root every REST path of this kind appends to: https://api.github.com,
    // {web}/api/v3, {web}/api/v4, {web}/rest/api/1.0, https://api.bitbucket.org/2.0,
    // {web}/api/v1.
    QUrl apiBase() const;
    QString displayName() const;

    // A host from a base URL as igor's configuration holds it, which is often the API root
    // (https://api.github.com, https://ghe.example.com/api/v3, .../rest/api/1.0): the web URL
    // is recovered from it and the API URL kept.
    static ScmHost fromBaseUrl(ScmKind kind, const QUrl &baseUrl);
};

// Hosts from igor's /scm/masters map (stash, gitHub, gitLab, bitBucket, gitea).
QList<ScmHost> scmHostsFromMasters(const QMap<QString, QString> &masters);

// A repository on an SCM server.
struct ScmRepository
{
    ScmKind kind = ScmKind::GitHub;
    QUrl webUrl; // the server's web root, with any path prefix, no trailing slash
    QString owner; // project key, owner, group path (a/b/c), workspace
    QString name; // repository slug

    bool isValid() const { return webUrl.isValid() && !owner.isEmpty() && !name.isEmpty(); }
    QString fullName() const { return owner + QLatin1Char('/') + name; }

    bool operator==(const ScmRepository &) const = default;
};

// A git remote URL split into parts: ssh://user@host:port/path, https://host/path,
// git://host/path, scp-like user@host:path, and file:// or plain paths (host empty).
struct RemoteUrl
{
    QString scheme; // ssh, https, http, git, file, or scp for the scp-like form
    QString host; // lower case
    int port = -1;
    QStringList segments; // the path's segments, decoded, without a trailing .git

    QString path() const { return segments.join(QLatin1Char('/')); }

    // host/path in lower case: two remotes naming one repository over different protocols
    // (ssh and https, with or without .git) share it. Bitbucket Server's /scm/ prefix on
    // https remotes is dropped so it matches the ssh form.
    QString identity() const;
};

std::optional<RemoteUrl> parseRemoteUrl(QStringView url);

// The repository a remote names on one of the hosts, matched by host name; well-known public
// hosts (github.com, gitlab.com, bitbucket.org, codeberg.org) match without configuration.
std::optional<ScmRepository> repositoryFromRemote(const QString &remoteUrl,
                                                  const QList<ScmHost> &hosts);

// The repository of a commit page URL (what igor calls compareUrl) on one of the hosts:
// /projects/KEY/repos/slug/commits/sha, /owner/repo/commit/sha, /group/project/-/commit/sha,
// /ws/repo/commits/sha.
std::optional<ScmRepository> repositoryFromCommitUrl(const QString &commitUrl,
                                                     const QList<ScmHost> &hosts);

// The repository a build was made from: its remote URL, else its commit link, else keel's
// way (the host of the commit link, with properties.projectKey and repoSlug).
std::optional<ScmRepository> repositoryOfBuild(const Build &build, const QList<ScmHost> &hosts);

} // namespace cic
