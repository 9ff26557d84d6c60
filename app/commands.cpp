// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/commands.h"

namespace cic::app {

int runServe(const QStringList &arguments);

const QList<Command> &commands()
{
    static const QList<Command> all = {
        {"serve", "run only the igor-compatible server (fixtures, or the demo set)", runServe},
    };
    return all;
}

} // namespace cic::app
