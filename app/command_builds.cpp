// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/commands.h"
#include "app/config_context.h"
#include "core/model/wirecodec.h"
#include "core/providers/fixtures/fixtureprovider.h"
#include "core/service/sourceregistry.h"
#include "core/store/buildstore.h"

#include <QCommandLineParser>
#include <QDateTime>

#include <cstdio>
#include <unistd.h>

namespace cic::app {

namespace {

constexpr int LookupBudgetMs = 60'000;

QString durationText(const Build &build)
{
    if (!build.durationMs || *build.durationMs <= 0)
        return build.building ? QStringLiteral("running") : QString();
    qint64 seconds = *build.durationMs / 1000;
    if (seconds < 60)
        return QStringLiteral("%1s").arg(seconds);
    const qint64 minutes = seconds / 60;
    seconds %= 60;
    if (minutes < 60)
        return QStringLiteral("%1m%2s").arg(
            QString::number(minutes), QString::number(seconds).rightJustified(2, QLatin1Char('0')));
    return QStringLiteral("%1h%2m").arg(
        QString::number(minutes / 60),
        QString::number(minutes % 60).rightJustified(2, QLatin1Char('0')));
}

void printTable(const BuildList &builds, QTextStream &out)
{
    const QStringList headers
        = {QStringLiteral("ID"),      QStringLiteral("RESULT"),  QStringLiteral("#"),
           QStringLiteral("PROJECT"), QStringLiteral("BRANCH"),  QStringLiteral("COMMIT"),
           QStringLiteral("STARTED"), QStringLiteral("DURATION")};
    QList<QStringList> rows;
    for (const BuildPtr &build : builds) {
        const GitRevision revision = build->scm.value(0);
        const qint64 started = build->startedMs();
        rows.append({build->id, resultName(build->effectiveResult()),
                     QString::number(build->number), build->name, revision.branch,
                     revision.sha1.left(12),
                     started > 0 ? QDateTime::fromMSecsSinceEpoch(started).toString(
                         QStringLiteral("yyyy-MM-dd HH:mm"))
                                 : QString(),
                     durationText(*build)});
    }

    QList<qsizetype> widths;
    for (const QString &header : headers)
        widths.append(header.size());
    for (const QStringList &row : std::as_const(rows)) {
        for (qsizetype i = 0; i < row.size(); ++i)
            widths[i] = std::max(widths[i], row.at(i).size());
    }

    auto printRow = [&](const QStringList &row) {
        QString line;
        for (qsizetype i = 0; i < row.size(); ++i)
            line += row.at(i).leftJustified(widths[i] + 2);
        out << line.trimmed() << '\n';
    };
    printRow(headers);
    for (const QStringList &row : std::as_const(rows))
        printRow(row);
}

} // namespace

int runBuilds(const QStringList &arguments)
{
    QTextStream out(stdout);
    QTextStream err(stderr);

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Answers a build query from the configured sources, as JSON (igor's /ci/builds array) "
        "or a table."));
    parser.addHelpOption();
    addConfigOption(parser);
    parser.addOptions({
        {QStringLiteral("source"), QStringLiteral("Only this configured source."),
         QStringLiteral("name")},
        {QStringLiteral("project"), QStringLiteral("Only this job, project or repository."),
         QStringLiteral("id")},
        {QStringLiteral("project-key"), QStringLiteral("igor's projectKey."),
         QStringLiteral("key")},
        {QStringLiteral("repo-slug"), QStringLiteral("igor's repoSlug."), QStringLiteral("slug")},
        {QStringLiteral("commit"), QStringLiteral("Builds of this commit (a prefix works)."),
         QStringLiteral("sha")},
        {QStringLiteral("number"), QStringLiteral("Builds with this number."), QStringLiteral("n")},
        {QStringLiteral("status"),
         QStringLiteral(
             "Comma-separated results or keel words (SUCCESS, FAILURE, INCOMPLETE, ...)."),
         QStringLiteral("list")},
        {QStringLiteral("json"),
         QStringLiteral("Print igor's JSON array (the default when not on a terminal).")},
        {QStringLiteral("table"), QStringLiteral("Print a table (the default on a terminal).")},
        {QStringLiteral("limit"), QStringLiteral("At most this many builds (default 50; 0: all)."),
         QStringLiteral("n"), QStringLiteral("50")},
    });
    parseOrExit(parser, arguments, "builds");
    quietCoreLogging();

    BuildQuery query;
    query.source = parser.value(QStringLiteral("source"));
    query.project = parser.value(QStringLiteral("project"));
    query.projectKey = parser.value(QStringLiteral("project-key"));
    query.repoSlug = parser.value(QStringLiteral("repo-slug"));
    query.commitPrefix = parser.value(QStringLiteral("commit")).toLower();
    if (parser.isSet(QStringLiteral("number"))) {
        bool ok = false;
        query.buildNumber = parser.value(QStringLiteral("number")).toInt(&ok);
        if (!ok) {
            err << "ci-companion builds: --number wants a whole number\n";
            return 2;
        }
    }
    if (parser.isSet(QStringLiteral("status"))) {
        query.results = 0;
        for (const QString &item :
             parser.value(QStringLiteral("status")).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            const std::optional<ResultSet> bits = parseCompletionStatus(item.trimmed());
            if (!bits) {
                err << "ci-companion builds: unknown status '" << item << "'\n";
                return 2;
            }
            query.results |= *bits;
        }
    }
    bool limitOk = false;
    const int limit = parser.value(QStringLiteral("limit")).toInt(&limitOk);
    if (!limitOk || limit < 0) {
        err << "ci-companion builds: --limit wants a whole number, 0 or more\n";
        return 2;
    }
    const bool table = parser.isSet(QStringLiteral("table"))
        || (!parser.isSet(QStringLiteral("json")) && isatty(STDOUT_FILENO));

    const std::optional<LoadedConfig> loaded = loadConfig(parser, err);
    if (!loaded)
        return 2;

    BuildStore store;
    SourceRegistry registry(&store);
    if (!loaded->exists || !loaded->config.hasSources()) {
        err << "ci-companion builds: no sources configured in " << loaded->path
            << "; answering from the bundled demo set (see docs/configuration.md)\n";
        registry.addSource(new FixtureProvider(QStringLiteral("demo"), QStringLiteral(":/demo")));
    } else {
        addSources(registry, loaded->config, query.source, err);
    }
    if (registry.sources().isEmpty())
        return 1;

    refreshAndWait(registry);
    int failed = 0;
    for (CiBuildService *service : registry.sources()) {
        const SourceStatus status = registry.status(service->name());
        if (status.state == SourceStatus::State::Failed) {
            ++failed;
            err << "ci-companion builds: " << withSourceName(service->name(), status.error)
                << '\n';
        }
        // A fixture set's broken files are not a failed refresh, but they are why builds are
        // missing; a set that loaded nothing at all counts as failed.
        if (const auto *fixtures = qobject_cast<FixtureProvider *>(service)) {
            for (const FixtureProblem &problem : fixtures->problems())
                err << "ci-companion builds: " << service->name() << ": " << problem.toString()
                    << '\n';
            if (!fixtures->problems().isEmpty() && fixtures->builds().isEmpty()
                && status.state != SourceStatus::State::Failed)
                ++failed;
        }
    }

    // A commit or number the newest builds do not hold is looked up in each source.
    if (!query.commitPrefix.isEmpty() || query.buildNumber) {
        if (store.query(query, 1).isEmpty())
            waitFor(registry.lookup(query, LookupBudgetMs), LookupBudgetMs + 5000);
    }

    if (table) {
        printTable(store.query(query, limit > 0 ? limit : -1), out);
    } else {
        out << QString::fromUtf8(store.queryWire(query, limit > 0 ? limit : -1)) << '\n';
    }
    out.flush();
    err.flush();
    return failed == int(registry.sources().size()) ? 1 : 0;
}

} // namespace cic::app
