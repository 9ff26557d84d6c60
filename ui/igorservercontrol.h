// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/server/serveroptions.h"
#include "ui/servercontrol.h"

#include <memory>

namespace cic {

class IgorServer;
class SourceRegistry;

// The embedded igor server behind the window's server view. A server listens on the port
// it was made with, so a start on another port makes a new one with the same options.
class IgorServerControl final : public ServerControl
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(IgorServerControl)

public:
    IgorServerControl(SourceRegistry *registry, const ServerOptions &options,
                      QObject *parent = nullptr);
    ~IgorServerControl() override;

    bool isListening() const override;
    QUrl baseUrl() const override;
    quint16 port() const override;
    bool start(quint16 port) override;
    void stop() override;
    QString errorString() const override { return m_error; }

    IgorServer *server() const { return m_server.get(); }

private:
    SourceRegistry *m_registry;
    ServerOptions m_options;
    std::unique_ptr<IgorServer> m_server;
    QString m_error;
};

} // namespace cic
