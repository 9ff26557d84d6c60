// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/logview/sgrparser.h"

#include <QTest>

using namespace cic::logview;

Q_DECLARE_METATYPE(cic::logview::SgrStyle)

namespace {

// The line with each ^ turned into ESC, and \a into BEL, so the rows read like the bytes.
QString e(const char *text)
{
    QString line = QString::fromUtf8(text);
    line.replace(QLatin1Char('^'), QChar(0x1b));
    line.replace(QLatin1Char('\a'), QChar(0x07));
    return line;
}

SgrStyle style(std::initializer_list<std::function<void(SgrStyle &)>> changes)
{
    SgrStyle s;
    for (const auto &change : changes)
        change(s);
    return s;
}

auto fg(int index)
{
    return [index](SgrStyle &s) { s.foreground = SgrColor::indexed(index); };
}
auto bg(int index)
{
    return [index](SgrStyle &s) { s.background = SgrColor::indexed(index); };
}
auto fgRgb(int r, int g, int b)
{
    return [=](SgrStyle &s) { s.foreground = SgrColor::rgb(r, g, b); };
}
auto bgRgb(int r, int g, int b)
{
    return [=](SgrStyle &s) { s.background = SgrColor::rgb(r, g, b); };
}
const auto bold = [](SgrStyle &s) { s.bold = true; };
const auto faint = [](SgrStyle &s) { s.faint = true; };
const auto italic = [](SgrStyle &s) { s.italic = true; };
const auto underline = [](SgrStyle &s) { s.underline = true; };
const auto inverse = [](SgrStyle &s) { s.inverse = true; };

} // namespace

class TestSgrParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void applySgr_data()
    {
        QTest::addColumn<QString>("parameters");
        QTest::addColumn<SgrStyle>("expected");

        QTest::newRow("empty is reset") << QString() << SgrStyle{};
        QTest::newRow("0 resets") << QStringLiteral("1;31;0") << SgrStyle{};
        QTest::newRow("red") << QStringLiteral("31") << style({fg(1)});
        QTest::newRow("bold green") << QStringLiteral("1;32") << style({bold, fg(2)});
        QTest::newRow("bright fg") << QStringLiteral("94") << style({fg(12)});
        QTest::newRow("bright bg") << QStringLiteral("101") << style({bg(9)});
        QTest::newRow("bg yellow") << QStringLiteral("43") << style({bg(3)});
        QTest::newRow("256 fg") << QStringLiteral("38;5;208") << style({fg(208)});
        QTest::newRow("256 bg") << QStringLiteral("48;5;17") << style({bg(17)});
        QTest::newRow("256 out of range") << QStringLiteral("38;5;300") << style({fg(255)});
        QTest::newRow("truecolor fg")
            << QStringLiteral("38;2;10;20;30") << style({fgRgb(10, 20, 30)});
        QTest::newRow("truecolor bg then bold")
            << QStringLiteral("48;2;1;2;3;1") << style({bgRgb(1, 2, 3), bold});
        QTest::newRow("colon truecolor with space id")
            << QStringLiteral("38:2::10:20:30") << style({fgRgb(10, 20, 30)});
        QTest::newRow("colon 256") << QStringLiteral("38:5:99") << style({fg(99)});
        QTest::newRow("faint italic underline")
            << QStringLiteral("2;3;4") << style({faint, italic, underline});
        QTest::newRow("22 clears bold and faint") << QStringLiteral("1;2;22") << SgrStyle{};
        QTest::newRow("23 24 clear") << QStringLiteral("3;4;23;24") << SgrStyle{};
        QTest::newRow("39 default fg keeps bg") << QStringLiteral("31;42;39") << style({bg(2)});
        QTest::newRow("49 default bg keeps fg") << QStringLiteral("31;42;49") << style({fg(1)});
        QTest::newRow("inverse") << QStringLiteral("7") << style({inverse});
        QTest::newRow("unknown codes ignored") << QStringLiteral("5;31;53") << style({fg(1)});
        QTest::newRow("truncated 38") << QStringLiteral("38") << SgrStyle{};
        QTest::newRow("truncated 38;2;1") << QStringLiteral("38;2;1") << SgrStyle{};
    }

    void applySgr()
    {
        QFETCH(QString, parameters);
        QFETCH(SgrStyle, expected);
        SgrStyle actual;
        cic::logview::applySgr(parameters, actual);
        QCOMPARE(actual, expected);
    }

    void parseLine_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("spans");
        QTest::addColumn<int>("firstStart");
        QTest::addColumn<int>("firstLength");

        QTest::newRow("plain") << e("hello") << e("hello") << 0 << -1 << -1;
        QTest::newRow("coloured word") << e("^[31mred^[0m rest") << e("red rest") << 1 << 0 << 3;
        QTest::newRow("colour mid-line") << e("a ^[1;32mok^[m.") << e("a ok.") << 1 << 2 << 2;
        QTest::newRow("cursor moves hidden") << e("x^[2K^[1Gy") << e("xy") << 0 << -1 << -1;
        QTest::newRow("osc title hidden") << e("^]0;title\atext") << e("text") << 0 << -1 << -1;
        QTest::newRow("osc link with ST")
            << e("^]8;;http://x^\\link^]8;;^\\") << e("link") << 0 << -1 << -1;
        QTest::newRow("charset select hidden") << e("^(Babc") << e("abc") << 0 << -1 << -1;
        QTest::newRow("carriage return overwrites")
            << e("10%\r50%\r100% done") << e("100% done") << 0 << -1 << -1;
        QTest::newRow("trailing escape cut") << e("abc^[3") << e("abc") << 0 << -1 << -1;
        QTest::newRow("adjacent same style merges") << e("^[31ma^[31mb") << e("ab") << 1 << 0 << 2;
        QTest::newRow("style switch makes two spans")
            << e("^[31ma^[32mb") << e("ab") << 2 << 0 << 1;
    }

    void parseLine()
    {
        QFETCH(QString, line);
        QFETCH(QString, text);
        QFETCH(int, spans);
        QFETCH(int, firstStart);
        QFETCH(int, firstLength);

        const StyledLine parsed = parseSgrLine(line);
        QCOMPARE(parsed.text, text);
        QCOMPARE(parsed.spans.size(), spans);
        if (spans > 0) {
            QCOMPARE(parsed.spans.first().start, firstStart);
            QCOMPARE(parsed.spans.first().length, firstLength);
        }
    }

    void spanStyles()
    {
        const StyledLine parsed
            = parseSgrLine(e("^[1;38;2;255;0;0mERROR^[0m: ^[4;38;5;33mfile.c^[24m:12"));
        QCOMPARE(parsed.text, QStringLiteral("ERROR: file.c:12"));
        QCOMPARE(parsed.spans.size(), 3);
        QCOMPARE(parsed.spans[0].style, style({bold, fgRgb(255, 0, 0)}));
        QCOMPARE(parsed.spans[1].start, 7);
        QCOMPARE(parsed.spans[1].style, style({underline, fg(33)}));
        QCOMPARE(parsed.spans[2].start, 13);
        QCOMPARE(parsed.spans[2].length, 3);
        QCOMPARE(parsed.spans[2].style, style({fg(33)}));
    }

    void xtermColours_data()
    {
        QTest::addColumn<int>("index");
        QTest::addColumn<uint>("rgb");
        QTest::newRow("cube black") << 16 << 0x000000u;
        QTest::newRow("cube white") << 231 << 0xffffffu;
        QTest::newRow("cube 208 orange") << 208 << 0xff8700u;
        QTest::newRow("grey first") << 232 << 0x080808u;
        QTest::newRow("grey last") << 255 << 0xeeeeeeu;
    }

    void xtermColours()
    {
        QFETCH(int, index);
        QFETCH(uint, rgb);
        QCOMPARE(xtermColor(index), quint32(rgb));
    }
};

QTEST_GUILESS_MAIN(TestSgrParser)
#include "tst_sgrparser.moc"
