// SPDX-License-Identifier: GPL-3.0-or-later
#include "tests/support/fakehttpserver.h"

#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QPointer>
#include <QTcpSocket>
#include <QTimer>

#include <memory>

namespace cic::test {

QByteArray RecordedRequest::header(QByteArrayView name) const
{
    for (const auto &header : headers) {
        if (header.first.compare(name, Qt::CaseInsensitive) == 0)
            return header.second;
    }
    return {};
}

FakeReply FakeReply::json(const QByteArray &body, int status)
{
    FakeReply reply;
    reply.body = body;
    reply.status = status;
    return reply;
}

FakeReply FakeReply::text(const QByteArray &body, int status)
{
    FakeReply reply;
    reply.body = body;
    reply.status = status;
    reply.contentType = "text/plain;charset=utf-8";
    return reply;
}

namespace {

QByteArray methodName(QHttpServerRequest::Method method)
{
    switch (method) {
    case QHttpServerRequest::Method::Get:
        return "GET";
    case QHttpServerRequest::Method::Post:
        return "POST";
    case QHttpServerRequest::Method::Put:
        return "PUT";
    case QHttpServerRequest::Method::Delete:
        return "DELETE";
    case QHttpServerRequest::Method::Head:
        return "HEAD";
    default:
        return "OTHER";
    }
}

void writeReply(QHttpServerResponder &responder, const FakeReply &reply)
{
    responder.writeStatusLine(static_cast<QHttpServerResponder::StatusCode>(reply.status));
    if (!reply.contentType.isEmpty())
        responder.writeHeader("Content-Type", reply.contentType);
    for (const auto &header : reply.headers)
        responder.writeHeader(header.first, header.second);
    const qint64 length = reply.contentLength >= 0 ? reply.contentLength : reply.body.size();
    responder.writeHeader("Content-Length", QByteArray::number(length));
    if (reply.closeAfter)
        responder.writeHeader("Connection", "close");
    responder.writeBody(reply.body);
    if (reply.closeAfter)
        responder.socket()->disconnectFromHost();
}

} // namespace

FakeHttpServer::FakeHttpServer(QObject *parent)
    : QObject(parent)
{
    m_server.setMissingHandler(
        [this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
            RecordedRequest recorded;
            recorded.method = methodName(request.method());
            recorded.encodedPath = request.url().path(QUrl::FullyEncoded).toUtf8();
            recorded.query = request.query();
            recorded.headers = request.headers();
            recorded.body = request.body();
            m_requests.append(recorded);

            const FakeReply reply
                = m_handler ? m_handler(recorded) : FakeReply::text("no handler", 500);
            if (reply.delayMs <= 0) {
                writeReply(responder, reply);
                return;
            }

            // Answer later without blocking the event loop the client shares with the server.
            auto deferred = std::make_shared<QHttpServerResponder>(std::move(responder));
            QPointer<QTcpSocket> socket(deferred->socket());
            QTimer::singleShot(reply.delayMs, this, [deferred, socket, reply] {
                if (socket && socket->state() == QAbstractSocket::ConnectedState)
                    writeReply(*deferred, reply);
            });
        });
}

bool FakeHttpServer::start()
{
    m_port = m_server.listen(QHostAddress::LocalHost, 0);
    return m_port != 0;
}

QUrl FakeHttpServer::baseUrl() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_port));
}

int FakeHttpServer::count(const QByteArray &pathPrefix) const
{
    return int(std::count_if(m_requests.cbegin(), m_requests.cend(), [&](const RecordedRequest &r) {
        return r.encodedPath.startsWith(pathPrefix);
    }));
}

} // namespace cic::test
