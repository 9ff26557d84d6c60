// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/logview/logdocument.h"
#include "ui/logview/logview.h"

#include <QApplication>
#include <QClipboard>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTest>

using namespace cic::logview;

namespace {

QByteArray numberedLog(int lines)
{
    QByteArray log;
    for (int i = 0; i < lines; ++i)
        log += "\x1b[32mline\x1b[0m " + QByteArray::number(i) + "\n";
    return log;
}

} // namespace

class TestLogView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        m_document = std::make_unique<LogDocument>();
        m_view = std::make_unique<LogView>();
        m_view->setDocument(m_document.get());
        m_view->resize(600, 300);
        m_view->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
    }

    void cleanup()
    {
        m_view.reset();
        m_document.reset();
    }

    void paintsOnlyWhatIsVisible()
    {
        QSignalSpy painted(m_view.get(), &LogView::painted);
        m_document->setData(numberedLog(10000));
        QTRY_VERIFY(!painted.isEmpty());
        const qsizetype drawn = painted.last().first().value<qsizetype>();
        QVERIFY(drawn > 1);
        QVERIFY(drawn <= m_view->visibleLineCount() + 1);
        QCOMPARE(m_view->styledLine(0).text, QStringLiteral("line 0"));
    }

    void selectWithTheMouseAndCopy()
    {
        m_document->setData(numberedLog(50));
        QTest::qWait(0);
        const QFontMetrics metrics(m_view->font());
        const int lineHeight = metrics.lineSpacing();
        QWidget *viewport = m_view->viewport();
        // From the start of line 2 to the middle of line 3's text ("line 3": after "li").
        const QPoint from(viewport->width() - 1, lineHeight * 2 + lineHeight / 2);
        QTest::mousePress(viewport, Qt::LeftButton, {}, QPoint(60, lineHeight + lineHeight / 2));
        QTest::mouseMove(viewport, from);
        QTest::mouseRelease(viewport, Qt::LeftButton, {}, from);
        QVERIFY(m_view->hasSelection());
        const QString selected = m_view->selectedText();
        QVERIFY2(selected.endsWith(QStringLiteral("\nline 2")), qPrintable(selected));
        QVERIFY(!selected.contains(QChar(0x1b)));

        QTest::keyClick(m_view.get(), Qt::Key_C, Qt::ControlModifier);
        QCOMPARE(QApplication::clipboard()->text(), selected);

        QTest::keyClick(m_view.get(), Qt::Key_A, Qt::ControlModifier);
        QCOMPARE(m_view->selectedText().count(QLatin1Char('\n')), 49);
        QVERIFY(m_view->selectedText().startsWith(QStringLiteral("line 0\nline 1\n")));
    }

    void wrapChangesOnlyTheLayout()
    {
        QByteArray log = numberedLog(100);
        log += QByteArray(3000, 'x') + "\n";
        m_document->setData(log);
        QScrollBar *vertical = m_view->verticalScrollBar();
        const int page = m_view->viewport()->height() / QFontMetrics(m_view->font()).lineSpacing();
        QCOMPARE(vertical->maximum(), 101 - page);
        QVERIFY(m_view->horizontalScrollBar()->maximum() > 0);

        m_view->setWordWrap(true);
        QCOMPARE(vertical->maximum(), 100); // any line may be the top one
        QCOMPARE(m_view->horizontalScrollBar()->maximum(), 0);
        QCOMPARE(m_document->lineCount(), 101); // the lines are the same lines
        m_view->scrollToEnd();
        QVERIFY(m_view->isAtEnd());
        QVERIFY(m_view->firstVisibleLine() > 90); // the long line fills several rows
        m_view->setWordWrap(false);
        QCOMPARE(vertical->maximum(), 101 - page);
    }

    void veryLongLinesAreCut()
    {
        m_document->setData(QByteArray(LogView::MaxDrawnChars * 3, 'a') + "\nshort\n");
        const QString drawn = m_view->styledLine(0).text;
        QVERIFY(drawn.size() < LogView::MaxDrawnChars + 100);
        QVERIFY(drawn.contains(QStringLiteral("line cut")));
        QCOMPARE(m_view->styledLine(1).text, QStringLiteral("short"));
    }

    void followingStaysAtTheEnd()
    {
        m_document->setData(numberedLog(200));
        m_view->scrollToEnd();
        QVERIFY(m_view->isAtEnd());
        m_view->showLine(0);
        QCOMPARE(m_view->firstVisibleLine(), 0);
        QVERIFY(!m_view->isAtEnd());
    }

private:
    std::unique_ptr<LogDocument> m_document;
    std::unique_ptr<LogView> m_view;
};

QTEST_MAIN(TestLogView)
#include "tst_logview.moc"
