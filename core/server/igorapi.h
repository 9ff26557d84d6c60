// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/model/build.h"
#include "core/server/httptypes.h"
#include "core/server/serveroptions.h"
#include "core/util/result.h"

#include <QMutex>
#include <QObject>
#include <QPointer>

#include <memory>

namespace cic {

class BuildStore;
class DeckLogPager;
class SourceRegistry;

// What GET /ci/builds asks, read from its query string.
struct BuildsRequest
{
    BuildQuery query;
    bool matchesNothing = false; // a buildNumber no build can have (not a 32-bit integer)
};

// igor's routes, answered from the store (every /ci/builds query is an index lookup) and,
// when the store has nothing for a commit or a log is asked for, through the sources.
//
// Lives on the server's thread. The store is read from here directly (its snapshots are
// safe to read from any thread); the registry is reached only through calls queued to its
// own thread, and must outlive the server.
class IgorApi final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(IgorApi)

public:
    IgorApi(SourceRegistry *registry, const ServerOptions &options, QObject *parent = nullptr);

    // GET /ci/builds, /ci/builds/{buildId}/output, /scm/masters and /health.
    QList<http::Route> routes();

    // projectKey, repoSlug, buildNumber, commitId and completionStatus, each optional; other
    // parameters are ignored. completionStatus is a comma list of keel's words (INCOMPLETE,
    // SUCCEEDED, FAILED, ABORTED) or result names, spaces allowed; repeated, the lists join.
    // An unknown word is an error naming it.
    static Result<BuildsRequest> parseBuildsQuery(const http::Request &request);

    // {"log": "..."}; valid JSON whatever bytes the log holds.
    static QByteArray encodeLog(const QByteArray &log, bool stripAnsi);

    // igor's keys of /scm/masters, in igor's spelling; other keys are left out.
    static QByteArray encodeScmMasters(const QMap<QString, QString> &masters);

private:
    void builds(const http::Request &request, const http::Responder &responder);
    void output(const http::Request &request, const http::Responder &responder);
    void lookUp(const BuildQuery &query, const http::Responder &responder);

    BuildStore *m_store;
    QPointer<SourceRegistry> m_registry;
    ServerOptions m_options;
    QByteArray m_scmMasters;
    // deck's log polls with ?start= (see DeckLogPager); shared with the registry's thread,
    // which slices the logs it fetches.
    std::shared_ptr<DeckLogPager> m_pager;

    // /health's body, rebuilt on the registry's thread when a source's status changes and read
    // on the server's: a plain answer, so pipelined requests keep their order.
    struct Health
    {
        QMutex mutex;
        QByteArray body;

        void update(const SourceRegistry &registry);
    };
    std::shared_ptr<Health> m_health;
};

} // namespace cic
