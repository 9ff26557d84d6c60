// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/providers/gitlab/gitlabmapping.h"

#include "core/model/wirecodec.h"
#include "core/providers/buildids.h"

#include <QJsonArray>
#include <QRegularExpression>

#include <algorithm>

namespace cic::gitlab {

namespace {

QString str(const QJsonObject &object, const char *key)
{
    return object.value(QLatin1String(key)).toString();
}

qint64 epochMs(const QJsonValue &value)
{
    const QDateTime time = wire::parseInstant(value);
    return time.isValid() ? time.toMSecsSinceEpoch() : 0;
}

} // namespace

Project parseProject(const QJsonObject &object)
{
    Project project;
    project.id = qint64(object.value(QLatin1String("id")).toDouble());
    project.path = str(object, "path_with_namespace");
    project.webUrl = str(object, "web_url");
    return project;
}

QByteArray encodedProjectId(const QString &path)
{
    return QUrl::toPercentEncoding(path);
}

BuildResult mapPipelineStatus(const QString &status, const QString &detailedGroup)
{
    if (status == QLatin1String("running") || status == QLatin1String("canceling"))
        return BuildResult::Building;
    if (status == QLatin1String("success"))
        return detailedGroup == QLatin1String("success-with-warnings") ? BuildResult::Unstable
                                                                       : BuildResult::Success;
    if (status == QLatin1String("failed"))
        return BuildResult::Failure;
    if (status == QLatin1String("canceled") || status == QLatin1String("cancelled"))
        return BuildResult::Aborted;
    // created, waiting_for_resource, preparing, waiting_for_callback, pending, scheduled,
    // manual, skipped, and anything newer: nothing ran to a verdict.
    return BuildResult::NotBuilt;
}

BuildResult mapJobStatus(const QString &status, bool allowFailure)
{
    if (status == QLatin1String("failed") && allowFailure)
        return BuildResult::Unstable;
    return mapPipelineStatus(status);
}

bool isFinishedStatus(const QString &status)
{
    static const QStringList finished
        = {QStringLiteral("success"), QStringLiteral("failed"), QStringLiteral("canceled"),
           QStringLiteral("skipped"), QStringLiteral("manual")};
    return finished.contains(status);
}

std::optional<int> mergeRequestFromRef(const QString &ref)
{
    static const QRegularExpression pattern(
        QStringLiteral(R"(^refs/merge-requests/(\d+)/(?:head|merge|train)$)"));
    const QRegularExpressionMatch match = pattern.match(ref);
    if (!match.hasMatch())
        return std::nullopt;
    return match.captured(1).toInt();
}

CommitInfo parseCommit(const QJsonObject &object)
{
    CommitInfo info;
    info.title = str(object, "title");
    info.author = str(object, "author_name");
    info.committedAt = wire::parseInstant(object.value(QLatin1String("committed_date")));
    return info;
}

Build mapPipeline(const QJsonObject &pipeline, const Project &project, const CommitInfo &commit,
                  const Context &context)
{
    Build build;
    const qint64 pipelineId = qint64(pipeline.value(QLatin1String("id")).toDouble());
    const int iid = pipeline.value(QLatin1String("iid")).toInt();
    build.source = context.source;
    build.project = project.path;
    build.name = project.path;
    build.number = iid > 0 ? iid : qint32(pipelineId);
    build.id = buildids::make(context.source, project.path, pipelineId);
    build.fullDisplayName = project.path + QStringLiteral(" #") + QString::number(build.number);
    build.url = str(pipeline, "web_url");

    const QString status = str(pipeline, "status");
    const QString group = pipeline.value(QLatin1String("detailed_status"))
                              .toObject()
                              .value(QLatin1String("group"))
                              .toString();
    build.result = mapPipelineStatus(status, group);
    build.building = build.result == BuildResult::Building;

    const qint64 created = epochMs(pipeline.value(QLatin1String("created_at")));
    qint64 started = epochMs(pipeline.value(QLatin1String("started_at")));
    const qint64 finished = epochMs(pipeline.value(QLatin1String("finished_at")));
    if (started == 0)
        started = created;
    if (started > 0)
        build.timestampMs = started;

    const QJsonValue duration = pipeline.value(QLatin1String("duration"));
    if (duration.isDouble())
        build.durationMs = qint64(duration.toDouble() * 1000);
    else if (finished > 0 && started > 0)
        build.durationMs = finished - started;

    const QString ref = str(pipeline, "ref");
    const QString sha = str(pipeline, "sha").toLower();
    if (!sha.isEmpty()) {
        GitRevision revision;
        revision.name = ref;
        revision.branch = ref;
        revision.sha1 = sha;
        revision.message = commit.title;
        revision.committer = commit.author;
        revision.timestamp = commit.committedAt;
        if (!project.webUrl.isEmpty()) {
            revision.compareUrl = project.webUrl + QStringLiteral("/-/commit/") + sha;
            revision.remoteUrl = project.webUrl + QStringLiteral(".git");
        }
        build.scm.append(revision);
    }

    build.properties.insert(QStringLiteral("projectKey"), project.namespacePath());
    build.properties.insert(QStringLiteral("repoSlug"), project.slug());

    const std::optional<int> mergeRequest = mergeRequestFromRef(ref);
    if (mergeRequest || str(pipeline, "source") == QLatin1String("merge_request_event")) {
        if (mergeRequest) {
            build.properties.insert(QStringLiteral("pullRequestNumber"),
                                    QString::number(*mergeRequest));
            if (!project.webUrl.isEmpty())
                build.properties.insert(QStringLiteral("pullRequestUrl"),
                                        project.webUrl + QStringLiteral("/-/merge_requests/")
                                            + QString::number(*mergeRequest));
        }
    }

    if (started > 0) {
        build.properties.insert(QStringLiteral("startedAt"), wire::isoInstantFromMs(started));
        build.properties.insert(QStringLiteral("startedTs"), QString::number(started));
    }
    if (finished > 0 && !build.building) {
        build.properties.insert(QStringLiteral("completedAt"), wire::isoInstantFromMs(finished));
        build.properties.insert(QStringLiteral("completedTs"), QString::number(finished));
    }
    return build;
}

QList<BuildArtifact> mapJobArtifacts(const QJsonArray &jobs, const Project &project)
{
    QList<QJsonObject> ordered;
    for (const QJsonValue &value : jobs)
        ordered.append(value.toObject());
    std::sort(ordered.begin(), ordered.end(), [](const QJsonObject &a, const QJsonObject &b) {
        return a.value(QLatin1String("id")).toDouble() < b.value(QLatin1String("id")).toDouble();
    });

    QList<BuildArtifact> artifacts;
    for (const QJsonObject &job : std::as_const(ordered)) {
        // Newer instances list each file of the job; older ones only the archive.
        QJsonObject archive;
        for (const QJsonValue &file : job.value(QLatin1String("artifacts")).toArray()) {
            if (file.toObject().value(QLatin1String("file_type")).toString()
                == QLatin1String("archive"))
                archive = file.toObject();
        }
        const QJsonObject legacy = job.value(QLatin1String("artifacts_file")).toObject();
        QString fileName = str(archive, "filename");
        if (fileName.isEmpty())
            fileName = str(legacy, "filename");
        if (fileName.isEmpty())
            continue;

        const qint64 id = qint64(job.value(QLatin1String("id")).toDouble());
        const QString jobName = str(job, "name");
        BuildArtifact artifact;
        artifact.name = jobName;
        artifact.fileName = fileName;
        artifact.displayPath = jobName + QLatin1Char('/') + fileName;
        artifact.relativePath = artifact.displayPath;
        artifact.type = archive.contains(QLatin1String("file_format"))
            ? str(archive, "file_format")
            : QStringLiteral("zip");
        QString jobUrl = str(job, "web_url");
        if (jobUrl.isEmpty() && !project.webUrl.isEmpty())
            jobUrl = project.webUrl + QStringLiteral("/-/jobs/") + QString::number(id);
        if (!jobUrl.isEmpty())
            artifact.url = jobUrl + QStringLiteral("/artifacts/download");
        artifact.reference = artifact.url;

        const QJsonValue size = archive.contains(QLatin1String("size"))
            ? archive.value(QLatin1String("size"))
            : legacy.value(QLatin1String("size"));
        if (size.isDouble())
            artifact.metadata.insert(QStringLiteral("sizeInBytes"),
                                     QString::number(qint64(size.toDouble())));
        artifact.metadata.insert(QStringLiteral("jobId"), QString::number(id));
        if (const QString stage = str(job, "stage"); !stage.isEmpty())
            artifact.metadata.insert(QStringLiteral("stage"), stage);
        if (const QString expires = str(job, "artifacts_expire_at"); !expires.isEmpty())
            artifact.metadata.insert(QStringLiteral("expiresAt"), expires);
        artifacts.append(artifact);
    }
    return artifacts;
}

std::optional<TestSummary> mapTestReport(const QJsonObject &report)
{
    const int total = report.value(QLatin1String("total_count")).toInt();
    if (total <= 0)
        return std::nullopt;
    TestSummary summary;
    summary.totalCount = total;
    summary.failCount = report.value(QLatin1String("failed_count")).toInt()
        + report.value(QLatin1String("error_count")).toInt();
    summary.skipCount = report.value(QLatin1String("skipped_count")).toInt();
    return summary;
}

QList<FailedTest> failedTestsOf(const QJsonObject &report, int limit)
{
    QList<FailedTest> failed;
    for (const QJsonValue &suiteValue : report.value(QLatin1String("test_suites")).toArray()) {
        const QJsonObject suite = suiteValue.toObject();
        for (const QJsonValue &caseValue : suite.value(QLatin1String("test_cases")).toArray()) {
            const QJsonObject testCase = caseValue.toObject();
            const QString status = str(testCase, "status");
            if (status != QLatin1String("failed") && status != QLatin1String("error"))
                continue;
            if (failed.size() >= limit)
                return failed;
            const QString className = str(testCase, "classname");
            const QString name = str(testCase, "name");
            QString message = str(testCase, "system_output");
            if (message.isEmpty())
                message = str(testCase, "stack_trace");
            failed.append({str(suite, "name"),
                           className.isEmpty() ? name : className + QLatin1Char('.') + name,
                           message.left(2000)});
        }
    }
    return failed;
}

qint64 pipelineIdOf(const Build &build)
{
    return build.id.section(QLatin1Char('-'), -1).toLongLong();
}

} // namespace cic::gitlab
