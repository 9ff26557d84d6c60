// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/model/build.h"

#include <QDateTime>
#include <QList>
#include <QMap>
#include <QMutex>
#include <QObject>
#include <QPointer>
#include <QString>

#include <memory>
#include <optional>

namespace cic {

class BuildStore;

// One version of an artifact, with the build that produced it and the revision it was built
// from.
struct ArtifactVersion
{
    QString artifactKey; // type:name, as in Artifact::key
    QString name;
    QString type;
    QString version;
    QString reference;
    QString fileName;
    QString url;

    qint32 buildNumber = 0;
    QString commit; // full sha when the build knows it
    QString branch;
    QDateTime createdAt; // when the build made it: the artifact's own date, else the build's end

    BuildPtr build;

    QMap<QString, QString> carriedMetadata; // what the artifact itself carried

    // The artifact's metadata as Spinnaker keys it, every value a string: what the artifact
    // carried, completed with buildNumber, commitId, branch and createdAt (epoch ms) from its
    // build where it lacked them.
    QMap<QString, QString> metadata() const;

    QString shortCommit() const { return commit.left(7); }
};

// An artifact and every version the builds produced, newest first.
struct Artifact
{
    QString key; // type:name; a name alone when the type is unknown
    QString name;
    QString type;
    QList<ArtifactVersion> versions;

    // A version by its version string, its build number, or a commit prefix (7+ characters).
    std::optional<ArtifactVersion> find(const QString &versionOrBuild) const;
};

// The artifacts that builds produced, gathered into versions per artifact. Built from the
// store's builds and kept up to date as the store changes; readers get a snapshot, so another
// thread (the server) may read while the store changes.
//
// Versions are ordered by when they were made, newest first, then by build number. One
// version string produced by several builds (a re-run) is the newest such build's.
//
// The first gathering happens in the constructor; later ones run on the thread pool after the
// store changes (a burst of changes makes one), and `changed` follows each.
class ArtifactVersions final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ArtifactVersions)

public:
    explicit ArtifactVersions(BuildStore *store, QObject *parent = nullptr);
    ~ArtifactVersions() override;

    // Every artifact, by name.
    QList<Artifact> artifacts() const;

    // An artifact by key, or by name when only one artifact has that name.
    std::optional<Artifact> artifact(const QString &keyOrName) const;

    // The artifacts of a list of builds, without a store.
    static QList<Artifact> gather(const BuildList &builds);

Q_SIGNALS:
    void changed();

private:
    void rebuild();
    void publish(QList<Artifact> artifacts);

    QPointer<BuildStore> m_store;
    mutable QMutex m_mutex;
    std::shared_ptr<const QList<Artifact>> m_artifacts;
    bool m_rebuilding = false; // a gather runs on the thread pool
    bool m_stale = false; // the store changed since that gather began
};

} // namespace cic
