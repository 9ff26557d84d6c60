// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/scm/localcompareclient.h"
#include "core/scm/scmcompareservice.h"
#include "core/scm/scmlinks.h"

#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace cic;

namespace {

// A repository made with the git command line, as a user's clone would be.
class GitRepository
{
public:
    explicit GitRepository(const QString &path)
        : m_path(path)
    {
    }

    bool git(const QStringList &arguments, QByteArray *output = nullptr)
    {
        QProcess process;
        process.setWorkingDirectory(m_path);
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("HOME"), m_path);
        environment.insert(QStringLiteral("GIT_CONFIG_NOSYSTEM"), QStringLiteral("1"));
        environment.insert(QStringLiteral("GIT_AUTHOR_NAME"), QStringLiteral("Ada Lovelace"));
        environment.insert(QStringLiteral("GIT_AUTHOR_EMAIL"), QStringLiteral("ada@example.test"));
        environment.insert(QStringLiteral("GIT_COMMITTER_NAME"), QStringLiteral("Ada Lovelace"));
        environment.insert(QStringLiteral("GIT_COMMITTER_EMAIL"),
                           QStringLiteral("ada@example.test"));
        const QString date
            = QStringLiteral("2024-05-01T10:%1:00Z").arg(m_minute++, 2, 10, QLatin1Char('0'));
        environment.insert(QStringLiteral("GIT_AUTHOR_DATE"), date);
        environment.insert(QStringLiteral("GIT_COMMITTER_DATE"), date);
        process.setProcessEnvironment(environment);
        process.start(QStringLiteral("git"), arguments);
        if (!process.waitForFinished(30'000) || process.exitCode() != 0) {
            qWarning("git %s: %s", qPrintable(arguments.join(QLatin1Char(' '))),
                     process.readAllStandardError().constData());
            return false;
        }
        if (output)
            *output = process.readAllStandardOutput().trimmed();
        return true;
    }

    void write(const QString &relative, const QByteArray &bytes)
    {
        const QString path = m_path + QLatin1Char('/') + relative;
        QDir().mkpath(QFileInfo(path).absolutePath());
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(bytes);
    }

    QString commit(const QString &message)
    {
        QByteArray sha;
        if (!git({QStringLiteral("add"), QStringLiteral("-A")})
            || !git({QStringLiteral("commit"), QStringLiteral("-q"), QStringLiteral("-m"), message})
            || !git({QStringLiteral("rev-parse"), QStringLiteral("HEAD")}, &sha))
            return {};
        return QString::fromLatin1(sha);
    }

private:
    QString m_path;
    int m_minute = 0;
};

QByteArray numberedLines(int count, const char *word)
{
    QByteArray text;
    for (int i = 1; i <= count; ++i)
        text += word + QByteArray(" line ") + QByteArray::number(i) + '\n';
    return text;
}

const ScmChangedFile *fileAt(const ScmComparison &comparison, const QString &path)
{
    for (const ScmChangedFile &file : comparison.files) {
        if (file.path == path)
            return &file;
    }
    return nullptr;
}

} // namespace

class TestLocalCompare : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void commitsNewestFirst();
    void changedFiles_data();
    void changedFiles();
    void keepsBytesThatAreNotUtf8();
    void comparesFromTheMergeBase();
    void boundsTheCommits();
    void saysWhenSwapped();
    void unknownRevision();
    void notARepository();
    void serviceUsesTheClone();

private:
    QTemporaryDir m_dir;
    QString m_base;
    QString m_middle;
    QString m_head;
    QString m_side;
    ScmRepository m_repository;
};

void TestLocalCompare::initTestCase()
{
    QVERIFY(m_dir.isValid());
    GitRepository repo(m_dir.path());
    QVERIFY(repo.git({QStringLiteral("init"), QStringLiteral("-q"), QStringLiteral("-b"),
                      QStringLiteral("main")}));
    QVERIFY(repo.git({QStringLiteral("remote"), QStringLiteral("add"), QStringLiteral("origin"),
                      QStringLiteral("git@github.com:acme/app.git")}));

    repo.write(QStringLiteral("src/main.cpp"), "int main()\n{\n    return 0;\n}\n");
    repo.write(QStringLiteral("lib/util.h"), numberedLines(20, "util"));
    repo.write(QStringLiteral("logo.bin"), QByteArray("\x89PNG\0\0\x01\x02", 8));
    repo.write(QStringLiteral("menu.txt"), "cr\xe8me\n");
    repo.write(QStringLiteral("removed.txt"), "gone soon\n");
    m_base = repo.commit(QStringLiteral("Start"));
    QVERIFY(!m_base.isEmpty());

    repo.write(QStringLiteral("src/main.cpp"), "int main()\n{\n    return 1;\n}\n");
    QVERIFY(QFile::remove(m_dir.filePath(QStringLiteral("lib/util.h"))));
    QByteArray util = numberedLines(20, "util");
    util.replace("util line 20\n", "util line twenty\n");
    repo.write(QStringLiteral("include/util.h"), util);
    repo.write(QStringLiteral("logo.bin"), QByteArray("\x89PNG\0\0\x03\x04", 8));
    QVERIFY(repo.git({QStringLiteral("rm"), QStringLiteral("-q"), QStringLiteral("removed.txt")}));
    repo.write(QStringLiteral("docs/new.md"), "# New\n");
    m_middle = repo.commit(QStringLiteral("Move util.h to include/"));

    repo.write(QStringLiteral("menu.txt"), "cr\xe8me br\xfbl\xe9\n");
    m_head = repo.commit(QString::fromUtf8("Serve cr\xc3\xa8me br\xc3\xbbl\xc3\xa9\n\nDessert."));
    QVERIFY(!m_head.isEmpty());

    // A branch from the start that the newer never merged.
    QVERIFY(repo.git({QStringLiteral("checkout"), QStringLiteral("-q"), QStringLiteral("-b"),
                      QStringLiteral("side"), m_base}));
    repo.write(QStringLiteral("side.txt"), "only on the side\n");
    m_side = repo.commit(QStringLiteral("Side work"));
    QVERIFY(repo.git({QStringLiteral("checkout"), QStringLiteral("-q"), QStringLiteral("main")}));
    QVERIFY(repo.git({QStringLiteral("tag"), QStringLiteral("v1.0"), m_base}));

    m_repository.kind = ScmKind::GitHub;
    m_repository.webUrl = QUrl(QStringLiteral("https://github.com"));
    m_repository.owner = QStringLiteral("acme");
    m_repository.name = QStringLiteral("app");
}

void TestLocalCompare::commitsNewestFirst()
{
    const Result<ScmComparison> result
        = LocalCompareClient::compareNow(m_dir.path(), m_repository, m_base, m_head);
    QVERIFY2(result.ok(), qPrintable(result.error()));

    const ScmComparison &comparison = *result;
    QCOMPARE(comparison.commits.size(), 2);
    QCOMPARE(comparison.totalCommits, 2);
    QVERIFY(!comparison.truncated);
    QCOMPARE(comparison.commits[0].sha, m_head);
    QCOMPARE(comparison.commits[1].sha, m_middle);
    QCOMPARE(comparison.commits[0].subject(),
             QString::fromUtf8("Serve cr\xc3\xa8me br\xc3\xbbl\xc3\xa9"));
    QCOMPARE(comparison.commits[0].author, QStringLiteral("Ada Lovelace"));
    QCOMPARE(comparison.commits[0].authorEmail, QStringLiteral("ada@example.test"));
    QCOMPARE(comparison.commits[0].date.toUTC(),
             QDateTime(QDate(2024, 5, 1), QTime(10, 10), Qt::UTC));
    QCOMPARE(comparison.commits[0].url,
             QStringLiteral("https://github.com/acme/app/commit/") + m_head);
    QCOMPARE(comparison.compareUrl, scm::compareLink(m_repository, m_base, m_head));
    QVERIFY(comparison.origin.startsWith(QStringLiteral("local clone at ")));

    // Tags and abbreviated shas name revisions too.
    const Result<ScmComparison> byTag = LocalCompareClient::compareNow(
        m_dir.path(), m_repository, QStringLiteral("v1.0"), m_head.left(8));
    QVERIFY2(byTag.ok(), qPrintable(byTag.error()));
    QCOMPARE(byTag->commits.size(), 2);
}

void TestLocalCompare::changedFiles_data()
{
    // clang-format off
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("status");
    QTest::addColumn<QString>("oldPath");
    QTest::addColumn<int>("additions");
    QTest::addColumn<int>("deletions");
    QTest::addColumn<bool>("binary");

    QTest::newRow("modified") << "src/main.cpp" << "modified" << "" << 1 << 1 << false;
    QTest::newRow("renamed") << "include/util.h" << "renamed" << "lib/util.h" << 1 << 1 << false;
    QTest::newRow("binary") << "logo.bin" << "modified" << "" << 0 << 0 << true;
    QTest::newRow("removed") << "removed.txt" << "removed" << "" << 0 << 1 << false;
    QTest::newRow("added") << "docs/new.md" << "added" << "" << 1 << 0 << false;
    QTest::newRow("latin-1") << "menu.txt" << "modified" << "" << 1 << 1 << false;
    // clang-format on
}

void TestLocalCompare::changedFiles()
{
    QFETCH(QString, path);
    QFETCH(QString, status);
    QFETCH(QString, oldPath);
    QFETCH(int, additions);
    QFETCH(int, deletions);
    QFETCH(bool, binary);

    const Result<ScmComparison> result
        = LocalCompareClient::compareNow(m_dir.path(), m_repository, m_base, m_head);
    QVERIFY2(result.ok(), qPrintable(result.error()));
    QCOMPARE(result->files.size(), 6);

    const ScmChangedFile *file = fileAt(*result, path);
    QVERIFY(file);
    QCOMPARE(scmFileStatusName(file->status), status);
    QCOMPARE(file->oldPath, oldPath);
    QCOMPARE(file->additions, additions);
    QCOMPARE(file->deletions, deletions);
    QCOMPARE(file->binary, binary);
    QCOMPARE(file->patch.isEmpty(), binary);
    if (!binary)
        QVERIFY(file->patch.startsWith("@@ "));
}

void TestLocalCompare::keepsBytesThatAreNotUtf8()
{
    const Result<ScmComparison> result
        = LocalCompareClient::compareNow(m_dir.path(), m_repository, m_base, m_head);
    QVERIFY2(result.ok(), qPrintable(result.error()));
    const ScmChangedFile *menu = fileAt(*result, QStringLiteral("menu.txt"));
    QVERIFY(menu);
    QCOMPARE(menu->patch, QByteArray("@@ -1 +1 @@\n-cr\xe8me\n+cr\xe8me br\xfbl\xe9\n"));
    QCOMPARE(menu->patchText(),
             QStringLiteral("@@ -1 +1 @@\n-cr\uFFFDme\n+cr\uFFFDme br\uFFFDl\uFFFD\n"));

    const ScmChangedFile *main = fileAt(*result, QStringLiteral("src/main.cpp"));
    QVERIFY(main);
    QCOMPARE(main->patch,
             QByteArray("@@ -1,4 +1,4 @@\n int main()\n {\n-    return 0;\n"
                        "+    return 1;\n }\n"));
}

void TestLocalCompare::comparesFromTheMergeBase()
{
    // The side branch's own commit and file are not part of what main brings.
    const Result<ScmComparison> result
        = LocalCompareClient::compareNow(m_dir.path(), m_repository, m_side, m_head);
    QVERIFY2(result.ok(), qPrintable(result.error()));
    QCOMPARE(result->commits.size(), 2);
    QVERIFY(!fileAt(*result, QStringLiteral("side.txt")));
    QCOMPARE(result->files.size(), 6);
}

void TestLocalCompare::boundsTheCommits()
{
    ScmCompareOptions options;
    options.maxCommits = 1;
    options.withFiles = false;
    const Result<ScmComparison> result
        = LocalCompareClient::compareNow(m_dir.path(), m_repository, m_base, m_head, options);
    QVERIFY2(result.ok(), qPrintable(result.error()));
    QCOMPARE(result->commits.size(), 1);
    QCOMPARE(result->commits[0].sha, m_head);
    QCOMPARE(result->totalCommits, 2);
    QVERIFY(result->truncated);
    QCOMPARE(result->truncationMessage(),
             QStringLiteral("Showing the newest 1 of 2 commits; CI Companion reads at most 1."));
    QVERIFY(result->files.isEmpty());
}

void TestLocalCompare::saysWhenSwapped()
{
    const Result<ScmComparison> result
        = LocalCompareClient::compareNow(m_dir.path(), m_repository, m_head, m_base);
    QVERIFY2(result.ok(), qPrintable(result.error()));
    QVERIFY(result->commits.isEmpty());
    QVERIFY(!result->truncated);
    QCOMPARE(result->notes.size(), 1);
    QVERIFY(result->notes.first().contains(QStringLiteral("wrong way round")));
}

void TestLocalCompare::unknownRevision()
{
    const QString unknown = QStringLiteral("0123456789abcdef0123456789abcdef01234567");
    const Result<ScmComparison> result
        = LocalCompareClient::compareNow(m_dir.path(), m_repository, unknown, m_head);
    QVERIFY(!result.ok());
    QVERIFY2(result.error().startsWith(QStringLiteral("Revision ") + unknown
                                       + QStringLiteral(" is not in the local clone at ")),
             qPrintable(result.error()));
    QVERIFY(result.error().contains(QStringLiteral("fetch")));
}

void TestLocalCompare::notARepository()
{
    QTemporaryDir empty;
    const Result<ScmComparison> result
        = LocalCompareClient::compareNow(empty.path(), m_repository, m_base, m_head);
    QVERIFY(!result.ok());
    QVERIFY(result.error().contains(QStringLiteral("is not a git repository")));
}

void TestLocalCompare::serviceUsesTheClone()
{
    ScmCompareService service;
    service.setLocalClones({{QString(), m_dir.path()}}); // the clone's origin says what it is
    QCOMPARE(service.localCloneFor(m_repository), m_dir.path());

    ScmRepository other = m_repository;
    other.name = QStringLiteral("other");
    QVERIFY(service.localCloneFor(other).isEmpty());

    QFuture<Result<ScmComparison>> future = service.compare(m_repository, m_base, m_head);
    QTRY_VERIFY(future.isFinished());
    const Result<ScmComparison> result = future.result();
    QVERIFY2(result.ok(), qPrintable(result.error()));
    QCOMPARE(result->commits.size(), 2);
    QVERIFY(result->origin.startsWith(QStringLiteral("local clone at ")));

    // Named by its remote over https, the same clone matches the scp-like origin's repository.
    service.setLocalClones({{QStringLiteral("https://github.com/ACME/app.git"), m_dir.path()}});
    QCOMPARE(service.localCloneFor(m_repository), m_dir.path());
}

QTEST_GUILESS_MAIN(TestLocalCompare)
#include "tst_localcompare.moc"
