// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/context.h"

#include "core/config/secret.h"
#include "core/providers/fixtures/fixtureprovider.h"
#include "core/scm/artifactversions.h"
#include "core/scm/scmcompareservice.h"
#include "core/scm/scmhost.h"
#include "core/providers/providerfactory.h"
#include "core/service/sourceregistry.h"
#include "core/store/buildstore.h"

#include <QDir>
#include <QFileInfo>
#include <QTimer>

namespace cic::app {

namespace {

// A source's name is its directory's name; a second directory of the same name gets "-2".
QString uniqueName(const QString &directory, const SourceRegistry &registry)
{
    QString base = QFileInfo(QDir::cleanPath(directory)).fileName();
    if (base.isEmpty())
        base = QStringLiteral("fixtures");

    QString name = base;
    for (int n = 2; registry.source(name); ++n)
        name = base + QLatin1Char('-') + QString::number(n);
    return name;
}

} // namespace

Context::Context(const ContextOptions &options, QObject *parent)
    : QObject(parent)
    , m_store(new BuildStore(this))
    , m_registry(new SourceRegistry(m_store, this))
    , m_options(options)
{
    if (options.config)
        addConfigured(*options.config);

    mock::MockOptions mockOptions = options.mockOptions;
    mockOptions.watch = options.watchFixtures;
    for (const QString &directory : options.fixtureDirs) {
        const QString name = uniqueName(directory, *m_registry);
        if (options.mock) {
            m_registry->addSource(new mock::MockSource(name, directory, mockOptions));
            continue;
        }
        auto *provider = new FixtureProvider(name, directory);
        provider->setWatching(options.watchFixtures && !directory.startsWith(u':'));
        m_registry->addSource(provider);
    }
    addDemoIfEmpty();

    m_compare = new ScmCompareService(this);
    configureCompare();
}

Context::~Context() = default;

ArtifactVersions *Context::artifactVersions()
{
    if (!m_versions)
        m_versions = new ArtifactVersions(m_store, this);
    return m_versions;
}

void Context::addConfigured(const config::Config &config)
{
    const BuiltSources built = ProviderFactory::create(config);
    for (CiBuildService *service : built.services) {
        if (auto *fixtures = qobject_cast<FixtureProvider *>(service))
            fixtures->setWatching(m_options.watchFixtures);
        m_registry->addSource(service);
        m_configuredNames.append(service->name());
    }
    for (const SourceProblem &problem : built.problems)
        m_sourceProblems.append(problem.source + QStringLiteral(": ") + problem.message);
    m_config = config;
    m_scmLogins.clear();
    const config::SecretResolver resolver;
    for (auto it = config.scmCredentials.cbegin(); it != config.scmCredentials.cend(); ++it) {
        const Result<QString> token = resolver.resolve(it->token);
        if (token)
            m_scmLogins.insert(it.key(), {it->username, token.value()});
        else
            m_sourceProblems.append(it.key() + QStringLiteral(": ") + token.error());
    }
    if (m_options.poll)
        startPolling(config);
}

// The bundled set, shown and served when nothing else is: it is embedded, so never watched.
void Context::addDemoIfEmpty()
{
    if (!m_registry->sources().isEmpty())
        return;
    const QString name = QStringLiteral("demo");
    if (m_options.mock) {
        mock::MockOptions mockOptions = m_options.mockOptions;
        mockOptions.watch = false;
        m_registry->addSource(new mock::MockSource(name, QStringLiteral(":/demo"), mockOptions));
    } else {
        m_registry->addSource(new FixtureProvider(name, QStringLiteral(":/demo")));
    }
    m_demo = true;
}

void Context::applyConfig(const config::Config &config)
{
    qDeleteAll(m_pollTimers);
    m_pollTimers.clear();
    for (const QString &name : std::as_const(m_configuredNames))
        m_registry->removeSource(name);
    m_configuredNames.clear();
    m_sourceProblems.clear();

    addConfigured(config);
    if (m_demo && !m_configuredNames.isEmpty()) {
        m_registry->removeSource(QStringLiteral("demo"));
        m_demo = false;
    }
    addDemoIfEmpty();
    loadNow();
}

void Context::startPolling(const config::Config &config)
{
    QList<std::pair<QString, int>> intervals;
    for (const config::JenkinsMaster &master : config.jenkins)
        intervals.append({master.name, master.connection.pollIntervalMs});
    for (const config::GitLabMaster &master : config.gitLab)
        intervals.append({master.name, master.connection.pollIntervalMs});
    for (const config::GitHubActionsMaster &master : config.gitHubActions)
        intervals.append({master.name, master.connection.pollIntervalMs});
    for (const config::BuildbotMaster &master : config.buildbot)
        intervals.append({master.name, master.connection.pollIntervalMs});

    for (const auto &[name, intervalMs] : std::as_const(intervals)) {
        if (intervalMs <= 0 || !m_registry->source(name))
            continue;
        auto *timer = new QTimer(this);
        timer->setInterval(intervalMs);
        connect(timer, &QTimer::timeout, m_registry, [this, name = name] {
            // A refresh still on its way is not doubled by the next tick.
            if (m_registry->status(name).state != SourceStatus::State::Refreshing)
                m_registry->refresh(name);
        });
        timer->start();
        m_pollTimers.append(timer);
    }
}

QMap<QString, QString> Context::scmMasters() const
{
    QMap<QString, QString> masters = m_config.scmHosts;
    for (CiBuildService *source : m_registry->sources()) {
        QMap<QString, QString> declared;
        if (const auto *fixtures = qobject_cast<FixtureProvider *>(source))
            declared = fixtures->scmMasters();
        else if (const auto *mock = qobject_cast<mock::MockSource *>(source))
            declared = mock->scmMasters();
        for (auto it = declared.cbegin(); it != declared.cend(); ++it) {
            if (!masters.contains(it.key()))
                masters.insert(it.key(), it.value());
        }
    }
    return masters;
}

QStringList Context::problems() const
{
    QStringList lines = m_sourceProblems;
    for (CiBuildService *source : m_registry->sources()) {
        QList<FixtureProblem> problems;
        if (const auto *fixtures = qobject_cast<FixtureProvider *>(source))
            problems = fixtures->problems();
        else if (const auto *mock = qobject_cast<mock::MockSource *>(source))
            problems = mock->problems();
        for (const FixtureProblem &problem : std::as_const(problems))
            lines.append(problem.toString());
    }
    return lines;
}

QList<mock::MockSource *> Context::mockSources() const
{
    QList<mock::MockSource *> mocks;
    for (CiBuildService *source : m_registry->sources()) {
        if (auto *mock = qobject_cast<mock::MockSource *>(source))
            mocks.append(mock);
    }
    return mocks;
}

void Context::loadNow()
{
    // A fixture source has its builds in memory already; take them straight into the store
    // rather than waiting for the registry's asynchronous refresh to come round.
    for (CiBuildService *source : m_registry->sources()) {
        if (const auto *fixtures = qobject_cast<FixtureProvider *>(source))
            m_store->replaceSource(fixtures->name(), fixtures->builds());
        else if (const auto *mock = qobject_cast<mock::MockSource *>(source))
            m_store->replaceSource(mock->name(), mock->builds());
    }
    m_registry->refresh();
    configureCompare();
}

// The SCM hosts the sources name, signed in with the configuration's credentials, and the
// configured local clones, where compare works offline.
void Context::configureCompare()
{
    QList<ScmHost> hosts = scmHostsFromMasters(scmMasters());
    for (ScmHost &host : hosts) {
        for (auto it = m_scmLogins.cbegin(); it != m_scmLogins.cend(); ++it) {
            if (scmKindFromKey(it.key()) == host.kind) {
                host.username = it->username;
                host.token = it->token;
            }
        }
    }
    m_compare->setHosts(hosts);

    QList<LocalClone> clones;
    for (const config::LocalCloneSetting &clone : std::as_const(m_config.localClones))
        clones.append({clone.remote, clone.path});
    m_compare->setLocalClones(clones);
}

} // namespace cic::app
