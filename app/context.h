// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QMap>
#include <QObject>
#include <QStringList>

namespace cic {
class BuildStore;
class SourceRegistry;
} // namespace cic

namespace cic::app {

// What the runtime is built from. Each fixture directory becomes a source named after it;
// with no source at all, the bundled demo set (`:/demo`, source `demo`) is served.
struct ContextOptions
{
    QStringList fixtureDirs;
    bool watchFixtures = true;
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

    // The SCM hosts the sources declare, keyed as igor's /scm/masters answers; the first
    // source to name a key wins.
    QMap<QString, QString> scmMasters() const;

    // "path: what is wrong", for every file a source could not read.
    QStringList problems() const;

    // Fills the store from every source; fixtures answer at once, so after this returns the
    // store holds them.
    void loadNow();

private:
    BuildStore *m_store;
    SourceRegistry *m_registry;
};

} // namespace cic::app
