// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

class QApplication;

namespace cic::theme {

// What the user picked in the View menu: follow the system, or force light or dark.
enum class Mode { System, Light, Dark };

Mode modeFromString(const QString &text);
QString modeToString(Mode mode);

// True when the platform asks for dark colours: its colour scheme where Qt reports one
// (Qt 6.5 and later), else the lightness of the default window palette.
bool systemPrefersDark();

// Applies the mode: a dark mode, or a system that prefers dark, gets the Fusion style with a
// dark palette, since the default styles of several platforms draw light whatever the
// palette; light restores the style and palette the application started with.
void apply(QApplication &application, Mode mode);

bool isDark();

} // namespace cic::theme
