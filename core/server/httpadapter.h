// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/server/httptypes.h"
#include "core/server/serveroptions.h"
#include "core/util/result.h"

#include <QHash>
#include <QObject>

#include <atomic>
#include <memory>

namespace cic::http {

class Backend;
class ConnectionGuard;
struct Mailbox;
struct PendingReply;

// The only code that talks to QtHttpServer. It listens through a connection guard (a
// QTcpServer that enforces ServerLimits before QtHttpServer parses anything), routes each
// request to the first matching Route, checks the bearer token, answers HEAD for GET routes,
// 404 for unknown paths and 405 (with Allow) for known paths and other methods, and writes
// every reply with Content-Type and Content-Length. Deferred replies go through Responder and
// are dropped safely when the client has gone.
//
// Qt 6.5 changes the virtuals of QAbstractHttpServer and drops makeResponder(); Qt 6.8 drops
// listen(). Both touch this class's .cpp only.
//
// The adapter and its connections live on one thread (the server's); build it, add routes,
// then move it there before listen().
class HttpAdapter final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpAdapter)

public:
    explicit HttpAdapter(const ServerLimits &limits, QObject *parent = nullptr);
    ~HttpAdapter() override;

    // Routes are matched in the order they were added. Returns false, with a warning, for a
    // pattern that is not an absolute path or a route without a handler.
    bool addRoute(const Route &route);

    // When not empty, every request must carry `Authorization: Bearer <token>`.
    void setBearerToken(const QString &token);

    // Consulted for every authorized request before it is routed; see Interceptor.
    void setInterceptor(std::shared_ptr<Interceptor> interceptor);

    // requestHandled is emitted only while recording, so that nobody pays for it unasked.
    // Safe from any thread.
    void setRecording(bool recording) { m_recording.store(recording); }

    Result<quint16> listen(const QHostAddress &address, quint16 port);
    void close();
    bool isListening() const;
    quint16 port() const;
    int openConnections() const;

Q_SIGNALS:
    void requestHandled(const cic::RequestRecord &record);

private:
    friend class Backend;
    friend class ConnectionGuard;
    friend class Responder;
    friend struct Mailbox;

    struct CompiledRoute;

    void dispatch(Request request, std::shared_ptr<PendingReply> pending);
    void route(Request request, std::shared_ptr<PendingReply> pending);
    void carryOut(Request request, std::shared_ptr<PendingReply> pending,
                  const Interceptor::Verdict &verdict);
    void delay(Request request, std::shared_ptr<PendingReply> pending,
               const Interceptor::Verdict &verdict);
    void answer(quint64 id, const Reply &reply);
    void complete(PendingReply &pending, const Reply &reply);
    bool authorized(const Request &request) const;

    ServerLimits m_limits;
    QList<std::shared_ptr<CompiledRoute>> m_routes;
    QByteArray m_tokenDigest; // SHA-256 of the token; empty: no token
    std::atomic<bool> m_recording{false};
    std::shared_ptr<Interceptor> m_interceptor;

    Backend *m_backend = nullptr;
    ConnectionGuard *m_guard = nullptr;
    std::shared_ptr<Mailbox> m_mailbox;
    QHash<quint64, std::shared_ptr<PendingReply>> m_pending;
    quint64 m_nextPendingId = 0;
};

} // namespace cic::http
