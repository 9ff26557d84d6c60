// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/logview/logpanel.h"

#include "core/service/sourceregistry.h"
#include "ui/icons.h"
#include "ui/logview/logdocument.h"
#include "ui/logview/logsearch.h"
#include "ui/logview/logview.h"
#include "ui/text.h"

#include <QAction>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLoggingCategory>
#include <QProgressBar>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace cic::logview {

namespace {
Q_LOGGING_CATEGORY(lcLogPanel, "cicompanion.ui.logpanel")

constexpr int DefaultFollowIntervalMs = 2000;
constexpr int SearchDelayMs = 150;

QToolButton *toolButton(const QIcon &icon, const QString &text, const QString &tip, QWidget *parent)
{
    auto *button = new QToolButton(parent);
    button->setIcon(icon);
    button->setText(text);
    button->setToolTip(tip);
    button->setAutoRaise(true);
    button->setToolButtonStyle(icon.isNull() ? Qt::ToolButtonTextOnly
                                             : Qt::ToolButtonTextBesideIcon);
    return button;
}
} // namespace

LogPanel::LogPanel(QWidget *parent)
    : QWidget(parent)
    , m_document(new LogDocument(this))
    , m_search(new LogSearch(m_document, this))
    , m_view(new LogView(this))
{
    m_view->setDocument(m_document);

    m_searchField = new QLineEdit(this);
    m_searchField->setPlaceholderText(tr("Search the log (Ctrl+F)"));
    m_searchField->setClearButtonEnabled(true);
    m_searchField->setMinimumWidth(220);

    auto *previous = toolButton(QIcon::fromTheme(QStringLiteral("go-up")), tr("Previous"),
                                tr("Previous match (Shift+F3)"), this);
    auto *next = toolButton(QIcon::fromTheme(QStringLiteral("go-down")), tr("Next"),
                            tr("Next match (F3, Enter)"), this);
    previous->setToolButtonStyle(Qt::ToolButtonTextOnly);
    next->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_caseButton = toolButton({}, tr("Aa"), tr("Match case"), this);
    m_caseButton->setCheckable(true);
    m_matchLabel = new QLabel(this);
    m_matchLabel->setMinimumWidth(110);

    auto *firstError = toolButton(icons::result(BuildResult::Failure), tr("First error"),
                                  tr("Jump to the first line that reads like an error"), this);
    m_followButton
        = toolButton(icons::named(QStringLiteral("follow")), tr("Follow"),
                     tr("Keep fetching a running build's log and stay at its end"), this);
    m_followButton->setCheckable(true);
    m_wrapButton = toolButton({}, tr("Wrap"), tr("Wrap long lines"), this);
    m_wrapButton->setCheckable(true);

    m_statusLabel = new QLabel(this);
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 1000);
    m_progress->setMaximumWidth(120);
    m_progress->setTextVisible(false);
    m_progress->hide();

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(4, 2, 4, 2);
    bar->addWidget(m_searchField);
    bar->addWidget(previous);
    bar->addWidget(next);
    bar->addWidget(m_caseButton);
    bar->addWidget(m_matchLabel);
    bar->addStretch();
    bar->addWidget(m_statusLabel);
    bar->addWidget(m_progress);
    bar->addWidget(firstError);
    bar->addWidget(m_wrapButton);
    bar->addWidget(m_followButton);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);

    // Ctrl+F belongs to the window, which shows this tab first; F3 works inside the panel.
    auto *nextAction = new QAction(this);
    nextAction->setShortcuts(QKeySequence::FindNext);
    nextAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(nextAction, &QAction::triggered, this, &LogPanel::findNext);
    addAction(nextAction);
    auto *previousAction = new QAction(this);
    previousAction->setShortcuts(QKeySequence::FindPrevious);
    previousAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(previousAction, &QAction::triggered, this, &LogPanel::findPrevious);
    addAction(previousAction);

    m_searchDelay.setSingleShot(true);
    m_searchDelay.setInterval(SearchDelayMs);
    connect(&m_searchDelay, &QTimer::timeout, this, &LogPanel::startSearch);
    connect(m_searchField, &QLineEdit::textChanged, this, [this] { m_searchDelay.start(); });
    connect(m_searchField, &QLineEdit::returnPressed, this, [this] {
        if (m_searchDelay.isActive() || m_searchField->text() != m_search->pattern()) {
            m_searchDelay.stop();
            startSearch();
        } else {
            findNext();
        }
    });
    connect(m_caseButton, &QToolButton::toggled, this, &LogPanel::startSearch);
    connect(next, &QToolButton::clicked, this, &LogPanel::findNext);
    connect(previous, &QToolButton::clicked, this, &LogPanel::findPrevious);
    connect(firstError, &QToolButton::clicked, this, &LogPanel::jumpToFirstError);
    connect(m_wrapButton, &QToolButton::toggled, m_view, &LogView::setWordWrap);
    connect(m_followButton, &QToolButton::toggled, this, &LogPanel::setFollowing);

    connect(m_search, &LogSearch::resultsChanged, this, [this] {
        if (m_selectFirstMatch && m_search->matchCount() > 0) {
            m_selectFirstMatch = false;
            selectMatch(m_search->firstMatchFrom(m_view->firstVisibleLine()));
        }
        updateSearchStatus();
    });
    connect(m_search, &LogSearch::finished, this, &LogPanel::updateSearchStatus);

    m_followTimer.setInterval(DefaultFollowIntervalMs);
    connect(&m_followTimer, &QTimer::timeout, this, &LogPanel::fetchMore);
    connect(m_document, &LogDocument::linesChanged, this, [this] {
        if (isFollowing())
            m_view->scrollToEnd();
        updateLoadStatus();
    });
    connect(m_document, &LogDocument::indexingFinished, this, &LogPanel::updateLoadStatus);
    connect(m_document, &LogDocument::reset, this, &LogPanel::updateLoadStatus);

    connect(m_document, &LogDocument::aboutToReset, this, &LogPanel::cancelErrorSearch);
    connect(&m_errorWatcher, &QFutureWatcher<qsizetype>::finished, this, [this] {
        if (m_errorToken == 0)
            return; // cancelled: the log it looked at is gone
        m_document->endRead(std::exchange(m_errorToken, 0));
        const qsizetype line = m_errorWatcher.result();
        if (line < 0) {
            m_statusLabel->setText(tr("No error found"));
            return;
        }
        m_view->showLine(line);
        m_view->setMarkedLine(line);
        m_statusLabel->setText(tr("First error on line %1").arg(line + 1));
    });
}

LogPanel::~LogPanel()
{
    cancelErrorSearch();
}

void LogPanel::cancelErrorSearch()
{
    if (m_errorToken == 0)
        return;
    m_errorCancel->store(true);
    m_errorWatcher.waitForFinished();
    m_document->endRead(std::exchange(m_errorToken, 0));
}

void LogPanel::clear()
{
    ++m_request;
    m_buildId.clear();
    setFollowing(false);
    m_followButton->setEnabled(false);
    m_complete = true;
    m_document->clear();
    m_statusLabel->clear();
}

void LogPanel::showBuild(const BuildPtr &build)
{
    if (!build || !m_registry) {
        clear();
        return;
    }

    clear();
    m_buildId = build->id;
    m_nextOffset = 0;
    m_complete = false;
    m_statusLabel->setText(tr("Loading the log…"));
    m_followButton->setEnabled(build->building);

    const quint64 request = m_request;
    const QString id = build->id;
    const bool building = build->building;
    // A broken build opens where it broke; a running one at its end.
    const bool broken = !building && build->result
        && (*build->result == BuildResult::Failure || *build->result == BuildResult::Unstable);
    m_fetching = true;
    m_registry->fetchLog(id, 0).then(
        this, [this, request, id, building, broken](Result<LogChunk> result) {
            if (request != m_request)
                return;
            m_fetching = false;
            if (!result) {
                m_statusLabel->setText(tr("The log could not be loaded: %1").arg(result.error()));
                Q_EMIT logFailed(id, result.error());
                return;
            }
            m_document->setData(result->text);
            m_nextOffset = result->nextOffset;
            m_complete = result->complete;
            updateLoadStatus();
            if (building && !m_complete)
                setFollowing(true);
            else if (broken)
                jumpToFirstError();
            Q_EMIT logLoaded(id);
        });
}

bool LogPanel::openFile(const QString &path)
{
    clear();
    return m_document->loadFile(path);
}

void LogPanel::setFollowing(bool follow)
{
    if (follow && (m_complete || m_buildId.isEmpty()))
        follow = false;
    if (m_followButton->isChecked() != follow) {
        const QSignalBlocker blocker(m_followButton);
        m_followButton->setChecked(follow);
    }
    if (follow == m_followTimer.isActive())
        return;
    if (follow) {
        m_followTimer.start();
        m_view->scrollToEnd();
    } else {
        m_followTimer.stop();
    }
    updateLoadStatus();
}

void LogPanel::fetchMore()
{
    if (!m_registry || m_buildId.isEmpty() || m_complete || m_fetching)
        return;

    const quint64 request = m_request;
    const QString id = m_buildId;
    m_fetching = true;
    m_registry->fetchLog(id, m_nextOffset).then(this, [this, request, id](Result<LogChunk> result) {
        if (request != m_request)
            return;
        m_fetching = false;
        if (!result) {
            qCInfo(lcLogPanel, "following %s failed: %s", qUtf8Printable(id),
                   qUtf8Printable(result.error()));
            m_statusLabel->setText(tr("Following paused: %1").arg(result.error()));
            return;
        }
        // The registry answers from its cache, from the offset asked for.
        const qint64 fresh = result->offset + result->text.size() - m_nextOffset;
        if (fresh > 0) {
            m_document->append(result->text.right(fresh));
            Q_EMIT followedChunk(fresh);
        }
        m_nextOffset = qMax(m_nextOffset, result->nextOffset);
        if (result->complete) {
            m_complete = true;
            setFollowing(false);
            m_followButton->setEnabled(false);
        }
        updateLoadStatus();
    });
}

void LogPanel::focusSearch()
{
    m_searchField->setFocus(Qt::ShortcutFocusReason);
    m_searchField->selectAll();
}

void LogPanel::startSearch()
{
    const QString pattern = m_searchField->text();
    const Qt::CaseSensitivity cs
        = m_caseButton->isChecked() ? Qt::CaseSensitive : Qt::CaseInsensitive;
    m_currentMatch = -1;
    m_selectFirstMatch = !pattern.isEmpty();
    m_view->setHighlight(pattern, cs);
    m_search->start(pattern, cs);
}

void LogPanel::findNext()
{
    if (m_searchField->text() != m_search->pattern()) {
        startSearch();
        return;
    }
    const qint64 total = m_search->matchCount();
    if (total == 0)
        return;
    selectMatch(m_currentMatch < 0 ? m_search->firstMatchFrom(m_view->firstVisibleLine())
                                   : (m_currentMatch + 1) % total);
}

void LogPanel::findPrevious()
{
    const qint64 total = m_search->matchCount();
    if (total == 0)
        return;
    selectMatch(m_currentMatch <= 0 ? total - 1 : m_currentMatch - 1);
}

void LogPanel::selectMatch(qint64 ordinal)
{
    qsizetype hit = 0;
    int occurrence = 0;
    if (!m_search->matchAt(ordinal, &hit, &occurrence))
        return;
    m_currentMatch = ordinal;
    m_view->setCurrentMatch(m_search->hits()[size_t(hit)].line, occurrence);
    updateSearchStatus();
}

void LogPanel::updateSearchStatus()
{
    if (m_search->pattern().isEmpty()) {
        m_matchLabel->clear();
        return;
    }
    const qint64 total = m_search->matchCount();
    QString text = m_currentMatch >= 0 ? tr("%1 of %2").arg(m_currentMatch + 1).arg(total)
                                       : text::counted(total, tr("%1 match"), tr("%1 matches"));
    if (m_search->isRunning())
        text += tr(" (%1%)").arg(int(m_search->progress() * 100));
    m_matchLabel->setText(text);
    m_searchField->setStyleSheet(total == 0 && !m_search->isRunning()
                                     ? QStringLiteral("QLineEdit { color: #c01c28; }")
                                     : QString());
}

void LogPanel::updateLoadStatus()
{
    const bool indexing = m_document->isIndexing();
    m_progress->setVisible(indexing);
    if (indexing) {
        m_progress->setValue(int(m_document->indexProgress() * 1000));
        m_statusLabel->setText(
            tr("Reading… %1")
                .arg(text::counted(m_document->lineCount(), tr("%1 line"), tr("%1 lines"))));
        return;
    }
    if (m_buildId.isEmpty() && m_document->size() == 0) {
        m_statusLabel->clear();
        return;
    }
    const QString size = QLocale().formattedDataSize(m_document->size());
    const QString lines = text::counted(m_document->lineCount(), tr("%1 line"), tr("%1 lines"));
    m_statusLabel->setText(isFollowing() ? tr("%1, %2, following").arg(lines, size)
                                         : tr("%1, %2").arg(lines, size));
}

void LogPanel::jumpToFirstError()
{
    if (m_errorToken != 0)
        return;
    if (m_document->isIndexing()) {
        // Once the whole log is known; a newer load cancels the wish.
        const quint64 request = m_request;
        connect(
            m_document, &LogDocument::indexingFinished, this,
            [this, request] {
                if (request == m_request)
                    jumpToFirstError();
            },
            Qt::SingleShotConnection);
        return;
    }
    m_errorCancel = std::make_shared<std::atomic_bool>(false);
    m_errorToken = m_document->beginRead();
    m_statusLabel->setText(tr("Looking for the first error…"));
    const LogDocument *document = m_document;
    auto cancel = m_errorCancel;
    m_errorWatcher.setFuture(QtConcurrent::run(
        [document, cancel] { return findFirstErrorLine(*document, 0, cancel.get()); }));
}

} // namespace cic::logview
