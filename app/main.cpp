// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/commands.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QTextStream>

#include <cstdio>
#include <cstring>

namespace {

void printUsage(QTextStream &out)
{
    out << "Usage: ci-companion [COMMAND] [OPTIONS]\n\n"
        << "Browse CI builds, logs and artifact versions, and serve them as Spinnaker igor's\n"
        << "/ci API. With no command, opens the window (or, where there is no display, runs\n"
        << "the server).\n\nCommands:\n";
    for (const cic::app::Command &command : cic::app::commands())
        out << QStringLiteral("  %1 %2\n").arg(QString::fromLatin1(command.name), -10)
                   .arg(QString::fromUtf8(command.summary));
    out << "\nWindow options (with no command): --fixtures DIR, --config FILE, --open-build ID,\n"
        << "  --tab NAME, --show-server, --port PORT, --no-serve, --theme MODE, --log FILE\n"
        << "  (man ci-companion says what each does).\n"
        << "\nRun `ci-companion COMMAND --help` for a command's options.\n"
        << "  --version  print the version\n"
        << "  --help     print this help\n";
}

bool hasDisplay()
{
#if defined(Q_OS_LINUX) || defined(Q_OS_FREEBSD)
    return qEnvironmentVariableIsSet("DISPLAY") || qEnvironmentVariableIsSet("WAYLAND_DISPLAY")
        || qEnvironmentVariableIsSet("QT_QPA_PLATFORM");
#else
    return true;
#endif
}

const cic::app::Command *findCommand(const char *name)
{
    for (const cic::app::Command &command : cic::app::commands()) {
        if (std::strcmp(command.name, name) == 0)
            return &command;
    }
    return nullptr;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication::setOrganizationName(QStringLiteral("ci-companion"));
    QCoreApplication::setApplicationName(QStringLiteral("ci-companion"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CIC_VERSION));

    // The core's debug lines (what was indexed, each request's route) are for developers;
    // QT_LOGGING_RULES=cicompanion.*.debug=true brings them back.
    if (!qEnvironmentVariableIsSet("QT_LOGGING_RULES"))
        QLoggingCategory::setFilterRules(QStringLiteral("cicompanion.*.debug=false"));

    const char *first = argc > 1 ? argv[1] : nullptr;
    if (first && (std::strcmp(first, "--version") == 0 || std::strcmp(first, "-v") == 0)) {
        std::printf("ci-companion %s\n", CIC_VERSION);
        return 0;
    }
    if (first && (std::strcmp(first, "--help") == 0 || std::strcmp(first, "-h") == 0)) {
        QTextStream out(stdout);
        printUsage(out);
        return 0;
    }

    const cic::app::Command *command = first && first[0] != '-' ? findCommand(first) : nullptr;
    if (first && first[0] != '-' && !command) {
        QTextStream err(stderr);
        err << "ci-companion: unknown command '" << first << "'\n\n";
        printUsage(err);
        return 2;
    }

    if (!command && !hasDisplay()) {
        command = findCommand("serve");
        cic::app::setHeadlessFallback(true);
    }
    if (!command)
        return cic::app::runWindow(argc, argv);

    QCoreApplication application(argc, argv);
    QStringList arguments = QCoreApplication::arguments();
    if (arguments.size() > 1 && arguments.at(1) == QLatin1String(command->name))
        arguments.removeAt(1);
    return command->run(arguments);
}
