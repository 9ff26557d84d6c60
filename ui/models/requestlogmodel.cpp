// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/models/requestlogmodel.h"

#include "ui/theme.h"

#include <QColor>
#include <QLocale>

namespace cic {

RequestLogModel::RequestLogModel(int capacity, QObject *parent)
    : QAbstractTableModel(parent)
    , m_capacity(qMax(1, capacity))
{
}

void RequestLogModel::add(const RequestEntry &entry)
{
    beginInsertRows({}, 0, 0);
    m_entries.push_front(entry);
    endInsertRows();
    trim();
}

void RequestLogModel::clear()
{
    beginResetModel();
    m_entries.clear();
    endResetModel();
}

void RequestLogModel::setCapacity(int capacity)
{
    m_capacity = qMax(1, capacity);
    trim();
}

void RequestLogModel::trim()
{
    const int size = int(m_entries.size());
    if (size <= m_capacity)
        return;
    beginRemoveRows({}, m_capacity, size - 1);
    m_entries.resize(size_t(m_capacity));
    endRemoveRows();
}

int RequestLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int RequestLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RequestLogModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const RequestEntry &entry = m_entries[size_t(index.row())];

    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Time:
            return QLocale().toString(entry.time.toLocalTime().time(),
                                      QStringLiteral("HH:mm:ss.zzz"));
        case Method:
            return entry.method;
        case Path:
            return entry.path;
        case Status:
            return entry.status;
        case Elapsed:
            return tr("%1 ms").arg(entry.elapsedMs);
        }
    }
    if (role == Qt::ForegroundRole && index.column() == Status) {
        const bool dark = theme::isDark();
        if (entry.status >= 500)
            return dark ? QColor(0xff, 0x7b, 0x72) : QColor(0xcf, 0x22, 0x2e);
        if (entry.status >= 400)
            return dark ? QColor(0xe3, 0xb3, 0x41) : QColor(0x9a, 0x67, 0x00);
        return dark ? QColor(0x57, 0xc7, 0x6a) : QColor(0x1a, 0x7f, 0x37);
    }
    if (role == Qt::ToolTipRole && index.column() == Path)
        return entry.path;
    if (role == Qt::TextAlignmentRole && (index.column() == Status || index.column() == Elapsed))
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant RequestLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Time:
        return tr("Time");
    case Method:
        return tr("Method");
    case Path:
        return tr("Path");
    case Status:
        return tr("Status");
    case Elapsed:
        return tr("Took");
    }
    return {};
}

} // namespace cic
