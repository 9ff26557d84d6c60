// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/mock/mockinterceptor.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QUrl>

namespace cic::mock {

namespace {
Q_LOGGING_CATEGORY(lcFaults, "cicompanion.core.mock.faults")

// The query as it was asked, re-encoded from the decoded pairs the server keeps.
QString queryText(const http::Request &request)
{
    QStringList pairs;
    for (const auto &[key, value] : request.query) {
        pairs.append(QString::fromUtf8(QUrl::toPercentEncoding(key)) + u'='
                     + QString::fromUtf8(QUrl::toPercentEncoding(value, "/,:")));
    }
    return pairs.join(u'&');
}

} // namespace

MockInterceptor::MockInterceptor(std::shared_ptr<RequestPolicy> policy,
                                 std::shared_ptr<RequestJournal> journal)
    : m_policy(std::move(policy))
    , m_journal(std::move(journal))
{
}

bool MockInterceptor::isControlPath(const QStringList &segments)
{
    return !segments.isEmpty() && segments.constFirst() == u"_mock";
}

http::Interceptor::Verdict MockInterceptor::intercept(const http::Request &request)
{
    Verdict verdict;
    if (isControlPath(request.segments))
        return verdict;

    const QByteArray method = http::methodName(request.method);
    verdict.ticket = m_journal->begin(method, request.path, queryText(request),
                                      QDateTime::currentDateTimeUtc());

    const PolicyDecision decision = m_policy->decide(method, request.segments);
    verdict.delayMs = decision.delayMs;
    InFlight flight{decision.delayMs, {}};

    if (const std::optional<FaultRule> &fault = decision.fault) {
        flight.fault = faultName(fault->kind);
        qCInfo(lcFaults, "%s %s: %s fault of %s", method.constData(), qUtf8Printable(request.path),
               qUtf8Printable(flight.fault), qUtf8Printable(fault->selector.pattern.text()));

        switch (fault->kind) {
        case FaultKind::Status:
            verdict.action = Action::Answer;
            if (fault->body.isEmpty()) {
                verdict.reply = http::jsonReply(
                    http::errorBody(fault->status,
                                    QStringLiteral("a fault the mock was told to answer on %1")
                                        .arg(fault->selector.pattern.text())),
                    fault->status);
            } else {
                verdict.reply.status = fault->status;
                verdict.reply.contentType = fault->contentType;
                verdict.reply.body = fault->body;
            }
            break;
        case FaultKind::Malformed:
            if (fault->body.isEmpty()) {
                verdict.truncateReply = true; // the route's own answer, cut off
            } else {
                verdict.action = Action::Answer;
                verdict.reply.contentType = fault->contentType;
                verdict.reply.body = fault->body;
            }
            break;
        case FaultKind::Drop:
            verdict.action = Action::Reset;
            break;
        case FaultKind::Close:
            verdict.action = Action::Close;
            break;
        }
    }

    QMutexLocker locker(&m_mutex);
    m_inFlight.insert(verdict.ticket, flight);
    return verdict;
}

void MockInterceptor::answered(quint64 ticket, int status, qint64 elapsedUs)
{
    if (ticket == 0)
        return;

    QMutexLocker locker(&m_mutex);
    const InFlight flight = m_inFlight.take(ticket);
    locker.unlock();
    m_journal->finish(ticket, status, elapsedUs / 1000, flight.delayMs, flight.fault);
}

} // namespace cic::mock
