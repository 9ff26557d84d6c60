// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QFuture>
#include <QList>
#include <QNetworkRequest>
#include <QObject>
#include <QPair>
#include <QString>

class QNetworkAccessManager;

namespace cic {

// What an SCM server answered to one GET.
struct ScmHttpReply
{
    int status = 0; // 0 when no HTTP answer came (see networkError)
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;
    QString networkError; // the transport's words when there was no answer

    QByteArray header(QByteArrayView name) const; // case-insensitive; empty when absent
};

// How the compare client reaches SCM servers: one GET at a time, the reply as a future.
// The compare code builds its requests (URL, Accept, credentials) itself and reads status,
// headers and body, so any HTTP stack can sit behind this.
class ScmTransport : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;

    virtual QFuture<ScmHttpReply> get(const QNetworkRequest &request) = 0;
};

// The transport over QNetworkAccessManager: redirects within the same security level, a
// transfer timeout per request.
class NetworkScmTransport final : public ScmTransport
{
    Q_OBJECT

public:
    explicit NetworkScmTransport(QObject *parent = nullptr);

    void setTimeout(int milliseconds) { m_timeoutMs = milliseconds; }

    QFuture<ScmHttpReply> get(const QNetworkRequest &request) override;

private:
    QNetworkAccessManager *m_network;
    int m_timeoutMs = 30'000;
};

} // namespace cic
