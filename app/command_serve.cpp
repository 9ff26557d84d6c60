// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/commands.h"
#include "app/context.h"
#include "core/server/igorserver.h"
#include "core/store/buildstore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QHostAddress>

#include <cstdio>
#include <optional>

namespace cic::app {

namespace {

constexpr quint16 DefaultPort = 8088;

struct ListenAddress
{
    QHostAddress host;
    quint16 port = DefaultPort;
};

// HOST:PORT, [IPv6]:PORT, HOST or :PORT. HOST is an IP address, `localhost` or `*` (every
// interface); names are not looked up, so what the server binds is what was written.
std::optional<ListenAddress> parseListen(const QString &text, QString *error)
{
    QString host = text.trimmed();
    QString port;

    if (host.startsWith(QLatin1Char('['))) {
        const qsizetype close = host.indexOf(QLatin1Char(']'));
        if (close < 0) {
            *error = QStringLiteral("\"%1\" opens [ without closing it").arg(text);
            return std::nullopt;
        }
        const QString rest = host.mid(close + 1);
        if (!rest.isEmpty() && !rest.startsWith(QLatin1Char(':'))) {
            *error = QStringLiteral("\"%1\" has something other than :PORT after ]").arg(text);
            return std::nullopt;
        }
        port = rest.mid(1);
        host = host.mid(1, close - 1);
    } else if (host.count(QLatin1Char(':')) == 1) {
        port = host.section(QLatin1Char(':'), 1);
        host = host.section(QLatin1Char(':'), 0, 0);
    }

    ListenAddress address;
    if (host.isEmpty() || host == QLatin1String("localhost"))
        address.host = QHostAddress(QHostAddress::LocalHost);
    else if (host == QLatin1String("*"))
        address.host = QHostAddress(QHostAddress::Any);
    else if (!address.host.setAddress(host)) {
        *error = QStringLiteral("\"%1\" is not an IP address (or localhost, or *)").arg(host);
        return std::nullopt;
    }

    if (!port.isEmpty()) {
        bool ok = false;
        const uint number = port.toUInt(&ok);
        if (!ok || number > 65535) {
            *error = QStringLiteral("\"%1\" is not a port number").arg(port);
            return std::nullopt;
        }
        address.port = quint16(number);
    }
    return address;
}

void printLine(std::FILE *stream, const QString &line)
{
    std::fputs(qUtf8Printable(line + QLatin1Char('\n')), stream);
    std::fflush(stream);
}

} // namespace

int runServe(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "ci-companion serve: answer Spinnaker igor's /ci API (GET /ci/builds, "
        "GET /ci/builds/{buildId}/output, GET /scm/masters, GET /health) from fixture data.\n"
        "With no --fixtures, serves the bundled demo set."));
    parser.addHelpOption();

    const QCommandLineOption listenOption(
        QStringLiteral("listen"),
        QStringLiteral("Where to listen: HOST:PORT, [IPv6]:PORT, HOST or :PORT (default "
                       "127.0.0.1:8088; port 0 picks a free one). Beyond loopback a token is "
                       "required."),
        QStringLiteral("HOST:PORT"));
    const QCommandLineOption fixturesOption(
        QStringLiteral("fixtures"),
        QStringLiteral("A fixture directory to serve (see docs/fixture-format.md); repeat for "
                       "several. Each is a source named after its directory."),
        QStringLiteral("DIR"));
    const QCommandLineOption tokenOption(
        QStringLiteral("token"),
        QStringLiteral("Bearer token every request must carry (Authorization: Bearer T). "
                       "Default: the CIC_SERVER_TOKEN environment variable."),
        QStringLiteral("T"));
    const QCommandLineOption noWatchOption(
        QStringLiteral("no-watch"),
        QStringLiteral("Do not reload fixture files when they change."));
    const QCommandLineOption keepAnsiOption(
        QStringLiteral("keep-ansi"),
        QStringLiteral("Serve logs with their ANSI escapes unless a request says ?ansi=strip "
                       "(by default they are stripped unless it says ?ansi=keep)."));
    parser.addOptions({listenOption, fixturesOption, tokenOption, noWatchOption, keepAnsiOption});
    parser.process(arguments);

    if (!parser.positionalArguments().isEmpty()) {
        printLine(stderr,
                  QStringLiteral("ci-companion serve: unexpected argument \"%1\"; see "
                                 "ci-companion serve --help")
                      .arg(parser.positionalArguments().constFirst()));
        return 2;
    }

    ServerOptions options;
    if (parser.isSet(listenOption)) {
        QString error;
        const std::optional<ListenAddress> address
            = parseListen(parser.value(listenOption), &error);
        if (!address) {
            printLine(stderr, QStringLiteral("ci-companion serve: --listen: %1").arg(error));
            return 2;
        }
        options.address = address->host;
        options.port = address->port;
    }
    options.bearerToken = parser.isSet(tokenOption) ? parser.value(tokenOption)
                                                    : qEnvironmentVariable("CIC_SERVER_TOKEN");
    options.stripAnsi = !parser.isSet(keepAnsiOption);

    ContextOptions contextOptions;
    contextOptions.fixtureDirs = parser.values(fixturesOption);
    contextOptions.watchFixtures = !parser.isSet(noWatchOption);
    Context context(contextOptions);
    for (const QString &problem : context.problems())
        printLine(stderr, QStringLiteral("ci-companion serve: fixtures: %1").arg(problem));
    context.loadNow();
    options.scmMasters = context.scmMasters();

    IgorServer server(context.registry(), options);
    const Result<quint16> started = server.start();
    if (!started) {
        printLine(stderr, QStringLiteral("ci-companion serve: %1").arg(started.error()));
        return 1;
    }

    printLine(stdout, QStringLiteral("listening on %1").arg(server.baseUrl().toString()));
    printLine(stdout, QStringLiteral("serving %1 builds").arg(context.store()->size()));
    return QCoreApplication::exec();
}

} // namespace cic::app
