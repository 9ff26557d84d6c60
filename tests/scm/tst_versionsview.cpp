// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/scm/scmcompareservice.h"
#include "core/store/buildstore.h"
#include "ui/versions/artifactversionsview.h"
#include "ui/versions/diffview.h"
#include "ui/versions/versionmodels.h"

#include <QAbstractItemModelTester>
#include <QLabel>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>

using namespace cic;
using namespace cic::versions;

Q_DECLARE_METATYPE(cic::versions::DiffHighlighter::LineKind)

namespace {

bool git(const QString &directory, const QStringList &arguments, QByteArray *output = nullptr)
{
    QProcess process;
    process.setWorkingDirectory(directory);
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("HOME"), directory);
    environment.insert(QStringLiteral("GIT_CONFIG_NOSYSTEM"), QStringLiteral("1"));
    for (const char *name : {"GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME"})
        environment.insert(QLatin1String(name), QStringLiteral("Ada"));
    for (const char *name : {"GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL"})
        environment.insert(QLatin1String(name), QStringLiteral("ada@example.test"));
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral("git"), arguments);
    if (!process.waitForFinished(30'000) || process.exitCode() != 0)
        return false;
    if (output)
        *output = process.readAllStandardOutput().trimmed();
    return true;
}

QString commitFile(const QString &directory, const QString &name, const QByteArray &content)
{
    QFile file(directory + QLatin1Char('/') + name);
    if (!file.open(QIODevice::WriteOnly))
        return {};
    file.write(content);
    file.close();
    QByteArray sha;
    if (!git(directory, {"add", "-A"}) || !git(directory, {"commit", "-q", "-m", "Change " + name})
        || !git(directory, {"rev-parse", "HEAD"}, &sha))
        return {};
    return QString::fromLatin1(sha);
}

BuildPtr buildOf(int number, const QString &version, const QString &sha)
{
    auto build = std::make_shared<Build>();
    build->id = QStringLiteral("app-%1").arg(number);
    build->name = QStringLiteral("acme/app");
    build->fullDisplayName = QStringLiteral("acme/app #%1").arg(number);
    build->number = number;
    build->result = BuildResult::Success;
    build->durationMs = 95'000;
    build->url = QStringLiteral("https://ci.example.test/builds/app-%1").arg(number);
    build->properties.insert(QStringLiteral("startedTs"),
                             QString::number(1'700'000'000'000 + number * 3'600'000));
    GitRevision revision;
    revision.sha1 = sha;
    revision.branch = QStringLiteral("main");
    revision.remoteUrl = QStringLiteral("git@github.com:acme/app.git");
    revision.message = QStringLiteral("Change %1").arg(number);
    revision.committer = QStringLiteral("Ada");
    build->scm.append(revision);
    BuildArtifact artifact;
    artifact.name = QStringLiteral("app");
    artifact.type = QStringLiteral("deb");
    artifact.version = version;
    build->artifacts.append(artifact);
    return build;
}

QList<ScmChangedFile> threeFiles()
{
    ScmChangedFile modified;
    modified.path = QStringLiteral("a.txt");
    modified.patch = "@@ -1 +1 @@\n-old\n+new\n";
    scm::countPatchLines(modified);
    ScmChangedFile binary;
    binary.path = QStringLiteral("logo.png");
    binary.binary = true;
    ScmChangedFile renamed;
    renamed.status = ScmChangedFile::Status::Renamed;
    renamed.oldPath = QStringLiteral("b.txt");
    renamed.path = QStringLiteral("c.txt");
    return {modified, binary, renamed};
}

} // namespace

class TestVersionsView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void modelsPassTheTester();
    void lineKinds_data();
    void lineKinds();
    void diffTextAndFileStarts();
    void summaryOfOneVersion();
    void comparesTwoVersions();
    void comparesWithThePrevious();
    void failureIsShown();
    void keepsSelectionAcrossRefresh();

private:
    QTemporaryDir m_clone;
    QStringList m_shas;
    BuildStore m_store;
    std::unique_ptr<ArtifactVersions> m_versions;
    ScmCompareService m_service;
};

void TestVersionsView::initTestCase()
{
    QVERIFY(m_clone.isValid());
    const QString path = m_clone.path();
    QVERIFY(git(path, {"init", "-q", "-b", "main"}));
    QVERIFY(git(path, {"remote", "add", "origin", "https://github.com/acme/app.git"}));
    for (int i = 0; i < 3; ++i) {
        const QString sha = commitFile(path, QStringLiteral("file%1.txt").arg(i),
                                       QByteArray("line\n").repeated(i + 1));
        QVERIFY(!sha.isEmpty());
        m_shas.append(sha);
    }

    m_store.upsert({buildOf(1, QStringLiteral("1.0"), m_shas[0]),
                    buildOf(2, QStringLiteral("1.1"), m_shas[1]),
                    buildOf(3, QStringLiteral("1.2"), m_shas[2])});
    m_versions = std::make_unique<ArtifactVersions>(&m_store);
    m_service.setLocalClones({{QString(), path}});
}

void TestVersionsView::modelsPassTheTester()
{
    ArtifactListModel artifacts;
    QAbstractItemModelTester artifactTester(&artifacts);
    artifacts.setArtifacts(m_versions->artifacts());
    QCOMPARE(artifacts.rowCount(), 1);
    QCOMPARE(artifacts.index(0, ArtifactListModel::NameColumn).data().toString(),
             QStringLiteral("app"));
    QCOMPARE(artifacts.index(0, ArtifactListModel::VersionsColumn).data().toInt(), 3);
    QCOMPARE(artifacts.index(0, ArtifactListModel::NewestColumn).data().toString(),
             QStringLiteral("1.2"));

    VersionTableModel versions;
    QAbstractItemModelTester versionTester(&versions);
    versions.setVersions(m_versions->artifacts().first().versions);
    QCOMPARE(versions.rowCount(), 3);
    QCOMPARE(versions.index(0, VersionTableModel::CommitColumn).data().toString(),
             m_shas[2].left(7));
    QCOMPARE(versions.index(2, VersionTableModel::BuildColumn).data().toInt(), 1);
    QCOMPARE(versions.rowOfVersion(QStringLiteral("1.1")), 1);

    CommitListModel commits;
    QAbstractItemModelTester commitTester(&commits);
    ScmCommit commit;
    commit.sha = m_shas[1];
    commit.message = QStringLiteral("Subject line\n\nBody");
    commit.url = QStringLiteral("https://github.com/acme/app/commit/") + m_shas[1];
    commits.setCommits({commit});
    QCOMPARE(commits.index(0, CommitListModel::SubjectColumn).data().toString(),
             QStringLiteral("Subject line"));
    QCOMPARE(commits.index(0, 0).data(CommitListModel::UrlRole).toString(), commit.url);

    ChangedFilesModel files;
    QAbstractItemModelTester fileTester(&files);
    files.setFiles(threeFiles());
    QCOMPARE(files.rowCount(), 3);
    QCOMPARE(files.index(0, ChangedFilesModel::AddedColumn).data().toString(),
             QStringLiteral("+1"));
    QCOMPARE(files.index(2, ChangedFilesModel::StatusColumn).data().toString(),
             QStringLiteral("R"));
    QCOMPARE(files.index(2, ChangedFilesModel::PathColumn).data().toString(),
             QStringLiteral("b.txt → c.txt"));
    files.setFiles({});
    QCOMPARE(files.rowCount(), 0);
}

void TestVersionsView::lineKinds_data()
{
    // clang-format off
    QTest::addColumn<QString>("line");
    QTest::addColumn<bool>("inHunk");
    QTest::addColumn<DiffHighlighter::LineKind>("kind");

    QTest::newRow("file header") << "diff --git a/x b/x" << true << DiffHighlighter::Header;
    QTest::newRow("old side") << "--- a/x" << false << DiffHighlighter::Header;
    QTest::newRow("new side") << "+++ b/x" << false << DiffHighlighter::Header;
    QTest::newRow("hunk") << "@@ -1 +1 @@" << false << DiffHighlighter::Hunk;
    QTest::newRow("added") << "+new" << true << DiffHighlighter::Added;
    QTest::newRow("removed") << "-old" << true << DiffHighlighter::Removed;
    QTest::newRow("removed like a header") << "--- x" << true << DiffHighlighter::Removed;
    QTest::newRow("context") << " same" << true << DiffHighlighter::Context;
    QTest::newRow("no newline") << "\\ No newline at end of file" << true << DiffHighlighter::Note;
    QTest::newRow("our note") << "# The patch is cut" << false << DiffHighlighter::Note;
    // clang-format on
}

void TestVersionsView::lineKinds()
{
    QFETCH(QString, line);
    QFETCH(bool, inHunk);
    QFETCH(DiffHighlighter::LineKind, kind);
    QCOMPARE(DiffHighlighter::kindOf(line, inHunk), kind);
}

void TestVersionsView::diffTextAndFileStarts()
{
    QList<int> starts;
    const QString text = DiffView::diffText(threeFiles(), &starts);
    QCOMPARE(starts, (QList<int>{0, 6, 8}));
    const QStringList lines = text.split(QLatin1Char('\n'));
    QCOMPARE(lines[0], QStringLiteral("diff --git a/a.txt b/a.txt"));
    QCOMPARE(lines[3], QStringLiteral("@@ -1 +1 @@"));
    QCOMPARE(lines[5], QStringLiteral("+new"));
    QCOMPARE(lines[6], QStringLiteral("diff --git a/logo.png b/logo.png"));
    QCOMPARE(lines[7], QStringLiteral("Binary files a/logo.png and b/logo.png differ"));
    QCOMPARE(lines[8], QStringLiteral("diff --git a/b.txt b/c.txt"));
    QCOMPARE(lines[9], QStringLiteral("rename from b.txt"));
    QCOMPARE(lines.last(), QStringLiteral("# No textual change (a rename or a mode change)."));

    DiffView view;
    view.resize(400, 60);
    view.setFiles(threeFiles());
    QCOMPARE(view.fileCount(), 3);
    QCOMPARE(view.fileAtBlock(0), 0);
    QCOMPARE(view.fileAtBlock(5), 0);
    QCOMPARE(view.fileAtBlock(7), 1);
    QCOMPARE(view.fileAtBlock(9), 2);
    view.show();
    QSignalSpy current(&view, &DiffView::currentFileChanged);
    view.showFile(2);
    QCOMPARE(view.textCursor().blockNumber(), 8);
    QCOMPARE(view.currentFile(), 2);
    QCOMPARE(current.last().first().toInt(), 2);
    view.showPreviousFile();
    QCOMPARE(view.currentFile(), 1);
}

void TestVersionsView::summaryOfOneVersion()
{
    ArtifactVersionsView view(m_versions.get(), &m_service);
    QVERIFY(view.selectArtifact(QStringLiteral("deb:app")));
    QVERIFY(view.selectVersions({QStringLiteral("1.1")}));

    const QString html = view.summary()->toHtml();
    QVERIFY(html.contains(QStringLiteral("https://ci.example.test/builds/app-2")));
    QVERIFY(html.contains(QStringLiteral("cic-build:app-2")));
    QVERIFY(html.contains(QStringLiteral("https://github.com/acme/app/commit/") + m_shas[1]));
    QVERIFY(html.contains(QStringLiteral("1 min 35 s")));
    QCOMPARE(view.compareButton()->text(), QStringLiteral("Compare with Previous"));
    QVERIFY(view.compareButton()->isEnabled());
    QVERIFY(view.comparePageButton()->isEnabled());

    QSignalSpy requested(&view, &ArtifactVersionsView::buildRequested);
    Q_EMIT view.summary()->anchorClicked(QUrl(QStringLiteral("cic-build:app-2")));
    QCOMPARE(requested.size(), 1);
    QCOMPARE(requested.first().first().toString(), QStringLiteral("app-2"));
}

void TestVersionsView::comparesTwoVersions()
{
    ArtifactVersionsView view(m_versions.get(), &m_service);
    view.resize(900, 600);
    view.show();
    QVERIFY(view.selectArtifact(QStringLiteral("deb:app")));
    QVERIFY(view.selectVersions({QStringLiteral("1.2"), QStringLiteral("1.0")}));
    QCOMPARE(view.compareButton()->text(), QStringLiteral("Compare"));

    QSignalSpy finished(&view, &ArtifactVersionsView::comparisonFinished);
    view.compareButton()->click();
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(finished.first().first().toBool(), true);

    QVERIFY(view.comparison());
    QCOMPARE(view.comparison()->older, m_shas[0]);
    QCOMPARE(view.comparison()->newer, m_shas[2]);
    QCOMPARE(view.commitTable()->model()->rowCount(), 2);
    QCOMPARE(
        view.commitTable()->model()->index(0, CommitListModel::SubjectColumn).data().toString(),
        QStringLiteral("Change file2.txt"));
    QCOMPARE(view.fileTable()->model()->rowCount(), 2);
    QCOMPARE(view.tabs()->currentIndex(), int(ArtifactVersionsView::CommitsTab));
    QVERIFY(view.statusLabel()->text().startsWith(QStringLiteral("2 commits and 2 changed files")));
    QVERIFY(view.diffView()->toPlainText().contains(QStringLiteral("+line\n+line")));

    view.tabs()->setCurrentIndex(ArtifactVersionsView::FilesTab);
    view.fileTable()->selectRow(1);
    QCOMPARE(view.diffView()->textCursor().blockNumber(), view.diffView()->fileStartBlock(1));
}

void TestVersionsView::comparesWithThePrevious()
{
    ArtifactVersionsView view(m_versions.get(), &m_service);
    QVERIFY(view.selectArtifact(QStringLiteral("deb:app")));
    QVERIFY(view.selectVersions({QStringLiteral("1.1")}));

    QSignalSpy finished(&view, &ArtifactVersionsView::comparisonFinished);
    view.compareSelected();
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(view.comparison()->older, m_shas[0]);
    QCOMPARE(view.comparison()->newer, m_shas[1]);
    QCOMPARE(view.commitTable()->model()->rowCount(), 1);

    // The oldest version has none before it.
    QVERIFY(view.selectVersions({QStringLiteral("1.0")}));
    QVERIFY(!view.compareButton()->isEnabled());
}

void TestVersionsView::failureIsShown()
{
    BuildStore store;
    store.upsert({buildOf(1, QStringLiteral("1.0"), m_shas[0]),
                  buildOf(2, QStringLiteral("1.1"), QStringLiteral("not-a-revision"))});
    ArtifactVersions versions(&store);
    ArtifactVersionsView view(&versions, &m_service);
    QVERIFY(view.selectArtifact(QStringLiteral("deb:app")));
    QVERIFY(view.selectVersions({QStringLiteral("1.0"), QStringLiteral("1.1")}));

    QSignalSpy finished(&view, &ArtifactVersionsView::comparisonFinished);
    view.compareSelected();
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(finished.first().first().toBool(), false);
    QVERIFY(!view.comparison());
    QVERIFY2(view.statusLabel()->text().startsWith(QStringLiteral("Revision not-a-revision is not "
                                                                  "in the local clone")),
             qPrintable(view.statusLabel()->text()));
}

void TestVersionsView::keepsSelectionAcrossRefresh()
{
    BuildStore store;
    store.upsert({buildOf(1, QStringLiteral("1.0"), m_shas[0]),
                  buildOf(2, QStringLiteral("1.1"), m_shas[1])});
    ArtifactVersions versions(&store);
    ArtifactVersionsView view(&versions, &m_service);
    QVERIFY(view.selectArtifact(QStringLiteral("deb:app")));
    QVERIFY(view.selectVersions({QStringLiteral("1.0")}));

    QSignalSpy changed(&versions, &ArtifactVersions::changed);
    store.upsert({buildOf(3, QStringLiteral("1.2"), m_shas[2])});
    QTRY_COMPARE(changed.size(), 1);
    QCOMPARE(view.versionTable()->model()->rowCount(), 3);
    const QList<ArtifactVersion> selected = view.selectedVersions();
    QCOMPARE(selected.size(), 1);
    QCOMPARE(selected.first().version, QStringLiteral("1.0"));
}

QTEST_MAIN(TestVersionsView)
#include "tst_versionsview.moc"
