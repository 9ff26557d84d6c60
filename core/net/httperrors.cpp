// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/net/httperrors.h"

#include <QJsonObject>
#include <QJsonValue>

namespace cic::net {

namespace {

constexpr int MaxServerMessage = 200;

QString clip(QString text)
{
    text = text.simplified();
    if (text.size() > MaxServerMessage)
        text = text.left(MaxServerMessage - 1) + QChar(0x2026);
    return text;
}

QString withServerMessage(QString message, const Response &response)
{
    const QString said = serverMessage(response);
    if (!said.isEmpty())
        message += QStringLiteral(" The server said: \"%1\".").arg(said);
    return message;
}

} // namespace

QString displayUrl(const QUrl &url)
{
    return url.toDisplayString(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment);
}

QString serverMessage(const Response &response)
{
    const QByteArray body = response.body.trimmed();
    if (body.isEmpty() || body.startsWith('<'))
        return {};

    const QByteArray type = response.header("content-type").toLower();
    if (body.startsWith('{')) {
        const QJsonObject object = QJsonDocument::fromJson(body).object();
        for (const char *key : {"message", "error", "error_description", "errors"}) {
            const QJsonValue value = object.value(QLatin1String(key));
            if (value.isString())
                return clip(value.toString());
            if (value.isArray() || value.isObject())
                return clip(QString::fromUtf8(QJsonDocument(value.isArray()
                                                                ? QJsonDocument(value.toArray())
                                                                : QJsonDocument(value.toObject()))
                                                  .toJson(QJsonDocument::Compact)));
        }
        return {};
    }
    if (type.contains("html"))
        return {};
    return clip(
        QString::fromUtf8(body.left(4 * MaxServerMessage)).section(QLatin1Char('\n'), 0, 0));
}

QString describeStatus(int status, const Response &response, const QString &what)
{
    const QString target = what.isEmpty()
        ? displayUrl(response.url)
        : what + QStringLiteral(" (") + displayUrl(response.url) + QLatin1Char(')');

    switch (status) {
    case 400:
        return withServerMessage(
            QStringLiteral("The server refused the request for %1 as malformed (HTTP 400).")
                .arg(target),
            response);
    case 401:
        return withServerMessage(
            QStringLiteral("The server rejected the credentials (HTTP 401) for %1. Check the "
                           "username and the token or password, and that the token has not "
                           "expired or been revoked.")
                .arg(target),
            response);
    case 403:
        if (response.body.contains("No valid crumb"))
            return QStringLiteral("Jenkins asked for a CSRF crumb (HTTP 403 \"No valid crumb was "
                                  "included in the request\") for %1. Use an API token instead "
                                  "of a password, or set csrf: true.")
                .arg(target);
        return withServerMessage(
            QStringLiteral("Access denied (HTTP 403) to %1. The account is known but lacks "
                           "permission; grant it read access, or use a token with the right "
                           "scopes.")
                .arg(target),
            response);
    case 404:
        return QStringLiteral("Not found (HTTP 404): %1. Check the address (it should be the "
                              "server's root) and the name of the job, project or repository; "
                              "some servers also answer 404 when the account may not see it.")
            .arg(target);
    case 407:
        return QStringLiteral("The proxy wants credentials (HTTP 407) for %1. Put them in the "
                              "proxy address (http://user:password@host:port).")
            .arg(target);
    case 410:
        return withServerMessage(
            QStringLiteral("Gone (HTTP 410): %1 no longer exists or has expired.").arg(target),
            response);
    case 429:
        return withServerMessage(
            QStringLiteral("The server is limiting the request rate (HTTP 429) for %1. Wait, "
                           "poll less often (pollInterval), or use a token with a larger "
                           "budget.")
                .arg(target),
            response);
    default:
        break;
    }

    if (status >= 500)
        return withServerMessage(
            QStringLiteral("The server failed (HTTP %1) answering %2 after "
                           "%3 attempts. It may be overloaded or down; try "
                           "again later.")
                .arg(QString::number(status), target, QString::number(response.attempts)),
            response);
    return withServerMessage(
        QStringLiteral("Unexpected answer (HTTP %1) for %2.").arg(QString::number(status), target),
        response);
}

QString describeTlsErrors(const QList<QSslError> &errors)
{
    QStringList reasons;
    for (const QSslError &error : errors) {
        QString reason;
        switch (error.error()) {
        case QSslError::SelfSignedCertificate:
        case QSslError::SelfSignedCertificateInChain:
            reason = QStringLiteral("the server's certificate is self-signed");
            break;
        case QSslError::UnableToGetLocalIssuerCertificate:
        case QSslError::UnableToGetIssuerCertificate:
        case QSslError::UnableToVerifyFirstCertificate:
        case QSslError::CertificateUntrusted:
        case QSslError::InvalidCaCertificate:
            reason = QStringLiteral("the certificate was issued by a CA this system does not "
                                    "trust");
            break;
        case QSslError::CertificateExpired:
            reason = QStringLiteral("the certificate has expired (%1)")
                         .arg(error.certificate().expiryDate().toString(Qt::ISODate));
            break;
        case QSslError::CertificateNotYetValid:
            reason = QStringLiteral("the certificate is not valid yet");
            break;
        case QSslError::HostNameMismatch:
            reason = QStringLiteral("the certificate is for another host name");
            break;
        case QSslError::CertificateRevoked:
            reason = QStringLiteral("the certificate has been revoked");
            break;
        default:
            reason = error.errorString();
            break;
        }
        if (!reasons.contains(reason))
            reasons.append(reason);
    }
    if (reasons.isEmpty())
        return QStringLiteral("the TLS handshake failed");
    return reasons.join(QStringLiteral("; "));
}

QString tlsHint()
{
    return QStringLiteral("set caCertificate: /path/to/ca.pem for this source (the CA that "
                          "issued the server's certificate), or insecureSkipVerify: true for a "
                          "test server only");
}

qint64 retryAfterMs(const Response &response)
{
    const QByteArray value = response.header("retry-after").trimmed();
    if (value.isEmpty())
        return -1;

    bool ok = false;
    const qint64 seconds = value.toLongLong(&ok);
    if (ok)
        return std::max<qint64>(0, seconds * 1000);

    const QDateTime when = QDateTime::fromString(QString::fromLatin1(value), Qt::RFC2822Date);
    if (!when.isValid())
        return -1;
    return std::max<qint64>(0, QDateTime::currentDateTimeUtc().msecsTo(when));
}

QDateTime rateLimitReset(const Response &response)
{
    bool ok = false;
    const qint64 epochSeconds = response.header("x-ratelimit-reset").trimmed().toLongLong(&ok);
    if (ok)
        return QDateTime::fromSecsSinceEpoch(epochSeconds, Qt::UTC);

    const qint64 inSeconds = response.header("ratelimit-reset").trimmed().toLongLong(&ok);
    if (ok) {
        // GitLab sends epoch seconds under this name; IETF drafts send seconds from now.
        if (inSeconds > 1'000'000'000)
            return QDateTime::fromSecsSinceEpoch(inSeconds, Qt::UTC);
        return QDateTime::currentDateTimeUtc().addSecs(inSeconds);
    }
    return {};
}

} // namespace cic::net
