// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/logview/logview.h"

#include "ui/logview/logdocument.h"
#include "ui/logview/logsearch.h"

#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QFontDatabase>
#include <QMenu>
#include <QPainter>
#include <QScrollBar>
#include <QTextLine>

namespace cic::logview {

namespace {

constexpr int GutterPadding = 8;
constexpr int TextMargin = 6;
constexpr int AutoScrollIntervalMs = 40;

// The 16 theme colours, chosen to read on a light and on a dark background.
constexpr QRgb LightColors[16] = {
    0x000000, 0xc01c28, 0x26a269, 0xa2734c, 0x1c5fb8, 0xa347ba, 0x2a7f8f, 0x5e5c64,
    0x77767b, 0xe01b24, 0x2ec27e, 0xb5a000, 0x3584e4, 0xc061cb, 0x1aa3b8, 0x9a9996,
};
constexpr QRgb DarkColors[16] = {
    0x3d3846, 0xf66151, 0x57e389, 0xf8e45c, 0x62a0ea, 0xdc8add, 0x5bc8af, 0xdeddda,
    0x9a9996, 0xff7b63, 0x8ff0a4, 0xfff07a, 0x99c1f1, 0xf0a2f0, 0x93ddc2, 0xffffff,
};

QColor blend(const QColor &a, const QColor &b, qreal t)
{
    return QColor::fromRgbF(a.redF() * (1 - t) + b.redF() * t,
                            a.greenF() * (1 - t) + b.greenF() * t,
                            a.blueF() * (1 - t) + b.blueF() * t);
}

bool isWordChar(QChar c)
{
    return c.isLetterOrNumber() || c == u'_' || c == u'-' || c == u'.' || c == u'/';
}

} // namespace

LogView::LogView(QWidget *parent)
    : QAbstractScrollArea(parent)
{
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    viewport()->setCursor(Qt::IBeamCursor);
    viewport()->setAutoFillBackground(false);
    setFocusPolicy(Qt::StrongFocus);
    setFrameShape(QFrame::NoFrame);

    m_autoScroll.setInterval(AutoScrollIntervalMs);
    connect(&m_autoScroll, &QTimer::timeout, this, &LogView::autoScroll);

    updateMetrics();
}

LogView::~LogView() = default;

void LogView::setDocument(LogDocument *document)
{
    if (m_document)
        disconnect(m_document, nullptr, this, nullptr);
    m_document = document;
    if (document) {
        connect(document, &LogDocument::reset, this, &LogView::onReset);
        connect(document, &LogDocument::linesChanged, this, &LogView::onLinesChanged);
        connect(document, &QObject::destroyed, this, [this] { m_document = nullptr; });
    }
    onReset();
}

void LogView::setWordWrap(bool wrap)
{
    if (wrap == m_wrap)
        return;
    const qsizetype top = firstVisibleLine();
    m_wrap = wrap;
    horizontalScrollBar()->setValue(0);
    updateScrollBars();
    verticalScrollBar()->setValue(int(top));
    viewport()->update();
}

void LogView::setHighlight(const QString &pattern, Qt::CaseSensitivity cs)
{
    m_pattern = pattern;
    m_cs = cs;
    m_currentMatchLine = -1;
    viewport()->update();
}

void LogView::setCurrentMatch(qsizetype line, int occurrence)
{
    m_currentMatchLine = line;
    m_currentOccurrence = occurrence;
    if (line < 0) {
        viewport()->update();
        return;
    }
    showLine(line);

    // Bring the match into view sideways too.
    if (!m_wrap && !m_pattern.isEmpty()) {
        CachedLine *entry = cachedLine(line);
        qsizetype column = -1;
        for (int i = 0; i <= occurrence; ++i) {
            column = entry->styled.text.indexOf(m_pattern,
                                                column < 0 ? 0 : column + m_pattern.size(), m_cs);
            if (column < 0)
                break;
        }
        if (column >= 0) {
            layoutLine(entry, -1);
            const int x = int(entry->layout.lineAt(0).cursorToX(int(column)));
            QScrollBar *bar = horizontalScrollBar();
            if (x < bar->value() || x > bar->value() + textWidth() - 4 * m_charWidth)
                bar->setValue(qMax(0, x - textWidth() / 3));
        }
    }
    viewport()->update();
}

void LogView::setMarkedLine(qsizetype line)
{
    m_markedLine = line;
    viewport()->update();
}

qsizetype LogView::firstVisibleLine() const
{
    return verticalScrollBar()->value();
}

qsizetype LogView::visibleLineCount() const
{
    const int height = viewport()->height();
    if (!m_wrap || !m_document)
        return qMax(1, height / m_lineHeight);

    qsizetype count = 0;
    int y = 0;
    for (qsizetype line = firstVisibleLine(); line < m_document->lineCount() && y < height;
         ++line) {
        CachedLine *entry = cachedLine(line);
        layoutLine(entry, textWidth());
        y += entry->visualLines * m_lineHeight;
        ++count;
    }
    return qMax<qsizetype>(1, count);
}

void LogView::showLine(qsizetype line)
{
    const qsizetype first = firstVisibleLine();
    const qsizetype visible = visibleLineCount();
    if (line >= first && line < first + visible - (m_wrap ? 1 : 0))
        return;
    verticalScrollBar()->setValue(int(qMax<qsizetype>(0, line - visible / 2)));
}

void LogView::scrollToEnd()
{
    QScrollBar *bar = verticalScrollBar();
    if (!m_wrap || !m_document) {
        bar->setValue(bar->maximum());
        return;
    }

    // Wrapped lines have different heights: walk back from the end until the screen is full.
    const int height = viewport()->height();
    qsizetype top = m_document->lineCount();
    int used = 0;
    while (top > 0) {
        CachedLine *entry = cachedLine(top - 1);
        layoutLine(entry, textWidth());
        if (used + entry->visualLines * m_lineHeight > height && used > 0)
            break;
        used += entry->visualLines * m_lineHeight;
        --top;
    }
    bar->setValue(int(top));
}

bool LogView::isAtEnd() const
{
    if (!m_document || m_document->lineCount() == 0)
        return true;
    const qsizetype last = m_document->lineCount() - 1;
    return verticalScrollBar()->value() >= verticalScrollBar()->maximum()
        || firstVisibleLine() + visibleLineCount() > last;
}

LogView::CachedLine *LogView::cachedLine(qsizetype line) const
{
    if (CachedLine *entry = m_cache.object(line))
        return entry;

    auto *entry = new CachedLine;
    const QByteArrayView bytes = m_document ? m_document->line(line) : QByteArrayView();
    entry->styled = parseSgrLine(
        QString::fromUtf8(bytes.first(qMin<qsizetype>(bytes.size(), MaxDrawnChars * 4))));
    if (entry->styled.text.size() > MaxDrawnChars || bytes.size() > MaxDrawnChars * 4) {
        entry->styled.text.truncate(MaxDrawnChars);
        entry->styled.text += tr("  … [line cut: %1 bytes in all]").arg(bytes.size());
    }
    entry->layout.setText(entry->styled.text);
    entry->layout.setFont(font());
    entry->layout.setFormats(formatsFor(entry->styled));
    entry->layout.setCacheEnabled(true);
    m_cache.insert(line, entry);
    return entry;
}

const StyledLine &LogView::styledLine(qsizetype line) const
{
    return cachedLine(line)->styled;
}

void LogView::layoutLine(CachedLine *entry, int width) const
{
    if (entry->layoutWidth == width)
        return;

    QTextOption option;
    option.setWrapMode(width > 0 ? QTextOption::WrapAtWordBoundaryOrAnywhere : QTextOption::NoWrap);
    option.setTabStopDistance(8 * m_charWidth);
    entry->layout.setTextOption(option);

    entry->layout.beginLayout();
    int visual = 0;
    for (;;) {
        QTextLine line = entry->layout.createLine();
        if (!line.isValid())
            break;
        // Unwrapped, the line is as wide as its text could be (wide characters take two cells);
        // an unbounded width overflows the fixed-point maths of the text engine.
        line.setLineWidth(width > 0 ? width
                                    : qreal(entry->styled.text.size() + 8) * m_charWidth * 2);
        line.setPosition(QPointF(0, visual * m_lineHeight));
        ++visual;
    }
    entry->layout.endLayout();
    entry->layoutWidth = width;
    entry->visualLines = qMax(1, visual);
}

QColor LogView::resolve(const SgrColor &color, bool foreground) const
{
    switch (color.kind) {
    case SgrColor::Kind::Default:
        return palette().color(foreground ? QPalette::Text : QPalette::Base);
    case SgrColor::Kind::Indexed:
        if (color.value < 16)
            return QColor::fromRgb(m_dark ? DarkColors[color.value] : LightColors[color.value]);
        return QColor::fromRgb(xtermColor(int(color.value)));
    case SgrColor::Kind::Rgb:
        return QColor::fromRgb(color.value);
    }
    return {};
}

QTextCharFormat LogView::formatFor(const SgrStyle &style) const
{
    QTextCharFormat format;
    QColor foreground = resolve(style.foreground, true);
    QColor background = resolve(style.background, false);
    if (style.bold && style.foreground.kind == SgrColor::Kind::Indexed
        && style.foreground.value < 8)
        foreground = QColor::fromRgb(m_dark ? DarkColors[style.foreground.value + 8]
                                            : LightColors[style.foreground.value]);
    if (style.inverse)
        std::swap(foreground, background);
    if (style.faint)
        foreground = blend(foreground, palette().color(QPalette::Base), 0.45);

    format.setForeground(foreground);
    if (!style.background.isDefault() || style.inverse)
        format.setBackground(background);
    if (style.bold)
        format.setFontWeight(QFont::Bold);
    if (style.italic)
        format.setFontItalic(true);
    if (style.underline)
        format.setFontUnderline(true);
    if (style.strikeOut)
        format.setFontStrikeOut(true);
    return format;
}

QList<QTextLayout::FormatRange> LogView::formatsFor(const StyledLine &styled) const
{
    QList<QTextLayout::FormatRange> formats;
    formats.reserve(styled.spans.size());
    for (const StyledSpan &span : styled.spans) {
        if (span.start >= styled.text.size())
            break;
        formats.append({span.start, qMin<int>(span.length, int(styled.text.size()) - span.start),
                        formatFor(span.style)});
    }
    return formats;
}

QList<QTextLayout::FormatRange> LogView::overlaysFor(qsizetype line, const CachedLine &entry) const
{
    QList<QTextLayout::FormatRange> overlays;
    const QString &text = entry.styled.text;

    if (!m_pattern.isEmpty()) {
        QTextCharFormat match;
        match.setBackground(m_dark ? QColor(0x7a, 0x64, 0x00) : QColor(0xff, 0xe8, 0x6b));
        match.setForeground(palette().color(QPalette::Text));
        QTextCharFormat current;
        current.setBackground(QColor(0xff, 0x8c, 0x1a));
        current.setForeground(Qt::black);

        int occurrence = 0;
        for (qsizetype from = text.indexOf(m_pattern, 0, m_cs); from >= 0;
             from = text.indexOf(m_pattern, from + m_pattern.size(), m_cs), ++occurrence) {
            const bool isCurrent = line == m_currentMatchLine && occurrence == m_currentOccurrence;
            overlays.append({int(from), int(m_pattern.size()), isCurrent ? current : match});
        }
    }

    if (hasSelection()) {
        const TextPosition start = qMin(m_anchor, m_cursor);
        const TextPosition end = qMax(m_anchor, m_cursor);
        if (line >= start.line && line <= end.line) {
            const qsizetype from = line == start.line ? start.column : 0;
            // A selected line break shows as one selected cell after the text.
            const qsizetype to = line == end.line ? end.column : text.size() + 1;
            QTextCharFormat selected;
            selected.setBackground(palette().color(QPalette::Highlight));
            selected.setForeground(palette().color(QPalette::HighlightedText));
            if (to > from)
                overlays.append({int(from), int(to - from), selected});
        }
    }
    return overlays;
}

void LogView::paintEvent(QPaintEvent *)
{
    QPainter painter(viewport());
    const QRect area = viewport()->rect();
    const QPalette &pal = palette();
    painter.fillRect(area, pal.color(QPalette::Base));

    const QColor gutterBackground
        = blend(pal.color(QPalette::Base), pal.color(QPalette::Text), 0.04);
    painter.fillRect(QRect(0, 0, m_gutterWidth, area.height()), gutterBackground);
    painter.setPen(blend(pal.color(QPalette::Base), pal.color(QPalette::Text), 0.15));
    painter.drawLine(m_gutterWidth - 1, 0, m_gutterWidth - 1, area.height());

    if (!m_document) {
        Q_EMIT painted(0);
        return;
    }

    const qsizetype lines = m_document->lineCount();
    const int width = m_wrap ? textWidth() : -1;
    const int x = m_gutterWidth + TextMargin - (m_wrap ? 0 : horizontalScrollBar()->value());
    const QColor numberColor = blend(pal.color(QPalette::Base), pal.color(QPalette::Text), 0.45);
    const QRect textArea(m_gutterWidth, 0, area.width() - m_gutterWidth, area.height());

    qsizetype painted = 0;
    int y = 0;
    for (qsizetype line = firstVisibleLine(); line < lines && y < area.height();
         ++line, ++painted) {
        CachedLine *entry = cachedLine(line);
        layoutLine(entry, width);

        painter.setClipping(false);
        painter.setPen(numberColor);
        painter.drawText(QRect(0, y, m_gutterWidth - GutterPadding, m_lineHeight),
                         Qt::AlignRight | Qt::AlignVCenter, QString::number(line + 1));

        painter.setClipRect(textArea);
        if (line == m_markedLine) {
            const QColor tint = m_dark ? QColor(0x5a, 0x1e, 0x22) : QColor(0xfd, 0xe2, 0xe1);
            painter.fillRect(
                QRect(m_gutterWidth, y, area.width(), entry->visualLines * m_lineHeight), tint);
        }
        painter.setPen(pal.color(QPalette::Text));
        entry->layout.draw(&painter, QPointF(x, y), overlaysFor(line, *entry));
        y += entry->visualLines * m_lineHeight;
    }
    Q_EMIT this->painted(painted);
}

void LogView::resizeEvent(QResizeEvent *event)
{
    QAbstractScrollArea::resizeEvent(event);
    updateScrollBars();
}

void LogView::scrollContentsBy(int, int)
{
    viewport()->update();
}

void LogView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange
        || event->type() == QEvent::StyleChange) {
        m_cache.clear();
        updateMetrics();
        updateScrollBars();
    }
    QAbstractScrollArea::changeEvent(event);
}

void LogView::updateMetrics()
{
    const QFontMetrics metrics(font());
    m_lineHeight = qMax(1, metrics.lineSpacing());
    m_charWidth = qMax(1, metrics.horizontalAdvance(QLatin1Char('0')));
    m_dark = palette().color(QPalette::Base).lightness() < 128;

    const qsizetype lines = m_document ? m_document->lineCount() : 0;
    const int digits = qMax(3, int(QString::number(lines).size()));
    const int gutter = digits * m_charWidth + 2 * GutterPadding;
    if (gutter != m_gutterWidth) {
        m_gutterWidth = gutter;
        m_cache.clear(); // wrapped layouts depend on the text width
    }
}

int LogView::textWidth() const
{
    return qMax(m_charWidth * 8, viewport()->width() - m_gutterWidth - 2 * TextMargin);
}

void LogView::updateScrollBars()
{
    const qsizetype lines = m_document ? m_document->lineCount() : 0;
    const int page = qMax(1, viewport()->height() / m_lineHeight);
    QScrollBar *vertical = verticalScrollBar();
    vertical->setSingleStep(1);
    vertical->setPageStep(page);
    const qsizetype maximum = m_wrap ? lines - 1 : lines - page;
    vertical->setRange(0, int(qBound<qsizetype>(0, maximum, qsizetype(INT_MAX))));

    QScrollBar *horizontal = horizontalScrollBar();
    if (m_wrap) {
        horizontal->setRange(0, 0);
        return;
    }
    const qint64 longest
        = m_document ? qMin<qint64>(m_document->longestLine(), MaxDrawnChars + 40) : 0;
    const qint64 contentWidth = longest * m_charWidth + 2 * TextMargin;
    horizontal->setSingleStep(m_charWidth * 4);
    horizontal->setPageStep(textWidth());
    horizontal->setRange(0, int(qBound<qint64>(0, contentWidth - textWidth(), qint64(INT_MAX))));
}

void LogView::onReset()
{
    m_cache.clear();
    m_anchor = m_cursor = {};
    m_currentMatchLine = -1;
    m_markedLine = -1;
    updateMetrics();
    updateScrollBars();
    verticalScrollBar()->setValue(0);
    horizontalScrollBar()->setValue(0);
    viewport()->update();
}

void LogView::onLinesChanged(qsizetype firstChanged)
{
    m_cache.remove(firstChanged); // the line that was last may have grown
    const int oldGutter = m_gutterWidth;
    updateMetrics();
    if (oldGutter != m_gutterWidth)
        m_cache.clear();
    updateScrollBars();

    const qsizetype first = firstVisibleLine();
    if (firstChanged <= first + visibleLineCount())
        viewport()->update();
}

TextPosition LogView::positionAt(const QPoint &point) const
{
    if (!m_document || m_document->lineCount() == 0)
        return {};

    const qsizetype lines = m_document->lineCount();
    const int width = m_wrap ? textWidth() : -1;
    const qreal x
        = point.x() - m_gutterWidth - TextMargin + (m_wrap ? 0 : horizontalScrollBar()->value());

    qsizetype line = firstVisibleLine();
    int visual = 0;
    if (point.y() < 0) {
        visual = 0;
    } else if (!m_wrap) {
        line += point.y() / m_lineHeight;
    } else {
        int y = 0;
        while (line < lines) {
            CachedLine *entry = cachedLine(line);
            layoutLine(entry, width);
            const int height = entry->visualLines * m_lineHeight;
            if (point.y() < y + height) {
                visual = (point.y() - y) / m_lineHeight;
                break;
            }
            y += height;
            ++line;
        }
    }
    if (line >= lines)
        return {lines - 1, cachedLine(lines - 1)->styled.text.size()};

    CachedLine *entry = cachedLine(line);
    layoutLine(entry, width);
    const QTextLine textLine
        = entry->layout.lineAt(qBound(0, visual, entry->layout.lineCount() - 1));
    if (!textLine.isValid())
        return {line, 0};
    return {line, textLine.xToCursor(qMax<qreal>(0, x))};
}

QString LogView::selectedText() const
{
    if (!hasSelection() || !m_document)
        return {};

    const TextPosition start = qMin(m_anchor, m_cursor);
    const TextPosition end = qMax(m_anchor, m_cursor);
    QString text;
    for (qsizetype line = start.line; line <= end.line && line < m_document->lineCount(); ++line) {
        // The full line, not the drawn one, which cuts very long lines.
        const QString full = parseSgrLine(QString::fromUtf8(m_document->line(line))).text;
        const qsizetype from = line == start.line ? start.column : 0;
        const qsizetype to = line == end.line ? end.column : full.size();
        text += QStringView(full).mid(from, qMax<qsizetype>(0, to - from));
        if (line != end.line)
            text += QLatin1Char('\n');
    }
    return text;
}

void LogView::selectAll()
{
    if (!m_document || m_document->lineCount() == 0)
        return;
    m_anchor = {0, 0};
    const qsizetype last = m_document->lineCount() - 1;
    m_cursor = {last, parseSgrLine(QString::fromUtf8(m_document->line(last))).text.size()};
    viewport()->update();
}

void LogView::clearSelection()
{
    m_anchor = m_cursor = {};
    viewport()->update();
}

void LogView::copy() const
{
    if (hasSelection())
        QApplication::clipboard()->setText(selectedText());
}

void LogView::keyPressEvent(QKeyEvent *event)
{
    if (event->matches(QKeySequence::Copy)) {
        copy();
        return;
    }
    if (event->matches(QKeySequence::SelectAll)) {
        selectAll();
        return;
    }

    QScrollBar *vertical = verticalScrollBar();
    switch (event->key()) {
    case Qt::Key_Home:
        vertical->setValue(0);
        return;
    case Qt::Key_End:
        scrollToEnd();
        return;
    default:
        break;
    }
    QAbstractScrollArea::keyPressEvent(event);
}

void LogView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton) {
        QAbstractScrollArea::mousePressEvent(event);
        return;
    }
    const TextPosition position = positionAt(event->position().toPoint());
    m_cursor = position;
    if (!(event->modifiers() & Qt::ShiftModifier))
        m_anchor = position;
    m_selecting = true;
    m_lastMousePos = event->position().toPoint();
    viewport()->update();
}

void LogView::mouseMoveEvent(QMouseEvent *event)
{
    if (!m_selecting)
        return;
    m_lastMousePos = event->position().toPoint();
    m_cursor = positionAt(m_lastMousePos);
    const bool outside = m_lastMousePos.y() < 0 || m_lastMousePos.y() > viewport()->height();
    if (outside && !m_autoScroll.isActive())
        m_autoScroll.start();
    else if (!outside)
        m_autoScroll.stop();
    viewport()->update();
}

void LogView::mouseReleaseEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton) {
        m_selecting = false;
        m_autoScroll.stop();
        if (hasSelection() && QApplication::clipboard()->supportsSelection())
            QApplication::clipboard()->setText(selectedText(), QClipboard::Selection);
    }
}

void LogView::mouseDoubleClickEvent(QMouseEvent *event)
{
    const TextPosition position = positionAt(event->position().toPoint());
    const QString &text = styledLine(position.line).text;
    qsizetype from = qMin(position.column, text.size());
    qsizetype to = from;
    while (from > 0 && isWordChar(text.at(from - 1)))
        --from;
    while (to < text.size() && isWordChar(text.at(to)))
        ++to;
    m_anchor = {position.line, from};
    m_cursor = {position.line, to};
    viewport()->update();
}

void LogView::autoScroll()
{
    QScrollBar *vertical = verticalScrollBar();
    const int y = m_lastMousePos.y();
    const int distance = y < 0 ? y : y - viewport()->height();
    const int step
        = qBound(-20, distance / qMax(1, m_lineHeight / 2) + (distance < 0 ? -1 : 1), 20);
    vertical->setValue(vertical->value() + step);
    m_cursor = positionAt(QPoint(m_lastMousePos.x(), qBound(0, y, viewport()->height() - 1)));
    viewport()->update();
}

void LogView::contextMenuEvent(QContextMenuEvent *event)
{
    QMenu menu(this);
    QAction *copyAction = menu.addAction(QIcon::fromTheme(QStringLiteral("edit-copy")), tr("&Copy"),
                                         this, &LogView::copy);
    copyAction->setShortcut(QKeySequence::Copy);
    copyAction->setEnabled(hasSelection());
    QAction *all = menu.addAction(tr("Select &All"), this, &LogView::selectAll);
    all->setShortcut(QKeySequence::SelectAll);
    menu.addSeparator();
    QAction *wrap = menu.addAction(tr("&Wrap Lines"), this, &LogView::setWordWrap);
    wrap->setCheckable(true);
    wrap->setChecked(m_wrap);
    menu.exec(event->globalPos());
}

} // namespace cic::logview
