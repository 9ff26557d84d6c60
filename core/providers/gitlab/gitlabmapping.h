// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/model/build.h"

#include <QJsonObject>
#include <QUrl>

#include <optional>

// GitLab CI's REST API v4 onto the build model, as pure functions the provider and its tests
// share. A pipeline is a build; its jobs make up its log.
namespace cic::gitlab {

struct Project
{
    qint64 id = 0;
    QString path; // path_with_namespace: group/sub/project
    QString webUrl;

    QString namespacePath() const { return path.section(QLatin1Char('/'), 0, -2); }
    QString slug() const { return path.section(QLatin1Char('/'), -1); }
};

Project parseProject(const QJsonObject &object);

// The URL-encoded project id GitLab accepts in place of the number: group%2Fsub%2Fproject.
QByteArray encodedProjectId(const QString &path);

// Pipeline statuses, with "passed with warnings" (success whose detailed_status.group is
// success-with-warnings) as UNSTABLE.
BuildResult mapPipelineStatus(const QString &status, const QString &detailedGroup = {});

// Job statuses; a failed job that was allowed to fail is UNSTABLE.
BuildResult mapJobStatus(const QString &status, bool allowFailure);

// True once a job or pipeline status will not change again.
bool isFinishedStatus(const QString &status);

// A merge request number from a pipeline ref such as refs/merge-requests/12/head.
std::optional<int> mergeRequestFromRef(const QString &ref);

// What is known about a commit, from repository/commits/:sha; empty when not fetched.
struct CommitInfo
{
    QString title;
    QString author;
    QDateTime committedAt;
};
CommitInfo parseCommit(const QJsonObject &object);

struct Context
{
    QString source;
};

// A pipeline (the single-pipeline answer, or a list item with fewer fields) onto a Build.
Build mapPipeline(const QJsonObject &pipeline, const Project &project, const CommitInfo &commit,
                  const Context &context);

// The archives a pipeline's jobs kept (GET .../pipelines/:id/jobs), one artifact a job, in
// job id order, linked to the job's download page on the instance. Reports (junit, trace,
// metadata) are not artifacts a user downloads; they are left out.
QList<BuildArtifact> mapJobArtifacts(const QJsonArray &jobs, const Project &project);

// A pipeline's test report (GET .../pipelines/:id/test_report) as igor's test summary, errors
// counted as failures as Jenkins does; nullopt when the report holds no test.
std::optional<TestSummary> mapTestReport(const QJsonObject &report);

// The failed and errored test cases of a test report, at most `limit`.
QList<FailedTest> failedTestsOf(const QJsonObject &report, int limit);

// The pipeline id a build id ends with.
qint64 pipelineIdOf(const Build &build);

} // namespace cic::gitlab
