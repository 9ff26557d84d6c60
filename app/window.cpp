// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/commands.h"
#include "app/context.h"
#include "core/config/configloader.h"
#include "core/server/igorserver.h"
#include "core/service/sourceregistry.h"
#include "core/store/buildstore.h"
#include "ui/builddetails.h"
#include "ui/configsettingsbackend.h"
#include "ui/icons.h"
#include "ui/igorservercontrol.h"
#include "ui/logview/logpanel.h"
#include "ui/mainwindow.h"
#include "ui/theme.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QIcon>
#include <QSettings>

#include <cstdio>

namespace cic::app {

namespace {

constexpr quint16 IgorPort = 8088;

int tabOf(const QString &name)
{
    static const QStringList tabs
        = {QStringLiteral("summary"), QStringLiteral("log"), QStringLiteral("artifacts"),
           QStringLiteral("tests"), QStringLiteral("changes")};
    return int(tabs.indexOf(name.toLower()));
}

int runLogViewer(QApplication &application, const QString &path)
{
    logview::LogPanel panel;
    panel.setWindowTitle(QFileInfo(path).fileName() + QStringLiteral(" — CI Companion"));
    panel.resize(1100, 750);
    if (!panel.openFile(path)) {
        std::fprintf(stderr, "ci-companion: cannot open %s\n", qPrintable(path));
        return 1;
    }
    panel.show();
    return application.exec();
}

} // namespace

int runWindow(int argc, char **argv)
{
    // The installed desktop entry and icon carry the application id, so that Wayland
    // compositors and X11 task bars show the application's own name and icon.
    QGuiApplication::setDesktopFileName(QStringLiteral(CIC_APP_ID));
    QApplication application(argc, argv);
    QApplication::setWindowIcon(
        QIcon::fromTheme(QStringLiteral(CIC_APP_ID), icons::named(QStringLiteral("app"))));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Browse CI builds, logs and artifact versions."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption fixturesOption(
        QStringLiteral("fixtures"), QStringLiteral("Browse a fixture set directory (repeatable)."),
        QStringLiteral("dir"));
    const QCommandLineOption buildOption(QStringLiteral("open-build"),
                                         QStringLiteral("Select this build once it is loaded."),
                                         QStringLiteral("id"));
    const QCommandLineOption tabOption(
        QStringLiteral("tab"),
        QStringLiteral("Show this tab of the build: summary, log, artifacts, tests, changes."),
        QStringLiteral("name"));
    const QCommandLineOption serverOption(QStringLiteral("show-server"),
                                          QStringLiteral("Show the server view."));
    const QCommandLineOption portOption(
        QStringLiteral("port"),
        QStringLiteral("Serve igor's API on this loopback port (default 8088, remembered)."),
        QStringLiteral("port"));
    const QCommandLineOption noServeOption(
        QStringLiteral("no-serve"),
        QStringLiteral("Do not start the igor server with the window."));
    const QCommandLineOption themeOption(QStringLiteral("theme"),
                                         QStringLiteral("system, light or dark (remembered)."),
                                         QStringLiteral("mode"));
    const QCommandLineOption configOption(
        QStringLiteral("config"),
        QStringLiteral("The configuration file (default: %1).").arg(config::defaultConfigPath()),
        QStringLiteral("file"));
    const QCommandLineOption logOption(QStringLiteral("log"),
                                       QStringLiteral("Open a log file in the log viewer."),
                                       QStringLiteral("file"));
    parser.addOptions({fixturesOption, buildOption, tabOption, serverOption, portOption,
                       noServeOption, themeOption, configOption, logOption});
    parser.process(application);

    QSettings settings;
    if (parser.isSet(themeOption))
        settings.setValue(QStringLiteral("theme"), parser.value(themeOption));
    if (parser.isSet(portOption))
        settings.setValue(QStringLiteral("server/port"), parser.value(portOption).toUInt());
    theme::apply(application,
                 theme::modeFromString(settings.value(QStringLiteral("theme")).toString()));

    if (parser.isSet(logOption))
        return runLogViewer(application, parser.value(logOption));

    // The fixture sets named on the command line, else the configuration file's sources;
    // with neither, the bundled demo set, so the window shows what it can do.
    const QString configPath
        = parser.isSet(configOption) ? parser.value(configOption) : config::defaultConfigPath();
    ConfigSettingsBackend settingsBackend(configPath);
    if (!settingsBackend.loadError().isEmpty())
        std::fprintf(stderr, "ci-companion: %s\n", qPrintable(settingsBackend.loadError()));
    ContextOptions contextOptions;
    contextOptions.fixtureDirs = parser.values(fixturesOption);
    if (contextOptions.fixtureDirs.isEmpty())
        contextOptions.config = settingsBackend.config();
    // Fixture sets play their scenarios here as under serve: the builds run and their logs
    // grow in the window and in the server it runs.
    contextOptions.mock = true;
    Context context(contextOptions);
    for (const QString &problem : context.problems())
        std::fprintf(stderr, "ci-companion: %s\n", qPrintable(problem));
    context.loadNow();

    // The window serves igor's API too, from the same store it shows.
    ServerOptions serverOptions;
    serverOptions.scmMasters = context.scmMasters();
    IgorServerControl server(context.registry(), serverOptions);

    MainWindow window(context.registry());
    window.setServer(&server);
    window.setSettingsBackend(&settingsBackend);
    QObject::connect(&window, &MainWindow::sourcesSaved, &context,
                     [&] { context.applyConfig(settingsBackend.config()); });
    if (parser.isSet(tabOption) && tabOf(parser.value(tabOption)) >= 0)
        window.details()->setCurrentIndex(tabOf(parser.value(tabOption)));
    if (parser.isSet(serverOption))
        window.showServerView();
    if (parser.isSet(buildOption)) {
        const QString id = parser.value(buildOption);
        if (const BuildPtr build = context.store()->build(id)) {
            window.selectScope(build->source, build->project);
            window.selectBuild(id);
        } else {
            std::fprintf(stderr, "ci-companion: no build %s\n", qPrintable(id));
        }
    }
    window.show();

    if (!parser.isSet(noServeOption))
        server.start(quint16(settings.value(QStringLiteral("server/port"), IgorPort).toUInt()));
    return application.exec();
}

} // namespace cic::app
