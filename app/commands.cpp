// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/commands.h"

#include <QCommandLineParser>

#include <cstdio>
#include <cstdlib>

namespace cic::app {

int runServe(const QStringList &arguments);
int runBuilds(const QStringList &arguments);
int runLog(const QStringList &arguments);
int runRecord(const QStringList &arguments);
int runCheck(const QStringList &arguments);
int runCompare(const QStringList &arguments);

const QList<Command> &commands()
{
    static const QList<Command> all = {
        {"serve", "run only the igor-compatible server (fixtures, or the demo set)", runServe},
        {"builds", "answer a build query from the configured sources (JSON or a table)", runBuilds},
        {"log", "print a build's log; --follow keeps printing while it runs", runLog},
        {"record", "snapshot a source's builds and logs into a fixture set", runRecord},
        {"check", "test each configured source: address, credentials, crumb, TLS, proxy", runCheck},
        {"compare", "what changed between two versions of an artifact: commits and files",
         runCompare},
    };
    return all;
}

namespace {
bool g_headlessFallback = false;
}

void setHeadlessFallback(bool fallback)
{
    g_headlessFallback = fallback;
}

bool headlessFallback()
{
    return g_headlessFallback;
}

void parseOrExit(QCommandLineParser &parser, const QStringList &arguments, const char *command)
{
    if (!parser.parse(arguments)) {
        if (g_headlessFallback) {
            std::fprintf(stderr,
                         "ci-companion: %s\nThere is no display, so the window cannot open and "
                         "ci-companion runs serve in its place; run 'ci-companion serve --help' "
                         "for the options it takes.\n",
                         qPrintable(parser.errorText()));
        } else {
            std::fprintf(stderr,
                         "ci-companion %s: %s\nRun 'ci-companion %s --help' for its options.\n",
                         command, qPrintable(parser.errorText()), command);
        }
        std::exit(2);
    }
    if (parser.isSet(QStringLiteral("help")) || parser.isSet(QStringLiteral("help-all"))) {
        // Qt's first line names the program by its path and leaves the command out.
        QString text = parser.helpText();
        const qsizetype lineEnd = text.indexOf(QLatin1Char('\n'));
        const qsizetype options = text.indexOf(QLatin1String(" [options]"));
        if (options >= 0 && options < lineEnd)
            text.replace(0, options,
                         QStringLiteral("Usage: ci-companion %1").arg(QLatin1String(command)));
        std::fputs(qPrintable(text), stdout);
        std::exit(0);
    }
}

} // namespace cic::app
