// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/scm/links.h"

#include "core/scm/scmhost.h"
#include "core/scm/scmlinks.h"

namespace cic::scm {

namespace {

std::optional<ScmKind> kindOf(HostKind kind)
{
    switch (kind) {
    case HostKind::Stash:
        return ScmKind::BitbucketServer;
    case HostKind::GitHub:
        return ScmKind::GitHub;
    case HostKind::GitLab:
        return ScmKind::GitLab;
    case HostKind::BitbucketCloud:
        return ScmKind::BitbucketCloud;
    case HostKind::Gitea:
        return ScmKind::Gitea;
    case HostKind::Unknown:
        break;
    }
    return std::nullopt;
}

HostKind hostKindOf(ScmKind kind)
{
    switch (kind) {
    case ScmKind::BitbucketServer:
        return HostKind::Stash;
    case ScmKind::GitHub:
        return HostKind::GitHub;
    case ScmKind::GitLab:
        return HostKind::GitLab;
    case ScmKind::BitbucketCloud:
        return HostKind::BitbucketCloud;
    case ScmKind::Gitea:
        return HostKind::Gitea;
    }
    return HostKind::Unknown;
}

std::optional<ScmRepository> scmRepositoryOf(const Repository &repository)
{
    const std::optional<ScmKind> kind = kindOf(repository.kind);
    if (!kind || repository.webBase.isEmpty())
        return std::nullopt;
    ScmRepository scmRepository;
    scmRepository.kind = *kind;
    scmRepository.webUrl = QUrl(repository.webBase);
    scmRepository.owner = repository.projectKey;
    scmRepository.name = repository.repoSlug;
    return scmRepository;
}

// A server of no known kind: its project is the segment before the repository.
std::optional<Repository> unknownRepository(const QString &remoteUrl)
{
    const std::optional<RemoteUrl> remote = cic::parseRemoteUrl(remoteUrl);
    if (!remote || remote->host.isEmpty() || remote->segments.size() < 2)
        return std::nullopt;

    Repository repository;
    const bool web
        = remote->scheme == QLatin1String("https") || remote->scheme == QLatin1String("http");
    QUrl root;
    root.setScheme(web ? remote->scheme : QStringLiteral("https"));
    root.setHost(remote->host);
    if (web && remote->port > 0)
        root.setPort(remote->port);
    repository.webBase = root.toString();
    repository.projectKey = remote->segments[remote->segments.size() - 2];
    repository.repoSlug = remote->segments.last();
    return repository;
}

} // namespace

std::optional<Repository> parseRemoteUrl(const QString &remoteUrl, const ScmHosts &hosts)
{
    const std::optional<ScmRepository> found
        = repositoryFromRemote(remoteUrl, scmHostsFromMasters(hosts));
    if (!found)
        return unknownRepository(remoteUrl);

    Repository repository;
    repository.kind = hostKindOf(found->kind);
    repository.webBase = webRoot(*found);
    repository.projectKey = found->owner;
    repository.repoSlug = found->name;
    return repository;
}

QString commitUrl(const Repository &repository, const QString &sha)
{
    const std::optional<ScmRepository> scmRepository = scmRepositoryOf(repository);
    if (!scmRepository || sha.isEmpty())
        return {};
    return commitLink(*scmRepository, sha);
}

QString compareUrl(const Repository &repository, const QString &older, const QString &newer)
{
    const std::optional<ScmRepository> scmRepository = scmRepositoryOf(repository);
    if (!scmRepository || older.isEmpty() || newer.isEmpty())
        return {};
    return compareLink(*scmRepository, older, newer);
}

QString webBaseFor(HostKind kind, const QString &configured)
{
    const std::optional<ScmKind> scmKind = kindOf(kind);
    QString base = scmKind ? ScmHost::fromBaseUrl(*scmKind, QUrl(configured.trimmed()))
                                 .webUrl.toString(QUrl::StripTrailingSlash)
                           : configured.trimmed();
    while (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    return base;
}

QString hostKindName(HostKind kind)
{
    const std::optional<ScmKind> scmKind = kindOf(kind);
    return scmKind ? scmKindKey(*scmKind) : QStringLiteral("unknown");
}

} // namespace cic::scm
