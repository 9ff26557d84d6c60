// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/net/httpclient.h"

#include <QFuture>
#include <QString>

namespace cic {

// The verdict of `ci-companion check` for one source: one line a person reads, and what to
// change when it failed.
struct ConnectionCheck
{
    enum class Verdict { Ok, Warning, Failed };

    Verdict verdict = Verdict::Failed;
    QString summary; // "Jenkins 2.440 at https://ci.example, authenticated as ada, 37 jobs"
    QString hint; // "set caCertificate: ..." ; empty when there is nothing to change

    static ConnectionCheck ok(const QString &summary) { return {Verdict::Ok, summary, {}}; }
    static ConnectionCheck warning(const QString &summary, const QString &hint = {})
    {
        return {Verdict::Warning, summary, hint};
    }
    static ConnectionCheck failed(const QString &summary, const QString &hint = {})
    {
        return {Verdict::Failed, summary, hint};
    }

    // A verdict from a failed response: the failure's own message, and a hint for its kind
    // (credentials for 401, permissions for 403, caCertificate for TLS, the proxy setting).
    static ConnectionCheck fromFailure(const net::Response &response);
};

// Implemented by providers that can test their connection. Kept apart from CiBuildService so
// a source without a server (fixtures) needs nothing.
class ConnectionCheckable
{
public:
    virtual ~ConnectionCheckable() = default;
    virtual QFuture<ConnectionCheck> checkConnection() = 0;
};

} // namespace cic
