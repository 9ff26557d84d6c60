// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/server/igorserver.h"

#include "core/server/httpadapter.h"
#include "core/server/igorapi.h"

#include <QLoggingCategory>
#include <QMetaMethod>
#include <QThread>

namespace cic {

namespace {
Q_LOGGING_CATEGORY(lcServer, "cicompanion.core.server")

bool validPattern(const QString &pattern)
{
    return pattern.startsWith(QLatin1Char('/'));
}

} // namespace

IgorServer::IgorServer(SourceRegistry *registry, const ServerOptions &options, QObject *parent)
    : QObject(parent)
    , m_registry(registry)
    , m_options(options)
{
    qRegisterMetaType<cic::RequestRecord>();
}

IgorServer::~IgorServer()
{
    stop();
}

bool IgorServer::addRoute(http::Methods methods, const QString &pattern, http::Handler handler,
                          QObject *context)
{
    if (!validPattern(pattern) || !handler) {
        qCWarning(lcServer, "route \"%s\" refused: not an absolute path or no handler",
                  qUtf8Printable(pattern));
        return false;
    }
    m_extraRoutes.append({methods, pattern, std::move(handler), {}, context});
    return true;
}

bool IgorServer::addDeferredRoute(http::Methods methods, const QString &pattern,
                                  http::DeferredHandler handler, QObject *context)
{
    if (!validPattern(pattern) || !handler) {
        qCWarning(lcServer, "route \"%s\" refused: not an absolute path or no handler",
                  qUtf8Printable(pattern));
        return false;
    }
    m_extraRoutes.append({methods, pattern, {}, std::move(handler), context});
    return true;
}

Result<quint16> IgorServer::start()
{
    if (m_adapter)
        return m_port;

    const QHostAddress &address = m_options.address;
    if (address.isNull())
        return Error{QStringLiteral("no address to listen on")};
    if (!address.isLoopback() && m_options.bearerToken.isEmpty()) {
        return Error{QStringLiteral("listening on %1 reaches beyond this machine, so it needs a "
                                    "bearer token: pass --token or set CIC_SERVER_TOKEN")
                         .arg(address.toString())};
    }

    auto *adapter = new http::HttpAdapter(m_options.limits);
    auto *api = new IgorApi(m_registry, m_options, adapter);
    for (const http::Route &route : api->routes() + m_extraRoutes) {
        if (!adapter->addRoute(route)) {
            delete adapter;
            return Error{QStringLiteral("the route %1 cannot be served").arg(route.pattern)};
        }
    }
    adapter->setBearerToken(m_options.bearerToken);

    auto *thread = new QThread;
    thread->setObjectName(QStringLiteral("igor-server"));
    adapter->moveToThread(thread);
    thread->start();

    Result<quint16> listening;
    QMetaObject::invokeMethod(
        adapter, [&] { listening = adapter->listen(address, m_options.port); },
        Qt::BlockingQueuedConnection);

    if (!listening) {
        QMetaObject::invokeMethod(
            adapter, [adapter] { delete adapter; }, Qt::BlockingQueuedConnection);
        thread->quit();
        thread->wait();
        delete thread;
        return listening;
    }

    m_adapter = adapter;
    m_thread = thread;
    m_port = listening.value();
    connect(adapter, &http::HttpAdapter::requestHandled, this, &IgorServer::requestHandled,
            Qt::QueuedConnection);
    updateRecording();

    qCInfo(lcServer, "serving igor's API on %s", qUtf8Printable(baseUrl().toString()));
    Q_EMIT listeningChanged(true);
    return m_port;
}

void IgorServer::stop()
{
    if (!m_adapter)
        return;

    http::HttpAdapter *adapter = std::exchange(m_adapter, nullptr);
    QMetaObject::invokeMethod(
        adapter, [adapter] { delete adapter; }, Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
    delete std::exchange(m_thread, nullptr);
    m_port = 0;
    Q_EMIT listeningChanged(false);
}

bool IgorServer::isListening() const
{
    return m_adapter != nullptr;
}

quint16 IgorServer::port() const
{
    return m_port;
}

QUrl IgorServer::baseUrl() const
{
    if (!m_adapter)
        return {};

    // A wildcard address is not one a client can use; its loopback is.
    QHostAddress host = m_options.address;
    if (host == QHostAddress::Any || host == QHostAddress::AnyIPv4)
        host = QHostAddress::LocalHost;
    else if (host == QHostAddress::AnyIPv6)
        host = QHostAddress::LocalHostIPv6;

    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(host.toString());
    url.setPort(m_port);
    return url;
}

void IgorServer::connectNotify(const QMetaMethod &signal)
{
    if (signal == QMetaMethod::fromSignal(&IgorServer::requestHandled))
        updateRecording();
}

void IgorServer::disconnectNotify(const QMetaMethod &signal)
{
    if (signal == QMetaMethod::fromSignal(&IgorServer::requestHandled))
        updateRecording();
}

void IgorServer::updateRecording()
{
    if (m_adapter)
        m_adapter->setRecording(
            isSignalConnected(QMetaMethod::fromSignal(&IgorServer::requestHandled)));
}

} // namespace cic
