// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/commands.h"
#include "app/config_context.h"
#include "core/providers/connectioncheck.h"
#include "core/providers/fixtures/fixtureprovider.h"
#include "core/service/sourceregistry.h"
#include "core/store/buildstore.h"

#include <QCommandLineParser>

namespace cic::app {

namespace {

struct Verdict
{
    QString source;
    QString kind;
    ConnectionCheck check;
};

ConnectionCheck checkFixtures(FixtureProvider *fixtures)
{
    const QList<FixtureProblem> problems = fixtures->problems();
    const QString summary
        = QStringLiteral("%1 builds from %2")
              .arg(QString::number(fixtures->builds().size()), fixtures->directory());
    if (problems.isEmpty())
        return ConnectionCheck::ok(summary);
    if (fixtures->builds().isEmpty())
        return ConnectionCheck::failed(problems.first().toString(),
                                       QStringLiteral("check the fixtures path"));
    return ConnectionCheck::warning(
        summary
            + QStringLiteral("; %1 files skipped, first: %2")
                  .arg(QString::number(problems.size()), problems.first().toString()),
        QStringLiteral("see docs/fixture-format.md"));
}

} // namespace

int runCheck(const QStringList &arguments)
{
    QTextStream out(stdout);
    QTextStream err(stderr);

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Tests each configured source: reachability, credentials, the Jenkins CSRF crumb, TLS "
        "and proxy. Prints one line per source; exits non-zero when any failed."));
    parser.addHelpOption();
    addConfigOption(parser);
    parser.addOption(
        {QStringLiteral("source"), QStringLiteral("Only this source."), QStringLiteral("name")});
    parseOrExit(parser, arguments, "check");
    quietCoreLogging();

    const std::optional<LoadedConfig> loaded = loadConfig(parser, err);
    if (!loaded)
        return 2;
    if (!loaded->exists) {
        err << "ci-companion check: no configuration at " << loaded->path
            << "; write one (docs/configuration.md) or pass --config\n";
        return 2;
    }
    if (!loaded->config.hasSources()) {
        err << "ci-companion check: " << loaded->path << " configures no sources\n";
        return 2;
    }

    BuildStore store;
    SourceRegistry registry(&store);
    QList<Verdict> verdicts;
    QString discard; // problems are printed below as verdicts, not twice

    QTextStream swallow(&discard);
    const QList<SourceProblem> problems
        = addSources(registry, loaded->config, parser.value(QStringLiteral("source")), swallow);
    for (const SourceProblem &problem : problems)
        verdicts.append({problem.source, problem.kind,
                         ConnectionCheck::failed(problem.message,
                                                 problem.kind.isEmpty()
                                                     ? QString()
                                                     : QStringLiteral("fix the secret or the entry "
                                                                      "in the configuration"))});

    // Every source is checked at once; each answers within its own timeouts.
    QList<std::pair<CiBuildService *, QFuture<ConnectionCheck>>> pending;
    for (CiBuildService *service : registry.sources()) {
        if (auto *fixtures = qobject_cast<FixtureProvider *>(service)) {
            verdicts.append({service->name(), service->kind(), checkFixtures(fixtures)});
            continue;
        }
        if (auto *checkable = dynamic_cast<ConnectionCheckable *>(service))
            pending.append({service, checkable->checkConnection()});
        else
            verdicts.append({service->name(), service->kind(),
                             ConnectionCheck::warning(QStringLiteral("this kind of source has no "
                                                                     "connection check"))});
    }
    for (const auto &[service, future] : std::as_const(pending)) {
        if (!waitFor(future))
            verdicts.append({service->name(), service->kind(),
                             ConnectionCheck::failed(
                                 QStringLiteral("no verdict within %1 s").arg(DefaultWaitMs / 1000),
                                 QStringLiteral("raise timeout"))});
        else
            verdicts.append({service->name(), service->kind(), future.result()});
    }

    // In configuration order, so the lines match the file.
    const QStringList order = loaded->config.sourceNames();
    std::stable_sort(verdicts.begin(), verdicts.end(),
                     [&order](const Verdict &a, const Verdict &b) {
                         return order.indexOf(a.source) < order.indexOf(b.source);
                     });

    qsizetype nameWidth = 0;
    for (const Verdict &verdict : std::as_const(verdicts))
        nameWidth = std::max(nameWidth, verdict.source.size());

    int failed = 0;
    for (const Verdict &verdict : std::as_const(verdicts)) {
        QString mark;
        switch (verdict.check.verdict) {
        case ConnectionCheck::Verdict::Ok:
            mark = QStringLiteral("ok  ");
            break;
        case ConnectionCheck::Verdict::Warning:
            mark = QStringLiteral("warn");
            break;
        case ConnectionCheck::Verdict::Failed:
            mark = QStringLiteral("FAIL");
            ++failed;
            break;
        }
        out << mark << "  " << verdict.source.leftJustified(nameWidth) << "  "
            << verdict.check.summary << '\n';
        if (!verdict.check.hint.isEmpty())
            out << QString(int(nameWidth) + 8, QLatin1Char(' ')) << "hint: " << verdict.check.hint
                << '\n';
    }
    out << verdicts.size() - failed << " of " << verdicts.size() << " sources ok\n";
    out.flush();
    return failed > 0 ? 1 : 0;
}

} // namespace cic::app
