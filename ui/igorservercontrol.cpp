// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/igorservercontrol.h"

#include "core/server/igorserver.h"

#include <QLoggingCategory>

namespace cic {

namespace {
Q_LOGGING_CATEGORY(lcServerControl, "cicompanion.ui.server")
}

IgorServerControl::IgorServerControl(SourceRegistry *registry, const ServerOptions &options,
                                     QObject *parent)
    : ServerControl(parent)
    , m_registry(registry)
    , m_options(options)
{
}

IgorServerControl::~IgorServerControl()
{
    if (m_server)
        m_server->stop();
}

bool IgorServerControl::isListening() const
{
    return m_server && m_server->isListening();
}

QUrl IgorServerControl::baseUrl() const
{
    return m_server ? m_server->baseUrl() : QUrl();
}

quint16 IgorServerControl::port() const
{
    return isListening() ? m_server->port() : m_options.port;
}

bool IgorServerControl::start(quint16 port)
{
    if (isListening() && m_server->port() == port)
        return true;
    stop();

    m_options.port = port;
    m_server = std::make_unique<IgorServer>(m_registry, m_options);
    connect(m_server.get(), &IgorServer::requestHandled, this, [this](const RequestRecord &record) {
        Q_EMIT requestHandled({QString::fromLatin1(record.method), record.path, record.status,
                               record.elapsedUs / 1000, record.time});
    });
    connect(m_server.get(), &IgorServer::listeningChanged, this, &ServerControl::stateChanged);

    const Result<quint16> started = m_server->start();
    if (!started) {
        m_error = started.error();
        qCWarning(lcServerControl, "the igor server did not start: %s", qUtf8Printable(m_error));
        m_server.reset();
        Q_EMIT stateChanged();
        return false;
    }
    m_error.clear();
    Q_EMIT stateChanged();
    return true;
}

void IgorServerControl::stop()
{
    if (!m_server)
        return;
    m_server->stop();
    m_server.reset();
    Q_EMIT stateChanged();
}

} // namespace cic
