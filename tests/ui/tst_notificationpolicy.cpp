// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/notificationpolicy.h"

#include <QTest>

using namespace cic;

namespace {

constexpr qint64 Base = 1790000000000;

// "app#2:FAILURE" is build 2 of project app; RUNNING is a build still going.
BuildPtr parseBuild(const QString &spec)
{
    const QString project = spec.section(QLatin1Char('#'), 0, 0);
    const int number = spec.section(QLatin1Char('#'), 1).section(QLatin1Char(':'), 0, 0).toInt();
    const QString state = spec.section(QLatin1Char(':'), 1);

    Build build;
    build.source = QStringLiteral("ci");
    build.project = project;
    build.number = number;
    build.id = QStringLiteral("%1-%2").arg(project).arg(number);
    build.timestampMs = Base + number * 60000;
    build.building = state == QLatin1String("RUNNING");
    build.result = build.building ? BuildResult::Building : *parseResult(state);
    return std::make_shared<const Build>(build);
}

QString describe(const BuildNotification &notification)
{
    static const char *const kinds[] = {"Finished", "Broken", "Fixed"};
    return QStringLiteral("%1 %2").arg(
        QLatin1String(kinds[int(notification.kind)]),
        QString(notification.buildId).replace(QLatin1Char('-'), QLatin1Char('#')));
}

} // namespace

class TestNotificationPolicy : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rules_data()
    {
        QTest::addColumn<QString>("rule");
        QTest::addColumn<QStringList>("steps"); // one observe() call each, builds comma-separated
        QTest::addColumn<QStringList>("expected");

        QTest::newRow("first load is history")
            << "all" << QStringList{"app#1:SUCCESS,app#2:FAILURE"} << QStringList{};
        QTest::newRow("break") << "changes" << QStringList{"app#1:SUCCESS", "app#2:FAILURE"}
                               << QStringList{"Broken app#2"};
        QTest::newRow("fix") << "changes" << QStringList{"app#1:FAILURE", "app#2:SUCCESS"}
                             << QStringList{"Fixed app#2"};
        QTest::newRow("unstable then failure breaks")
            << "changes" << QStringList{"app#1:UNSTABLE", "app#2:FAILURE"}
            << QStringList{"Broken app#2"};
        QTest::newRow("still failing is quiet")
            << "changes" << QStringList{"app#1:FAILURE", "app#2:FAILURE"} << QStringList{};
        QTest::newRow("still failing, all finishes")
            << "all" << QStringList{"app#1:FAILURE", "app#2:FAILURE"}
            << QStringList{"Finished app#2"};
        QTest::newRow("all finishes")
            << "all" << QStringList{"app#1:SUCCESS", "app#2:SUCCESS", "app#3:FAILURE"}
            << QStringList{"Finished app#2", "Broken app#3"};
        QTest::newRow("off") << "off" << QStringList{"app#1:SUCCESS", "app#2:FAILURE"}
                             << QStringList{};
        QTest::newRow("seen running, then broken")
            << "changes" << QStringList{"app#1:SUCCESS,app#2:RUNNING", "app#2:FAILURE"}
            << QStringList{"Broken app#2"};
        QTest::newRow("running at first load, then done")
            << "all" << QStringList{"app#2:RUNNING", "app#2:SUCCESS"}
            << QStringList{"Finished app#2"};
        QTest::newRow("an older build is not news")
            << "all" << QStringList{"app#1:SUCCESS,app#3:SUCCESS", "app#2:FAILURE"}
            << QStringList{};
        QTest::newRow("a build is announced once")
            << "all" << QStringList{"app#1:SUCCESS", "app#2:SUCCESS", "app#2:SUCCESS"}
            << QStringList{"Finished app#2"};
        QTest::newRow("projects are separate")
            << "changes"
            << QStringList{"app#1:SUCCESS,lib#1:FAILURE", "lib#2:SUCCESS,app#2:SUCCESS"}
            << QStringList{"Fixed lib#2"};
        QTest::newRow("aborted is a plain finish")
            << "changes" << QStringList{"app#1:SUCCESS", "app#2:ABORTED"} << QStringList{};
        QTest::newRow("an abort does not hide a fix")
            << "changes" << QStringList{"app#1:FAILURE", "app#2:ABORTED", "app#3:SUCCESS"}
            << QStringList{"Fixed app#3"};
        QTest::newRow("two news in one change, in order")
            << "changes" << QStringList{"app#1:SUCCESS", "app#3:SUCCESS,app#2:FAILURE"}
            << QStringList{"Broken app#2", "Fixed app#3"};
    }

    void rules()
    {
        QFETCH(QString, rule);
        QFETCH(QStringList, steps);
        QFETCH(QStringList, expected);

        NotificationPolicy policy;
        policy.setRule(QStringLiteral("ci"), notifyRuleFromString(rule));
        policy.setRateLimit(100, 60000);

        QStringList actual;
        qint64 now = Base;
        for (const QString &step : std::as_const(steps)) {
            BuildList builds;
            for (const QString &spec : step.split(QLatin1Char(',')))
                builds.append(parseBuild(spec));
            for (const BuildNotification &notification : policy.observe(builds, now += 1000))
                actual.append(describe(notification));
        }
        QCOMPARE(actual, expected);
    }

    void rateLimit()
    {
        NotificationPolicy policy;
        policy.setRule(QStringLiteral("ci"), NotifyRule::AllFinishes);
        policy.setRateLimit(2, 60000);
        policy.observe({parseBuild(QStringLiteral("app#1:SUCCESS"))}, Base);

        int shown = 0;
        for (int number = 2; number <= 6; ++number)
            shown += int(policy
                             .observe({parseBuild(QStringLiteral("app#%1:SUCCESS").arg(number))},
                                      Base + number * 1000)
                             .size());
        QCOMPARE(shown, 2);
        QCOMPARE(policy.suppressed(QStringLiteral("ci")), 3);

        // Once the window has passed, the next one goes out and says how many were held.
        const QList<BuildNotification> later
            = policy.observe({parseBuild(QStringLiteral("app#7:FAILURE"))}, Base + 70000);
        QCOMPARE(later.size(), 1);
        QCOMPARE(later.first().suppressedBefore, 3);
        QCOMPARE(later.first().kind, BuildNotification::Kind::Broken);
        QVERIFY(later.first().message.contains(QStringLiteral("3 more")));
        QCOMPARE(policy.suppressed(QStringLiteral("ci")), 0);
    }

    void rateLimitIsPerSource()
    {
        NotificationPolicy policy;
        policy.setDefaultRule(NotifyRule::AllFinishes);
        policy.setRateLimit(1, 60000);
        auto build = [](const QString &source, int number) {
            Build b;
            b.source = source;
            b.project = QStringLiteral("p");
            b.number = number;
            b.id = source + QString::number(number);
            b.timestampMs = Base + number;
            b.result = BuildResult::Success;
            return std::make_shared<const Build>(b);
        };
        policy.observe({build(QStringLiteral("a"), 1), build(QStringLiteral("b"), 1)}, Base);
        const auto first = policy.observe(
            {build(QStringLiteral("a"), 2), build(QStringLiteral("b"), 2)}, Base + 1);
        QCOMPARE(first.size(), 2);
        const auto second = policy.observe({build(QStringLiteral("a"), 3)}, Base + 2);
        QCOMPARE(second.size(), 0);
    }

    void ruleNames_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("rule");
        QTest::newRow("off") << "off" << int(NotifyRule::Off);
        QTest::newRow("all") << "all" << int(NotifyRule::AllFinishes);
        QTest::newRow("changes") << "changes" << int(NotifyRule::BreaksAndFixes);
        QTest::newRow("unknown falls back") << "sometimes" << int(NotifyRule::BreaksAndFixes);
    }

    void ruleNames()
    {
        QFETCH(QString, text);
        QFETCH(int, rule);
        QCOMPARE(int(notifyRuleFromString(text)), rule);
        if (text != QLatin1String("sometimes"))
            QCOMPARE(notifyRuleToString(NotifyRule(rule)), text);
    }
};

QTEST_GUILESS_MAIN(TestNotificationPolicy)
#include "tst_notificationpolicy.moc"
