// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/mock/mocksource.h"
#include "core/mock/requestjournal.h"
#include "core/mock/requestpolicy.h"
#include "core/server/httptypes.h"

#include <QObject>
#include <QPointer>

#include <memory>

class QHostAddress;

namespace cic::mock {

// Why the control API may not be served on an address: it changes what the server answers and
// has no authentication, so it stays on loopback. nullopt when the address is loopback.
std::optional<QString> controlRefusedOn(const QHostAddress &address);

// The control API of the local igor mock, JSON under /_mock (docs/mock.md has the table):
// builds and logs changed at run time, scenarios started, paused, resumed, reset, latency and
// faults per route, and the journal of requests. Its handlers run on this object's thread,
// the one the mock sources live on.
class MockControl final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MockControl)

public:
    // The first source takes builds created without ?source=.
    MockControl(const QList<MockSource *> &sources, std::shared_ptr<RequestPolicy> policy,
                std::shared_ptr<RequestJournal> journal, QObject *parent = nullptr);

    QList<http::Route> routes();

    static constexpr int DefaultJournalLimit = 1000;

private:
    MockSource *sourceOf(const QString &buildId) const;
    MockSource *sourceNamed(const QString &name) const;
    MockSource *scenarioSource(const QString &name) const;
    QList<MockSource *> sources() const;

    http::Reply summary() const;
    http::Reply reset();

    http::Reply listBuilds() const;
    http::Reply createBuild(const http::Request &request);
    http::Reply getBuild(const http::Request &request) const;
    http::Reply putBuild(const http::Request &request);
    http::Reply patchBuild(const http::Request &request);
    http::Reply deleteBuild(const http::Request &request);
    http::Reply getLog(const http::Request &request) const;
    http::Reply changeLog(const http::Request &request, bool append);
    http::Reply deleteLog(const http::Request &request);

    http::Reply listScenarios() const;
    http::Reply getScenario(const http::Request &request) const;
    http::Reply putScenario(const http::Request &request);
    http::Reply deleteScenario(const http::Request &request);
    http::Reply scenarioAction(const http::Request &request);

    http::Reply listRules() const;
    http::Reply setLatency(const http::Request &request);
    http::Reply setFault(const http::Request &request);
    http::Reply removeRules(const http::Request &request, bool latency);

    http::Reply journal(const http::Request &request) const;
    http::Reply clearJournal();

    QList<QPointer<MockSource>> m_sources;
    std::shared_ptr<RequestPolicy> m_policy;
    std::shared_ptr<RequestJournal> m_journal;
};

} // namespace cic::mock
