// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/util/jsontext.h"

#include <QChar>

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

void appendString(QByteArray &out, QStringView text)
{
    // Room for the worst case (\u00XX is six bytes for one UTF-16 unit), trimmed at the end.
    const qsizetype start = out.size();
    out.resize(start + text.size() * 6 + 2);
    char *p = out.data() + start;
    *p++ = '"';

    const qsizetype size = text.size();
    for (qsizetype i = 0; i < size; ++i) {
        const char16_t c = text[i].unicode();
        if (c < 0x80) {
            if (isPlain(static_cast<unsigned char>(c))) {
                *p++ = char(c);
                continue;
            }
            *p++ = '\\';
            switch (c) {
            case u'"':
                *p++ = '"';
                break;
            case u'\\':
                *p++ = '\\';
                break;
            case u'\n':
                *p++ = 'n';
                break;
            case u'\r':
                *p++ = 'r';
                break;
            case u'\t':
                *p++ = 't';
                break;
            case u'\b':
                *p++ = 'b';
                break;
            case u'\f':
                *p++ = 'f';
                break;
            default:
                *p++ = 'u';
                *p++ = '0';
                *p++ = '0';
                *p++ = Hex[c >> 4];
                *p++ = Hex[c & 0xf];
            }
            continue;
        }
        if (c < 0x800) {
            *p++ = char(0xc0 | (c >> 6));
            *p++ = char(0x80 | (c & 0x3f));
            continue;
        }
        if (QChar::isHighSurrogate(c) && i + 1 < size
            && QChar::isLowSurrogate(text[i + 1].unicode())) {
            const char32_t code = QChar::surrogateToUcs4(c, text[++i].unicode());
            *p++ = char(0xf0 | (code >> 18));
            *p++ = char(0x80 | ((code >> 12) & 0x3f));
            *p++ = char(0x80 | ((code >> 6) & 0x3f));
            *p++ = char(0x80 | (code & 0x3f));
            continue;
        }
        if (QChar::isSurrogate(c)) {
            *p++ = Replacement[0];
            *p++ = Replacement[1];
            *p++ = Replacement[2];
            continue;
        }
        *p++ = char(0xe0 | (c >> 12));
        *p++ = char(0x80 | ((c >> 6) & 0x3f));
        *p++ = char(0x80 | (c & 0x3f));
    }
    *p++ = '"';
    out.resize(p - out.constData());
}

QByteArray quoted(QByteArrayView utf8)
{
    QByteArray out;
    appendString(out, utf8);
    return out;
}

} // namespace cic::json
