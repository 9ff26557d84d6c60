// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/scm/scmcomparison.h"

#include "core/model/wirecodec.h"

#include <QJsonArray>
#include <QStringDecoder>

namespace cic {

namespace {

bool startsWith(const QByteArray &line, const char *prefix)
{
    return line.startsWith(QByteArrayView(prefix));
}

// git writes paths with unusual bytes as C strings: "a/caf\303\251 menu.txt".
QByteArray unquoteGitPath(const QByteArray &text)
{
    if (!text.startsWith('"') || !text.endsWith('"') || text.size() < 2)
        return text;

    QByteArray out;
    for (qsizetype i = 1; i < text.size() - 1; ++i) {
        const char c = text[i];
        if (c != '\\' || i + 1 >= text.size() - 1) {
            out += c;
            continue;
        }
        const char next = text[++i];
        switch (next) {
        case 'n':
            out += '\n';
            break;
        case 't':
            out += '\t';
            break;
        case 'a':
            out += '\a';
            break;
        case 'b':
            out += '\b';
            break;
        case 'f':
            out += '\f';
            break;
        case 'r':
            out += '\r';
            break;
        case 'v':
            out += '\v';
            break;
        default:
            if (next >= '0' && next <= '7' && i + 2 < text.size() - 1) {
                out += char(((next - '0') << 6) | ((text[i + 1] - '0') << 3) | (text[i + 2] - '0'));
                i += 2;
            } else {
                out += next;
            }
        }
    }
    return out;
}

QString pathFromBytes(const QByteArray &bytes)
{
    return QString::fromUtf8(unquoteGitPath(bytes));
}

// "a/dir/file" -> "dir/file"; /dev/null stays empty.
QString stripSide(const QByteArray &raw)
{
    QByteArray path = raw;
    const qsizetype tab = path.indexOf('\t'); // git appends a tab when a path has spaces
    if (tab >= 0 && !path.startsWith('"'))
        path.truncate(tab);
    path = unquoteGitPath(path.trimmed());
    if (path == "/dev/null")
        return {};
    if (path.startsWith("a/") || path.startsWith("b/"))
        path = path.mid(2);
    return QString::fromUtf8(path);
}

// The two paths of "diff --git a/X b/Y"; ambiguous when paths hold " b/", so the ---/+++ and
// rename lines that follow override it.
std::pair<QString, QString> pathsOfDiffLine(const QByteArray &rest)
{
    if (rest.startsWith('"')) {
        const qsizetype close = rest.indexOf("\" ", 1);
        if (close > 0)
            return {stripSide(rest.left(close + 1)), stripSide(rest.mid(close + 2))};
    }
    // Same path on both sides: "a/P b/P".
    if ((rest.size() - 1) % 2 == 0) {
        const qsizetype half = (rest.size() - 1) / 2;
        const QByteArray left = rest.left(half);
        const QByteArray right = rest.mid(half + 1);
        if (left.mid(2) == right.mid(2) && left.startsWith("a/") && right.startsWith("b/"))
            return {stripSide(left), stripSide(right)};
    }
    const qsizetype split = rest.lastIndexOf(" b/");
    if (split > 0)
        return {stripSide(rest.left(split)), stripSide(rest.mid(split + 1))};
    return {stripSide(rest), stripSide(rest)};
}

struct FileBuilder
{
    ScmChangedFile file;
    QString fromPath;
    QString toPath;
    bool inHunks = false;
    QByteArray hunks;

    ScmChangedFile finish()
    {
        if (file.status == ScmChangedFile::Status::Removed)
            file.path = fromPath.isEmpty() ? toPath : fromPath;
        else
            file.path = toPath.isEmpty() ? fromPath : toPath;
        if (file.status == ScmChangedFile::Status::Renamed
            || file.status == ScmChangedFile::Status::Copied)
            file.oldPath = fromPath;
        file.patch = hunks;
        scm::countPatchLines(file);
        return file;
    }
};

} // namespace

QString ScmChangedFile::patchText() const
{
    return QString::fromUtf8(patch);
}

QString scmFileStatusName(ScmChangedFile::Status status)
{
    switch (status) {
    case ScmChangedFile::Status::Added:
        return QStringLiteral("added");
    case ScmChangedFile::Status::Modified:
        return QStringLiteral("modified");
    case ScmChangedFile::Status::Removed:
        return QStringLiteral("removed");
    case ScmChangedFile::Status::Renamed:
        return QStringLiteral("renamed");
    case ScmChangedFile::Status::Copied:
        return QStringLiteral("copied");
    }
    return {};
}

QString scmFileStatusLetter(ScmChangedFile::Status status)
{
    switch (status) {
    case ScmChangedFile::Status::Added:
        return QStringLiteral("A");
    case ScmChangedFile::Status::Modified:
        return QStringLiteral("M");
    case ScmChangedFile::Status::Removed:
        return QStringLiteral("D");
    case ScmChangedFile::Status::Renamed:
        return QStringLiteral("R");
    case ScmChangedFile::Status::Copied:
        return QStringLiteral("C");
    }
    return {};
}

void ScmComparison::addTruncation(const QString &sentence)
{
    truncated = true;
    addNote(sentence);
}

void ScmComparison::addNote(const QString &sentence)
{
    if (!notes.contains(sentence))
        notes.append(sentence);
}

namespace scm {

QList<ScmChangedFile> parseGitDiff(const QByteArray &diff)
{
    QList<ScmChangedFile> files;
    std::optional<FileBuilder> current;

    const QList<QByteArray> lines = diff.split('\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QByteArray &line = lines[i];
        if (startsWith(line, "diff --git ")) {
            if (current)
                files.append(current->finish());
            current.emplace();
            const auto [from, to] = pathsOfDiffLine(line.mid(11));
            current->fromPath = from;
            current->toPath = to;
            continue;
        }
        if (!current)
            continue;

        if (current->inHunks) {
            // The split leaves one empty piece after the final newline; it is not a line.
            if (line.isEmpty() && i == lines.size() - 1)
                continue;
            current->hunks += line;
            current->hunks += '\n';
            continue;
        }

        ScmChangedFile &file = current->file;
        if (startsWith(line, "@@")) {
            current->inHunks = true;
            current->hunks = line + '\n';
        } else if (startsWith(line, "new file mode")) {
            file.status = ScmChangedFile::Status::Added;
        } else if (startsWith(line, "deleted file mode")) {
            file.status = ScmChangedFile::Status::Removed;
        } else if (startsWith(line, "rename from ")) {
            file.status = ScmChangedFile::Status::Renamed;
            current->fromPath = pathFromBytes(line.mid(12));
        } else if (startsWith(line, "rename to ")) {
            current->toPath = pathFromBytes(line.mid(10));
        } else if (startsWith(line, "copy from ")) {
            file.status = ScmChangedFile::Status::Copied;
            current->fromPath = pathFromBytes(line.mid(10));
        } else if (startsWith(line, "copy to ")) {
            current->toPath = pathFromBytes(line.mid(8));
        } else if (startsWith(line, "Binary files ") || startsWith(line, "GIT binary patch")) {
            file.binary = true;
        } else if (startsWith(line, "--- ")) {
            const QString path = stripSide(line.mid(4));
            if (!path.isEmpty())
                current->fromPath = path;
        } else if (startsWith(line, "+++ ")) {
            const QString path = stripSide(line.mid(4));
            if (!path.isEmpty())
                current->toPath = path;
        }
    }
    if (current)
        files.append(current->finish());
    return files;
}

void countPatchLines(ScmChangedFile &file)
{
    file.additions = 0;
    file.deletions = 0;
    bool inHunk = false;
    qsizetype start = 0;
    while (start < file.patch.size()) {
        qsizetype end = file.patch.indexOf('\n', start);
        if (end < 0)
            end = file.patch.size();
        const char first = end > start ? file.patch[start] : '\0';
        if (first == '@' && file.patch.mid(start, 2) == "@@")
            inHunk = true;
        else if (inHunk && first == '+')
            ++file.additions;
        else if (inHunk && first == '-')
            ++file.deletions;
        start = end + 1;
    }
}

QByteArray hunksOnly(const QByteArray &patch)
{
    if (patch.startsWith("@@"))
        return patch;
    const qsizetype hunk = patch.indexOf("\n@@");
    if (hunk < 0)
        return startsWith(patch, "--- ") || startsWith(patch, "+++ ") ? QByteArray() : patch;
    return patch.mid(hunk + 1);
}

bool isValidUtf8(const QByteArray &bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString text = decoder.decode(bytes);
    Q_UNUSED(text);
    return !decoder.hasError();
}

QByteArray unifiedDiff(const ScmChangedFile &file)
{
    const QByteArray newPath = file.path.toUtf8();
    const QByteArray oldPath = file.oldPath.isEmpty() ? newPath : file.oldPath.toUtf8();

    QByteArray out = "diff --git a/" + oldPath + " b/" + newPath + '\n';
    // The mode is not known here; a regular file's is what most changes have.
    if (file.status == ScmChangedFile::Status::Added)
        out += "new file mode 100644\n";
    else if (file.status == ScmChangedFile::Status::Removed)
        out += "deleted file mode 100644\n";
    else if (file.status == ScmChangedFile::Status::Renamed)
        out += "rename from " + oldPath + "\nrename to " + newPath + '\n';
    else if (file.status == ScmChangedFile::Status::Copied)
        out += "copy from " + oldPath + "\ncopy to " + newPath + '\n';

    const QByteArray from
        = file.status == ScmChangedFile::Status::Added ? QByteArray("/dev/null") : "a/" + oldPath;
    const QByteArray to
        = file.status == ScmChangedFile::Status::Removed ? QByteArray("/dev/null") : "b/" + newPath;
    if (file.binary) {
        out += "Binary files " + from + " and " + to + " differ\n";
        return out;
    }
    if (file.patch.isEmpty())
        return out;

    out += "--- " + from + "\n+++ " + to + '\n';
    out += file.patch;
    if (!out.endsWith('\n'))
        out += '\n';
    return out;
}

QJsonObject toJson(const ScmComparison &comparison, bool withPatches)
{
    QJsonArray commits;
    for (const ScmCommit &commit : comparison.commits) {
        QJsonObject object{{QStringLiteral("sha"), commit.sha},
                           {QStringLiteral("author"), commit.author},
                           {QStringLiteral("message"), commit.message}};
        if (!commit.authorEmail.isEmpty())
            object.insert(QStringLiteral("authorEmail"), commit.authorEmail);
        if (commit.date.isValid())
            object.insert(QStringLiteral("date"), wire::isoInstant(commit.date));
        if (!commit.url.isEmpty())
            object.insert(QStringLiteral("url"), commit.url);
        commits.append(object);
    }

    QJsonArray files;
    for (const ScmChangedFile &file : comparison.files) {
        QJsonObject object{{QStringLiteral("path"), file.path},
                           {QStringLiteral("status"), scmFileStatusName(file.status)},
                           {QStringLiteral("additions"), file.additions},
                           {QStringLiteral("deletions"), file.deletions},
                           {QStringLiteral("binary"), file.binary}};
        if (!file.oldPath.isEmpty())
            object.insert(QStringLiteral("oldPath"), file.oldPath);
        if (!file.patchNote.isEmpty())
            object.insert(QStringLiteral("patchNote"), file.patchNote);
        if (withPatches && !file.patch.isEmpty()) {
            object.insert(QStringLiteral("patch"), file.patchText());
            if (!isValidUtf8(file.patch))
                object.insert(QStringLiteral("patchBase64"),
                              QString::fromLatin1(file.patch.toBase64()));
        }
        files.append(object);
    }

    QJsonObject object{{QStringLiteral("repository"), comparison.repository.fullName()},
                       {QStringLiteral("scm"), scmKindKey(comparison.repository.kind)},
                       {QStringLiteral("older"), comparison.older},
                       {QStringLiteral("newer"), comparison.newer},
                       {QStringLiteral("origin"), comparison.origin},
                       {QStringLiteral("truncated"), comparison.truncated},
                       {QStringLiteral("commits"), commits},
                       {QStringLiteral("files"), files}};
    if (comparison.totalCommits >= 0)
        object.insert(QStringLiteral("totalCommits"), comparison.totalCommits);
    if (!comparison.notes.isEmpty())
        object.insert(QStringLiteral("notes"), QJsonArray::fromStringList(comparison.notes));
    if (!comparison.compareUrl.isEmpty())
        object.insert(QStringLiteral("compareUrl"), comparison.compareUrl);
    return object;
}

} // namespace scm

} // namespace cic
