// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/context.h"

#include "core/providers/fixtures/fixtureprovider.h"
#include "core/service/sourceregistry.h"
#include "core/store/buildstore.h"

#include <QDir>
#include <QFileInfo>

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
{
    for (const QString &directory : options.fixtureDirs) {
        auto *provider = new FixtureProvider(uniqueName(directory, *m_registry), directory);
        provider->setWatching(options.watchFixtures);
        m_registry->addSource(provider);
    }
    if (m_registry->sources().isEmpty())
        m_registry->addSource(
            new FixtureProvider(QStringLiteral("demo"), QStringLiteral(":/demo")));
}

Context::~Context() = default;

QMap<QString, QString> Context::scmMasters() const
{
    QMap<QString, QString> masters;
    for (CiBuildService *source : m_registry->sources()) {
        const auto *fixtures = qobject_cast<FixtureProvider *>(source);
        if (!fixtures)
            continue;
        const QMap<QString, QString> declared = fixtures->scmMasters();
        for (auto it = declared.cbegin(); it != declared.cend(); ++it) {
            if (!masters.contains(it.key()))
                masters.insert(it.key(), it.value());
        }
    }
    return masters;
}

QStringList Context::problems() const
{
    QStringList lines;
    for (CiBuildService *source : m_registry->sources()) {
        if (const auto *fixtures = qobject_cast<FixtureProvider *>(source)) {
            for (const FixtureProblem &problem : fixtures->problems())
                lines.append(problem.toString());
        }
    }
    return lines;
}

void Context::loadNow()
{
    // A fixture source has its builds in memory already; take them straight into the store
    // rather than waiting for the registry's asynchronous refresh to come round.
    for (CiBuildService *source : m_registry->sources()) {
        if (const auto *fixtures = qobject_cast<FixtureProvider *>(source))
            m_store->replaceSource(fixtures->name(), fixtures->builds());
    }
    m_registry->refresh();
}

} // namespace cic::app
