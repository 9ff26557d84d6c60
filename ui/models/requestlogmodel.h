// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QAbstractTableModel>
#include <QDateTime>

#include <deque>

namespace cic {

// One request the embedded server answered.
struct RequestEntry
{
    QString method;
    QString path;
    int status = 0;
    qint64 elapsedMs = 0;
    QDateTime time;
};

// The server view's request log: the newest requests on top, capped to the last N so a busy
// client cannot grow it without bound.
class RequestLogModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RequestLogModel)

public:
    enum Column { Time, Method, Path, Status, Elapsed, ColumnCount };

    explicit RequestLogModel(int capacity = 500, QObject *parent = nullptr);

    void add(const RequestEntry &entry);
    void clear();

    int capacity() const { return m_capacity; }
    void setCapacity(int capacity);

    const RequestEntry &entry(int row) const { return m_entries[size_t(row)]; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    void trim();

    std::deque<RequestEntry> m_entries; // newest first
    int m_capacity;
};

} // namespace cic
