// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/model/build.h"

#include <QByteArray>
#include <QHash>
#include <QMutex>
#include <QObject>

#include <memory>
#include <vector>

namespace cic {

// The builds every source has reported, indexed so that each query of /ci/builds is a lookup:
// by id, by build number, by commit prefix (a sorted list of shas), by project key and repo
// slug, by source and project, and by result.
//
// Readers get an immutable snapshot, so the server may read from another thread while a
// refresh writes; every write builds the next snapshot and swaps it in.
class BuildStore final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BuildStore)

public:
    explicit BuildStore(QObject *parent = nullptr);
    ~BuildStore() override;

    // Replaces every build of a source with these.
    void replaceSource(const QString &source, const BuildList &builds);

    // Adds builds, or replaces those with the same id.
    void upsert(const BuildList &builds);

    void remove(const QStringList &ids);
    void clear();

    BuildPtr build(const QString &id) const;

    // Matching builds, newest first; limit < 0 means all.
    BuildList query(const BuildQuery &query, qsizetype limit = -1) const;

    // The same, as the JSON array that /ci/builds answers with; each build is encoded once,
    // when it is stored.
    QByteArray queryWire(const BuildQuery &query, qsizetype limit = -1) const;

    qsizetype size() const;

    struct ProjectCount
    {
        QString source;
        QString project;
        qsizetype builds = 0;
        qsizetype running = 0;
    };
    QList<ProjectCount> projects() const;

Q_SIGNALS:
    // After every write; ids lists the builds added, changed or removed.
    void changed(const QStringList &ids);

private:
    struct Snapshot;
    std::shared_ptr<const Snapshot> snapshot() const;
    void publish(QHash<QString, BuildPtr> builds, const QStringList &changedIds);
    struct Candidates
    {
        const std::vector<qsizetype> *ranks = nullptr; // null: every build
        std::vector<qsizetype> owned;                  // the commit prefix's ranks
        std::vector<qsizetype> merged;                 // several results' ranks
    };
    static void candidates(const Snapshot &snapshot, const BuildQuery &query, Candidates &found);
    template<typename Visit>
    static void visit(const Snapshot &snapshot, const BuildQuery &query, qsizetype limit,
                      Visit &&visit);

    mutable QMutex m_snapshotMutex;
    std::shared_ptr<const Snapshot> m_snapshot;

    QMutex m_writeMutex; // one writer at a time
    QHash<QString, BuildPtr> m_builds;
};

} // namespace cic
