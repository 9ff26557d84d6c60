// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/logview/lineindex.h"

#include <algorithm>
#include <cstring>
#include <limits>

namespace cic::logview {

void LineIndex::append(qint64 start)
{
    if (!m_wide && start > qint64(std::numeric_limits<quint32>::max()))
        widen();
    if (m_wide)
        m_wideStarts.push_back(start);
    else
        m_starts.push_back(quint32(start));
}

void LineIndex::append(const std::vector<qint64> &starts)
{
    if (starts.empty())
        return;
    if (!m_wide && starts.back() > qint64(std::numeric_limits<quint32>::max()))
        widen();
    if (m_wide) {
        m_wideStarts.insert(m_wideStarts.end(), starts.begin(), starts.end());
        return;
    }
    const size_t old = m_starts.size();
    m_starts.resize(old + starts.size());
    std::transform(starts.begin(), starts.end(), m_starts.begin() + qsizetype(old),
                   [](qint64 start) { return quint32(start); });
}

void LineIndex::clear()
{
    m_starts = {};
    m_wideStarts = {};
    m_wide = false;
}

void LineIndex::reserve(qsizetype count)
{
    if (m_wide)
        m_wideStarts.reserve(size_t(count));
    else
        m_starts.reserve(size_t(count));
}

qsizetype LineIndex::entryAt(qint64 offset) const
{
    if (m_wide) {
        const auto it = std::upper_bound(m_wideStarts.begin(), m_wideStarts.end(), offset);
        return qsizetype(it - m_wideStarts.begin()) - 1;
    }
    if (offset > qint64(std::numeric_limits<quint32>::max()))
        return size() - 1;
    const auto it
        = std::upper_bound(m_starts.begin(), m_starts.end(), quint32(qMax<qint64>(0, offset)));
    return qsizetype(it - m_starts.begin()) - 1;
}

qint64 LineIndex::memoryBytes() const
{
    return qint64(m_starts.capacity() * sizeof(quint32) + m_wideStarts.capacity() * sizeof(qint64));
}

void LineIndex::widen()
{
    m_wideStarts.reserve(m_starts.capacity());
    m_wideStarts.assign(m_starts.begin(), m_starts.end());
    m_starts = {};
    m_wide = true;
}

qint64 scanLineStarts(const char *data, qint64 from, qint64 to, qint64 lineStart,
                      std::vector<qint64> &starts)
{
    qint64 longest = 0;
    const char *p = data + from;
    const char *const end = data + to;
    while (p < end) {
        const void *hit = std::memchr(p, '\n', size_t(end - p));
        if (!hit)
            break;
        const qint64 next = qint64(static_cast<const char *>(hit) - data) + 1;
        longest = qMax(longest, next - 1 - lineStart);
        starts.push_back(next);
        lineStart = next;
        p = data + next;
    }
    return longest;
}

} // namespace cic::logview
