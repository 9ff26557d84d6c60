// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/logview/lineindex.h"
#include "ui/logview/logdocument.h"

#include <QSignalSpy>
#include <QTemporaryFile>
#include <QTest>

using namespace cic::logview;

namespace {

QStringList linesOf(const LogDocument &document)
{
    QStringList lines;
    for (qsizetype i = 0; i < document.lineCount(); ++i)
        lines.append(QString::fromUtf8(document.line(i)));
    return lines;
}

// A log big enough to be indexed in the background, with a known line at a known place.
QByteArray bigLog(int lines)
{
    QByteArray bytes;
    bytes.reserve(qsizetype(lines) * 48);
    for (int i = 0; i < lines; ++i)
        bytes += "line " + QByteArray::number(i) + " of the big log, some padding\n";
    return bytes;
}

} // namespace

class TestLogDocument : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void lines_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QStringList>("expected");

        QTest::newRow("empty") << QByteArray() << QStringList();
        QTest::newRow("one line, no newline") << QByteArray("abc") << QStringList{"abc"};
        QTest::newRow("one line with newline") << QByteArray("abc\n") << QStringList{"abc"};
        QTest::newRow("just a newline") << QByteArray("\n") << QStringList{""};
        QTest::newRow("two newlines") << QByteArray("\n\n") << QStringList{"", ""};
        QTest::newRow("no trailing newline") << QByteArray("a\nb") << QStringList{"a", "b"};
        QTest::newRow("empty lines inside")
            << QByteArray("a\n\n\nb\n") << QStringList{"a", "", "", "b"};
        QTest::newRow("crlf") << QByteArray("a\r\nb\r\n") << QStringList{"a", "b"};
        QTest::newRow("crlf, no trailing") << QByteArray("a\r\nb") << QStringList{"a", "b"};
        QTest::newRow("crlf empty lines") << QByteArray("\r\n\r\nx") << QStringList{"", "", "x"};
        QTest::newRow("lone cr stays") << QByteArray("a\rb\n") << QStringList{"a\rb"};
        QTest::newRow("utf-8") << QByteArray("grün\nÿ\n") << QStringList{"grün", "ÿ"};
    }

    void lines()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QStringList, expected);

        LogDocument document;
        document.setData(bytes);
        QCOMPARE(linesOf(document), expected);
        QCOMPARE(document.size(), bytes.size());
        QVERIFY(!document.isIndexing());
    }

    // Appending in pieces gives the same lines as loading at once, wherever the pieces split.
    void appendSplits_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::newRow("lf") << QByteArray("first\nsecond line\n\nfourth\nlast");
        QTest::newRow("crlf") << QByteArray("a\r\nbb\r\n\r\nccc\r\n");
        QTest::newRow("newlines only") << QByteArray("\n\n\n");
    }

    void appendSplits()
    {
        QFETCH(QByteArray, bytes);
        LogDocument whole;
        whole.setData(bytes);

        for (qsizetype split = 0; split <= bytes.size(); ++split) {
            LogDocument pieces;
            QSignalSpy changed(&pieces, &LogDocument::linesChanged);
            pieces.setData(bytes.left(split));
            pieces.append(bytes.mid(split));
            QCOMPARE(linesOf(pieces), linesOf(whole));
            QCOMPARE(changed.size(), split < bytes.size() ? 1 : 0);
        }
    }

    void appendReportsGrownLastLine()
    {
        LogDocument document;
        document.setData("one\ntw");
        QSignalSpy changed(&document, &LogDocument::linesChanged);
        document.append("o\nthree\n");
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.first().first().value<qsizetype>(), qsizetype(1)); // "tw" grew
        QCOMPARE(linesOf(document), (QStringList{"one", "two", "three"}));
    }

    void lineAtOffset()
    {
        LogDocument document;
        document.setData("ab\ncd\n\nef");
        QCOMPARE(document.lineAtOffset(0), 0);
        QCOMPARE(document.lineAtOffset(2), 0); // the newline belongs to its line
        QCOMPARE(document.lineAtOffset(3), 1);
        QCOMPARE(document.lineAtOffset(6), 2);
        QCOMPARE(document.lineAtOffset(7), 3);
        QCOMPARE(document.lineAtOffset(100), 3);
    }

    void longestLine()
    {
        LogDocument document;
        document.setData("ab\nabcdef\nabc");
        QCOMPARE(document.longestLine(), 6);
        document.append("defghij");
        QCOMPARE(document.longestLine(), 10);
    }

    // A big log is indexed in the background; lines arrive in batches before it finishes.
    void backgroundIndex()
    {
        const QByteArray bytes = bigLog(200000);
        LogDocument document;
        QSignalSpy finished(&document, &LogDocument::indexingFinished);
        QSignalSpy changed(&document, &LogDocument::linesChanged);
        document.setData(bytes);
        QVERIFY(document.isIndexing());
        QVERIFY(finished.wait(10000));
        QVERIFY(changed.size() >= 2); // more than one batch
        QCOMPARE(document.lineCount(), 200000);
        QCOMPARE(document.line(0), QByteArrayView("line 0 of the big log, some padding"));
        QCOMPARE(document.line(123456), QByteArrayView("line 123456 of the big log, some padding"));
        QCOMPARE(document.line(199999), QByteArrayView("line 199999 of the big log, some padding"));
    }

    void appendWhileIndexingWaits()
    {
        LogDocument document;
        QSignalSpy finished(&document, &LogDocument::indexingFinished);
        document.setData(bigLog(100000));
        document.append("tail line\n");
        QVERIFY(finished.wait(10000));
        QCOMPARE(document.lineCount(), 100001);
        QCOMPARE(document.line(100000), QByteArrayView("tail line"));
    }

    void appendWhileReadingWaits()
    {
        LogDocument document;
        document.setData("a\n");
        const quint64 token = document.beginRead();
        document.append("b\n");
        QCOMPARE(document.lineCount(), 1);
        document.endRead(token);
        QCOMPARE(document.lineCount(), 2);

        // A read of an earlier content ends with it.
        const quint64 stale = document.beginRead();
        document.setData("new\n");
        document.append("more\n");
        QCOMPARE(document.lineCount(), 2);
        document.endRead(stale);
        QCOMPARE(document.lineCount(), 2);
    }

    void loadFile_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::newRow("small crlf") << QByteArray("x\r\ny\r\n\r\nz");
        QTest::newRow("big") << bigLog(150000);
        QTest::newRow("empty") << QByteArray();
    }

    void loadFile()
    {
        QFETCH(QByteArray, bytes);
        QTemporaryFile file;
        QVERIFY(file.open());
        file.write(bytes);
        file.flush();

        LogDocument expected;
        expected.setData(bytes);
        QSignalSpy expectedDone(&expected, &LogDocument::indexingFinished);
        if (expected.isIndexing())
            QVERIFY(expectedDone.wait(10000));

        LogDocument document;
        QSignalSpy finished(&document, &LogDocument::indexingFinished);
        QVERIFY(document.loadFile(file.fileName()));
        QVERIFY(finished.wait(10000));
        QCOMPARE(document.size(), bytes.size());
        QCOMPARE(document.lineCount(), expected.lineCount());
        QCOMPARE(linesOf(document), linesOf(expected));
        QVERIFY(!document.loadFile(file.fileName() + QStringLiteral(".missing")));
    }

    void memoryStaysNearFileSize()
    {
        const QByteArray bytes = bigLog(100000);
        LogDocument document;
        QSignalSpy finished(&document, &LogDocument::indexingFinished);
        document.setData(bytes);
        QVERIFY(finished.wait(10000));
        // The bytes are shared with the caller, not copied; the index holds 4 bytes a line,
        // plus the slack of its growth.
        QCOMPARE(document.memoryBytes() - document.index().memoryBytes(), bytes.capacity());
        QVERIFY2(document.index().memoryBytes() <= 100001 * 4 * 2,
                 QByteArray::number(document.index().memoryBytes()).constData());
    }

    void lineIndexWidens()
    {
        LineIndex index;
        index.append(0);
        index.append(100);
        index.append(qint64(5) << 30); // past 4 GiB
        QCOMPARE(index.size(), 3);
        QCOMPARE(index.at(1), 100);
        QCOMPARE(index.at(2), qint64(5) << 30);
        QCOMPARE(index.entryAt(99), 0);
        QCOMPARE(index.entryAt(100), 1);
        QCOMPARE(index.entryAt((qint64(5) << 30) + 1), 2);
    }
};

QTEST_GUILESS_MAIN(TestLogDocument)
#include "tst_logdocument.moc"
