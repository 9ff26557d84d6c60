// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/commands.h"
#include "app/config_context.h"
#include "app/context.h"

#include "core/scm/comparecommitsroute.h"
#include "core/mock/mockcontrol.h"
#include "core/mock/mockinterceptor.h"
#include "core/config/secret.h"

#include "core/server/igorserver.h"
#include "core/store/buildstore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
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

// What makes serve a local igor mock beyond its scenarios: the control API, latency and
// faults, the journal.
struct MockSetup
{
    bool control = false;
    QStringList latency; // ROUTE=MS or ROUTE=MIN-MAX
    qsizetype journalSize = 10000;
};

// Installs the control API and the rules on the server; a message when the options are wrong.
std::optional<QString> setUpMock(const MockSetup &setup, Context &context, IgorServer &server)
{
    if (setup.control) {
        if (const std::optional<QString> refused = mock::controlRefusedOn(server.options().address))
            return QStringLiteral("--control: %1").arg(*refused);
    }

    auto policy = std::make_shared<mock::RequestPolicy>();
    for (const QString &spec : setup.latency) {
        const Result<mock::LatencyRule> rule = mock::LatencyRule::fromSpec(spec);
        if (!rule)
            return QStringLiteral("--latency: %1").arg(rule.error());
        policy->setLatency(*rule);
    }
    if (!setup.control && setup.latency.isEmpty())
        return std::nullopt;

    auto journal = std::make_shared<mock::RequestJournal>(setup.journalSize);
    server.setInterceptor(std::make_shared<mock::MockInterceptor>(policy, journal));
    if (!setup.control)
        return std::nullopt;

    auto *control = new mock::MockControl(context.mockSources(), policy, journal, &context);
    for (const http::Route &route : control->routes()) {
        if (!server.addRoute(route))
            return QStringLiteral("the control route %1 cannot be served").arg(route.pattern);
    }
    return std::nullopt;
}

} // namespace

int runServe(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "ci-companion serve: answer Spinnaker igor's /ci API (GET /ci/builds, "
        "GET /ci/builds/{buildId}/output, GET /scm/masters, GET /health) from fixture data, "
        "as a local igor mock for Spinnaker development (docs/mock.md): the fixture sets' "
        "scenarios play, and --control opens the control API under /_mock.\n"
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
    const QCommandLineOption controlOption(
        QStringLiteral("control"),
        QStringLiteral("Serve the mock's control API under /_mock: change builds and logs, "
                       "drive scenarios, add latency and faults, read the request journal. "
                       "Loopback only."));
    const QCommandLineOption noScenariosOption(
        QStringLiteral("no-scenarios"),
        QStringLiteral("Serve the fixture sets as their files say, without playing their "
                       "scenarios."));
    const QCommandLineOption noAutostartOption(
        QStringLiteral("no-autostart"),
        QStringLiteral("Load the scenarios but start none until asked through the control API."));
    const QCommandLineOption latencyOption(
        QStringLiteral("latency"),
        QStringLiteral("Delay the answers of a route: ROUTE=MS or ROUTE=MIN-MAX, e.g. "
                       "/ci/builds=2000 or '/ci/**=500-3000'; repeat for several."),
        QStringLiteral("ROUTE=MS"));
    const QCommandLineOption journalOption(
        QStringLiteral("journal-size"),
        QStringLiteral("Requests the control API's journal keeps (default 10000)."),
        QStringLiteral("N"));
    parser.addOptions({listenOption, fixturesOption, tokenOption, noWatchOption, keepAnsiOption,
                       controlOption, noScenariosOption, noAutostartOption, latencyOption,
                       journalOption});
    addConfigOption(parser);
    parseOrExit(parser, arguments, "serve");
    if (headlessFallback())
        printLine(stderr, QStringLiteral("ci-companion: no display; running the headless server "
                                         "(ci-companion serve)"));

    if (!parser.positionalArguments().isEmpty()) {
        printLine(stderr,
                  QStringLiteral("ci-companion serve: unexpected argument \"%1\"; see "
                                 "ci-companion serve --help")
                      .arg(parser.positionalArguments().constFirst()));
        return 2;
    }

    // The configuration's sources and server settings; the command line wins over it.
    QTextStream configErrors(stderr);
    const std::optional<LoadedConfig> loaded = loadConfig(parser, configErrors);
    if (!loaded)
        return 2;
    const bool configured = loaded->exists;

    ServerOptions options;
    const QString listen = parser.isSet(listenOption)
        ? parser.value(listenOption)
        : (configured ? loaded->config.server.listen : QString());
    if (!listen.isEmpty()) {
        QString error;
        const std::optional<ListenAddress> address = parseListen(listen, &error);
        if (!address) {
            printLine(stderr, QStringLiteral("ci-companion serve: --listen: %1").arg(error));
            return 2;
        }
        options.address = address->host;
        options.port = address->port;
    }
    options.bearerToken = parser.isSet(tokenOption)
        ? parser.value(tokenOption)
        : qEnvironmentVariable("CIC_SERVER_TOKEN");
    if (!parser.isSet(tokenOption) && configured && loaded->config.server.token.isSet()) {
        const Result<QString> token = config::SecretResolver().resolve(loaded->config.server.token);
        if (!token) {
            printLine(stderr,
                      QStringLiteral("ci-companion serve: server.token: %1").arg(token.error()));
            return 2;
        }
        options.bearerToken = token.value();
    }
    options.stripAnsi = !parser.isSet(keepAnsiOption);

    MockSetup mockSetup;
    mockSetup.control = parser.isSet(controlOption);
    mockSetup.latency = parser.values(latencyOption);
    if (parser.isSet(journalOption)) {
        bool ok = false;
        mockSetup.journalSize = parser.value(journalOption).toLongLong(&ok);
        if (!ok || mockSetup.journalSize < 1) {
            printLine(stderr, QStringLiteral("ci-companion serve: --journal-size: \"%1\" is not "
                                             "a number of requests")
                                  .arg(parser.value(journalOption)));
            return 2;
        }
    }

    ContextOptions contextOptions;
    if (configured)
        contextOptions.config = loaded->config;
    contextOptions.fixtureDirs = parser.values(fixturesOption);
    contextOptions.watchFixtures = !parser.isSet(noWatchOption);
    contextOptions.mock = true;
    contextOptions.mockOptions.scenarios = !parser.isSet(noScenariosOption);
    contextOptions.mockOptions.autostart = !parser.isSet(noAutostartOption);
    QElapsedTimer loading;
    loading.start();
    Context context(contextOptions);
    for (const QString &problem : context.problems())
        printLine(stderr, QStringLiteral("ci-companion serve: %1").arg(problem));
    context.loadNow();
    const qint64 loadedMs = loading.elapsed();
    options.scmMasters = context.scmMasters();

    IgorServer server(context.registry(), options);
    scm::addCompareCommitsRoutes(server, context.compareService());
    if (const std::optional<QString> wrong = setUpMock(mockSetup, context, server)) {
        printLine(stderr, QStringLiteral("ci-companion serve: %1").arg(*wrong));
        return 2;
    }
    const Result<quint16> started = server.start();
    if (!started) {
        printLine(stderr, QStringLiteral("ci-companion serve: %1").arg(started.error()));
        return 1;
    }

    printLine(stdout, QStringLiteral("listening on %1").arg(server.baseUrl().toString()));
    printLine(stdout, QStringLiteral("serving %1 builds (loaded in %2 ms, listening after %3 ms)")
                          .arg(context.store()->size())
                          .arg(loadedMs)
                          .arg(loading.elapsed()));
    for (mock::MockSource *source : context.mockSources()) {
        for (const mock::ScenarioEngine::Status &status : source->engine()->statuses()) {
            printLine(stdout, QStringLiteral("scenario %1 (%2): %3")
                                  .arg(status.name, source->name(),
                                       mock::ScenarioEngine::stateName(status.state)));
        }
    }
    if (mockSetup.control)
        printLine(stdout, QStringLiteral("control API on %1/_mock")
                              .arg(server.baseUrl().toString()));
    return QCoreApplication::exec();
}

} // namespace cic::app
