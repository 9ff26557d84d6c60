// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>

namespace cic::ansi {

// Removes terminal escape sequences (colours, cursor moves, OSC titles and links), keeping
// the text. deck shows a log as raw text, so the server strips them by default.
QByteArray strip(const QByteArray &text);

// True when the text holds an escape character at all; most logs do not, and are served as
// they are.
bool hasEscapes(const QByteArray &text);

} // namespace cic::ansi
