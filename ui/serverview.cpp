// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/serverview.h"

#include "ui/icons.h"
#include "ui/models/requestlogmodel.h"
#include "ui/servercontrol.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QTableView>
#include <QVBoxLayout>

namespace cic {

namespace {
constexpr int IgorPort = 8088;
}

ServerView::ServerView(QWidget *parent)
    : QWidget(parent)
    , m_log(new RequestLogModel(500, this))
{
    m_state = new QLabel(this);
    m_address = new QLabel(this);
    m_address->setTextInteractionFlags(Qt::TextBrowserInteraction);
    m_address->setOpenExternalLinks(true);
    m_port = new QSpinBox(this);
    m_port->setRange(0, 65535);
    m_port->setValue(IgorPort);
    m_port->setToolTip(tr("Port on 127.0.0.1; 0 picks a free one"));
    m_toggle = new QPushButton(this);
    auto *clear = new QPushButton(tr("Clear Log"), this);

    m_table = new QTableView(this);
    m_table->setModel(m_log);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    QHeaderView *header = m_table->horizontalHeader();
    header->setSectionResizeMode(RequestLogModel::Path, QHeaderView::Stretch);
    const QFontMetrics metrics = m_table->fontMetrics();
    const int padding = 2 * metrics.averageCharWidth();
    header->resizeSection(RequestLogModel::Time,
                          metrics.horizontalAdvance(QStringLiteral("00:00:00.000")) + padding);
    header->resizeSection(RequestLogModel::Method,
                          metrics.horizontalAdvance(QStringLiteral("DELETE")) + padding);
    header->resizeSection(RequestLogModel::Status,
                          metrics.horizontalAdvance(QStringLiteral("Status")) + padding);
    header->resizeSection(RequestLogModel::Elapsed,
                          metrics.horizontalAdvance(QStringLiteral("00000 ms")) + padding);

    auto *top = new QHBoxLayout;
    auto *icon = new QLabel(this);
    icon->setPixmap(icons::named(QStringLiteral("server")).pixmap(16, 16));
    top->addWidget(icon);
    top->addWidget(m_state);
    top->addWidget(m_address, 1);
    top->addWidget(new QLabel(tr("Port:"), this));
    top->addWidget(m_port);
    top->addWidget(m_toggle);
    top->addWidget(clear);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(top);
    layout->addWidget(m_table, 1);

    connect(m_toggle, &QPushButton::clicked, this, &ServerView::toggle);
    connect(clear, &QPushButton::clicked, m_log, &RequestLogModel::clear);
    updateState();
}

void ServerView::setServer(ServerControl *server)
{
    if (m_server)
        disconnect(m_server, nullptr, this, nullptr);
    m_server = server;
    if (server) {
        connect(server, &ServerControl::stateChanged, this, &ServerView::updateState);
        connect(server, &ServerControl::requestHandled, m_log, &RequestLogModel::add);
        m_port->setValue(server->port());
    }
    updateState();
}

void ServerView::toggle()
{
    if (!m_server)
        return;
    if (m_server->isListening()) {
        m_server->stop();
    } else if (!m_server->start(quint16(m_port->value()))) {
        updateState();
        return;
    } else if (m_port->value() != 0) {
        QSettings().setValue(QStringLiteral("server/port"), m_port->value()); // the next start's
    }
    updateState();
}

void ServerView::updateState()
{
    const bool available = m_server != nullptr;
    const bool listening = available && m_server->isListening();
    m_toggle->setEnabled(available);
    m_port->setEnabled(available && !listening);
    m_toggle->setText(listening ? tr("Stop") : tr("Start"));
    if (!available) {
        m_state->setText(tr("<b>Not available</b> in this build"));
        m_address->clear();
        return;
    }
    if (listening)
        m_state->setText(tr("<b>Listening</b>"));
    else if (!m_server->errorString().isEmpty())
        m_state->setText(tr("<b>Stopped</b>: %1").arg(m_server->errorString().toHtmlEscaped()));
    else
        m_state->setText(tr("<b>Stopped</b>"));
    m_port->setValue(m_server->port());
    const QString url = m_server->baseUrl().toString();
    m_address->setText(listening ? QStringLiteral("<a href=\"%1\">%1</a>").arg(url.toHtmlEscaped())
                                 : QString());
}

} // namespace cic
