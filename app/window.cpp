// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/commands.h"
#include "app/context.h"
#include "core/server/igorserver.h"

#include <QApplication>
#include <QIcon>
#include <QLabel>
#include <QMainWindow>

namespace cic::app {

int runWindow(int argc, char **argv)
{
    // The installed desktop entry and icon carry the application id, so that Wayland
    // compositors and X11 task bars show the application's own name and icon.
    QGuiApplication::setDesktopFileName(QStringLiteral(CIC_APP_ID));
    QApplication application(argc, argv);
    QApplication::setWindowIcon(QIcon::fromTheme(QStringLiteral(CIC_APP_ID)));

    // The window serves igor's API too, from the same store it shows.
    Context context(ContextOptions{});
    context.loadNow();
    ServerOptions options;
    options.scmMasters = context.scmMasters();
    IgorServer server(context.registry(), options);
    const Result<quint16> started = server.start();

    QMainWindow window;
    window.setWindowTitle(QStringLiteral("CI Companion"));
    auto *status = new QLabel(&window);
    status->setText(
        started ? QStringLiteral("Serving igor's /ci API on %1").arg(server.baseUrl().toString())
                : QStringLiteral("Not serving igor's /ci API: %1").arg(started.error()));
    status->setMargin(12);
    window.setCentralWidget(status);
    window.show();
    return application.exec();
}

} // namespace cic::app
