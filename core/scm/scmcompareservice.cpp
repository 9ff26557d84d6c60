// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/scm/scmcompareservice.h"

#include "core/scm/localcompareclient.h"
#include "core/scm/remotecompareclient.h"
#include "core/scm/scmtransport.h"

#include <QLoggingCategory>
#include <QtConcurrent/QtConcurrentRun>

namespace cic {

namespace {
Q_LOGGING_CATEGORY(lcService, "cicompanion.core.scm.service")

bool sameRepository(const ScmRepository &a, const ScmRepository &b)
{
    return a.webUrl.host().compare(b.webUrl.host(), Qt::CaseInsensitive) == 0
        && a.owner.compare(b.owner, Qt::CaseInsensitive) == 0
        && a.name.compare(b.name, Qt::CaseInsensitive) == 0;
}

QFuture<Result<ScmComparison>> failed(const QString &message)
{
    return QtFuture::makeReadyFuture(Result<ScmComparison>(Error{message}));
}

} // namespace

ScmCompareService::ScmCompareService(QObject *parent)
    : QObject(parent)
{
}

ScmCompareService::~ScmCompareService() = default;

void ScmCompareService::setHosts(const QList<ScmHost> &hosts)
{
    m_hosts = hosts;
}

void ScmCompareService::setLocalClones(const QList<LocalClone> &clones)
{
    m_clones = clones;
    m_cloneRemotes.clear();
}

void ScmCompareService::setTransport(ScmTransport *transport)
{
    m_transport = transport;
}

ScmTransport *ScmCompareService::transport()
{
    if (m_transport)
        return m_transport;
    if (!m_ownTransport)
        m_ownTransport = new NetworkScmTransport(this);
    return m_ownTransport;
}

std::optional<ScmRepository> ScmCompareService::repositoryOf(const Build &build) const
{
    return repositoryOfBuild(build, m_hosts);
}

QString ScmCompareService::remoteOfClone(const LocalClone &clone) const
{
    if (!clone.remote.isEmpty())
        return clone.remote;
    const auto cached = m_cloneRemotes.constFind(clone.path);
    if (cached != m_cloneRemotes.cend())
        return *cached;

    const Result<QString> origin = LocalCompareClient::remoteUrl(clone.path);
    if (!origin)
        qCWarning(lcService, "local clone %s: %s", qUtf8Printable(clone.path),
                  qUtf8Printable(origin.error()));
    const QString remote = origin ? origin.value() : QString();
    m_cloneRemotes.insert(clone.path, remote);
    return remote;
}

QString ScmCompareService::localCloneFor(const ScmRepository &repository) const
{
    // The repository's own server counts as configured, so an ssh remote on it matches.
    QList<ScmHost> hosts = m_hosts;
    ScmHost own;
    own.kind = repository.kind;
    own.webUrl = repository.webUrl;
    hosts.append(own);

    for (const LocalClone &clone : m_clones) {
        const std::optional<ScmRepository> cloned
            = repositoryFromRemote(remoteOfClone(clone), hosts);
        if (cloned && sameRepository(*cloned, repository))
            return clone.path;
    }
    return {};
}

std::optional<ScmHost> ScmCompareService::hostFor(const ScmRepository &repository) const
{
    const QString root = repository.webUrl.toString(QUrl::StripTrailingSlash).toLower();
    const ScmHost *best = nullptr;
    for (const ScmHost &host : m_hosts) {
        const QString hostRoot = host.webUrl.toString(QUrl::StripTrailingSlash).toLower();
        if (host.webUrl.host().compare(repository.webUrl.host(), Qt::CaseInsensitive) != 0)
            continue;
        if (!best || hostRoot == root)
            best = &host;
    }
    if (best)
        return *best;

    // Public servers work without configuration, within their anonymous limits.
    const QString name = repository.webUrl.host().toLower();
    if (name == QLatin1String("github.com") || name == QLatin1String("gitlab.com")
        || name == QLatin1String("bitbucket.org") || name == QLatin1String("codeberg.org")) {
        ScmHost host;
        host.kind = repository.kind;
        host.webUrl = repository.webUrl;
        return host;
    }
    return std::nullopt;
}

QString ScmCompareService::originFor(const ScmRepository &repository) const
{
    if (const QString clone = localCloneFor(repository); !clone.isEmpty())
        return QStringLiteral("local clone at %1").arg(clone);
    if (const std::optional<ScmHost> host = hostFor(repository))
        return scmKindName(host->kind) + QLatin1String(" API at ")
            + host->apiBase().toDisplayString(QUrl::RemoveUserInfo);
    return {};
}

bool isReservedExampleHost(const QString &host)
{
    const QString name = host.toLower();
    static const QStringList reserved = {QStringLiteral("example"), QStringLiteral("example.com"),
                                         QStringLiteral("example.net"),
                                         QStringLiteral("example.org"), QStringLiteral("test"),
                                         QStringLiteral("invalid")};
    for (const QString &suffix : reserved) {
        if (name == suffix || name.endsWith(QLatin1Char('.') + suffix))
            return true;
    }
    return false;
}

QFuture<Result<ScmComparison>> ScmCompareService::compare(const ScmRepository &repository,
                                                          const QString &older,
                                                          const QString &newer,
                                                          const ScmCompareOptions &options)
{
    if (const QString clone = localCloneFor(repository); !clone.isEmpty()) {
        LocalCompareClient local(clone);
        return local.compare(repository, older, newer, options);
    }

    const std::optional<ScmHost> host = hostFor(repository);
    if (!host)
        return failed(QStringLiteral("No SCM server is configured for %1, and no local clone "
                                     "of %2. Add the server (with a token) or a local clone "
                                     "to the configuration.")
                          .arg(repository.webUrl.toDisplayString(), repository.fullName()));

    // Names reserved for examples (RFC 2606 and 6761), such as the demo set's hosts, never
    // resolve: say so instead of asking the network.
    const QString name = host->apiBase().host();
    if (isReservedExampleHost(name))
        return failed(QStringLiteral("%1 is an example host name, as in the demo set: there is "
                                     "no server to compare %2 on. Compare in a local clone "
                                     "(--clone DIR), or point the builds at a real SCM server.")
                          .arg(name, repository.fullName()));

    // The client only starts the job; the job keeps itself alive until it answers.
    RemoteCompareClient client(*host, transport());
    return client.compare(repository, older, newer, options);
}

QFuture<Result<ScmComparison>> ScmCompareService::compare(const ArtifactVersion &older,
                                                          const ArtifactVersion &newer,
                                                          const ScmCompareOptions &options)
{
    for (const ArtifactVersion *version : {&older, &newer}) {
        if (version->commit.isEmpty())
            return failed(QStringLiteral("Version %1 has no commit: build #%2 reported no "
                                         "revision.")
                              .arg(version->version)
                              .arg(version->buildNumber));
    }

    std::optional<ScmRepository> repository;
    if (newer.build)
        repository = repositoryOf(*newer.build);
    if (!repository && older.build)
        repository = repositoryOf(*older.build);
    if (!repository)
        return failed(QStringLiteral("The builds of %1 do not say which repository they were "
                                     "built from (no remote URL or commit link).")
                          .arg(newer.name));
    return compare(*repository, older.commit, newer.commit, options);
}

} // namespace cic
