// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/model/build.h"
#include "core/service/sourceregistry.h"

#include <QFutureWatcher>
#include <QPointer>
#include <QTimer>
#include <QWidget>

#include <atomic>
#include <memory>

class QLabel;
class QLineEdit;
class QToolButton;
class QProgressBar;

namespace cic::logview {

class LogDocument;
class LogSearch;
class LogView;

// The Log tab: a LogView with its search bar, "first error", wrap and follow. A running
// build's log is followed by asking the registry for what came after the last byte.
class LogPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LogPanel)

public:
    explicit LogPanel(QWidget *parent = nullptr);
    ~LogPanel() override;

    void setRegistry(SourceRegistry *registry) { m_registry = registry; }

    // Loads a build's log through the registry; a running build is followed.
    void showBuild(const BuildPtr &build);
    void clear();

    // Opens a log file directly, for `ci-companion` on a saved log and for benchmarks.
    bool openFile(const QString &path);

    void setFollowInterval(int milliseconds) { m_followTimer.setInterval(milliseconds); }
    bool isFollowing() const { return m_followTimer.isActive(); }
    void setFollowing(bool follow);

    void focusSearch();
    void findNext();
    void findPrevious();
    void jumpToFirstError();

    LogDocument *document() const { return m_document; }
    LogView *view() const { return m_view; }
    LogSearch *search() const { return m_search; }
    QString currentBuildId() const { return m_buildId; }
    qint64 currentMatch() const { return m_currentMatch; }

Q_SIGNALS:
    void logLoaded(const QString &buildId);
    void logFailed(const QString &buildId, const QString &message);
    void followedChunk(qint64 bytes);

private:
    void fetchMore();
    void updateSearchStatus();
    void updateLoadStatus();
    void selectMatch(qint64 ordinal);
    void startSearch();

    QPointer<SourceRegistry> m_registry;
    LogDocument *m_document;
    LogSearch *m_search;
    LogView *m_view;

    QLineEdit *m_searchField;
    QLabel *m_matchLabel;
    QToolButton *m_caseButton;
    QToolButton *m_followButton;
    QToolButton *m_wrapButton;
    QLabel *m_statusLabel;
    QProgressBar *m_progress;

    QString m_buildId;
    qint64 m_nextOffset = 0;
    bool m_complete = true;
    bool m_fetching = false;
    quint64 m_request = 0;
    QTimer m_followTimer;
    QTimer m_searchDelay;

    qint64 m_currentMatch = -1;
    bool m_selectFirstMatch = false;

    void cancelErrorSearch();

    std::shared_ptr<std::atomic_bool> m_errorCancel;
    quint64 m_errorToken = 0; // the document read held while the first error is looked for
    QFutureWatcher<qsizetype> m_errorWatcher;
};

} // namespace cic::logview
