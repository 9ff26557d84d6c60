// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QFutureWatcher>
#include <QObject>
#include <QString>

#include <atomic>
#include <memory>
#include <vector>

namespace cic::logview {

class LogDocument;

// Finds a byte string in a buffer: Boyer-Moore-Horspool over bytes, ASCII letters folded
// when the search ignores case. Thread-safe once built.
class BytePattern
{
public:
    BytePattern(const QByteArray &needle, bool caseSensitive);

    // The offset of the first occurrence in data[from, to), or -1.
    qint64 find(const char *data, qint64 from, qint64 to) const;

    qsizetype size() const { return m_needle.size(); }
    bool isEmpty() const { return m_needle.isEmpty(); }

private:
    QByteArray m_needle; // folded when case-insensitive
    bool m_caseSensitive;
    qint64 m_skip[256];
};

// The bytes of a line as they read on screen: escape sequences out, and only what follows
// the last carriage return inside the line.
QByteArray visibleBytes(QByteArrayView line);

// Non-overlapping occurrences of pattern in text, the way the view highlights them.
int countOccurrences(QStringView text, QStringView pattern, Qt::CaseSensitivity cs);

// The lines of a log matching a pattern, with how many times each matches. A line's
// matches are counted in its visible text, without escape sequences.
struct SearchHit
{
    qsizetype line = 0;
    int count = 0;

    bool operator==(const SearchHit &) const = default;
};

// Thread-safe scan of lines [fromLine, toLine) of a document nobody changes meanwhile.
// report() receives batches of hits in line order and the fraction done.
void searchLines(const LogDocument &document, qsizetype fromLine, qsizetype toLine,
                 const QString &pattern, Qt::CaseSensitivity cs, const std::atomic_bool &cancel,
                 const std::function<void(std::vector<SearchHit> &&, double)> &report);

// The first line at or after fromLine that reads like a failure: the word "error" in any
// case, FAILED, FATAL, an exception name or a Python traceback. -1 when there is none.
qsizetype findFirstErrorLine(const LogDocument &document, qsizetype fromLine,
                             const std::atomic_bool *cancel = nullptr);

// Searches a LogDocument, off the UI thread when it is big; the count grows while the scan
// goes on. Lines appended later (a followed build) are searched as they arrive.
class LogSearch final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LogSearch)

public:
    explicit LogSearch(LogDocument *document, QObject *parent = nullptr);
    ~LogSearch() override;

    void start(const QString &pattern, Qt::CaseSensitivity cs = Qt::CaseInsensitive);
    void cancel();

    QString pattern() const { return m_pattern; }
    Qt::CaseSensitivity caseSensitivity() const { return m_cs; }
    bool isRunning() const { return m_running || m_waitingForIndex; }
    double progress() const { return m_progress; }

    const std::vector<SearchHit> &hits() const { return m_hits; }
    qint64 matchCount() const { return m_total; }

    // The position of the n-th match (0-based) as a hit index and an occurrence in its line.
    bool matchAt(qint64 ordinal, qsizetype *hitIndex, int *occurrence) const;

    // The ordinal of the first match on or after line (wrapping to 0), -1 with no matches.
    qint64 firstMatchFrom(qsizetype line) const;

    // The ordinal of the first match on line, -1 when the line has none.
    qint64 ordinalOfLine(qsizetype line) const;

Q_SIGNALS:
    void resultsChanged();
    void finished();

private:
    void launch(qsizetype fromLine);
    void addHits(std::vector<SearchHit> &&hits);
    void finishBackgroundScan(qsizetype searchedLines);
    void onLinesChanged(qsizetype firstChanged);
    void onReset();

    LogDocument *m_document;
    QString m_pattern;
    Qt::CaseSensitivity m_cs = Qt::CaseInsensitive;

    std::vector<SearchHit> m_hits;
    std::vector<qint64> m_before; // matches before each hit, for ordinals
    qint64 m_total = 0;
    double m_progress = 1.0;

    bool m_running = false;
    bool m_waitingForIndex = false;
    qsizetype m_searchedLines = 0; // lines known to be searched completely
    quint64 m_generation = 0;
    quint64 m_readToken = 0;
    std::shared_ptr<std::atomic_bool> m_cancel;
    QFutureWatcher<void> m_watcher;
};

} // namespace cic::logview
