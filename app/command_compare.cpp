// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/commands.h"
#include "app/config_context.h"
#include "app/context.h"
#include "core/scm/artifactversions.h"
#include "core/scm/localcompareclient.h"
#include "core/scm/scmcompareservice.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

namespace cic::app {

namespace {

void printLine(std::FILE *stream, const QString &line)
{
    std::fputs(qUtf8Printable(line + QLatin1Char('\n')), stream);
}

void writeBytes(const QByteArray &bytes)
{
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
}

QString fail(const QString &message)
{
    return QStringLiteral("ci-companion compare: ") + message;
}

QString someVersions(const Artifact &artifact)
{
    QStringList names;
    for (const ArtifactVersion &version : artifact.versions.mid(0, 5))
        names.append(version.version);
    if (artifact.versions.size() > 5)
        names.append(QStringLiteral("…"));
    return names.join(QStringLiteral(", "));
}

QJsonObject versionJson(const ArtifactVersion &version)
{
    QJsonObject object{{QStringLiteral("version"), version.version},
                       {QStringLiteral("buildNumber"), version.buildNumber},
                       {QStringLiteral("commit"), version.commit}};
    if (version.build) {
        object.insert(QStringLiteral("buildId"), version.build->id);
        if (!version.build->url.isEmpty())
            object.insert(QStringLiteral("buildUrl"), version.build->url);
    }
    if (!version.branch.isEmpty())
        object.insert(QStringLiteral("branch"), version.branch);
    return object;
}

QString versionLine(const ArtifactVersion &version)
{
    return QStringLiteral("%1 (build #%2, %3)")
        .arg(version.version)
        .arg(version.buildNumber)
        .arg(version.commit.isEmpty() ? QStringLiteral("no commit") : version.shortCommit());
}

void printText(const Artifact &artifact, const ArtifactVersion &older, const ArtifactVersion &newer,
               const ScmComparison &comparison, bool withFiles)
{
    printLine(
        stdout,
        QStringLiteral("%1: %2 → %3").arg(artifact.key, versionLine(older), versionLine(newer)));
    if (comparison.repository.isValid())
        printLine(stdout,
                  QStringLiteral("%1 on %2, from the %3")
                      .arg(comparison.repository.fullName(),
                           scmKindName(comparison.repository.kind), comparison.origin));
    else
        printLine(stdout, QStringLiteral("From the %1").arg(comparison.origin));
    if (!comparison.compareUrl.isEmpty())
        printLine(stdout, comparison.compareUrl);

    printLine(stdout, QString());
    printLine(stdout,
              comparison.commits.size() == 1
                  ? QStringLiteral("1 commit:")
                  : QStringLiteral("%1 commits:").arg(comparison.commits.size()));
    for (const ScmCommit &commit : comparison.commits) {
        const QString date = commit.date.isValid()
            ? commit.date.toUTC().toString(QStringLiteral("yyyy-MM-dd"))
            : QStringLiteral("          ");
        printLine(stdout,
                  QStringLiteral("  %1  %2  %3  %4")
                      .arg(commit.shortSha(), date, commit.author, commit.subject()));
    }

    if (!withFiles)
        return;
    int added = 0;
    int removed = 0;
    for (const ScmChangedFile &file : comparison.files) {
        added += file.additions;
        removed += file.deletions;
    }
    printLine(stdout, QString());
    printLine(stdout,
              QStringLiteral("%1 changed, +%2 -%3:")
                  .arg(comparison.files.size() == 1
                           ? QStringLiteral("1 file")
                           : QStringLiteral("%1 files").arg(comparison.files.size()))
                  .arg(added)
                  .arg(removed));
    for (const ScmChangedFile &file : comparison.files) {
        const QString path = file.oldPath.isEmpty()
            ? file.path
            : file.oldPath + QStringLiteral(" → ") + file.path;
        const QString counts = file.binary
            ? QStringLiteral("(binary)")
            : QStringLiteral("+%1 -%2").arg(file.additions).arg(file.deletions);
        QString line
            = QStringLiteral("  %1  %2  %3").arg(scmFileStatusLetter(file.status), path, counts);
        if (!file.patchNote.isEmpty())
            line += QStringLiteral("  (%1)").arg(file.patchNote);
        printLine(stdout, line);
    }

    for (const QString &note : comparison.notes)
        printLine(stdout, QStringLiteral("\nNote: ") + note);
}

} // namespace

int runCompare(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "ci-companion compare ARTIFACT OLD NEW: what changed between two versions of an "
        "artifact - the commits the newer has that the older lacks, and the changed files.\n"
        "ARTIFACT is a key such as deb:keel-app, or a name that only one artifact has. OLD and "
        "NEW are version strings, build numbers (1042 or #1042) or commit prefixes.\n"
        "Compares in a local clone when one is given (--clone), else through the SCM server "
        "the builds name."));
    parser.addHelpOption();
    addConfigOption(parser);
    parser.addPositionalArgument(QStringLiteral("ARTIFACT"), QStringLiteral("The artifact."));
    parser.addPositionalArgument(QStringLiteral("OLD"), QStringLiteral("The older version."));
    parser.addPositionalArgument(QStringLiteral("NEW"), QStringLiteral("The newer version."));

    const QCommandLineOption jsonOption(QStringLiteral("json"),
                                        QStringLiteral("Print the comparison as JSON."));
    const QCommandLineOption patchOption(
        QStringLiteral("patch"),
        QStringLiteral("Print every file's patch (the bytes as they are), or put them in the "
                       "JSON."));
    const QCommandLineOption commitsOnlyOption(QStringLiteral("commits-only"),
                                               QStringLiteral("List the commits only."));
    const QCommandLineOption cloneOption(QStringLiteral("clone"),
                                         QStringLiteral("Compare in this local clone, offline."),
                                         QStringLiteral("DIR"));
    const QCommandLineOption fixturesOption(
        QStringLiteral("fixtures"),
        QStringLiteral("A fixture directory to read builds from; repeat for several. Default: "
                       "the configured sources, else the bundled demo set."),
        QStringLiteral("DIR"));
    const QCommandLineOption maxCommitsOption(
        QStringLiteral("max-commits"), QStringLiteral("Read at most N commits (default 1000)."),
        QStringLiteral("N"));
    parser.addOptions({jsonOption, patchOption, commitsOnlyOption, cloneOption, fixturesOption,
                       maxCommitsOption});
    parseOrExit(parser, arguments, "compare");

    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 3) {
        printLine(stderr,
                  fail(QStringLiteral("expected ARTIFACT OLD NEW; see ci-companion "
                                      "compare --help")));
        return 2;
    }

    ScmCompareOptions options;
    options.withFiles = !parser.isSet(commitsOnlyOption);
    if (parser.isSet(maxCommitsOption)) {
        bool ok = false;
        options.maxCommits = parser.value(maxCommitsOption).toInt(&ok);
        if (!ok || options.maxCommits <= 0) {
            printLine(stderr,
                      fail(QStringLiteral("--max-commits: \"%1\" is not a positive "
                                          "number")
                               .arg(parser.value(maxCommitsOption))));
            return 2;
        }
    }

    // The builds come from the fixture sets named, else from the configured sources, else from
    // the bundled demo set.
    QTextStream configErrors(stderr);
    const std::optional<LoadedConfig> loaded = loadConfig(parser, configErrors);
    if (!loaded)
        return 2;
    quietCoreLogging();
    ContextOptions contextOptions;
    contextOptions.fixtureDirs = parser.values(fixturesOption);
    contextOptions.watchFixtures = false;
    contextOptions.poll = false;
    // With fixture sets named, the configuration still gives the SCM hosts, their credentials
    // and the local clones, but not its CI sources.
    config::Config configuration = loaded->config;
    if (!contextOptions.fixtureDirs.isEmpty())
        configuration.clearSources();
    const bool configured = loaded->exists && configuration.hasSources();
    if (loaded->exists)
        contextOptions.config = configuration;
    Context context(contextOptions);
    for (const QString &problem : context.problems())
        printLine(stderr, fail(problem));
    context.loadNow();
    if (configured)
        refreshAndWait(*context.registry());

    ArtifactVersions *versions = context.artifactVersions();
    const std::optional<Artifact> artifact = versions->artifact(positional[0]);
    if (!artifact) {
        QStringList keys;
        for (const Artifact &known : versions->artifacts())
            keys.append(known.key);
        printLine(stderr,
                  fail(QStringLiteral("no artifact \"%1\"; the builds made: %2")
                           .arg(positional[0], keys.join(QStringLiteral(", ")))));
        return 2;
    }

    std::optional<ArtifactVersion> picked[2];
    for (int i = 0; i < 2; ++i) {
        picked[i] = artifact->find(positional[i + 1]);
        if (!picked[i]) {
            printLine(stderr,
                      fail(QStringLiteral("%1 has no version \"%2\"; the newest are: %3")
                               .arg(artifact->key, positional[i + 1], someVersions(*artifact))));
            return 2;
        }
    }
    const ArtifactVersion &older = *picked[0];
    const ArtifactVersion &newer = *picked[1];

    QFuture<Result<ScmComparison>> future;
    if (parser.isSet(cloneOption)) {
        ScmCompareService *service = context.compareService();
        ScmRepository repository;
        if (newer.build)
            repository = service->repositoryOf(*newer.build).value_or(ScmRepository());
        LocalCompareClient clone(parser.value(cloneOption));
        future = clone.compare(repository, older.commit, newer.commit, options);
    } else {
        future = context.compareService()->compare(older, newer, options);
    }

    Result<ScmComparison> result;
    bool answered = false;
    QEventLoop loop;
    future.then(&loop, [&](const Result<ScmComparison> &answer) {
        result = answer;
        answered = true;
        loop.quit();
    });
    if (!answered)
        loop.exec();
    if (!result.ok()) {
        printLine(stderr, fail(result.error()));
        return 1;
    }

    const ScmComparison &comparison = result.value();
    if (parser.isSet(jsonOption)) {
        const QJsonObject object{
            {QStringLiteral("artifact"), artifact->key},
            {QStringLiteral("older"), versionJson(older)},
            {QStringLiteral("newer"), versionJson(newer)},
            {QStringLiteral("comparison"), scm::toJson(comparison, parser.isSet(patchOption))}};
        writeBytes(QJsonDocument(object).toJson(QJsonDocument::Indented));
        return 0;
    }

    printText(*artifact, older, newer, comparison, options.withFiles);
    if (parser.isSet(patchOption)) {
        std::fflush(stdout);
        writeBytes("\n");
        for (const ScmChangedFile &file : comparison.files)
            writeBytes(scm::unifiedDiff(file));
    }
    return 0;
}

} // namespace cic::app
