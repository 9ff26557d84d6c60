// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/commands.h"

namespace cic::app {

int runServe(const QStringList &arguments);
int runBuilds(const QStringList &arguments);
int runLog(const QStringList &arguments);
int runRecord(const QStringList &arguments);
int runCheck(const QStringList &arguments);

const QList<Command> &commands()
{
    static const QList<Command> all = {
        {"serve", "run only the igor-compatible server (fixtures, or the demo set)", runServe},
        {"builds", "answer a build query from the configured sources (JSON or a table)", runBuilds},
        {"log", "print a build's log; --follow keeps printing while it runs", runLog},
        {"record", "snapshot a source's builds and logs into a fixture set", runRecord},
        {"check", "test each configured source: address, credentials, crumb, TLS, proxy", runCheck},
    };
    return all;
}

} // namespace cic::app
