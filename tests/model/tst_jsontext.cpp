// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/util/jsontext.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace cic;

class TestJsonText : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void bytes_data();
    void bytes();
    void utf16_data();
    void utf16();
    void largeText();
};

namespace {

// What a JSON parser reads back from the literal.
QString readBack(const QByteArray &literal)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson("[" + literal + "]", &error);
    if (error.error != QJsonParseError::NoError)
        return QStringLiteral("<invalid JSON: %1>").arg(error.errorString());
    return document.array().at(0).toString();
}

} // namespace

void TestJsonText::bytes_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("literal");
    QTest::addColumn<QString>("text");

    QTest::newRow("plain") << QByteArray("hello") << QByteArray("\"hello\"") << "hello";
    QTest::newRow("empty") << QByteArray() << QByteArray("\"\"") << "";
    QTest::newRow("quote and backslash")
        << QByteArray("a\"b\\c") << QByteArray("\"a\\\"b\\\\c\"") << "a\"b\\c";
    QTest::newRow("line ends") << QByteArray("1\r\n2\t") << QByteArray("\"1\\r\\n2\\t\"")
                               << "1\r\n2\t";
    QTest::newRow("escape byte") << QByteArray("\x1b[0m") << QByteArray("\"\\u001b[0m\"")
                                 << QStringLiteral("\x1b[0m");
    QTest::newRow("NUL") << QByteArray("a\0b", 3) << QByteArray("\"a\\u0000b\"")
                         << QString::fromUtf16(u"a\u0000b", 3);
    QTest::newRow("UTF-8 kept") << QByteArray("caf\xc3\xa9 \xf0\x9f\x9a\x80")
                                << QByteArray("\"caf\xc3\xa9 \xf0\x9f\x9a\x80\"")
                                << QStringLiteral("café 🚀");
    QTest::newRow("stray byte") << QByteArray("a\xff"
                                              "b")
                                << QByteArray("\"a\xef\xbf\xbd"
                                              "b\"")
                                << QStringLiteral("a\ufffdb");
    QTest::newRow("cut sequence at the end")
        << QByteArray("a\xe2\x82") << QByteArray("\"a\xef\xbf\xbd\xef\xbf\xbd\"")
        << QStringLiteral("a\ufffd\ufffd");
    QTest::newRow("overlong slash")
        << QByteArray("\xc0\xaf") << QByteArray("\"\xef\xbf\xbd\xef\xbf\xbd\"")
        << QStringLiteral("\ufffd\ufffd");
    QTest::newRow("encoded surrogate")
        << QByteArray("\xed\xa0\x80") << QByteArray("\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"")
        << QStringLiteral("\ufffd\ufffd\ufffd");
}

void TestJsonText::bytes()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, literal);
    QFETCH(QString, text);

    QCOMPARE(json::quoted(input), literal);
    QCOMPARE(readBack(literal), text);
}

void TestJsonText::utf16_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("text");

    QTest::newRow("ASCII") << "plain"
                           << "plain";
    QTest::newRow("escapes") << "\"\\\n\x01"
                             << "\"\\\n\x01";
    QTest::newRow("two and three bytes") << "ÿ€中"
                                         << "ÿ€中";
    QTest::newRow("surrogate pair") << "🚀x"
                                    << "🚀x";
    QTest::newRow("lone high surrogate")
        << QString(QChar(0xd83d)) + QStringLiteral("x") << QStringLiteral("\ufffdx");
    QTest::newRow("lone low surrogate") << QString(QChar(0xde80)) << QStringLiteral("\ufffd");
}

void TestJsonText::utf16()
{
    QFETCH(QString, input);
    QFETCH(QString, text);

    QByteArray fromUtf16("prefix:");
    json::appendString(fromUtf16, QStringView(input));
    QVERIFY(fromUtf16.startsWith("prefix:\""));
    QCOMPARE(readBack(fromUtf16.mid(7)), text);
    // The two entry points agree where the input is valid.
    if (input == text)
        QCOMPARE(fromUtf16.mid(7), json::quoted(input.toUtf8()));
}

void TestJsonText::largeText()
{
    // A log of several megabytes with escapes throughout stays one valid string.
    QByteArray log;
    for (int i = 0; i < 150'000; ++i)
        log.append("\x1b[32mline ").append(QByteArray::number(i)).append("\x1b[0m \"ok\"\n");
    QVERIFY(log.size() > 3 * 1024 * 1024);
    const QString read = readBack(json::quoted(log));
    QCOMPARE(read.size(), QString::fromUtf8(log).size());
    QCOMPARE(read, QString::fromUtf8(log));
}

QTEST_GUILESS_MAIN(TestJsonText)
#include "tst_jsontext.moc"
