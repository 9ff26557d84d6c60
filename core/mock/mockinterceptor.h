// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/mock/requestjournal.h"
#include "core/mock/requestpolicy.h"
#include "core/server/httptypes.h"

#include <QHash>
#include <QMutex>

#include <memory>

namespace cic::mock {

// Applies the mock's latency and fault rules to every request outside the control API, and
// records each in the journal. The server calls it on its own thread; the rules and the
// journal are shared with the control API, which changes them from another.
class MockInterceptor final : public http::Interceptor
{
public:
    MockInterceptor(std::shared_ptr<RequestPolicy> policy, std::shared_ptr<RequestJournal> journal);

    Verdict intercept(const http::Request &request) override;
    void answered(quint64 ticket, int status, qint64 elapsedUs) override;

    // Requests under this prefix (the control API) are neither delayed, failed nor recorded,
    // so that a mock told to fail everything can still be told to stop.
    static bool isControlPath(const QStringList &segments);

private:
    struct InFlight
    {
        int delayMs = 0;
        QString fault;
    };

    std::shared_ptr<RequestPolicy> m_policy;
    std::shared_ptr<RequestJournal> m_journal;
    QMutex m_mutex;
    QHash<quint64, InFlight> m_inFlight;
};

} // namespace cic::mock
