// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/model/build.h"

#include "core/model/wirecodec.h"

#include <algorithm>
#include <optional>

namespace cic {

namespace {

// startedTs and completedTs are plain decimal epoch milliseconds.
std::optional<qint64> decimalOf(QStringView text)
{
    if (text.isEmpty() || text.size() > 18)
        return std::nullopt;
    qint64 value = 0;
    for (const QChar c : text) {
        if (c < u'0' || c > u'9')
            return std::nullopt;
        value = value * 10 + (c.unicode() - u'0');
    }
    return value;
}

} // namespace

qint64 Build::startedMs() const
{
    // Every provider writes the start as both; the timestamp is a field of the build, where
    // startedTs is a map lookup away, which made sorting ten thousand builds cost milliseconds.
    if (timestampMs)
        return *timestampMs;
    const auto it = properties.constFind(QStringLiteral("startedTs"));
    if (it != properties.cend())
        return decimalOf(*it).value_or(0);
    return 0;
}

bool Build::newerThan(const Build &a, const Build &b)
{
    const qint64 aStart = a.startedMs();
    const qint64 bStart = b.startedMs();
    if (aStart != bStart)
        return aStart > bStart;
    if (a.number != b.number)
        return a.number > b.number;
    return a.id > b.id;
}

namespace {

template<typename Container>
void sortByStart(Container &builds)
{
    struct Keyed
    {
        qint64 started;
        BuildPtr build;
    };
    std::vector<Keyed> keyed;
    keyed.reserve(builds.size());
    for (const BuildPtr &build : builds)
        keyed.push_back({build->startedMs(), build});

    std::sort(keyed.begin(), keyed.end(), [](const Keyed &a, const Keyed &b) {
        if (a.started != b.started)
            return a.started > b.started;
        if (a.build->number != b.build->number)
            return a.build->number > b.build->number;
        return a.build->id > b.build->id;
    });
    for (std::size_t i = 0; i < keyed.size(); ++i)
        builds[i] = std::move(keyed[i].build);
}

} // namespace

void shiftTimes(Build &build, qint64 deltaMs)
{
    if (deltaMs == 0)
        return;
    if (build.timestampMs)
        *build.timestampMs += deltaMs;
    for (const QLatin1String key : {QLatin1String("startedTs"), QLatin1String("completedTs")}) {
        const auto it = build.properties.find(key);
        if (it == build.properties.end())
            continue;
        if (const std::optional<qint64> ms = decimalOf(*it))
            *it = QString::number(*ms + deltaMs);
    }
    for (const QLatin1String key : {QLatin1String("startedAt"), QLatin1String("completedAt")}) {
        const auto it = build.properties.find(key);
        if (it == build.properties.end())
            continue;
        const QDateTime time = QDateTime::fromString(*it, Qt::ISODateWithMs);
        if (time.isValid())
            *it = wire::isoInstantFromMs(time.toMSecsSinceEpoch() + deltaMs);
    }
    for (GitRevision &revision : build.scm) {
        if (revision.timestamp.isValid())
            revision.timestamp = revision.timestamp.addMSecs(deltaMs);
    }
}

void sortNewestFirst(BuildList &builds)
{
    sortByStart(builds);
}

void sortNewestFirst(std::vector<BuildPtr> &builds)
{
    sortByStart(builds);
}

bool BuildQuery::matches(const Build &build) const
{
    if (!source.isEmpty() && build.source != source)
        return false;
    if (!project.isEmpty() && build.project != project)
        return false;
    if (!projectKey.isEmpty() && build.projectKey().compare(projectKey, Qt::CaseInsensitive) != 0)
        return false;
    if (!repoSlug.isEmpty() && build.repoSlug().compare(repoSlug, Qt::CaseInsensitive) != 0)
        return false;
    if (buildNumber && build.number != *buildNumber)
        return false;
    if (!(results & resultBit(build.effectiveResult())))
        return false;

    if (!commitPrefix.isEmpty()) {
        const bool anyRevision = std::any_of(build.scm.cbegin(), build.scm.cend(),
                                             [this](const GitRevision &revision) {
                                                 return revision.sha1.startsWith(
                                                     commitPrefix, Qt::CaseInsensitive);
                                             });
        if (!anyRevision)
            return false;
    }
    return true;
}

bool BuildQuery::isEmpty() const
{
    return projectKey.isEmpty() && repoSlug.isEmpty() && !buildNumber && commitPrefix.isEmpty()
        && results == AnyResult && source.isEmpty() && project.isEmpty();
}

} // namespace cic
