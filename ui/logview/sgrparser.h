// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>
#include <QStringView>

namespace cic::logview {

// A colour as a log line asked for it: the terminal default, one of the 256 indexed colours
// (0-15 are the theme's, 16-255 the xterm cube and grey ramp), or a 24-bit colour.
struct SgrColor
{
    enum class Kind : quint8 { Default, Indexed, Rgb };

    Kind kind = Kind::Default;
    quint32 value = 0; // the index, or 0xRRGGBB

    static SgrColor indexed(int index) { return {Kind::Indexed, quint32(index)}; }
    static SgrColor rgb(int r, int g, int b)
    {
        return {Kind::Rgb,
                (quint32(r & 0xff) << 16) | (quint32(g & 0xff) << 8) | quint32(b & 0xff)};
    }
    bool isDefault() const { return kind == Kind::Default; }
    bool operator==(const SgrColor &) const = default;
};

struct SgrStyle
{
    SgrColor foreground;
    SgrColor background;
    bool bold = false;
    bool faint = false;
    bool italic = false;
    bool underline = false;
    bool inverse = false;
    bool strikeOut = false;

    bool isPlain() const { return *this == SgrStyle{}; }
    bool operator==(const SgrStyle &) const = default;
};

// A run of text drawn in one style; positions are in the line's visible text.
struct StyledSpan
{
    int start = 0;
    int length = 0;
    SgrStyle style;

    bool operator==(const StyledSpan &) const = default;
};

// One log line with its escape sequences taken out: the text a person sees, and the styles
// its SGR sequences gave to parts of it. Plain runs have no span.
struct StyledLine
{
    QString text;
    QList<StyledSpan> spans;
};

// Parses one line. Every line starts in the default style: a viewer that lays out only the
// visible lines cannot carry state from the top of a million-line log, and CI tools reset
// at the end of each line in practice. SGR sequences (colours 16, 256 and truecolor, bold,
// faint, italic, underline, inverse, strike-out, resets) are applied; every other escape
// (cursor moves, OSC titles and links, character sets) is hidden. A carriage return in the
// middle of a line keeps what follows it, as a terminal shows a progress line.
StyledLine parseSgrLine(QStringView line);

// Applies the parameters of one SGR sequence (what stands between ESC[ and m) to a style.
void applySgr(QStringView parameters, SgrStyle &style);

// The xterm colour of an index in 16..255 (the 6x6x6 cube and the grey ramp), as 0xRRGGBB.
quint32 xtermColor(int index);

} // namespace cic::logview
