// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/service/sourceregistry.h"
#include "core/store/buildstore.h"
#include "fakeservice.h"
#include "ui/builddetails.h"
#include "ui/logview/logdocument.h"
#include "ui/logview/logpanel.h"
#include "ui/logview/logsearch.h"
#include "ui/logview/logview.h"
#include "ui/mainwindow.h"
#include "ui/models/buildfilterproxy.h"
#include "ui/models/buildtablemodel.h"
#include "ui/models/sourcetreemodel.h"

#include <QClipboard>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>
#include <QTextBrowser>
#include <QTreeView>
#include <QTreeWidget>

using namespace cic;
using cic::testing::FakeService;
using cic::testing::makeBuild;

namespace {

constexpr qint64 Hour = 3600 * 1000;
constexpr qint64 Base = 1790000000000;

QByteArray logOf(int lines, int failingLine)
{
    QByteArray log;
    for (int i = 0; i < lines; ++i) {
        if (i == failingLine)
            log += "\x1b[1;31mERROR\x1b[0m: compilation failed in Widget.kt\n";
        else
            log += "step " + QByteArray::number(i) + ": compiling module\n";
    }
    return log;
}

// A released build: a jar under the build's page, a docker image with its own address, and
// the pull request it came from.
BuildPtr withArtifacts(const BuildPtr &build)
{
    Build copy = *build;
    copy.url = QStringLiteral("https://ci.example.com/job/app/1/");
    BuildArtifact jar;
    jar.fileName = QStringLiteral("app-1.0.jar");
    jar.name = QStringLiteral("app");
    jar.version = QStringLiteral("1.0.1");
    jar.type = QStringLiteral("jar");
    jar.relativePath = QStringLiteral("build/libs/app-1.0.jar");
    BuildArtifact image;
    image.name = QStringLiteral("registry.example.com/app");
    image.type = QStringLiteral("docker");
    image.url = QStringLiteral("https://registry.example.com/app:1.0.1");
    copy.artifacts = {jar, image};
    copy.properties.insert(QStringLiteral("pullRequestUrl"),
                           QStringLiteral("https://git.example.com/app/pull/7"));
    copy.testResults = {TestSummary{2, 1, 40, {}}};
    copy.failedTests = {{QStringLiteral("LoginTest"), QStringLiteral("rejectsEmptyPassword"),
                         QStringLiteral("expected 401 but was 200")},
                        {QStringLiteral("LoginTest"), QStringLiteral("locksAfterThreeTries"),
                         QStringLiteral("timeout")}};
    return std::make_shared<const Build>(copy);
}

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("ci-companion-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_mainwindow"));
    }

    void init()
    {
        QSettings().clear();
        m_store = std::make_unique<BuildStore>();
        m_registry = std::make_unique<SourceRegistry>(m_store.get());
        m_service = new FakeService(QStringLiteral("ci"));
        m_service->setBuilds({
            withArtifacts(makeBuild("ci", "app", 1, BuildResult::Success, Base + 1 * Hour, "main",
                                    "Ada", "Add login")),
            makeBuild("ci", "app", 2, BuildResult::Failure, Base + 2 * Hour, "main", "Bob",
                      "Break login"),
            makeBuild("ci", "app", 3, BuildResult::Success, Base + 3 * Hour, "main", "Cy", "Run",
                      true),
            makeBuild("ci", "lib", 7, BuildResult::Success, Base + 4 * Hour, "main", "Dee", "Docs"),
            makeBuild("ci", "lib", 8, BuildResult::Unstable, Base + 5 * Hour, "dev", "Eve",
                      "Flaky"),
        });
        m_service->setLog(QStringLiteral("app-2"), logOf(500, 321));
        m_service->setLog(QStringLiteral("app-3"), "running step 1\nrunning step 2\n");
        m_registry->addSource(m_service);

        m_window = std::make_unique<MainWindow>(m_registry.get());
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        m_registry->refresh();
        QTRY_COMPARE(m_store->size(), 5);
    }

    void cleanup()
    {
        m_window.reset();
        m_registry.reset();
        m_store.reset();
    }

    void selectingASourceFillsTheTable_data()
    {
        QTest::addColumn<QString>("project");
        QTest::addColumn<int>("rows");
        QTest::newRow("source") << QString() << 5;
        QTest::newRow("app") << QStringLiteral("app") << 3;
        QTest::newRow("lib") << QStringLiteral("lib") << 2;
    }

    void selectingASourceFillsTheTable()
    {
        QFETCH(QString, project);
        QFETCH(int, rows);

        m_window->selectScope(QStringLiteral("ci"), project);
        QTableView *table = m_window->buildTable();
        QCOMPARE(table->model()->rowCount(), rows);
        // The newest build of the selection is shown.
        QVERIFY(table->currentIndex().isValid());
        QCOMPARE(table->currentIndex().row(), 0);
        QVERIFY(m_window->details()->build());
        QCOMPARE(m_window->details()->build()->id,
                 table->currentIndex().data(BuildTableModel::IdRole).toString());
    }

    void selectingABuildLoadsItsLog()
    {
        m_window->selectScope(QStringLiteral("ci"), QStringLiteral("app"));
        QVERIFY(m_window->selectBuild(QStringLiteral("app-2")));
        BuildDetails *details = m_window->details();
        QCOMPARE(details->build()->id, QStringLiteral("app-2"));
        QVERIFY(details->summary()->toPlainText().contains(QStringLiteral("Break login")));

        const int fetchesBefore = m_service->logFetches();
        details->setCurrentIndex(BuildDetails::LogTab);
        logview::LogDocument *document = details->logPanel()->document();
        QTRY_COMPARE(document->lineCount(), 500);
        QCOMPARE(m_service->logFetches(), fetchesBefore + 1);
        QCOMPARE(QString::fromUtf8(document->line(0)), QStringLiteral("step 0: compiling module"));
        // Drawn without its escapes.
        QCOMPARE(details->logPanel()->view()->styledLine(321).text,
                 QStringLiteral("ERROR: compilation failed in Widget.kt"));
        QVERIFY(!details->logPanel()->isFollowing());
    }

    void detailsTabs()
    {
        m_window->selectScope(QStringLiteral("ci"), QStringLiteral("app"));
        QVERIFY(m_window->selectBuild(QStringLiteral("app-1")));
        BuildDetails *details = m_window->details();

        // Summary: every field, with the pull request and the commit as links.
        const QString html = details->summary()->toHtml();
        QVERIFY(html.contains(QStringLiteral("https://git.example.com/app/pull/7")));
        QVERIFY(details->summary()->toPlainText().contains(QStringLiteral("Pull request")));
        QVERIFY(details->summary()->toPlainText().contains(QStringLiteral("Ada")));

        // Artifacts: a path under the build's page, or the artifact's own address.
        QTreeWidget *artifacts = details->artifacts();
        QCOMPARE(artifacts->topLevelItemCount(), 2);
        QCOMPARE(details->tabText(BuildDetails::ArtifactsTab), QStringLiteral("Artifacts (2)"));
        artifacts->setCurrentItem(artifacts->topLevelItem(0));
        QPushButton *copyLink = nullptr;
        for (QPushButton *button : details->findChildren<QPushButton *>()) {
            if (button->text() == QStringLiteral("Copy Link"))
                copyLink = button;
        }
        QVERIFY(copyLink && copyLink->isEnabled());
        copyLink->click();
        QCOMPARE(
            QApplication::clipboard()->text(),
            QStringLiteral("https://ci.example.com/job/app/1/artifact/build/libs/app-1.0.jar"));
        artifacts->setCurrentItem(artifacts->topLevelItem(1));
        copyLink->click();
        QCOMPARE(QApplication::clipboard()->text(),
                 QStringLiteral("https://registry.example.com/app:1.0.1"));

        // Tests: the counts and each failure the provider named.
        QCOMPARE(details->failedTests()->topLevelItemCount(), 2);
        QCOMPARE(details->failedTests()->topLevelItem(0)->text(1),
                 QStringLiteral("rejectsEmptyPassword"));
        QCOMPARE(details->tabText(BuildDetails::TestsTab), QStringLiteral("Tests (2 failed)"));

        // Changes: the revisions it built.
        QCOMPARE(details->changes()->topLevelItemCount(), 1);
        QCOMPARE(details->changes()->topLevelItem(0)->text(2), QStringLiteral("Ada"));
    }

    void searchFindsTheLine()
    {
        m_window->selectScope(QStringLiteral("ci"), QStringLiteral("app"));
        QVERIFY(m_window->selectBuild(QStringLiteral("app-2")));
        m_window->details()->setCurrentIndex(BuildDetails::LogTab);
        logview::LogPanel *panel = m_window->details()->logPanel();
        QTRY_COMPARE(panel->document()->lineCount(), 500);

        // Ctrl+F reaches the log's search field from anywhere in the window.
        m_window->buildTable()->setFocus();
        QTest::keyClick(m_window.get(), Qt::Key_F, Qt::ControlModifier);
        auto *field = qobject_cast<QLineEdit *>(QApplication::focusWidget());
        QVERIFY(field);
        QTest::keyClicks(field, QStringLiteral("module"));
        QTest::keyClick(field, Qt::Key_Return);
        QTRY_COMPARE(panel->search()->matchCount(), qint64(499));

        field->clear();
        QTest::keyClicks(field, QStringLiteral("compilation FAILED"));
        QTest::keyClick(field, Qt::Key_Return);
        QTRY_COMPARE(panel->search()->matchCount(), qint64(1));
        QTRY_COMPARE(panel->view()->currentMatchLine(), qsizetype(321));
        QVERIFY(panel->view()->firstVisibleLine() <= 321);
        QVERIFY(panel->view()->firstVisibleLine() + panel->view()->visibleLineCount() > 321);
    }

    void firstErrorJumps()
    {
        m_window->selectScope(QStringLiteral("ci"), QStringLiteral("app"));
        QVERIFY(m_window->selectBuild(QStringLiteral("app-2")));
        m_window->details()->setCurrentIndex(BuildDetails::LogTab);
        logview::LogPanel *panel = m_window->details()->logPanel();
        QTRY_COMPARE(panel->document()->lineCount(), 500);
        panel->jumpToFirstError();
        QTRY_COMPARE(panel->view()->markedLine(), qsizetype(321));
        QVERIFY(panel->view()->firstVisibleLine() > 200);
        QVERIFY(panel->view()->firstVisibleLine() <= 321);
    }

    void followModeAppends()
    {
        m_window->selectScope(QStringLiteral("ci"), QStringLiteral("app"));
        QVERIFY(m_window->selectBuild(QStringLiteral("app-3")));
        logview::LogPanel *panel = m_window->details()->logPanel();
        panel->setFollowInterval(20);
        m_window->details()->setCurrentIndex(BuildDetails::LogTab);
        QTRY_COMPARE(panel->document()->lineCount(), 2);
        QVERIFY(panel->isFollowing());

        QSignalSpy chunks(panel, &logview::LogPanel::followedChunk);
        m_service->appendLog(QStringLiteral("app-3"), "running step 3\nrunning st");
        QTRY_COMPARE(panel->document()->lineCount(), 4);
        m_service->appendLog(QStringLiteral("app-3"), "ep 4\n");
        QTRY_COMPARE(QString::fromUtf8(panel->document()->line(3)),
                     QStringLiteral("running step 4"));
        QCOMPARE(chunks.size(), 2);
        QCOMPARE(QString::fromUtf8(panel->document()->line(2)), QStringLiteral("running step 3"));
        QVERIFY(panel->view()->isAtEnd());

        // The build finishes: the last fetch says so and following stops.
        m_service->setBuilds({makeBuild("ci", "app", 3, BuildResult::Success, Base + 3 * Hour,
                                        "main", "Cy", "Run")});
        m_store->upsert({makeBuild("ci", "app", 3, BuildResult::Success, Base + 3 * Hour, "main",
                                   "Cy", "Run")});
        QTRY_VERIFY(!panel->isFollowing());
        QCOMPARE(panel->document()->lineCount(), 4);
    }

    void filterNarrowsTheTable()
    {
        m_window->selectScope(QStringLiteral("ci"), QString());
        QTest::keyClick(m_window.get(), Qt::Key_L, Qt::ControlModifier);
        QCOMPARE(QApplication::focusWidget(), m_window->filterField());
        QTest::keyClicks(m_window->filterField(), QStringLiteral("login"));
        QCOMPARE(m_window->buildTable()->model()->rowCount(), 2);
        m_window->filterField()->clear();
        QCOMPARE(m_window->buildTable()->model()->rowCount(), 5);
    }

    void selectionSurvivesARefresh()
    {
        m_window->selectScope(QStringLiteral("ci"), QStringLiteral("app"));
        QVERIFY(m_window->selectBuild(QStringLiteral("app-1")));
        m_registry->refresh();
        QTRY_COMPARE(m_registry->status(QStringLiteral("ci")).state, SourceStatus::State::Ok);
        QCOMPARE(m_window->details()->build()->id, QStringLiteral("app-1"));
        QCOMPARE(m_window->buildTable()->currentIndex().data(BuildTableModel::IdRole).toString(),
                 QStringLiteral("app-1"));
    }

    void selectionIsRestored()
    {
        m_window->selectScope(QStringLiteral("ci"), QStringLiteral("lib"));
        QVERIFY(m_window->selectBuild(QStringLiteral("lib-7")));
        m_window->close();
        m_window.reset();

        m_window = std::make_unique<MainWindow>(m_registry.get());
        m_window->show();
        const QModelIndex current = m_window->sourceTree()->currentIndex();
        QCOMPARE(current.data(SourceTreeModel::ProjectRole).toString(), QStringLiteral("lib"));
        QCOMPARE(m_window->details()->build()->id, QStringLiteral("lib-7"));
    }

    void refreshErrorShowsInline()
    {
        m_service->setFailure(QStringLiteral("connection refused"));
        QTest::keyClick(m_window.get(), Qt::Key_F5);
        const QModelIndex source = m_window->sourceTree()->model()->index(0, 0);
        QTRY_COMPARE(source.data(SourceTreeModel::ErrorRole).toString(),
                     QStringLiteral("connection refused"));
        // No dialog: the only top-level window is the main window.
        int visibleWindows = 0;
        for (QWidget *widget : QApplication::topLevelWidgets())
            visibleWindows
                += widget->isVisible() && widget->isWindow() && !widget->inherits("QMenu");
        QCOMPARE(visibleWindows, 1);
        // Its builds stay.
        QCOMPARE(m_store->size(), 5);
    }

    void aBreakIsNotified()
    {
        m_window->notificationPolicy().setRule(QStringLiteral("ci"), NotifyRule::BreaksAndFixes);
        QSignalSpy notified(m_window.get(), &MainWindow::notified);
        m_store->upsert({makeBuild("ci", "lib", 9, BuildResult::Failure, Base + 9 * Hour)});
        QCOMPARE(notified.size(), 1); // unstable, then failure
        QCOMPARE(notified.last().first().value<BuildNotification>().kind,
                 BuildNotification::Kind::Broken);
        m_store->upsert({makeBuild("ci", "lib", 10, BuildResult::Success, Base + 10 * Hour)});
        QCOMPARE(notified.size(), 2);
        const auto notification = notified.last().first().value<BuildNotification>();
        QCOMPARE(notification.kind, BuildNotification::Kind::Fixed);
        QCOMPARE(notification.buildId, QStringLiteral("lib-10"));

        // A source set to off stays quiet.
        m_window->notificationPolicy().setRule(QStringLiteral("ci"), NotifyRule::Off);
        m_store->upsert({makeBuild("ci", "lib", 11, BuildResult::Failure, Base + 11 * Hour)});
        QCOMPARE(notified.size(), 2);
    }

private:
    std::unique_ptr<BuildStore> m_store;
    std::unique_ptr<SourceRegistry> m_registry;
    FakeService *m_service = nullptr;
    std::unique_ptr<MainWindow> m_window;
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
