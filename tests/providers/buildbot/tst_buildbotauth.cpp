// SPDX-License-Identifier: GPL-3.0-or-later
// The Buildbot provider against a master that requires a login for control calls (the CTest
// fixture `buildbot-auth`: user ci, password secret; reads stay anonymous).
#include "core/providers/buildbot/buildbotprovider.h"
#include "tests/providers/buildbot/buildbotsupport.h"

#include <QNetworkAccessManager>
#include <QNetworkCookieJar>
#include <QTest>

using namespace cic;
using cic::test::waitFor;

class TestBuildbotAuth : public QObject
{
    Q_OBJECT

private:
    QHash<QString, QString> m_env;

    BuildbotSettings settings(const QString &user = {}, const QString &password = {}) const
    {
        BuildbotSettings settings;
        settings.name = QStringLiteral("bb-auth");
        settings.address = QUrl(m_env.value(QStringLiteral("BUILDBOT_URL")));
        settings.username = user;
        settings.password = password;
        return settings;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_env = test::readBuildbotEnv();
        QVERIFY2(!m_env.isEmpty(),
                 "the buildbot-auth fixture did not start; see "
                 "bb-auth/harness.log in the build tree");
        QCOMPARE(m_env.value(QStringLiteral("BUILDBOT_AUTH")), QStringLiteral("1"));
    }

    void anonymousReadsButMayNotForce()
    {
        BuildbotProvider provider(settings());
        const ConnectionCheck check = waitFor(provider.checkConnection());
        QCOMPARE(int(check.verdict), int(ConnectionCheck::Verdict::Ok));
        QVERIFY2(check.summary.contains(QLatin1String("anonymous")), qPrintable(check.summary));
        QVERIFY2(check.summary.contains(QLatin1String("Buildbot 3.7")), qPrintable(check.summary));

        const Result<int> forced = waitFor(provider.forceBuild({QStringLiteral("ok")}));
        QVERIFY(!forced);
        QVERIFY2(forced.error().contains(QLatin1String("admins")), qPrintable(forced.error()));
        QVERIFY2(forced.error().contains(QLatin1String("set username and password")),
                 qPrintable(forced.error()));
    }

    void signsInWithASessionCookie()
    {
        BuildbotProvider provider(settings(m_env.value(QStringLiteral("BUILDBOT_USER")),
                                           m_env.value(QStringLiteral("BUILDBOT_PASSWORD"))));
        const ConnectionCheck check = waitFor(provider.checkConnection());
        QCOMPARE(int(check.verdict), int(ConnectionCheck::Verdict::Ok));
        QVERIFY2(check.summary.contains(QLatin1String("signed in as ci")),
                 qPrintable(check.summary));

        // A control call needs the role the login gave; the build then runs as ci.
        BuildbotForce force;
        force.builder = QStringLiteral("ok");
        force.branch = QStringLiteral("main");
        force.revision = QStringLiteral("1234567890123456789012345678901234567890");
        force.reason = QStringLiteral("from the auth suite");
        const Result<int> request = waitFor(provider.forceBuild(force));
        QVERIFY2(request, qPrintable(request.error()));
        QVERIFY(request.value() > 0);

        BuildQuery query;
        query.commitPrefix = QStringLiteral("1234567890");
        BuildList found;
        QVERIFY(test::pollUntil(
            [&] {
                const Result<BuildList> answer = waitFor(provider.findBuilds(query));
                if (answer)
                    found = answer.value();
                return !found.isEmpty() && !found.first()->building;
            },
            30'000));
        QCOMPARE(found.size(), 1);
        QCOMPARE(found.first()->effectiveResult(), BuildResult::Success);

        const Result<LogChunk> log = waitFor(provider.fetchLog(*found.first()));
        QVERIFY2(log, qPrintable(log.error()));
        QVERIFY(log->text.contains("compiling branch main at 1234567890"));
    }

    void signsInAgainWhenTheSessionIsGone()
    {
        BuildbotProvider provider(settings(m_env.value(QStringLiteral("BUILDBOT_USER")),
                                           m_env.value(QStringLiteral("BUILDBOT_PASSWORD"))));
        QVERIFY(waitFor(provider.builders()));

        // Forget the cookie, as when the master restarted with a new signing key.
        provider.http()->network()->setCookieJar(new QNetworkCookieJar);
        BuildbotForce force;
        force.builder = QStringLiteral("fail");
        const Result<int> request = waitFor(provider.forceBuild(force));
        QVERIFY2(request, qPrintable(request.error()));
    }

    void rejectsAWrongPassword()
    {
        BuildbotProvider provider(settings(QStringLiteral("ci"), QStringLiteral("wrong")));
        const ConnectionCheck check = waitFor(provider.checkConnection());
        QCOMPARE(int(check.verdict), int(ConnectionCheck::Verdict::Failed));
        QVERIFY2(check.summary.contains(QLatin1String("401")), qPrintable(check.summary));
        QVERIFY2(check.summary.contains(QLatin1String("signing in as ci")),
                 qPrintable(check.summary));
        QCOMPARE(check.hint, QStringLiteral("check username and password"));

        const Result<BuildList> builds = waitFor(provider.fetchRecentBuilds());
        QVERIFY(!builds);
        QVERIFY2(builds.error().contains(QLatin1String("signing in as ci")),
                 qPrintable(builds.error()));
    }
};

QTEST_GUILESS_MAIN(TestBuildbotAuth)
#include "tst_buildbotauth.moc"
