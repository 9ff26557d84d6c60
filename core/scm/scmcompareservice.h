// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/scm/artifactversions.h"
#include "core/scm/scmcompareclient.h"

#include <QHash>
#include <QPointer>

namespace cic {

class ScmTransport;

// A local clone of a repository, where comparisons run offline. `remote` names the repository
// it is a clone of; when empty, the clone's own origin URL is read.
struct LocalClone
{
    QString remote;
    QString path;

    bool operator==(const LocalClone &) const = default;
};

// The one entry for comparing two revisions: it finds the repository of a build, and compares
// in a configured local clone of it when there is one, else through its SCM server's API.
// True for names reserved for examples and tests (example, example.com/.net/.org, test,
// invalid, and their subdomains): they never resolve.
bool isReservedExampleHost(const QString &host);

class ScmCompareService final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ScmCompareService)

public:
    explicit ScmCompareService(QObject *parent = nullptr);
    ~ScmCompareService() override;

    void setHosts(const QList<ScmHost> &hosts);
    QList<ScmHost> hosts() const { return m_hosts; }

    void setLocalClones(const QList<LocalClone> &clones);
    QList<LocalClone> localClones() const { return m_clones; }

    // Not owned. Without one, the service makes its own over QNetworkAccessManager.
    void setTransport(ScmTransport *transport);

    std::optional<ScmRepository> repositoryOf(const Build &build) const;

    // The configured clone of the repository; empty when there is none.
    QString localCloneFor(const ScmRepository &repository) const;

    // Where a comparison of this repository would run, for a person: a clone path or an API.
    QString originFor(const ScmRepository &repository) const;

    QFuture<Result<ScmComparison>> compare(const ScmRepository &repository, const QString &older,
                                           const QString &newer,
                                           const ScmCompareOptions &options = {});

    // Two versions of an artifact; the repository is the newer build's.
    QFuture<Result<ScmComparison>> compare(const ArtifactVersion &older,
                                           const ArtifactVersion &newer,
                                           const ScmCompareOptions &options = {});

private:
    std::optional<ScmHost> hostFor(const ScmRepository &repository) const;
    QString remoteOfClone(const LocalClone &clone) const;
    ScmTransport *transport();

    QList<ScmHost> m_hosts;
    QList<LocalClone> m_clones;
    mutable QHash<QString, QString> m_cloneRemotes; // path -> origin URL, read once
    QPointer<ScmTransport> m_transport;
    ScmTransport *m_ownTransport = nullptr;
};

} // namespace cic
