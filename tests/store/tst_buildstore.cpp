// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/model/wirecodec.h"
#include "core/store/buildstore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTest>
#include <QtConcurrent/QtConcurrentRun>

#include <atomic>

using namespace cic;

namespace {

struct Spec
{
    const char *id;
    int number;
    qint64 started;
    const char *projectKey;
    const char *repoSlug;
    QStringList shas;
    BuildResult result = BuildResult::Success;
    bool building = false;
    const char *source = "fixtures";
    const char *project = "";
};

BuildPtr make(const Spec &spec)
{
    auto build = std::make_shared<Build>();
    build->id = QString::fromLatin1(spec.id);
    build->number = spec.number;
    build->building = spec.building;
    build->result = spec.building ? BuildResult::Building : spec.result;
    build->source = QString::fromLatin1(spec.source);
    build->project = QString::fromLatin1(spec.project);
    if (spec.started > 0)
        build->properties.insert(QStringLiteral("startedTs"), QString::number(spec.started));
    if (*spec.projectKey)
        build->properties.insert(QStringLiteral("projectKey"),
                                 QString::fromLatin1(spec.projectKey));
    if (*spec.repoSlug)
        build->properties.insert(QStringLiteral("repoSlug"), QString::fromLatin1(spec.repoSlug));
    for (const QString &sha : spec.shas) {
        GitRevision revision;
        revision.sha1 = sha;
        build->scm.append(revision);
    }
    return build;
}

// Twelve builds over two sources, three repositories and every result.
BuildList sample()
{
    const QString a = QStringLiteral("2626f5f0c1d2e3f4a5b6c7d8e9f0011223344556");
    const QString a2 = QStringLiteral("2626f5faaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"); // same 7 chars
    const QString b = QStringLiteral("9F1E2D3C4B5A69788796A5B4C3D2E1F0A9B8C7D6"); // upper case
    const QString c = QStringLiteral("c0ffee0000000000000000000000000000000000");
    const QString d = QStringLiteral("d00d000000000000000000000000000000000000");
    return {
        make({"k-1042", 1042, 1000, "SPKR", "keel-app", {a}, BuildResult::Success}),
        make({"k-1043", 1043, 2000, "SPKR", "keel-app", {b}, BuildResult::Building, true}),
        make({"k-1044", 1044, 3000, "SPKR", "keel-app", {a2}, BuildResult::Failure}),
        make({"k-1045", 1045, 4000, "SPKR", "keel-app", {c, a}, BuildResult::Unstable}),
        make({"t-7", 7, 1500, "SPKR", "tools", {}, BuildResult::Failure}),
        make({"t-8", 8, 2500, "SPKR", "tools", {d}, BuildResult::Aborted}),
        make({"o-1042", 1042, 3500, "OPS", "keel-app", {d}, BuildResult::NotBuilt}),
        make({"o-5", 5, 500, "OPS", "backup", {c}, BuildResult::Success}),
        make({"j-1",
              1,
              5000,
              "SPKR",
              "keel-app",
              {b},
              BuildResult::Success,
              false,
              "jenkins",
              "keel-app-ci"}),
        make({"j-2",
              2,
              6000,
              "SPKR",
              "keel-app",
              {a},
              BuildResult::Aborted,
              false,
              "jenkins",
              "keel-app-ci"}),
        make({"j-3", 3, 7000, "", "", {c}, BuildResult::Success, true, "jenkins", "nightly"}),
        make({"j-4", 1042, 0, "", "", {}, BuildResult::Failure, false, "jenkins", "nightly"}),
    };
}

QStringList idsOf(const BuildList &builds)
{
    QStringList ids;
    for (const BuildPtr &build : builds)
        ids.append(build->id);
    return ids;
}

BuildList scan(const BuildList &all, const BuildQuery &query)
{
    BuildList found;
    for (const BuildPtr &build : all) {
        if (query.matches(*build))
            found.append(build);
    }
    sortNewestFirst(found);
    return found;
}

QByteArray encoded(const BuildList &builds)
{
    QList<QByteArray> parts;
    for (const BuildPtr &build : builds)
        parts.append(wire::encode(*build));
    return wire::encodeArray(parts);
}

} // namespace

class TestBuildStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void query_data();
    void query();
    void queryAgreesWithAScan();
    void limit();
    void buildById();
    void replaceSourceTouchesOnlyThatSource();
    void replaceSourceWithTheSameBuildsIsNoChange();
    void upsertAddsAndReplaces();
    void removeAndClear();
    void changedMayWriteAgain();
    void projects();
    void readersDuringWrites();

private:
    std::unique_ptr<BuildStore> m_store;
};

void TestBuildStore::init()
{
    m_store = std::make_unique<BuildStore>();
    BuildList fixtures;
    BuildList jenkins;
    for (const BuildPtr &build : sample())
        (build->source == u"jenkins" ? jenkins : fixtures).append(build);
    m_store->replaceSource(QStringLiteral("fixtures"), fixtures);
    m_store->replaceSource(QStringLiteral("jenkins"), jenkins);
    QCOMPARE(m_store->size(), 12);
}

void TestBuildStore::query_data()
{
    QTest::addColumn<QString>("projectKey");
    QTest::addColumn<QString>("repoSlug");
    QTest::addColumn<int>("number"); // -1: none
    QTest::addColumn<QString>("commit");
    QTest::addColumn<QString>("statuses");
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("project");
    QTest::addColumn<QStringList>("expected");

    auto row = [](const char *name) -> QTestData & { return QTest::newRow(name); };
    const QString none;

    row("everything, newest first")
        << none << none << -1 << none << none << none << none
        << QStringList{"j-3", "j-2",    "j-1", "k-1045", "o-1042", "k-1044",
                       "t-8", "k-1043", "t-7", "k-1042", "o-5",    "j-4"};
    row("projectKey") << "OPS" << none << -1 << none << none << none << none
                      << QStringList{"o-1042", "o-5"};
    row("projectKey, any case") << "spkr" << none << -1 << none << none << none << none
                                << QStringList{"j-2", "j-1",    "k-1045", "k-1044",
                                               "t-8", "k-1043", "t-7",    "k-1042"};
    row("repoSlug alone spans projects")
        << none << "keel-app" << -1 << none << none << none << none
        << QStringList{"j-2", "j-1", "k-1045", "o-1042", "k-1044", "k-1043", "k-1042"};
    row("deck's list") << "SPKR"
                       << "keel-app" << -1 << none << none << none << none
                       << QStringList{"j-2", "j-1", "k-1045", "k-1044", "k-1043", "k-1042"};
    row("deck's running badge") << "SPKR"
                                << "keel-app" << -1 << none << "INCOMPLETE" << none << none
                                << QStringList{"k-1043"};
    row("unknown repository") << "SPKR"
                              << "nope" << -1 << none << none << none << none << QStringList{};
    row("buildNumber") << none << none << 1042 << none << none << none << none
                       << QStringList{"o-1042", "k-1042", "j-4"};
    row("short sha") << none << none << -1 << "2626f5f" << none << none << none
                     << QStringList{"j-2", "k-1045", "k-1044", "k-1042"};
    row("longer prefix") << none << none << -1 << "2626f5f0" << none << none << none
                         << QStringList{"j-2", "k-1045", "k-1042"};
    row("full sha") << none << none << -1 << "2626f5f0c1d2e3f4a5b6c7d8e9f0011223344556" << none
                    << none << none << QStringList{"j-2", "k-1045", "k-1042"};
    row("sha stored upper case") << none << none << -1 << "9f1e2d3" << none << none << none
                                 << QStringList{"j-1", "k-1043"};
    row("sha asked upper case") << none << none << -1 << "C0FFEE" << none << none << none
                                << QStringList{"j-3", "k-1045", "o-5"};
    row("sha beyond the full length")
        << none << none << -1 << "2626f5f0c1d2e3f4a5b6c7d8e9f0011223344556ff" << none << none
        << none << QStringList{};
    row("keel's query") << none << none << 1042 << "2626f5f"
                        << "INCOMPLETE,SUCCEEDED,FAILED,ABORTED" << none << none
                        << QStringList{"k-1042"};
    row("keel's query, other number")
        << none << none << 1043 << "2626f5f"
        << "INCOMPLETE,SUCCEEDED,FAILED,ABORTED" << none << none << QStringList{};
    row("SUCCEEDED counts UNSTABLE") << "SPKR" << none << -1 << none << "SUCCEEDED" << none << none
                                     << QStringList{"j-1", "k-1045", "k-1042"};
    row("several statuses") << none << none << -1 << none << "FAILED,ABORTED" << none << none
                            << QStringList{"j-2", "k-1044", "t-8", "t-7", "j-4"};
    row("NOT_BUILT") << none << none << -1 << none << "NOT_BUILT" << none << none
                     << QStringList{"o-1042"};
    row("status alone") << none << none << -1 << none << "INCOMPLETE" << none << none
                        << QStringList{"j-3", "k-1043"};
    row("source") << none << none << -1 << none << none << "jenkins" << none
                  << QStringList{"j-3", "j-2", "j-1", "j-4"};
    row("source and project") << none << none << -1 << none << none << "jenkins"
                              << "nightly" << QStringList{"j-3", "j-4"};
    row("source, number, status") << none << none << 1042 << none << "FAILED"
                                  << "jenkins" << none << QStringList{"j-4"};
    row("everything at once") << "SPKR"
                              << "keel-app" << 2 << "2626"
                              << "ABORTED"
                              << "jenkins"
                              << "keel-app-ci" << QStringList{"j-2"};
    row("all filters, no match") << "SPKR"
                                 << "keel-app" << 2 << "2626"
                                 << "FAILED"
                                 << "jenkins"
                                 << "keel-app-ci" << QStringList{};
}

void TestBuildStore::query()
{
    QFETCH(QString, projectKey);
    QFETCH(QString, repoSlug);
    QFETCH(int, number);
    QFETCH(QString, commit);
    QFETCH(QString, statuses);
    QFETCH(QString, source);
    QFETCH(QString, project);
    QFETCH(QStringList, expected);

    BuildQuery query;
    query.projectKey = projectKey;
    query.repoSlug = repoSlug;
    if (number >= 0)
        query.buildNumber = number;
    query.commitPrefix = commit;
    if (!statuses.isEmpty()) {
        query.results = 0;
        for (const QString &status : statuses.split(QLatin1Char(',')))
            query.results |= parseCompletionStatus(status).value();
    }
    query.source = source;
    query.project = project;

    const BuildList found = m_store->query(query);
    QCOMPARE(idsOf(found), expected);
    // What /ci/builds sends is exactly these builds, encoded.
    QCOMPARE(m_store->queryWire(query), encoded(found));
}

void TestBuildStore::queryAgreesWithAScan()
{
    // Random data and random queries: every index answer must equal a plain scan.
    QRandomGenerator random(20261203);
    const QStringList keys = {QStringLiteral("SPKR"), QStringLiteral("OPS"), QString()};
    const QStringList repos
        = {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c"), QString()};
    const QStringList sources = {QStringLiteral("one"), QStringLiteral("two")};
    const char hex[] = "0123456789abcdef";

    BuildList all;
    for (int i = 0; i < 600; ++i) {
        auto build = std::make_shared<Build>();
        build->id = QStringLiteral("r-%1").arg(i);
        build->number = random.bounded(40);
        build->source = sources.at(random.bounded(2));
        build->project = QStringLiteral("p%1").arg(random.bounded(3));
        build->building = random.bounded(8) == 0;
        build->result = AllBuildResults[random.bounded(6)];
        build->properties.insert(QStringLiteral("startedTs"), QString::number(random.bounded(100)));
        if (const QString key = keys.at(random.bounded(3)); !key.isEmpty())
            build->properties.insert(QStringLiteral("projectKey"), key);
        if (const QString repo = repos.at(random.bounded(4)); !repo.isEmpty())
            build->properties.insert(QStringLiteral("repoSlug"), repo);
        for (int r = random.bounded(3); r > 0; --r) {
            GitRevision revision;
            for (int c = 0; c < 40; ++c)
                revision.sha1.append(QLatin1Char(hex[random.bounded(c < 3 ? 2 : 16)]));
            build->scm.append(revision);
        }
        all.append(build);
    }
    BuildStore store;
    store.replaceSource(QStringLiteral("one"), all);

    for (int i = 0; i < 3000; ++i) {
        BuildQuery query;
        if (random.bounded(3) == 0)
            query.projectKey = keys.at(random.bounded(2));
        if (random.bounded(3) == 0)
            query.repoSlug = repos.at(random.bounded(3));
        if (random.bounded(3) == 0)
            query.buildNumber = random.bounded(40);
        if (random.bounded(3) == 0) {
            for (int c = random.bounded(1, 6); c > 0; --c)
                query.commitPrefix.append(QLatin1Char(hex[random.bounded(c > 3 ? 2 : 16)]));
        }
        if (random.bounded(3) == 0)
            query.results = ResultSet(random.bounded(1, 64));
        if (random.bounded(4) == 0)
            query.source = sources.at(random.bounded(2));
        if (!query.source.isEmpty() && random.bounded(2) == 0)
            query.project = QStringLiteral("p%1").arg(random.bounded(3));

        const BuildList expected = scan(all, query);
        const BuildList found = store.query(query);
        if (idsOf(found) != idsOf(expected)) {
            qWarning("query %d: key=%s repo=%s number=%d commit=%s results=%u source=%s", i,
                     qPrintable(query.projectKey), qPrintable(query.repoSlug),
                     query.buildNumber.value_or(-1), qPrintable(query.commitPrefix), query.results,
                     qPrintable(query.source));
            QCOMPARE(idsOf(found), idsOf(expected));
        }
    }
}

void TestBuildStore::limit()
{
    BuildQuery query;
    query.projectKey = QStringLiteral("SPKR");
    QCOMPARE(idsOf(m_store->query(query, 2)), QStringList({"j-2", "j-1"}));
    QCOMPARE(m_store->query(query, 0).size(), 0);
    QCOMPARE(m_store->queryWire(query, 2), encoded(m_store->query(query, 2)));
}

void TestBuildStore::buildById()
{
    QCOMPARE(m_store->build(QStringLiteral("t-7"))->number, 7);
    QVERIFY(!m_store->build(QStringLiteral("nope")));
}

void TestBuildStore::replaceSourceTouchesOnlyThatSource()
{
    QSignalSpy changed(m_store.get(), &BuildStore::changed);

    // j-1 and j-2 stay as they were, j-3 changes, j-4 goes, j-5 comes.
    BuildList jenkins;
    for (const BuildPtr &build : sample()) {
        if (build->id == u"j-1" || build->id == u"j-2")
            jenkins.append(build);
    }
    auto changedBuild = std::make_shared<Build>(*make({"j-3", 3, 7000, "", "", {}}));
    changedBuild->source = QStringLiteral("jenkins");
    changedBuild->building = false;
    jenkins.append(changedBuild);
    auto added = std::make_shared<Build>(*make({"j-5", 5, 8000, "SPKR", "keel-app", {}}));
    added->source = QStringLiteral("jenkins");
    jenkins.append(added);

    m_store->replaceSource(QStringLiteral("jenkins"), jenkins);

    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(0).toStringList(), QStringList({"j-3", "j-4", "j-5"}));
    QCOMPARE(m_store->size(), 12);
    QVERIFY(!m_store->build(QStringLiteral("j-4")));
    QVERIFY(!m_store->build(QStringLiteral("j-3"))->building);
    QVERIFY(m_store->build(QStringLiteral("k-1042"))); // the other source is untouched

    BuildQuery running;
    running.results = resultBit(BuildResult::Building);
    QCOMPARE(idsOf(m_store->query(running)), QStringList({"k-1043"}));
}

void TestBuildStore::replaceSourceWithTheSameBuildsIsNoChange()
{
    QSignalSpy changed(m_store.get(), &BuildStore::changed);
    const QByteArray before = m_store->queryWire({});

    // Equal builds in new objects, as a refresh brings them.
    BuildList copies;
    for (const BuildPtr &build : sample()) {
        if (build->source == u"fixtures")
            copies.append(std::make_shared<Build>(*build));
    }
    m_store->replaceSource(QStringLiteral("fixtures"), copies);

    QCOMPARE(changed.count(), 0);
    QCOMPARE(m_store->queryWire({}), before);
}

void TestBuildStore::upsertAddsAndReplaces()
{
    QSignalSpy changed(m_store.get(), &BuildStore::changed);

    auto newer = std::make_shared<Build>(*m_store->build(QStringLiteral("k-1043")));
    newer->building = false;
    newer->result = BuildResult::Success;
    const BuildPtr fresh = make({"k-1046", 1046, 9000, "SPKR", "keel-app", {}});
    m_store->upsert({newer, fresh});

    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(0).toStringList(), QStringList({"k-1043", "k-1046"}));
    QCOMPARE(m_store->size(), 13);
    QCOMPARE(m_store->build(QStringLiteral("k-1043"))->result, BuildResult::Success);

    BuildQuery list;
    list.projectKey = QStringLiteral("SPKR");
    list.repoSlug = QStringLiteral("keel-app");
    QCOMPARE(m_store->query(list).first()->id, QStringLiteral("k-1046"));

    // The same content again is no change.
    m_store->upsert({std::make_shared<Build>(*newer)});
    QCOMPARE(changed.count(), 1);
}

void TestBuildStore::removeAndClear()
{
    QSignalSpy changed(m_store.get(), &BuildStore::changed);

    m_store->remove({QStringLiteral("t-7"), QStringLiteral("missing")});
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(0).toStringList(), QStringList({"t-7"}));
    QCOMPARE(m_store->size(), 11);

    m_store->remove({QStringLiteral("missing")});
    QCOMPARE(changed.count(), 1);

    m_store->clear();
    QCOMPARE(changed.count(), 2);
    QCOMPARE(changed.at(1).at(0).toStringList().size(), 11);
    QCOMPARE(m_store->size(), 0);
    QCOMPARE(m_store->queryWire({}), QByteArray("[]"));

    m_store->clear();
    QCOMPARE(changed.count(), 2);
}

void TestBuildStore::changedMayWriteAgain()
{
    // A listener that writes back from its slot (a provider topping up a build) must not
    // deadlock the store: changed is emitted after the write lock is released.
    int calls = 0;
    connect(m_store.get(), &BuildStore::changed, this, [this, &calls](const QStringList &) {
        if (++calls == 1)
            m_store->upsert({make({"late", 1, 99999, "SPKR", "late", {}})});
    });
    m_store->remove({QStringLiteral("t-7")});
    QCOMPARE(calls, 2);
    QVERIFY(m_store->build(QStringLiteral("late")));
}

void TestBuildStore::projects()
{
    const QList<BuildStore::ProjectCount> counts = m_store->projects();
    QStringList seen;
    for (const BuildStore::ProjectCount &count : counts)
        seen.append(QStringLiteral("%1/%2:%3:%4")
                        .arg(count.source, count.project)
                        .arg(count.builds)
                        .arg(count.running));
    QCOMPARE(seen,
             QStringList({"fixtures/:8:1", "jenkins/keel-app-ci:2:0", "jenkins/nightly:2:1"}));
}

void TestBuildStore::readersDuringWrites()
{
    // Readers on other threads see whole snapshots while a writer keeps replacing builds.
    std::atomic<bool> stop{false};
    std::atomic<int> torn{0};
    auto reader = [&] {
        BuildQuery query;
        query.projectKey = QStringLiteral("SPKR");
        query.repoSlug = QStringLiteral("keel-app");
        while (!stop.load()) {
            const QByteArray wire = m_store->queryWire(query);
            const QJsonDocument document = QJsonDocument::fromJson(wire);
            if (!document.isArray() || document.array().size() < 6)
                ++torn;
        }
    };
    QFuture<void> first = QtConcurrent::run(reader);
    QFuture<void> second = QtConcurrent::run(reader);

    for (int i = 0; i < 200; ++i) {
        auto build = std::make_shared<Build>(*m_store->build(QStringLiteral("k-1043")));
        build->durationMs = i;
        m_store->upsert({build});
    }
    stop = true;
    first.waitForFinished();
    second.waitForFinished();
    QCOMPARE(torn.load(), 0);
    QCOMPARE(*m_store->build(QStringLiteral("k-1043"))->durationMs, 199);
}

QTEST_GUILESS_MAIN(TestBuildStore)
#include "tst_buildstore.moc"
