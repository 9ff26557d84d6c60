// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/scm/scmcomparison.h"

#include <QPlainTextEdit>
#include <QSyntaxHighlighter>

namespace cic::versions {

// Colours a unified diff line by line: file headers, hunk headers, added and removed lines.
class DiffHighlighter final : public QSyntaxHighlighter
{
    Q_OBJECT

public:
    enum LineKind { Header, Hunk, Added, Removed, Context, Note };

    explicit DiffHighlighter(QTextDocument *document);

    void setDark(bool dark);

    // What a line is, given whether a hunk is open above it (after "@@", until the next
    // "diff --git").
    static LineKind kindOf(QStringView line, bool inHunk);

protected:
    void highlightBlock(const QString &text) override;

private:
    bool m_dark = false;
};

// The unified diff of every changed file, one after the other, with per-file navigation.
// Patches are decoded for display with U+FFFD for bytes that are not UTF-8 (the bytes
// themselves stay in the comparison).
class DiffView final : public QPlainTextEdit
{
    Q_OBJECT

public:
    explicit DiffView(QWidget *parent = nullptr);

    void setFiles(const QList<ScmChangedFile> &files);
    int fileCount() const { return int(m_fileStarts.size()); }

    // The file whose diff holds this block (line), or -1 before the first.
    int fileAtBlock(int block) const;
    int fileStartBlock(int file) const;
    int currentFile() const; // the file at the top of the view

    // The text shown for these files, and the first line of each.
    static QString diffText(const QList<ScmChangedFile> &files, QList<int> *fileStarts);

public Q_SLOTS:
    void showFile(int file);
    void showNextFile();
    void showPreviousFile();

Q_SIGNALS:
    void currentFileChanged(int file);

protected:
    void changeEvent(QEvent *event) override;

private:
    void updateCurrentFile();

    DiffHighlighter *m_highlighter;
    QList<int> m_fileStarts;
    int m_currentFile = -1;
};

} // namespace cic::versions
