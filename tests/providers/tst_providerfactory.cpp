// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/config/configloader.h"
#include "core/providers/providerfactory.h"

#include <QTemporaryDir>
#include <QTest>

using namespace cic;

class TestProviderFactory : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void buildsEachConfiguredKind()
    {
        QTemporaryDir dir;
        qputenv("CIC_FACTORY_TOKEN", "t0k3n");
        qunsetenv("CIC_FACTORY_MISSING");
        const QByteArray yaml
            = "jenkins:\n  masters:\n"
              "    - name: j1\n      address: http://127.0.0.1:1\n      username: u\n"
              "      token: ${CIC_FACTORY_TOKEN}\n"
              "    - name: j2\n      address: http://127.0.0.1:2\n      username: u\n"
              "      password: ${CIC_FACTORY_MISSING}\n"
              "gitlab-ci:\n  masters:\n    - name: g\n      address: http://127.0.0.1:3\n"
              "github-actions:\n  masters:\n    - name: gh\n      repositories: [a/b]\n"
              "fixtures:\n  - name: f\n    path: .\n";
        const config::LoadOutcome outcome
            = config::parseConfig(yaml, dir.filePath(QStringLiteral("c.yml")));
        QVERIFY2(outcome.ok(), qPrintable(outcome.errorText()));

        BuiltSources built = ProviderFactory::create(outcome.config);
        QStringList names;
        QStringList kinds;
        for (CiBuildService *service : built.services) {
            names.append(service->name());
            kinds.append(service->kind());
        }
        QCOMPARE(names,
                 (QStringList{QStringLiteral("j1"), QStringLiteral("g"), QStringLiteral("f")}));
        QCOMPARE(kinds,
                 (QStringList{QStringLiteral("jenkins"), QStringLiteral("gitlab-ci"),
                              QStringLiteral("fixtures")}));

        QCOMPARE(built.problems.size(), 2);
        QCOMPARE(built.problems.at(0).source, QStringLiteral("j2"));
        QVERIFY2(
            built.problems.at(0).message.contains(QStringLiteral("jenkins.masters[j2].password")),
            qPrintable(built.problems.at(0).message));
        QVERIFY(built.problems.at(0).message.contains(QStringLiteral("c.yml:10")));
        QCOMPARE(built.problems.at(1).source, QStringLiteral("gh"));
        qDeleteAll(built.services);

        BuiltSources one = ProviderFactory::createOne(outcome.config, QStringLiteral("g"));
        QCOMPARE(one.services.size(), 1);
        QVERIFY(one.problems.isEmpty());
        qDeleteAll(one.services);

        const BuiltSources unknown
            = ProviderFactory::createOne(outcome.config, QStringLiteral("nope"));
        QVERIFY(unknown.services.isEmpty());
        QVERIFY(unknown.problems.first().message.contains(
            QStringLiteral("configured: j1, j2, g, gh, f")));
    }

    void tableCoversEverySection()
    {
        QStringList sections;
        for (const ProviderFactory::Kind &kind : ProviderFactory::kinds())
            sections.append(kind.section);
        QCOMPARE(sections,
                 (QStringList{QStringLiteral("jenkins"), QStringLiteral("gitlab-ci"),
                              QStringLiteral("github-actions"), QStringLiteral("buildbot"),
                              QStringLiteral("fixtures")}));
    }
};

QTEST_GUILESS_MAIN(TestProviderFactory)
#include "tst_providerfactory.moc"
