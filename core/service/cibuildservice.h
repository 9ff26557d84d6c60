// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/model/build.h"
#include "core/util/result.h"

#include <QFuture>
#include <QObject>

namespace cic {

// A job, repository, pipeline project or builder that a source has builds for.
struct SourceProject
{
    QString id;          // stable key within the source, as in Build::project
    QString displayName; // what a person calls it, e.g. a folder path
    QString url;         // its page in the CI system, when it has one

    bool operator==(const SourceProject &) const = default;
};

// A piece of a build log from a byte offset. A running build's log grows: the caller asks
// again from nextOffset, so nothing is downloaded twice.
struct LogChunk
{
    QByteArray text;
    qint64 offset = 0;     // where text starts in the whole log
    qint64 nextOffset = 0; // where the next request starts
    bool complete = false; // the build has finished and nothing more will come
};

// One configured CI source: a Jenkins master, a GitHub repository set, a GitLab instance,
// a Buildbot master or a fixture set. Every method is asynchronous; a failure comes back as
// a Result with a message a user can act on, never as an exception.
class CiBuildService : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;
    ~CiBuildService() override = default;

    // The name the user gave the source in the configuration; unique.
    virtual QString name() const = 0;

    // jenkins, github-actions, gitlab-ci, buildbot or fixtures.
    virtual QString kind() const = 0;

    virtual QFuture<Result<QList<SourceProject>>> listProjects() = 0;

    // The newest builds of every project (or of one), for the store.
    virtual QFuture<Result<BuildList>> fetchRecentBuilds(const QString &project = {}) = 0;

    // A targeted lookup, for a query the store cannot answer yet (keel asking for a commit).
    virtual QFuture<Result<BuildList>> findBuilds(const BuildQuery &query) = 0;

    // The log from a byte offset; offset 0 is the whole log.
    virtual QFuture<Result<LogChunk>> fetchLog(const Build &build, qint64 offset = 0) = 0;

    // One build by its id, however old (`ci-companion log ID`). By default the id's project
    // and number are asked for through findBuilds; a provider whose ids end with something
    // other than the build number (a GitLab pipeline id, a GitHub run id) asks for it
    // directly. Answers a null build when there is none.
    virtual QFuture<Result<BuildPtr>> fetchBuild(const QString &id);

Q_SIGNALS:
    // The source knows its builds changed (files rewritten, a webhook, a poll) and the
    // store should refresh it.
    void buildsInvalidated();

    // The logs of these builds were replaced or shortened, not merely grown: text fetched
    // before is no longer a prefix of them, and must be fetched again from the start.
    void logsInvalidated(const QStringList &buildIds);
};

} // namespace cic
