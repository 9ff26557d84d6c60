// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/mainwindow.h"

#include "core/service/sourceregistry.h"
#include "core/store/buildstore.h"
#include "ui/builddetails.h"
#include "ui/buildsview.h"
#include "ui/icons.h"
#include "ui/logview/logpanel.h"
#include "ui/models/buildfilterproxy.h"
#include "ui/models/buildtablemodel.h"
#include "ui/models/sourcetreemodel.h"
#include "ui/servercontrol.h"
#include "ui/serverview.h"
#include "ui/settingsdialog.h"
#include "ui/sourcedelegate.h"
#include "ui/text.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCheckBox>
#include <QCloseEvent>
#include <QComboBox>
#include <QDockWidget>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLoggingCategory>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QSystemTrayIcon>
#include <QTableView>
#include <QToolBar>
#include <QTreeView>
#include <QVBoxLayout>

namespace cic {

namespace {
Q_LOGGING_CATEGORY(lcWindow, "cicompanion.ui.window")

constexpr int SpinnerIntervalMs = 80;
constexpr int DefaultRefreshSeconds = 60;

struct ResultChoice
{
    const char *label;
    ResultSet results;
};

const ResultChoice ResultChoices[] = {
    {QT_TRANSLATE_NOOP("cic::MainWindow", "All results"), AnyResult},
    {QT_TRANSLATE_NOOP("cic::MainWindow", "Success"), resultBit(BuildResult::Success)},
    {QT_TRANSLATE_NOOP("cic::MainWindow", "Unstable"), resultBit(BuildResult::Unstable)},
    {QT_TRANSLATE_NOOP("cic::MainWindow", "Failure"), resultBit(BuildResult::Failure)},
    {QT_TRANSLATE_NOOP("cic::MainWindow", "Not successful"),
     resultBit(BuildResult::Failure) | resultBit(BuildResult::Unstable)
         | resultBit(BuildResult::Aborted)},
    {QT_TRANSLATE_NOOP("cic::MainWindow", "Aborted"), resultBit(BuildResult::Aborted)},
    {QT_TRANSLATE_NOOP("cic::MainWindow", "Not built"), resultBit(BuildResult::NotBuilt)},
    {QT_TRANSLATE_NOOP("cic::MainWindow", "Running"), resultBit(BuildResult::Building)},
};

} // namespace

MainWindow::MainWindow(SourceRegistry *registry, QWidget *parent)
    : QMainWindow(parent)
    , m_registry(registry)
    , m_sourceModel(new SourceTreeModel(registry, this))
    , m_buildModel(new BuildTableModel(registry->store(), this))
    , m_proxy(new BuildFilterProxy(this))
    , m_sourceDelegate(new SourceDelegate(this))
{
    setWindowTitle(tr("CI Companion"));
    setWindowIcon(icons::named(QStringLiteral("app")));
    m_proxy->setBuildModel(m_buildModel);

    // Sources on the left.
    m_sourceTree = new QTreeView(this);
    m_sourceTree->setModel(m_sourceModel);
    m_sourceTree->setItemDelegate(m_sourceDelegate);
    m_sourceTree->setHeaderHidden(true);
    m_sourceTree->setUniformRowHeights(false);
    m_sourceTree->setContextMenuPolicy(Qt::CustomContextMenu);
    m_sourceTree->setMinimumWidth(180);
    m_sourceTree->setExpandsOnDoubleClick(true);

    // The builds table with its filter bar.
    auto *buildsPane = new QWidget(this);
    auto *buildsLayout = new QVBoxLayout(buildsPane);
    buildsLayout->setContentsMargins(0, 0, 0, 0);
    buildsLayout->setSpacing(2);
    buildFilterBar(buildsPane, buildsLayout);

    m_table = createBuildsView(m_proxy, buildsPane);
    buildsLayout->addWidget(m_table, 1);

    m_details = new BuildDetails(registry, this);

    m_rightSplitter = new QSplitter(Qt::Vertical, this);
    m_rightSplitter->addWidget(buildsPane);
    m_rightSplitter->addWidget(m_details);
    m_rightSplitter->setStretchFactor(0, 3);
    m_rightSplitter->setStretchFactor(1, 2);
    m_rightSplitter->setChildrenCollapsible(false);

    m_mainSplitter = new QSplitter(Qt::Horizontal, this);
    m_mainSplitter->addWidget(m_sourceTree);
    m_mainSplitter->addWidget(m_rightSplitter);
    m_mainSplitter->setStretchFactor(1, 1);
    m_mainSplitter->setSizes({300, 1000});
    setCentralWidget(m_mainSplitter);

    // The embedded server.
    m_serverView = new ServerView(this);
    m_serverDock = new QDockWidget(tr("Server"), this);
    m_serverDock->setObjectName(QStringLiteral("serverDock"));
    m_serverDock->setWidget(m_serverView);
    addDockWidget(Qt::BottomDockWidgetArea, m_serverDock);
    m_serverDock->hide();

    // Status bar: refresh progress and the server's address.
    m_refreshLabel = new QLabel(this);
    m_refreshProgress = new QProgressBar(this);
    m_refreshProgress->setMaximumWidth(140);
    m_refreshProgress->setMaximumHeight(14);
    m_refreshProgress->setTextVisible(false);
    m_refreshProgress->hide();
    m_serverStatus = new QLabel(this);
    m_serverStatus->setTextInteractionFlags(Qt::TextBrowserInteraction);
    m_serverStatus->setOpenExternalLinks(true);
    statusBar()->addPermanentWidget(m_refreshLabel);
    statusBar()->addPermanentWidget(m_refreshProgress);
    statusBar()->addPermanentWidget(m_serverStatus);

    buildActions();

    connect(m_sourceTree->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &MainWindow::onSourceSelected);
    connect(m_sourceTree, &QTreeView::customContextMenuRequested, this,
            &MainWindow::showSourceMenu);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &MainWindow::onBuildSelected);
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, &MainWindow::updateCount);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, &MainWindow::updateCount);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &MainWindow::updateCount);
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, &MainWindow::updateCount);
    connect(m_buildModel, &QAbstractItemModel::modelReset, this, [this] {
        updateBranches();
        tryRestoreSelection();
    });
    connect(m_sourceModel, &QAbstractItemModel::modelReset, this, [this] {
        m_sourceTree->expandAll();
        tryRestoreSelection();
    });
    connect(m_sourceModel, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex &parent) {
                if (!parent.isValid())
                    m_sourceTree->expandAll();
            });
    connect(registry->store(), &BuildStore::changed, this, &MainWindow::onStoreChanged);
    connect(registry, &SourceRegistry::statusChanged, this, &MainWindow::onStatusChanged);

    m_spinnerTimer.setInterval(SpinnerIntervalMs);
    connect(&m_spinnerTimer, &QTimer::timeout, this, [this] {
        m_sourceDelegate->advanceSpinner();
        m_sourceTree->viewport()->update();
    });
    connect(&m_watchTimer, &QTimer::timeout, this, &MainWindow::refreshWatched);

    QSettings settings;
    setRefreshInterval(
        settings.value(QStringLiteral("refresh/intervalSeconds"), DefaultRefreshSeconds).toInt());
    for (CiBuildService *source : registry->sources()) {
        m_policy.setRule(
            source->name(),
            notifyRuleFromString(
                settings.value(QStringLiteral("notifications/%1").arg(source->name())).toString()));
    }
    // What the store already holds is history, not news.
    m_policy.observe(registry->store()->query({}), QDateTime::currentMSecsSinceEpoch());

    m_sourceTree->expandAll();
    setupTray();
    updateServerStatus();
    updateCount();
    restoreState();
}

MainWindow::~MainWindow() = default;

void MainWindow::buildFilterBar(QWidget *parent, QVBoxLayout *layout)
{
    m_filterText = new QLineEdit(parent);
    m_filterText->setPlaceholderText(
        tr("Filter: number, branch, commit, author, message (Ctrl+L)"));
    m_filterText->setClearButtonEnabled(true);

    m_resultFilter = new QComboBox(parent);
    for (const ResultChoice &choice : ResultChoices)
        m_resultFilter->addItem(tr(choice.label), choice.results);
    m_resultFilter->setItemIcon(1, icons::result(BuildResult::Success));
    m_resultFilter->setItemIcon(2, icons::result(BuildResult::Unstable));
    m_resultFilter->setItemIcon(3, icons::result(BuildResult::Failure));
    m_resultFilter->setItemIcon(5, icons::result(BuildResult::Aborted));
    m_resultFilter->setItemIcon(6, icons::result(BuildResult::NotBuilt));
    m_resultFilter->setItemIcon(7, icons::result(BuildResult::Building));

    m_branchFilter = new QComboBox(parent);
    m_branchFilter->setMinimumContentsLength(14);
    m_branchFilter->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_branchFilter->addItem(tr("All branches"), QString());

    m_runningOnly = new QCheckBox(tr("Running only"), parent);
    m_countLabel = new QLabel(parent);

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(4, 4, 4, 0);
    bar->addWidget(m_filterText, 1);
    bar->addWidget(m_resultFilter);
    bar->addWidget(m_branchFilter);
    bar->addWidget(m_runningOnly);
    bar->addWidget(m_countLabel);
    layout->addLayout(bar);

    connect(m_filterText, &QLineEdit::textChanged, m_proxy, &BuildFilterProxy::setText);
    connect(m_resultFilter, &QComboBox::currentIndexChanged, this,
            [this] { m_proxy->setResults(ResultSet(m_resultFilter->currentData().toUInt())); });
    connect(m_branchFilter, &QComboBox::currentIndexChanged, this,
            [this] { m_proxy->setBranch(m_branchFilter->currentData().toString()); });
    connect(m_runningOnly, &QCheckBox::toggled, m_proxy, &BuildFilterProxy::setRunningOnly);
}

void MainWindow::buildActions()
{
    auto *refreshAction
        = new QAction(icons::named(QStringLiteral("refresh")), tr("&Refresh"), this);
    refreshAction->setShortcut(QKeySequence::Refresh);
    refreshAction->setToolTip(tr("Ask every source for its newest builds (F5)"));
    connect(refreshAction, &QAction::triggered, this, &MainWindow::refresh);

    auto *filterAction = new QAction(tr("&Filter Builds"), this);
    filterAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    connect(filterAction, &QAction::triggered, this, [this] {
        m_filterText->setFocus(Qt::ShortcutFocusReason);
        m_filterText->selectAll();
    });

    auto *findAction = new QAction(tr("&Search in Log"), this);
    findAction->setShortcut(QKeySequence::Find);
    connect(findAction, &QAction::triggered, this, [this] {
        m_details->setCurrentIndex(BuildDetails::LogTab);
        m_details->logPanel()->focusSearch();
    });

    m_settingsAction
        = new QAction(icons::named(QStringLiteral("settings")), tr("&Settings…"), this);
    m_settingsAction->setShortcut(QKeySequence::Preferences);
    m_settingsAction->setEnabled(false);
    connect(m_settingsAction, &QAction::triggered, this, &MainWindow::openSettings);

    QAction *serverAction = m_serverDock->toggleViewAction();
    serverAction->setIcon(icons::named(QStringLiteral("server")));
    serverAction->setText(tr("S&erver"));
    serverAction->setToolTip(tr("The embedded igor server and its requests"));

    auto *quitAction = new QAction(tr("&Quit"), this);
    quitAction->setShortcut(QKeySequence::Quit);
    connect(quitAction, &QAction::triggered, qApp, &QApplication::quit);

    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_settingsAction);
    file->addSeparator();
    file->addAction(quitAction);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addAction(refreshAction);
    view->addAction(filterAction);
    view->addAction(findAction);
    view->addSeparator();
    view->addAction(serverAction);
    QMenu *themeMenu = view->addMenu(tr("&Theme"));
    m_themeGroup = new QActionGroup(this);
    const theme::Mode current
        = theme::modeFromString(QSettings().value(QStringLiteral("theme")).toString());
    for (auto [mode, label] :
         {std::pair{theme::Mode::System, tr("Follow the &System")},
          std::pair{theme::Mode::Light, tr("&Light")}, std::pair{theme::Mode::Dark, tr("&Dark")}}) {
        QAction *action
            = themeMenu->addAction(label, this, [this, mode = mode] { setTheme(mode); });
        action->setCheckable(true);
        action->setChecked(mode == current);
        action->setData(theme::modeToString(mode));
        m_themeGroup->addAction(action);
    }

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About CI Companion"), this, [this] {
        QMessageBox::about(this, tr("About CI Companion"),
                           tr("<h3>CI Companion %1</h3><p>Browse CI builds, logs and artifact "
                              "versions, and serve them as Spinnaker igor's /ci API.</p>")
                               .arg(QCoreApplication::applicationVersion()));
    });

    QToolBar *toolbar = addToolBar(tr("Main"));
    toolbar->setObjectName(QStringLiteral("mainToolbar"));
    toolbar->setMovable(false);
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolbar->setIconSize(QSize(16, 16));
    toolbar->addAction(refreshAction);
    toolbar->addSeparator();
    toolbar->addAction(serverAction);
    toolbar->addAction(m_settingsAction);
}

void MainWindow::setServer(ServerControl *server)
{
    m_server = server;
    m_serverView->setServer(server);
    if (server)
        connect(server, &ServerControl::stateChanged, this, &MainWindow::updateServerStatus);
    updateServerStatus();
}

void MainWindow::setSettingsBackend(SettingsBackend *backend)
{
    m_settingsBackend = backend;
    m_settingsAction->setEnabled(backend != nullptr);
}

void MainWindow::openSettings()
{
    if (!m_settingsBackend)
        return;
    SettingsDialog dialog(m_settingsBackend, this);
    bool sourcesChanged = false;
    connect(&dialog, &SettingsDialog::saved, this, [&sourcesChanged] { sourcesChanged = true; });
    if (dialog.exec() != QDialog::Accepted)
        return;

    QSettings settings;
    setTheme(theme::modeFromString(settings.value(QStringLiteral("theme")).toString()));
    setRefreshInterval(
        settings.value(QStringLiteral("refresh/intervalSeconds"), DefaultRefreshSeconds).toInt());
    if (sourcesChanged)
        Q_EMIT sourcesSaved();
}

void MainWindow::showServerView()
{
    m_serverDock->show();
    m_serverDock->raise();
}

void MainWindow::updateServerStatus()
{
    if (!m_server) {
        m_serverStatus->setText(tr("Server: off"));
        return;
    }
    if (m_server->isListening()) {
        const QString url = m_server->baseUrl().toString();
        m_serverStatus->setText(tr("Server: <a href=\"%1\">%1</a>").arg(url.toHtmlEscaped()));
    } else {
        m_serverStatus->setText(tr("Server: stopped"));
    }
}

void MainWindow::refresh()
{
    m_registry->refresh();
}

void MainWindow::setRefreshInterval(int seconds)
{
    if (seconds <= 0) {
        m_watchTimer.stop();
        return;
    }
    m_watchTimer.start(seconds * 1000);
}

bool MainWindow::isWatched(const QString &source) const
{
    return QSettings().value(QStringLiteral("watch/%1").arg(source), true).toBool();
}

void MainWindow::setWatched(const QString &source, bool watched)
{
    QSettings().setValue(QStringLiteral("watch/%1").arg(source), watched);
}

void MainWindow::refreshWatched()
{
    for (CiBuildService *source : m_registry->sources()) {
        const SourceStatus status = m_registry->status(source->name());
        if (isWatched(source->name()) && status.state != SourceStatus::State::Refreshing)
            m_registry->refresh(source->name());
    }
}

void MainWindow::onStatusChanged()
{
    int refreshing = 0;
    int failed = 0;
    const QList<CiBuildService *> sources = m_registry->sources();
    for (CiBuildService *source : sources) {
        const SourceStatus::State state = m_registry->status(source->name()).state;
        refreshing += state == SourceStatus::State::Refreshing;
        failed += state == SourceStatus::State::Failed;
    }

    if (refreshing > 0) {
        m_refreshTotal = qMax(m_refreshTotal, refreshing);
        m_refreshProgress->setRange(0, m_refreshTotal);
        m_refreshProgress->setValue(m_refreshTotal - refreshing);
        m_refreshProgress->show();
        m_refreshLabel->setText(tr("Refreshing %1 of %2 sources…")
                                    .arg(m_refreshTotal - refreshing + 1)
                                    .arg(m_refreshTotal));
        if (!m_spinnerTimer.isActive())
            m_spinnerTimer.start();
        return;
    }

    m_refreshTotal = 0;
    m_refreshProgress->hide();
    m_spinnerTimer.stop();
    m_sourceTree->viewport()->update();
    m_refreshLabel->setText(failed > 0 ? text::counted(failed, tr("%1 source failed to refresh"),
                                                       tr("%1 sources failed to refresh"))
                                       : QString());
    tryRestoreSelection();
}

void MainWindow::onSourceSelected()
{
    const QModelIndex current = m_sourceTree->currentIndex();
    const QString source = current.data(SourceTreeModel::SourceNameRole).toString();
    const QString project = current.data(SourceTreeModel::ProjectRole).toString();
    const QString keep = currentBuildId();
    m_buildModel->setScope(source, project);
    m_table->setColumnHidden(BuildTableModel::Project, !project.isEmpty());
    updateBranches();
    updateCount();

    // Keep the build selected if it is still shown; else the newest one.
    if (!keep.isEmpty() && selectBuild(keep))
        return;
    if (m_proxy->rowCount() > 0 && !m_restoring)
        m_table->setCurrentIndex(m_proxy->index(0, BuildTableModel::Number));
}

QString MainWindow::currentBuildId() const
{
    return m_details->build() ? m_details->build()->id : QString();
}

void MainWindow::onBuildSelected()
{
    const QModelIndex current = m_table->currentIndex();
    m_details->setBuild(
        current.isValid() ? current.data(BuildTableModel::BuildRole).value<BuildPtr>() : nullptr);
}

bool MainWindow::selectBuild(const QString &id)
{
    const int sourceRow = m_buildModel->rowOf(id);
    if (sourceRow < 0)
        return false;
    const QModelIndex index
        = m_proxy->mapFromSource(m_buildModel->index(sourceRow, BuildTableModel::Number));
    if (!index.isValid())
        return false;
    m_table->setCurrentIndex(index);
    m_table->scrollTo(index);
    return true;
}

void MainWindow::selectScope(const QString &source, const QString &project)
{
    const QModelIndex index = project.isEmpty() ? m_sourceModel->sourceIndex(source)
                                                : m_sourceModel->projectIndex(source, project);
    if (index.isValid())
        m_sourceTree->setCurrentIndex(index);
}

void MainWindow::onStoreChanged(const QStringList &ids)
{
    // The shown build was refreshed: show its new state.
    const QString current = currentBuildId();
    if (!current.isEmpty() && ids.contains(current)) {
        const BuildPtr fresh = m_registry->store()->build(current);
        if (fresh)
            m_details->setBuild(fresh);
    }
    if (!m_table->currentIndex().isValid() && m_proxy->rowCount() > 0 && m_pendingBuildId.isEmpty())
        m_table->setCurrentIndex(m_proxy->index(0, BuildTableModel::Number));
    updateBranches();

    BuildList changed;
    const QSet<QString> unique(ids.cbegin(), ids.cend());
    for (const QString &id : unique) {
        if (BuildPtr build = m_registry->store()->build(id))
            changed.append(build);
    }
    const QList<BuildNotification> notifications
        = m_policy.observe(changed, QDateTime::currentMSecsSinceEpoch());
    for (const BuildNotification &notification : notifications) {
        qCInfo(lcWindow, "notify: %s", qUtf8Printable(notification.title));
        if (m_tray && m_tray->isVisible()) {
            const auto icon = notification.result == BuildResult::Success
                ? QSystemTrayIcon::Information
                : notification.result == BuildResult::Failure ? QSystemTrayIcon::Critical
                                                              : QSystemTrayIcon::Warning;
            m_tray->showMessage(notification.title, notification.message, icon);
        } else {
            statusBar()->showMessage(
                notification.title + QStringLiteral(" — ") + notification.message, 10000);
        }
        Q_EMIT notified(notification);
    }
    tryRestoreSelection();
}

void MainWindow::updateBranches()
{
    const QString selected = m_branchFilter->currentData().toString();
    const QStringList branches = m_buildModel->branches();
    QStringList present;
    for (int i = 1; i < m_branchFilter->count(); ++i)
        present.append(m_branchFilter->itemData(i).toString());
    if (present == branches)
        return;

    const QSignalBlocker blocker(m_branchFilter);
    m_branchFilter->clear();
    m_branchFilter->addItem(tr("All branches"), QString());
    for (const QString &branch : branches)
        m_branchFilter->addItem(branch, branch);
    const int index = m_branchFilter->findData(selected);
    m_branchFilter->setCurrentIndex(qMax(0, index));
    if (index < 0 && !selected.isEmpty())
        m_proxy->setBranch({});
}

void MainWindow::updateCount()
{
    const int shown = m_proxy->rowCount();
    const int total = m_buildModel->rowCount();
    m_countLabel->setText(
        shown == total
            ? text::counted(total, tr("%1 build"), tr("%1 builds"))
            : tr("%1 of %2").arg(shown).arg(text::counted(total, tr("%1 build"), tr("%1 builds"))));
}

void MainWindow::showSourceMenu(const QPoint &position)
{
    const QModelIndex index = m_sourceTree->indexAt(position);
    if (!index.isValid())
        return;
    const QString source = index.data(SourceTreeModel::SourceNameRole).toString();

    QMenu menu(this);
    menu.addAction(icons::named(QStringLiteral("refresh")), tr("Refresh %1").arg(source), this,
                   [this, source] { m_registry->refresh(source); });
    QAction *watch
        = menu.addAction(tr("Watch (refresh every %1 s)").arg(m_watchTimer.interval() / 1000));
    watch->setCheckable(true);
    watch->setChecked(isWatched(source));
    connect(watch, &QAction::toggled, this, [this, source](bool on) { setWatched(source, on); });

    QMenu *notify = menu.addMenu(tr("Notifications"));
    auto *group = new QActionGroup(notify);
    for (auto [rule, label] : {std::pair{NotifyRule::Off, tr("Off")},
                               std::pair{NotifyRule::BreaksAndFixes, tr("Breaks and fixes only")},
                               std::pair{NotifyRule::AllFinishes, tr("Every finished build")}}) {
        QAction *action = notify->addAction(label, this, [this, source, rule = rule] {
            m_policy.setRule(source, rule);
            QSettings().setValue(QStringLiteral("notifications/%1").arg(source),
                                 notifyRuleToString(rule));
        });
        action->setCheckable(true);
        action->setChecked(m_policy.rule(source) == rule);
        group->addAction(action);
    }
    menu.exec(m_sourceTree->viewport()->mapToGlobal(position));
}

void MainWindow::setTheme(theme::Mode mode)
{
    QSettings().setValue(QStringLiteral("theme"), theme::modeToString(mode));
    for (QAction *action : m_themeGroup->actions())
        action->setChecked(action->data().toString() == theme::modeToString(mode));
    theme::apply(*qApp, mode);
    m_details->setBuild(m_details->build()); // the summary's colours follow the palette
}

void MainWindow::setupTray()
{
    if (!QSystemTrayIcon::isSystemTrayAvailable())
        return;

    m_tray = new QSystemTrayIcon(icons::named(QStringLiteral("app")), this);
    m_tray->setToolTip(tr("CI Companion"));
    auto *menu = new QMenu(this);
    menu->addAction(tr("Show CI Companion"), this, [this] {
        showNormal();
        raise();
        activateWindow();
    });
    menu->addAction(icons::named(QStringLiteral("refresh")), tr("Refresh"), this,
                    &MainWindow::refresh);
    menu->addSeparator();
    menu->addAction(tr("Quit"), qApp, &QApplication::quit);
    m_tray->setContextMenu(menu);
    connect(m_tray, &QSystemTrayIcon::activated, this,
            [this](QSystemTrayIcon::ActivationReason reason) {
                if (reason == QSystemTrayIcon::Trigger) {
                    showNormal();
                    raise();
                    activateWindow();
                }
            });
    connect(m_tray, &QSystemTrayIcon::messageClicked, this, [this] {
        showNormal();
        raise();
        activateWindow();
    });
    m_tray->show();
}

void MainWindow::restoreState()
{
    QSettings settings;
    settings.beginGroup(QStringLiteral("window"));
    if (!restoreGeometry(settings.value(QStringLiteral("geometry")).toByteArray()))
        resize(1280, 800);
    QMainWindow::restoreState(settings.value(QStringLiteral("state")).toByteArray());
    m_mainSplitter->restoreState(settings.value(QStringLiteral("mainSplitter")).toByteArray());
    m_rightSplitter->restoreState(settings.value(QStringLiteral("rightSplitter")).toByteArray());
    const QByteArray header = settings.value(QStringLiteral("buildsHeader")).toByteArray();
    if (!header.isEmpty())
        m_table->horizontalHeader()->restoreState(header);
    m_details->setCurrentIndex(settings.value(QStringLiteral("detailsTab"), 0).toInt());
    m_pendingSource = settings.value(QStringLiteral("source")).toString();
    m_pendingProject = settings.value(QStringLiteral("project")).toString();
    m_pendingBuildId = settings.value(QStringLiteral("build")).toString();
    settings.endGroup();
    tryRestoreSelection();
}

void MainWindow::tryRestoreSelection()
{
    // Selecting the source resets the builds model, which calls back here.
    if (m_restoring || (m_pendingSource.isEmpty() && m_pendingBuildId.isEmpty()))
        return;

    m_restoring = true;
    if (!m_pendingSource.isEmpty()) {
        const QModelIndex index = m_pendingProject.isEmpty()
            ? m_sourceModel->sourceIndex(m_pendingSource)
            : m_sourceModel->projectIndex(m_pendingSource, m_pendingProject);
        if (index.isValid()) {
            m_sourceTree->setCurrentIndex(index);
            m_pendingSource.clear();
            m_pendingProject.clear();
        }
    }
    if (m_pendingSource.isEmpty() && !m_pendingBuildId.isEmpty() && selectBuild(m_pendingBuildId))
        m_pendingBuildId.clear();
    m_restoring = false;

    // Once every source has answered, whatever could not be found is gone for good.
    bool anyRefreshing = false;
    for (CiBuildService *source : m_registry->sources())
        anyRefreshing
            = anyRefreshing || m_registry->status(source->name()).state != SourceStatus::State::Ok;
    if (!anyRefreshing && !m_registry->sources().isEmpty()) {
        m_pendingSource.clear();
        m_pendingProject.clear();
        m_pendingBuildId.clear();
    }
}

void MainWindow::saveState() const
{
    QSettings settings;
    settings.beginGroup(QStringLiteral("window"));
    settings.setValue(QStringLiteral("geometry"), saveGeometry());
    settings.setValue(QStringLiteral("state"), QMainWindow::saveState());
    settings.setValue(QStringLiteral("mainSplitter"), m_mainSplitter->saveState());
    settings.setValue(QStringLiteral("rightSplitter"), m_rightSplitter->saveState());
    settings.setValue(QStringLiteral("buildsHeader"), m_table->horizontalHeader()->saveState());
    settings.setValue(QStringLiteral("detailsTab"), m_details->currentIndex());
    const QModelIndex current = m_sourceTree->currentIndex();
    settings.setValue(QStringLiteral("source"),
                      current.data(SourceTreeModel::SourceNameRole).toString());
    settings.setValue(QStringLiteral("project"),
                      current.data(SourceTreeModel::ProjectRole).toString());
    settings.setValue(QStringLiteral("build"), currentBuildId());
    settings.endGroup();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveState();
    event->accept();
    QMainWindow::closeEvent(event);
}

} // namespace cic
