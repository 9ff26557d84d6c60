// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/scm/artifactversions.h"

#include "core/store/buildstore.h"

#include <QHash>
#include <QLoggingCategory>
#include <QMutexLocker>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

namespace cic {

namespace {
Q_LOGGING_CATEGORY(lcVersions, "cicompanion.core.scm.versions")

const QString BuildNumberKey = QStringLiteral("buildNumber");
const QString CommitIdKey = QStringLiteral("commitId");
const QString BranchKey = QStringLiteral("branch");
const QString CreatedAtKey = QStringLiteral("createdAt");

std::optional<qint64> epochMs(const QString &text)
{
    bool ok = false;
    const qint64 value = text.trimmed().toLongLong(&ok);
    return ok && value > 0 ? std::optional<qint64>(value) : std::nullopt;
}

// When the build made its artifacts: its end, else its start.
QDateTime buildEnd(const Build &build)
{
    if (const auto completed = epochMs(build.properties.value(QStringLiteral("completedTs"))))
        return QDateTime::fromMSecsSinceEpoch(*completed, Qt::UTC);
    const qint64 started = build.startedMs();
    if (started <= 0)
        return {};
    return QDateTime::fromMSecsSinceEpoch(started + build.durationMs.value_or(0), Qt::UTC);
}

// The artifact's commit, made full from the build's revisions when the metadata has a prefix.
QString commitOf(const Build &build, const QString &fromMetadata)
{
    if (fromMetadata.isEmpty())
        return build.scm.isEmpty() ? QString() : build.scm.first().sha1;
    for (const GitRevision &revision : build.scm) {
        if (revision.sha1.startsWith(fromMetadata, Qt::CaseInsensitive))
            return revision.sha1;
    }
    return fromMetadata;
}

ArtifactVersion versionOf(const BuildPtr &build, const BuildArtifact &artifact)
{
    ArtifactVersion version;
    version.name = artifact.name.isEmpty() ? artifact.fileName : artifact.name;
    version.type = artifact.type;
    version.artifactKey = version.type.isEmpty()
        ? version.name
        : version.type.toLower() + QLatin1Char(':') + version.name;
    version.reference = artifact.reference;
    version.fileName = artifact.fileName;
    version.url = artifact.url.isEmpty() ? artifact.displayPath : artifact.url;
    version.build = build;

    const QMap<QString, QString> &carried = artifact.metadata;
    bool numbered = false;
    version.buildNumber = carried.value(BuildNumberKey).toInt(&numbered);
    if (!numbered)
        version.buildNumber = build->number;
    version.version = artifact.version.isEmpty()
        ? QLatin1Char('#') + QString::number(version.buildNumber)
        : artifact.version;

    version.commit = commitOf(*build, carried.value(CommitIdKey));
    version.branch = carried.value(BranchKey);
    if (version.branch.isEmpty() && !build->scm.isEmpty())
        version.branch = build->scm.first().branch;

    const auto created
        = epochMs(carried.value(CreatedAtKey, carried.value(QStringLiteral("date"))));
    version.createdAt
        = created ? QDateTime::fromMSecsSinceEpoch(*created, Qt::UTC) : buildEnd(*build);

    version.carriedMetadata = carried;
    return version;
}

bool newerVersion(const ArtifactVersion &a, const ArtifactVersion &b)
{
    if (a.createdAt != b.createdAt) {
        if (!a.createdAt.isValid() || !b.createdAt.isValid())
            return a.createdAt.isValid();
        return a.createdAt > b.createdAt;
    }
    if (a.buildNumber != b.buildNumber)
        return a.buildNumber > b.buildNumber;
    return a.version > b.version;
}

bool isHex(const QString &text)
{
    return std::all_of(text.cbegin(), text.cend(), [](QChar c) {
        return c.isDigit() || (c.toLower() >= QLatin1Char('a') && c.toLower() <= QLatin1Char('f'));
    });
}

} // namespace

QMap<QString, QString> ArtifactVersion::metadata() const
{
    QMap<QString, QString> keyed = carriedMetadata;
    keyed.insert(BuildNumberKey, QString::number(buildNumber));
    if (!commit.isEmpty() && !keyed.contains(CommitIdKey))
        keyed.insert(CommitIdKey, commit);
    if (!branch.isEmpty() && !keyed.contains(BranchKey))
        keyed.insert(BranchKey, branch);
    if (createdAt.isValid() && !keyed.contains(CreatedAtKey))
        keyed.insert(CreatedAtKey, QString::number(createdAt.toMSecsSinceEpoch()));
    return keyed;
}

std::optional<ArtifactVersion> Artifact::find(const QString &versionOrBuild) const
{
    const QString wanted = versionOrBuild.trimmed();
    if (wanted.isEmpty())
        return std::nullopt;
    for (const ArtifactVersion &version : versions) {
        if (version.version == wanted)
            return version;
    }

    QString number = wanted;
    if (number.startsWith(QLatin1Char('#')))
        number.remove(0, 1);
    bool numeric = false;
    const int buildNumber = number.toInt(&numeric);
    if (numeric) {
        for (const ArtifactVersion &version : versions) {
            if (version.buildNumber == buildNumber)
                return version;
        }
    }

    if (wanted.size() >= 7 && isHex(wanted)) {
        for (const ArtifactVersion &version : versions) {
            if (version.commit.startsWith(wanted, Qt::CaseInsensitive))
                return version;
        }
    }
    return std::nullopt;
}

ArtifactVersions::ArtifactVersions(BuildStore *store, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_artifacts(std::make_shared<QList<Artifact>>())
{
    if (m_store) {
        connect(m_store, &BuildStore::changed, this, [this] {
            m_stale = true;
            if (!m_rebuilding)
                QMetaObject::invokeMethod(this, &ArtifactVersions::rebuild, Qt::QueuedConnection);
            m_rebuilding = true;
        });
        publish(gather(m_store->query(BuildQuery{})));
    }
}

ArtifactVersions::~ArtifactVersions() = default;

QList<Artifact> ArtifactVersions::artifacts() const
{
    QMutexLocker locker(&m_mutex);
    return *m_artifacts;
}

std::optional<Artifact> ArtifactVersions::artifact(const QString &keyOrName) const
{
    const QList<Artifact> all = artifacts();
    std::optional<Artifact> byName;
    int named = 0;
    for (const Artifact &artifact : all) {
        if (artifact.key.compare(keyOrName, Qt::CaseInsensitive) == 0)
            return artifact;
        if (artifact.name.compare(keyOrName, Qt::CaseInsensitive) == 0) {
            byName = artifact;
            ++named;
        }
    }
    if (named == 1)
        return byName;
    return std::nullopt;
}

QList<Artifact> ArtifactVersions::gather(const BuildList &builds)
{
    QHash<QString, Artifact> byKey;
    QHash<QString, QHash<QString, qsizetype>> versionIndex; // key -> version -> position

    for (const BuildPtr &build : builds) {
        if (!build)
            continue;
        for (const BuildArtifact &built : build->artifacts) {
            ArtifactVersion version = versionOf(build, built);
            if (version.name.isEmpty())
                continue;

            Artifact &artifact = byKey[version.artifactKey];
            if (artifact.key.isEmpty()) {
                artifact.key = version.artifactKey;
                artifact.name = version.name;
                artifact.type = version.type;
            }

            // A version made again by a later build (a re-run) is the later build's.
            QHash<QString, qsizetype> &index = versionIndex[version.artifactKey];
            const qsizetype existing = index.value(version.version, -1);
            if (existing < 0) {
                index.insert(version.version, artifact.versions.size());
                artifact.versions.append(std::move(version));
            } else if (Build::newerThan(*build, *artifact.versions[existing].build)) {
                artifact.versions[existing] = std::move(version);
            }
        }
    }

    QList<Artifact> artifacts = byKey.values();
    for (Artifact &artifact : artifacts)
        std::sort(artifact.versions.begin(), artifact.versions.end(), newerVersion);
    std::sort(artifacts.begin(), artifacts.end(), [](const Artifact &a, const Artifact &b) {
        const int byName = a.name.compare(b.name, Qt::CaseInsensitive);
        return byName != 0 ? byName < 0 : a.type < b.type;
    });
    return artifacts;
}

// Gathering 10,000 builds takes tens of milliseconds, too long to hold the window up.
void ArtifactVersions::rebuild()
{
    m_stale = false;
    const BuildList builds = m_store ? m_store->query(BuildQuery{}) : BuildList{};
    QtConcurrent::run([builds] {
        return gather(builds);
    }).then(this, [this, count = builds.size()](QList<Artifact> artifacts) {
        qCDebug(lcVersions, "%lld artifacts from %lld builds",
                static_cast<long long>(artifacts.size()), static_cast<long long>(count));
        publish(std::move(artifacts));
        if (m_stale)
            rebuild();
        else
            m_rebuilding = false;
    });
}

void ArtifactVersions::publish(QList<Artifact> artifacts)
{
    auto next = std::make_shared<const QList<Artifact>>(std::move(artifacts));
    {
        QMutexLocker locker(&m_mutex);
        m_artifacts = std::move(next);
    }
    Q_EMIT changed();
}

} // namespace cic
