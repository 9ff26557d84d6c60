// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/model/build.h"
#include "ui/notificationpolicy.h"
#include "ui/theme.h"

#include <QMainWindow>
#include <QPointer>
#include <QTimer>

class QActionGroup;
class QCheckBox;
class QComboBox;
class QDockWidget;
class QLabel;
class QLineEdit;
class QProgressBar;
class QSplitter;
class QSystemTrayIcon;
class QTableView;
class QTreeView;
class QVBoxLayout;

namespace cic {

class BuildDetails;
class BuildFilterProxy;
class BuildTableModel;
class ServerControl;
class ServerView;
class SourceDelegate;
class SettingsBackend;
class SourceRegistry;
class SourceTreeModel;

// The window: sources on the left, the builds of the selection in a filterable table, the
// selected build's details below it, the embedded server in a dock and the status bar.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    explicit MainWindow(SourceRegistry *registry, QWidget *parent = nullptr);
    ~MainWindow() override;

    void setServer(ServerControl *server);

    // The configuration file behind File > Settings; without one the sources are not editable
    // (the window runs on data given on the command line, or the demo set).
    void setSettingsBackend(SettingsBackend *backend);
    void openSettings();

    // Selects a build by id (and its source and project), as a link or --open-build does.
    bool selectBuild(const QString &id);
    void selectScope(const QString &source, const QString &project);
    void showServerView();

    // Seconds between refreshes of watched sources; 0 turns the poll off.
    void setRefreshInterval(int seconds);

    QTreeView *sourceTree() const { return m_sourceTree; }
    QTableView *buildTable() const { return m_table; }
    BuildDetails *details() const { return m_details; }
    ServerView *serverView() const { return m_serverView; }
    QLabel *serverStatus() const { return m_serverStatus; }
    BuildTableModel *buildModel() const { return m_buildModel; }
    BuildFilterProxy *filterProxy() const { return m_proxy; }
    QLineEdit *filterField() const { return m_filterText; }
    NotificationPolicy &notificationPolicy() { return m_policy; }

public Q_SLOTS:
    void refresh();

Q_SIGNALS:
    // The sources were saved to the configuration file: the app loads them again.
    void sourcesSaved();

    // A notification was raised, whether or not a tray shows it.
    void notified(const cic::BuildNotification &notification);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void buildActions();
    void buildFilterBar(QWidget *parent, QVBoxLayout *layout);
    void onSourceSelected();
    void onBuildSelected();
    void onStoreChanged(const QStringList &ids);
    void onStatusChanged();
    void updateBranches();
    void updateCount();
    void updateServerStatus();
    void refreshWatched();
    void showSourceMenu(const QPoint &position);
    void setTheme(theme::Mode mode);
    void setupTray();
    void restoreState();
    void saveState() const;
    void tryRestoreSelection();
    bool isWatched(const QString &source) const;
    void setWatched(const QString &source, bool watched);
    QString currentBuildId() const;

    SourceRegistry *m_registry;
    SourceTreeModel *m_sourceModel;
    BuildTableModel *m_buildModel;
    BuildFilterProxy *m_proxy;
    SourceDelegate *m_sourceDelegate;

    QSplitter *m_mainSplitter;
    QSplitter *m_rightSplitter;
    QTreeView *m_sourceTree;
    QTableView *m_table;
    BuildDetails *m_details;
    QLineEdit *m_filterText;
    QComboBox *m_resultFilter;
    QComboBox *m_branchFilter;
    QCheckBox *m_runningOnly;
    QLabel *m_countLabel;

    QDockWidget *m_serverDock;
    ServerView *m_serverView;
    QPointer<ServerControl> m_server;
    QLabel *m_serverStatus;
    QLabel *m_refreshLabel;
    QProgressBar *m_refreshProgress;

    QTimer m_spinnerTimer;
    QTimer m_watchTimer;
    SettingsBackend *m_settingsBackend = nullptr;
    QAction *m_settingsAction = nullptr;
    QActionGroup *m_themeGroup = nullptr;

    NotificationPolicy m_policy;
    QSystemTrayIcon *m_tray = nullptr;

    QString m_pendingBuildId; // selection to restore once the builds are there
    QString m_pendingSource;
    QString m_pendingProject;
    bool m_restoring = false;
    int m_refreshTotal = 0;
};

} // namespace cic
