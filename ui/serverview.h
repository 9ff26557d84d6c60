// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QPointer>
#include <QWidget>

class QLabel;
class QPushButton;
class QSpinBox;
class QTableView;

namespace cic {

class RequestLogModel;
class ServerControl;

// The embedded igor server: its address and state, start and stop on a port, and the
// requests it answers as they come.
class ServerView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServerView)

public:
    explicit ServerView(QWidget *parent = nullptr);

    void setServer(ServerControl *server);
    ServerControl *server() const { return m_server; }
    RequestLogModel *requestLog() const { return m_log; }
    QSpinBox *portField() const { return m_port; }
    QPushButton *toggleButton() const { return m_toggle; }

private:
    void updateState();
    void toggle();

    QPointer<ServerControl> m_server;
    RequestLogModel *m_log;
    QLabel *m_state;
    QLabel *m_address;
    QSpinBox *m_port;
    QPushButton *m_toggle;
    QTableView *m_table;
};

} // namespace cic
