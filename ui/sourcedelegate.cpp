// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/sourcedelegate.h"

#include "ui/icons.h"
#include "ui/models/sourcetreemodel.h"
#include "ui/theme.h"

#include <QApplication>
#include <QPainter>

namespace cic {

namespace {

constexpr int IconSize = 16;
constexpr int Gap = 6;

QString countsText(const QModelIndex &index)
{
    const qlonglong builds = index.data(SourceTreeModel::BuildCountRole).toLongLong();
    const qlonglong running = index.data(SourceTreeModel::RunningCountRole).toLongLong();
    QString text = QString::number(builds);
    if (running > 0)
        text += QCoreApplication::translate("cic::SourceDelegate", " · %1 running").arg(running);
    return text;
}

bool hasError(const QModelIndex &index)
{
    return index.data(SourceTreeModel::NodeKindRole).toInt()
        == int(SourceTreeModel::NodeKind::Source)
        && index.data(SourceTreeModel::StateRole).toInt() == int(SourceStatus::State::Failed)
        && !index.data(SourceTreeModel::ErrorRole).toString().isEmpty();
}

} // namespace

QSize SourceDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    size.setHeight(qMax(size.height(), IconSize + 6));
    if (hasError(index))
        size.setHeight(size.height() + option.fontMetrics.height() + 2);
    return size;
}

void SourceDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                           const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QWidget *widget = opt.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();

    // Background and selection as the style draws them.
    opt.text.clear();
    opt.icon = QIcon();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    const bool isSource = index.data(SourceTreeModel::NodeKindRole).toInt()
        == int(SourceTreeModel::NodeKind::Source);
    const bool selected = opt.state & QStyle::State_Selected;
    const QPalette::ColorGroup group
        = opt.state & QStyle::State_Enabled ? QPalette::Normal : QPalette::Disabled;
    const QColor text
        = opt.palette.color(group, selected ? QPalette::HighlightedText : QPalette::Text);
    QColor muted = text;
    muted.setAlphaF(0.6);

    const int lineHeight = qMax(IconSize + 6, opt.fontMetrics.height() + 4);
    QRect line = opt.rect.adjusted(4, 0, -6, 0);
    line.setHeight(lineHeight);

    painter->save();
    const QRect iconRect(line.left(), line.top() + (lineHeight - IconSize) / 2, IconSize, IconSize);
    const int state = index.data(SourceTreeModel::StateRole).toInt();
    if (isSource && state == int(SourceStatus::State::Refreshing)) {
        painter->setRenderHint(QPainter::Antialiasing);
        const QPointF centre = QRectF(iconRect).center();
        for (int i = 0; i < 12; ++i) {
            QColor spoke = text;
            spoke.setAlphaF(0.15 + 0.85 * ((i + 12 - m_phase) % 12) / 11.0);
            painter->save();
            painter->translate(centre);
            painter->rotate(i * 30.0);
            painter->setPen(QPen(spoke, 1.8, Qt::SolidLine, Qt::RoundCap));
            painter->drawLine(QPointF(0, -3.2), QPointF(0, -6.6));
            painter->restore();
        }
    } else if (isSource && state == int(SourceStatus::State::Failed)) {
        icons::result(BuildResult::Failure).paint(painter, iconRect);
    } else if (isSource) {
        icons::named(QStringLiteral("server")).paint(painter, iconRect);
    } else {
        const QIcon icon = qvariant_cast<QIcon>(index.data(Qt::DecorationRole));
        icon.paint(painter, iconRect);
    }

    const QString counts = countsText(index);
    const int countsWidth = opt.fontMetrics.horizontalAdvance(counts);
    QRect nameRect = line.adjusted(IconSize + Gap, 0, -(countsWidth + Gap), 0);
    QFont font = opt.font;
    if (isSource)
        font.setBold(true);
    painter->setFont(font);
    painter->setPen(text);
    painter->drawText(nameRect, Qt::AlignLeft | Qt::AlignVCenter,
                      QFontMetrics(font).elidedText(index.data(Qt::DisplayRole).toString(),
                                                    Qt::ElideRight, nameRect.width()));
    painter->setFont(opt.font);
    painter->setPen(muted);
    painter->drawText(line, Qt::AlignRight | Qt::AlignVCenter, counts);

    if (hasError(index)) {
        QRect errorRect = opt.rect.adjusted(4 + IconSize + Gap, lineHeight - 2, -6, 0);
        painter->setPen(selected ? text
                                 : icons::resultColor(BuildResult::Failure, theme::isDark()));
        const QString error = index.data(SourceTreeModel::ErrorRole).toString().simplified();
        painter->drawText(errorRect, Qt::AlignLeft | Qt::AlignTop,
                          opt.fontMetrics.elidedText(error, Qt::ElideRight, errorRect.width()));
    }
    painter->restore();
}

} // namespace cic
