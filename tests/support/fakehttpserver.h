// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHttpServer>
#include <QList>
#include <QObject>
#include <QUrl>

#include <functional>

namespace cic::test {

// A request as the fake server saw it: the path still percent-encoded, so a test can tell
// `feature%252Fx` from `feature%2Fx`.
struct RecordedRequest
{
    QByteArray method;
    QByteArray encodedPath;
    QUrlQuery query;
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;

    QByteArray header(QByteArrayView name) const;
    QString queryValue(const QString &key) const
    {
        return query.queryItemValue(key, QUrl::FullyDecoded);
    }
};

// What the fake answers. A body shorter than `contentLength` with the connection closed makes a
// truncated answer; a delay answers later, after the client may have given up.
struct FakeReply
{
    int status = 200;
    QByteArray body;
    QByteArray contentType = "application/json";
    QList<std::pair<QByteArray, QByteArray>> headers;
    int delayMs = 0;
    qint64 contentLength = -1; // -1: the body's size
    bool closeAfter = false;

    static FakeReply json(const QByteArray &body, int status = 200);
    static FakeReply text(const QByteArray &body, int status = 200);
    FakeReply &withHeader(const QByteArray &name, const QByteArray &value)
    {
        headers.append({name, value});
        return *this;
    }
};

// An HTTP server on loopback, port 0, answering every request through one handler. Built on
// QtHttpServer's missing handler, so no route pattern gets between the test and the raw path.
class FakeHttpServer : public QObject
{
    Q_OBJECT

public:
    using Handler = std::function<FakeReply(const RecordedRequest &)>;

    explicit FakeHttpServer(QObject *parent = nullptr);

    // Listens on 127.0.0.1 with a free port; false when it cannot.
    bool start();
    QUrl baseUrl() const;
    quint16 port() const { return m_port; }

    void setHandler(Handler handler) { m_handler = std::move(handler); }

    QList<RecordedRequest> requests() const { return m_requests; }
    void clearRequests() { m_requests.clear(); }
    int count(const QByteArray &pathPrefix) const;

private:
    QHttpServer m_server;
    Handler m_handler;
    QList<RecordedRequest> m_requests;
    quint16 m_port = 0;
};

} // namespace cic::test

Q_DECLARE_METATYPE(cic::test::FakeReply)
