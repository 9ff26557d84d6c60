// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/scm/links.h"

#include <QRegularExpression>
#include <QUrl>

namespace cic::scm {

namespace {

struct RemoteParts
{
    QString scheme; // for the web link: https unless the URL said http
    QString host; // without port
    int port = -1; // the URL's port (web ports only matter for http(s) URLs)
    QString path; // without leading slash or .git
    bool ssh = false;
};

std::optional<RemoteParts> splitRemote(const QString &remoteUrl)
{
    const QString text = remoteUrl.trimmed();
    RemoteParts parts;

    // scp-like: [user@]host:path (no scheme)
    static const QRegularExpression scpLike(QStringLiteral(R"(^(?:[^@/]+@)?([^:/]+):(?!//)(.+)$)"));
    if (!text.contains(QStringLiteral("://"))) {
        const QRegularExpressionMatch match = scpLike.match(text);
        if (!match.hasMatch())
            return std::nullopt;
        parts.scheme = QStringLiteral("https");
        parts.host = match.captured(1).toLower();
        parts.path = match.captured(2);
        parts.ssh = true;
    } else {
        const QUrl url(text);
        if (!url.isValid() || url.host().isEmpty())
            return std::nullopt;
        parts.host = url.host().toLower();
        parts.path = url.path();
        parts.ssh = url.scheme() == QLatin1String("ssh") || url.scheme() == QLatin1String("git");
        parts.scheme = url.scheme() == QLatin1String("http") ? QStringLiteral("http")
                                                             : QStringLiteral("https");
        parts.port = url.port(); // for ssh, Stash's 7999 hints at the host kind
    }

    while (parts.path.startsWith(QLatin1Char('/')))
        parts.path.remove(0, 1);
    while (parts.path.endsWith(QLatin1Char('/')))
        parts.path.chop(1);
    if (parts.path.endsWith(QLatin1String(".git")))
        parts.path.chop(4);
    if (parts.path.isEmpty())
        return std::nullopt;
    return parts;
}

QString hostOf(const QString &base)
{
    return QUrl(base).host().toLower();
}

QString trimmedBase(QString base)
{
    while (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    return base;
}

} // namespace

QString hostKindName(HostKind kind)
{
    switch (kind) {
    case HostKind::Stash:
        return QStringLiteral("stash");
    case HostKind::GitHub:
        return QStringLiteral("gitHub");
    case HostKind::GitLab:
        return QStringLiteral("gitLab");
    case HostKind::BitbucketCloud:
        return QStringLiteral("bitBucket");
    case HostKind::Unknown:
        break;
    }
    return QStringLiteral("unknown");
}

QString webBaseFor(HostKind kind, const QString &configured)
{
    QString base = trimmedBase(configured);
    if (kind != HostKind::GitHub)
        return base;

    QUrl url(base);
    if (url.host() == QLatin1String("api.github.com"))
        return QStringLiteral("https://github.com");
    QString path = url.path();
    if (path.endsWith(QLatin1String("/api/v3")))
        path.chop(7);
    url.setPath(path);
    return trimmedBase(url.toString());
}

std::optional<Repository> parseRemoteUrl(const QString &remoteUrl, const ScmHosts &hosts)
{
    const std::optional<RemoteParts> parts = splitRemote(remoteUrl);
    if (!parts)
        return std::nullopt;

    Repository repository;
    QString configuredBase;

    // The configured hosts decide first: they know the company's own servers.
    static const std::pair<const char *, HostKind> keys[] = {
        {"stash", HostKind::Stash},
        {"gitHub", HostKind::GitHub},
        {"gitLab", HostKind::GitLab},
        {"bitBucket", HostKind::BitbucketCloud},
    };
    for (const auto &[key, kind] : keys) {
        const QString base = hosts.value(QString::fromLatin1(key));
        if (base.isEmpty())
            continue;
        const QString webHost = hostOf(webBaseFor(kind, base));
        if (webHost == parts->host || hostOf(base) == parts->host) {
            repository.kind = kind;
            configuredBase = webBaseFor(kind, base);
            break;
        }
    }

    QString path = parts->path;
    if (repository.kind == HostKind::Unknown) {
        if (path.startsWith(QLatin1String("scm/")) || path.contains(QLatin1String("/scm/"))
            || parts->port == 7999)
            repository.kind = HostKind::Stash;
        else if (parts->host == QLatin1String("github.com"))
            repository.kind = HostKind::GitHub;
        else if (parts->host == QLatin1String("bitbucket.org"))
            repository.kind = HostKind::BitbucketCloud;
        else if (parts->host.contains(QLatin1String("gitlab")))
            repository.kind = HostKind::GitLab;
    }

    // Stash's https clone URLs are {base}/scm/KEY/slug; anything before scm/ is a context path.
    QString contextPath;
    if (repository.kind == HostKind::Stash && !parts->ssh) {
        const qsizetype scm
            = path.startsWith(QLatin1String("scm/")) ? 0 : path.indexOf(QLatin1String("/scm/"));
        if (scm >= 0) {
            contextPath = path.left(scm);
            path = path.mid(scm == 0 ? 4 : scm + 5);
        }
    }

    const qsizetype lastSlash = path.lastIndexOf(QLatin1Char('/'));
    if (lastSlash <= 0)
        return std::nullopt;
    repository.projectKey = path.left(lastSlash);
    repository.repoSlug = path.mid(lastSlash + 1);
    if (repository.kind == HostKind::Stash)
        repository.projectKey = repository.projectKey.toUpper();
    if (repository.kind != HostKind::GitLab && repository.projectKey.contains(QLatin1Char('/')))
        repository.projectKey = repository.projectKey.section(QLatin1Char('/'), -1);

    if (!configuredBase.isEmpty()) {
        repository.webBase = configuredBase;
    } else {
        QString base = parts->scheme + QStringLiteral("://") + parts->host;
        if (!parts->ssh && parts->port > 0)
            base += QLatin1Char(':') + QString::number(parts->port);
        if (!contextPath.isEmpty())
            base += QLatin1Char('/') + contextPath;
        repository.webBase = base;
    }
    return repository;
}

QString commitUrl(const Repository &repository, const QString &sha)
{
    if (sha.isEmpty() || repository.webBase.isEmpty())
        return {};
    const QString &base = repository.webBase;
    const QString &key = repository.projectKey;
    const QString &slug = repository.repoSlug;

    switch (repository.kind) {
    case HostKind::Stash:
        return QStringLiteral("%1/projects/%2/repos/%3/commits/%4").arg(base, key, slug, sha);
    case HostKind::GitHub:
        return QStringLiteral("%1/%2/%3/commit/%4").arg(base, key, slug, sha);
    case HostKind::GitLab:
        return QStringLiteral("%1/%2/%3/-/commit/%4").arg(base, key, slug, sha);
    case HostKind::BitbucketCloud:
        return QStringLiteral("%1/%2/%3/commits/%4").arg(base, key, slug, sha);
    case HostKind::Unknown:
        break;
    }
    return {};
}

QString compareUrl(const Repository &repository, const QString &older, const QString &newer)
{
    if (older.isEmpty() || newer.isEmpty() || repository.webBase.isEmpty())
        return {};
    const QString &base = repository.webBase;
    const QString &key = repository.projectKey;
    const QString &slug = repository.repoSlug;
    const QString from = QString::fromLatin1(QUrl::toPercentEncoding(older));
    const QString to = QString::fromLatin1(QUrl::toPercentEncoding(newer));

    switch (repository.kind) {
    case HostKind::Stash:
        return QStringLiteral("%1/projects/%2/repos/%3/compare/commits?sourceBranch=%4"
                              "&targetBranch=%5")
            .arg(base, key, slug, to, from);
    case HostKind::GitHub:
        return QStringLiteral("%1/%2/%3/compare/%4...%5").arg(base, key, slug, from, to);
    case HostKind::GitLab:
        return QStringLiteral("%1/%2/%3/-/compare/%4...%5").arg(base, key, slug, from, to);
    case HostKind::BitbucketCloud:
        return QStringLiteral("%1/%2/%3/branches/compare/%4..%5").arg(base, key, slug, to, from);
    case HostKind::Unknown:
        break;
    }
    return {};
}

} // namespace cic::scm
