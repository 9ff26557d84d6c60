// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QStringView>

namespace cic::json {

// Appends text as a JSON string literal, quotes included. The text is UTF-8; a byte sequence
// that is not valid UTF-8 becomes U+FFFD, so the output is always valid JSON in UTF-8 whatever
// a build log holds. Written for logs of many megabytes: runs of plain bytes are copied whole.
void appendString(QByteArray &out, QByteArrayView utf8);

QByteArray quoted(QByteArrayView utf8);

// The same for UTF-16 text, converted to UTF-8 on the way without an intermediate copy; a lone
// surrogate becomes U+FFFD.
void appendString(QByteArray &out, QStringView text);

} // namespace cic::json
