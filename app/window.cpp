// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/commands.h"

#include "core/providers/fixtures/fixtureprovider.h"
#include "core/service/sourceregistry.h"
#include "core/store/buildstore.h"
#include "ui/builddetails.h"
#include "ui/icons.h"
#include "ui/logview/logpanel.h"
#include "ui/mainwindow.h"
#include "ui/theme.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QTimer>

namespace cic::app {

namespace {

int tabOf(const QString &name)
{
    static const QStringList tabs = {QStringLiteral("summary"), QStringLiteral("log"),
                                     QStringLiteral("artifacts"), QStringLiteral("tests"),
                                     QStringLiteral("changes")};
    return int(tabs.indexOf(name.toLower()));
}

} // namespace

int runWindow(int argc, char **argv)
{
    QApplication application(argc, argv);
    QApplication::setWindowIcon(icons::named(QStringLiteral("app")));
    QApplication::setDesktopFileName(QStringLiteral("ci-companion"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Browse CI builds, logs and artifact versions."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption fixturesOption(QStringLiteral("fixtures"),
        QStringLiteral("Browse a fixture set directory (repeatable)."), QStringLiteral("dir"));
    const QCommandLineOption buildOption(QStringLiteral("open-build"),
        QStringLiteral("Select this build once it is loaded."), QStringLiteral("id"));
    const QCommandLineOption tabOption(QStringLiteral("tab"),
        QStringLiteral("Show this tab of the build: summary, log, artifacts, tests, changes."),
        QStringLiteral("name"));
    const QCommandLineOption serverOption(QStringLiteral("show-server"),
        QStringLiteral("Show the server view."));
    const QCommandLineOption themeOption(QStringLiteral("theme"),
        QStringLiteral("system, light or dark (remembered)."), QStringLiteral("mode"));
    const QCommandLineOption logOption(QStringLiteral("log"),
        QStringLiteral("Open a log file in the log viewer."), QStringLiteral("file"));
    parser.addOptions({fixturesOption, buildOption, tabOption, serverOption, themeOption, logOption});
    parser.process(application);

    if (parser.isSet(themeOption))
        QSettings().setValue(QStringLiteral("theme"), parser.value(themeOption));
    theme::apply(application, theme::modeFromString(QSettings().value(QStringLiteral("theme")).toString()));

    if (parser.isSet(logOption)) {
        auto *panel = new logview::LogPanel;
        panel->setAttribute(Qt::WA_DeleteOnClose);
        panel->setWindowTitle(QFileInfo(parser.value(logOption)).fileName()
                              + QStringLiteral(" — CI Companion"));
        panel->resize(1100, 750);
        if (!panel->openFile(parser.value(logOption))) {
            std::fprintf(stderr, "ci-companion: cannot open %s\n", qPrintable(parser.value(logOption)));
            return 1;
        }
        panel->show();
        return application.exec();
    }

    BuildStore store;
    SourceRegistry registry(&store);
    const QStringList fixtureDirs = parser.values(fixturesOption);
    for (const QString &dir : fixtureDirs)
        registry.addSource(new FixtureProvider(QFileInfo(dir).fileName(), QDir(dir).absolutePath()));
    if (fixtureDirs.isEmpty()) {
        // Nothing configured: the bundled demo set, so the window shows what it can do.
        registry.addSource(new FixtureProvider(QStringLiteral("demo"), QStringLiteral(":/demo")));
    }

    MainWindow window(&registry);
    if (parser.isSet(tabOption) && tabOf(parser.value(tabOption)) >= 0)
        window.details()->setCurrentIndex(tabOf(parser.value(tabOption)));
    if (parser.isSet(serverOption))
        window.showServerView();
    window.show();
    if (parser.isSet(buildOption)) {
        const QString id = parser.value(buildOption);
        auto *connection = new QMetaObject::Connection;
        *connection = QObject::connect(&store, &BuildStore::changed, &window, [&window, &store, id, connection] {
            if (const BuildPtr build = store.build(id)) {
                window.selectScope(build->source, build->project);
                window.selectBuild(id);
                QObject::disconnect(*connection);
                delete connection;
            }
        }, Qt::QueuedConnection);
    }
    registry.refresh();
    return application.exec();
}

} // namespace cic::app
