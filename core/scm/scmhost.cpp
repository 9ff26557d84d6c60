// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/scm/scmhost.h"

#include "core/model/build.h"

#include <QRegularExpression>

namespace cic {

namespace {

QString withoutTrailingSlashes(QString text)
{
    while (text.endsWith(QLatin1Char('/')))
        text.chop(1);
    return text;
}

QUrl normalisedBase(const QUrl &url)
{
    QUrl base = url.adjusted(QUrl::RemoveQuery | QUrl::RemoveFragment);
    base.setPath(withoutTrailingSlashes(base.path()));
    return base;
}

// The URL with `suffix` removed from the end of its path, if it ends so.
std::optional<QUrl> strippedPathSuffix(const QUrl &url, QLatin1String suffix)
{
    const QString path = url.path();
    if (!path.endsWith(suffix, Qt::CaseInsensitive))
        return std::nullopt;
    QUrl stripped = url;
    stripped.setPath(path.left(path.size() - suffix.size()));
    return stripped;
}

QUrl withPath(const QUrl &base, QLatin1String suffix)
{
    QUrl url = base;
    url.setPath(withoutTrailingSlashes(base.path()) + suffix);
    return url;
}

QStringList pathSegments(const QString &path)
{
    return path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
}

// The hosts everyone knows, so a remote on them needs no configuration.
std::optional<ScmHost> wellKnownHost(const QString &hostName)
{
    struct Known
    {
        const char *host;
        ScmKind kind;
    };
    static const Known known[] = {
        {"github.com", ScmKind::GitHub},
        {"gitlab.com", ScmKind::GitLab},
        {"bitbucket.org", ScmKind::BitbucketCloud},
        {"codeberg.org", ScmKind::Gitea},
    };
    for (const Known &entry : known) {
        if (hostName.compare(QLatin1String(entry.host), Qt::CaseInsensitive) == 0) {
            ScmHost host;
            host.kind = entry.kind;
            host.webUrl = QUrl(QLatin1String("https://") + QLatin1String(entry.host));
            return host;
        }
    }
    return std::nullopt;
}

// A server nobody configured, known by its remote's shape: Bitbucket Server clones over
// https as {base}/scm/KEY/slug and over ssh on port 7999; GitLab servers tend to say so in
// their name.
std::optional<ScmHost> inferredHost(const RemoteUrl &remote)
{
    const bool web
        = remote.scheme == QLatin1String("https") || remote.scheme == QLatin1String("http");
    QUrl root;
    root.setScheme(web ? remote.scheme : QStringLiteral("https"));
    root.setHost(remote.host);
    if (web && remote.port > 0)
        root.setPort(remote.port);

    ScmHost host;
    const QStringList &segments = remote.segments;
    const qsizetype scm = segments.size() - 3;
    if (web && scm >= 0 && segments[scm] == QLatin1String("scm")) {
        host.kind = ScmKind::BitbucketServer;
        if (scm > 0)
            root.setPath(QLatin1Char('/') + segments.mid(0, scm).join(QLatin1Char('/')));
    } else if (!web && remote.port == 7999) {
        host.kind = ScmKind::BitbucketServer;
    } else if (remote.host.contains(QLatin1String("gitlab"))) {
        host.kind = ScmKind::GitLab;
    } else {
        return std::nullopt;
    }
    host.webUrl = root;
    return host;
}

// The configured host serving this host name whose path prefix the path starts with; the
// longest prefix wins, so two servers under one host name stay apart.
const ScmHost *matchingHost(const QList<ScmHost> &hosts, const QString &hostName,
                            const QStringList &segments, bool comparePrefix)
{
    const ScmHost *best = nullptr;
    qsizetype bestPrefix = -1;
    for (const ScmHost &host : hosts) {
        if (host.webUrl.host().compare(hostName, Qt::CaseInsensitive) != 0)
            continue;
        const QStringList prefix = pathSegments(host.webUrl.path());
        if (comparePrefix) {
            if (prefix.size() > segments.size())
                continue;
            bool matches = true;
            for (qsizetype i = 0; i < prefix.size() && matches; ++i)
                matches = prefix[i].compare(segments[i], Qt::CaseInsensitive) == 0;
            if (!matches)
                continue;
        }
        if (prefix.size() > bestPrefix) {
            best = &host;
            bestPrefix = prefix.size();
        }
    }
    return best;
}

// Bitbucket Server project keys are upper case; its ssh remotes write them in lower case.
// Personal projects (~user) keep their case.
QString bitbucketProjectKey(const QString &key)
{
    return key.startsWith(QLatin1Char('~')) ? key : key.toUpper();
}

std::optional<ScmRepository> repositoryFromSegments(const ScmHost &host, QStringList segments)
{
    ScmRepository repository;
    repository.kind = host.kind;
    repository.webUrl = normalisedBase(host.webUrl);

    switch (host.kind) {
    case ScmKind::BitbucketServer:
        if (segments.size() >= 3 && segments[segments.size() - 3] == QLatin1String("scm"))
            segments = segments.mid(segments.size() - 2);
        if (segments.size() != 2)
            return std::nullopt;
        repository.owner = bitbucketProjectKey(segments[0]);
        repository.name = segments[1];
        break;
    case ScmKind::GitLab:
        if (segments.size() < 2)
            return std::nullopt;
        repository.name = segments.takeLast();
        repository.owner = segments.join(QLatin1Char('/'));
        break;
    case ScmKind::GitHub:
    case ScmKind::BitbucketCloud:
    case ScmKind::Gitea:
        if (segments.size() != 2)
            return std::nullopt;
        repository.owner = segments[0];
        repository.name = segments[1];
        break;
    }
    return repository;
}

// What follows the web root in a commit page URL, per kind: {repository part, rest}.
struct CommitPath
{
    ScmKind kind;
    QStringList repository;
};

std::optional<CommitPath> commitPathOf(const QStringList &segments)
{
    const qsizetype n = segments.size();
    if (n < 3)
        return std::nullopt;

    const QString &marker = segments[n - 2];
    if (n == 6 && segments[0] == QLatin1String("projects") && segments[2] == QLatin1String("repos")
        && marker == QLatin1String("commits"))
        return CommitPath{ScmKind::BitbucketServer, {segments[1], segments[3]}};
    if (n >= 5 && segments[n - 3] == QLatin1String("-") && marker == QLatin1String("commit"))
        return CommitPath{ScmKind::GitLab, segments.mid(0, n - 3)};
    if (n == 4 && marker == QLatin1String("commit"))
        return CommitPath{ScmKind::GitHub, segments.mid(0, 2)};
    if (n == 4 && marker == QLatin1String("commits"))
        return CommitPath{ScmKind::BitbucketCloud, segments.mid(0, 2)};
    return std::nullopt;
}

} // namespace

QString scmKindKey(ScmKind kind)
{
    switch (kind) {
    case ScmKind::BitbucketServer:
        return QStringLiteral("stash");
    case ScmKind::GitHub:
        return QStringLiteral("gitHub");
    case ScmKind::GitLab:
        return QStringLiteral("gitLab");
    case ScmKind::BitbucketCloud:
        return QStringLiteral("bitBucket");
    case ScmKind::Gitea:
        return QStringLiteral("gitea");
    }
    return {};
}

std::optional<ScmKind> scmKindFromKey(QStringView key)
{
    QString word = key.trimmed().toString().toLower();
    word.remove(QLatin1Char('-'));
    word.remove(QLatin1Char('_'));
    word.remove(QLatin1Char(' '));

    if (word == QLatin1String("stash") || word == QLatin1String("bitbucketserver")
        || word == QLatin1String("bitbucketdatacenter"))
        return ScmKind::BitbucketServer;
    if (word == QLatin1String("github") || word == QLatin1String("githubenterprise")
        || word == QLatin1String("ghe"))
        return ScmKind::GitHub;
    if (word == QLatin1String("gitlab"))
        return ScmKind::GitLab;
    if (word == QLatin1String("bitbucket") || word == QLatin1String("bitbucketcloud"))
        return ScmKind::BitbucketCloud;
    if (word == QLatin1String("gitea") || word == QLatin1String("forgejo"))
        return ScmKind::Gitea;
    return std::nullopt;
}

QString scmKindName(ScmKind kind)
{
    switch (kind) {
    case ScmKind::BitbucketServer:
        return QStringLiteral("Bitbucket Server");
    case ScmKind::GitHub:
        return QStringLiteral("GitHub");
    case ScmKind::GitLab:
        return QStringLiteral("GitLab");
    case ScmKind::BitbucketCloud:
        return QStringLiteral("Bitbucket Cloud");
    case ScmKind::Gitea:
        return QStringLiteral("Gitea");
    }
    return {};
}

QUrl ScmHost::apiBase() const
{
    if (!apiUrl.isEmpty())
        return normalisedBase(apiUrl);

    const QUrl web = normalisedBase(webUrl);
    const QString host = web.host().toLower();
    switch (kind) {
    case ScmKind::GitHub:
        if (host == QLatin1String("github.com") || host == QLatin1String("www.github.com"))
            return QUrl(QStringLiteral("https://api.github.com"));
        return withPath(web, QLatin1String("/api/v3"));
    case ScmKind::GitLab:
        return withPath(web, QLatin1String("/api/v4"));
    case ScmKind::BitbucketServer:
        return withPath(web, QLatin1String("/rest/api/1.0"));
    case ScmKind::BitbucketCloud:
        if (host == QLatin1String("bitbucket.org"))
            return QUrl(QStringLiteral("https://api.bitbucket.org/2.0"));
        return withPath(web, QLatin1String("/api/2.0"));
    case ScmKind::Gitea:
        return withPath(web, QLatin1String("/api/v1"));
    }
    return web;
}

QString ScmHost::displayName() const
{
    if (!name.isEmpty())
        return name;
    return scmKindName(kind) + QLatin1String(" at ") + webUrl.host();
}

ScmHost ScmHost::fromBaseUrl(ScmKind kind, const QUrl &baseUrl)
{
    ScmHost host;
    host.kind = kind;
    const QUrl base = normalisedBase(baseUrl);
    host.webUrl = base;

    const QString hostName = base.host().toLower();
    std::optional<QUrl> web;
    switch (kind) {
    case ScmKind::GitHub:
        if (hostName == QLatin1String("api.github.com")) {
            web = QUrl(QStringLiteral("https://github.com"));
            break;
        }
        web = strippedPathSuffix(base, QLatin1String("/api/v3"));
        break;
    case ScmKind::GitLab:
        web = strippedPathSuffix(base, QLatin1String("/api/v4"));
        break;
    case ScmKind::BitbucketServer:
        web = strippedPathSuffix(base, QLatin1String("/rest/api/1.0"));
        break;
    case ScmKind::BitbucketCloud:
        if (hostName == QLatin1String("api.bitbucket.org")) {
            web = QUrl(QStringLiteral("https://bitbucket.org"));
            break;
        }
        web = strippedPathSuffix(base, QLatin1String("/2.0"));
        break;
    case ScmKind::Gitea:
        web = strippedPathSuffix(base, QLatin1String("/api/v1"));
        break;
    }
    if (web) {
        host.webUrl = normalisedBase(*web);
        host.apiUrl = base;
    }
    return host;
}

QList<ScmHost> scmHostsFromMasters(const QMap<QString, QString> &masters)
{
    QList<ScmHost> hosts;
    for (auto it = masters.cbegin(); it != masters.cend(); ++it) {
        const std::optional<ScmKind> kind = scmKindFromKey(it.key());
        const QUrl url(it.value().trimmed());
        if (!kind || !url.isValid() || url.host().isEmpty())
            continue;
        hosts.append(ScmHost::fromBaseUrl(*kind, url));
    }
    return hosts;
}

QString RemoteUrl::identity() const
{
    QStringList parts = segments;
    const bool web = scheme == QLatin1String("https") || scheme == QLatin1String("http");
    if (web && parts.size() >= 3 && parts[parts.size() - 3] == QLatin1String("scm"))
        parts = parts.mid(parts.size() - 2);
    return (host + QLatin1Char('/') + parts.join(QLatin1Char('/'))).toLower();
}

std::optional<RemoteUrl> parseRemoteUrl(QStringView text)
{
    const QString url = text.trimmed().toString();
    if (url.isEmpty())
        return std::nullopt;

    RemoteUrl remote;
    QString path;
    static const QRegularExpression scpLike(
        QStringLiteral("^(?:[^@/\\s]+@)?(\\[[^\\]]+\\]|[^:/\\s]{2,}):(.*)$"));

    if (url.contains(QLatin1String("://"))) {
        const QUrl parsed(url);
        if (!parsed.isValid())
            return std::nullopt;
        remote.scheme = parsed.scheme().toLower();
        if (remote.scheme == QLatin1String("git+ssh") || remote.scheme == QLatin1String("ssh+git"))
            remote.scheme = QStringLiteral("ssh");
        remote.host = parsed.host().toLower();
        remote.port = parsed.port();
        path = parsed.path();
        if (remote.scheme != QLatin1String("file") && remote.host.isEmpty())
            return std::nullopt;
    } else if (const QRegularExpressionMatch match = scpLike.match(url); match.hasMatch()) {
        remote.scheme = QStringLiteral("scp");
        remote.host = match.captured(1).toLower();
        if (remote.host.startsWith(QLatin1Char('[')))
            remote.host = remote.host.mid(1, remote.host.size() - 2);
        path = match.captured(2);
    } else {
        remote.scheme = QStringLiteral("file");
        path = url;
    }

    remote.segments = pathSegments(path);
    if (!remote.segments.isEmpty()) {
        QString &last = remote.segments.last();
        if (last.endsWith(QLatin1String(".git"), Qt::CaseInsensitive))
            last.chop(4);
        if (last.isEmpty())
            remote.segments.removeLast();
    }
    if (remote.segments.isEmpty())
        return std::nullopt;
    return remote;
}

std::optional<ScmRepository> repositoryFromRemote(const QString &remoteUrl,
                                                  const QList<ScmHost> &hosts)
{
    const std::optional<RemoteUrl> remote = parseRemoteUrl(remoteUrl);
    if (!remote || remote->host.isEmpty())
        return std::nullopt;

    // Only web remotes carry the server's path prefix; ssh paths start at the repository.
    const bool web
        = remote->scheme == QLatin1String("https") || remote->scheme == QLatin1String("http");
    QStringList segments = remote->segments;
    const ScmHost *host = matchingHost(hosts, remote->host, segments, web);
    if (!host)
        host = matchingHost(hosts, remote->host, segments, false);

    std::optional<ScmHost> known;
    if (!host) {
        known = wellKnownHost(remote->host);
        if (!known)
            known = inferredHost(*remote);
        if (!known)
            return std::nullopt;
        host = &*known;
    }

    const qsizetype prefix = pathSegments(host->webUrl.path()).size();
    if (web && prefix <= segments.size())
        segments = segments.mid(prefix);
    return repositoryFromSegments(*host, segments);
}

std::optional<ScmRepository> repositoryFromCommitUrl(const QString &commitUrl,
                                                     const QList<ScmHost> &hosts)
{
    const QUrl url(commitUrl.trimmed());
    if (!url.isValid() || url.host().isEmpty())
        return std::nullopt;

    const QStringList segments = pathSegments(url.path());
    const ScmHost *host = matchingHost(hosts, url.host(), segments, true);
    std::optional<ScmHost> known;
    if (!host) {
        known = wellKnownHost(url.host());
        if (known)
            host = &*known;
    }

    const qsizetype prefix = host ? pathSegments(host->webUrl.path()).size() : 0;
    const std::optional<CommitPath> commitPath = commitPathOf(segments.mid(prefix));
    if (!commitPath)
        return std::nullopt;

    // An unknown host is taken for what its URL shape says, rooted at scheme://host[:port].
    ScmHost inferred;
    if (!host) {
        inferred.kind = commitPath->kind;
        inferred.webUrl = url.adjusted(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment
                                       | QUrl::RemoveUserInfo);
        host = &inferred;
    }

    // GitHub and Gitea share a shape, and GitLab answered it before /-/ routes: the host's
    // own kind decides.
    const bool shapeFits = commitPath->kind == host->kind
        || (commitPath->kind == ScmKind::GitHub
            && (host->kind == ScmKind::Gitea || host->kind == ScmKind::GitLab));
    if (!shapeFits)
        return std::nullopt;
    return repositoryFromSegments(*host, commitPath->repository);
}

std::optional<ScmRepository> repositoryOfBuild(const Build &build, const QList<ScmHost> &hosts)
{
    if (build.scm.isEmpty())
        return std::nullopt;
    const GitRevision &revision = build.scm.first();

    const QUrl commitUrl(revision.compareUrl);
    const bool commitHostKnown = !commitUrl.host().isEmpty()
        && matchingHost(hosts, commitUrl.host(), pathSegments(commitUrl.path()), true);
    if (commitHostKnown) {
        if (auto repository = repositoryFromCommitUrl(revision.compareUrl, hosts))
            return repository;
    }
    if (auto repository = repositoryFromRemote(revision.remoteUrl, hosts))
        return repository;
    if (auto repository = repositoryFromCommitUrl(revision.compareUrl, hosts))
        return repository;

    // keel's way: the configured host of the commit link, and the build's project and repo.
    if (commitUrl.host().isEmpty() || build.projectKey().isEmpty() || build.repoSlug().isEmpty())
        return std::nullopt;
    const ScmHost *host = matchingHost(hosts, commitUrl.host(), {}, false);
    if (!host)
        return std::nullopt;
    ScmRepository repository;
    repository.kind = host->kind;
    repository.webUrl = normalisedBase(host->webUrl);
    repository.owner = build.projectKey();
    repository.name = build.repoSlug();
    return repository;
}

} // namespace cic
