// SPDX-License-Identifier: GPL-3.0-or-later
// deck's log paging: each answer holds exactly the text the viewer has not been sent yet, so
// that deck, which appends every answer, shows the log once.

#include "core/logs/decklogpager.h"

#include <QTest>

using namespace cic;

namespace {

// What deck shows: the concatenation of every answer it received.
struct DeckTab
{
    DeckLogPager &pager;
    QString buildId;
    QByteArray shown;
    int received = 0;

    void poll(const QByteArray &log, qint64 nowMs)
    {
        const qint64 start = received == 0 ? -1 : received;
        const DeckLogPager::Slice slice = pager.page(buildId, start, log.size(), nowMs);
        shown += log.mid(slice.from, slice.to - slice.from);
        ++received;
    }
};

} // namespace

class TestDeckLogPager : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void answersOnlyTheNewPart_data();
    void answersOnlyTheNewPart();
    void twoTabsOnOneBuild();
    void askingAgainForALostAnswer();
    void unknownStartGetsTheWholeLog();
    void replacedLogStartsOver();
    void forgetAndIdle();
    void viewersAreBounded();
};

void TestDeckLogPager::answersOnlyTheNewPart_data()
{
    QTest::addColumn<QList<QByteArray>>("growth"); // what the log gains before each poll

    QTest::newRow("a chunk each second")
        << QList<QByteArray>{"started\n", "compile\n", "test\n", "done\n"};
    QTest::newRow("quiet seconds") << QList<QByteArray>{"a\n", "", "", "b\n", "", "c\n"};
    QTest::newRow("nothing yet") << QList<QByteArray>{"", "", "first\n"};
    QTest::newRow("a line in pieces") << QList<QByteArray>{"hal", "f a line", "\n"};
}

void TestDeckLogPager::answersOnlyTheNewPart()
{
    QFETCH(QList<QByteArray>, growth);

    DeckLogPager pager;
    DeckTab tab{pager, QStringLiteral("b-1")};
    QByteArray log;
    qint64 now = 1000;
    for (const QByteArray &part : std::as_const(growth)) {
        log += part;
        tab.poll(log, now += 1000);
        QCOMPARE(tab.shown, log);
    }
}

void TestDeckLogPager::twoTabsOnOneBuild()
{
    DeckLogPager pager;
    DeckTab first{pager, QStringLiteral("b-1")};
    DeckTab second{pager, QStringLiteral("b-1")};
    QByteArray log = "one\n";

    first.poll(log, 1000);
    log += "two\n";
    first.poll(log, 2000);
    log += "three\n";
    second.poll(log, 2500); // opens the tab later: the whole log
    first.poll(log, 3000);
    log += "four\n";
    second.poll(log, 3500);
    first.poll(log, 4000);

    QCOMPARE(first.shown, log);
    QCOMPARE(second.shown, log);
    QCOMPARE(pager.viewers(QStringLiteral("b-1")), 2);
}

void TestDeckLogPager::askingAgainForALostAnswer()
{
    DeckLogPager pager;
    QCOMPARE(pager.page(QStringLiteral("b"), -1, 4, 0), (DeckLogPager::Slice{0, 4}));
    QCOMPARE(pager.page(QStringLiteral("b"), 1, 9, 1000), (DeckLogPager::Slice{4, 9}));
    // The answer to start=1 never arrived; deck asks start=1 again and gets it all again.
    QCOMPARE(pager.page(QStringLiteral("b"), 1, 12, 2000), (DeckLogPager::Slice{4, 12}));
    QCOMPARE(pager.page(QStringLiteral("b"), 2, 15, 3000), (DeckLogPager::Slice{12, 15}));
    QCOMPARE(pager.viewers(QStringLiteral("b")), 1);
}

void TestDeckLogPager::unknownStartGetsTheWholeLog()
{
    DeckLogPager pager;
    // After a restart of the server, a tab that was open asks start=7 first.
    QCOMPARE(pager.page(QStringLiteral("b"), 7, 30, 0), (DeckLogPager::Slice{0, 30}));
    QCOMPARE(pager.page(QStringLiteral("b"), 8, 35, 1000), (DeckLogPager::Slice{30, 35}));
}

void TestDeckLogPager::replacedLogStartsOver()
{
    DeckLogPager pager;
    pager.page(QStringLiteral("b"), -1, 100, 0);
    // Shorter than what was sent: it is another log now.
    QCOMPARE(pager.page(QStringLiteral("b"), 1, 10, 1000), (DeckLogPager::Slice{0, 10}));
    QCOMPARE(pager.page(QStringLiteral("b"), 2, 14, 2000), (DeckLogPager::Slice{10, 14}));
}

void TestDeckLogPager::forgetAndIdle()
{
    DeckLogPager pager;
    pager.page(QStringLiteral("b"), -1, 10, 0);
    pager.forget({QStringLiteral("b")});
    QCOMPARE(pager.viewers(QStringLiteral("b")), 0);
    QCOMPARE(pager.page(QStringLiteral("b"), 1, 12, 100), (DeckLogPager::Slice{0, 12}));

    // A viewer idle for longer than IdleMs is gone; another one is then new.
    pager.page(QStringLiteral("c"), -1, 10, 0);
    QCOMPARE(pager.page(QStringLiteral("c"), 1, 12, DeckLogPager::IdleMs + 1),
             (DeckLogPager::Slice{0, 12}));
}

void TestDeckLogPager::viewersAreBounded()
{
    DeckLogPager pager;
    for (int i = 0; i < DeckLogPager::MaxViewersPerBuild + 5; ++i)
        pager.page(QStringLiteral("b"), -1, 10, i);
    QCOMPARE(pager.viewers(QStringLiteral("b")), DeckLogPager::MaxViewersPerBuild);

    for (int i = 0; i < DeckLogPager::MaxBuilds + 1; ++i)
        pager.page(QString::number(i), -1, 10, i);
    QVERIFY(pager.viewers(QString::number(DeckLogPager::MaxBuilds)) == 1);
    QCOMPARE(pager.viewers(QStringLiteral("0")), 0); // the oldest went
}

QTEST_GUILESS_MAIN(TestDeckLogPager)
#include "tst_decklogpager.moc"
