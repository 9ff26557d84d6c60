// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QMutex>
#include <QString>

#include <deque>

namespace cic::mock {

// One request the mock received, and how it was answered.
struct JournalEntry
{
    quint64 seq = 0; // in the order requests arrived, from 1
    QByteArray method;
    QString path; // decoded
    QString query; // as sent, without the "?"
    QDateTime received;
    int status = 0; // 0 while unanswered; -1 when the connection was dropped on purpose
    qint64 latencyMs = -1; // from arrival to answer
    int delayMs = 0; // latency added on purpose
    QString fault; // the fault injected, if any

    QJsonObject toJson() const;
};

// The requests received, oldest first, up to a capacity (the oldest go first). Recorded when
// they arrive, so the order is the order of arrival even when a delayed answer leaves later;
// completed when answered. Thread-safe.
class RequestJournal
{
public:
    explicit RequestJournal(qsizetype capacity = 10000);

    quint64 begin(const QByteArray &method, const QString &path, const QString &query,
                  const QDateTime &received);
    void finish(quint64 seq, int status, qint64 latencyMs, int delayMs, const QString &fault);

    // Entries after `seq` (0 for all), at most `limit` of them, oldest first.
    QList<JournalEntry> after(quint64 seq, qsizetype limit) const;
    // Entries received at or after a time.
    QList<JournalEntry> since(const QDateTime &time, qsizetype limit) const;

    quint64 lastSeq() const;
    qsizetype size() const;
    qsizetype capacity() const { return m_capacity; }
    void clear();

private:
    mutable QMutex m_mutex;
    std::deque<JournalEntry> m_entries;
    quint64 m_nextSeq = 1;
    qsizetype m_capacity;
};

} // namespace cic::mock
