// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/scm/scmhost.h"

#include <QString>

// The one place that builds links into an SCM server's web pages. Every form appends to the
// repository's web root, so a path prefix (https://example.com/bitbucket) is kept and a
// trailing slash on it never doubles.
//
// Compare pages show "what newer has that older lacks":
//   Bitbucket Server  {base}/projects/{KEY}/repos/{slug}/compare/commits
//                         ?targetBranch={older}&sourceBranch={newer}      (keel's exact form)
//   GitHub, Gitea     {base}/{owner}/{repo}/compare/{older}...{newer}
//   GitLab            {base}/{group...}/{project}/-/compare/{older}...{newer}
//   Bitbucket Cloud   {base}/{workspace}/{repo}/branches/compare/{newer}..{older}
// Bitbucket Cloud names the source (newer) side first, as its own "compare branches" page and
// most tools linking to it do; the reverse order shows the changes the other way round.
//
// Revisions are inserted as keel inserts them, unencoded; only characters that would end the
// path or the query (space, #, %, &, ?) are percent-encoded, which no sha or tag contains.
namespace cic::scm {

QString repositoryLink(const ScmRepository &repository);
QString commitLink(const ScmRepository &repository, const QString &sha);
QString compareLink(const ScmRepository &repository, const QString &older, const QString &newer);

// The web root of a repository's server, without a trailing slash.
QString webRoot(const ScmRepository &repository);

} // namespace cic::scm
