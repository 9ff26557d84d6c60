// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/scm/scmcomparison.h"

#include <QJsonArray>
#include <QTest>

using namespace cic;

namespace {

// What `git diff` prints for a mix of changes, bytes as git writes them.
const QByteArray MixedDiff
    = "diff --git a/src/parser.cpp b/src/parser.cpp\n"
      "index 3b18e51..a9c2f3e 100644\n"
      "--- a/src/parser.cpp\n"
      "+++ b/src/parser.cpp\n"
      "@@ -40,3 +40,4 @@ int parse(const Input &in)\n"
      "-  return 1;\n"
      "+  if (in.empty())\n"
      "+    return 0;\n"
      "+  return 1;\n"
      " }\n"
      "diff --git a/docs/new.md b/docs/new.md\n"
      "new file mode 100644\n"
      "index 0000000..e69de29\n"
      "--- /dev/null\n"
      "+++ b/docs/new.md\n"
      "@@ -0,0 +1 @@\n"
      "+hello\n"
      "diff --git a/old.txt b/old.txt\n"
      "deleted file mode 100644\n"
      "index 9daeafb..0000000\n"
      "--- a/old.txt\n"
      "+++ /dev/null\n"
      "@@ -1,2 +0,0 @@\n"
      "-one\n"
      "-two\n"
      "diff --git a/lib/a.h b/include/a.h\n"
      "similarity index 90%\n"
      "rename from lib/a.h\n"
      "rename to include/a.h\n"
      "index 1111111..2222222 100644\n"
      "--- a/lib/a.h\n"
      "+++ b/include/a.h\n"
      "@@ -1 +1 @@\n"
      "-#pragma once // old\n"
      "+#pragma once\n"
      "diff --git a/moved.txt b/elsewhere/moved.txt\n"
      "similarity index 100%\n"
      "rename from moved.txt\n"
      "rename to elsewhere/moved.txt\n"
      "diff --git a/logo.png b/logo.png\n"
      "index 5f5f5f5..6a6a6a6 100644\n"
      "Binary files a/logo.png and b/logo.png differ\n"
      "diff --git \"a/caf\\303\\251 menu.txt\" \"b/caf\\303\\251 menu.txt\"\n"
      "index 1234567..89abcde 100644\n"
      "--- \"a/caf\\303\\251 menu.txt\"\n"
      "+++ \"b/caf\\303\\251 menu.txt\"\n"
      "@@ -1 +1 @@\n"
      "-cr\xe8me\n"
      "+cr\xe8me br\xfbl\xe9\n"
      "\\ No newline at end of file\n"
      "diff --git a/with space.txt b/with space.txt\n"
      "index 1234567..89abcde 100644\n"
      "--- a/with space.txt\t\n"
      "+++ b/with space.txt\t\n"
      "@@ -1 +1 @@\n"
      "-a\n"
      "+b\n";

} // namespace

class TestScmDiff : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesFiles_data();
    void parsesFiles();
    void keepsBytesThatAreNotUtf8();
    void keepsPatchLines();
    void unifiedDiffRoundTrip();
    void hunksOnly_data();
    void hunksOnly();
    void jsonCarriesExactBytes();
};

void TestScmDiff::parsesFiles_data()
{
    // clang-format off
    QTest::addColumn<int>("index");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("oldPath");
    QTest::addColumn<QString>("status");
    QTest::addColumn<int>("additions");
    QTest::addColumn<int>("deletions");
    QTest::addColumn<bool>("binary");

    QTest::newRow("modified") << 0 << "src/parser.cpp" << "" << "modified" << 3 << 1 << false;
    QTest::newRow("added") << 1 << "docs/new.md" << "" << "added" << 1 << 0 << false;
    QTest::newRow("removed") << 2 << "old.txt" << "" << "removed" << 0 << 2 << false;
    QTest::newRow("renamed and changed") << 3 << "include/a.h" << "lib/a.h" << "renamed" << 1 << 1
        << false;
    QTest::newRow("renamed only") << 4 << "elsewhere/moved.txt" << "moved.txt" << "renamed" << 0
        << 0 << false;
    QTest::newRow("binary") << 5 << "logo.png" << "" << "modified" << 0 << 0 << true;
    QTest::newRow("quoted path") << 6 << QString::fromUtf8("caf\xc3\xa9 menu.txt") << ""
        << "modified" << 1 << 1 << false;
    QTest::newRow("path with a space") << 7 << "with space.txt" << "" << "modified" << 1 << 1
        << false;
    // clang-format on
}

void TestScmDiff::parsesFiles()
{
    QFETCH(int, index);
    QFETCH(QString, path);
    QFETCH(QString, oldPath);
    QFETCH(QString, status);
    QFETCH(int, additions);
    QFETCH(int, deletions);
    QFETCH(bool, binary);

    const QList<ScmChangedFile> files = scm::parseGitDiff(MixedDiff);
    QCOMPARE(files.size(), 8);
    const ScmChangedFile &file = files.at(index);
    QCOMPARE(file.path, path);
    QCOMPARE(file.oldPath, oldPath);
    QCOMPARE(scmFileStatusName(file.status), status);
    QCOMPARE(file.additions, additions);
    QCOMPARE(file.deletions, deletions);
    QCOMPARE(file.binary, binary);
    QCOMPARE(file.patch.isEmpty(), binary || (additions == 0 && deletions == 0));
    if (!file.patch.isEmpty())
        QVERIFY(file.patch.startsWith("@@ "));
}

void TestScmDiff::keepsBytesThatAreNotUtf8()
{
    const ScmChangedFile file = scm::parseGitDiff(MixedDiff).at(6);
    QVERIFY(file.patch.contains("+cr\xe8me br\xfbl\xe9\n"));
    QVERIFY(!scm::isValidUtf8(file.patch));

    // For display each byte that is not UTF-8 becomes U+FFFD; the rest reads as it is.
    const QString text = file.patchText();
    QVERIFY(text.contains(QStringLiteral("+cr\uFFFDme br\uFFFDl\uFFFD\n")));
    QVERIFY(text.endsWith(QStringLiteral("\\ No newline at end of file\n")));
}

void TestScmDiff::keepsPatchLines()
{
    const ScmChangedFile file = scm::parseGitDiff(MixedDiff).at(0);
    QCOMPARE(file.patch,
             QByteArray("@@ -40,3 +40,4 @@ int parse(const Input &in)\n"
                        "-  return 1;\n"
                        "+  if (in.empty())\n"
                        "+    return 0;\n"
                        "+  return 1;\n"
                        " }\n"));
}

void TestScmDiff::unifiedDiffRoundTrip()
{
    const QList<ScmChangedFile> files = scm::parseGitDiff(MixedDiff);
    QByteArray joined;
    for (const ScmChangedFile &file : files)
        joined += scm::unifiedDiff(file);

    const QList<ScmChangedFile> again = scm::parseGitDiff(joined);
    QCOMPARE(again.size(), files.size());
    for (qsizetype i = 0; i < files.size(); ++i) {
        // Quoting is not reproduced, so the space and non-ASCII paths are compared as text.
        QCOMPARE(again[i].path, files[i].path);
        QCOMPARE(again[i].oldPath, files[i].oldPath);
        QCOMPARE(again[i].status, files[i].status);
        QCOMPARE(again[i].binary, files[i].binary);
        QCOMPARE(again[i].patch, files[i].patch);
    }
    QVERIFY(joined.startsWith("diff --git a/src/parser.cpp b/src/parser.cpp\n"
                              "--- a/src/parser.cpp\n+++ b/src/parser.cpp\n@@ -40,3"));
    QVERIFY(joined.contains("--- /dev/null\n+++ b/docs/new.md\n"));
    QVERIFY(joined.contains("rename from lib/a.h\nrename to include/a.h\n"));
    QVERIFY(joined.contains("Binary files a/logo.png and b/logo.png differ\n"));
}

void TestScmDiff::hunksOnly_data()
{
    // clang-format off
    QTest::addColumn<QByteArray>("patch");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("already hunks") << QByteArray("@@ -1 +1 @@\n-a\n+b\n")
        << QByteArray("@@ -1 +1 @@\n-a\n+b\n");
    QTest::newRow("with headers") << QByteArray("--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n")
        << QByteArray("@@ -1 +1 @@\n-a\n+b\n");
    QTest::newRow("headers only") << QByteArray("--- a/x\n+++ b/x\n") << QByteArray();
    QTest::newRow("empty") << QByteArray() << QByteArray();
    // clang-format on
}

void TestScmDiff::hunksOnly()
{
    QFETCH(QByteArray, patch);
    QFETCH(QByteArray, expected);
    QCOMPARE(scm::hunksOnly(patch), expected);
}

void TestScmDiff::jsonCarriesExactBytes()
{
    ScmComparison comparison;
    comparison.older = QStringLiteral("a");
    comparison.newer = QStringLiteral("b");
    comparison.files = scm::parseGitDiff(MixedDiff);
    comparison.addTruncation(QStringLiteral("Cut."));

    const QJsonObject json = scm::toJson(comparison, true);
    QCOMPARE(json.value(QStringLiteral("truncated")).toBool(), true);
    QCOMPARE(json.value(QStringLiteral("notes")).toArray().first().toString(),
             QStringLiteral("Cut."));
    const QJsonArray files = json.value(QStringLiteral("files")).toArray();
    QCOMPARE(files.size(), 8);
    QVERIFY(!files[0].toObject().contains(QStringLiteral("patchBase64")));
    const QJsonObject latin1 = files[6].toObject();
    QCOMPARE(
        QByteArray::fromBase64(latin1.value(QStringLiteral("patchBase64")).toString().toLatin1()),
        comparison.files[6].patch);

    const QJsonObject withoutPatches = scm::toJson(comparison, false);
    QVERIFY(!withoutPatches.value(QStringLiteral("files"))
                 .toArray()
                 .first()
                 .toObject()
                 .contains(QStringLiteral("patch")));
}

QTEST_GUILESS_MAIN(TestScmDiff)
#include "tst_scmdiff.moc"
