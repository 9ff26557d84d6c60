// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/icons.h"

#include <QCoreApplication>
#include <QHash>

namespace cic::icons {

QIcon named(const QString &name)
{
    static QHash<QString, QIcon> cache;
    auto it = cache.find(name);
    if (it == cache.end())
        it = cache.insert(name, QIcon(QStringLiteral(":/icons/%1.svg").arg(name)));
    return *it;
}

QIcon result(BuildResult result)
{
    switch (result) {
    case BuildResult::Success:
        return named(QStringLiteral("success"));
    case BuildResult::Unstable:
        return named(QStringLiteral("unstable"));
    case BuildResult::Building:
        return named(QStringLiteral("building"));
    case BuildResult::Aborted:
        return named(QStringLiteral("aborted"));
    case BuildResult::Failure:
        return named(QStringLiteral("failure"));
    case BuildResult::NotBuilt:
        return named(QStringLiteral("not-built"));
    }
    return {};
}

QColor resultColor(BuildResult result, bool dark)
{
    switch (result) {
    case BuildResult::Success:
        return dark ? QColor(0x57, 0xc7, 0x6a) : QColor(0x1a, 0x7f, 0x37);
    case BuildResult::Unstable:
        return dark ? QColor(0xe3, 0xb3, 0x41) : QColor(0x9a, 0x67, 0x00);
    case BuildResult::Building:
        return dark ? QColor(0x58, 0xa6, 0xff) : QColor(0x09, 0x69, 0xda);
    case BuildResult::Aborted:
        return dark ? QColor(0x9d, 0xa5, 0xae) : QColor(0x57, 0x60, 0x6a);
    case BuildResult::Failure:
        return dark ? QColor(0xff, 0x7b, 0x72) : QColor(0xcf, 0x22, 0x2e);
    case BuildResult::NotBuilt:
        return dark ? QColor(0x8b, 0x94, 0x9e) : QColor(0x6e, 0x77, 0x81);
    }
    return {};
}

QString resultLabel(BuildResult result)
{
    switch (result) {
    case BuildResult::Success:
        return QCoreApplication::translate("cic::icons", "Success");
    case BuildResult::Unstable:
        return QCoreApplication::translate("cic::icons", "Unstable");
    case BuildResult::Building:
        return QCoreApplication::translate("cic::icons", "Running");
    case BuildResult::Aborted:
        return QCoreApplication::translate("cic::icons", "Aborted");
    case BuildResult::Failure:
        return QCoreApplication::translate("cic::icons", "Failure");
    case BuildResult::NotBuilt:
        return QCoreApplication::translate("cic::icons", "Not built");
    }
    return {};
}

} // namespace cic::icons
