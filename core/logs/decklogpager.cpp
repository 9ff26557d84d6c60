// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/logs/decklogpager.h"

#include <algorithm>

namespace cic {

DeckLogPager::Slice DeckLogPager::page(const QString &buildId, qint64 start, qint64 length,
                                       qint64 nowMs)
{
    QMutexLocker locker(&m_mutex);
    QList<Ledger> &ledgers = m_ledgers[buildId];

    // Idle viewers closed their tab long ago.
    ledgers.removeIf([nowMs](const Ledger &ledger) { return nowMs - ledger.lastUse > IdleMs; });

    Ledger *ledger = nullptr;
    if (start >= 1) {
        // The viewer waiting for answer `start`; else the nearest one that got further and
        // asks again. Among equals, the most recently used.
        Ledger *waiting = nullptr;
        Ledger *ahead = nullptr;
        for (Ledger &candidate : ledgers) {
            const qsizetype received = candidate.ends.size();
            if (received == start) {
                if (!waiting || candidate.lastUse > waiting->lastUse)
                    waiting = &candidate;
            } else if (received > start) {
                if (!ahead || received < ahead->ends.size()
                    || (received == ahead->ends.size() && candidate.lastUse > ahead->lastUse))
                    ahead = &candidate;
            }
        }
        ledger = waiting ? waiting : ahead;
    }

    if (!ledger) {
        if (ledgers.size() >= MaxViewersPerBuild) {
            ledgers.erase(std::min_element(
                ledgers.begin(), ledgers.end(),
                [](const Ledger &a, const Ledger &b) { return a.lastUse < b.lastUse; }));
        }
        // A new viewer, or one whose earlier answers are unknown: it gets everything.
        ledgers.append(Ledger{QList<qint64>(std::max<qint64>(start, 0), 0), nowMs});
        ledger = &ledgers.last();
    }

    const qsizetype answered = std::max<qint64>(start, 0);
    ledger->ends.resize(answered);
    qint64 from = answered > 0 ? ledger->ends.at(answered - 1) : 0;
    if (from > length)
        from = 0; // the log was replaced by a shorter one: start over
    ledger->ends.append(length);
    ledger->lastUse = nowMs;

    const bool crowded = m_ledgers.size() > MaxBuilds;
    locker.unlock();
    if (crowded)
        trim(nowMs);
    return {from, length};
}

void DeckLogPager::trim(qint64 nowMs)
{
    QMutexLocker locker(&m_mutex);
    // Drops the builds whose newest viewer is oldest, down to three quarters of the limit.
    QList<std::pair<qint64, QString>> ages;
    for (auto it = m_ledgers.cbegin(); it != m_ledgers.cend(); ++it) {
        qint64 newest = 0;
        for (const Ledger &ledger : it.value())
            newest = std::max(newest, ledger.lastUse);
        ages.append({nowMs - newest, it.key()});
    }
    std::sort(ages.begin(), ages.end(), std::greater<>());
    const qsizetype excess = m_ledgers.size() - MaxBuilds * 3 / 4;
    for (qsizetype i = 0; i < excess && i < ages.size(); ++i)
        m_ledgers.remove(ages.at(i).second);
}

void DeckLogPager::forget(const QStringList &buildIds)
{
    QMutexLocker locker(&m_mutex);
    for (const QString &id : buildIds)
        m_ledgers.remove(id);
}

void DeckLogPager::clear()
{
    QMutexLocker locker(&m_mutex);
    m_ledgers.clear();
}

qsizetype DeckLogPager::viewers(const QString &buildId) const
{
    QMutexLocker locker(&m_mutex);
    return m_ledgers.value(buildId).size();
}

} // namespace cic
