// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/logview/sgrparser.h"

#include <QVarLengthArray>

namespace cic::logview {

namespace {

constexpr char16_t Esc = 0x1b;
constexpr char16_t Bel = 0x07;

// The numbers of a parameter string; an empty field counts as 0, as terminals read it.
// Colons (ITU T.416 sub-parameters) separate like semicolons; colonForm says which was used.
QVarLengthArray<int, 16> parseNumbers(QStringView parameters, bool *colonForm)
{
    QVarLengthArray<int, 16> numbers;
    int current = 0;
    bool any = false;
    *colonForm = false;
    for (QChar c : parameters) {
        if (c.isDigit()) {
            current = qMin(current * 10 + c.digitValue(), 1 << 20);
            any = true;
        } else if (c == u';' || c == u':') {
            *colonForm = *colonForm || c == u':';
            numbers.append(current);
            current = 0;
            any = true;
        }
    }
    if (any || numbers.isEmpty())
        numbers.append(current);
    return numbers;
}

// Reads an extended colour (38/48 followed by 5;n or 2;r;g;b) at numbers[i], which is the 38
// or 48; returns how many numbers it used after it.
int readExtendedColor(const QVarLengthArray<int, 16> &numbers, int i, bool colonForm,
                      SgrColor *color)
{
    if (i + 1 >= numbers.size())
        return 0;

    const int mode = numbers[i + 1];
    if (mode == 5) {
        if (i + 2 >= numbers.size())
            return 1;
        *color = SgrColor::indexed(qBound(0, numbers[i + 2], 255));
        return 2;
    }
    if (mode == 2) {
        // 38:2:<colour space>:r:g:b carries one more field than 38;2;r;g;b.
        const int first = colonForm && i + 5 < numbers.size() ? i + 3 : i + 2;
        if (first + 2 >= numbers.size())
            return int(numbers.size()) - i - 1;
        *color = SgrColor::rgb(numbers[first], numbers[first + 1], numbers[first + 2]);
        return first + 2 - i;
    }
    return 1;
}

// Where the escape sequence starting at text[i] (an ESC) ends, one past its last character.
qsizetype skipEscape(QStringView text, qsizetype i, QStringView *csiParameters, QChar *csiFinal)
{
    const qsizetype size = text.size();
    qsizetype p = i + 1;
    if (p >= size)
        return size;

    const QChar kind = text[p];
    if (kind == u'[') {
        const qsizetype start = ++p;
        while (p < size && !(text[p].unicode() >= 0x40 && text[p].unicode() <= 0x7e))
            ++p;
        if (p >= size)
            return size;
        *csiParameters = text.mid(start, p - start);
        *csiFinal = text[p];
        return p + 1;
    }
    if (kind == u']' || kind == u'P' || kind == u'_' || kind == u'^') {
        ++p;
        while (p < size && text[p] != Bel
               && !(text[p] == Esc && p + 1 < size && text[p + 1] == u'\\'))
            ++p;
        if (p >= size)
            return size;
        return text[p] == Bel ? p + 1 : p + 2;
    }
    if (kind.unicode() >= 0x20 && kind.unicode() <= 0x2f) {
        while (p < size && text[p].unicode() >= 0x20 && text[p].unicode() <= 0x2f)
            ++p;
        return qMin(size, p + 1);
    }
    return p + 1;
}

} // namespace

quint32 xtermColor(int index)
{
    if (index < 16 || index > 255)
        return 0;
    if (index >= 232) {
        const quint32 level = quint32(8 + (index - 232) * 10);
        return (level << 16) | (level << 8) | level;
    }
    const int cube = index - 16;
    auto level = [](int step) { return quint32(step == 0 ? 0 : 55 + step * 40); };
    return (level(cube / 36) << 16) | (level((cube / 6) % 6) << 8) | level(cube % 6);
}

void applySgr(QStringView parameters, SgrStyle &style)
{
    bool colonForm = false;
    const QVarLengthArray<int, 16> numbers = parseNumbers(parameters, &colonForm);

    for (int i = 0; i < numbers.size(); ++i) {
        const int code = numbers[i];
        switch (code) {
        case 0:
            style = SgrStyle{};
            break;
        case 1:
            style.bold = true;
            break;
        case 2:
            style.faint = true;
            break;
        case 3:
            style.italic = true;
            break;
        case 4:
        case 21:
            style.underline = true;
            break;
        case 7:
            style.inverse = true;
            break;
        case 9:
            style.strikeOut = true;
            break;
        case 22:
            style.bold = style.faint = false;
            break;
        case 23:
            style.italic = false;
            break;
        case 24:
            style.underline = false;
            break;
        case 27:
            style.inverse = false;
            break;
        case 29:
            style.strikeOut = false;
            break;
        case 38:
            i += readExtendedColor(numbers, i, colonForm, &style.foreground);
            break;
        case 39:
            style.foreground = {};
            break;
        case 48:
            i += readExtendedColor(numbers, i, colonForm, &style.background);
            break;
        case 49:
            style.background = {};
            break;
        default:
            if (code >= 30 && code <= 37)
                style.foreground = SgrColor::indexed(code - 30);
            else if (code >= 40 && code <= 47)
                style.background = SgrColor::indexed(code - 40);
            else if (code >= 90 && code <= 97)
                style.foreground = SgrColor::indexed(code - 90 + 8);
            else if (code >= 100 && code <= 107)
                style.background = SgrColor::indexed(code - 100 + 8);
            break; // blink, fonts and the rest are not drawn
        }
    }
}

StyledLine parseSgrLine(QStringView line)
{
    StyledLine out;
    const qsizetype size = line.size();
    if (!line.contains(Esc) && !line.contains(u'\r')) {
        out.text = line.toString();
        return out;
    }

    out.text.reserve(size);
    SgrStyle style;
    qsizetype runStart = 0; // where the text in the current style began, in out.text

    auto closeRun = [&] {
        const qsizetype length = out.text.size() - runStart;
        if (length > 0 && !style.isPlain()) {
            if (!out.spans.isEmpty() && out.spans.last().style == style
                && out.spans.last().start + out.spans.last().length == runStart)
                out.spans.last().length += int(length);
            else
                out.spans.append({int(runStart), int(length), style});
        }
        runStart = out.text.size();
    };

    qsizetype i = 0;
    while (i < size) {
        const QChar c = line[i];
        if (c == Esc) {
            QStringView parameters;
            QChar final;
            const qsizetype next = skipEscape(line, i, &parameters, &final);
            if (final == u'm') {
                closeRun();
                applySgr(parameters, style);
            }
            i = next;
            continue;
        }
        if (c == u'\r') {
            // A terminal returns to the start of the line; what follows overwrites it.
            if (i + 1 < size) {
                out.text.clear();
                out.spans.clear();
                runStart = 0;
            }
            ++i;
            continue;
        }

        qsizetype end = i + 1;
        while (end < size && line[end] != Esc && line[end] != u'\r')
            ++end;
        out.text.append(line.mid(i, end - i));
        i = end;
    }
    closeRun();
    return out;
}

} // namespace cic::logview
