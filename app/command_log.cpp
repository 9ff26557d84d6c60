// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/commands.h"
#include "app/config_context.h"
#include "core/logs/ansi.h"
#include "core/providers/buildids.h"
#include "core/providers/fixtures/fixtureprovider.h"
#include "core/service/sourceregistry.h"
#include "core/store/buildstore.h"

#include <QCommandLineParser>

#include <cstdio>

namespace cic::app {

namespace {

// The configured source a build id belongs to: ids start with the escaped source name.
QString sourceOfId(const QString &id, const QStringList &sources)
{
    QString best;
    for (const QString &source : sources) {
        const QString prefix = buildids::escapePart(source) + QLatin1Char('-');
        if (id.startsWith(prefix) && prefix.size() > best.size() + 1)
            best = source;
    }
    return best;
}

void writeText(const QByteArray &text, bool keepAnsi)
{
    const QByteArray shown = keepAnsi ? text : ansi::strip(text);
    std::fwrite(shown.constData(), 1, size_t(shown.size()), stdout);
    std::fflush(stdout);
}

} // namespace

int runLog(const QStringList &arguments)
{
    QTextStream err(stderr);

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Prints a build's log."));
    parser.addHelpOption();
    addConfigOption(parser);
    parser.addOptions({
        {QStringLiteral("follow"), QStringLiteral("Keep printing while the build runs.")},
        {QStringLiteral("keep-ansi"), QStringLiteral("Keep terminal colour codes.")},
        {QStringLiteral("interval"),
         QStringLiteral("Seconds between reads with --follow (default 2)."),
         QStringLiteral("seconds"), QStringLiteral("2")},
    });
    parser.addPositionalArgument(QStringLiteral("build-id"),
                                 QStringLiteral("The build's id, as `builds` prints it."));
    parseOrExit(parser, arguments, "log");
    quietCoreLogging();

    if (parser.positionalArguments().size() != 1) {
        err << "ci-companion log: give one build id (see `ci-companion builds`)\n";
        return 2;
    }
    const QString id = parser.positionalArguments().first();
    const bool follow = parser.isSet(QStringLiteral("follow"));
    const bool keepAnsi = parser.isSet(QStringLiteral("keep-ansi"));
    const int intervalMs
        = std::max(100, int(parser.value(QStringLiteral("interval")).toDouble() * 1000));

    const std::optional<LoadedConfig> loaded = loadConfig(parser, err);
    if (!loaded)
        return 2;

    BuildStore store;
    SourceRegistry registry(&store);
    QString source;
    BuildPtr build;
    if (!loaded->exists || !loaded->config.hasSources()) {
        source = QStringLiteral("demo");
        registry.addSource(new FixtureProvider(source, QStringLiteral(":/demo")));
    } else {
        source = sourceOfId(id, loaded->config.sourceNames());
        if (source.isEmpty()) {
            // Fixture sets keep the ids their files give, which need not name the set: look
            // in each of them.
            for (const config::FixtureSource &fixtures : loaded->config.fixtures)
                addSources(registry, loaded->config, fixtures.name, err);
            refreshAndWait(registry);
            if ((build = store.build(id)))
                source = build->source;
        }
        if (source.isEmpty()) {
            err << "ci-companion log: " << id << " names none of the configured sources ("
                << loaded->config.sourceNames().join(QStringLiteral(", "))
                << ") and no fixture set holds it\n";
            return 2;
        }
        if (!registry.source(source))
            addSources(registry, loaded->config, source, err);
    }
    CiBuildService *service = registry.source(source);
    if (!service)
        return 1;

    // The newest builds usually hold it; an older one is asked for by its id.
    if (!build) {
        refreshAndWait(registry);
        build = store.build(id);
    }
    QString lookupError;
    if (!build) {
        const QFuture<Result<BuildPtr>> found = service->fetchBuild(id);
        if (!waitFor(found))
            lookupError = QStringLiteral("no answer within %1 s").arg(DefaultWaitMs / 1000);
        else if (!found.result())
            lookupError = found.result().error();
        else if ((build = found.result().value()))
            store.upsert({build});
    }
    if (!build) {
        const SourceStatus status = registry.status(source);
        err << "ci-companion log: no build " << id << " in " << source;
        if (!lookupError.isEmpty())
            err << ": " << lookupError;
        else if (status.state == SourceStatus::State::Failed)
            err << ": " << status.error;
        err << '\n';
        return 1;
    }

    qint64 offset = 0;
    Build current = *build;
    while (true) {
        // Following reads the source directly: the log's end is what the server says, not
        // what the store knew when the command started.
        const QFuture<Result<LogChunk>> future
            = follow ? service->fetchLog(current, offset) : registry.fetchLog(id, offset);
        if (!waitFor(future)) {
            err << "ci-companion log: no answer from " << source << '\n';
            return 1;
        }
        const Result<LogChunk> chunk = future.result();
        if (!chunk) {
            err << "ci-companion log: " << chunk.error() << '\n';
            return 1;
        }
        if (chunk->offset < offset) // the server restarted the log
            err << "\n[the log restarted]\n";
        writeText(chunk->text, keepAnsi);
        offset = chunk->nextOffset;
        if (!follow || chunk->complete)
            break;

        current.building = true;
        QEventLoop pause;
        QTimer::singleShot(intervalMs, &pause, &QEventLoop::quit);
        pause.exec();
    }
    err.flush();
    return 0;
}

} // namespace cic::app
