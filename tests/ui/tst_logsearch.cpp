// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/logview/logdocument.h"
#include "ui/logview/logsearch.h"

#include <QSignalSpy>
#include <QTest>

using namespace cic::logview;

Q_DECLARE_METATYPE(std::vector<cic::logview::SearchHit>)

class TestLogSearch : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void bytePattern_data()
    {
        QTest::addColumn<QByteArray>("haystack");
        QTest::addColumn<QByteArray>("needle");
        QTest::addColumn<bool>("caseSensitive");
        QTest::addColumn<qint64>("expected");

        QTest::newRow("start") << QByteArray("abcdef") << QByteArray("abc") << true << qint64(0);
        QTest::newRow("end") << QByteArray("abcdef") << QByteArray("def") << true << qint64(3);
        QTest::newRow("missing") << QByteArray("abcdef") << QByteArray("xyz") << true << qint64(-1);
        QTest::newRow("case differs")
            << QByteArray("Build FAILED") << QByteArray("failed") << true << qint64(-1);
        QTest::newRow("ignoring case")
            << QByteArray("Build FAILED") << QByteArray("failed") << false << qint64(6);
        QTest::newRow("one byte") << QByteArray("xyz") << QByteArray("z") << true << qint64(2);
        QTest::newRow("one byte folded")
            << QByteArray("xyZ") << QByteArray("z") << false << qint64(2);
        QTest::newRow("repeats") << QByteArray("aaab") << QByteArray("aab") << true << qint64(1);
        QTest::newRow("longer than hay")
            << QByteArray("ab") << QByteArray("abc") << true << qint64(-1);
        QTest::newRow("utf-8 bytes")
            << QByteArray("grün ok") << QByteArray("ün") << true << qint64(2);
    }

    void bytePattern()
    {
        QFETCH(QByteArray, haystack);
        QFETCH(QByteArray, needle);
        QFETCH(bool, caseSensitive);
        QFETCH(qint64, expected);
        const BytePattern pattern(needle, caseSensitive);
        QCOMPARE(pattern.find(haystack.constData(), 0, haystack.size()), expected);
    }

    void search_data()
    {
        QTest::addColumn<QByteArray>("log");
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<bool>("caseSensitive");
        QTest::addColumn<QList<qsizetype>>("lines");
        QTest::addColumn<qint64>("matches");

        const QByteArray log = "starting\n"
                               "error: one\n"
                               "fine\n"
                               "ERROR twice error\n"
                               "\x1b[31merror\x1b[0m in colour\n"
                               "last line error";
        QTest::newRow("ignoring case")
            << log << QStringLiteral("error") << false << QList<qsizetype>{1, 3, 4, 5} << qint64(5);
        QTest::newRow("case sensitive")
            << log << QStringLiteral("ERROR") << true << QList<qsizetype>{3} << qint64(1);
        QTest::newRow("nothing") << log << QStringLiteral("absent") << false << QList<qsizetype>{}
                                 << qint64(0);
        QTest::newRow("escape text is not matched")
            << log << QStringLiteral("31m") << false << QList<qsizetype>{} << qint64(0);
        QTest::newRow("across a colour change")
            << QByteArray("x\na\x1b[1mb\x1b[0mc\n") << QStringLiteral("abc") << false
            << QList<qsizetype>{1} << qint64(1);
        QTest::newRow("overwritten by carriage return")
            << QByteArray("needle\rgone\nneedle\r\n") << QStringLiteral("needle") << false
            << QList<qsizetype>{1} << qint64(1);
        QTest::newRow("non-overlapping") << QByteArray("aaaa\n") << QStringLiteral("aa") << false
                                         << QList<qsizetype>{0} << qint64(2);
        QTest::newRow("crlf") << QByteArray("x\r\nfound\r\n") << QStringLiteral("found") << false
                              << QList<qsizetype>{1} << qint64(1);
    }

    void search()
    {
        QFETCH(QByteArray, log);
        QFETCH(QString, pattern);
        QFETCH(bool, caseSensitive);
        QFETCH(QList<qsizetype>, lines);
        QFETCH(qint64, matches);

        LogDocument document;
        document.setData(log);
        LogSearch search(&document);
        QSignalSpy finished(&search, &LogSearch::finished);
        search.start(pattern, caseSensitive ? Qt::CaseSensitive : Qt::CaseInsensitive);
        QTRY_VERIFY(finished.size() >= 1);

        QList<qsizetype> found;
        for (const SearchHit &hit : search.hits())
            found.append(hit.line);
        QCOMPARE(found, lines);
        QCOMPARE(search.matchCount(), matches);
    }

    // A big log is searched in the background: the count grows, then the last match is found.
    void backgroundSearch()
    {
        QByteArray log;
        const int lines = 300000;
        for (int i = 0; i < lines; ++i) {
            log += "step " + QByteArray::number(i);
            log += i % 1000 == 7 ? " needle here\n" : " nothing to see\n";
        }
        LogDocument document;
        QSignalSpy indexed(&document, &LogDocument::indexingFinished);
        document.setData(log);
        LogSearch search(&document);
        QSignalSpy finished(&search, &LogSearch::finished);
        QSignalSpy progress(&search, &LogSearch::resultsChanged);
        search.start(QStringLiteral("NEEDLE"));
        QVERIFY(search.isRunning());
        QVERIFY(finished.wait(20000));
        QCOMPARE(search.matchCount(), qint64(lines / 1000));
        QCOMPARE(search.hits().back().line, qsizetype(lines - 1000 + 7));
        QVERIFY(progress.size() >= 2);

        qsizetype hit = -1;
        int occurrence = -1;
        QVERIFY(search.matchAt(search.matchCount() - 1, &hit, &occurrence));
        QCOMPARE(search.hits()[size_t(hit)].line, qsizetype(lines - 1000 + 7));
        QCOMPARE(search.firstMatchFrom(8), qint64(1));
        QCOMPARE(search.firstMatchFrom(lines), qint64(0)); // wraps
    }

    void appendedLinesAreSearched()
    {
        LogDocument document;
        document.setData("one match\nnone\n");
        LogSearch search(&document);
        search.start(QStringLiteral("match"));
        QCOMPARE(search.matchCount(), 1);

        document.append("second match\npartial mat");
        QCOMPARE(search.matchCount(), 2);
        document.append("ch completes\n");
        QCOMPARE(search.matchCount(), 3);
        QCOMPARE(search.hits().back().line, qsizetype(3));
    }

    void firstError_data()
    {
        QTest::addColumn<QByteArray>("log");
        QTest::addColumn<qsizetype>("expected");

        QTest::newRow("none") << QByteArray("all\ngood\n0 errors\n") << qsizetype(-1);
        QTest::newRow("word error")
            << QByteArray("ok\nfatal: no\nsrc.c:1: error: boom\n") << qsizetype(2);
        QTest::newRow("errors plural is not")
            << QByteArray("3 errors\n-Werror\nError: x\n") << qsizetype(2);
        QTest::newRow("FAILED") << QByteArray("a\nBUILD FAILED\n") << qsizetype(1);
        QTest::newRow("failed lower is not") << QByteArray("nothing failed\n") << qsizetype(-1);
        QTest::newRow("exception name")
            << QByteArray("x\njava.lang.IllegalStateException: no\n") << qsizetype(1);
        QTest::newRow("earliest wins") << QByteArray("a\nFATAL one\nerror two\n") << qsizetype(1);
        QTest::newRow("coloured ERROR")
            << QByteArray("ok\n\x1b[1;31mERROR\x1b[0m: no\n") << qsizetype(1);
        QTest::newRow("traceback")
            << QByteArray("Traceback (most recent call last):\n") << qsizetype(0);
    }

    void firstError()
    {
        QFETCH(QByteArray, log);
        QFETCH(qsizetype, expected);
        LogDocument document;
        document.setData(log);
        QCOMPARE(findFirstErrorLine(document, 0), expected);
    }
};

QTEST_GUILESS_MAIN(TestLogSearch)
#include "tst_logsearch.moc"
