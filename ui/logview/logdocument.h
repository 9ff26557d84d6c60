// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ui/logview/lineindex.h"

#include <QByteArray>
#include <QFuture>
#include <QObject>

#include <atomic>
#include <memory>

namespace cic::logview {

// The bytes of one log, kept once as they came, and the index of where its lines start.
//
// A big log is indexed off the UI thread, in batches that arrive while the scan goes on, so
// the first screen can be drawn long before the last line is known. Lines are decoded only
// when they are drawn. While a background job reads the bytes (indexing, a search), appends
// wait in a queue and are applied when it ends, so no job ever sees the buffer move.
class LogDocument final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LogDocument)

public:
    explicit LogDocument(QObject *parent = nullptr);
    ~LogDocument() override;

    void clear();

    // Replaces the content. Small logs are indexed at once; big ones in the background.
    void setData(const QByteArray &bytes);

    // Reads a file and indexes it as it is read, both in the background. False when the
    // file cannot be opened; loadFailed() reports a read error that happens later.
    bool loadFile(const QString &path);

    // Adds bytes at the end, as a running build's log grows.
    void append(const QByteArray &bytes);

    qsizetype lineCount() const;

    // A line's bytes without its line break (LF or CRLF). Valid until the next change.
    QByteArrayView line(qsizetype index) const;

    qint64 lineStart(qsizetype index) const { return m_index.at(index); }
    qsizetype lineAtOffset(qint64 offset) const;

    // Bytes that can be read now; while a file loads, the part already read.
    qint64 size() const { return m_size; }
    const char *constData() const { return m_bytes.constData(); }
    const LineIndex &index() const { return m_index; }

    // Length in bytes of the longest line seen so far; the view sizes its scroll range by it.
    qint64 longestLine() const { return m_longestLine; }

    bool isIndexing() const { return m_indexing; }
    double indexProgress() const;

    // Holds appends back while a background reader uses constData() and index(). Every
    // beginRead() needs its endRead() with the token it returned. Replacing the content
    // (setData, loadFile, clear) announces aboutToReset() first: a reader must stop and wait
    // for its thread there, and its token is void afterwards.
    quint64 beginRead();
    void endRead(quint64 token);

    qint64 memoryBytes() const { return m_bytes.capacity() + m_index.memoryBytes(); }

Q_SIGNALS:
    // The content is about to be replaced: background readers stop now.
    void aboutToReset();

    // The whole content was replaced (or cleared).
    void reset();

    // Lines from firstChanged on are new, or the last line grew.
    void linesChanged(qsizetype firstChanged);

    void indexingFinished();
    void loadFailed(const QString &message);

private:
    void prepareReset();
    void startIndexing(const QString &path);
    void applyBatch(quint64 generation, std::vector<qint64> starts, qint64 available,
                    qint64 longest);
    void finishIndexing(quint64 generation, qint64 finalSize, const QString &error);
    void appendNow(const QByteArray &bytes);
    void flushPending();

    QByteArray m_bytes;
    qint64 m_size = 0;
    qint64 m_expectedSize = 0;
    LineIndex m_index;
    qint64 m_longestLine = 0;

    bool m_indexing = false;
    int m_readers = 0;
    quint64 m_readGeneration = 1; // tokens of an earlier content are void
    QByteArray m_pending;

    quint64 m_generation = 0;
    std::shared_ptr<std::atomic_bool> m_cancel;
    QFuture<void> m_job;
};

} // namespace cic::logview
