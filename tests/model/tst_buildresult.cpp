// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/model/build.h"
#include "core/model/buildresult.h"

#include <QTest>

using namespace cic;

class TestBuildResult : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void names();
    void completionStatus_data();
    void completionStatus();
    void matches_data();
    void matches();
    void newestFirst();
};

void TestBuildResult::names()
{
    const QStringList expected
        = {QStringLiteral("SUCCESS"), QStringLiteral("UNSTABLE"), QStringLiteral("BUILDING"),
           QStringLiteral("ABORTED"), QStringLiteral("FAILURE"),  QStringLiteral("NOT_BUILT")};
    QStringList names;
    for (BuildResult result : AllBuildResults) {
        names.append(resultName(result));
        QCOMPARE(parseResult(resultName(result)), result);
    }
    QCOMPARE(names, expected); // igor's declaration order
}

void TestBuildResult::completionStatus_data()
{
    QTest::addColumn<QString>("item");
    QTest::addColumn<bool>("known");
    QTest::addColumn<unsigned>("bits");

    const auto bit = [](BuildResult result) { return resultBit(result); };
    QTest::newRow("INCOMPLETE") << "INCOMPLETE" << true << bit(BuildResult::Building);
    QTest::newRow("SUCCEEDED counts UNSTABLE")
        << "SUCCEEDED" << true << (bit(BuildResult::Success) | bit(BuildResult::Unstable));
    QTest::newRow("FAILED") << "FAILED" << true << bit(BuildResult::Failure);
    QTest::newRow("ABORTED") << "ABORTED" << true << bit(BuildResult::Aborted);
    QTest::newRow("spaces and case")
        << "  succeeded " << true << (bit(BuildResult::Success) | bit(BuildResult::Unstable));
    QTest::newRow("a result name") << "NOT_BUILT" << true << bit(BuildResult::NotBuilt);
    QTest::newRow("a result name, lower case") << "unstable" << true << bit(BuildResult::Unstable);
    QTest::newRow("BUILDING") << "BUILDING" << true << bit(BuildResult::Building);
    QTest::newRow("unknown") << "DONE" << false << 0u;
    QTest::newRow("empty") << "" << false << 0u;
}

void TestBuildResult::completionStatus()
{
    QFETCH(QString, item);
    QFETCH(bool, known);
    QFETCH(unsigned, bits);

    const std::optional<ResultSet> parsed = parseCompletionStatus(item);
    QCOMPARE(parsed.has_value(), known);
    if (known)
        QCOMPARE(*parsed, bits);
}

void TestBuildResult::matches_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("value");
    QTest::addColumn<bool>("expected");

    QTest::newRow("projectKey, other case") << "projectKey"
                                            << "spkr" << true;
    QTest::newRow("projectKey, other") << "projectKey"
                                       << "OPS" << false;
    QTest::newRow("repoSlug") << "repoSlug"
                              << "KEEL-app" << true;
    QTest::newRow("short sha") << "commit"
                               << "2626f5f" << true;
    QTest::newRow("short sha, upper case") << "commit"
                                           << "2626F5F" << true;
    QTest::newRow("second revision") << "commit"
                                     << "abc" << true;
    QTest::newRow("not a prefix") << "commit"
                                  << "626f5f" << false;
    QTest::newRow("number") << "number"
                            << "1042" << true;
    QTest::newRow("other number") << "number"
                                  << "1043" << false;
    QTest::newRow("source") << "source"
                            << "demo" << true;
    QTest::newRow("other source") << "source"
                                  << "jenkins" << false;
}

void TestBuildResult::matches()
{
    QFETCH(QString, field);
    QFETCH(QString, value);
    QFETCH(bool, expected);

    Build build;
    build.id = QStringLiteral("b-1042");
    build.number = 1042;
    build.source = QStringLiteral("demo");
    build.properties = {{QStringLiteral("projectKey"), QStringLiteral("SPKR")},
                        {QStringLiteral("repoSlug"), QStringLiteral("keel-app")}};
    build.scm = {GitRevision{{}, {}, QStringLiteral("2626f5f0c1d2e3f4a5b6c7d8e9f0011223344556")},
                 GitRevision{{}, {}, QStringLiteral("abcdef0123")}};
    build.result = BuildResult::Success;

    BuildQuery query;
    if (field == u"projectKey")
        query.projectKey = value;
    else if (field == u"repoSlug")
        query.repoSlug = value;
    else if (field == u"commit")
        query.commitPrefix = value;
    else if (field == u"number")
        query.buildNumber = value.toInt();
    else if (field == u"source")
        query.source = value;
    QCOMPARE(query.matches(build), expected);

    // A result filter narrows whatever else matched.
    query.results = resultBit(BuildResult::Failure);
    QVERIFY(!query.matches(build));
}

void TestBuildResult::newestFirst()
{
    auto make = [](const char *id, qint64 started, int number) {
        auto build = std::make_shared<Build>();
        build->id = QString::fromLatin1(id);
        build->number = number;
        if (started > 0)
            build->properties.insert(QStringLiteral("startedTs"), QString::number(started));
        return BuildPtr(build);
    };
    BuildList builds = {make("old", 1000, 9), make("new", 3000, 1), make("tie-a", 2000, 5),
                        make("tie-b", 2000, 6), make("unknown", 0, 99)};
    sortNewestFirst(builds);

    QStringList order;
    for (const BuildPtr &build : builds)
        order.append(build->id);
    // Start time first, then the higher number; a build without a start time goes last.
    QCOMPARE(order,
             QStringList({QStringLiteral("new"), QStringLiteral("tie-b"), QStringLiteral("tie-a"),
                          QStringLiteral("old"), QStringLiteral("unknown")}));
    for (qsizetype i = 1; i < builds.size(); ++i)
        QVERIFY(!Build::newerThan(*builds[i], *builds[i - 1]));
}

QTEST_GUILESS_MAIN(TestBuildResult)
#include "tst_buildresult.moc"
