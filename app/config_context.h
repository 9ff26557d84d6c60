// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/config/config.h"
#include "core/providers/providerfactory.h"

#include <QCommandLineParser>
#include <QEventLoop>
#include <QFuture>
#include <QFutureWatcher>
#include <QTextStream>
#include <QTimer>

#include <optional>

namespace cic {
class SourceRegistry;
}

// What the terminal commands share about the configuration: the --config option, loading
// with messages on stderr, building the configured sources, and waiting for answers while
// the event loop runs.
namespace cic::app {

inline constexpr int DefaultWaitMs = 120'000;

// Runs the event loop until the future finishes or the time is up; true when it finished.
template<typename T> bool waitFor(const QFuture<T> &future, int timeoutMs = DefaultWaitMs)
{
    if (future.isFinished())
        return true;
    QEventLoop loop;
    QFutureWatcher<T> watcher;
    QObject::connect(&watcher, &QFutureWatcherBase::finished, &loop, &QEventLoop::quit);
    watcher.setFuture(future);
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    if (!future.isFinished())
        loop.exec();
    return future.isFinished();
}

void addConfigOption(QCommandLineParser &parser);

// Terminal commands print their own findings; the core's progress lines stay quiet, except
// the network layer's announcements of rate-limit waits and retries. QT_LOGGING_RULES still
// decides when set.
void quietCoreLogging();

struct LoadedConfig
{
    config::Config config;
    QString path;
    bool exists = true; // false: the default file is absent, which configures nothing
};

// Loads --config FILE, or the default file when there is one. Prints warnings; on errors
// prints each with file, line and key, and answers nothing.
std::optional<LoadedConfig> loadConfig(const QCommandLineParser &parser, QTextStream &err);

// Builds the configured sources (all, or only `onlySource`) into the registry; prints each
// source that could not be built and answers those problems.
QList<SourceProblem> addSources(SourceRegistry &registry, const config::Config &config,
                                const QString &onlySource, QTextStream &err);

// "source: message", unless the message names the source already.
QString withSourceName(const QString &source, const QString &message);

// Refreshes every source and waits until each has answered or the time is up.
void refreshAndWait(SourceRegistry &registry, int timeoutMs = DefaultWaitMs);

} // namespace cic::app
