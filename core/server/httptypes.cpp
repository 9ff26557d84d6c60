// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/server/httptypes.h"

#include "core/util/jsontext.h"

namespace cic::http {

QByteArray methodName(Method method)
{
    switch (method) {
    case Method::Get:
        return QByteArrayLiteral("GET");
    case Method::Head:
        return QByteArrayLiteral("HEAD");
    case Method::Post:
        return QByteArrayLiteral("POST");
    case Method::Put:
        return QByteArrayLiteral("PUT");
    case Method::Delete:
        return QByteArrayLiteral("DELETE");
    case Method::Patch:
        return QByteArrayLiteral("PATCH");
    case Method::Options:
        return QByteArrayLiteral("OPTIONS");
    case Method::Other:
        break;
    }
    return QByteArrayLiteral("OTHER");
}

QString Request::parameter(QStringView name) const
{
    for (const auto &[key, value] : parameters) {
        if (key == name)
            return value;
    }
    return {};
}

std::optional<QString> Request::queryValue(QStringView name) const
{
    for (const auto &[key, value] : query) {
        if (key == name)
            return value;
    }
    return std::nullopt;
}

QStringList Request::queryValues(QStringView name) const
{
    QStringList values;
    for (const auto &[key, value] : query) {
        if (key == name)
            values.append(value);
    }
    return values;
}

QByteArray Request::header(QByteArrayView name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

Reply jsonReply(QByteArray body, int status)
{
    Reply reply;
    reply.status = status;
    reply.body = std::move(body);
    return reply;
}

int statusFor(ErrorKind kind)
{
    switch (kind) {
    case ErrorKind::BadRequest:
        return 400;
    case ErrorKind::Unauthorized:
        return 401;
    case ErrorKind::NotFound:
        return 404;
    case ErrorKind::MethodNotAllowed:
        return 405;
    case ErrorKind::RequestTimeout:
        return 408;
    case ErrorKind::LengthRequired:
        return 411;
    case ErrorKind::PayloadTooLarge:
        return 413;
    case ErrorKind::UriTooLong:
        return 414;
    case ErrorKind::HeadersTooLarge:
        return 431;
    case ErrorKind::SourceFailed:
        return 502;
    case ErrorKind::Unavailable:
        return 503;
    case ErrorKind::Internal:
        break;
    }
    return 500;
}

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 100:
        return QByteArrayLiteral("Continue");
    case 200:
        return QByteArrayLiteral("OK");
    case 400:
        return QByteArrayLiteral("Bad Request");
    case 401:
        return QByteArrayLiteral("Unauthorized");
    case 404:
        return QByteArrayLiteral("Not Found");
    case 405:
        return QByteArrayLiteral("Method Not Allowed");
    case 408:
        return QByteArrayLiteral("Request Timeout");
    case 411:
        return QByteArrayLiteral("Length Required");
    case 413:
        return QByteArrayLiteral("Payload Too Large");
    case 414:
        return QByteArrayLiteral("URI Too Long");
    case 431:
        return QByteArrayLiteral("Request Header Fields Too Large");
    case 500:
        return QByteArrayLiteral("Internal Server Error");
    case 502:
        return QByteArrayLiteral("Bad Gateway");
    case 503:
        return QByteArrayLiteral("Service Unavailable");
    default:
        break;
    }
    return QByteArrayLiteral("Unknown");
}

QByteArray errorBody(int status, const QString &message)
{
    // Spring writes the timestamp as a java.util.Date through Jackson: milliseconds and an
    // explicit +00:00 offset.
    const QByteArray timestamp = QDateTime::currentDateTimeUtc()
                                     .toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz"))
                                     .toLatin1()
        + "+00:00";

    QByteArray body;
    body.reserve(128 + message.size());
    body.append("{\"timestamp\":\"").append(timestamp).append("\",\"status\":");
    body.append(QByteArray::number(status)).append(",\"error\":");
    json::appendString(body, reasonPhrase(status));
    body.append(",\"message\":");
    json::appendString(body, message.toUtf8());
    body.append('}');
    return body;
}

Reply errorReply(ErrorKind kind, const QString &message)
{
    const int status = statusFor(kind);
    return jsonReply(errorBody(status, message), status);
}

} // namespace cic::http
