// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStyledItemDelegate>

namespace cic {

// Draws a row of the sources tree: a source with a spinner while it refreshes, its build and
// running counts on the right, and its error on a line of its own beneath it; a project with
// its newest result and its count.
class SourceDelegate final : public QStyledItemDelegate
{
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    // Advances the spinner; the view repaints while a source refreshes.
    void advanceSpinner() { m_phase = (m_phase + 1) % 12; }

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    int m_phase = 0;
};

} // namespace cic
