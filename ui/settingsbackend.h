// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/util/result.h"

#include <QFuture>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QVariant>

namespace cic {

// One setting of a source as the Settings dialog edits it.
struct SourceField
{
    enum class Type { Text, Url, Secret, Bool, List, Number, Path };

    QString key; // as in the configuration file, e.g. "address", "privateToken"
    QString label;
    Type type = Type::Text;
    bool required = false;
    QString help; // a line under the field
    QVariant defaultValue;
};

// A kind of source the configuration can hold: jenkins, gitlab-ci, github-actions, ...
struct SourceKind
{
    QString id;
    QString label;
    QList<SourceField> fields; // "name" first
};

// One configured source: its kind and its values by key. Secrets are kept as the file holds
// them ("${ENV_NAME}", "keychain:entry" or the value itself).
struct SourceSettings
{
    QString kind;
    QMap<QString, QVariant> values;

    QString name() const { return values.value(QStringLiteral("name")).toString(); }
    bool operator==(const SourceSettings &) const = default;
};

// What the Settings dialog needs of the configuration file: the kinds of source it knows,
// the sources it holds, a way to save them (atomically: the file is never left half
// written) and to try a source's connection before saving it. The app adapts its
// configuration code to this.
class SettingsBackend
{
public:
    virtual ~SettingsBackend() = default;

    virtual QString location() const = 0; // the file, for the dialog to show
    virtual QList<SourceKind> kinds() const = 0;
    virtual QList<SourceSettings> sources() const = 0;

    // Writes every source; the message of an error says what to fix.
    virtual Result<bool> save(const QList<SourceSettings> &sources) = 0;

    // Connects with these settings and answers what it found ("12 jobs") or why it failed.
    virtual QFuture<Result<QString>> testConnection(const SourceSettings &source) = 0;
};

} // namespace cic
