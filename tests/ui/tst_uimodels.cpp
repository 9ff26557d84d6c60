// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/service/sourceregistry.h"
#include "core/store/buildstore.h"
#include "fakeservice.h"
#include "ui/models/buildfilterproxy.h"
#include "ui/models/buildtablemodel.h"
#include "ui/models/requestlogmodel.h"
#include "ui/models/sourcetreemodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace cic;
using cic::testing::makeBuild;

namespace {

constexpr qint64 Hour = 3600 * 1000;
constexpr qint64 Base = 1790000000000;

// Two sources: alpha with projects app (5 builds) and lib (3), beta with tool (4).
BuildList alphaBuilds()
{
    return {
        makeBuild("alpha", "app", 1, BuildResult::Success, Base + 1 * Hour, "main", "Ada",
                  "Add login"),
        makeBuild("alpha", "app", 2, BuildResult::Failure, Base + 2 * Hour, "main", "Bob",
                  "Break login"),
        makeBuild("alpha", "app", 3, BuildResult::Success, Base + 3 * Hour, "feature/x", "Ada",
                  "Fix login"),
        makeBuild("alpha", "app", 4, BuildResult::Unstable, Base + 4 * Hour, "release/1.0", "Cy",
                  "Flaky test"),
        makeBuild("alpha", "app", 5, BuildResult::Success, Base + 9 * Hour, "main", "Bob",
                  "Ship it", true),
        makeBuild("alpha", "lib", 10, BuildResult::Aborted, Base + 5 * Hour, "main", "Cy",
                  "Cancel"),
        makeBuild("alpha", "lib", 11, BuildResult::Success, Base + 6 * Hour, "main", "Ada", "Docs"),
        makeBuild("alpha", "lib", 12, BuildResult::NotBuilt, Base + 7 * Hour, "feature/y", "Bob",
                  "Skip"),
    };
}

BuildList betaBuilds()
{
    return {
        makeBuild("beta", "tool", 100, BuildResult::Success, Base + 0 * Hour, "main", "Dee",
                  "Init"),
        makeBuild("beta", "tool", 101, BuildResult::Failure, Base + 8 * Hour, "main", "Dee",
                  "Oops"),
        makeBuild("beta", "tool", 102, BuildResult::Success, Base + 10 * Hour, "main", "Eve",
                  "Repair"),
        makeBuild("beta", "tool", 103, BuildResult::Success, Base + 11 * Hour, "feature/z", "Eve",
                  "Tidy"),
    };
}

QList<int> numbersOf(const QAbstractItemModel &model)
{
    QList<int> numbers;
    for (int row = 0; row < model.rowCount(); ++row)
        numbers.append(model.index(row, BuildTableModel::Number).data().toInt());
    return numbers;
}

} // namespace

class TestUiModels : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        m_store = std::make_unique<BuildStore>();
        m_store->replaceSource(QStringLiteral("alpha"), alphaBuilds());
        m_store->replaceSource(QStringLiteral("beta"), betaBuilds());
    }

    void scope_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("project");
        QTest::addColumn<QList<int>>("numbers");

        QTest::newRow("everything, newest first")
            << QString() << QString() << QList<int>{103, 102, 5, 101, 12, 11, 10, 4, 3, 2, 1, 100};
        QTest::newRow("one source")
            << QStringLiteral("alpha") << QString() << QList<int>{5, 12, 11, 10, 4, 3, 2, 1};
        QTest::newRow("one project")
            << QStringLiteral("alpha") << QStringLiteral("lib") << QList<int>{12, 11, 10};
        QTest::newRow("other source")
            << QStringLiteral("beta") << QStringLiteral("tool") << QList<int>{103, 102, 101, 100};
        QTest::newRow("unknown") << QStringLiteral("gamma") << QString() << QList<int>{};
    }

    void scope()
    {
        QFETCH(QString, source);
        QFETCH(QString, project);
        QFETCH(QList<int>, numbers);

        BuildTableModel model(m_store.get());
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setScope(source, project);
        QCOMPARE(numbersOf(model), numbers);
    }

    void columns()
    {
        BuildTableModel model(m_store.get());
        model.setNow(QDateTime::fromMSecsSinceEpoch(Base + 12 * Hour));
        model.setScope(QStringLiteral("alpha"), QStringLiteral("app"));
        const int row = model.rowOf(QStringLiteral("app-2"));
        QVERIFY(row >= 0);
        QCOMPARE(model.index(row, BuildTableModel::Result).data().toString(),
                 QStringLiteral("Failure"));
        QCOMPARE(model.index(row, BuildTableModel::Branch).data().toString(),
                 QStringLiteral("main"));
        QCOMPARE(model.index(row, BuildTableModel::Author).data().toString(),
                 QStringLiteral("Bob"));
        QCOMPARE(model.index(row, BuildTableModel::Message).data().toString(),
                 QStringLiteral("Break login"));
        QCOMPARE(model.index(row, BuildTableModel::Commit).data().toString().size(), 8);
        QCOMPARE(model.index(row, BuildTableModel::Started).data().toString(),
                 QStringLiteral("10 hours ago"));
        QCOMPARE(model.index(row, BuildTableModel::Duration).data().toString(),
                 QStringLiteral("1 min 2 s"));
        QVERIFY(
            !model.index(row, BuildTableModel::Started).data(Qt::ToolTipRole).toString().isEmpty());
        QVERIFY(!model.index(row, BuildTableModel::Result).data(Qt::DecorationRole).isNull());
        QCOMPARE(model.index(row, 0).data(BuildTableModel::BuildRole).value<BuildPtr>()->id,
                 QStringLiteral("app-2"));
    }

    void formatting_data()
    {
        QTest::addColumn<qint64>("agoMs");
        QTest::addColumn<QString>("expected");
        QTest::newRow("seconds") << qint64(20000) << QStringLiteral("just now");
        QTest::newRow("one minute") << qint64(61000) << QStringLiteral("1 minute ago");
        QTest::newRow("hours") << qint64(3 * Hour + 5) << QStringLiteral("3 hours ago");
        QTest::newRow("days") << qint64(50 * Hour) << QStringLiteral("2 days ago");
    }

    void formatting()
    {
        QFETCH(qint64, agoMs);
        QFETCH(QString, expected);
        QCOMPARE(BuildTableModel::formatRelative(Base, Base + agoMs), expected);
    }

    // A store change moves rows; it does not reset the model.
    void incrementalUpdates()
    {
        BuildTableModel model(m_store.get());
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setScope(QStringLiteral("alpha"), QString());
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

        // A new newest build appears on top.
        m_store->upsert({makeBuild("alpha", "app", 6, BuildResult::Success, Base + 20 * Hour)});
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(inserted.first().at(1).toInt(), 0);
        QCOMPARE(numbersOf(model).first(), 6);

        // A running build finishes: its row changes in place.
        m_store->upsert({makeBuild("alpha", "app", 5, BuildResult::Failure, Base + 9 * Hour)});
        QCOMPARE(changed.size(), 1);
        const int row = model.rowOf(QStringLiteral("app-5"));
        QCOMPARE(model.index(row, BuildTableModel::Result).data().toString(),
                 QStringLiteral("Failure"));

        // A build of another source does not touch this scope.
        m_store->upsert({makeBuild("beta", "tool", 104, BuildResult::Success, Base + 30 * Hour)});
        QCOMPARE(inserted.size(), 1);

        // A refresh that drops one build and keeps the rest removes exactly one row.
        BuildList refreshed = alphaBuilds();
        refreshed.removeAt(0);
        refreshed.append(makeBuild("alpha", "app", 6, BuildResult::Success, Base + 20 * Hour));
        refreshed[3] = makeBuild("alpha", "app", 5, BuildResult::Failure, Base + 9 * Hour);
        m_store->replaceSource(QStringLiteral("alpha"), refreshed);
        QCOMPARE(removed.size(), 1);
        QCOMPARE(resets.size(), 0);
        QCOMPARE(numbersOf(model), (QList<int>{6, 5, 12, 11, 10, 4, 3, 2}));
        QCOMPARE(model.rowOf(QStringLiteral("app-1")), -1);
        QCOMPARE(model.rowOf(QStringLiteral("app-3")), 6);
    }

    // A running build's "so far" is repainted every second, and only its column.
    void runningDurationsTick()
    {
        BuildTableModel model(m_store.get());
        model.setScope(QStringLiteral("alpha"), QString());
        const int running = model.rowOf(QStringLiteral("app-5"));
        QVERIFY(running >= 0);
        QVERIFY(model.index(running, BuildTableModel::Duration).data().toString().endsWith(
            QStringLiteral("so far")));

        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QTRY_VERIFY_WITH_TIMEOUT(!changed.isEmpty(), 3000);
        const QModelIndex first = changed.first().at(0).toModelIndex();
        const QModelIndex last = changed.first().at(1).toModelIndex();
        QCOMPARE(first.column(), int(BuildTableModel::Duration));
        QCOMPARE(last.column(), int(BuildTableModel::Duration));
        QVERIFY(first.row() <= running && running <= last.row());
    }

    void filter_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<uint>("results");
        QTest::addColumn<QString>("branch");
        QTest::addColumn<bool>("running");
        QTest::addColumn<QList<int>>("numbers");

        QTest::newRow("nothing") << QString() << uint(AnyResult) << QString() << false
                                 << QList<int>{103, 102, 5, 101, 12, 11, 10, 4, 3, 2, 1, 100};
        QTest::newRow("word in message") << QStringLiteral("login") << uint(AnyResult) << QString()
                                         << false << QList<int>{3, 2, 1};
        QTest::newRow("two words") << QStringLiteral("LOGIN ada") << uint(AnyResult) << QString()
                                   << false << QList<int>{3, 1};
        QTest::newRow("build number")
            << QStringLiteral("101") << uint(AnyResult) << QString() << false << QList<int>{101};
        QTest::newRow("author") << QStringLiteral("eve") << uint(AnyResult) << QString() << false
                                << QList<int>{103, 102};
        QTest::newRow("failures") << QString() << uint(resultBit(BuildResult::Failure)) << QString()
                                  << false << QList<int>{101, 2};
        QTest::newRow("failed or unstable")
            << QString() << uint(resultBit(BuildResult::Failure) | resultBit(BuildResult::Unstable))
            << QString() << false << QList<int>{101, 4, 2};
        QTest::newRow("branch") << QString() << uint(AnyResult) << QStringLiteral("feature/x")
                                << false << QList<int>{3};
        QTest::newRow("running only")
            << QString() << uint(AnyResult) << QString() << true << QList<int>{5};
        QTest::newRow("combined") << QStringLiteral("ada") << uint(resultBit(BuildResult::Success))
                                  << QStringLiteral("main") << false << QList<int>{11, 1};
        QTest::newRow("no match") << QStringLiteral("zzz") << uint(AnyResult) << QString() << false
                                  << QList<int>{};
    }

    void filter()
    {
        QFETCH(QString, text);
        QFETCH(uint, results);
        QFETCH(QString, branch);
        QFETCH(bool, running);
        QFETCH(QList<int>, numbers);

        BuildTableModel model(m_store.get());
        BuildFilterProxy proxy;
        proxy.setBuildModel(&model);
        QAbstractItemModelTester tester(&proxy,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setText(text);
        proxy.setResults(results);
        proxy.setBranch(branch);
        proxy.setRunningOnly(running);
        QCOMPARE(numbersOf(proxy), numbers);
    }

    void sort_data()
    {
        QTest::addColumn<int>("column");
        QTest::addColumn<int>("order");
        QTest::addColumn<QList<int>>("numbers");

        QTest::newRow("number ascending")
            << int(BuildTableModel::Number) << int(Qt::AscendingOrder) << QList<int>{10, 11, 12};
        QTest::newRow("number descending")
            << int(BuildTableModel::Number) << int(Qt::DescendingOrder) << QList<int>{12, 11, 10};
        // igor's order: SUCCESS < ABORTED < NOT_BUILT.
        QTest::newRow("result") << int(BuildTableModel::Result) << int(Qt::AscendingOrder)
                                << QList<int>{11, 10, 12};
        // Within one branch, newest first.
        QTest::newRow("branch then age")
            << int(BuildTableModel::Branch) << int(Qt::AscendingOrder) << QList<int>{12, 11, 10};
        QTest::newRow("branch descending then age")
            << int(BuildTableModel::Branch) << int(Qt::DescendingOrder) << QList<int>{11, 10, 12};
        QTest::newRow("started") << int(BuildTableModel::Started) << int(Qt::AscendingOrder)
                                 << QList<int>{10, 11, 12};
        QTest::newRow("duration descending")
            << int(BuildTableModel::Duration) << int(Qt::DescendingOrder) << QList<int>{12, 11, 10};
    }

    void sort()
    {
        QFETCH(int, column);
        QFETCH(int, order);
        QFETCH(QList<int>, numbers);

        BuildTableModel model(m_store.get());
        model.setScope(QStringLiteral("alpha"), QStringLiteral("lib"));
        BuildFilterProxy proxy;
        proxy.setBuildModel(&model);
        QAbstractItemModelTester tester(&proxy,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.sort(column, Qt::SortOrder(order));
        QCOMPARE(numbersOf(proxy), numbers);
    }

    void sortedProxyFollowsInserts()
    {
        BuildTableModel model(m_store.get());
        model.setScope(QStringLiteral("alpha"), QStringLiteral("lib"));
        BuildFilterProxy proxy;
        proxy.setBuildModel(&model);
        QAbstractItemModelTester tester(&proxy,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.sort(BuildTableModel::Number, Qt::AscendingOrder);
        proxy.setResults(resultBit(BuildResult::Success));
        m_store->upsert({makeBuild("alpha", "lib", 9, BuildResult::Success, Base + 30 * Hour),
                         makeBuild("alpha", "lib", 13, BuildResult::Failure, Base + 31 * Hour)});
        QCOMPARE(numbersOf(proxy), (QList<int>{9, 11}));
    }

    void sourceTree()
    {
        BuildStore store;
        SourceRegistry registry(&store);
        auto *alpha = new testing::FakeService(QStringLiteral("alpha"));
        alpha->setBuilds(alphaBuilds());
        auto *beta = new testing::FakeService(QStringLiteral("beta"));
        beta->setBuilds(betaBuilds());
        beta->setFailure(QStringLiteral("401 Unauthorized: check the token"));
        registry.addSource(alpha);
        registry.addSource(beta);

        SourceTreeModel model(&registry);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 2);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        registry.refresh();

        const QModelIndex alphaIndex = model.sourceIndex(QStringLiteral("alpha"));
        const QModelIndex betaIndex = model.sourceIndex(QStringLiteral("beta"));
        QTRY_COMPARE(model.rowCount(alphaIndex), 2);
        QCOMPARE(inserted.size(), 2); // app and lib, added without a reset
        QCOMPARE(alphaIndex.data(SourceTreeModel::BuildCountRole).toLongLong(), 8);
        QCOMPARE(alphaIndex.data(SourceTreeModel::RunningCountRole).toLongLong(), 1);
        QCOMPARE(alphaIndex.data(SourceTreeModel::StateRole).toInt(), int(SourceStatus::State::Ok));

        const QModelIndex app = model.projectIndex(QStringLiteral("alpha"), QStringLiteral("app"));
        QCOMPARE(app.data().toString(), QStringLiteral("app"));
        QCOMPARE(app.parent(), alphaIndex);
        QCOMPARE(app.data(SourceTreeModel::BuildCountRole).toLongLong(), 5);
        QCOMPARE(app.data(SourceTreeModel::LastResultRole).toInt(), int(BuildResult::Building));
        const QModelIndex lib = model.projectIndex(QStringLiteral("alpha"), QStringLiteral("lib"));
        QCOMPARE(lib.data(SourceTreeModel::LastResultRole).toInt(), int(BuildResult::NotBuilt));

        QCOMPARE(model.rowCount(betaIndex), 0);
        QCOMPARE(betaIndex.data(SourceTreeModel::StateRole).toInt(),
                 int(SourceStatus::State::Failed));
        QCOMPARE(betaIndex.data(SourceTreeModel::ErrorRole).toString(),
                 QStringLiteral("401 Unauthorized: check the token"));

        // The source recovers: its project appears under it, the error goes.
        beta->setFailure({});
        registry.refresh(QStringLiteral("beta"));
        QTRY_COMPARE(model.rowCount(betaIndex), 1);
        QCOMPARE(betaIndex.data(SourceTreeModel::ErrorRole).toString(), QString());
        QCOMPARE(model.index(0, 0, betaIndex).data().toString(), QStringLiteral("tool"));

        // A project disappears from a refresh.
        BuildList fewer = alphaBuilds().mid(0, 5);
        alpha->setBuilds(fewer);
        registry.refresh(QStringLiteral("alpha"));
        QTRY_COMPARE(model.rowCount(alphaIndex), 1);
        QCOMPARE(alphaIndex.data(SourceTreeModel::BuildCountRole).toLongLong(), 5);

        registry.removeSource(QStringLiteral("beta"));
        QCOMPARE(model.rowCount(), 1);
    }

    void requestLog_data()
    {
        QTest::addColumn<int>("capacity");
        QTest::addColumn<int>("added");
        QTest::addColumn<int>("rows");
        QTest::newRow("under the cap") << 10 << 3 << 3;
        QTest::newRow("at the cap") << 5 << 5 << 5;
        QTest::newRow("over the cap") << 4 << 9 << 4;
    }

    void requestLog()
    {
        QFETCH(int, capacity);
        QFETCH(int, added);
        QFETCH(int, rows);

        RequestLogModel model(capacity);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        for (int i = 0; i < added; ++i)
            model.add({QStringLiteral("GET"), QStringLiteral("/builds/%1").arg(i),
                       i % 2 ? 404 : 200, i, QDateTime::currentDateTimeUtc()});
        QCOMPARE(model.rowCount(), rows);
        // Newest first; the oldest fell off.
        QCOMPARE(model.index(0, RequestLogModel::Path).data().toString(),
                 QStringLiteral("/builds/%1").arg(added - 1));
        QCOMPARE(model.index(rows - 1, RequestLogModel::Path).data().toString(),
                 QStringLiteral("/builds/%1").arg(added - rows));
        QCOMPARE(model.index(0, RequestLogModel::Method).data().toString(), QStringLiteral("GET"));
        QCOMPARE(model.index(0, RequestLogModel::Status).data().toInt(),
                 (added - 1) % 2 ? 404 : 200);

        model.setCapacity(1);
        QCOMPARE(model.rowCount(), 1);
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

private:
    std::unique_ptr<BuildStore> m_store;
};

QTEST_MAIN(TestUiModels)
#include "tst_uimodels.moc"
