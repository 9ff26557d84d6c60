// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/server/httpadapter.h"

#include <QAbstractHttpServer>
#include <QCryptographicHash>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QLoggingCategory>
#include <QMutex>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>
#include <QUrl>

#include <algorithm>
#include <chrono>
#include <optional>

namespace cic::http {

namespace {
Q_LOGGING_CATEGORY(lcHttp, "cicompanion.core.server.http")

constexpr qint64 SmallRead = 4096;

qint64 monotonicNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

qint64 monotonicMs()
{
    return monotonicNs() / 1'000'000;
}

Method methodOf(QHttpServerRequest::Method method)
{
    switch (method) {
    case QHttpServerRequest::Method::Get:
        return Method::Get;
    case QHttpServerRequest::Method::Head:
        return Method::Head;
    case QHttpServerRequest::Method::Post:
        return Method::Post;
    case QHttpServerRequest::Method::Put:
        return Method::Put;
    case QHttpServerRequest::Method::Delete:
        return Method::Delete;
    case QHttpServerRequest::Method::Patch:
        return Method::Patch;
    case QHttpServerRequest::Method::Options:
        return Method::Options;
    default:
        break;
    }
    return Method::Other;
}

// Percent-decoding as Spring does it for query strings (`+` is a space there, not in paths).
// A `%` that starts no valid escape stays a literal `%`: QUrl's tolerant parsing has already
// turned it into %25 by the time the request reaches us.
QString decodeComponent(QStringView encoded, bool plusIsSpace)
{
    QByteArray bytes = encoded.toLatin1();
    if (plusIsSpace)
        bytes.replace('+', ' ');
    if (!bytes.contains('%'))
        return QString::fromUtf8(bytes);
    return QString::fromUtf8(QByteArray::fromPercentEncoding(bytes));
}

Request translate(const QHttpServerRequest &source)
{
    Request request;
    request.method = methodOf(source.method());

    const QUrl url = source.url();
    const QString encodedPath = url.path(QUrl::FullyEncoded);
    const auto segments = QStringView(encodedPath).split(u'/', Qt::SkipEmptyParts);
    request.segments.reserve(segments.size());
    for (QStringView segment : segments)
        request.segments.append(decodeComponent(segment, false));
    request.path = QLatin1Char('/') + request.segments.join(QLatin1Char('/'));

    const QString query = url.query(QUrl::FullyEncoded);
    for (QStringView item : QStringView(query).split(u'&', Qt::SkipEmptyParts)) {
        const qsizetype equals = item.indexOf(u'=');
        const QStringView key = equals < 0 ? item : item.left(equals);
        const QStringView value = equals < 0 ? QStringView() : item.mid(equals + 1);
        if (!key.isEmpty())
            request.query.append({decodeComponent(key, true), decodeComponent(value, true)});
    }

    request.headers = source.headers();
    request.body = source.body();
    request.remoteAddress = source.remoteAddress();
    return request;
}

// The digest of a token: comparing digests takes the same time whatever the token.
QByteArray tokenDigest(QByteArrayView token)
{
    return QCryptographicHash::hash(token, QCryptographicHash::Sha256);
}

bool sameDigest(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    unsigned char difference = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        difference |= static_cast<unsigned char>(a[i] ^ b[i]);
    return difference == 0;
}

QByteArray allowHeader(Methods methods)
{
    QByteArrayList names;
    for (Method method : {Method::Get, Method::Head, Method::Post, Method::Put, Method::Delete,
                          Method::Patch, Method::Options}) {
        if (methods.testFlag(method))
            names.append(methodName(method));
    }
    return names.join(", ");
}

// A whole response written straight to the socket, for the guard's refusals: they happen
// before QtHttpServer has a request to answer.
QByteArray rawResponse(ErrorKind kind, const QString &message)
{
    const int status = statusFor(kind);
    const QByteArray body = errorBody(status, message);
    return "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status)
        + "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size())
        + "\r\nConnection: close\r\n\r\n" + body;
}

} // namespace

// ---------------------------------------------------------------------------------------------
// Deferred replies

// Where a Responder posts its reply. The adapter clears it when it goes away, so a late reply
// from another thread finds nobody instead of a deleted object.
struct Mailbox
{
    QMutex mutex;
    HttpAdapter *adapter = nullptr;

    void post(quint64 id, Reply reply)
    {
        QMutexLocker locker(&mutex);
        HttpAdapter *target = adapter;
        if (!target)
            return;
        if (QThread::currentThread() == target->thread()) {
            // The adapter is only deleted on its own thread, which is this one.
            locker.unlock();
            target->answer(id, reply);
            return;
        }
        QMetaObject::invokeMethod(
            target, [target, id, reply = std::move(reply)] { target->answer(id, reply); },
            Qt::QueuedConnection);
    }
};

// A request waiting for its deferred reply; lives on the adapter's thread.
struct PendingReply
{
    QPointer<QTcpSocket> socket;
    std::optional<QHttpServerResponder> responder;
    Method method = Method::Get;
    QString path;
    bool closeAfter = false;
    qint64 startNs = 0;
    quint64 ticket = 0; // the interceptor's, when it follows this request
    bool truncate = false; // the interceptor wants the body cut off (a malformed answer)
};

struct Responder::State
{
    std::shared_ptr<Mailbox> mailbox;
    quint64 id = 0;
    std::atomic<bool> sent{false};

    State(std::shared_ptr<Mailbox> box, quint64 pendingId)
        : mailbox(std::move(box))
        , id(pendingId)
    {
    }

    ~State()
    {
        if (!sent.load())
            mailbox->post(id,
                          errorReply(ErrorKind::Unavailable,
                                     QStringLiteral("the request was dropped before it was "
                                                    "answered; try again")));
    }
};

void Responder::send(Reply reply) const
{
    if (m_state->sent.exchange(true))
        return;
    m_state->mailbox->post(m_state->id, std::move(reply));
}

// ---------------------------------------------------------------------------------------------
// The connection guard: limits QtHttpServer 6.4 does not have

// Every connection passes through here before QtHttpServer sees it. The guard reads along
// (peeking, so QtHttpServer still gets every byte) to find where each request's head ends and
// how long its body is, and refuses a request line, headers or body over the limits with a
// JSON error before QtHttpServer buffers them. A sweep closes connections idle for longer than
// the idle timeout and answers requests whose head takes longer than that to arrive.
class ConnectionGuard final : public QTcpServer
{
public:
    ConnectionGuard(HttpAdapter *adapter, const ServerLimits &limits);

    int openConnections() const { return int(m_connections.size()); }
    void hold(QTcpSocket *socket, int delta);
    void abortAll();

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    enum class Phase { Head, Body, Refused };

    struct Connection
    {
        QPointer<QTcpSocket> socket;
        QMetaObject::Connection reading; // the guard's readyRead slot
        qint64 lastActivityMs = 0;
        qint64 headStartedMs = 0;
        Phase phase = Phase::Head;
        QByteArray head; // the current request's head so far
        qint64 bodyLeft = 0;
        int pending = 0; // deferred replies in flight: not idle, only waiting
        bool closeWhenAnswered = false; // HTTP/1.0 without keep-alive, or Connection: close
    };

    void watchLifetime(QTcpSocket *socket);
    void onReadyRead(QTcpSocket *socket);
    bool scan(QTcpSocket *socket, Connection &connection, QByteArrayView data);
    bool checkHead(QTcpSocket *socket, Connection &connection, QByteArrayView head);
    void refuse(QTcpSocket *socket, Connection &connection, ErrorKind kind, const QString &message);
    void sweep();

    HttpAdapter *m_adapter;
    ServerLimits m_limits;
    QHash<QTcpSocket *, Connection> m_connections;
    QTimer m_sweep;
};

ConnectionGuard::ConnectionGuard(HttpAdapter *adapter, const ServerLimits &limits)
    : m_adapter(adapter)
    , m_limits(limits)
{
    m_sweep.setInterval(std::clamp(m_limits.idleTimeoutMs / 4, 10, 1000));
    connect(&m_sweep, &QTimer::timeout, this, &ConnectionGuard::sweep);
    m_sweep.start();
}

void ConnectionGuard::incomingConnection(qintptr descriptor)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        qCWarning(lcHttp, "cannot take a connection: %s", qUtf8Printable(socket->errorString()));
        delete socket;
        return;
    }
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);

    if (m_connections.size() >= m_limits.maxConnections) {
        qCWarning(lcHttp, "refusing a connection from %s: %d connections are open",
                  qUtf8Printable(socket->peerAddress().toString()), m_limits.maxConnections);
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        QTimer::singleShot(m_limits.idleTimeoutMs, socket, &QTcpSocket::abort);
        socket->write(rawResponse(ErrorKind::Unavailable,
                                  QStringLiteral("too many open connections (%1); try again")
                                      .arg(m_limits.maxConnections)));
        socket->disconnectFromHost();
        return;
    }

    // A fresh entry: a socket of an earlier connection may have had the same address.
    Connection &connection = *m_connections.insert(socket, Connection{});
    connection.socket = socket;
    connection.lastActivityMs = monotonicMs();

    // Connected before QtHttpServer connects its own slot, so the guard sees data first.
    connection.reading
        = connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
    connect(socket, &QTcpSocket::bytesWritten, this, [this, socket] {
        const auto it = m_connections.find(socket);
        if (it == m_connections.end())
            return;
        it->lastActivityMs = monotonicMs();
        // QtHttpServer 6.4 keeps every connection open; a client that asked for one answer
        // waits for the close to know the answer is whole.
        if (it->closeWhenAnswered && it->pending == 0 && it->phase == Phase::Head
            && it->head.isEmpty() && socket->bytesToWrite() == 0)
            socket->disconnectFromHost();
    });
    watchLifetime(socket);

    addPendingConnection(socket);
}

void ConnectionGuard::watchLifetime(QTcpSocket *socket)
{
    connect(socket, &QObject::destroyed, this, [this, socket] { m_connections.remove(socket); });
}

void ConnectionGuard::hold(QTcpSocket *socket, int delta)
{
    const auto it = m_connections.find(socket);
    if (it == m_connections.end())
        return;
    it->pending += delta;
    it->lastActivityMs = monotonicMs();
}

void ConnectionGuard::abortAll()
{
    QList<QPointer<QTcpSocket>> sockets;
    for (const Connection &connection : std::as_const(m_connections))
        sockets.append(connection.socket);
    for (const QPointer<QTcpSocket> &socket : std::as_const(sockets)) {
        if (socket)
            socket->abort();
    }
}

void ConnectionGuard::onReadyRead(QTcpSocket *socket)
{
    const auto it = m_connections.find(socket);
    if (it == m_connections.end())
        return;
    it->lastActivityMs = monotonicMs();

    if (it->phase == Phase::Refused) {
        socket->readAll();
        return;
    }
    // Most requests arrive whole in one small read: peek them without an allocation.
    const qint64 available = socket->bytesAvailable();
    if (available <= SmallRead) {
        char buffer[SmallRead];
        const qint64 size = socket->peek(buffer, available);
        scan(socket, *it, QByteArrayView(buffer, qMax<qint64>(size, 0)));
        return;
    }
    const QByteArray fresh = socket->peek(available);
    scan(socket, *it, fresh);
}

namespace {

// The length of a request head up to and including the blank line that ends it, or -1.
// Bare LF line ends are accepted, as QtHttpServer's parser accepts them.
qsizetype headLength(QByteArrayView head, qsizetype from)
{
    for (qsizetype i = head.indexOf('\n', from); i >= 0; i = head.indexOf('\n', i + 1)) {
        if (i + 1 < head.size() && head[i + 1] == '\n')
            return i + 2;
        if (i + 2 < head.size() && head[i + 1] == '\r' && head[i + 2] == '\n')
            return i + 3;
    }
    return -1;
}

bool isRequestTarget(QByteArrayView target)
{
    if (target.isEmpty())
        return false;
    return std::all_of(target.begin(), target.end(),
                       [](char c) { return static_cast<unsigned char>(c) > 0x20 && c != 0x7f; });
}

} // namespace

bool ConnectionGuard::scan(QTcpSocket *socket, Connection &connection, QByteArrayView data)
{
    const qsizetype maxHead = m_limits.maxRequestLineBytes + m_limits.maxHeaderBytes + 4;
    qsizetype pos = 0;

    while (pos < data.size()) {
        if (connection.phase == Phase::Body) {
            const qint64 take = std::min<qint64>(connection.bodyLeft, data.size() - pos);
            connection.bodyLeft -= take;
            pos += take;
            if (connection.bodyLeft == 0)
                connection.phase = Phase::Head;
            continue;
        }

        if (connection.head.isEmpty()) {
            // Blank lines between requests are allowed and belong to no request.
            while (pos < data.size() && (data[pos] == '\r' || data[pos] == '\n'))
                ++pos;
            if (pos == data.size())
                break;
            connection.headStartedMs = monotonicMs();

            // The usual case: the whole head is in this read, and is checked where it lies.
            const QByteArrayView rest = data.sliced(pos);
            const qsizetype length = headLength(rest.first(std::min(rest.size(), maxHead)), 0);
            if (length >= 0) {
                if (!checkHead(socket, connection, rest.first(length)))
                    return false;
                pos += length;
                continue;
            }
        }

        const qsizetype before = connection.head.size();
        const qsizetype take = std::min(data.size() - pos, maxHead + 1 - before);
        connection.head.append(data.sliced(pos, take));
        const qsizetype length = headLength(connection.head, std::max<qsizetype>(0, before - 3));

        if (length < 0) {
            pos += take;
            const qsizetype lineEnd = connection.head.indexOf('\n');
            if ((lineEnd < 0 ? connection.head.size() : lineEnd) > m_limits.maxRequestLineBytes) {
                refuse(socket, connection, ErrorKind::UriTooLong,
                       QStringLiteral("the request line is longer than %1 bytes")
                           .arg(m_limits.maxRequestLineBytes));
                return false;
            }
            if (connection.head.size() > maxHead) {
                refuse(socket, connection, ErrorKind::HeadersTooLarge,
                       QStringLiteral("the request headers are longer than %1 bytes")
                           .arg(m_limits.maxHeaderBytes));
                return false;
            }
            continue;
        }

        pos += length - before;
        const QByteArray head = connection.head.first(length);
        connection.head.clear();
        if (!checkHead(socket, connection, head))
            return false;
    }
    return true;
}

bool ConnectionGuard::checkHead(QTcpSocket *socket, Connection &connection, QByteArrayView head)
{
    const qsizetype lineEnd = head.indexOf('\n');
    const QByteArrayView line = head.first(lineEnd).trimmed();

    if (line.size() > m_limits.maxRequestLineBytes) {
        refuse(socket, connection, ErrorKind::UriTooLong,
               QStringLiteral("the request line is longer than %1 bytes")
                   .arg(m_limits.maxRequestLineBytes));
        return false;
    }
    if (head.size() - lineEnd - 1 > m_limits.maxHeaderBytes) {
        refuse(socket, connection, ErrorKind::HeadersTooLarge,
               QStringLiteral("the request headers are longer than %1 bytes")
                   .arg(m_limits.maxHeaderBytes));
        return false;
    }

    // METHOD SP TARGET SP HTTP/1.x, nothing more.
    const qsizetype firstSpace = line.indexOf(' ');
    const qsizetype lastSpace = line.lastIndexOf(' ');
    const QByteArrayView version = line.sliced(lastSpace + 1);
    if (firstSpace <= 0 || lastSpace <= firstSpace + 1
        || !isRequestTarget(line.sliced(firstSpace + 1, lastSpace - firstSpace - 1))
        || (version != "HTTP/1.1" && version != "HTTP/1.0")) {
        refuse(socket, connection, ErrorKind::BadRequest,
               QStringLiteral("the request line is not METHOD TARGET HTTP/1.x"));
        return false;
    }

    std::optional<qint64> contentLength;
    bool expectsContinue = false;
    bool keepAlive = version == "HTTP/1.1";
    for (QByteArrayView rest = head.sliced(lineEnd + 1); !rest.isEmpty();) {
        const qsizetype end = rest.indexOf('\n');
        const QByteArrayView headerLine = end < 0 ? rest : rest.first(end);
        rest = end < 0 ? QByteArrayView() : rest.sliced(end + 1);

        const qsizetype colon = headerLine.indexOf(':');
        if (colon <= 0)
            continue;
        const QByteArrayView name = headerLine.first(colon).trimmed();
        const QByteArrayView value = headerLine.sliced(colon + 1).trimmed();

        if (name.compare("content-length", Qt::CaseInsensitive) == 0) {
            bool ok = false;
            const qint64 length = value.toLongLong(&ok);
            if (!ok || length < 0 || (contentLength && *contentLength != length)) {
                refuse(socket, connection, ErrorKind::BadRequest,
                       QStringLiteral("Content-Length is not one whole number"));
                return false;
            }
            contentLength = length;
        } else if (name.compare("transfer-encoding", Qt::CaseInsensitive) == 0
                   && value.compare("identity", Qt::CaseInsensitive) != 0) {
            refuse(socket, connection, ErrorKind::LengthRequired,
                   QStringLiteral("request bodies must come with Content-Length, not %1")
                       .arg(QString::fromLatin1(value)));
            return false;
        } else if (name.compare("expect", Qt::CaseInsensitive) == 0
                   && value.compare("100-continue", Qt::CaseInsensitive) == 0) {
            expectsContinue = true;
        } else if (name.compare("connection", Qt::CaseInsensitive) == 0) {
            const QByteArray tokens = value.toByteArray().toLower();
            if (tokens.contains("close"))
                keepAlive = false;
            else if (tokens.contains("keep-alive"))
                keepAlive = true;
        }
    }

    const qint64 bodyLength = contentLength.value_or(0);
    if (bodyLength > m_limits.maxBodyBytes) {
        refuse(socket, connection, ErrorKind::PayloadTooLarge,
               QStringLiteral("the request body is %1 bytes; the limit is %2")
                   .arg(bodyLength)
                   .arg(m_limits.maxBodyBytes));
        return false;
    }

    // QtHttpServer 6.4 never answers Expect (QTBUG-107854, fixed in 6.5), so a client such
    // as curl would wait a second before sending the body.
    if (expectsContinue && bodyLength > 0)
        socket->write("HTTP/1.1 100 Continue\r\n\r\n");

    connection.bodyLeft = bodyLength;
    connection.phase = bodyLength > 0 ? Phase::Body : Phase::Head;
    // Not while a 100 Continue is on its way: that write is not the answer.
    connection.closeWhenAnswered = !keepAlive && !expectsContinue;
    return true;
}

void ConnectionGuard::refuse(QTcpSocket *socket, Connection &connection, ErrorKind kind,
                             const QString &message)
{
    qCInfo(lcHttp, "refused a request from %s: %s",
           qUtf8Printable(socket->peerAddress().toString()), qUtf8Printable(message));

    // QtHttpServer must not parse what is refused: its slot goes, and the bytes with it. The
    // socket goes once it is closed, whoever else still watches it.
    connection.phase = Phase::Refused;
    connection.head.clear();
    QObject::disconnect(socket, &QTcpSocket::readyRead, nullptr, nullptr);
    connect(socket, &QTcpSocket::readyRead, socket, [socket] { socket->readAll(); });
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater, Qt::UniqueConnection);
    socket->readAll();

    socket->write(rawResponse(kind, message));
    socket->disconnectFromHost();
}

void ConnectionGuard::sweep()
{
    const qint64 now = monotonicMs();
    QList<QTcpSocket *> idle;
    QList<QTcpSocket *> slow;
    QList<QTcpSocket *> abandoned;

    for (auto it = m_connections.begin(); it != m_connections.end();) {
        const Connection &connection = it.value();
        if (!connection.socket) {
            it = m_connections.erase(it);
            continue;
        }
        // A QtHttpServer that cannot parse a request may give up on it by disconnecting every
        // signal of the socket, ours included, and leave the client waiting (6.4.2 closes the
        // connection instead): the guard answers for it.
        const bool waiting = connection.pending > 0; // for a deferred reply: not idle
        if (connection.phase != Phase::Refused && !connection.reading)
            abandoned.append(it.key());
        else if (!waiting && connection.phase == Phase::Head && !connection.head.isEmpty()
                 && now - connection.headStartedMs > m_limits.idleTimeoutMs)
            slow.append(it.key());
        else if (!waiting && now - connection.lastActivityMs > m_limits.idleTimeoutMs)
            idle.append(it.key());
        ++it;
    }

    for (QTcpSocket *socket : std::as_const(abandoned)) {
        watchLifetime(socket);
        refuse(socket, m_connections[socket], ErrorKind::BadRequest,
               QStringLiteral("the request could not be parsed as HTTP/1.1"));
    }

    for (QTcpSocket *socket : std::as_const(slow)) {
        const auto it = m_connections.find(socket);
        if (it != m_connections.end())
            refuse(socket, *it, ErrorKind::RequestTimeout,
                   QStringLiteral("the request did not arrive within %1 ms")
                       .arg(m_limits.idleTimeoutMs));
    }
    for (QTcpSocket *socket : std::as_const(idle)) {
        qCDebug(lcHttp, "closing an idle connection from %s",
                qUtf8Printable(socket->peerAddress().toString()));
        socket->abort();
    }
}

// ---------------------------------------------------------------------------------------------
// QtHttpServer

class Backend final : public QAbstractHttpServer
{
public:
    explicit Backend(HttpAdapter *adapter)
        : QAbstractHttpServer(adapter)
        , m_adapter(adapter)
    {
    }

    static void write(QHttpServerResponder &responder, const Reply &reply, bool headOnly,
                      bool closeAfter);

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    HttpAdapter *m_adapter;
};

bool Backend::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    auto pending = std::make_shared<PendingReply>();
    pending->startNs = monotonicNs();
    pending->socket = socket;
    pending->responder.emplace(makeResponder(request, socket));
    m_adapter->dispatch(translate(request), std::move(pending));
    return true;
}

void Backend::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    // Not reached: handleRequest() takes every request and routes it itself.
    QHttpServerResponder responder = makeResponder(request, socket);
    write(responder, errorReply(ErrorKind::NotFound, QStringLiteral("no such path")), false, false);
}

void Backend::write(QHttpServerResponder &responder, const Reply &reply, bool headOnly,
                    bool closeAfter)
{
    using Status = QHttpServerResponder::StatusCode;

    responder.writeStatusLine(Status(reply.status));
    responder.writeHeader(QByteArrayLiteral("Content-Type"), reply.contentType);
    responder.writeHeader(QByteArrayLiteral("Content-Length"),
                          QByteArray::number(reply.body.size()));
    for (const auto &[name, value] : reply.headers)
        responder.writeHeader(name, value);
    if (closeAfter)
        responder.writeHeader(QByteArrayLiteral("Connection"), QByteArrayLiteral("close"));

    // HEAD gets the headers GET would get, and no body.
    if (headOnly)
        responder.writeBody(reply.body.constData(), 0);
    else
        responder.writeBody(reply.body);
}

// ---------------------------------------------------------------------------------------------
// The adapter

struct HttpAdapter::CompiledRoute
{
    Route route;
    QStringList segments; // literal, or a parameter name when isParameter[i]
    QList<bool> isParameter;
    QPointer<QObject> context;
};

HttpAdapter::HttpAdapter(const ServerLimits &limits, QObject *parent)
    : QObject(parent)
    , m_limits(limits)
    , m_mailbox(std::make_shared<Mailbox>())
{
    m_mailbox->adapter = this;
    m_backend = new Backend(this);
}

HttpAdapter::~HttpAdapter()
{
    {
        QMutexLocker locker(&m_mailbox->mutex);
        m_mailbox->adapter = nullptr;
    }
    close();
}

bool HttpAdapter::addRoute(const Route &route)
{
    if (!route.pattern.startsWith(QLatin1Char('/'))) {
        qCWarning(lcHttp, "route \"%s\" is not an absolute path", qUtf8Printable(route.pattern));
        return false;
    }
    if (!route.handler && !route.deferredHandler) {
        qCWarning(lcHttp, "route \"%s\" has no handler", qUtf8Printable(route.pattern));
        return false;
    }

    auto compiled = std::make_shared<CompiledRoute>();
    compiled->route = route;
    compiled->context = route.context;
    for (const QString &segment : route.pattern.split(QLatin1Char('/'), Qt::SkipEmptyParts)) {
        const bool parameter = segment.size() > 2 && segment.startsWith(QLatin1Char('{'))
            && segment.endsWith(QLatin1Char('}'));
        compiled->segments.append(parameter ? segment.mid(1, segment.size() - 2) : segment);
        compiled->isParameter.append(parameter);
    }
    m_routes.append(std::move(compiled));
    return true;
}

void HttpAdapter::setInterceptor(std::shared_ptr<Interceptor> interceptor)
{
    m_interceptor = std::move(interceptor);
}

void HttpAdapter::setBearerToken(const QString &token)
{
    m_tokenDigest = token.isEmpty() ? QByteArray() : tokenDigest(token.toUtf8());
}

Result<quint16> HttpAdapter::listen(const QHostAddress &address, quint16 port)
{
    close();

    // QtHttpServer's own listen() and bind(nullptr) would take every interface and no limits;
    // it gets a server that already listens where we were told, behind the guard.
    auto *guard = new ConnectionGuard(this, m_limits);
    if (!guard->listen(address, port)) {
        const QString message = guard->errorString();
        delete guard;
        return Error{QStringLiteral("cannot listen on %1:%2: %3")
                         .arg(address.toString())
                         .arg(port)
                         .arg(message)};
    }
    m_guard = guard;
    m_backend->bind(guard);
    qCInfo(lcHttp, "listening on %s:%u", qUtf8Printable(address.toString()),
           unsigned(guard->serverPort()));
    return guard->serverPort();
}

void HttpAdapter::close()
{
    if (!m_guard)
        return;
    m_guard->close();
    m_guard->abortAll();
    delete m_guard; // its sockets with it
    m_guard = nullptr;
    m_pending.clear();
}

bool HttpAdapter::isListening() const
{
    return m_guard && m_guard->isListening();
}

quint16 HttpAdapter::port() const
{
    return m_guard ? m_guard->serverPort() : 0;
}

int HttpAdapter::openConnections() const
{
    return m_guard ? m_guard->openConnections() : 0;
}

bool HttpAdapter::authorized(const Request &request) const
{
    if (m_tokenDigest.isEmpty())
        return true;

    const QByteArray header = request.header("authorization").trimmed();
    if (header.size() < 7 || header.left(7).compare("bearer ", Qt::CaseInsensitive) != 0)
        return false;
    return sameDigest(tokenDigest(header.mid(7).trimmed()), m_tokenDigest);
}

void HttpAdapter::dispatch(Request request, std::shared_ptr<PendingReply> pending)
{
    pending->method = request.method;
    pending->path = request.path;
    pending->closeAfter = request.header("connection").compare("close", Qt::CaseInsensitive) == 0;

    auto finish = [this, &pending](const Reply &reply) { complete(*pending, reply); };

    if (!authorized(request)) {
        Reply reply = errorReply(ErrorKind::Unauthorized,
                                 QStringLiteral("this server needs Authorization: Bearer <token>"));
        reply.headers.append({QByteArrayLiteral("WWW-Authenticate"), QByteArrayLiteral("Bearer")});
        finish(reply);
        return;
    }

    if (!m_interceptor) {
        route(std::move(request), std::move(pending));
        return;
    }
    const Interceptor::Verdict verdict = m_interceptor->intercept(request);
    pending->ticket = verdict.ticket;
    pending->truncate = verdict.truncateReply;
    if (verdict.delayMs > 0)
        delay(std::move(request), std::move(pending), verdict);
    else
        carryOut(std::move(request), std::move(pending), verdict);
}

void HttpAdapter::delay(Request request, std::shared_ptr<PendingReply> pending,
                        const Interceptor::Verdict &verdict)
{
    // Held like a deferred reply: the connection is not idle, and a client that leaves in the
    // meantime is noticed when the time is up.
    const quint64 id = ++m_nextPendingId;
    m_pending.insert(id, pending);
    if (m_guard)
        m_guard->hold(pending->socket, +1);

    QTimer::singleShot(verdict.delayMs, this, [this, id, request, verdict] {
        const std::shared_ptr<PendingReply> held = m_pending.take(id);
        if (!held)
            return; // the server closed meanwhile
        if (m_guard && held->socket)
            m_guard->hold(held->socket, -1);
        if (!held->socket || held->socket->state() != QAbstractSocket::ConnectedState) {
            if (m_interceptor)
                m_interceptor->answered(held->ticket, 0, (monotonicNs() - held->startNs) / 1000);
            return;
        }
        carryOut(request, held, verdict);
    });
}

void HttpAdapter::carryOut(Request request, std::shared_ptr<PendingReply> pending,
                           const Interceptor::Verdict &verdict)
{
    switch (verdict.action) {
    case Interceptor::Action::Route:
        route(std::move(request), std::move(pending));
        return;
    case Interceptor::Action::Answer:
        complete(*pending, verdict.reply);
        return;
    case Interceptor::Action::Reset:
    case Interceptor::Action::Close:
        break;
    }

    if (m_interceptor)
        m_interceptor->answered(pending->ticket, -1, (monotonicNs() - pending->startNs) / 1000);
    if (QTcpSocket *socket = pending->socket) {
        if (verdict.action == Interceptor::Action::Reset)
            socket->abort();
        else
            socket->disconnectFromHost();
    }
}

void HttpAdapter::route(Request request, std::shared_ptr<PendingReply> pending)
{
    auto finish = [this, &pending](const Reply &reply) { complete(*pending, reply); };

    std::shared_ptr<CompiledRoute> match;
    Methods allowed;
    for (const std::shared_ptr<CompiledRoute> &route : std::as_const(m_routes)) {
        if (route->segments.size() != request.segments.size())
            continue;
        bool same = true;
        for (qsizetype i = 0; same && i < route->segments.size(); ++i)
            same = route->isParameter.at(i) || route->segments.at(i) == request.segments.at(i);
        if (!same)
            continue;

        Methods accepted = route->route.methods;
        if (accepted.testFlag(Method::Get))
            accepted |= Method::Head;
        allowed |= accepted;
        if (accepted.testFlag(request.method)) {
            match = route;
            break;
        }
    }

    if (!match) {
        if (!allowed) {
            finish(errorReply(ErrorKind::NotFound,
                              QStringLiteral("no such path: %1").arg(request.path)));
            return;
        }
        Reply reply = errorReply(ErrorKind::MethodNotAllowed,
                                 QStringLiteral("%1 is not supported on %2; use %3")
                                     .arg(QString::fromLatin1(methodName(request.method)),
                                          request.path, QString::fromLatin1(allowHeader(allowed))));
        reply.headers.append({QByteArrayLiteral("Allow"), allowHeader(allowed)});
        finish(reply);
        return;
    }

    for (qsizetype i = 0; i < match->segments.size(); ++i) {
        if (match->isParameter.at(i))
            request.parameters.append({match->segments.at(i), request.segments.at(i)});
    }

    const bool foreignContext = match->route.context
        && (!match->context || match->context->thread() != QThread::currentThread());
    if (match->route.handler && !foreignContext) {
        finish(match->route.handler(request));
        return;
    }

    // Deferred: the request waits in m_pending until its responder answers.
    const quint64 id = ++m_nextPendingId;
    m_pending.insert(id, pending);
    if (m_guard)
        m_guard->hold(pending->socket, +1);
    const Responder responder(std::make_shared<Responder::State>(m_mailbox, id));

    auto run = [match, request = std::move(request), responder] {
        if (match->route.handler)
            responder.send(match->route.handler(request));
        else
            match->route.deferredHandler(request, responder);
    };
    if (foreignContext) {
        if (match->context)
            QMetaObject::invokeMethod(match->context, std::move(run), Qt::QueuedConnection);
        // Without its context the lambda is dropped, and with it the last responder: 503.
        return;
    }
    run();
}

void HttpAdapter::answer(quint64 id, const Reply &reply)
{
    const std::shared_ptr<PendingReply> pending = m_pending.take(id);
    if (!pending)
        return;
    if (m_guard && pending->socket)
        m_guard->hold(pending->socket, -1);
    complete(*pending, reply);
}

void HttpAdapter::complete(PendingReply &pending, const Reply &answer)
{
    QTcpSocket *socket = pending.socket;
    const qint64 elapsedUs = (monotonicNs() - pending.startNs) / 1000;
    if (!socket || socket->state() != QAbstractSocket::ConnectedState) {
        qCDebug(lcHttp, "%s %s: the client left before the answer",
                methodName(pending.method).constData(), qUtf8Printable(pending.path));
        if (m_interceptor && pending.ticket)
            m_interceptor->answered(pending.ticket, 0, elapsedUs);
        return;
    }

    Reply truncated;
    if (pending.truncate) {
        truncated = answer;
        truncated.body.truncate(truncated.body.size() / 2);
    }
    const Reply &reply = pending.truncate ? truncated : answer;

    Backend::write(*pending.responder, reply, pending.method == Method::Head, pending.closeAfter);
    if (m_interceptor && pending.ticket)
        m_interceptor->answered(pending.ticket, reply.status, elapsedUs);
    if (pending.closeAfter)
        socket->disconnectFromHost();

    if (reply.status >= 500)
        qCWarning(lcHttp, "%s %s: %d", methodName(pending.method).constData(),
                  qUtf8Printable(pending.path), reply.status);

    if (m_recording.load(std::memory_order_relaxed)) {
        Q_EMIT requestHandled(RequestRecord{methodName(pending.method), pending.path, reply.status,
                                            (monotonicNs() - pending.startNs) / 1000,
                                            QDateTime::currentDateTimeUtc()});
    }
}

} // namespace cic::http
