// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/providers/buildids.h"

namespace cic::buildids {

QString escapePart(const QString &part)
{
    QString escaped;
    escaped.reserve(part.size());
    const QByteArray utf8 = part.toUtf8();
    for (const char byte : utf8) {
        const auto c = static_cast<unsigned char>(byte);
        const bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
            || (c >= '0' && c <= '9') || c == '.' || c == '-';
        if (plain)
            escaped += QLatin1Char(char(c));
        else if (c == '/')
            escaped += QLatin1Char('~');
        else if (c == '_')
            escaped += QStringLiteral("__");
        else
            escaped += QStringLiteral("_%1").arg(uint(c), 2, 16, QLatin1Char('0')).toUpper();
    }
    return escaped;
}

QString make(const QString &source, const QString &project, qint64 number)
{
    return escapePart(source) + QLatin1Char('-') + escapePart(project) + QLatin1Char('-')
        + QString::number(number);
}

} // namespace cic::buildids
