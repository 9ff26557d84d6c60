// SPDX-License-Identifier: GPL-3.0-or-later
// Figures for the log viewer and the builds table, printed as "name value unit" lines:
//
//   logview_bench --log FILE [--find TEXT]
//       time to the first painted screen of FILE, time until its line index is complete,
//       time to find the last occurrence of TEXT, and the peak resident memory (VmHWM);
//   logview_bench --builds N
//       the time one keystroke in the filter bar takes to re-filter N builds, typed and then
//       erased one character at a time, with the table on screen.
#include "core/store/buildstore.h"
#include "ui/buildsview.h"
#include "ui/logview/logdocument.h"
#include "ui/logview/logpanel.h"
#include "ui/logview/logsearch.h"
#include "ui/logview/logview.h"
#include "ui/models/buildfilterproxy.h"
#include "ui/models/buildtablemodel.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QTableView>
#include <QTimer>

#include <algorithm>
#include <cstdio>

using namespace cic;

namespace {

// A field of /proc/self/status in kB, such as VmHWM (peak resident set) or VmRSS.
qint64 statusKb(const char *field)
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray prefix = QByteArray(field) + ':';
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith(prefix))
            return line.mid(prefix.size()).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}

void print(const char *name, double value, const char *unit)
{
    std::printf("%-34s %12.1f %s\n", name, value, unit);
    std::fflush(stdout);
}

int benchLog(QApplication &application, const QString &path, const QString &needle)
{
    logview::LogPanel panel;
    panel.resize(1200, 800);
    panel.show();
    QApplication::processEvents();

    const qint64 baselineKb = statusKb("VmHWM");
    const qint64 fileBytes = QFileInfo(path).size();
    QElapsedTimer clock;
    double firstPaint = -1;
    double indexed = -1;
    double found = -1;

    QObject::connect(panel.view(), &logview::LogView::painted, &panel, [&](qsizetype lines) {
        if (firstPaint < 0 && lines > 1)
            firstPaint = double(clock.nsecsElapsed()) / 1e6;
    });

    logview::LogDocument *document = panel.document();
    logview::LogSearch *search = panel.search();
    QElapsedTimer searchClock;
    QObject::connect(document, &logview::LogDocument::indexingFinished, &panel, [&] {
        indexed = double(clock.nsecsElapsed()) / 1e6;
        searchClock.start();
        search->start(needle);
    });
    QObject::connect(search, &logview::LogSearch::finished, &panel, [&] {
        if (found >= 0 || search->pattern().isEmpty())
            return;
        panel.findPrevious(); // from no match, the last one
        QApplication::processEvents();
        found = double(searchClock.nsecsElapsed()) / 1e6;
        QTimer::singleShot(0, &application, &QApplication::quit);
    });

    clock.start();
    if (!panel.openFile(path)) {
        std::fprintf(stderr, "logview_bench: cannot open %s\n", qPrintable(path));
        return 1;
    }
    application.exec();

    const qsizetype lastLine = panel.view()->currentMatchLine();
    print("log.bytes", double(fileBytes) / (1 << 20), "MiB");
    print("log.lines", double(document->lineCount()), "lines");
    print("log.first_paint", firstPaint, "ms");
    print("log.index_complete", indexed, "ms");
    print("log.find_last", found, "ms");
    print("log.find_matches", double(search->matchCount()), "matches");
    print("log.find_last_line", double(lastLine + 1), "(1-based)");
    print("log.baseline_peak_rss", double(baselineKb) / 1024, "MiB");
    print("log.peak_rss", double(statusKb("VmHWM")) / 1024, "MiB");
    print("log.peak_rss_over_file",
          double(statusKb("VmHWM")) * 1024 / double(qMax<qint64>(1, fileBytes)), "x");
    print("log.index_bytes", double(document->index().memoryBytes()) / (1 << 20), "MiB");
    return firstPaint > 0 && indexed > 0 && found > 0 ? 0 : 1;
}

BuildList syntheticBuilds(int count)
{
    static const char *const authors[] = {"Ada Lovelace", "Grace Hopper", "Linus T",  "Margaret H",
                                          "Ken Thompson", "Barbara L",    "Dennis R", "Frances A"};
    static const char *const verbs[]
        = {"Fix", "Add", "Remove", "Refactor", "Speed up", "Document", "Cover", "Retry"};
    static const char *const things[]
        = {"login flow",    "artifact list", "queue handler", "cache",
           "pipeline view", "build matrix",  "log parser",    "retries"};
    static const char *const branches[]
        = {"main", "release/1.4", "feature/login", "fix/cache", "feature/matrix", "chore/deps"};
    QRandomGenerator random(20261130);
    BuildList builds;
    builds.reserve(count);
    const qint64 base = 1790000000000;
    for (int i = 0; i < count; ++i) {
        Build build;
        build.source = QStringLiteral("bench");
        build.project = QStringLiteral("project-%1").arg(i % 20);
        build.name = build.project;
        build.number = 1000 + i;
        build.id = QStringLiteral("p%1-%2").arg(i % 20).arg(build.number);
        build.timestampMs = base + qint64(i) * 60000;
        build.durationMs = 30000 + random.bounded(600000);
        const double roll = random.generateDouble();
        build.result = roll < 0.7 ? BuildResult::Success
            : roll < 0.85         ? BuildResult::Failure
            : roll < 0.93         ? BuildResult::Unstable
                                  : BuildResult::Aborted;
        build.building = i > count - 10;
        GitRevision revision;
        revision.branch = QString::fromLatin1(branches[random.bounded(6)]);
        revision.sha1 = QStringLiteral("%1%2")
                            .arg(random.generate64(), 16, 16, QLatin1Char('0'))
                            .arg(random.generate64(), 16, 16, QLatin1Char('0'));
        revision.committer = QString::fromLatin1(authors[random.bounded(8)]);
        revision.message = QStringLiteral("%1 %2 (#%3)")
                               .arg(QLatin1String(verbs[random.bounded(8)]),
                                    QLatin1String(things[random.bounded(8)]))
                               .arg(random.bounded(5000));
        build.scm.append(revision);
        builds.append(std::make_shared<const Build>(std::move(build)));
    }
    return builds;
}

int benchFilter(int count)
{
    BuildStore store;
    QElapsedTimer clock;
    clock.start();
    store.replaceSource(QStringLiteral("bench"), syntheticBuilds(count));
    print("table.store_fill", double(clock.nsecsElapsed()) / 1e6, "ms");

    BuildTableModel model(&store);
    BuildFilterProxy proxy;
    proxy.setBuildModel(&model);
    std::unique_ptr<QTableView> view(createBuildsView(&proxy));
    view->resize(1200, 700);
    view->show();
    QApplication::processEvents();

    clock.restart();
    model.setScope(QString(), QString());
    model.setScope(QStringLiteral("bench"), QString());
    QApplication::processEvents();
    print("table.load_and_sort", double(clock.nsecsElapsed()) / 1e6, "ms");

    // Typed one key at a time, then erased: each step re-filters and the view updates.
    const QString typed = QStringLiteral("fix login ada");
    QList<double> steps;
    QList<double> filterOnly;
    auto keystroke = [&](const QString &text) {
        clock.restart();
        proxy.setText(text);
        filterOnly.append(double(clock.nsecsElapsed()) / 1e6);
        view->viewport()->repaint(); // what the user waits for: the table drawn again
        QApplication::processEvents();
        steps.append(double(clock.nsecsElapsed()) / 1e6);
    };
    for (int i = 1; i <= typed.size(); ++i)
        keystroke(typed.left(i));
    const int shown = proxy.rowCount();
    for (int i = typed.size() - 1; i >= 0; --i)
        keystroke(typed.left(i));

    QList<double> sorted = steps;
    std::sort(sorted.begin(), sorted.end());
    print("table.builds", count, "builds");
    print("table.rows_matching_typed_text", shown, "rows");
    print("table.keystroke_median", sorted.at(sorted.size() / 2), "ms");
    print("table.keystroke_p90", sorted.at(sorted.size() * 9 / 10), "ms");
    print("table.keystroke_max", sorted.last(), "ms");
    print("table.first_keystroke", steps.first(), "ms");
    std::sort(filterOnly.begin(), filterOnly.end());

    // The same keystrokes on a proxy that no view watches: the cost of the filter itself.
    BuildFilterProxy bare;
    bare.setBuildModel(&model);
    bare.sort(BuildTableModel::Started, Qt::DescendingOrder);
    QList<double> bareSteps;
    for (int i = 1; i <= typed.size(); ++i) {
        clock.restart();
        bare.setText(typed.left(i));
        bareSteps.append(double(clock.nsecsElapsed()) / 1e6);
    }
    for (int i = typed.size() - 1; i >= 0; --i) {
        clock.restart();
        bare.setText(typed.left(i));
        bareSteps.append(double(clock.nsecsElapsed()) / 1e6);
    }
    std::sort(bareSteps.begin(), bareSteps.end());
    print("table.filter_without_view_median", bareSteps.at(bareSteps.size() / 2), "ms");
    print("table.filter_without_view_max", bareSteps.last(), "ms");
    print("table.filter_only_median", filterOnly.at(filterOnly.size() / 2), "ms");
    print("table.filter_only_max", filterOnly.last(), "ms");
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    QApplication application(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption logOption(QStringLiteral("log"), QStringLiteral("Log file to open."),
                                       QStringLiteral("file"));
    const QCommandLineOption findOption(
        QStringLiteral("find"), QStringLiteral("Text to find the last of."), QStringLiteral("text"),
        QStringLiteral("needle-in-the-log"));
    const QCommandLineOption buildsOption(QStringLiteral("builds"),
                                          QStringLiteral("Builds in the filtered table."),
                                          QStringLiteral("n"));
    parser.addOptions({logOption, findOption, buildsOption});
    parser.process(application);

    if (parser.isSet(logOption))
        return benchLog(application, parser.value(logOption), parser.value(findOption));
    if (parser.isSet(buildsOption))
        return benchFilter(parser.value(buildsOption).toInt());
    parser.showHelp(2);
}
