// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/net/httpclient.h"

#include <QSslError>

// The words for what went wrong with a request: a status, a TLS certificate, the network.
// Kept apart from the client so each message can be read and changed in one place.
namespace cic::net {

// "the server rejected the credentials (HTTP 401) ..." with the server's own message when it
// gave a short one.
QString describeStatus(int status, const Response &response, const QString &what);

// A short excerpt of the server's own error message (JSON "message"/"error", or a line of
// text); never an HTML page.
QString serverMessage(const Response &response);

// Which certificate problem, in plain words, and what to set.
QString describeTlsErrors(const QList<QSslError> &errors);
QString tlsHint();

// A URL as messages show it: no credentials, no query.
QString displayUrl(const QUrl &url);

// Retry-After as milliseconds from now (seconds or an HTTP date); -1 when absent or unreadable.
qint64 retryAfterMs(const Response &response);

// When a rate limit resets, from x-ratelimit-reset (epoch seconds) or RateLimit-Reset
// (seconds from now); invalid when the headers do not say.
QDateTime rateLimitReset(const Response &response);

} // namespace cic::net
