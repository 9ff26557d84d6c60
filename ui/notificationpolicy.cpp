// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/notificationpolicy.h"

#include "ui/icons.h"

#include <QCoreApplication>

#include <algorithm>

namespace cic {

namespace {

QString projectKey(const Build &build)
{
    return build.source + QLatin1Char('\n') + build.project;
}

bool isGood(BuildResult result)
{
    return result == BuildResult::Success || result == BuildResult::Unstable;
}

QString describe(const Build &build)
{
    QStringList parts;
    if (!build.scm.isEmpty()) {
        const GitRevision &revision = build.scm.first();
        if (!revision.branch.isEmpty())
            parts.append(revision.branch);
        if (!revision.sha1.isEmpty())
            parts.append(revision.sha1.left(8));
        if (!revision.committer.isEmpty())
            parts.append(revision.committer);
        const QString subject = revision.message.section(QLatin1Char('\n'), 0, 0).trimmed();
        if (!subject.isEmpty())
            parts.append(subject);
    }
    return parts.join(QStringLiteral(" · "));
}

} // namespace

NotifyRule notifyRuleFromString(const QString &text)
{
    if (text == QLatin1String("off"))
        return NotifyRule::Off;
    if (text == QLatin1String("all"))
        return NotifyRule::AllFinishes;
    return NotifyRule::BreaksAndFixes;
}

QString notifyRuleToString(NotifyRule rule)
{
    switch (rule) {
    case NotifyRule::Off:
        return QStringLiteral("off");
    case NotifyRule::AllFinishes:
        return QStringLiteral("all");
    case NotifyRule::BreaksAndFixes:
        break;
    }
    return QStringLiteral("changes");
}

void NotificationPolicy::setRateLimit(int count, qint64 windowMs)
{
    m_rateCount = qMax(1, count);
    m_rateWindowMs = qMax<qint64>(1, windowMs);
}

bool NotificationPolicy::admit(const QString &source, qint64 nowMs)
{
    std::deque<qint64> &sent = m_sent[source];
    while (!sent.empty() && sent.front() <= nowMs - m_rateWindowMs)
        sent.pop_front();
    if (int(sent.size()) >= m_rateCount) {
        ++m_suppressed[source];
        return false;
    }
    sent.push_back(nowMs);
    return true;
}

QList<BuildNotification> NotificationPolicy::observe(const BuildList &builds, qint64 nowMs)
{
    // Oldest first, so a project's history is replayed in the order it happened.
    BuildList ordered;
    ordered.reserve(builds.size());
    for (const BuildPtr &build : builds) {
        if (build)
            ordered.append(build);
    }
    std::sort(ordered.begin(), ordered.end(),
              [](const BuildPtr &a, const BuildPtr &b) { return Build::newerThan(*b, *a); });

    QSet<QString> knownBefore;
    for (const BuildPtr &build : std::as_const(ordered)) {
        const QString key = projectKey(*build);
        if (m_projects.contains(key))
            knownBefore.insert(key);
    }

    QList<BuildNotification> notifications;
    for (const BuildPtr &build : std::as_const(ordered)) {
        if (build->building) {
            m_running.insert(build->id);
            continue;
        }
        const bool wasRunning = m_running.remove(build->id);
        if (m_finished.contains(build->id))
            continue;
        m_finished.insert(build->id);

        const QString key = projectKey(*build);
        ProjectState &project = m_projects[key];
        const bool newest = !project.newest || Build::newerThan(*build, *project.newest);
        const std::optional<BuildResult> previous = project.lastResult;
        const BuildResult result = build->effectiveResult();
        if (newest) {
            project.newest = build;
            // An aborted or skipped build says nothing about the project's health, so a fix
            // after "failure, aborted" is still a fix.
            if (result != BuildResult::Aborted && result != BuildResult::NotBuilt)
                project.lastResult = result;
        }
        if (!wasRunning && !(newest && knownBefore.contains(key)))
            continue;

        BuildNotification::Kind kind = BuildNotification::Kind::Finished;
        if (previous && isGood(*previous) && result == BuildResult::Failure)
            kind = BuildNotification::Kind::Broken;
        else if (previous && *previous == BuildResult::Failure && result == BuildResult::Success)
            kind = BuildNotification::Kind::Fixed;

        const NotifyRule sourceRule = rule(build->source);
        if (sourceRule == NotifyRule::Off)
            continue;
        if (sourceRule == NotifyRule::BreaksAndFixes && kind == BuildNotification::Kind::Finished)
            continue;
        if (!admit(build->source, nowMs))
            continue;

        BuildNotification notification;
        notification.kind = kind;
        notification.buildId = build->id;
        notification.source = build->source;
        notification.project = build->project;
        notification.result = result;
        notification.suppressedBefore = std::exchange(m_suppressed[build->source], 0);
        const QString name = QStringLiteral("%1 #%2").arg(build->project).arg(build->number);
        switch (kind) {
        case BuildNotification::Kind::Broken:
            notification.title
                = QCoreApplication::translate("cic::NotificationPolicy", "Broken: %1").arg(name);
            break;
        case BuildNotification::Kind::Fixed:
            notification.title
                = QCoreApplication::translate("cic::NotificationPolicy", "Fixed: %1").arg(name);
            break;
        case BuildNotification::Kind::Finished:
            notification.title = QCoreApplication::translate("cic::NotificationPolicy", "%1: %2")
                                     .arg(icons::resultLabel(result), name);
            break;
        }
        notification.message = describe(*build);
        if (notification.suppressedBefore > 0)
            notification.message += QLatin1Char('\n')
                + QCoreApplication::translate("cic::NotificationPolicy", "(%1 more held back)")
                      .arg(notification.suppressedBefore);
        notifications.append(notification);
    }
    return notifications;
}

} // namespace cic
