// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/providers/connectioncheck.h"

#include "core/net/httperrors.h"

namespace cic {

ConnectionCheck ConnectionCheck::fromFailure(const net::Response &response)
{
    QString hint = response.hint;
    if (hint.isEmpty()) {
        switch (response.failure) {
        case net::Failure::Http:
            if (response.status == 401)
                hint = QStringLiteral("check username and token/password; create a new API "
                                      "token if this one was revoked");
            else if (response.status == 403 && response.body.contains("No valid crumb"))
                hint = QStringLiteral("use an API token (token:) instead of a password, or set "
                                      "csrf: true");
            else if (response.status == 403)
                hint = QStringLiteral("give the account read permission, or use a token with "
                                      "the right scopes");
            else if (response.status == 404)
                hint = QStringLiteral("the address should be the server's root URL");
            else if (response.status == 407)
                hint = QStringLiteral("put the proxy's credentials in the proxy address");
            break;
        case net::Failure::Tls:
            hint = net::tlsHint();
            break;
        case net::Failure::Proxy:
            hint = QStringLiteral("check the proxy setting (proxy: http://host:port, or none)");
            break;
        case net::Failure::HostNotFound:
        case net::Failure::Connection:
        case net::Failure::Timeout:
            break; // the message says already what to check
        case net::Failure::Redirect:
            hint = QStringLiteral("use the final address (after redirects) in the "
                                  "configuration");
            break;
        default:
            break;
        }
    }

    // The response's message ends with the TLS hint already; keep the line short.
    QString summary = response.errorMessage;
    if (!response.hint.isEmpty() && summary.endsWith(QStringLiteral("; ") + response.hint))
        summary.chop(response.hint.size() + 2);
    return failed(summary, hint);
}

} // namespace cic
