// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/config/config.h"
#include "ui/settingsbackend.h"

namespace cic {

// The Settings dialog over the configuration file: its Jenkins, GitLab CI, GitHub Actions,
// Buildbot and fixture sources, in igor's keys. What the dialog does not edit (a master's
// timeouts, CA and proxy, the server section, the SCM hosts, igor's other sections) is kept
// as it was; the file is replaced atomically.
class ConfigSettingsBackend final : public SettingsBackend
{
public:
    // Reads the file when it exists; a missing file is an empty configuration to create.
    explicit ConfigSettingsBackend(const QString &path);

    // What reading the file said, one problem a line; empty when it read cleanly.
    QString loadError() const { return m_loadError; }
    const config::Config &config() const { return m_config; }

    QString location() const override { return m_path; }
    QList<SourceKind> kinds() const override;
    QList<SourceSettings> sources() const override;
    Result<bool> save(const QList<SourceSettings> &sources) override;
    QFuture<Result<QString>> testConnection(const SourceSettings &source) override;

    // The configuration with these sources in place of its own.
    config::Config withSources(const QList<SourceSettings> &sources) const;

private:
    QString m_path;
    config::Config m_config;
    QString m_loadError;
};

} // namespace cic
