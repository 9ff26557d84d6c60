// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QMap>
#include <QString>

#include <optional>

// Where a repository lives and the browser links into it, in the shape the providers use:
// a clone URL read against igor's /scm/masters map. The links themselves are built by
// core/scm/scmlinks.h and the URL reading is core/scm/scmhost.h's; this is their entry for
// providers that hold a masters map rather than ScmHost values.
namespace cic::scm {

enum class HostKind { Unknown, Stash, GitHub, GitLab, BitbucketCloud, Gitea };

// The SCM hosts as configured, keyed as igor's /scm/masters answers: stash, gitHub, gitLab,
// bitBucket (and gitea). Values are base URLs; an API root (api.github.com, host/api/v3,
// host/rest/api/1.0) is mapped to the web host.
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
// The host kind comes from the configured hosts first, then from well-known hosts and the
// URL's shape; a server of unknown kind still gives its project and repository.
std::optional<Repository> parseRemoteUrl(const QString &remoteUrl, const ScmHosts &hosts = {});

// The commit page, or empty when the host kind is unknown.
QString commitUrl(const Repository &repository, const QString &sha);

// The compare page of the commits in `newer` that are not in `older`.
QString compareUrl(const Repository &repository, const QString &older, const QString &newer);

// The web base for a configured host value (an API root becomes the web host).
QString webBaseFor(HostKind kind, const QString &configured);

// igor's key for the kind: stash, gitHub, gitLab, bitBucket; gitea; unknown.
QString hostKindName(HostKind kind);

} // namespace cic::scm
