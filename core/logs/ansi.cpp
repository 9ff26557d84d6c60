// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/logs/ansi.h"

namespace cic::ansi {

namespace {
constexpr char Esc = '\x1b';
constexpr char Bel = '\x07';
} // namespace

bool hasEscapes(const QByteArray &text)
{
    return text.contains(Esc);
}

QByteArray strip(const QByteArray &text)
{
    if (!hasEscapes(text))
        return text;

    QByteArray out;
    out.reserve(text.size());
    const char *p = text.constData();
    const char *const end = p + text.size();

    while (p < end) {
        if (*p != Esc) {
            out.append(*p++);
            continue;
        }

        ++p;
        if (p == end)
            break;

        if (*p == '[') {
            // CSI: parameter and intermediate bytes, then one final byte in 0x40..0x7e.
            ++p;
            while (p < end && !(*p >= 0x40 && *p <= 0x7e))
                ++p;
            if (p < end)
                ++p;
        } else if (*p == ']' || *p == 'P' || *p == '_' || *p == '^') {
            // OSC and the other string commands end with BEL or ESC backslash.
            ++p;
            while (p < end && *p != Bel && !(*p == Esc && p + 1 < end && p[1] == '\\'))
                ++p;
            if (p < end)
                p += *p == Bel ? 1 : 2;
        } else if (*p >= 0x20 && *p <= 0x2f) {
            // nF sequences such as character-set selection: intermediates, then a final byte.
            while (p < end && *p >= 0x20 && *p <= 0x2f)
                ++p;
            if (p < end)
                ++p;
        } else {
            ++p; // a two-byte sequence such as ESC 7 or ESC =
        }
    }
    return out;
}

} // namespace cic::ansi
