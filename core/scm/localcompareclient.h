// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/scm/scmcompareclient.h"

namespace cic {

// Compares in a local clone with libgit2, so a comparison needs no network and no token:
// the commits of `git log older..newer` (topological, newest first), and the diff from the
// merge base of the two to the newer with renames found (git_diff_find_similar), as the
// SCM servers' compare pages show it. Patches keep the files' bytes as they are.
//
// Runs on the thread pool; each comparison opens the repository for itself.
class LocalCompareClient final : public ScmCompareClient
{
    Q_OBJECT

public:
    explicit LocalCompareClient(const QString &clonePath, QObject *parent = nullptr);

    QString clonePath() const { return m_clonePath; }
    QString name() const override;

    // The repository, when known, only gives the commit and compare links.
    QFuture<Result<ScmComparison>> compare(const ScmRepository &repository, const QString &older,
                                           const QString &newer,
                                           const ScmCompareOptions &options = {}) override;

    static Result<ScmComparison> compareNow(const QString &clonePath,
                                            const ScmRepository &repository, const QString &older,
                                            const QString &newer,
                                            const ScmCompareOptions &options = {});

    // The URL of a clone's remote, to tell which repository it is a clone of.
    static Result<QString> remoteUrl(const QString &clonePath,
                                     const QString &remote = QStringLiteral("origin"));

private:
    QString m_clonePath;
};

} // namespace cic
