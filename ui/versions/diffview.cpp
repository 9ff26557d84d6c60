// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/versions/diffview.h"

#include <QEvent>
#include <QFontDatabase>
#include <QScrollBar>
#include <QTextBlock>

#include <algorithm>

namespace cic::versions {

namespace {

enum BlockState { OutsideHunk = 0, InsideHunk = 1 };

bool isDarkPalette(const QPalette &palette)
{
    return palette.color(QPalette::Base).lightness() < 128;
}

} // namespace

DiffHighlighter::DiffHighlighter(QTextDocument *document)
    : QSyntaxHighlighter(document)
{
}

void DiffHighlighter::setDark(bool dark)
{
    if (m_dark == dark)
        return;
    m_dark = dark;
    rehighlight();
}

DiffHighlighter::LineKind DiffHighlighter::kindOf(QStringView line, bool inHunk)
{
    if (line.startsWith(u"diff --git ") || line.startsWith(u"# "))
        return line.startsWith(u"# ") ? Note : Header;
    if (line.startsWith(u"@@"))
        return Hunk;
    if (!inHunk)
        return Header;
    if (line.startsWith(u'+'))
        return Added;
    if (line.startsWith(u'-'))
        return Removed;
    if (line.startsWith(u'\\'))
        return Note;
    return Context;
}

void DiffHighlighter::highlightBlock(const QString &text)
{
    const bool inHunk = previousBlockState() == InsideHunk;
    const LineKind kind = kindOf(text, inHunk);
    const bool hunkLine = kind == Hunk || kind == Added || kind == Removed || kind == Context;
    setCurrentBlockState(hunkLine || (inHunk && kind == Note) ? InsideHunk : OutsideHunk);

    // GitHub-like tints, readable on light and dark bases.
    QTextCharFormat format;
    switch (kind) {
    case Header:
        format.setFontWeight(QFont::Bold);
        if (text.startsWith(u"diff --git "))
            format.setBackground(m_dark ? QColor(0x30, 0x36, 0x3d) : QColor(0xea, 0xee, 0xf2));
        break;
    case Hunk:
        format.setForeground(m_dark ? QColor(0x79, 0xc0, 0xff) : QColor(0x05, 0x50, 0xae));
        format.setBackground(m_dark ? QColor(0x12, 0x26, 0x3b) : QColor(0xdd, 0xf4, 0xff));
        break;
    case Added:
        format.setBackground(m_dark ? QColor(0x12, 0x36, 0x1f) : QColor(0xe6, 0xff, 0xec));
        format.setForeground(m_dark ? QColor(0xaf, 0xf5, 0xb4) : QColor(0x11, 0x63, 0x29));
        break;
    case Removed:
        format.setBackground(m_dark ? QColor(0x4b, 0x18, 0x18) : QColor(0xff, 0xeb, 0xe9));
        format.setForeground(m_dark ? QColor(0xff, 0xdc, 0xd7) : QColor(0x82, 0x07, 0x1e));
        break;
    case Note:
        format.setFontItalic(true);
        format.setForeground(m_dark ? QColor(0x8b, 0x94, 0x9e) : QColor(0x57, 0x60, 0x6a));
        break;
    case Context:
        return;
    }
    setFormat(0, int(text.size()), format);
}

DiffView::DiffView(QWidget *parent)
    : QPlainTextEdit(parent)
    , m_highlighter(new DiffHighlighter(document()))
{
    setReadOnly(true);
    setLineWrapMode(QPlainTextEdit::NoWrap);
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_highlighter->setDark(isDarkPalette(palette()));
    connect(verticalScrollBar(), &QScrollBar::valueChanged, this, &DiffView::updateCurrentFile);
}

QString DiffView::diffText(const QList<ScmChangedFile> &files, QList<int> *fileStarts)
{
    QString text;
    int line = 0;
    for (const ScmChangedFile &file : files) {
        if (fileStarts)
            fileStarts->append(line);
        QString part = QString::fromUtf8(scm::unifiedDiff(file));
        if (!file.patchNote.isEmpty())
            part += QLatin1String("# ") + file.patchNote + QLatin1Char('\n');
        else if (!file.binary && file.patch.isEmpty())
            part += tr("# No textual change (a rename or a mode change).") + QLatin1Char('\n');
        line += int(part.count(QLatin1Char('\n')));
        text += part;
    }
    if (text.endsWith(QLatin1Char('\n')))
        text.chop(1);
    return text;
}

void DiffView::setFiles(const QList<ScmChangedFile> &files)
{
    m_fileStarts.clear();
    setPlainText(diffText(files, &m_fileStarts));
    m_currentFile = -1;
    updateCurrentFile();
}

int DiffView::fileAtBlock(int block) const
{
    const auto after = std::upper_bound(m_fileStarts.cbegin(), m_fileStarts.cend(), block);
    return int(after - m_fileStarts.cbegin()) - 1;
}

int DiffView::fileStartBlock(int file) const
{
    return file >= 0 && file < m_fileStarts.size() ? m_fileStarts[file] : -1;
}

int DiffView::currentFile() const
{
    return fileAtBlock(firstVisibleBlock().blockNumber());
}

void DiffView::showFile(int file)
{
    const int start = fileStartBlock(file);
    if (start < 0)
        return;
    const QTextBlock block = document()->findBlockByNumber(start);
    QTextCursor cursor(block);
    setTextCursor(cursor);
    // Put the file's header at the top: scroll to the end, then back to the cursor.
    verticalScrollBar()->setValue(verticalScrollBar()->maximum());
    ensureCursorVisible();
    updateCurrentFile();
}

void DiffView::showNextFile()
{
    showFile(std::min(currentFile() + 1, fileCount() - 1));
}

void DiffView::showPreviousFile()
{
    const int current = currentFile();
    const bool atStart = current >= 0 && firstVisibleBlock().blockNumber() == m_fileStarts[current];
    showFile(std::max(atStart ? current - 1 : current, 0));
}

void DiffView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange)
        m_highlighter->setDark(isDarkPalette(palette()));
    QPlainTextEdit::changeEvent(event);
}

void DiffView::updateCurrentFile()
{
    const int file = currentFile();
    if (file == m_currentFile)
        return;
    m_currentFile = file;
    Q_EMIT currentFileChanged(file);
}

} // namespace cic::versions
