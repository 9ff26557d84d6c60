// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/providers/buildids.h"

#include <QTest>

using namespace cic;

class TestBuildIds : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTrips_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("project");
        QTest::addColumn<qint64>("number");
        QTest::addColumn<QString>("id");

        QTest::newRow("jenkins folder") << "main-jenkins" << "team/app-build" << qint64(12)
                                        << "main-jenkins-team~app-build-12";
        QTest::newRow("gitlab pipeline") << "gitlab" << "group/sub/project" << qint64(5001)
                                         << "gitlab-group~sub~project-5001";
        QTest::newRow("multibranch escape") << "main-jenkins" << "repo/feature%2Fx" << qint64(3)
                                            << "main-jenkins-repo~feature_252Fx-3";
        QTest::newRow("underscore") << "bb" << "unit_tests" << qint64(7) << "bb-unit__tests-7";
        QTest::newRow("utf-8") << "gh" << "acme/café" << qint64(9000000004)
                               << "gh-acme~caf_C3_A9-9000000004";
        QTest::newRow("source with underscore") << "my_ci" << "app" << qint64(1)
                                                << "my__ci-app-1";
    }

    void roundTrips()
    {
        QFETCH(QString, source);
        QFETCH(QString, project);
        QFETCH(qint64, number);
        QFETCH(QString, id);

        QCOMPARE(buildids::make(source, project, number), id);
        const std::optional<buildids::Parts> parts = buildids::parse(id, source);
        QVERIFY(parts);
        QCOMPARE(parts->project, project);
        QCOMPARE(parts->number, number);
    }

    void rejectsOtherIds_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<QString>("source");

        QTest::newRow("other source") << "gitlab-app-1" << "github";
        QTest::newRow("no number") << "gitlab-app-" << "gitlab";
        QTest::newRow("not a number") << "gitlab-app-x1" << "gitlab";
        QTest::newRow("no project") << "gitlab-12" << "gitlab";
        QTest::newRow("cut escape") << "gitlab-app_C-3" << "gitlab";
        QTest::newRow("bad escape") << "gitlab-app_ZZ-3" << "gitlab";
    }

    void rejectsOtherIds()
    {
        QFETCH(QString, id);
        QFETCH(QString, source);
        QVERIFY(!buildids::parse(id, source));
    }
};

QTEST_GUILESS_MAIN(TestBuildIds)
#include "tst_buildids.moc"
