// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/util/jsontext.h"

namespace cic::json {

namespace {

constexpr char Hex[] = "0123456789abcdef";
constexpr char Replacement[] = "\xef\xbf\xbd"; // U+FFFD

bool isContinuation(unsigned char byte)
{
    return (byte & 0xc0) == 0x80;
}

// Length of the valid UTF-8 sequence that starts at p (a byte of 0x80 or above), or 0.
qsizetype validSequence(const unsigned char *p, const unsigned char *end)
{
    const unsigned char lead = *p;
    const qsizetype left = end - p;
    if (lead >= 0xc2 && lead <= 0xdf)
        return left >= 2 && isContinuation(p[1]) ? 2 : 0;

    if (lead >= 0xe0 && lead <= 0xef) {
        if (left < 3 || !isContinuation(p[1]) || !isContinuation(p[2]))
            return 0;
        if (lead == 0xe0 && p[1] < 0xa0) // overlong
            return 0;
        if (lead == 0xed && p[1] > 0x9f) // UTF-16 surrogates
            return 0;
        return 3;
    }
    if (lead >= 0xf0 && lead <= 0xf4) {
        if (left < 4 || !isContinuation(p[1]) || !isContinuation(p[2]) || !isContinuation(p[3]))
            return 0;
        if (lead == 0xf0 && p[1] < 0x90) // overlong
            return 0;
        if (lead == 0xf4 && p[1] > 0x8f) // beyond U+10FFFF
            return 0;
        return 4;
    }
    return 0;
}

bool isPlain(unsigned char byte)
{
    return byte >= 0x20 && byte < 0x80 && byte != '"' && byte != '\\';
}

} // namespace

void appendString(QByteArray &out, QByteArrayView utf8)
{
    const auto *p = reinterpret_cast<const unsigned char *>(utf8.data());
    const unsigned char *const end = p + utf8.size();
    out.reserve(out.size() + utf8.size() + utf8.size() / 16 + 2);
    out.append('"');

    while (p < end) {
        const unsigned char *run = p;
        while (p < end && isPlain(*p))
            ++p;
        if (p > run)
            out.append(reinterpret_cast<const char *>(run), p - run);
        if (p == end)
            break;

        const unsigned char byte = *p;
        if (byte >= 0x80) {
            const qsizetype length = validSequence(p, end);
            if (length > 0) {
                out.append(reinterpret_cast<const char *>(p), length);
                p += length;
            } else {
                out.append(Replacement, 3);
                ++p;
            }
            continue;
        }

        switch (byte) {
        case '"':
            out.append("\\\"", 2);
            break;
        case '\\':
            out.append("\\\\", 2);
            break;
        case '\n':
            out.append("\\n", 2);
            break;
        case '\r':
            out.append("\\r", 2);
            break;
        case '\t':
            out.append("\\t", 2);
            break;
        case '\b':
            out.append("\\b", 2);
            break;
        case '\f':
            out.append("\\f", 2);
            break;
        default: {
            const char escaped[] = {'\\', 'u', '0', '0', Hex[byte >> 4], Hex[byte & 0xf]};
            out.append(escaped, sizeof escaped);
        }
        }
        ++p;
    }
    out.append('"');
}

QByteArray quoted(QByteArrayView utf8)
{
    QByteArray out;
    appendString(out, utf8);
    return out;
}

} // namespace cic::json
