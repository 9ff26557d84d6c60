// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/scm/igorcommits.h"

#include <QJsonObject>
#include <QTest>

using namespace cic;

Q_DECLARE_METATYPE(cic::ScmKind)

namespace {

ScmComparison twoCommits()
{
    ScmComparison comparison;
    for (int i : {2, 1}) { // newest first, as every comparison lists them
        ScmCommit commit;
        commit.sha = QString::number(i).repeated(40);
        commit.author = QStringLiteral("Author %1").arg(i);
        commit.message = QStringLiteral("Change %1\n\nBody.").arg(i);
        commit.date = QDateTime::fromMSecsSinceEpoch(1714554000000 + i * 1000, Qt::UTC);
        commit.url = QStringLiteral("https://scm.test/c/") + commit.sha;
        comparison.commits.append(commit);
    }
    return comparison;
}

} // namespace

class TestIgorCommits : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void shapePerServer_data();
    void shapePerServer();
    void notFound();
    void prefixes();
};

void TestIgorCommits::shapePerServer_data()
{
    // clang-format off
    QTest::addColumn<ScmKind>("kind");
    QTest::addColumn<int>("firstNumber");
    QTest::addColumn<int>("displayLength");
    QTest::addColumn<bool>("millisecondTimestamps");

    QTest::newRow("stash") << ScmKind::BitbucketServer << 2 << 11 << true;
    QTest::newRow("github") << ScmKind::GitHub << 1 << 7 << false;
    QTest::newRow("gitlab") << ScmKind::GitLab << 1 << 7 << false;
    QTest::newRow("bitbucket") << ScmKind::BitbucketCloud << 2 << 7 << false;
    // clang-format on
}

void TestIgorCommits::shapePerServer()
{
    QFETCH(ScmKind, kind);
    QFETCH(int, firstNumber);
    QFETCH(int, displayLength);
    QFETCH(bool, millisecondTimestamps);

    const QJsonArray commits = scm::igorCommits(twoCommits(), kind);
    QCOMPARE(commits.size(), 2);
    const QJsonObject first = commits.first().toObject();
    QCOMPARE(
        first.keys(),
        (QStringList{"authorDisplayName", "commitUrl", "displayId", "id", "message", "timestamp"}));

    const QString sha = QString::number(firstNumber).repeated(40);
    QCOMPARE(first.value("id").toString(), sha);
    QCOMPARE(first.value("displayId").toString(), sha.left(displayLength));
    QCOMPARE(first.value("authorDisplayName").toString(),
             QStringLiteral("Author %1").arg(firstNumber));
    QCOMPARE(first.value("message").toString(),
             QStringLiteral("Change %1\n\nBody.").arg(firstNumber));
    QCOMPARE(first.value("commitUrl").toString(), QStringLiteral("https://scm.test/c/") + sha);

    const qint64 ms = 1714554000000 + firstNumber * 1000;
    if (millisecondTimestamps) {
        QVERIFY(first.value("timestamp").isDouble());
        QCOMPARE(qint64(first.value("timestamp").toDouble()), ms);
    } else {
        QCOMPARE(first.value("timestamp").toString(),
                 QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODate));
    }
}

void TestIgorCommits::notFound()
{
    const QJsonArray answer = scm::igorCommitsNotFound("SPKR", "keel-app", "newer1", "older1",
                                                       "https://stash.example.com");
    QCOMPARE(answer.size(), 1);
    const QJsonObject entry = answer.first().toObject();
    QCOMPARE(entry.value("id").toString(), QStringLiteral("NOT_FOUND"));
    QCOMPARE(entry.value("displayId").toString(), QStringLiteral("NOT_FOUND"));
    QCOMPARE(entry.value("authorDisplayName").toString(), QStringLiteral("UNKNOWN"));
    QCOMPARE(entry.value("timestamp").toInt(-1), 0);
    QCOMPARE(entry.value("message").toString(),
             QStringLiteral("could not find any commits from newer1 to older1 in "
                            "https://stash.example.com SPKR/keel-app"));
    QCOMPARE(entry.value("commitUrl").toString(), QStringLiteral("https://stash.example.com"));
}

void TestIgorCommits::prefixes()
{
    QCOMPARE(scm::igorPrefix(ScmKind::BitbucketServer), QStringLiteral("stash"));
    QCOMPARE(scm::igorPrefix(ScmKind::GitHub), QStringLiteral("github"));
    QCOMPARE(scm::igorPrefix(ScmKind::GitLab), QStringLiteral("gitlab"));
    QCOMPARE(scm::igorPrefix(ScmKind::BitbucketCloud), QStringLiteral("bitbucket"));
    QVERIFY(scm::igorPrefix(ScmKind::Gitea).isEmpty());
}

QTEST_GUILESS_MAIN(TestIgorCommits)
#include "tst_igorcommits.moc"
