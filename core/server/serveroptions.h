// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHostAddress>
#include <QMap>
#include <QString>

namespace cic {

// What QtHttpServer 6.4 does not limit by itself; the connection guard of the adapter
// enforces each, with the status in brackets.
struct ServerLimits
{
    qsizetype maxRequestLineBytes = 8 * 1024; // method, path and query [414]
    qsizetype maxHeaderBytes = 16 * 1024; // every header line together [431]
    qsizetype maxBodyBytes = 1024 * 1024; // Content-Length [413]; chunked bodies [411]
    int maxConnections = 256; // open at once; the next is answered [503]
    // A connection that sends and receives nothing for this long is closed: an idle
    // keep-alive connection, or a client that connects and says nothing. A request whose
    // head takes longer than this to arrive is answered [408].
    int idleTimeoutMs = 20'000;
};

struct ServerOptions
{
    QHostAddress address = QHostAddress(QHostAddress::LocalHost);
    quint16 port = 8088; // igor's port; 0 picks a free one

    // Required to listen beyond loopback. When set, every request must carry
    // `Authorization: Bearer <token>`.
    QString bearerToken;

    // GET /scm/masters: igor's keys (stash, gitHub, gitLab, bitBucket) to base URLs.
    QMap<QString, QString> scmMasters;

    ServerLimits limits;

    // How long GET /ci/builds waits for the sources when the store has nothing for a commit.
    int lookupBudgetMs = 2000;

    // Logs lose their ANSI escapes unless the request says ?ansi=keep.
    bool stripAnsi = true;

    // The newest this many builds answer one query; a repository with more history is cut.
    int maxBuildsPerAnswer = 1000;
};

} // namespace cic
