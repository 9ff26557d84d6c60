// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/providers/gitlab/gitlabmapping.h"

#include "core/model/wirecodec.h"
#include "core/providers/buildids.h"

#include <QRegularExpression>

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

qint64 pipelineIdOf(const Build &build)
{
    return build.id.section(QLatin1Char('-'), -1).toLongLong();
}

} // namespace cic::gitlab
