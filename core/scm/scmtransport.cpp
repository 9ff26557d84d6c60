// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/scm/scmtransport.h"

#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPromise>

#include <memory>

namespace cic {

namespace {
Q_LOGGING_CATEGORY(lcTransport, "cicompanion.core.scm.transport")
}

QByteArray ScmHttpReply::header(QByteArrayView name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

NetworkScmTransport::NetworkScmTransport(QObject *parent)
    : ScmTransport(parent)
    , m_network(new QNetworkAccessManager(this))
{
    m_network->setRedirectPolicy(QNetworkRequest::NoLessSafeRedirectPolicy);
}

QFuture<ScmHttpReply> NetworkScmTransport::get(const QNetworkRequest &request)
{
    auto promise = std::make_shared<QPromise<ScmHttpReply>>();
    promise->start();

    QNetworkRequest timed = request;
    if (timed.transferTimeout() == 0)
        timed.setTransferTimeout(m_timeoutMs);

    QNetworkReply *reply = m_network->get(timed);
    connect(reply, &QNetworkReply::finished, this, [reply, promise] {
        std::unique_ptr<QNetworkReply, void (*)(QNetworkReply *)> owned(
            reply, [](QNetworkReply *r) { r->deleteLater(); });

        ScmHttpReply answer;
        answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        answer.body = reply->readAll();
        answer.headers = reply->rawHeaderPairs();
        if (answer.status == 0)
            answer.networkError = reply->errorString();

        qCDebug(
            lcTransport, "GET %s: %d, %lld bytes",
            qUtf8Printable(reply->url().toDisplayString(QUrl::RemoveUserInfo | QUrl::RemoveQuery)),
            answer.status, static_cast<long long>(answer.body.size()));
        promise->addResult(std::move(answer));
        promise->finish();
    });
    return promise->future();
}

} // namespace cic
