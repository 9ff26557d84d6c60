// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/models/buildfilterproxy.h"

#include "ui/models/buildtablemodel.h"

#include <QtConcurrent/QtConcurrentMap>

#include <algorithm>
#include <numeric>
#include <string_view>

namespace cic {

namespace {
// Below this many rows one thread filters faster than several can start.
constexpr size_t ParallelRows = 20000;
constexpr size_t ChunkCount = 8;
} // namespace

BuildFilterProxy::BuildFilterProxy(QObject *parent)
    : QAbstractProxyModel(parent)
{
}

void BuildFilterProxy::setSourceModel(QAbstractItemModel *model)
{
    QAbstractProxyModel::setSourceModel(model);
}

void BuildFilterProxy::setBuildModel(BuildTableModel *model)
{
    beginResetModel();
    if (m_model)
        disconnect(m_model, nullptr, this, nullptr);
    m_model = model;
    setSourceModel(model);

    if (model) {
        connect(model, &QAbstractItemModel::modelAboutToBeReset, this,
                [this] { beginResetModel(); });
        connect(model, &QAbstractItemModel::modelReset, this, [this] {
            resort();
            rebuildVisible();
            endResetModel();
        });
        connect(model, &BuildTableModel::changesAboutToBeApplied, this, [this] {
            onAboutToChangeRows();
            m_inBatch = true;
        });
        connect(model, &BuildTableModel::changesApplied, this, [this] {
            m_inBatch = false;
            onRowsChanged();
        });
        connect(model, &QAbstractItemModel::rowsAboutToBeInserted, this,
                &BuildFilterProxy::onAboutToChangeRows);
        connect(model, &QAbstractItemModel::rowsInserted, this, &BuildFilterProxy::onRowsChanged);
        connect(model, &QAbstractItemModel::rowsAboutToBeRemoved, this,
                &BuildFilterProxy::onAboutToChangeRows);
        connect(model, &QAbstractItemModel::rowsRemoved, this, &BuildFilterProxy::onRowsChanged);
        connect(model, &QAbstractItemModel::layoutAboutToBeChanged, this,
                &BuildFilterProxy::onAboutToChangeRows);
        connect(model, &QAbstractItemModel::layoutChanged, this, &BuildFilterProxy::onRowsChanged);
        connect(model, &QAbstractItemModel::dataChanged, this, &BuildFilterProxy::onDataChanged);
    }
    resort();
    rebuildVisible();
    endResetModel();
}

void BuildFilterProxy::setText(const QString &text)
{
    m_text = text;
    QList<QByteArray> words;
    for (const QString &word : text.toLower().split(QLatin1Char(' '), Qt::SkipEmptyParts))
        words.append(word.toUtf8());
    if (words == m_words)
        return;

    // Typing on at the end only narrows what is shown: then only the shown rows are tested.
    bool narrowing = words.size() >= m_words.size();
    for (qsizetype i = 0; narrowing && i < m_words.size(); ++i)
        narrowing = words[i].contains(m_words[i]);
    m_words = words;
    refilter(narrowing);
}

void BuildFilterProxy::setResults(ResultSet results)
{
    if (results == m_results)
        return;
    m_results = results;
    refilter();
}

void BuildFilterProxy::setBranch(const QString &branch)
{
    if (branch == m_branch)
        return;
    m_branch = branch;
    refilter();
}

void BuildFilterProxy::setRunningOnly(bool runningOnly)
{
    if (runningOnly == m_runningOnly)
        return;
    m_runningOnly = runningOnly;
    refilter();
}

bool BuildFilterProxy::acceptsRow(int sourceRow) const
{
    const BuildTableModel::Row &row = m_model->row(sourceRow);
    if (!(m_results & resultBit(row.result)))
        return false;
    if (m_runningOnly && !row.build->building)
        return false;
    if (!m_branch.isEmpty() && row.branch != m_branch)
        return false;
    // std::string_view's find (memchr, then memcmp) beats the rolling hash that
    // QByteArray::contains uses on short haystacks like these.
    const std::string_view haystack(row.haystack.constData(), size_t(row.haystack.size()));
    for (const QByteArray &word : m_words) {
        if (haystack.find(std::string_view(word.constData(), size_t(word.size())))
            == std::string_view::npos)
            return false;
    }
    return true;
}

bool BuildFilterProxy::lessThan(int left, int right) const
{
    const int order = m_model->compare(left, right, m_sortColumn);
    if (order != 0)
        return m_sortOrder == Qt::AscendingOrder ? order < 0 : order > 0;
    // Ties read newest first whichever way the column sorts, so a branch's builds stay in
    // the order they ran.
    const int age = m_model->compare(left, right, BuildTableModel::Started);
    if (age != 0)
        return age > 0;
    return left < right;
}

void BuildFilterProxy::resort()
{
    const int rows = m_model ? m_model->rowCount() : 0;
    m_order.resize(size_t(rows));
    std::iota(m_order.begin(), m_order.end(), 0);
    if (m_sortColumn >= 0 && rows > 1)
        std::sort(m_order.begin(), m_order.end(), [this](int a, int b) { return lessThan(a, b); });
}

void BuildFilterProxy::rebuildVisible(bool narrowing)
{
    if (!m_model) {
        m_visible.clear();
        m_proxyOf.clear();
        return;
    }

    // The rows shown are in sort order already, so a narrower filter only drops some.
    const std::vector<int> candidates = narrowing ? std::move(m_visible) : std::vector<int>();
    const std::vector<int> &from = narrowing ? candidates : m_order;
    m_visible.clear();
    m_visible.reserve(from.size());
    if (narrowing) {
        for (int sourceRow : candidates)
            m_proxyOf[size_t(sourceRow)] = -1;
    } else {
        m_proxyOf.assign(m_order.size(), -1);
    }
    // The verdicts are independent: big tables are split over the cores.
    std::vector<char> accepted(from.size());
    struct Chunk
    {
        size_t begin;
        size_t end;
    };
    auto judge = [&](const Chunk &chunk) {
        for (size_t i = chunk.begin; i < chunk.end; ++i)
            accepted[i] = acceptsRow(from[i]);
    };
    if (from.size() >= ParallelRows) {
        QList<Chunk> chunks;
        const size_t step = (from.size() + ChunkCount - 1) / ChunkCount;
        for (size_t begin = 0; begin < from.size(); begin += step)
            chunks.append({begin, std::min(from.size(), begin + step)});
        QtConcurrent::blockingMap(chunks, judge);
    } else {
        judge({0, from.size()});
    }

    for (size_t i = 0; i < from.size(); ++i) {
        if (accepted[i]) {
            m_proxyOf[size_t(from[i])] = int(m_visible.size());
            m_visible.push_back(from[i]);
        }
    }
}

void BuildFilterProxy::sort(int column, Qt::SortOrder order)
{
    m_sortColumn = column;
    m_sortOrder = order;
    relayout(true);
}

void BuildFilterProxy::refilter(bool narrowing)
{
    relayout(false, narrowing);
}

void BuildFilterProxy::relayout(bool resortRows, bool narrowing)
{
    // The persistent indexes (selection, current row) follow their builds.
    Q_EMIT layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    const QModelIndexList before = persistentIndexList();
    std::vector<int> sourceRows;
    sourceRows.reserve(size_t(before.size()));
    for (const QModelIndex &index : before)
        sourceRows.push_back(index.isValid() ? m_visible[size_t(index.row())] : -1);

    if (resortRows)
        resort();
    rebuildVisible(narrowing && !resortRows);

    QModelIndexList after;
    after.reserve(before.size());
    for (qsizetype i = 0; i < before.size(); ++i) {
        const int sourceRow = sourceRows[size_t(i)];
        const int proxyRow = sourceRow >= 0 ? m_proxyOf[size_t(sourceRow)] : -1;
        after.append(proxyRow >= 0 ? createIndex(proxyRow, before[i].column()) : QModelIndex());
    }
    changePersistentIndexList(before, after);
    Q_EMIT layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

void BuildFilterProxy::onAboutToChangeRows()
{
    if (m_inSourceChange || m_inBatch)
        return;
    m_inSourceChange = true;
    Q_EMIT layoutAboutToBeChanged();
    m_savedPersistent = persistentIndexList();
    m_savedIds.clear();
    for (const QModelIndex &index : std::as_const(m_savedPersistent)) {
        const int sourceRow = index.isValid() ? m_visible[size_t(index.row())] : -1;
        m_savedIds.append(sourceRow >= 0 ? m_model->row(sourceRow).build->id : QString());
    }
}

void BuildFilterProxy::onRowsChanged()
{
    if (!m_inSourceChange || m_inBatch)
        return;
    m_inSourceChange = false;
    resort();
    rebuildVisible();

    QModelIndexList after;
    after.reserve(m_savedPersistent.size());
    for (qsizetype i = 0; i < m_savedPersistent.size(); ++i) {
        const int sourceRow = m_savedIds[i].isEmpty() ? -1 : sourceRowOf(m_savedIds[i]);
        const int proxyRow = sourceRow >= 0 && sourceRow < int(m_proxyOf.size())
            ? m_proxyOf[size_t(sourceRow)]
            : -1;
        after.append(proxyRow >= 0 ? createIndex(proxyRow, m_savedPersistent[i].column())
                                   : QModelIndex());
    }
    changePersistentIndexList(m_savedPersistent, after);
    m_savedPersistent.clear();
    m_savedIds.clear();
    Q_EMIT layoutChanged();
}

void BuildFilterProxy::onDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight,
                                     const QList<int> &roles)
{
    if (m_inBatch)
        return; // the layout change that ends the batch repaints every row
    // Rows whose filter verdict or sort place changed need a new layout; the rest is
    // forwarded as it is.
    bool moved = false;
    const bool onlyText = roles.size() == 1 && roles.first() == Qt::DisplayRole
        && topLeft.column() == BuildTableModel::Started
        && bottomRight.column() == BuildTableModel::Started;
    if (!onlyText) {
        for (int row = topLeft.row(); row <= bottomRight.row() && !moved; ++row) {
            const int proxyRow = m_proxyOf[size_t(row)];
            if ((proxyRow >= 0) != acceptsRow(row)) {
                moved = true;
            } else if (proxyRow >= 0 && m_sortColumn >= 0) {
                const bool afterPrevious
                    = proxyRow == 0 || !lessThan(row, m_visible[size_t(proxyRow - 1)]);
                const bool beforeNext = proxyRow + 1 >= int(m_visible.size())
                    || !lessThan(m_visible[size_t(proxyRow + 1)], row);
                moved = !(afterPrevious && beforeNext);
            }
        }
    }
    if (moved) {
        relayout(true);
        return;
    }

    int first = INT_MAX;
    int last = -1;
    for (int row = topLeft.row(); row <= bottomRight.row(); ++row) {
        const int proxyRow = m_proxyOf[size_t(row)];
        if (proxyRow >= 0) {
            first = qMin(first, proxyRow);
            last = qMax(last, proxyRow);
        }
    }
    if (last >= 0)
        Q_EMIT dataChanged(index(first, topLeft.column()), index(last, bottomRight.column()),
                           roles);
}

int BuildFilterProxy::sourceRowOf(const QString &id) const
{
    // The model's own index is current after a batch; a lone change may come before it.
    const int row = m_model->rowOf(id);
    if (row >= 0 && row < m_model->rowCount() && m_model->row(row).build->id == id)
        return row;
    for (int i = 0; i < m_model->rowCount(); ++i) {
        if (m_model->row(i).build->id == id)
            return i;
    }
    return -1;
}

QModelIndex BuildFilterProxy::index(int row, int column, const QModelIndex &parent) const
{
    if (parent.isValid() || row < 0 || row >= rowCount() || column < 0 || column >= columnCount())
        return {};
    return createIndex(row, column);
}

QModelIndex BuildFilterProxy::parent(const QModelIndex &) const
{
    return {};
}

int BuildFilterProxy::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_visible.size());
}

int BuildFilterProxy::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_model ? 0 : m_model->columnCount();
}

bool BuildFilterProxy::hasChildren(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_visible.empty();
}

QModelIndex BuildFilterProxy::sibling(int row, int column, const QModelIndex &) const
{
    return index(row, column);
}

QModelIndex BuildFilterProxy::mapToSource(const QModelIndex &proxyIndex) const
{
    if (!m_model || !proxyIndex.isValid() || proxyIndex.row() >= int(m_visible.size()))
        return {};
    return m_model->index(m_visible[size_t(proxyIndex.row())], proxyIndex.column());
}

QModelIndex BuildFilterProxy::mapFromSource(const QModelIndex &sourceIndex) const
{
    if (!sourceIndex.isValid() || sourceIndex.row() >= int(m_proxyOf.size()))
        return {};
    const int proxyRow = m_proxyOf[size_t(sourceIndex.row())];
    return proxyRow >= 0 ? createIndex(proxyRow, sourceIndex.column()) : QModelIndex();
}

QVariant BuildFilterProxy::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Vertical)
        return role == Qt::DisplayRole ? QVariant(section + 1) : QVariant();
    return m_model ? m_model->headerData(section, orientation, role) : QVariant();
}

} // namespace cic
