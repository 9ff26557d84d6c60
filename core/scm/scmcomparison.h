// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/scm/scmhost.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace cic {

struct ScmCommit
{
    QString sha;
    QString author; // display name
    QString authorEmail;
    QDateTime date; // when it was authored
    QString message; // in full
    QString url; // its page on the SCM server; empty when unknown

    QString subject() const { return message.section(QLatin1Char('\n'), 0, 0).trimmed(); }
    QString shortSha() const { return sha.left(7); }

    bool operator==(const ScmCommit &) const = default;
};

// One file that differs between the two revisions.
//
// The patch is kept as bytes: a local clone gives whatever the files hold, and source that is
// not UTF-8 must survive to `compare --patch` unchanged. patchText() decodes it for display,
// with U+FFFD in place of each byte sequence that is not UTF-8.
struct ScmChangedFile
{
    enum class Status { Added, Modified, Removed, Renamed, Copied };

    Status status = Status::Modified;
    QString path; // the path in the newer revision; the old path for a removed file
    QString oldPath; // renamed and copied files only
    int additions = 0;
    int deletions = 0;
    bool binary = false;
    QByteArray patch; // the hunks, from the first "@@" line; empty for binary files
    QString patchNote; // why the patch is missing or partial, in words a person reads

    QString patchText() const;

    bool operator==(const ScmChangedFile &) const = default;
};

QString scmFileStatusName(ScmChangedFile::Status status); // added, modified, removed, ...
QString scmFileStatusLetter(ScmChangedFile::Status status); // as git prints them: A M D R C

// What changed between two revisions of a repository: the commits the newer has that the
// older lacks, and the files that differ from their merge base. When the server (or our own
// bounds) cut either list, `truncated` is set and `notes` says what is missing; `notes` also
// holds other things worth saying (the revisions look swapped), in sentences.
struct ScmComparison
{
    ScmRepository repository;
    QString older;
    QString newer;
    QList<ScmCommit> commits; // newest first, as git log lists them
    QList<ScmChangedFile> files;
    int totalCommits = -1; // what the server says exists; -1 when it does not say
    bool truncated = false;
    QStringList notes;
    QString compareUrl; // the server's compare page; empty for a local clone of unknown origin
    QString origin; // where the answer came from: "GitHub API at api.github.com", a clone path

    void addTruncation(const QString &sentence);
    void addNote(const QString &sentence);
    QString truncationMessage() const { return notes.join(QLatin1Char(' ')); }
};

// Bounds on one comparison.
struct ScmCompareOptions
{
    bool withFiles = true; // changed files and their patches
    int maxCommits = 1000;
    int maxFiles = 3000;
    int pageSize = 100; // entries asked for per page, where the server pages
    qsizetype maxPatchBytes = 2 * 1024 * 1024; // per file
};

namespace scm {

// Splits a git diff (`git diff`, GitHub's and Bitbucket Cloud's raw diffs, Gitea's .diff)
// into files: status from the extended headers, rename and copy sources, binary markers,
// and the hunks with their added and removed lines counted.
QList<ScmChangedFile> parseGitDiff(const QByteArray &diff);

// Counts the added and removed lines of a patch's hunks.
void countPatchLines(ScmChangedFile &file);

// Drops what comes before the first hunk header (---/+++ lines some servers include).
QByteArray hunksOnly(const QByteArray &patch);

bool isValidUtf8(const QByteArray &bytes);

// A file's patch with git's headers in front (diff --git, rename, ---, +++), as `git diff`
// prints it.
QByteArray unifiedDiff(const ScmChangedFile &file);

// The comparison as JSON for the terminal's --json: patches as text, plus patchBase64 holding
// the exact bytes when they are not UTF-8.
QJsonObject toJson(const ScmComparison &comparison, bool withPatches);

} // namespace scm

} // namespace cic
