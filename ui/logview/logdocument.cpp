// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/logview/logdocument.h"

#include <QFile>
#include <QLoggingCategory>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

namespace cic::logview {

namespace {
Q_LOGGING_CATEGORY(lcLogDocument, "cicompanion.ui.logview")

// Below this a log is indexed on the spot: the scan takes well under a millisecond.
constexpr qint64 SynchronousLimit = 1 << 20;

// The first batch is small so that the first screen is ready at once; later ones are big so
// that the UI thread is woken rarely.
constexpr qint64 FirstBatchBytes = 256 << 10;
constexpr qint64 BatchBytes = 8 << 20;
} // namespace

LogDocument::LogDocument(QObject *parent)
    : QObject(parent)
{
    m_index.append(0);
}

LogDocument::~LogDocument()
{
    if (m_cancel)
        m_cancel->store(true);
    m_job.waitForFinished();
}

void LogDocument::clear()
{
    setData({});
}

qsizetype LogDocument::lineCount() const
{
    const qsizetype entries = m_index.size();
    // A log that ends with a newline has no empty line after it.
    return m_index.last() >= m_size ? entries - 1 : entries;
}

QByteArrayView LogDocument::line(qsizetype index) const
{
    if (index < 0 || index >= lineCount())
        return {};

    const qint64 start = m_index.at(index);
    qint64 end = index + 1 < m_index.size() ? m_index.at(index + 1) - 1 : m_size;
    end = qMin(end, m_size);
    if (end > start && m_bytes.at(end - 1) == '\r')
        --end;
    return QByteArrayView(m_bytes.constData() + start, qMax<qint64>(0, end - start));
}

qsizetype LogDocument::lineAtOffset(qint64 offset) const
{
    return qBound<qsizetype>(0, m_index.entryAt(offset), qMax<qsizetype>(0, lineCount() - 1));
}

double LogDocument::indexProgress() const
{
    if (!m_indexing || m_expectedSize <= 0)
        return 1.0;
    return double(m_size) / double(m_expectedSize);
}

void LogDocument::setData(const QByteArray &bytes)
{
    prepareReset();

    m_bytes = bytes;
    m_pending.clear();
    m_index.clear();
    m_index.append(0);
    m_longestLine = 0;
    m_indexing = false;

    if (bytes.size() <= SynchronousLimit) {
        std::vector<qint64> starts;
        m_longestLine = scanLineStarts(bytes.constData(), 0, bytes.size(), 0, starts);
        m_index.append(starts);
        m_size = bytes.size();
        if (lineCount() > 0)
            m_longestLine = qMax(m_longestLine, m_size - m_index.last());
        Q_EMIT reset();
        return;
    }

    m_size = 0;
    m_expectedSize = bytes.size();
    m_indexing = true;
    Q_EMIT reset();
    startIndexing({});
}

bool LogDocument::loadFile(const QString &path)
{
    QFile probe(path);
    if (!probe.open(QIODevice::ReadOnly)) {
        qCWarning(lcLogDocument, "cannot open %s: %s", qUtf8Printable(path),
                  qUtf8Printable(probe.errorString()));
        return false;
    }
    const qint64 fileSize = probe.size();
    probe.close();

    prepareReset();

    // One allocation of the final size: the reader fills it from the front while the view
    // reads the part already published, and nothing ever moves it.
    m_bytes = QByteArray(fileSize, Qt::Uninitialized);
    m_pending.clear();
    m_index.clear();
    m_index.append(0);
    m_longestLine = 0;
    m_size = 0;
    m_expectedSize = fileSize;
    m_indexing = true;
    Q_EMIT reset();
    startIndexing(path);
    return true;
}

void LogDocument::startIndexing(const QString &path)
{
    m_cancel = std::make_shared<std::atomic_bool>(false);
    const quint64 generation = m_generation;
    const qint64 total = m_expectedSize;
    // Taken on this thread: data() would detach a shared buffer, which only this thread may do.
    char *buffer = path.isEmpty() ? nullptr : m_bytes.data();
    const char *bytes = m_bytes.constData();
    auto cancel = m_cancel;

    m_job = QtConcurrent::run([this, generation, total, buffer, bytes, path, cancel] {
        QFile file(path);
        if (buffer && !file.open(QIODevice::ReadOnly)) {
            QMetaObject::invokeMethod(
                this,
                [this, generation, error = file.errorString()] {
                    finishIndexing(generation, 0, error);
                },
                Qt::QueuedConnection);
            return;
        }

        qint64 done = 0;
        qint64 lineStart = 0;
        qint64 step = FirstBatchBytes;
        QString error;
        while (done < total && !cancel->load()) {
            const qint64 end = qMin(total, done + step);
            if (buffer) {
                const qint64 read = file.read(buffer + done, end - done);
                if (read <= 0) {
                    error = read < 0 ? file.errorString() : QString();
                    break;
                }
                if (done + read < end) {
                    // A short read: keep what came, and try again from there.
                    std::vector<qint64> starts;
                    const qint64 longest
                        = scanLineStarts(bytes, done, done + read, lineStart, starts);
                    if (!starts.empty())
                        lineStart = starts.back();
                    done += read;
                    QMetaObject::invokeMethod(
                        this,
                        [this, generation, starts = std::move(starts), done, longest] {
                            applyBatch(generation, std::move(starts), done, longest);
                        },
                        Qt::QueuedConnection);
                    continue;
                }
            }

            std::vector<qint64> starts;
            starts.reserve(size_t((end - done) / 64));
            const qint64 longest = scanLineStarts(bytes, done, end, lineStart, starts);
            if (!starts.empty())
                lineStart = starts.back();
            done = end;
            QMetaObject::invokeMethod(
                this,
                [this, generation, starts = std::move(starts), done, longest] {
                    applyBatch(generation, std::move(starts), done, longest);
                },
                Qt::QueuedConnection);
            step = BatchBytes;
        }
        QMetaObject::invokeMethod(
            this, [this, generation, done, error] { finishIndexing(generation, done, error); },
            Qt::QueuedConnection);
    });
}

void LogDocument::applyBatch(quint64 generation, std::vector<qint64> starts, qint64 available,
                             qint64 longest)
{
    if (generation != m_generation)
        return;

    const qsizetype firstChanged = qMax<qsizetype>(0, lineCount() - 1);
    if (m_index.size() == 1 && m_expectedSize > 0)
        m_index.reserve(qsizetype(m_expectedSize / 80)); // a guess from typical CI line lengths
    m_index.append(starts);
    m_size = available;
    m_longestLine = qMax(m_longestLine, longest);
    Q_EMIT linesChanged(firstChanged);
}

void LogDocument::finishIndexing(quint64 generation, qint64 finalSize, const QString &error)
{
    if (generation != m_generation)
        return;

    m_indexing = false;
    if (finalSize < m_bytes.size())
        m_bytes.truncate(finalSize); // the file was shorter than it said, or a read failed
    m_size = finalSize;
    if (lineCount() > 0)
        m_longestLine = qMax(m_longestLine, m_size - m_index.last());

    if (!error.isEmpty())
        Q_EMIT loadFailed(error);
    Q_EMIT indexingFinished();
    flushPending();
}

void LogDocument::append(const QByteArray &bytes)
{
    if (bytes.isEmpty())
        return;
    if (m_indexing || m_readers > 0) {
        m_pending.append(bytes);
        return;
    }
    appendNow(bytes);
}

quint64 LogDocument::beginRead()
{
    ++m_readers;
    return m_readGeneration;
}

void LogDocument::endRead(quint64 token)
{
    if (token != m_readGeneration || m_readers == 0)
        return;
    if (--m_readers == 0 && !m_indexing)
        flushPending();
}

void LogDocument::prepareReset()
{
    Q_EMIT aboutToReset();
    if (m_cancel)
        m_cancel->store(true);
    m_job.waitForFinished();
    ++m_generation;
    ++m_readGeneration;
    m_readers = 0;
}

void LogDocument::flushPending()
{
    if (m_pending.isEmpty())
        return;
    const QByteArray pending = std::exchange(m_pending, {});
    appendNow(pending);
}

void LogDocument::appendNow(const QByteArray &bytes)
{
    const qsizetype firstChanged = qMax<qsizetype>(0, lineCount() - 1);
    const qint64 lineStart = m_index.last();

    m_bytes.append(bytes);
    std::vector<qint64> starts;
    const qint64 longest
        = scanLineStarts(m_bytes.constData(), m_size, m_bytes.size(), lineStart, starts);
    m_index.append(starts);
    m_size = m_bytes.size();
    m_longestLine = std::max({m_longestLine, longest, m_size - m_index.last()});
    Q_EMIT linesChanged(firstChanged);
}

} // namespace cic::logview
