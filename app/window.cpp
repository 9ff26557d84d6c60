// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/commands.h"

#include <QApplication>
#include <QMainWindow>

namespace cic::app {

int runWindow(int argc, char **argv)
{
    QApplication application(argc, argv);
    QMainWindow window;
    window.setWindowTitle(QStringLiteral("CI Companion"));
    window.show();
    return application.exec();
}

} // namespace cic::app
