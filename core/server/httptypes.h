// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QFlags>
#include <QHostAddress>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>
#include <utility>

// The HTTP vocabulary of the embedded server, free of QtHttpServer types: requests as the
// routes see them, replies they give, and the one table that maps errors to statuses. Only
// core/server/httpadapter.cpp translates between these and QtHttpServer.
namespace cic::http {

enum class Method : unsigned {
    Get = 0x01,
    Head = 0x02,
    Post = 0x04,
    Put = 0x08,
    Delete = 0x10,
    Patch = 0x20,
    Options = 0x40,
    Other = 0x80,
};
Q_DECLARE_FLAGS(Methods, Method)

QByteArray methodName(Method method);

// A request as a route sees it: the path and query already percent-decoded.
struct Request
{
    Method method = Method::Get;
    QString path; // decoded, for messages and logs
    QStringList segments; // decoded path segments; an encoded slash stays inside its segment
    QList<std::pair<QString, QString>> parameters; // from {name} segments of the route
    QList<std::pair<QString, QString>> query; // decoded, in request order
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;
    QHostAddress remoteAddress;

    // The value of a {name} segment of the route; empty when there is none.
    QString parameter(QStringView name) const;

    // The first value of a query parameter; nullopt when the request does not name it.
    std::optional<QString> queryValue(QStringView name) const;
    QStringList queryValues(QStringView name) const;

    // A header's value, the name in any case; empty when absent.
    QByteArray header(QByteArrayView name) const;
};

struct Reply
{
    int status = 200;
    QByteArray contentType = QByteArrayLiteral("application/json");
    QByteArray body;
    QList<std::pair<QByteArray, QByteArray>> headers;
};

Reply jsonReply(QByteArray body, int status = 200);

// Every way a request can fail. statusFor() is the only place that turns one into an HTTP
// status; routes and the connection guard both go through it.
enum class ErrorKind {
    BadRequest, // 400: a parameter the server cannot read
    Unauthorized, // 401: the bearer token is missing or wrong
    NotFound, // 404: no such path, or no such build
    MethodNotAllowed, // 405: the path exists, not for this method
    RequestTimeout, // 408: the request did not arrive within the idle time
    LengthRequired, // 411: a body without Content-Length
    PayloadTooLarge, // 413: the body is over the limit
    UriTooLong, // 414: the request line is over the limit
    HeadersTooLarge, // 431: the headers are over the limit
    SourceFailed, // 502: the CI source behind the build failed
    Unavailable, // 503: too many connections, or the server is stopping
    Internal, // 500: a defect
};

int statusFor(ErrorKind kind);

// The reason phrase of a status, as HTTP/1.1 spells it.
QByteArray reasonPhrase(int status);

// An error body in the shape Spring Boot and kork give igor's errors:
// {"timestamp": "...", "status": 404, "error": "Not Found", "message": "..."}.
QByteArray errorBody(int status, const QString &message);
Reply errorReply(ErrorKind kind, const QString &message);

// Answers one request later, from any thread. Copies share the request; the first send()
// answers and the others are ignored. When the last copy goes away without an answer, the
// client gets a 500 rather than silence. If the client has gone, send() does nothing.
class Responder
{
public:
    struct State; // defined by the adapter

    explicit Responder(std::shared_ptr<State> state)
        : m_state(std::move(state))
    {
    }

    void send(Reply reply) const;

private:
    std::shared_ptr<State> m_state;
};

// A route's handler answers at once; a deferred handler answers through the responder when
// it can (after a lookup through a source, a log fetch).
using Handler = std::function<Reply(const Request &)>;
using DeferredHandler = std::function<void(const Request &, Responder)>;

// One route: the methods it answers, a path pattern whose `{name}` segments match any one
// segment, and its handler. GET routes answer HEAD too, without a body.
struct Route
{
    Methods methods;
    QString pattern; // e.g. /ci/builds/{buildId}/output
    Handler handler;
    DeferredHandler deferredHandler;
    // The handler runs on this object's thread (queued when that is not the server's), and
    // is skipped with a 503 once the object is gone. Null: the server's own thread.
    QObject *context = nullptr;
};

} // namespace cic::http

Q_DECLARE_OPERATORS_FOR_FLAGS(cic::http::Methods)

namespace cic {

// One answered request, for the window's live request log.
struct RequestRecord
{
    QByteArray method;
    QString path;
    int status = 0;
    qint64 elapsedUs = 0; // from the request's arrival to its answer
    QDateTime time; // when it was answered, UTC
};

} // namespace cic

Q_DECLARE_METATYPE(cic::RequestRecord)
