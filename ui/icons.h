// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/model/buildresult.h"

#include <QColor>
#include <QIcon>

namespace cic::icons {

// An icon of resources/icons by its file name without .svg; SVG, so it is sharp at any scale.
QIcon named(const QString &name);

// The state icon of a build result: success, unstable, failure, aborted, not-built, building.
QIcon result(BuildResult result);

// The colour a result's text is drawn in, readable on the given background.
QColor resultColor(BuildResult result, bool darkBackground);

// How a person reads a result: "Success", "Not built".
QString resultLabel(BuildResult result);

} // namespace cic::icons
