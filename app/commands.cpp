// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/commands.h"

namespace cic::app {

const QList<Command> &commands()
{
    static const QList<Command> all = {
    };
    return all;
}

} // namespace cic::app
