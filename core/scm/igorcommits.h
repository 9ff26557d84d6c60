// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/scm/scmcomparison.h"

#include <QJsonArray>

// igor's answer to GET /{stash|github|gitlab|bitbucket}/{projectKey}/{repoSlug}/compareCommits
// ?from={newer}&to={older}: a list of commits, each
//   {displayId, id, authorDisplayName, timestamp, message, commitUrl}
// as igor's CommitControllers write them. igor passes each server's order and time format on:
// Bitbucket Server (stash) lists newest first with epoch-millisecond timestamps and 11-character
// display ids; GitHub and GitLab list oldest first with ISO-8601 timestamps and 7-character
// display ids; Bitbucket Cloud lists newest first with ISO-8601 timestamps.
namespace cic::scm {

QJsonArray igorCommits(const ScmComparison &comparison, ScmKind pathKind);

// igor's answer when the server does not know a revision: one placeholder commit whose id is
// NOT_FOUND, answered with 200.
QJsonArray igorCommitsNotFound(const QString &projectKey, const QString &repoSlug,
                               const QString &from, const QString &to, const QString &baseUrl);

// The first segment of igor's compareCommits path for a kind: stash, github, gitlab or
// bitbucket; empty for Gitea, which igor lacks.
QString igorPrefix(ScmKind kind);

} // namespace cic::scm
