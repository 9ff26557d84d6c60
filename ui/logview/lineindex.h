// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArrayView>
#include <QtGlobal>

#include <vector>

namespace cic::logview {

// The byte offsets where the lines of a log start. Offsets fit 32 bits for any log under
// 4 GiB, so they are kept narrow (4 MB for a million lines) and widened only past that.
class LineIndex
{
public:
    qsizetype size() const
    {
        return m_wide ? qsizetype(m_wideStarts.size()) : qsizetype(m_starts.size());
    }
    bool isEmpty() const { return size() == 0; }
    qint64 at(qsizetype i) const
    {
        return m_wide ? m_wideStarts[size_t(i)] : qint64(m_starts[size_t(i)]);
    }
    qint64 last() const { return at(size() - 1); }

    void append(qint64 start);
    void append(const std::vector<qint64> &starts);
    void clear();
    void reserve(qsizetype count);

    // The entry whose range holds the offset: the last start <= offset.
    qsizetype entryAt(qint64 offset) const;

    qint64 memoryBytes() const;

private:
    void widen();

    std::vector<quint32> m_starts;
    std::vector<qint64> m_wideStarts;
    bool m_wide = false;
};

// Appends to starts the offset following every newline in data[from, to). Thread-safe: it
// touches nothing but its arguments. Returns the length of the longest line that ended in
// the range, counting from lineStart (the start of the line that holds `from`).
qint64 scanLineStarts(const char *data, qint64 from, qint64 to, qint64 lineStart,
                      std::vector<qint64> &starts);

} // namespace cic::logview
