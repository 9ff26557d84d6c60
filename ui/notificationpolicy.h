// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/model/build.h"

#include <QHash>
#include <QSet>
#include <QString>

#include <deque>

namespace cic {

// What a source's notifications cover.
enum class NotifyRule { Off, BreaksAndFixes, AllFinishes };

NotifyRule notifyRuleFromString(const QString &text);
QString notifyRuleToString(NotifyRule rule);

struct BuildNotification
{
    enum class Kind { Finished, Broken, Fixed };

    Kind kind = Kind::Finished;
    QString buildId;
    QString source;
    QString project;
    BuildResult result = BuildResult::NotBuilt;
    QString title;
    QString message;
    int suppressedBefore = 0; // notifications the rate limit held back since the last one
};

// Decides which finished builds deserve a notification. It is fed every build it should
// know about (a first load, then the builds of each store change), and answers with what to
// announce:
//  - a build seen running that has finished;
//  - or a finished build newer than the newest one known for its project, once that project
//    has been seen before (a first load announces nothing: that is history);
// classified as broken (success or unstable, then failure), fixed (failure, then success;
// aborted and not-built builds in between do not count)
// or a plain finish, and filtered by the source's rule. A rate limit per source keeps a busy
// source from flooding the desktop; what it holds back is counted in the next one.
class NotificationPolicy
{
public:
    void setRule(const QString &source, NotifyRule rule) { m_rules.insert(source, rule); }
    NotifyRule rule(const QString &source) const { return m_rules.value(source, m_defaultRule); }
    void setDefaultRule(NotifyRule rule) { m_defaultRule = rule; }

    // At most `count` notifications per source within any `windowMs`.
    void setRateLimit(int count, qint64 windowMs);

    QList<BuildNotification> observe(const BuildList &builds, qint64 nowMs);

    int suppressed(const QString &source) const { return m_suppressed.value(source); }

private:
    struct ProjectState
    {
        std::optional<BuildResult> lastResult;
        BuildPtr newest;
    };

    bool admit(const QString &source, qint64 nowMs);

    QHash<QString, NotifyRule> m_rules;
    NotifyRule m_defaultRule = NotifyRule::BreaksAndFixes;
    QHash<QString, ProjectState> m_projects; // source + '\n' + project
    QSet<QString> m_running;
    QSet<QString> m_finished;
    QHash<QString, std::deque<qint64>> m_sent;
    QHash<QString, int> m_suppressed;
    int m_rateCount = 5;
    qint64 m_rateWindowMs = 60 * 1000;
};

} // namespace cic
