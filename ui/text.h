// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace cic::text {

// "1 build" or "3 builds": one and many are translated texts with %1 for the number. Qt
// picks plural forms only through a translation file, which English does not ship.
inline QString counted(qint64 n, const QString &one, const QString &many)
{
    return (n == 1 ? one : many).arg(n);
}

} // namespace cic::text
