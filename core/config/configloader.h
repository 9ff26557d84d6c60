// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/config/config.h"

#include <QByteArray>

namespace cic::config {

// What reading a configuration file gave: the settings, and every problem with its file,
// line and key. The settings are only usable when there is no error.
struct LoadOutcome
{
    Config config;
    QList<ConfigProblem> problems;

    bool ok() const;
    QList<ConfigProblem> errors() const;

    // Every error, one per line, for a terminal or a dialog.
    QString errorText() const;
};

// Reads YAML text; fileName is only used in messages and to resolve relative fixture paths.
LoadOutcome parseConfig(const QByteArray &yaml, const QString &fileName);

// Reads a file. A missing file is an error naming it.
LoadOutcome loadConfig(const QString &path);

// $CI_COMPANION_CONFIG when set, else ci-companion/ci-companion.yml in QStandardPaths'
// GenericConfigLocation (on Linux ~/.config/ci-companion/ci-companion.yml).
QString defaultConfigPath();

// The keys the loader knows in one of our sections, for the Settings dialog and the docs.
QStringList knownMasterKeys(const QString &section);

} // namespace cic::config
