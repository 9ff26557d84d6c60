// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/model/build.h"
#include "core/scm/links.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QUrl>

// Jenkins' JSON API onto the build model, as pure functions the provider and its tests share.
namespace cic::jenkins {

// A job as the job tree lists it. `path` holds Jenkins' own item names, level by level; a
// multibranch branch job keeps its encoded name (`feature%2Fx`), as Jenkins does.
struct Job
{
    QStringList path;
    QString className;
    QString color;
    qint32 lastBuild = 0; // 0: never built
    QString pullRequestUrl; // from the job's ObjectMetadataAction, for pull-request jobs
    bool inMultibranch = false;

    QString fullName() const { return path.join(QLatin1Char('/')); }

    // "repo » feature/x": the names as Jenkins shows them.
    QString displayName() const;
};

struct Context
{
    QString source;
    QUrl base; // the configured address
    scm::ScmHosts scmHosts;
};

// The `tree=` selections the provider asks for.
QString jobTreeQuery(int depth);
QString buildFields();

// The job URL built segment by segment: /job/a/job/b/job/feature%252Fx
QUrl jobUrl(const QUrl &base, const QStringList &path);
QUrl buildUrl(const QUrl &base, const QStringList &path, qint32 number);

// Jenkins writes absolute URLs from its own configured root, which may name another host or
// port than the address used here; this moves them onto the configured address.
QUrl rebaseUrl(const QUrl &base, const QString &absolute);

// Buildable jobs from a job tree answer, depth first. Folders whose children were cut off by
// the tree depth are returned in `unexpandedFolders` for another request.
struct JobTree
{
    QList<Job> jobs;
    QList<QStringList> unexpandedFolders;
};
JobTree parseJobTree(const QJsonArray &jobs, const QStringList &parentPath,
                     bool parentIsMultibranch);

std::optional<BuildResult> mapResult(const QJsonValue &result, bool building);

// Branch names as the git plugin writes them (refs/remotes/origin/main, origin/main,
// refs/heads/main) to the branch a person names (main).
QString branchName(const QString &refName);

QList<GitRevision> revisions(const QJsonObject &build, const scm::ScmHosts &hosts);

Build mapBuild(const QJsonObject &build, const Job &job, const Context &context);

// Failed cases from a testReport answer (suites[].cases[] with FAILED or REGRESSION).
QList<FailedTest> failedTests(const QJsonObject &testReport, int limit);

// Removes Jenkins' hidden console notes (ESC[8mha:...ESC[0m) that newer servers leave in
// the plain-text log.
QByteArray stripConsoleNotes(const QByteArray &text);

} // namespace cic::jenkins
