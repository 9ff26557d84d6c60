// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/config/config.h"
#include "core/util/result.h"

namespace cic::config {

// Writes the configuration for the Settings dialog. The file is replaced atomically (a
// half-written file is never left behind). What the program does not own is kept: igor's
// other top-level sections, and keys inside a master that this program does not read (matched
// by the master's name). Secrets are written as they were given: a reference stays a
// reference. YAML comments are not kept; the writer says so in the file's first line.
Result<bool> saveConfig(const Config &config, const QString &path);

// The YAML text saveConfig would write over `existingYaml` (empty: a new file).
Result<QByteArray> renderConfig(const Config &config, const QByteArray &existingYaml);

} // namespace cic::config
