// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/server/httptypes.h"
#include "core/server/serveroptions.h"
#include "core/util/result.h"

#include <QObject>
#include <QUrl>

class QThread;

namespace cic {

class SourceRegistry;

namespace http {
class HttpAdapter;
}

// Spinnaker igor's /ci API (and /scm/masters, /health) over the build store, on a thread of
// its own so that neither the window nor a slow client holds it up.
//
//   GET /ci/builds?projectKey&repoSlug&buildNumber&commitId&completionStatus
//   GET /ci/builds/{buildId}/output[?ansi=keep|strip]
//   GET /scm/masters
//   GET /health
//
// Other parts of the app add their own routes with addRoute() or addDeferredRoute() before
// start(); their handlers get an http::Request and answer with an http::Reply, and never see
// QtHttpServer. A handler runs on the server's thread unless it names a context object, in
// which case it runs on that object's thread. Errors go through http::errorReply(), so every
// route maps them to statuses the same way. For example:
//
//   server.addRoute(http::Method::Post, QStringLiteral("/control/refresh/{source}"),
//                   [registry](const http::Request &request) {
//                       registry->refresh(request.parameter(u"source"));
//                       return http::jsonReply("{\"refreshing\":true}");
//                   },
//                   registry); // runs on the registry's thread
//
//   server.addDeferredRoute(http::Method::Get, QStringLiteral("/compare/{from}/{to}"),
//                           [scm](const http::Request &request, http::Responder responder) {
//                               scm->compare(...).then([responder](...) {
//                                   responder.send(http::jsonReply(...)); // from any thread
//                               });
//                           });
class IgorServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(IgorServer)

public:
    // The registry (and its store) must outlive the server.
    IgorServer(SourceRegistry *registry, const ServerOptions &options, QObject *parent = nullptr);
    ~IgorServer() override;

    // Listens and returns the port. Refuses an address beyond loopback without a token.
    Result<quint16> start();
    void stop();

    bool isListening() const;
    quint16 port() const;
    // http://127.0.0.1:8088; empty when not listening.
    QUrl baseUrl() const;
    const ServerOptions &options() const { return m_options; }

    // Routes beside igor's, matched after them in the order added; they take effect on the
    // next start(). Returns false for a pattern that is not an absolute path.
    bool addRoute(http::Methods methods, const QString &pattern, http::Handler handler,
                  QObject *context = nullptr);
    bool addDeferredRoute(http::Methods methods, const QString &pattern,
                          http::DeferredHandler handler, QObject *context = nullptr);

Q_SIGNALS:
    // Every answered request; costs nothing while nobody is connected.
    void requestHandled(const cic::RequestRecord &record);
    void listeningChanged(bool listening);

protected:
    void connectNotify(const QMetaMethod &signal) override;
    void disconnectNotify(const QMetaMethod &signal) override;

private:
    void updateRecording();

    SourceRegistry *m_registry;
    ServerOptions m_options;
    QList<http::Route> m_extraRoutes;

    QThread *m_thread = nullptr;
    http::HttpAdapter *m_adapter = nullptr;
    quint16 m_port = 0;
};

} // namespace cic
