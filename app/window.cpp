// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/commands.h"

#include <QApplication>
#include <QIcon>
#include <QMainWindow>

namespace cic::app {

int runWindow(int argc, char **argv)
{
    // The installed desktop entry and icon carry the application id, so that Wayland
    // compositors and X11 task bars show the application's own name and icon.
    QGuiApplication::setDesktopFileName(QStringLiteral(CIC_APP_ID));
    QApplication application(argc, argv);
    QApplication::setWindowIcon(QIcon::fromTheme(QStringLiteral(CIC_APP_ID)));
    QMainWindow window;
    window.setWindowTitle(QStringLiteral("CI Companion"));
    window.show();
    return application.exec();
}

} // namespace cic::app
