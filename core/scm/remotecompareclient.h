// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/scm/scmcompareclient.h"

#include <QPointer>

namespace cic {

class ScmTransport;

// Compares through an SCM server's REST API, one host.
//
//   GitHub, GitHub Enterprise  GET /repos/{o}/{r}/compare/{older}...{newer}?per_page&page
//       commits come oldest first over pages; the newest pages are read first so that a
//       bound keeps the newest commits. files[] is on page 1 only, at most 300 files.
//   GitLab                     GET /projects/{path}/repository/compare?from={older}&to={newer}
//       one answer; compare_timeout, overflow, collapsed and too_large say what was cut.
//   Bitbucket Server           GET .../compare/commits, compare/changes and compare/diff with
//       from={newer}&to={older} (source and target; the swap is Bitbucket's wording), paged by
//       isLastPage/nextPageStart.
//   Gitea, Forgejo             GET /api/v1/repos/{o}/{r}/compare/{older}...{newer}, and the
//       web page's .diff for the patches.
//   Bitbucket Cloud            GET /2.0/repositories/{ws}/{r}/commits?include={newer}
//       &exclude={older}, following `next`, and /diff/{newer}..{older}.
class RemoteCompareClient final : public ScmCompareClient
{
    Q_OBJECT

public:
    RemoteCompareClient(const ScmHost &host, ScmTransport *transport, QObject *parent = nullptr);

    const ScmHost &host() const { return m_host; }
    QString name() const override;

    QFuture<Result<ScmComparison>> compare(const ScmRepository &repository, const QString &older,
                                           const QString &newer,
                                           const ScmCompareOptions &options = {}) override;

private:
    ScmHost m_host;
    QPointer<ScmTransport> m_transport;
};

} // namespace cic
