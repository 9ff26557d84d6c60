// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/scm/igorcommits.h"

#include "core/model/wirecodec.h"

#include <QJsonObject>

namespace cic::scm {

namespace {

// igor's defaults: Bitbucket Server's own displayId, and commitDisplayLength elsewhere.
constexpr int StashDisplayLength = 11;
constexpr int DisplayLength = 7;

} // namespace

QJsonArray igorCommits(const ScmComparison &comparison, ScmKind pathKind)
{
    const bool stash = pathKind == ScmKind::BitbucketServer;
    const bool oldestFirst = pathKind == ScmKind::GitHub || pathKind == ScmKind::GitLab;

    QJsonArray commits;
    for (const ScmCommit &commit : comparison.commits) {
        QJsonValue timestamp;
        if (stash)
            timestamp = commit.date.isValid() ? commit.date.toMSecsSinceEpoch() : 0;
        else if (commit.date.isValid())
            timestamp = wire::isoInstant(commit.date);

        const QJsonObject entry{
            {QStringLiteral("displayId"),
             commit.sha.left(stash ? StashDisplayLength : DisplayLength)},
            {QStringLiteral("id"), commit.sha},
            {QStringLiteral("authorDisplayName"), commit.author},
            {QStringLiteral("timestamp"), timestamp},
            {QStringLiteral("message"), commit.message},
            {QStringLiteral("commitUrl"), commit.url},
        };
        if (oldestFirst)
            commits.prepend(entry);
        else
            commits.append(entry);
    }
    return commits;
}

QJsonArray igorCommitsNotFound(const QString &projectKey, const QString &repoSlug,
                               const QString &from, const QString &to, const QString &baseUrl)
{
    const QString message = QStringLiteral("could not find any commits from %1 to %2 in %3 %4/%5")
                                .arg(from, to, baseUrl, projectKey, repoSlug);
    const QJsonObject entry{
        {QStringLiteral("displayId"), QStringLiteral("NOT_FOUND")},
        {QStringLiteral("id"), QStringLiteral("NOT_FOUND")},
        {QStringLiteral("authorDisplayName"), QStringLiteral("UNKNOWN")},
        {QStringLiteral("timestamp"), 0},
        {QStringLiteral("message"), message},
        {QStringLiteral("commitUrl"), baseUrl},
    };
    return QJsonArray{entry};
}

QString igorPrefix(ScmKind kind)
{
    switch (kind) {
    case ScmKind::BitbucketServer:
        return QStringLiteral("stash");
    case ScmKind::GitHub:
        return QStringLiteral("github");
    case ScmKind::GitLab:
        return QStringLiteral("gitlab");
    case ScmKind::BitbucketCloud:
        return QStringLiteral("bitbucket");
    case ScmKind::Gitea:
        break;
    }
    return {};
}

} // namespace cic::scm
