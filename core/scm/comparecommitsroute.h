// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace cic {

class IgorServer;
class ScmCompareService;

namespace scm {

// igor's compare endpoints on the embedded server, answered from the compare service:
//
//   GET /stash/{projectKey}/{repoSlug}/compareCommits?from={newer}&to={older}[&limit=N]
//   GET /github/..., /gitlab/..., /bitbucket/... (the same)
//
// 200 with igor's commit list (core/scm/igorcommits.h); a revision the SCM server does not
// know, or any failure behind it, answers igor's NOT_FOUND placeholder with 200, as igor's
// GitHub and GitLab controllers do; 400 without `from` or `to`; 404 when no server of that
// kind is configured; 503 when the comparison takes longer than the budget. The handlers run
// on the service's thread.
bool addCompareCommitsRoutes(IgorServer &server, ScmCompareService *service, int budgetMs = 15'000);

} // namespace scm
} // namespace cic
