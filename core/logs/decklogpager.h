// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QList>
#include <QMutex>
#include <QString>
#include <QStringList>

namespace cic {

// Answers deck's log paging on GET /ci/builds/{id}/output?start=N&limit=4095.
//
// deck's log tab asks once with start=-1, then every second while the build runs with
// start = the number of answers it has received so far (a count of responses, not a line or a
// byte offset), and appends each answer's `log` to what it shows. A server that answers the
// whole log every time makes deck show it again and again. So for each build the pager keeps,
// per viewer, a ledger: the log length at which each of its answers ended. The answer to
// start=k is the text after the end of answer k-1, up to the log's current end; that end is
// recorded as answer k.
//
// - start=-1 (or 0): a viewer opens the tab; the whole log, and a new ledger.
// - start=k >= 1: the ledger that has received exactly k answers (the most recently used of
//   those, when several tabs look at one build) gets the new text. If none has, a ledger that
//   has received more is taken back to k: deck asks again for an answer it never got.
// - start=k that no ledger knows (the server restarted, or the ledger expired): the whole
//   log, since what that viewer has is unknown.
//
// Stock gate drops `start` and `limit` before calling igor, so behind it every request is a
// plain one and gets the whole log, which is right for a finished build (deck then asks only
// once). Paging helps deck pointed at this server directly, or through a gate that passes the
// parameters on. `limit` is not used to cut answers: deck stops asking when the build
// finishes, so text held back would never be shown.
//
// Thread-safe: the server pages from its thread while sources invalidate from theirs.
class DeckLogPager
{
public:
    struct Slice
    {
        qint64 from = 0;
        qint64 to = 0;
        bool operator==(const Slice &) const = default;
    };

    // The part of a log of `length` bytes that answers `start`, and records it.
    Slice page(const QString &buildId, qint64 start, qint64 length, qint64 nowMs);

    // The logs were replaced or shortened: their ledgers mean nothing any more.
    void forget(const QStringList &buildIds);
    void clear();

    qsizetype viewers(const QString &buildId) const;

    static constexpr int MaxViewersPerBuild = 16;
    static constexpr int MaxBuilds = 4096;
    static constexpr qint64 IdleMs = 10 * 60 * 1000;

private:
    struct Ledger
    {
        QList<qint64> ends; // ends[i]: where answer i stopped
        qint64 lastUse = 0;
    };

    void trim(qint64 nowMs);

    mutable QMutex m_mutex;
    QHash<QString, QList<Ledger>> m_ledgers;
};

} // namespace cic
