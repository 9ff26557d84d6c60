// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/mock/mocksource.h"
#include "core/config/config.h"

#include <QMap>
#include <QObject>
#include <QStringList>

#include <optional>

namespace cic {
class ArtifactVersions;
class BuildStore;
class ScmCompareService;
class SourceRegistry;
} // namespace cic

class QTimer;

namespace cic::app {

// What the runtime is built from: the sources a configuration file names (see
// docs/configuration.md), and fixture directories, each a source named after it. With no
// source at all, the bundled demo set (`:/demo`, source `demo`) is served.
struct ContextOptions
{
    std::optional<config::Config> config;
    QStringList fixtureDirs;
    bool watchFixtures = true;

    // Serve each fixture set as a local igor mock (docs/mock.md): its scenarios play and the
    // control API may change it. Otherwise the sets are served as their files say.
    bool mock = false;
    mock::MockOptions mockOptions;
    bool poll = true; // refresh each configured source at its pollInterval
};

// The runtime every mode shares: the build store, the registry of sources, and what the
// sources say about themselves (SCM hosts for /scm/masters, problems with their files).
class Context final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Context)

public:
    explicit Context(const ContextOptions &options, QObject *parent = nullptr);
    ~Context() override;

    BuildStore *store() const { return m_store; }
    SourceRegistry *registry() const { return m_registry; }

    // The artifacts the builds produced, gathered from the first call on (serving does not
    // need them), and comparisons between their revisions over the SCM hosts the sources
    // declare.
    ArtifactVersions *artifactVersions();
    ScmCompareService *compareService() const { return m_compare; }

    // The SCM hosts, keyed as igor's /scm/masters answers: the configuration's first, then
    // what fixture sets declare; the first to name a key wins.
    QMap<QString, QString> scmMasters() const;

    // "path: what is wrong", for every file a source could not read, and "source: why" for
    // every configured source that could not be built.
    QStringList problems() const;

    // The sources that are mocks, by name.
    QList<mock::MockSource *> mockSources() const;

    // Fills the store from every source; fixtures answer at once, so after this returns the
    // store holds them.
    void loadNow();

    // Puts this configuration's sources, SCM hosts and polling in place of the previous
    // configuration's; fixture directories stay. With no source left, the demo set comes
    // back; with configured sources, it goes. The new sources are refreshed.
    void applyConfig(const config::Config &config);

private:
    void addConfigured(const config::Config &config);
    void configureCompare();
    void addDemoIfEmpty();
    void startPolling(const config::Config &config);

    BuildStore *m_store;
    SourceRegistry *m_registry;
    ArtifactVersions *m_versions = nullptr;
    ScmCompareService *m_compare = nullptr;
    config::Config m_config; // the configuration applied last; empty without one
    // Its SCM credentials with their secrets resolved, once per configuration (a keychain
    // answers slowly), keyed as /scm/masters.
    struct ScmLogin
    {
        QString username;
        QString token;
    };
    QMap<QString, ScmLogin> m_scmLogins;
    QStringList m_sourceProblems;
    QStringList m_configuredNames;
    QList<QTimer *> m_pollTimers;
    bool m_demo = false; // the bundled set is in the registry
    ContextOptions m_options;
};

} // namespace cic::app
