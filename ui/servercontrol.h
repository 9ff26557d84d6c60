// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ui/models/requestlogmodel.h"

#include <QObject>
#include <QUrl>

namespace cic {

// What the window needs of the embedded igor server: start and stop it on a port, know its
// address, and hear of each request it answers. The app adapts the server to this, so the
// server view does not depend on how the server is built.
class ServerControl : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;
    ~ServerControl() override = default;

    virtual bool isListening() const = 0;
    virtual QUrl baseUrl() const = 0;
    virtual quint16 port() const = 0;

    // Starts listening on loopback at the port (0 picks a free one); false with a message in
    // errorString() when it cannot, for example because the port is taken.
    virtual bool start(quint16 port) = 0;
    virtual void stop() = 0;
    virtual QString errorString() const = 0;

Q_SIGNALS:
    void stateChanged();
    void requestHandled(const cic::RequestEntry &entry);
};

} // namespace cic
