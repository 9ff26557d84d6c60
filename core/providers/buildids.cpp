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

std::optional<Parts> parse(const QString &id, const QString &source)
{
    const QString prefix = escapePart(source) + QLatin1Char('-');
    if (!id.startsWith(prefix))
        return std::nullopt;
    const QStringView rest = QStringView(id).mid(prefix.size());
    const qsizetype dash = rest.lastIndexOf(QLatin1Char('-'));
    if (dash <= 0)
        return std::nullopt;
    bool ok = false;
    const qint64 number = rest.mid(dash + 1).toLongLong(&ok);
    if (!ok || number < 0)
        return std::nullopt;

    // escapePart backwards: '~' is '/', "__" is '_', "_XX" is the byte XX.
    const QStringView escaped = rest.left(dash);
    QByteArray project;
    for (qsizetype i = 0; i < escaped.size(); ++i) {
        const QChar c = escaped.at(i);
        if (c == QLatin1Char('~')) {
            project += '/';
        } else if (c != QLatin1Char('_')) {
            project += char(c.toLatin1());
        } else if (i + 1 < escaped.size() && escaped.at(i + 1) == QLatin1Char('_')) {
            project += '_';
            ++i;
        } else {
            const uint byte = escaped.mid(i + 1, 2).toUInt(&ok, 16);
            if (!ok || i + 2 >= escaped.size())
                return std::nullopt;
            project += char(byte);
            i += 2;
        }
    }
    return Parts{QString::fromUtf8(project), number};
}

} // namespace cic::buildids
