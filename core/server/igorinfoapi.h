// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/server/httptypes.h"

#include <QObject>
#include <QPointer>

namespace cic {

class SourceRegistry;

// igor's other read routes that gate calls when deck opens a trigger, a Jenkins stage or a
// pipeline's build picker, answered from the sources and the store so that deck stays healthy
// against this server: each source is a build master, its projects are its jobs, its builds
// are GenericBuilds in the wire shape of /ci/builds.
//
//   GET /masters[?type=JENKINS|GITLAB_CI|...]     source names
//   GET /buildServices                             [{name, buildServiceProvider, permissions}]
//   GET /jobs/{master}                             project names
//   GET /jobs/{master}/{job...}                    igor's JobConfiguration
//   GET /builds/all/{master}/{job...}              the job's builds, newest first
//   GET /builds/status/{number}/{master}/{job...}  one build (also ?job= after {master})
//   GET /builds/queue/{master}/{item}              Jenkins' queue item, item = build number
//   GET /artifacts/{provider}/{name}[/{version}]   no artifact versions: [] (a version: 404)
//   GET /artifactory/names, /nexus/names, /gcb/accounts, /codebuild/accounts: []
//
// A job name may hold slashes (a Jenkins folder, or "SPKR/keel-app" here); gate sends it
// unencoded, so routes with a job take up to MaxJobDepth segments after the master.
class IgorInfoApi final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(IgorInfoApi)

public:
    static constexpr int MaxJobDepth = 6;

    // Handlers run on the registry's thread, where its sources live.
    explicit IgorInfoApi(SourceRegistry *registry, QObject *parent = nullptr);

    QList<http::Route> routes();

    // The igor BuildServiceProvider of a source kind; empty when igor has none for it.
    static QString providerType(const QString &kind);

private:
    http::Reply masters(const http::Request &request) const;
    http::Reply buildServices() const;
    http::Reply jobs(const http::Request &request) const;
    http::Reply jobConfig(const http::Request &request) const;
    http::Reply allBuilds(const http::Request &request) const;
    http::Reply buildStatus(const http::Request &request, bool jobInQuery) const;
    http::Reply queueItem(const http::Request &request) const;

    bool hasMaster(const QString &name) const;
    QStringList jobsOf(const QString &master) const;

    QPointer<SourceRegistry> m_registry;
};

} // namespace cic
