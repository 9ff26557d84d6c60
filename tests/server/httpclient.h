// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Two small HTTP clients for the server suites: QNetworkAccessManager for ordinary requests,
// and a raw socket for what QNetworkAccessManager will not send (malformed requests, silence,
// a request cut short). Both wait with the event loop running, since the server's lookups go
// through objects on this thread.

#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTcpSocket>
#include <QTest>

#include <memory>

namespace cic::testing {

struct HttpResponse
{
    int status = 0;
    QByteArray body;
    QList<QNetworkReply::RawHeaderPair> headers;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;

    QByteArray header(const QByteArray &name) const
    {
        for (const auto &[key, value] : headers) {
            if (key.compare(name, Qt::CaseInsensitive) == 0)
                return value;
        }
        return {};
    }
    QJsonDocument json() const { return QJsonDocument::fromJson(body); }
};

class HttpClient
{
public:
    explicit HttpClient(QUrl base)
        : m_base(std::move(base))
    {
    }

    // pathAndQuery is sent as written: percent escapes and '+' are not touched.
    HttpResponse send(const QByteArray &method, const QByteArray &pathAndQuery,
                      const QList<std::pair<QByteArray, QByteArray>> &headers = {},
                      const QByteArray &body = {}, int timeoutMs = 10000)
    {
        QNetworkRequest request(QUrl::fromEncoded(m_base.toEncoded() + pathAndQuery));
        for (const auto &[name, value] : headers)
            request.setRawHeader(name, value);

        std::unique_ptr<QNetworkReply> reply(
            method == "GET"        ? m_manager.get(request)
                : method == "HEAD" ? m_manager.head(request)
                                   : m_manager.sendCustomRequest(request, method, body));
        if (!QTest::qWaitFor([&] { return reply->isFinished(); }, timeoutMs))
            return {};

        HttpResponse response;
        response.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        response.body = reply->readAll();
        response.headers = reply->rawHeaderPairs();
        response.error = reply->error();
        return response;
    }

    HttpResponse get(const QByteArray &pathAndQuery,
                     const QList<std::pair<QByteArray, QByteArray>> &headers = {})
    {
        return send("GET", pathAndQuery, headers);
    }

private:
    QUrl m_base;
    QNetworkAccessManager m_manager;
};

struct RawResponse
{
    QByteArray bytes; // everything received
    int status = 0; // of the first response
    QByteArray head; // of the first response
    QByteArray body; // of the first response
    bool closed = false; // the server closed the connection

    QByteArray header(const QByteArray &name) const
    {
        for (const QByteArray &line : head.split('\n')) {
            const qsizetype colon = line.indexOf(':');
            if (colon > 0 && line.left(colon).trimmed().compare(name, Qt::CaseInsensitive) == 0)
                return line.mid(colon + 1).trimmed();
        }
        return {};
    }
};

// Splits the first response off what was received; false while it is incomplete.
inline bool parseFirstResponse(RawResponse &response)
{
    const qsizetype end = response.bytes.indexOf("\r\n\r\n");
    if (end < 0)
        return false;
    QByteArray head = response.bytes.left(end);
    qsizetype start = end + 4;
    // A 100 Continue comes before the real response.
    if (head.startsWith("HTTP/1.1 100")) {
        const qsizetype next = response.bytes.indexOf("\r\n\r\n", start);
        if (next < 0)
            return false;
        head = response.bytes.mid(start, next - start);
        start = next + 4;
    }
    response.head = head;
    response.status = head.mid(9, 3).toInt();
    const qsizetype length = response.header("Content-Length").toLongLong();
    if (response.bytes.size() - start < length)
        return false;
    response.body = response.bytes.mid(start, length);
    return true;
}

class RawConnection
{
public:
    explicit RawConnection(quint16 port)
    {
        m_socket.connectToHost(QHostAddress::LocalHost, port);
        // A failure shows in isConnected(), which the tests check.
        (void)QTest::qWaitFor(
            [this] { return m_socket.state() == QAbstractSocket::ConnectedState; }, 5000);
    }

    bool isConnected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    QTcpSocket &socket() { return m_socket; }

    void write(const QByteArray &bytes)
    {
        m_socket.write(bytes);
        m_socket.flush();
    }

    // Waits for one whole response (or for the server to close).
    RawResponse read(int timeoutMs = 10000)
    {
        RawResponse response;
        // Incomplete or not, what arrived is returned; the tests compare the status.
        (void)QTest::qWaitFor(
            [&] {
                m_pending += m_socket.readAll();
                response.bytes = m_pending;
                response.closed = m_socket.state() != QAbstractSocket::ConnectedState;
                return parseFirstResponse(response) || response.closed;
            },
            timeoutMs);
        m_pending.clear();
        return response;
    }

    RawResponse exchange(const QByteArray &bytes, int timeoutMs = 10000)
    {
        write(bytes);
        return read(timeoutMs);
    }

    bool waitForClose(int timeoutMs)
    {
        return QTest::qWaitFor(
            [this] {
                m_socket.readAll();
                return m_socket.state() == QAbstractSocket::UnconnectedState;
            },
            timeoutMs);
    }

private:
    QTcpSocket m_socket;
    QByteArray m_pending;
};

} // namespace cic::testing
