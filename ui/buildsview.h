// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

class QAbstractItemModel;
class QTableView;
class QWidget;

namespace cic {

// The builds table as the window shows it: whole-row selection, sorted newest first, fixed
// row heights (so a hundred thousand rows lay out at once) and the columns sized for their
// content.
QTableView *createBuildsView(QAbstractItemModel *model, QWidget *parent = nullptr);

} // namespace cic
