// SPDX-License-Identifier: GPL-3.0-or-later
// Figures for artifact versions and comparisons; run through bench/scm/run.sh.
//
//   scm_bench --fixtures DIR     gathering artifact versions from a fixture set's builds
//   scm_bench --clone DIR        comparing the oldest and newest commit of a local clone
#include "core/model/wirecodec.h"
#include "core/scm/artifactversions.h"
#include "core/scm/localcompareclient.h"
#include "core/scm/scmcomparison.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>

#include <algorithm>
#include <cstdio>

using namespace cic;

namespace {

void print(const QString &line)
{
    std::printf("%s\n", qPrintable(line));
    std::fflush(stdout);
}

double median(QList<double> values)
{
    std::sort(values.begin(), values.end());
    return values.isEmpty() ? 0 : values[values.size() / 2];
}

void benchVersions(const QString &directory)
{
    // The builds of every JSON array in the set, as the fixture format writes them.
    QElapsedTimer timer;
    timer.start();
    BuildList builds;
    QDirIterator files(directory, {QStringLiteral("*.json")}, QDir::Files,
                       QDirIterator::Subdirectories);
    while (files.hasNext()) {
        QFile file(files.next());
        if (!file.open(QIODevice::ReadOnly))
            continue;
        for (const QJsonValue &value : QJsonDocument::fromJson(file.readAll()).array()) {
            Result<Build> build = wire::fromJson(value.toObject());
            if (build)
                builds.append(std::make_shared<const Build>(std::move(build).value()));
        }
    }
    print(QStringLiteral("fixture set: %1 builds loaded in %2 ms")
              .arg(builds.size())
              .arg(timer.elapsed()));

    QList<double> runs;
    QList<Artifact> artifacts;
    for (int i = 0; i < 7; ++i) {
        timer.restart();
        artifacts = ArtifactVersions::gather(builds);
        runs.append(timer.nsecsElapsed() / 1e6);
    }
    qsizetype versions = 0;
    for (const Artifact &artifact : std::as_const(artifacts))
        versions += artifact.versions.size();
    print(QStringLiteral("gather: %1 artifacts, %2 versions from %3 builds: median %4 ms "
                         "(7 runs)")
              .arg(artifacts.size())
              .arg(versions)
              .arg(builds.size())
              .arg(median(runs), 0, 'f', 1));
}

QString revParse(const QString &clone, const QString &revision)
{
    QProcess git;
    git.start(QStringLiteral("git"),
              {QStringLiteral("-C"), clone, QStringLiteral("rev-list"),
               QStringLiteral("--max-parents=0"), revision});
    git.waitForFinished();
    return QString::fromLatin1(git.readAllStandardOutput().trimmed())
        .section(QLatin1Char('\n'), 0, 0);
}

void benchClone(const QString &clone)
{
    const QString oldest = revParse(clone, QStringLiteral("HEAD"));
    for (const bool withFiles : {false, true}) {
        ScmCompareOptions options;
        options.withFiles = withFiles;
        options.maxCommits = 100'000;
        options.maxFiles = 100'000;
        QList<double> runs;
        Result<ScmComparison> result;
        for (int i = 0; i < 3; ++i) {
            QElapsedTimer timer;
            timer.start();
            result = LocalCompareClient::compareNow(clone, {}, oldest, QStringLiteral("HEAD"),
                                                    options);
            runs.append(timer.nsecsElapsed() / 1e6);
        }
        if (!result) {
            print(QStringLiteral("local compare failed: ") + result.error());
            return;
        }
        qsizetype patchBytes = 0;
        for (const ScmChangedFile &file : result->files)
            patchBytes += file.patch.size();
        print(QStringLiteral("local compare %1: %2 commits, %3 files, %4 KiB of patches: median "
                             "%5 ms (3 runs)")
                  .arg(withFiles ? QStringLiteral("with files") : QStringLiteral("commits only"))
                  .arg(result->commits.size())
                  .arg(result->files.size())
                  .arg(patchBytes / 1024)
                  .arg(median(runs), 0, 'f', 1));

        if (!withFiles)
            continue;
        QByteArray diff;
        for (const ScmChangedFile &file : result->files)
            diff += scm::unifiedDiff(file);
        QElapsedTimer timer;
        timer.start();
        const QList<ScmChangedFile> parsed = scm::parseGitDiff(diff);
        print(QStringLiteral("parse git diff: %1 files, %2 KiB in %3 ms")
                  .arg(parsed.size())
                  .arg(diff.size() / 1024)
                  .arg(timer.nsecsElapsed() / 1e6, 0, 'f', 1));
    }
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication application(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption(
        {QStringLiteral("fixtures"), QStringLiteral("A fixture set."), QStringLiteral("DIR")});
    parser.addOption(
        {QStringLiteral("clone"), QStringLiteral("A git repository."), QStringLiteral("DIR")});
    parser.process(application);

    if (parser.isSet(QStringLiteral("fixtures")))
        benchVersions(parser.value(QStringLiteral("fixtures")));
    if (parser.isSet(QStringLiteral("clone")))
        benchClone(parser.value(QStringLiteral("clone")));
    return 0;
}
