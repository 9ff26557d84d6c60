// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/logview/logsearch.h"

#include "ui/logview/logdocument.h"

#include <QtConcurrent/QtConcurrentRun>

#include <cstring>

namespace cic::logview {

namespace {

// Below this many bytes, appended lines are searched on the spot.
constexpr qint64 SynchronousBytes = 1 << 20;
constexpr qint64 ReportEveryBytes = 4 << 20;

inline uchar fold(uchar c)
{
    return (c >= 'A' && c <= 'Z') ? uchar(c | 0x20) : c;
}

bool isWordByte(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// True when data[at - 1] ends an SGR sequence (ESC [ digits m): a coloured word starts there.
bool followsSgr(const char *data, qint64 at)
{
    qint64 p = at - 1;
    if (p < 0 || data[p] != 'm')
        return false;
    for (int steps = 0; --p >= 1 && steps < 32; ++steps) {
        const char c = data[p];
        if (c == '[')
            return data[p - 1] == '\x1b';
        if (!((c >= '0' && c <= '9') || c == ';' || c == ':'))
            return false;
    }
    return false;
}

} // namespace

BytePattern::BytePattern(const QByteArray &needle, bool caseSensitive)
    : m_needle(needle)
    , m_caseSensitive(caseSensitive)
{
    if (!caseSensitive) {
        for (char &c : m_needle)
            c = char(fold(uchar(c)));
    }
    const qint64 n = m_needle.size();
    for (qint64 &skip : m_skip)
        skip = n;
    for (qint64 i = 0; i + 1 < n; ++i) {
        const uchar c = uchar(m_needle[i]);
        m_skip[c] = n - 1 - i;
        if (!caseSensitive && c >= 'a' && c <= 'z')
            m_skip[c & ~0x20] = n - 1 - i;
    }
}

qint64 BytePattern::find(const char *data, qint64 from, qint64 to) const
{
    const qint64 n = m_needle.size();
    if (n == 0 || to - from < n)
        return -1;

    const uchar *hay = reinterpret_cast<const uchar *>(data);
    const uchar *needle = reinterpret_cast<const uchar *>(m_needle.constData());
    const uchar lastByte = needle[n - 1];

    if (m_caseSensitive && n == 1) {
        const void *hit = std::memchr(data + from, lastByte, size_t(to - from));
        return hit ? qint64(static_cast<const char *>(hit) - data) : -1;
    }

    qint64 pos = from;
    while (pos + n <= to) {
        const uchar last = hay[pos + n - 1];
        const uchar folded = m_caseSensitive ? last : fold(last);
        if (folded == lastByte) {
            qint64 i = n - 2;
            if (m_caseSensitive) {
                while (i >= 0 && hay[pos + i] == needle[i])
                    --i;
            } else {
                while (i >= 0 && fold(hay[pos + i]) == needle[i])
                    --i;
            }
            if (i < 0)
                return pos;
        }
        pos += m_skip[last];
    }
    return -1;
}

int countOccurrences(QStringView text, QStringView pattern, Qt::CaseSensitivity cs)
{
    if (pattern.isEmpty())
        return 0;
    int count = 0;
    qsizetype from = 0;
    while ((from = text.indexOf(pattern, from, cs)) >= 0) {
        ++count;
        from += pattern.size();
    }
    return count;
}

void visibleBytes(QByteArrayView line, QByteArray &out)
{
    // What follows the last carriage return is what a terminal leaves on the line.
    qsizetype from = 0;
    for (qsizetype i = line.size() - 2; i >= 0; --i) {
        if (line[i] == '\r') {
            from = i + 1;
            break;
        }
    }

    out.resize(0);
    const char *p = line.data() + from;
    const char *const end = line.data() + line.size();
    while (p < end) {
        // Runs of text are copied whole; only escapes are walked byte by byte.
        const void *escape = std::memchr(p, '\x1b', size_t(end - p));
        const char *runEnd = escape ? static_cast<const char *>(escape) : end;
        for (const char *q = p; q < runEnd;) {
            const void *cr = std::memchr(q, '\r', size_t(runEnd - q));
            const char *stop = cr ? static_cast<const char *>(cr) : runEnd;
            out.append(q, stop - q);
            q = cr ? stop + 1 : runEnd;
        }
        p = runEnd;
        if (p == end || ++p == end)
            break;

        if (*p == '[') {
            ++p;
            while (p < end && !(*p >= 0x40 && *p <= 0x7e))
                ++p;
            p += p < end ? 1 : 0;
        } else if (*p == ']' || *p == 'P' || *p == '_' || *p == '^') {
            ++p;
            while (p < end && *p != '\x07' && !(*p == '\x1b' && p + 1 < end && p[1] == '\\'))
                ++p;
            if (p < end)
                p += *p == '\x07' ? 1 : 2;
        } else if (*p >= 0x20 && *p <= 0x2f) {
            while (p < end && *p >= 0x20 && *p <= 0x2f)
                ++p;
            p += p < end ? 1 : 0;
        } else {
            ++p;
        }
    }
}

QByteArray visibleBytes(QByteArrayView line)
{
    QByteArray out;
    visibleBytes(line, out);
    return out;
}

namespace {

// Where the next byte at or after from that changes how a line reads (an escape, or a
// carriage return that is not part of a CRLF) is, or to when there is none.
qint64 nextSpecial(const char *data, qint64 from, qint64 to)
{
    for (qint64 pos = from; pos < to;) {
        const void *esc = std::memchr(data + pos, '\x1b', size_t(to - pos));
        const qint64 escAt = esc ? qint64(static_cast<const char *>(esc) - data) : to;
        const void *cr = std::memchr(data + pos, '\r', size_t(escAt - pos));
        if (!cr)
            return escAt;
        const qint64 crAt = qint64(static_cast<const char *>(cr) - data);
        if (crAt + 1 < to && data[crAt + 1] != '\n')
            return crAt;
        pos = crAt + 1;
    }
    return to;
}

int countIn(const BytePattern &finder, const char *data, qint64 from, qint64 to)
{
    int count = 0;
    for (qint64 at = finder.find(data, from, to); at >= 0;
         at = finder.find(data, at + finder.size(), to))
        ++count;
    return count;
}

} // namespace

void searchLines(const LogDocument &document, qsizetype fromLine, qsizetype toLine,
                 const QString &pattern, Qt::CaseSensitivity cs, const std::atomic_bool &cancel,
                 const std::function<void(std::vector<SearchHit> &&, double)> &report)
{
    const qsizetype lines = document.lineCount();
    toLine = qMin(toLine, lines);
    if (pattern.isEmpty() || fromLine >= toLine) {
        report({}, 1.0);
        return;
    }

    const BytePattern finder(pattern.toUtf8(), cs == Qt::CaseSensitive);
    const char *data = document.constData();
    const qint64 begin = document.lineStart(fromLine);
    const qint64 end = toLine < lines ? document.lineStart(toLine) : document.size();
    const double span = double(qMax<qint64>(1, end - begin));
    auto nextLineStart = [&](qsizetype line) {
        return line + 1 < lines ? document.lineStart(line + 1) : document.size();
    };

    // Offsets only grow during the scan, so the line that holds one is found by walking on
    // from the last one, not by a search of the whole index.
    qsizetype cursor = fromLine;
    auto lineOf = [&](qint64 offset) {
        while (cursor + 1 < lines && document.lineStart(cursor + 1) <= offset)
            ++cursor;
        return cursor;
    };

    std::vector<SearchHit> batch;
    QByteArray visible;
    qint64 nextReport = begin + ReportEveryBytes;
    qint64 pos = begin;
    while (pos < end && !cancel.load()) {
        // Lines without escapes are searched as raw bytes, in one run up to the next line
        // that has them; that line is searched in the text it shows.
        const qint64 special = nextSpecial(data, pos, end);
        const qint64 plainEnd = special < end ? document.lineStart(lineOf(special)) : end;
        const qsizetype specialLine = special < end ? cursor : -1;

        for (qint64 at = pos; at < plainEnd && !cancel.load();) {
            const qint64 hit = finder.find(data, at, plainEnd);
            if (hit < 0)
                break;
            const qsizetype line = document.lineAtOffset(hit);
            const QByteArrayView bytes = document.line(line);
            const qint64 lineEnd = qint64(bytes.data() - data) + bytes.size();
            const int count = countIn(finder, data, hit, lineEnd);
            if (count > 0)
                batch.push_back({line, count});
            at = nextLineStart(line);
        }

        if (specialLine >= 0) {
            visibleBytes(document.line(specialLine), visible);
            const int count = countIn(finder, visible.constData(), 0, visible.size());
            if (count > 0)
                batch.push_back({specialLine, count});
            pos = nextLineStart(specialLine);
        } else {
            pos = end;
        }

        if (pos >= nextReport) {
            report(std::move(batch), double(pos - begin) / span);
            batch = {};
            nextReport = pos + ReportEveryBytes;
        }
    }
    report(std::move(batch), 1.0);
}

qsizetype findFirstErrorLine(const LogDocument &document, qsizetype fromLine,
                             const std::atomic_bool *cancel)
{
    struct Word
    {
        const char *text;
        bool caseSensitive;
        bool wordStart; // must not follow a letter, digit or underscore
        bool wordEnd;
    };
    static constexpr Word Words[] = {
        {"error", false, true, true},
        {"FAILED", true, true, true},
        {"FATAL", true, true, true},
        {"Exception", true, false, true},
        {"Traceback (most recent call last)", true, false, false},
    };

    const qsizetype lines = document.lineCount();
    if (fromLine >= lines)
        return -1;

    const char *data = document.constData();
    const qint64 size = document.size();
    qint64 end = size; // shrinks as earlier candidates are found
    qint64 best = -1;

    for (const Word &word : Words) {
        const QByteArray needle(word.text);
        const BytePattern finder(needle, word.caseSensitive);
        qint64 pos = document.lineStart(fromLine);
        while (cancel == nullptr || !cancel->load()) {
            const qint64 hit = finder.find(data, pos, end);
            if (hit < 0)
                break;
            const qint64 after = hit + needle.size();
            const bool startOk = !word.wordStart || hit == 0 || !isWordByte(data[hit - 1])
                || followsSgr(data, hit);
            const bool endOk = !word.wordEnd || after >= size || !isWordByte(data[after]);
            if (startOk && endOk) {
                best = hit;
                end = hit; // later words only need to look before this one
                break;
            }
            pos = hit + 1;
        }
    }
    return best < 0 ? -1 : document.lineAtOffset(best);
}

LogSearch::LogSearch(LogDocument *document, QObject *parent)
    : QObject(parent)
    , m_document(document)
{
    connect(document, &LogDocument::reset, this, &LogSearch::onReset);
    connect(document, &LogDocument::linesChanged, this, &LogSearch::onLinesChanged);
    connect(document, &LogDocument::indexingFinished, this, [this] {
        if (m_waitingForIndex) {
            m_waitingForIndex = false;
            launch(0);
        }
    });
    connect(document, &LogDocument::aboutToReset, this, [this] {
        cancel();
        m_hits.clear();
        m_before.clear();
        m_total = 0;
        m_searchedLines = 0;
    });
}

LogSearch::~LogSearch()
{
    cancel();
}

void LogSearch::cancel()
{
    ++m_generation;
    m_waitingForIndex = false;
    if (!m_running)
        return;
    // The scan checks the flag between runs of text; waiting here means no thread reads the
    // document once this returns.
    m_cancel->store(true);
    m_watcher.waitForFinished();
    m_running = false;
    m_document->endRead(m_readToken);
}

void LogSearch::start(const QString &pattern, Qt::CaseSensitivity cs)
{
    cancel();
    m_pattern = pattern;
    m_cs = cs;
    m_hits.clear();
    m_before.clear();
    m_total = 0;
    m_searchedLines = 0;
    m_progress = pattern.isEmpty() ? 1.0 : 0.0;
    Q_EMIT resultsChanged();

    if (pattern.isEmpty()) {
        Q_EMIT finished();
        return;
    }
    if (m_document->isIndexing()) {
        m_waitingForIndex = true;
        return;
    }
    launch(0);
}

void LogSearch::launch(qsizetype fromLine)
{
    const qsizetype toLine = m_document->lineCount();
    const qint64 bytes
        = fromLine < toLine ? m_document->size() - m_document->lineStart(fromLine) : 0;
    const quint64 generation = m_generation;

    if (bytes <= SynchronousBytes || m_running) {
        if (m_running)
            return; // the running scan's end picks the new lines up, see onLinesChanged
        std::atomic_bool never{false};
        searchLines(*m_document, fromLine, toLine, m_pattern, m_cs, never,
                    [this](std::vector<SearchHit> &&hits, double) { addHits(std::move(hits)); });
        m_searchedLines = toLine;
        m_progress = 1.0;
        Q_EMIT resultsChanged();
        Q_EMIT finished();
        return;
    }

    m_cancel = std::make_shared<std::atomic_bool>(false);
    m_running = true;
    m_readToken = m_document->beginRead();
    const LogDocument *document = m_document;
    auto cancel = m_cancel;
    const QString pattern = m_pattern;
    const Qt::CaseSensitivity cs = m_cs;
    m_watcher.setFuture(QtConcurrent::run([this, document, fromLine, toLine, pattern, cs, cancel,
                                           generation] {
        searchLines(*document, fromLine, toLine, pattern, cs, *cancel,
                    [this, generation, toLine](std::vector<SearchHit> &&hits, double progress) {
                        QMetaObject::invokeMethod(
                            this,
                            [this, generation, toLine, progress, hits = std::move(hits)]() mutable {
                                if (generation != m_generation)
                                    return;
                                addHits(std::move(hits));
                                m_progress = progress;
                                Q_EMIT resultsChanged();
                                if (progress >= 1.0)
                                    finishBackgroundScan(toLine);
                            },
                            Qt::QueuedConnection);
                    });
    }));
}

void LogSearch::finishBackgroundScan(qsizetype searchedLines)
{
    // The last report is the worker's last act; the future is done, or about to be.
    m_watcher.waitForFinished();
    m_running = false;
    m_searchedLines = searchedLines;
    m_document->endRead(m_readToken); // may append held-back lines, searched in onLinesChanged
    Q_EMIT finished();
}

void LogSearch::addHits(std::vector<SearchHit> &&hits)
{
    for (const SearchHit &hit : hits) {
        m_before.push_back(m_total);
        m_hits.push_back(hit);
        m_total += hit.count;
    }
}

void LogSearch::onReset()
{
    if (!m_pattern.isEmpty())
        start(m_pattern, m_cs);
}

void LogSearch::onLinesChanged(qsizetype firstChanged)
{
    if (m_pattern.isEmpty() || m_waitingForIndex || m_running || m_document->isIndexing())
        return;

    // The last line may have grown: search it again with what follows.
    const qsizetype from = qMin(firstChanged, m_searchedLines);
    while (!m_hits.empty() && m_hits.back().line >= from) {
        m_total -= m_hits.back().count;
        m_hits.pop_back();
        m_before.pop_back();
    }
    launch(from);
}

bool LogSearch::matchAt(qint64 ordinal, qsizetype *hitIndex, int *occurrence) const
{
    if (ordinal < 0 || ordinal >= m_total)
        return false;
    const auto it = std::upper_bound(m_before.begin(), m_before.end(), ordinal);
    const qsizetype index = qsizetype(it - m_before.begin()) - 1;
    *hitIndex = index;
    *occurrence = int(ordinal - m_before[size_t(index)]);
    return true;
}

qint64 LogSearch::firstMatchFrom(qsizetype line) const
{
    if (m_hits.empty())
        return -1;
    const auto it
        = std::lower_bound(m_hits.begin(), m_hits.end(), line,
                           [](const SearchHit &hit, qsizetype l) { return hit.line < l; });
    if (it == m_hits.end())
        return 0;
    return m_before[size_t(it - m_hits.begin())];
}

qint64 LogSearch::ordinalOfLine(qsizetype line) const
{
    const auto it
        = std::lower_bound(m_hits.begin(), m_hits.end(), line,
                           [](const SearchHit &hit, qsizetype l) { return hit.line < l; });
    if (it == m_hits.end() || it->line != line)
        return -1;
    return m_before[size_t(it - m_hits.begin())];
}

} // namespace cic::logview
