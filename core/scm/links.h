// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QMap>
#include <QString>

#include <optional>

// Where a repository lives and the browser links into it: commit pages and compares on
// Bitbucket Server (Stash), GitHub and GitHub Enterprise, GitLab and Bitbucket Cloud.
namespace cic::scm {

enum class HostKind { Unknown, Stash, GitHub, GitLab, BitbucketCloud };

// The SCM hosts as configured, keyed as igor's /scm/masters answers: stash, gitHub, gitLab,
// bitBucket. Values are base URLs; github's may be the API root (api.github.com, host/api/v3),
// which is mapped to the web host.
using ScmHosts = QMap<QString, QString>;

// A repository as its clone URL names it.
struct Repository
{
    HostKind kind = HostKind::Unknown;
    QString webBase; // https://host[/context], where its pages live
    QString projectKey; // Stash project key, GitHub owner, GitLab group path, Bitbucket workspace
    QString repoSlug; // repository name, without .git

    bool operator==(const Repository &) const = default;
};

// Reads a clone URL in any of the usual forms: https://host/scm/KEY/slug.git,
// ssh://git@host:7999/key/slug.git, git@host:owner/repo.git, https://host/group/sub/project.git.
// The host kind comes from the configured hosts first, then from the URL's shape.
std::optional<Repository> parseRemoteUrl(const QString &remoteUrl, const ScmHosts &hosts = {});

// The commit page, or empty when the host kind is unknown.
QString commitUrl(const Repository &repository, const QString &sha);

// The compare page of the commits in `newer` that are not in `older`.
QString compareUrl(const Repository &repository, const QString &older, const QString &newer);

// The web base for a configured host value (github's API root becomes the web host).
QString webBaseFor(HostKind kind, const QString &configured);

QString hostKindName(HostKind kind);

} // namespace cic::scm
