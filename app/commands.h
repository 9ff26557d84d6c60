// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

class QCommandLineParser;

namespace cic::app {

// A headless command: `ci-companion NAME [options]`. Each runs inside a QCoreApplication that
// main() has already made, and returns the process exit code.
struct Command
{
    const char *name;
    const char *summary;
    int (*run)(const QStringList &arguments);
};

// Parses a command's arguments as QCommandLineParser::process does, but a bad option exits
// with 2, the code for a usage error, after saying what was wrong and where help is.
void parseOrExit(QCommandLineParser &parser, const QStringList &arguments, const char *command);

// Set when there is no display and `serve` runs in the window's place: serve says so once its
// options have been read, so that a bad option is not preceded by that notice.
void setHeadlessFallback(bool fallback);
bool headlessFallback();

// Every command, in the order `--help` lists them.
const QList<Command> &commands();

// The window; runs its own QApplication.
int runWindow(int argc, char **argv);

} // namespace cic::app
