// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/config_context.h"

#include "core/config/configloader.h"
#include "core/service/sourceregistry.h"

#include <QFileInfo>
#include <QLoggingCategory>

namespace cic::app {

void quietCoreLogging()
{
    if (qEnvironmentVariableIsSet("QT_LOGGING_RULES"))
        return;
    // The commands print what failed themselves, once, with the command's name; the network
    // layer's announcements of rate-limit waits and retries still show.
    QLoggingCategory::setFilterRules(QStringLiteral("cicompanion.*.debug=false\n"
                                                    "cicompanion.*.info=false\n"
                                                    "cicompanion.*.warning=false\n"
                                                    "cicompanion.core.net.info=true"));
}

QString withSourceName(const QString &source, const QString &message)
{
    const QString prefix = source + QStringLiteral(": ");
    return message.startsWith(prefix) ? message : prefix + message;
}

void addConfigOption(QCommandLineParser &parser)
{
    parser.addOption(
        {QStringLiteral("config"),
         QStringLiteral("The configuration file (default: %1).").arg(config::defaultConfigPath()),
         QStringLiteral("file")});
}

std::optional<LoadedConfig> loadConfig(const QCommandLineParser &parser, QTextStream &err)
{
    LoadedConfig loaded;
    const bool explicitPath = parser.isSet(QStringLiteral("config"));
    loaded.path
        = explicitPath ? parser.value(QStringLiteral("config")) : config::defaultConfigPath();

    if (!explicitPath && !QFileInfo::exists(loaded.path)) {
        loaded.exists = false;
        return loaded;
    }

    const config::LoadOutcome outcome = config::loadConfig(loaded.path);
    for (const config::ConfigProblem &problem : outcome.problems)
        err << problem.toString() << '\n';
    err.flush();
    if (!outcome.ok())
        return std::nullopt;

    loaded.config = outcome.config;
    return loaded;
}

QList<SourceProblem> addSources(SourceRegistry &registry, const config::Config &config,
                                const QString &onlySource, QTextStream &err)
{
    const BuiltSources built = onlySource.isEmpty()
        ? ProviderFactory::create(config)
        : ProviderFactory::createOne(config, onlySource);
    for (CiBuildService *service : built.services)
        registry.addSource(service);
    for (const SourceProblem &problem : built.problems)
        err << problem.source << ": " << problem.message << '\n';
    err.flush();
    return built.problems;
}

void refreshAndWait(SourceRegistry &registry, int timeoutMs)
{
    QEventLoop loop;
    auto settled = [&registry] {
        const QList<CiBuildService *> sources = registry.sources();
        return std::none_of(sources.cbegin(), sources.cend(), [&](CiBuildService *service) {
            const SourceStatus::State state = registry.status(service->name()).state;
            return state == SourceStatus::State::Refreshing || state == SourceStatus::State::Idle;
        });
    };
    const QMetaObject::Connection connection
        = QObject::connect(&registry, &SourceRegistry::statusChanged, &loop, [&] {
              if (settled())
                  loop.quit();
          });
    registry.refresh();
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    if (!settled())
        loop.exec();
    QObject::disconnect(connection);
}

} // namespace cic::app
