// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/providers/github/githubmapping.h"

#include "core/model/wirecodec.h"
#include "core/providers/buildids.h"
#include "core/scm/links.h"

#include <QJsonArray>
#include <QLoggingCategory>
#include <QRegularExpression>

#include <limits>

namespace cic::github {

namespace {
Q_LOGGING_CATEGORY(lcMapping, "cicompanion.core.providers.github")

QString str(const QJsonObject &object, QLatin1String key)
{
    const QJsonValue value = object.value(key);
    if (value.isString())
        return value.toString();
    if (value.isDouble())
        return QString::number(value.toInteger());
    return {};
}

QDateTime instant(const QJsonObject &object, QLatin1String key)
{
    const QJsonValue value = object.value(key);
    if (!value.isString() || value.toString().isEmpty())
        return {};
    return wire::parseInstant(value);
}

} // namespace

std::optional<Repository> Repository::parse(const QString &fullName)
{
    const QStringList parts = fullName.trimmed().split(QLatin1Char('/'));
    if (parts.size() != 2 || parts.at(0).isEmpty() || parts.at(1).isEmpty())
        return std::nullopt;
    return Repository{parts.at(0), parts.at(1)};
}

Outcome mapOutcome(const QString &status, const QString &conclusion)
{
    if (status == QLatin1String("in_progress"))
        return {true, BuildResult::Building};
    if (status == QLatin1String("queued") || status == QLatin1String("requested")
        || status == QLatin1String("waiting") || status == QLatin1String("pending"))
        return {false, BuildResult::NotBuilt};
    if (status != QLatin1String("completed")) {
        qCInfo(lcMapping, "unknown GitHub status '%s'", qUtf8Printable(status));
        return {false, BuildResult::NotBuilt};
    }

    static const QHash<QString, BuildResult> conclusions{
        {QStringLiteral("success"), BuildResult::Success},
        // Required checks treat a neutral conclusion as passing.
        {QStringLiteral("neutral"), BuildResult::Success},
        {QStringLiteral("failure"), BuildResult::Failure},
        {QStringLiteral("startup_failure"), BuildResult::Failure},
        {QStringLiteral("timed_out"), BuildResult::Failure},
        {QStringLiteral("cancelled"), BuildResult::Aborted},
        {QStringLiteral("stale"), BuildResult::Aborted}, // GitHub gave up on it
        {QStringLiteral("skipped"), BuildResult::NotBuilt},
        // Waits for a person to approve it: it has not run.
        {QStringLiteral("action_required"), BuildResult::NotBuilt},
    };
    const auto known = conclusions.constFind(conclusion);
    if (known != conclusions.cend())
        return {false, *known};
    qCInfo(lcMapping, "unknown GitHub conclusion '%s'", qUtf8Printable(conclusion));
    return {false, BuildResult::NotBuilt};
}

QString webBaseFor(const QUrl &apiBase)
{
    return scm::webBaseFor(scm::HostKind::GitHub, apiBase.toString(QUrl::FullyEncoded));
}

QUrl nextPageUrl(const QByteArray &linkHeader)
{
    // <https://api.github.com/...&page=2>; rel="next", <...>; rel="last"
    static const QRegularExpression link(QStringLiteral(R"re(<([^>]*)>\s*;([^,]*))re"));
    static const QRegularExpression next(QStringLiteral(R"re(\brel\s*=\s*"?([^"]*)"?)re"));
    auto matches = link.globalMatch(QString::fromUtf8(linkHeader));
    while (matches.hasNext()) {
        const QRegularExpressionMatch match = matches.next();
        const QRegularExpressionMatch rel = next.match(match.captured(2));
        if (rel.hasMatch()
            && rel.captured(1).split(QLatin1Char(' ')).contains(QLatin1String("next")))
            return QUrl::fromEncoded(match.captured(1).trimmed().toUtf8());
    }
    return {};
}

QString buildId(const QString &source, const Repository &repository, qint64 runId)
{
    return buildids::make(source, repository.fullName(), runId);
}

qint64 runIdOf(const QString &buildId)
{
    const qsizetype dash = buildId.lastIndexOf(QLatin1Char('-'));
    return dash < 0 ? 0 : buildId.mid(dash + 1).toLongLong();
}

Build mapRun(const QJsonObject &run, const Repository &repository, const Context &context)
{
    Build build;
    build.source = context.source;
    build.project = repository.fullName();
    build.id = buildId(context.source, repository, run.value(QLatin1String("id")).toInteger());

    // keel reads the number as a 32-bit int; run numbers stay far below that in practice.
    const qint64 runNumber = run.value(QLatin1String("run_number")).toInteger();
    build.number = qint32(std::clamp<qint64>(runNumber, 0, std::numeric_limits<qint32>::max()));

    const QString workflow = str(run, QLatin1String("name"));
    build.name = workflow.isEmpty() ? repository.fullName() : workflow;
    build.fullDisplayName = workflow.isEmpty()
        ? QStringLiteral("%1 #%2").arg(repository.fullName()).arg(build.number)
        : QStringLiteral("%1 %2 #%3").arg(repository.fullName(), workflow).arg(build.number);
    build.url = str(run, QLatin1String("html_url"));

    const QString status = str(run, QLatin1String("status"));
    const Outcome outcome = mapOutcome(status, str(run, QLatin1String("conclusion")));
    build.building = outcome.building;
    build.result = outcome.result;

    QDateTime started = instant(run, QLatin1String("run_started_at"));
    if (!started.isValid())
        started = instant(run, QLatin1String("created_at"));
    const bool completed = status == QLatin1String("completed");
    const QDateTime updated = instant(run, QLatin1String("updated_at"));
    if (started.isValid()) {
        build.timestampMs = started.toMSecsSinceEpoch();
        build.properties.insert(QStringLiteral("startedAt"), wire::isoInstant(started));
        build.properties.insert(QStringLiteral("startedTs"),
                                QString::number(started.toMSecsSinceEpoch()));
        if (completed && updated.isValid()) {
            build.durationMs = std::max<qint64>(0, started.msecsTo(updated));
            build.properties.insert(QStringLiteral("completedAt"), wire::isoInstant(updated));
            build.properties.insert(QStringLiteral("completedTs"),
                                    QString::number(updated.toMSecsSinceEpoch()));
        } else if (!completed && context.now.isValid()) {
            build.durationMs = std::max<qint64>(0, started.msecsTo(context.now));
        }
    }

    scm::Repository where{scm::HostKind::GitHub, context.webBase, repository.owner,
                          repository.name};
    GitRevision revision;
    revision.sha1 = str(run, QLatin1String("head_sha"));
    revision.branch = str(run, QLatin1String("head_branch"));
    if (!revision.branch.isEmpty())
        revision.name = QStringLiteral("refs/heads/") + revision.branch;
    const QJsonObject commit = run.value(QLatin1String("head_commit")).toObject();
    revision.message = str(commit, QLatin1String("message"));
    revision.committer
        = str(commit.value(QLatin1String("author")).toObject(), QLatin1String("name"));
    revision.timestamp = instant(commit, QLatin1String("timestamp"));
    revision.compareUrl = scm::commitUrl(where, revision.sha1);
    revision.remoteUrl = QStringLiteral("%1/%2.git").arg(context.webBase, repository.fullName());
    build.scm.append(revision);

    build.properties.insert(QStringLiteral("projectKey"), repository.owner);
    build.properties.insert(QStringLiteral("repoSlug"), repository.name);

    const QJsonArray pullRequests = run.value(QLatin1String("pull_requests")).toArray();
    if (!pullRequests.isEmpty()) {
        const QString number = str(pullRequests.first().toObject(), QLatin1String("number"));
        if (!number.isEmpty()) {
            build.properties.insert(QStringLiteral("pullRequestNumber"), number);
            build.properties.insert(QStringLiteral("pullRequestUrl"),
                                    QStringLiteral("%1/%2/pull/%3")
                                        .arg(context.webBase, repository.fullName(), number));
        }
    }
    const QString event = str(run, QLatin1String("event"));
    if (!event.isEmpty())
        build.properties.insert(QStringLiteral("event"), event);
    return build;
}

Job parseJob(const QJsonObject &object)
{
    Job job;
    job.id = object.value(QLatin1String("id")).toInteger();
    job.name = str(object, QLatin1String("name"));
    job.status = str(object, QLatin1String("status"));
    job.conclusion = str(object, QLatin1String("conclusion"));
    job.startedAt = instant(object, QLatin1String("started_at"));
    job.completedAt = instant(object, QLatin1String("completed_at"));
    job.htmlUrl = str(object, QLatin1String("html_url"));
    return job;
}

BuildArtifact mapArtifact(const QJsonObject &object)
{
    BuildArtifact artifact;
    artifact.name = str(object, QLatin1String("name"));
    artifact.fileName = artifact.name + QStringLiteral(".zip");
    artifact.displayPath = artifact.fileName;
    artifact.relativePath = artifact.name;
    artifact.type = QStringLiteral("zip");
    artifact.url = str(object, QLatin1String("archive_download_url"));
    artifact.reference = artifact.url;
    artifact.metadata.insert(QStringLiteral("sizeInBytes"),
                             str(object, QLatin1String("size_in_bytes")));
    const bool expired = object.value(QLatin1String("expired")).toBool();
    artifact.metadata.insert(QStringLiteral("expired"),
                             expired ? QStringLiteral("true") : QStringLiteral("false"));
    const QString expiresAt = str(object, QLatin1String("expires_at"));
    if (!expiresAt.isEmpty())
        artifact.metadata.insert(QStringLiteral("expiresAt"), expiresAt);
    const QString digest = str(object, QLatin1String("digest"));
    if (!digest.isEmpty())
        artifact.metadata.insert(QStringLiteral("digest"), digest);
    return artifact;
}

QByteArray jobOpening(const Job &job, bool first)
{
    const QString verdict = job.conclusion.isEmpty() ? job.status : job.conclusion;
    return ((first ? QString() : QStringLiteral("\n"))
            + QStringLiteral("=== job %1: %2 ===\n").arg(job.name, verdict))
        .toUtf8();
}

QByteArray jobPending(const Job &job, bool first)
{
    return ((first ? QString() : QStringLiteral("\n"))
            + QStringLiteral("=== job %1: %2; GitHub serves a job's log once the job has "
                             "finished, so it follows here then ===\n")
                  .arg(job.name, job.status))
        .toUtf8();
}

} // namespace cic::github
