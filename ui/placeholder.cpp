// SPDX-License-Identifier: GPL-3.0-or-later
// The window's widgets live in this library; main window code replaces this file.
namespace cic::ui {
int placeholder() { return 0; }
}
