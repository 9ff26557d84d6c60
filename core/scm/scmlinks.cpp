// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/scm/scmlinks.h"

namespace cic::scm {

namespace {

QString linkValue(const QString &value)
{
    QString encoded;
    encoded.reserve(value.size());
    for (const QChar c : value) {
        switch (c.unicode()) {
        case ' ':
            encoded += QLatin1String("%20");
            break;
        case '#':
            encoded += QLatin1String("%23");
            break;
        case '%':
            encoded += QLatin1String("%25");
            break;
        case '&':
            encoded += QLatin1String("%26");
            break;
        case '?':
            encoded += QLatin1String("%3F");
            break;
        default:
            encoded += c;
        }
    }
    return encoded;
}

} // namespace

QString webRoot(const ScmRepository &repository)
{
    QString root = repository.webUrl.toString(QUrl::RemoveQuery | QUrl::RemoveFragment);
    while (root.endsWith(QLatin1Char('/')))
        root.chop(1);
    return root;
}

QString repositoryLink(const ScmRepository &repository)
{
    const QString root = webRoot(repository);
    if (repository.kind == ScmKind::BitbucketServer)
        return root + QLatin1String("/projects/") + repository.owner + QLatin1String("/repos/")
            + repository.name;
    return root + QLatin1Char('/') + repository.owner + QLatin1Char('/') + repository.name;
}

QString commitLink(const ScmRepository &repository, const QString &sha)
{
    const QString base = repositoryLink(repository);
    const QString value = linkValue(sha);
    switch (repository.kind) {
    case ScmKind::BitbucketServer:
    case ScmKind::BitbucketCloud:
        return base + QLatin1String("/commits/") + value;
    case ScmKind::GitLab:
        return base + QLatin1String("/-/commit/") + value;
    case ScmKind::GitHub:
    case ScmKind::Gitea:
        return base + QLatin1String("/commit/") + value;
    }
    return {};
}

QString compareLink(const ScmRepository &repository, const QString &older, const QString &newer)
{
    const QString base = repositoryLink(repository);
    const QString from = linkValue(older);
    const QString to = linkValue(newer);
    switch (repository.kind) {
    case ScmKind::BitbucketServer:
        return base + QLatin1String("/compare/commits?targetBranch=") + from
            + QLatin1String("&sourceBranch=") + to;
    case ScmKind::GitHub:
    case ScmKind::Gitea:
        return base + QLatin1String("/compare/") + from + QLatin1String("...") + to;
    case ScmKind::GitLab:
        return base + QLatin1String("/-/compare/") + from + QLatin1String("...") + to;
    case ScmKind::BitbucketCloud:
        return base + QLatin1String("/branches/compare/") + to + QLatin1String("..") + from;
    }
    return {};
}

} // namespace cic::scm
