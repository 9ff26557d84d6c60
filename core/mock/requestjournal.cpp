// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/mock/requestjournal.h"

#include "core/model/wirecodec.h"

#include <algorithm>

namespace cic::mock {

QJsonObject JournalEntry::toJson() const
{
    QJsonObject object{
        {QStringLiteral("seq"), qint64(seq)},
        {QStringLiteral("method"), QString::fromLatin1(method)},
        {QStringLiteral("path"), path},
        {QStringLiteral("query"), query},
        {QStringLiteral("time"), wire::isoInstant(received)},
    };
    object.insert(QStringLiteral("status"),
                  status == 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(status));
    object.insert(QStringLiteral("latencyMs"),
                  latencyMs < 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(latencyMs));
    if (delayMs > 0)
        object.insert(QStringLiteral("delayMs"), delayMs);
    if (!fault.isEmpty())
        object.insert(QStringLiteral("fault"), fault);
    return object;
}

RequestJournal::RequestJournal(qsizetype capacity)
    : m_capacity(std::max<qsizetype>(1, capacity))
{
}

quint64 RequestJournal::begin(const QByteArray &method, const QString &path, const QString &query,
                              const QDateTime &received)
{
    QMutexLocker locker(&m_mutex);
    JournalEntry entry;
    entry.seq = m_nextSeq++;
    entry.method = method;
    entry.path = path;
    entry.query = query;
    entry.received = received;
    m_entries.push_back(std::move(entry));
    while (qsizetype(m_entries.size()) > m_capacity)
        m_entries.pop_front();
    return m_entries.back().seq;
}

void RequestJournal::finish(quint64 seq, int status, qint64 latencyMs, int delayMs,
                            const QString &fault)
{
    QMutexLocker locker(&m_mutex);
    if (m_entries.empty() || seq < m_entries.front().seq)
        return; // dropped for room, or the journal was cleared
    const quint64 index = seq - m_entries.front().seq;
    if (index >= m_entries.size())
        return;

    JournalEntry &entry = m_entries[index];
    entry.status = status;
    entry.latencyMs = latencyMs;
    entry.delayMs = delayMs;
    entry.fault = fault;
}

QList<JournalEntry> RequestJournal::after(quint64 seq, qsizetype limit) const
{
    QMutexLocker locker(&m_mutex);
    QList<JournalEntry> list;
    if (m_entries.empty())
        return list;

    const quint64 first = m_entries.front().seq;
    const quint64 start = seq < first ? 0 : seq - first + 1;
    for (quint64 i = start; i < m_entries.size() && list.size() < limit; ++i)
        list.append(m_entries[i]);
    return list;
}

QList<JournalEntry> RequestJournal::since(const QDateTime &time, qsizetype limit) const
{
    QMutexLocker locker(&m_mutex);
    QList<JournalEntry> list;
    for (const JournalEntry &entry : m_entries) {
        if (entry.received >= time && list.size() < limit)
            list.append(entry);
    }
    return list;
}

quint64 RequestJournal::lastSeq() const
{
    QMutexLocker locker(&m_mutex);
    return m_nextSeq - 1;
}

qsizetype RequestJournal::size() const
{
    QMutexLocker locker(&m_mutex);
    return qsizetype(m_entries.size());
}

void RequestJournal::clear()
{
    QMutexLocker locker(&m_mutex);
    m_entries.clear();
}

} // namespace cic::mock
