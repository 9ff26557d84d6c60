// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ui/logview/sgrparser.h"

#include <QAbstractScrollArea>
#include <QCache>
#include <QTextLayout>
#include <QTimer>

namespace cic::logview {

class LogDocument;

// A place in the visible text of a log: a line and a column in it.
struct TextPosition
{
    qsizetype line = 0;
    qsizetype column = 0;

    auto operator<=>(const TextPosition &) const = default;
};

// Draws a LogDocument of any size: only the lines on screen are decoded, parsed for SGR
// colours and laid out, and those layouts are cached. The vertical scroll bar counts lines;
// wrapping changes only how the visible lines are laid out. Selection with the mouse,
// Ctrl+C and Ctrl+A work on the visible text, without escape sequences.
class LogView final : public QAbstractScrollArea
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LogView)

public:
    explicit LogView(QWidget *parent = nullptr);
    ~LogView() override;

    void setDocument(LogDocument *document);
    LogDocument *document() const { return m_document; }

    bool wordWrap() const { return m_wrap; }
    void setWordWrap(bool wrap);

    // Matches of this text are highlighted; one match can be marked as the current one.
    void setHighlight(const QString &pattern, Qt::CaseSensitivity cs);
    void setCurrentMatch(qsizetype line, int occurrence);
    qsizetype currentMatchLine() const { return m_currentMatchLine; }

    // A line drawn with a tinted background, such as the first error; -1 for none.
    void setMarkedLine(qsizetype line);
    qsizetype markedLine() const { return m_markedLine; }

    // Scrolls so that the line is visible, in the middle when it was not.
    void showLine(qsizetype line);
    void scrollToEnd();
    bool isAtEnd() const;

    qsizetype firstVisibleLine() const;
    qsizetype visibleLineCount() const;

    bool hasSelection() const { return m_anchor != m_cursor; }
    QString selectedText() const;
    void selectAll();
    void clearSelection();
    void copy() const;

    // The styled text of a line as the view draws it (cached).
    const StyledLine &styledLine(qsizetype line) const;

    // Lines longer than this are cut when drawn; the rest is shown as a note.
    static constexpr qsizetype MaxDrawnChars = 20000;

Q_SIGNALS:
    // After each paint, with the number of lines drawn; benchmarks time the first one.
    void painted(qsizetype lines);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;
    void changeEvent(QEvent *event) override;
    void scrollContentsBy(int dx, int dy) override;

private:
    struct CachedLine
    {
        StyledLine styled;
        QTextLayout layout;
        int layoutWidth = INT_MIN; // not laid out yet; -1 means unwrapped
        int visualLines = 1;
    };

    CachedLine *cachedLine(qsizetype line) const;
    void layoutLine(CachedLine *entry, int width) const;
    QList<QTextLayout::FormatRange> formatsFor(const StyledLine &styled) const;
    QList<QTextLayout::FormatRange> overlaysFor(qsizetype line, const CachedLine &entry) const;
    QTextCharFormat formatFor(const SgrStyle &style) const;
    QColor resolve(const SgrColor &color, bool foreground) const;

    void onReset();
    void onLinesChanged(qsizetype firstChanged);
    void updateMetrics();
    void updateScrollBars();
    int textWidth() const;
    int gutterWidth() const { return m_gutterWidth; }
    TextPosition positionAt(const QPoint &point) const;
    void autoScroll();

    LogDocument *m_document = nullptr;
    mutable QCache<qsizetype, CachedLine> m_cache{3000};

    bool m_wrap = false;
    int m_lineHeight = 1;
    int m_charWidth = 1;
    int m_gutterWidth = 0;
    bool m_dark = false;

    QString m_pattern;
    Qt::CaseSensitivity m_cs = Qt::CaseInsensitive;
    qsizetype m_currentMatchLine = -1;
    qsizetype m_markedLine = -1;
    int m_currentOccurrence = -1;

    TextPosition m_anchor;
    TextPosition m_cursor;
    bool m_selecting = false;
    QPoint m_lastMousePos;
    QTimer m_autoScroll;
};

} // namespace cic::logview
