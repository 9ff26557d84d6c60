// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/model/build.h"

#include <QDateTime>
#include <QJsonObject>
#include <QUrl>

// GitHub's Actions REST API (version 2022-11-28, on github.com and GitHub Enterprise Server)
// onto the build model, as pure functions the provider and its tests share.
namespace cic::github {

// owner/name, as configured.
struct Repository
{
    QString owner;
    QString name;

    QString fullName() const { return owner + QLatin1Char('/') + name; }
    static std::optional<Repository> parse(const QString &fullName);
};

struct Context
{
    QString source;
    QString webBase; // https://github.com, or the Enterprise server's web root
    QDateTime now; // for the running time of a run that has not finished
};

// A job of a run, as /actions/runs/{id}/jobs lists it.
struct Job
{
    qint64 id = 0;
    QString name;
    QString status;
    QString conclusion;
    QDateTime startedAt;
    QDateTime completedAt;
    QString htmlUrl;

    bool completed() const { return status == QLatin1String("completed"); }
};

// What a run or job status and conclusion mean: BUILDING while it runs, NOT_BUILT while it
// waits (queued, or for an approval), and the conclusion once it has completed.
struct Outcome
{
    bool building = false;
    BuildResult result = BuildResult::NotBuilt;
};
Outcome mapOutcome(const QString &status, const QString &conclusion);

// The web root for an API base: api.github.com -> https://github.com,
// https://host/api/v3 -> https://host.
QString webBaseFor(const QUrl &apiBase);

// The rel="next" target of a Link header; empty when there is no next page.
QUrl nextPageUrl(const QByteArray &linkHeader);

// The build id of a run; the run id is its last part (see runIdOf).
QString buildId(const QString &source, const Repository &repository, qint64 runId);
qint64 runIdOf(const QString &buildId);

Build mapRun(const QJsonObject &run, const Repository &repository, const Context &context);
Job parseJob(const QJsonObject &job);
BuildArtifact mapArtifact(const QJsonObject &artifact);

// The line that opens a job's part of a run's log, and the one that says a job has not
// finished yet (GitHub serves a job's log only once the job has completed).
QByteArray jobOpening(const Job &job, bool first);
QByteArray jobPending(const Job &job, bool first);

} // namespace cic::github
