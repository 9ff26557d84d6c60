// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/net/httpclient.h"

#include "core/config/config.h"
#include "core/net/httperrors.h"

#include <QHostAddress>
#include <QJsonParseError>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkProxyFactory>
#include <QNetworkReply>
#include <QPromise>
#include <QRandomGenerator>
#include <QSet>
#include <QSslConfiguration>
#include <QTimer>

namespace cic::net {

namespace {
Q_LOGGING_CATEGORY(lcHttp, "cicompanion.core.net")

constexpr int MaxRateLimitWaits = 3;

// A configured proxy for every host but loopback; "none" for none; otherwise the system's
// (http_proxy and friends).
class SourceProxyFactory final : public QNetworkProxyFactory
{
public:
    explicit SourceProxyFactory(const QString &proxy)
        : m_setting(proxy)
    {
        if (proxy.isEmpty() || proxy == QLatin1String("none"))
            return;
        const QUrl url(proxy);
        const auto type = url.scheme() == QLatin1String("socks5") ? QNetworkProxy::Socks5Proxy
                                                                  : QNetworkProxy::HttpProxy;
        m_proxy
            = QNetworkProxy(type, url.host(), quint16(url.port()), url.userName(), url.password());
    }

    QList<QNetworkProxy> queryProxy(const QNetworkProxyQuery &query) override
    {
        const QString host = query.peerHostName();
        const bool loopback = host == QLatin1String("localhost") || QHostAddress(host).isLoopback();
        if (loopback || m_setting == QLatin1String("none"))
            return {QNetworkProxy(QNetworkProxy::NoProxy)};
        if (m_proxy.type() != QNetworkProxy::NoProxy)
            return {m_proxy};
        return systemProxyForQuery(query);
    }

private:
    QString m_setting;
    QNetworkProxy m_proxy{QNetworkProxy::NoProxy};
};

QString originOf(const QUrl &url)
{
    return url.scheme() + QStringLiteral("://") + url.host().toLower() + QLatin1Char(':')
        + QString::number(url.port(url.scheme() == QLatin1String("https") ? 443 : 80));
}

bool isRetryableStatus(int status)
{
    return status == 500 || status == 502 || status == 503 || status == 504;
}

} // namespace

// One request on its way: its attempts, redirects and rate-limit waits.
struct HttpClient::Exchange
{
    Request request;
    QUrl url;
    bool sendCredentials = true;
    int attempts = 0;
    int rateLimitWaits = 0;
    QList<QUrl> visited;
    QPromise<Response> promise;

    bool tooLarge = false;
    QList<QSslError> sslErrors;
};

Auth Auth::basic(const QString &user, const QString &password)
{
    return {Kind::Basic, user, password, {}};
}

Auth Auth::bearer(const QString &token)
{
    return {Kind::Bearer, {}, token, {}};
}

Auth Auth::header(const QByteArray &name, const QString &value)
{
    return {Kind::Header, {}, value, name};
}

ClientSettings ClientSettings::forSource(const QString &name, const QUrl &baseUrl,
                                         const config::ConnectionOptions &options)
{
    ClientSettings settings;
    settings.sourceName = name;
    settings.baseUrl = baseUrl;
    settings.timeoutMs = options.timeoutMs;
    settings.caCertificate = options.caCertificate;
    settings.proxy = options.proxy;
    settings.insecureSkipVerify = options.insecureSkipVerify;
    return settings;
}

Request Request::get(const QUrl &url, const QString &what)
{
    Request request;
    request.url = url;
    request.what = what;
    return request;
}

bool Request::isIdempotent() const
{
    return method == "GET" || method == "HEAD" || method == "OPTIONS";
}

QByteArray Response::header(QByteArrayView name) const
{
    for (const Header &header : headers) {
        if (header.first.compare(name, Qt::CaseInsensitive) == 0)
            return header.second;
    }
    return {};
}

bool Response::hasHeader(QByteArrayView name) const
{
    return std::any_of(headers.cbegin(), headers.cend(), [name](const Header &header) {
        return header.first.compare(name, Qt::CaseInsensitive) == 0;
    });
}

Result<QJsonDocument> parseJson(const Response &response, const QString &sourceName)
{
    const QString who = sourceName.isEmpty() ? QString() : sourceName + QStringLiteral(": ");
    const QString where = displayUrl(response.url);
    const QByteArray body = response.body;
    const QByteArray trimmed = body.trimmed();

    if (trimmed.isEmpty())
        return Error{who
                     + QStringLiteral("the server answered an empty body where JSON was "
                                      "expected (%1)")
                           .arg(where)};

    const QByteArray type = response.header("content-type").toLower();
    if (type.contains("html") || trimmed.startsWith('<'))
        return Error{who
                     + QStringLiteral("the server answered HTML, not JSON, for %1 (is the "
                                      "address the API root? a login page or a proxy "
                                      "can answer like this too)")
                           .arg(where)};

    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error == QJsonParseError::NoError)
        return document;

    const bool endedEarly = error.offset >= trimmed.size() - 1
        && (error.error == QJsonParseError::UnterminatedObject
            || error.error == QJsonParseError::UnterminatedArray
            || error.error == QJsonParseError::UnterminatedString
            || error.error == QJsonParseError::IllegalValue
            || error.error == QJsonParseError::IllegalNumber);
    if (endedEarly)
        return Error{who
                     + QStringLiteral("the JSON answer from %1 ends early, at byte %2 (the "
                                      "body was cut short)")
                           .arg(where, QString::number(body.size()))};
    return Error{who
                 + QStringLiteral("the server answered malformed JSON for %1: %2 at byte "
                                  "offset %3")
                       .arg(where, error.errorString(), QString::number(error.offset))};
}

QUrl appendPathSegments(const QUrl &base, const QStringList &segments)
{
    QByteArray path;
    for (const QString &segment : segments) {
        path += '/';
        path += QUrl::toPercentEncoding(segment);
    }
    return appendEncodedPath(base, path);
}

QUrl appendEncodedPath(const QUrl &base, const QByteArray &encodedPath)
{
    QByteArray basePath = base.path(QUrl::FullyEncoded).toUtf8();
    while (basePath.endsWith('/'))
        basePath.chop(1);
    QByteArray tail = encodedPath;
    if (!tail.isEmpty() && !tail.startsWith('/'))
        tail.prepend('/');

    QUrl url = base;
    url.setPath(QString::fromUtf8(basePath + tail), QUrl::StrictMode);
    return url;
}

HttpClient::HttpClient(ClientSettings settings, QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_network(new QNetworkAccessManager(this))
{
    m_network->setProxyFactory(new SourceProxyFactory(m_settings.proxy));
    m_network->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    m_network->setTransferTimeout(m_settings.timeoutMs);
}

HttpClient::~HttpClient() = default;

QUrl HttpClient::resolve(const QUrl &url) const
{
    if (!url.isRelative())
        return url;
    const QByteArray relative = url.toEncoded();
    QByteArray path = relative;
    QByteArray query;
    if (const qsizetype mark = relative.indexOf('?'); mark >= 0) {
        path = relative.left(mark);
        query = relative.mid(mark + 1);
    }
    QUrl resolved = path.startsWith('/') ? m_settings.baseUrl.resolved(QUrl::fromEncoded(path))
                                         : appendEncodedPath(m_settings.baseUrl, path);
    if (!query.isEmpty())
        resolved.setQuery(QString::fromUtf8(query), QUrl::StrictMode);
    return resolved;
}

QUrl HttpClient::resolve(const QString &relative) const
{
    return resolve(QUrl::fromEncoded(relative.toUtf8(), QUrl::StrictMode));
}

bool HttpClient::isOwnOrigin(const QUrl &url) const
{
    return originOf(url) == originOf(m_settings.baseUrl);
}

QFuture<Response> HttpClient::fetch(const Request &request)
{
    auto exchange = std::make_shared<Exchange>();
    exchange->request = request;
    exchange->url = resolve(request.url);
    exchange->sendCredentials = isOwnOrigin(exchange->url);
    exchange->promise.start();
    QFuture<Response> future = exchange->promise.future();
    schedule(exchange);
    return future;
}

QFuture<Result<Response>> HttpClient::send(const Request &request)
{
    return fetch(request).then(this, [](Response response) -> Result<Response> {
        if (!response.ok())
            return Error{response.errorMessage};
        return response;
    });
}

QFuture<Result<JsonResponse>> HttpClient::getJson(const Request &request)
{
    Request withAccept = request;
    const bool hasAccept
        = std::any_of(request.headers.cbegin(), request.headers.cend(), [](const Header &header) {
              return header.first.compare("accept", Qt::CaseInsensitive) == 0;
          });
    if (!hasAccept)
        withAccept.headers.append(Header("Accept", "application/json"));

    const QString source = m_settings.sourceName;
    return fetch(withAccept).then(this, [source](Response response) -> Result<JsonResponse> {
        if (!response.ok())
            return Error{response.errorMessage};
        Result<QJsonDocument> document = parseJson(response, source);
        if (!document)
            return Error{document.error()};
        return JsonResponse{document.value(), std::move(response)};
    });
}

QFuture<Result<JsonResponse>> HttpClient::getJson(const QString &relativeUrl, const QString &what)
{
    return getJson(Request::get(resolve(relativeUrl), what));
}

QString HttpClient::describe(const std::shared_ptr<Exchange> &exchange) const
{
    return exchange->request.what.isEmpty() ? displayUrl(exchange->url) : exchange->request.what;
}

void HttpClient::schedule(const std::shared_ptr<Exchange> &exchange)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (!m_blockedUntil.isValid() || m_blockedUntil <= now) {
        startAttempt(exchange);
        return;
    }

    const qint64 waitMs = now.msecsTo(m_blockedUntil);
    if (waitMs > m_settings.maxRateLimitWaitMs) {
        Response response;
        response.url = exchange->url;
        response.failure = Failure::RateLimited;
        response.errorMessage
            = QStringLiteral("%1: the request budget is spent until %2 UTC, longer than the "
                             "%3 s this program waits; try again then, or poll less often")
                  .arg(m_settings.sourceName, m_blockedUntil.toString(QStringLiteral("HH:mm:ss")),
                       QString::number(m_settings.maxRateLimitWaitMs / 1000));
        finish(exchange, response);
        return;
    }

    const QString message
        = QStringLiteral("%1: rate limit reached; waiting %2 s, until %3 UTC, "
                         "before asking for %4")
              .arg(m_settings.sourceName, QString::number((waitMs + 999) / 1000),
                   m_blockedUntil.toString(QStringLiteral("HH:mm:ss")), describe(exchange));
    qCInfo(lcHttp, "%s", qUtf8Printable(message));
    Q_EMIT waiting(message, waitMs);
    QTimer::singleShot(waitMs, this, [this, exchange] { schedule(exchange); });
}

void HttpClient::startAttempt(const std::shared_ptr<Exchange> &exchange)
{
    ++exchange->attempts;
    exchange->tooLarge = false;
    exchange->sslErrors.clear();

    QNetworkRequest request(exchange->url);
    request.setTransferTimeout(m_settings.timeoutMs);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    request.setHeader(QNetworkRequest::UserAgentHeader, QByteArray("ci-companion/" CIC_VERSION));
    for (const Header &header : std::as_const(m_settings.defaultHeaders))
        request.setRawHeader(header.first, header.second);
    for (const Header &header : std::as_const(exchange->request.headers))
        request.setRawHeader(header.first, header.second);

    // Credentials go to the configured server only, never to a host a redirect points at.
    const Auth &auth = m_settings.auth;
    if (exchange->sendCredentials && auth.isSet()) {
        switch (auth.kind) {
        case Auth::Kind::Basic:
            request.setRawHeader(
                "Authorization",
                "Basic " + (auth.user + QLatin1Char(':') + auth.secret).toUtf8().toBase64());
            break;
        case Auth::Kind::Bearer:
            request.setRawHeader("Authorization", "Bearer " + auth.secret.toUtf8());
            break;
        case Auth::Kind::Header:
            request.setRawHeader(auth.headerName, auth.secret.toUtf8());
            break;
        case Auth::Kind::None:
            break;
        }
    }

    if (exchange->url.scheme() == QLatin1String("https")) {
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        if (!m_settings.caCertificate.isEmpty())
            tls.addCaCertificates(m_settings.caCertificate, QSsl::Pem);
        if (m_settings.insecureSkipVerify)
            tls.setPeerVerifyMode(QSslSocket::VerifyNone);
        request.setSslConfiguration(tls);
    }

    const Request &source = exchange->request;
    QNetworkReply *reply = source.method == "GET"
        ? m_network->get(request)
        : m_network->sendCustomRequest(request, source.method, source.body);

    const qint64 cap = source.maxBytes > 0 ? source.maxBytes : m_settings.maxResponseBytes;
    connect(reply, &QNetworkReply::downloadProgress, reply,
            [reply, exchange, cap](qint64 received, qint64 total) {
                if (received > cap || total > cap) {
                    exchange->tooLarge = true;
                    reply->abort();
                }
            });
    connect(reply, &QNetworkReply::sslErrors, reply,
            [exchange](const QList<QSslError> &errors) { exchange->sslErrors = errors; });
    connect(reply, &QNetworkReply::finished, this,
            [this, exchange, reply] { handleReply(exchange, reply); });
}

void HttpClient::handleReply(const std::shared_ptr<Exchange> &exchange, QNetworkReply *reply)
{
    std::unique_ptr<QNetworkReply, void (*)(QNetworkReply *)> owned(
        reply, [](QNetworkReply *r) { r->deleteLater(); });

    Response response;
    response.url = exchange->url;
    response.attempts = exchange->attempts;
    response.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (reply->isOpen())
        response.body = reply->readAll();
    for (const QNetworkReply::RawHeaderPair &pair : reply->rawHeaderPairs())
        response.headers.append({pair.first, pair.second});

    const QString what = describe(exchange);
    const QString who = m_settings.sourceName + QStringLiteral(": ");
    const QNetworkReply::NetworkError error = reply->error();
    const bool idempotent = exchange->request.isIdempotent() && exchange->request.retry;
    const bool mayRetry = idempotent && exchange->attempts <= m_settings.maxRetries;
    qCDebug(lcHttp, "%s %s -> %d %s", exchange->request.method.constData(),
            qUtf8Printable(displayUrl(exchange->url)), response.status,
            error == QNetworkReply::NoError ? "" : qUtf8Printable(reply->errorString()));

    if (exchange->tooLarge) {
        response.failure = Failure::TooLarge;
        const qint64 cap = exchange->request.maxBytes > 0 ? exchange->request.maxBytes
                                                          : m_settings.maxResponseBytes;
        response.errorMessage = who
            + QStringLiteral("the answer for %1 is larger than %2 MiB; it was not read")
                  .arg(what, QString::number(double(cap) / (1024 * 1024), 'f', 1));
        finish(exchange, response);
        return;
    }

    // The body is shorter than announced: the connection dropped mid-answer.
    const qint64 announced = reply->header(QNetworkRequest::ContentLengthHeader).toLongLong();
    const bool encoded = !response.header("content-encoding").isEmpty();
    if (response.status > 0 && announced > 0 && !encoded && response.body.size() < announced
        && exchange->request.method != "HEAD") {
        if (mayRetry
            && retryLater(exchange, backoffMs(exchange->attempts),
                          QStringLiteral("the answer was cut short")))
            return;
        response.failure = Failure::Truncated;
        response.errorMessage = who
            + QStringLiteral("the connection closed after %1 of %2 bytes of %3; the answer is "
                             "incomplete (a proxy or the server cut it short)")
                  .arg(response.body.size())
                  .arg(announced)
                  .arg(what);
        finish(exchange, response);
        return;
    }

    if (response.status == 0 && error != QNetworkReply::NoError) {
        Failure failure = Failure::Other;
        QString message;
        bool retryable = false;
        switch (error) {
        case QNetworkReply::OperationCanceledError: // the transfer timeout aborts the reply
        case QNetworkReply::TimeoutError:
            failure = Failure::Timeout;
            retryable = true;
            message = QStringLiteral("no answer for %1 within %2 s; the server is slow or "
                                     "unreachable (raise timeout if it is only slow)")
                          .arg(what, QString::number(m_settings.timeoutMs / 1000.0));
            break;
        case QNetworkReply::HostNotFoundError:
            failure = Failure::HostNotFound;
            message = QStringLiteral("the host name %1 does not resolve; check the address")
                          .arg(exchange->url.host());
            break;
        case QNetworkReply::ConnectionRefusedError:
        case QNetworkReply::RemoteHostClosedError:
        case QNetworkReply::TemporaryNetworkFailureError:
        case QNetworkReply::NetworkSessionFailedError:
        case QNetworkReply::UnknownNetworkError:
            failure = Failure::Connection;
            retryable = true;
            message = QStringLiteral("cannot reach %1 (%2); check the address and that the "
                                     "server is running")
                          .arg(displayUrl(exchange->url), reply->errorString());
            break;
        case QNetworkReply::SslHandshakeFailedError:
            failure = Failure::Tls;
            message = QStringLiteral("TLS problem with %1: %2")
                          .arg(exchange->url.host(), describeTlsErrors(exchange->sslErrors));
            response.hint = tlsHint();
            break;
        case QNetworkReply::ProxyConnectionRefusedError:
        case QNetworkReply::ProxyConnectionClosedError:
        case QNetworkReply::ProxyNotFoundError:
        case QNetworkReply::ProxyTimeoutError:
        case QNetworkReply::ProxyAuthenticationRequiredError:
        case QNetworkReply::UnknownProxyError:
            failure = Failure::Proxy;
            message = QStringLiteral("the proxy %1 failed: %2; check the proxy setting")
                          .arg(m_settings.proxy.isEmpty() ? QStringLiteral("(system)")
                                                          : displayUrl(QUrl(m_settings.proxy)),
                               reply->errorString());
            break;
        default:
            if (!exchange->sslErrors.isEmpty()) {
                failure = Failure::Tls;
                message = QStringLiteral("TLS problem with %1: %2")
                              .arg(exchange->url.host(), describeTlsErrors(exchange->sslErrors));
                response.hint = tlsHint();
            } else {
                message = QStringLiteral("%1 failed: %2").arg(what, reply->errorString());
            }
            break;
        }

        if (retryable && mayRetry && retryLater(exchange, backoffMs(exchange->attempts), message))
            return;

        response.failure = failure;
        response.errorMessage = who + message;
        if (response.hint.isEmpty() && failure == Failure::Tls)
            response.hint = tlsHint();
        if (!response.hint.isEmpty())
            response.errorMessage += QStringLiteral("; ") + response.hint;
        finish(exchange, response);
        return;
    }

    noteRateLimit(response);

    const int status = response.status;
    if (status >= 300 && status < 400 && status != 304 && exchange->request.followRedirects
        && exchange->request.isIdempotent() && response.hasHeader("location")) {
        if (followRedirect(exchange, response))
            return;
        finish(exchange, response);
        return;
    }

    const bool budgetSpent = response.header("x-ratelimit-remaining").trimmed() == "0";
    if ((status == 429 || (status == 403 && budgetSpent)) && idempotent
        && !exchange->request.acceptedStatuses.contains(status)) {
        if (waitForRateLimit(exchange, response))
            return;
    }

    if (isRetryableStatus(status) && mayRetry
        && !exchange->request.acceptedStatuses.contains(status)) {
        const qint64 after = retryAfterMs(response);
        const qint64 delay = after >= 0 ? std::min<qint64>(after, m_settings.retryMaxDelayMs)
                                        : backoffMs(exchange->attempts);
        if (retryLater(exchange, delay, QStringLiteral("HTTP %1").arg(status)))
            return;
    }

    const bool accepted
        = (status >= 200 && status < 300) || exchange->request.acceptedStatuses.contains(status);
    if (!accepted) {
        response.failure = Failure::Http;
        response.errorMessage = who + describeStatus(status, response, what);
        if ((status == 429 || status == 403) && budgetSpent) {
            const QDateTime reset = rateLimitReset(response);
            if (reset.isValid())
                response.errorMessage += QStringLiteral(" The budget resets at %1 UTC.")
                                             .arg(reset.toString(QStringLiteral("HH:mm:ss")));
        }
    }
    finish(exchange, response);
}

bool HttpClient::retryLater(const std::shared_ptr<Exchange> &exchange, qint64 delayMs,
                            const QString &reason)
{
    const QString message
        = QStringLiteral("%1: %2; retrying %3 in %4 ms (attempt %5 of %6)")
              .arg(m_settings.sourceName, reason, describe(exchange), QString::number(delayMs),
                   QString::number(exchange->attempts + 1),
                   QString::number(m_settings.maxRetries + 1));
    qCInfo(lcHttp, "%s", qUtf8Printable(message));
    Q_EMIT waiting(message, delayMs);
    QTimer::singleShot(delayMs, this, [this, exchange] { schedule(exchange); });
    return true;
}

bool HttpClient::followRedirect(const std::shared_ptr<Exchange> &exchange, const Response &response)
{
    const QUrl target = exchange->url.resolved(
        QUrl::fromEncoded(response.header("location").trimmed(), QUrl::StrictMode));
    const QString who = m_settings.sourceName + QStringLiteral(": ");

    auto fail = [&](const QString &message) {
        Response failed = response;
        failed.failure = Failure::Redirect;
        failed.errorMessage = who + message;
        finish(exchange, failed);
        return true;
    };

    if (!target.isValid()
        || (target.scheme() != QLatin1String("http") && target.scheme() != QLatin1String("https")))
        return fail(QStringLiteral("%1 redirects to an address that is not http(s): %2")
                        .arg(displayUrl(exchange->url), displayUrl(target)));
    if (exchange->url.scheme() == QLatin1String("https")
        && target.scheme() == QLatin1String("http"))
        return fail(QStringLiteral("%1 redirects from https to plain http (%2); refused. Use "
                                   "the final address in the configuration")
                        .arg(displayUrl(exchange->url), displayUrl(target)));

    exchange->visited.append(exchange->url);
    if (exchange->visited.contains(target)) {
        QStringList chain;
        for (const QUrl &url : std::as_const(exchange->visited))
            chain.append(displayUrl(url));
        chain.append(displayUrl(target));
        return fail(QStringLiteral("redirect loop: %1. The server (or a proxy) is "
                                   "misconfigured; check the address")
                        .arg(chain.join(QStringLiteral(" -> "))));
    }
    if (exchange->visited.size() > m_settings.maxRedirects)
        return fail(QStringLiteral("more than %1 redirects from %2; check the address")
                        .arg(m_settings.maxRedirects)
                        .arg(displayUrl(exchange->visited.first())));

    // Once the request has left the configured server, it does not carry credentials again.
    if (!isOwnOrigin(target))
        exchange->sendCredentials = false;
    qCDebug(lcHttp, "%s: %d redirect to %s", qUtf8Printable(m_settings.sourceName), response.status,
            qUtf8Printable(displayUrl(target)));
    exchange->url = target;
    exchange->attempts = 0;
    startAttempt(exchange);
    return true;
}

bool HttpClient::waitForRateLimit(const std::shared_ptr<Exchange> &exchange,
                                  const Response &response)
{
    if (exchange->rateLimitWaits >= MaxRateLimitWaits)
        return false;

    qint64 waitMs = retryAfterMs(response);
    if (waitMs < 0) {
        const QDateTime reset = rateLimitReset(response);
        waitMs = reset.isValid()
            ? std::max<qint64>(0, QDateTime::currentDateTimeUtc().msecsTo(reset))
            : 60'000; // secondary limits without a hint: GitHub asks for at least a minute
    }
    if (waitMs > m_settings.maxRateLimitWaitMs)
        return false;

    ++exchange->rateLimitWaits;
    --exchange->attempts; // a wait for the budget is not a failed attempt
    const QDateTime until = QDateTime::currentDateTimeUtc().addMSecs(waitMs);
    if (!m_blockedUntil.isValid() || until > m_blockedUntil)
        m_blockedUntil = until;
    schedule(exchange);
    return true;
}

void HttpClient::noteRateLimit(const Response &response)
{
    bool ok = false;
    const int remaining = response.header("x-ratelimit-remaining").trimmed().toInt(&ok);
    if (!ok)
        return;

    m_rateLimitRemaining = remaining;
    if (remaining > 0)
        return;

    // The budget is spent: requests wait for the reset rather than fail one after another.
    const QDateTime reset = rateLimitReset(response);
    if (reset.isValid() && (!m_blockedUntil.isValid() || reset > m_blockedUntil))
        m_blockedUntil = reset;
}

qint64 HttpClient::backoffMs(int attempt) const
{
    const qint64 exponential = qint64(m_settings.retryBaseDelayMs) << std::min(attempt - 1, 16);
    const qint64 capped = std::min<qint64>(exponential, m_settings.retryMaxDelayMs);
    // Jitter of +-25% keeps many clients from retrying in step.
    const double jitter = 0.75 + 0.5 * QRandomGenerator::global()->generateDouble();
    return qint64(double(capped) * jitter);
}

void HttpClient::finish(const std::shared_ptr<Exchange> &exchange, Response response)
{
    if (!response.ok())
        qCDebug(lcHttp, "%s", qUtf8Printable(response.errorMessage));
    exchange->promise.addResult(std::move(response));
    exchange->promise.finish();
}

} // namespace cic::net
