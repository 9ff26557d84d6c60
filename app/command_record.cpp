// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/commands.h"
#include "app/config_context.h"
#include "core/model/wirecodec.h"
#include "core/service/sourceregistry.h"
#include "core/store/buildstore.h"

#include <QCommandLineParser>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace cic::app {

namespace {

bool writeFile(const QString &path, const QByteArray &data, QTextStream &err)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(data) != data.size() || !file.commit()) {
        err << "ci-companion record: cannot write " << path << ": " << file.errorString() << '\n';
        return false;
    }
    return true;
}

} // namespace

int runRecord(const QStringList &arguments)
{
    QTextStream out(stdout);
    QTextStream err(stderr);

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Snapshots a configured source's builds (and optionally their logs) into a fixture set "
        "(docs/fixture-format.md) that `ci-companion serve --fixtures DIR` replays."));
    parser.addHelpOption();
    addConfigOption(parser);
    parser.addOptions({
        {QStringLiteral("source"), QStringLiteral("The configured source to record."),
         QStringLiteral("name")},
        {QStringLiteral("out"), QStringLiteral("The fixture directory to write."),
         QStringLiteral("dir")},
        {QStringLiteral("logs"), QStringLiteral("Also record each build's log.")},
        {QStringLiteral("limit"),
         QStringLiteral("At most this many builds, newest first (default 100)."),
         QStringLiteral("n"), QStringLiteral("100")},
    });
    parseOrExit(parser, arguments, "record");
    quietCoreLogging();

    const QString sourceName = parser.value(QStringLiteral("source"));
    const QString outDir = parser.value(QStringLiteral("out"));
    if (sourceName.isEmpty() || outDir.isEmpty()) {
        err << "ci-companion record: --source NAME and --out DIR are required\n";
        return 2;
    }
    const int limit = std::max(1, parser.value(QStringLiteral("limit")).toInt());

    const std::optional<LoadedConfig> loaded = loadConfig(parser, err);
    if (!loaded)
        return 2;
    if (!loaded->exists) {
        err << "ci-companion record: no configuration at " << loaded->path << " (use --config)\n";
        return 2;
    }

    BuildStore store;
    SourceRegistry registry(&store);
    addSources(registry, loaded->config, sourceName, err);
    CiBuildService *service = registry.source(sourceName);
    if (!service)
        return 1;

    refreshAndWait(registry);
    const SourceStatus status = registry.status(sourceName);
    if (status.state != SourceStatus::State::Ok) {
        err << "ci-companion record: " << sourceName << ": "
            << (status.error.isEmpty() ? QStringLiteral("no answer") : status.error) << '\n';
        return 1;
    }

    BuildQuery query;
    query.source = sourceName;
    const BuildList builds = store.query(query, limit);

    // One array of builds in igor's wire shape, logs beside it, and a manifest.
    const QDir directory(outDir);
    QList<QByteArray> encoded;
    for (const BuildPtr &build : builds)
        encoded.append(wire::encode(*build));
    QByteArray array = wire::encodeArray(encoded);
    array = QJsonDocument::fromJson(array).toJson(QJsonDocument::Indented);
    if (!writeFile(directory.filePath(QStringLiteral("builds.json")), array, err))
        return 1;

    QJsonObject scm;
    for (auto it = loaded->config.scmHosts.cbegin(); it != loaded->config.scmHosts.cend(); ++it)
        scm.insert(it.key(), it.value());
    const QJsonObject manifest{{QStringLiteral("name"), sourceName},
                               {QStringLiteral("description"),
                                QStringLiteral("Recorded from %1 (%2) on %3")
                                    .arg(sourceName, service->kind(),
                                         QDateTime::currentDateTimeUtc().toString(Qt::ISODate))},
                               {QStringLiteral("scm"), scm}};
    if (!writeFile(directory.filePath(QStringLiteral("manifest.json")),
                   QJsonDocument(manifest).toJson(QJsonDocument::Indented), err))
        return 1;

    int logs = 0;
    int logFailures = 0;
    if (parser.isSet(QStringLiteral("logs"))) {
        for (const BuildPtr &build : builds) {
            const QFuture<Result<LogChunk>> future = service->fetchLog(*build, 0);
            if (!waitFor(future) || !future.result()) {
                ++logFailures;
                err << "ci-companion record: the log of " << build->id << ": "
                    << (future.isFinished() ? future.result().error() : QStringLiteral("no answer"))
                    << '\n';
                continue;
            }
            const QString path = directory.filePath(QStringLiteral("logs/%1.log").arg(build->id));
            if (!writeFile(path, future.result()->text, err))
                return 1;
            ++logs;
        }
    }

    out << "recorded " << builds.size() << " builds";
    if (parser.isSet(QStringLiteral("logs")))
        out << " and " << logs << " logs";
    out << " from " << sourceName << " into " << QDir(outDir).absolutePath() << '\n'
        << "replay with: ci-companion serve --fixtures " << QDir(outDir).absolutePath() << '\n';
    out.flush();
    err.flush();
    return logFailures > 0 ? 1 : 0;
}

} // namespace cic::app
