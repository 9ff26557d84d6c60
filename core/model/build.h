// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/model/buildresult.h"

#include <QDateTime>
#include <QList>
#include <QMap>
#include <QString>

#include <memory>
#include <optional>
#include <vector>

namespace cic {

// One entry of a build's `scm` list: the revision it built.
struct GitRevision
{
    QString name; // full ref name, e.g. refs/heads/main or origin/main
    QString branch;
    QString sha1;
    QString committer;
    QString compareUrl; // despite igor's name, the commit page on the SCM host
    QString message;
    QDateTime timestamp; // invalid when unknown
    QString remoteUrl;

    bool operator==(const GitRevision &) const = default;
};

struct BuildArtifact
{
    QString fileName;
    QString displayPath; // deck uses it as the link
    QString relativePath;
    QString reference;
    QString name;
    QString type;
    QString version;
    QString url;
    QMap<QString, QString> metadata;
    bool decorated = false;

    bool operator==(const BuildArtifact &) const = default;
};

struct TestSummary
{
    int failCount = 0;
    int skipCount = 0;
    int totalCount = 0;
    QString urlName; // igor writes null when empty

    bool operator==(const TestSummary &) const = default;
};

// A failed test case, where the provider reports them. Not part of the igor wire shape.
struct FailedTest
{
    QString suite;
    QString name;
    QString message;

    bool operator==(const FailedTest &) const = default;
};

// igor's GenericBuild, plus where the build came from.
struct Build
{
    QString id;
    QString name;
    QString fullDisplayName;
    qint32 number = 0;
    bool building = false;
    std::optional<qint64> durationMs;
    std::optional<qint64> timestampMs;
    std::optional<BuildResult> result;
    QList<BuildArtifact> artifacts;
    QList<TestSummary> testResults;
    QString url;
    QList<GitRevision> scm;
    QMap<QString, QString> properties;

    // Not on the wire.
    QString source;  // the configured source that reported it
    QString project; // the job, repository or builder within that source
    QList<FailedTest> failedTests;

    bool operator==(const Build &) const = default;

    QString projectKey() const { return properties.value(QStringLiteral("projectKey")); }
    QString repoSlug() const { return properties.value(QStringLiteral("repoSlug")); }

    // The result a user sees: a running build is BUILDING whatever its provider said.
    BuildResult effectiveResult() const
    {
        if (building)
            return BuildResult::Building;
        return result.value_or(BuildResult::NotBuilt);
    }

    // Epoch milliseconds of the start: the build's timestamp (igor's start time), else its
    // startedTs property; 0 when unknown.
    qint64 startedMs() const;

    // Sort key for "newest first": start time, then number, then id.
    static bool newerThan(const Build &a, const Build &b);
};

using BuildPtr = std::shared_ptr<const Build>;
using BuildList = QList<BuildPtr>;

// Moves every time of a build by deltaMs: its timestamp, startedAt/startedTs,
// completedAt/completedTs and its revisions' timestamps. A recorded set replayed as if it had
// just happened.
void shiftTimes(Build &build, qint64 deltaMs);

// Sorts newest first, as Build::newerThan orders; each build's sort key is read once, so
// ten thousand builds sort in milliseconds.
void sortNewestFirst(BuildList &builds);
void sortNewestFirst(std::vector<BuildPtr> &builds);

// The query of GET /ci/builds, and of the window's filters.
struct BuildQuery
{
    QString projectKey;
    QString repoSlug;
    std::optional<qint32> buildNumber;
    QString commitPrefix; // lower case; matches scm[].sha1 by prefix
    ResultSet results = AnyResult;

    QString source;  // empty: every source
    QString project; // empty: every project of the source

    bool matches(const Build &build) const;
    bool isEmpty() const;
};

} // namespace cic
