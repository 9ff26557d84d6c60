// SPDX-License-Identifier: GPL-3.0-or-later
// ci-companion builds, log, check and record with a buildbot source, run as the real
// executable against the master of the `buildbot-auth` fixture, signing in with the password
// from an environment reference in the configuration.
#include "core/model/wirecodec.h"
#include "core/providers/buildbot/buildbotprovider.h"
#include "core/providers/fixtures/fixtureprovider.h"
#include "tests/providers/buildbot/buildbotsupport.h"
#include "tests/support/commandrun.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QTest>

using namespace cic;
using cic::test::CommandRun;
using cic::test::harnessAnswer;
using cic::test::startHarness;

namespace {

const QString Revision = QStringLiteral("c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00");

} // namespace

class TestBuildbotCommands : public QObject
{
    Q_OBJECT

private:
    QHash<QString, QString> m_env;
    QTemporaryDir m_dir;
    QString m_config;
    int m_okNumber = 0;
    int m_failNumber = 0;

    CommandRun run(const QStringList &arguments)
    {
        return test::runCommand(QStringLiteral(CIC_APP_BINARY), arguments,
                                {{QStringLiteral("CIC_TEST_BB_PASSWORD"),
                                  m_env.value(QStringLiteral("BUILDBOT_PASSWORD"))}});
    }

    QStringList force(const QString &builder) const
    {
        return {QStringLiteral("force"), QStringLiteral("--dir"),
                m_env.value(QStringLiteral("BUILDBOT_DIR")), QStringLiteral("--builder"), builder};
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_env = test::readBuildbotEnv();
        QVERIFY2(!m_env.isEmpty(),
                 "the buildbot-auth fixture did not start; see "
                 "bb-auth/harness.log in the build tree");

        QProcess *ok
            = startHarness(force(QStringLiteral("ok"))
                               + QStringList{QStringLiteral("--branch"), QStringLiteral("main"),
                                             QStringLiteral("--revision"), Revision,
                                             QStringLiteral("--repository"),
                                             QStringLiteral("https://github.com/acme/"
                                                            "cmd.git"),
                                             QStringLiteral("--wait")},
                           this);
        QProcess *fail
            = startHarness(force(QStringLiteral("fail")) << QStringLiteral("--wait"), this);
        m_okNumber = harnessAnswer(ok).value(QLatin1String("number")).toInt();
        m_failNumber = harnessAnswer(fail).value(QLatin1String("number")).toInt();
        QVERIFY(m_okNumber > 0 && m_failNumber > 0);

        m_config = test::writeFile(m_dir, QStringLiteral("ci-companion.yml"),
                                   "buildbot:\n  masters:\n    - name: bb\n      address: "
                                       + m_env.value(QStringLiteral("BUILDBOT_URL")).toUtf8()
                                       + "\n      username: ci\n"
                                         "      password: ${CIC_TEST_BB_PASSWORD}\n"
                                         "      timeout: 20s\n");
    }

    void answersQueries()
    {
        const CommandRun json
            = run({QStringLiteral("builds"), QStringLiteral("--config"), m_config,
                   QStringLiteral("--json"), QStringLiteral("--commit"), Revision.left(8)});
        QVERIFY2(json.exitCode == 0, qPrintable(json.err));
        const QJsonArray builds = QJsonDocument::fromJson(json.out.toUtf8()).array();
        QCOMPARE(builds.size(), 1);
        const QJsonObject build = builds.first().toObject();
        QCOMPARE(build.value(QLatin1String("id")).toString(),
                 QStringLiteral("bb-ok-%1").arg(m_okNumber));
        QCOMPARE(build.value(QLatin1String("result")).toString(), QStringLiteral("SUCCESS"));
        const QJsonObject properties = build.value(QLatin1String("properties")).toObject();
        QCOMPARE(properties.value(QLatin1String("projectKey")).toString(), QStringLiteral("acme"));
        QCOMPARE(properties.value(QLatin1String("repoSlug")).toString(), QStringLiteral("cmd"));

        const CommandRun table
            = run({QStringLiteral("builds"), QStringLiteral("--config"), m_config,
                   QStringLiteral("--table"), QStringLiteral("--project"), QStringLiteral("fail")});
        QVERIFY2(table.exitCode == 0, qPrintable(table.err));
        QVERIFY2(table.out.contains(QStringLiteral("bb-fail-%1  FAILURE").arg(m_failNumber)),
                 qPrintable(table.out));
        QVERIFY(!table.out.contains(QStringLiteral("bb-ok-")));
    }

    void printsAndFollowsLogs()
    {
        const CommandRun plain = run({QStringLiteral("log"), QStringLiteral("--config"), m_config,
                                      QStringLiteral("bb-fail-%1").arg(m_failNumber)});
        QVERIFY2(plain.exitCode == 0, qPrintable(plain.err));
        QVERIFY2(plain.out.contains(QStringLiteral("FAIL: test_frobnicator\n")),
                 qPrintable(plain.out));
        QVERIFY(plain.out.contains(QStringLiteral("--- step 2 test: FAILURE")));
        QVERIFY(!plain.out.contains(QStringLiteral("HOME=")));

        QProcess *slow = startHarness(
            force(QStringLiteral("slow"))
                + QStringList{QStringLiteral("--property"), QStringLiteral("lines=12"),
                              QStringLiteral("--property"), QStringLiteral("interval=0.3")},
            this);
        const int number = harnessAnswer(slow).value(QLatin1String("number")).toInt();
        QVERIFY(number > 0);
        const CommandRun followed
            = run({QStringLiteral("log"), QStringLiteral("--config"), m_config,
                   QStringLiteral("--follow"), QStringLiteral("--interval"), QStringLiteral("0.5"),
                   QStringLiteral("bb-slow-%1").arg(number)});
        QVERIFY2(followed.exitCode == 0, qPrintable(followed.err));
        static const QRegularExpression numbered(QStringLiteral(R"(line (\d+) of 12)"));
        QList<int> lines;
        auto matches = numbered.globalMatch(followed.out);
        while (matches.hasNext())
            lines.append(matches.next().captured(1).toInt());
        QCOMPARE(lines, (QList<int>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}));
        QVERIFY(followed.out.contains(QStringLiteral("--- step 1 stream: SUCCESS")));
    }

    void checksTheSource()
    {
        const CommandRun checked
            = run({QStringLiteral("check"), QStringLiteral("--config"), m_config});
        QCOMPARE(checked.exitCode, 0);
        QVERIFY2(checked.out.startsWith(QStringLiteral("ok    bb ")), qPrintable(checked.out));
        QVERIFY(checked.out.contains(QStringLiteral("signed in as ci")));
        QVERIFY(checked.out.contains(QStringLiteral("4 builders")));
        QVERIFY(!checked.out.contains(m_env.value(QStringLiteral("BUILDBOT_PASSWORD"))));
    }

    void recordsAFixtureSetThatReplays()
    {
        const QString out = m_dir.filePath(QStringLiteral("recorded"));
        const CommandRun recorded = run({QStringLiteral("record"), QStringLiteral("--config"),
                                         m_config, QStringLiteral("--source"), QStringLiteral("bb"),
                                         QStringLiteral("--out"), out, QStringLiteral("--logs")});
        QVERIFY2(recorded.exitCode == 0, qPrintable(recorded.err));

        FixtureProvider replay(QStringLiteral("bb"), out);
        replay.setWatching(false);
        QVERIFY2(replay.problems().isEmpty(), qPrintable(replay.problems().value(0).toString()));
        const QString okId = QStringLiteral("bb-ok-%1").arg(m_okNumber);
        const auto replayed = std::find_if(replay.builds().cbegin(), replay.builds().cend(),
                                           [&](const BuildPtr &b) { return b->id == okId; });
        QVERIFY(replayed != replay.builds().cend());

        BuildbotSettings settings;
        settings.name = QStringLiteral("bb");
        settings.address = QUrl(m_env.value(QStringLiteral("BUILDBOT_URL")));
        BuildbotProvider live(settings);
        const Result<BuildPtr> build
            = test::waitFor(live.fetchBuild(QStringLiteral("ok"), m_okNumber));
        QVERIFY2(build && build.value(), qPrintable(build.error()));
        QCOMPARE(wire::toJson(**replayed), wire::toJson(*build.value()));

        const Result<LogChunk> recordedLog = test::waitFor(replay.fetchLog(**replayed, 0));
        const Result<LogChunk> liveLog = test::waitFor(live.fetchLog(*build.value(), 0));
        QVERIFY(recordedLog && liveLog);
        QCOMPARE(recordedLog->text, liveLog->text);
    }
};

QTEST_GUILESS_MAIN(TestBuildbotCommands)
#include "tst_buildbotcommands.moc"
