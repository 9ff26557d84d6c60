// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/util/result.h"

#include <QByteArray>
#include <QDateTime>
#include <QFuture>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QUrl>

#include <memory>

class QNetworkAccessManager;
class QNetworkReply;

namespace cic::config {
struct ConnectionOptions;
}

// The one place that builds outbound requests. Every provider owns one HttpClient per
// configured server; the client adds the credentials (only for that server's own origin),
// the timeout, retries with back-off for idempotent requests, rate-limit waits, the server's
// CA certificate and proxy, a redirect policy and a size cap, and turns every failure into a
// message a person can act on.
//
// Shape for a provider:
//
//     net::ClientSettings settings = net::ClientSettings::forSource(name, baseUrl, options);
//     settings.auth = net::Auth::bearer(token);
//     settings.defaultHeaders.append({"Accept", "application/vnd.github+json"});
//     m_http = new net::HttpClient(settings, this);
//
//     m_http->getJson(QStringLiteral("repos/acme/app/actions/runs?per_page=50"))
//         .then(this, [this](Result<net::JsonResponse> answer) {
//             if (!answer)
//                 return Result<BuildList>(Error{answer.error()}); // already actionable
//             const QJsonObject runs = answer->document.object();
//             ... answer->response.header("link") ...
//         });
//
// fetch() never fails: it answers a Response whose `failure` says what went wrong, for callers
// that must tell a TLS problem from a 401 (the `check` command). send() and getJson() turn any
// failure into Error{message}. Statuses listed in Request::acceptedStatuses come back as
// responses, so a provider can treat a 404 as "no log yet".
namespace cic::net {

using Header = std::pair<QByteArray, QByteArray>;

// How requests to the server's own origin are authenticated.
struct Auth
{
    enum class Kind { None, Basic, Bearer, Header };

    Kind kind = Kind::None;
    QString user;
    QString secret;
    QByteArray headerName; // Kind::Header: e.g. PRIVATE-TOKEN

    static Auth basic(const QString &user, const QString &password);
    static Auth bearer(const QString &token);
    static Auth header(const QByteArray &name, const QString &value);

    bool isSet() const { return kind != Kind::None; }
};

struct ClientSettings
{
    QString sourceName; // names the server in messages and logs
    QUrl baseUrl; // relative request URLs resolve against it; credentials go only here
    Auth auth;
    QList<Header> defaultHeaders;

    int timeoutMs = 30'000; // while no data flows
    QString caCertificate; // PEM file with extra trusted CAs
    QString proxy; // http://host:port, socks5://host:port, "none"; empty: system
    bool insecureSkipVerify = false;

    int maxRetries = 2; // for idempotent requests, on 5xx, connection errors and timeouts
    int retryBaseDelayMs = 500;
    int retryMaxDelayMs = 8000;
    int maxRateLimitWaitMs = 5 * 60 * 1000; // a longer wait fails at once, saying until when
    int maxRedirects = 5;
    qint64 maxResponseBytes = 64LL * 1024 * 1024;

    // From a source's configured connection options.
    static ClientSettings forSource(const QString &name, const QUrl &baseUrl,
                                    const config::ConnectionOptions &options);
};

struct Request
{
    QUrl url; // absolute, or relative to the base URL
    QByteArray method = "GET";
    QByteArray body;
    QList<Header> headers;
    QList<int> acceptedStatuses; // non-2xx answers returned as responses, not failures
    qint64 maxBytes = 0; // 0: the client's cap
    bool followRedirects = true;
    bool retry = true; // only idempotent methods are ever retried
    QString what; // for messages: "the job list", "the log of #12"

    static Request get(const QUrl &url, const QString &what = {});
    bool isIdempotent() const;
};

enum class Failure {
    None,
    Http, // an answer with an unaccepted status
    Timeout, // no data within the timeout
    Connection, // refused, reset, closed early, unreachable
    HostNotFound, // the name does not resolve
    Tls, // certificate or handshake
    Proxy, // the proxy refused, failed or wants credentials
    TooLarge, // over the size cap
    Truncated, // shorter than its Content-Length
    Redirect, // too many, a loop, or a downgrade to http
    RateLimited, // the wait would be longer than allowed
    Other,
};

struct Response
{
    QUrl url; // after redirects
    int status = 0;
    QList<Header> headers;
    QByteArray body;
    int attempts = 0;

    Failure failure = Failure::None;
    QString errorMessage; // set with failure; names the server, the request and a remedy
    QString hint; // what to change, when there is one thing to suggest

    bool ok() const { return failure == Failure::None; }

    // Case-insensitive; empty when absent.
    QByteArray header(QByteArrayView name) const;
    bool hasHeader(QByteArrayView name) const;
};

// A parsed JSON answer, with the response for its headers (paging, rate limits).
struct JsonResponse
{
    QJsonDocument document;
    Response response;
};

// Parses a JSON body with messages for the ways it goes wrong: an HTML page ("is the address
// the API root?"), an empty body, a body cut short, malformed JSON with the byte offset.
Result<QJsonDocument> parseJson(const Response &response, const QString &sourceName = {});

// Appends raw path segments to a URL, percent-encoding each one on its own, so a name that
// holds '/' or '%' stays one segment (Jenkins' multibranch `feature%2Fx` becomes
// `feature%252Fx`; GitLab's `group/project` id becomes `group%2Fproject`).
QUrl appendPathSegments(const QUrl &base, const QStringList &segments);

// Appends an already percent-encoded path (may hold several segments) without re-encoding.
QUrl appendEncodedPath(const QUrl &base, const QByteArray &encodedPath);

class HttpClient : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpClient)

public:
    explicit HttpClient(ClientSettings settings, QObject *parent = nullptr);
    ~HttpClient() override;

    const ClientSettings &settings() const { return m_settings; }
    void setAuth(const Auth &auth) { m_settings.auth = auth; }
    void setRetryPolicy(int maxRetries, int baseDelayMs, int maxDelayMs)
    {
        m_settings.maxRetries = maxRetries;
        m_settings.retryBaseDelayMs = baseDelayMs;
        m_settings.retryMaxDelayMs = maxDelayMs;
    }
    QNetworkAccessManager *network() const { return m_network; }

    // A URL relative to the base URL (a path without a leading slash appends to it).
    QUrl resolve(const QUrl &url) const;
    QUrl resolve(const QString &relative) const;
    bool isOwnOrigin(const QUrl &url) const;

    QFuture<Response> fetch(const Request &request);
    QFuture<Result<Response>> send(const Request &request);
    QFuture<Result<JsonResponse>> getJson(const Request &request);
    QFuture<Result<JsonResponse>> getJson(const QString &relativeUrl, const QString &what = {});

    // The last rate-limit budget the server reported; -1 when it reports none.
    int rateLimitRemaining() const { return m_rateLimitRemaining; }
    QDateTime blockedUntil() const { return m_blockedUntil; }

Q_SIGNALS:
    // Announces a pause before the next request: a rate limit that has to reset, or a retry.
    // The message says why and until when.
    void waiting(const QString &message, qint64 milliseconds);

private:
    struct Exchange;

    void schedule(const std::shared_ptr<Exchange> &exchange);
    void startAttempt(const std::shared_ptr<Exchange> &exchange);
    void handleReply(const std::shared_ptr<Exchange> &exchange, QNetworkReply *reply);
    bool retryLater(const std::shared_ptr<Exchange> &exchange, qint64 delayMs,
                    const QString &reason);
    bool followRedirect(const std::shared_ptr<Exchange> &exchange, const Response &response);
    bool waitForRateLimit(const std::shared_ptr<Exchange> &exchange, const Response &response);
    void noteRateLimit(const Response &response);
    void finish(const std::shared_ptr<Exchange> &exchange, Response response);
    qint64 backoffMs(int attempt) const;
    QString describe(const std::shared_ptr<Exchange> &exchange) const;

    ClientSettings m_settings;
    QNetworkAccessManager *m_network;
    QDateTime m_blockedUntil;
    int m_rateLimitRemaining = -1;
};

} // namespace cic::net
