// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/util/result.h"

#include <QFuture>
#include <QString>

#include <functional>

namespace cic::config {

// A password or token as the file writes it: inline, as an environment reference
// (`${JENKINS_TOKEN}`, with an optional default `${NAME:default}`), or as a reference into the
// OS keychain (`keychain:NAME`, service "ci-companion"). The written form is kept, so saving
// the file writes back the reference, never the value it resolved to.
class Secret
{
public:
    enum class Kind { None, Inline, Environment, Keychain };

    Secret() = default;
    static Secret fromText(const QString &text);

    Kind kind() const { return m_kind; }
    bool isSet() const { return m_kind != Kind::None; }

    // What the file holds: the value itself, "${NAME}" or "keychain:NAME".
    QString text() const { return m_text; }

    // The environment variable or keychain entry; empty for inline secrets.
    QString reference() const { return m_reference; }

    // Safe to print: the reference, or a mask for an inline value.
    QString describe() const;

    // Where the file wrote it (line 0: not from a file), for messages about it.
    int line() const { return m_line; }
    void setLine(int line) { m_line = line; }

    bool operator==(const Secret &other) const
    {
        return m_kind == other.m_kind && m_text == other.m_text;
    }

private:
    int m_line = 0;
    Kind m_kind = Kind::None;
    QString m_text;
    QString m_reference;
};

// Reads a keychain entry; answers the value or why it could not.
using KeychainReader = std::function<QFuture<Result<QString>>(const QString &key)>;

// Turns secrets into values. Environment references resolve at once; keychain references go
// through QtKeychain, bounded by a timeout, because where no secret service runs (no D-Bus
// session, as in CI) a keychain request must fail with a message rather than hang.
class SecretResolver
{
public:
    SecretResolver();

    // Tests swap the keychain for one they control.
    void setKeychainReader(KeychainReader reader) { m_keychain = std::move(reader); }
    void setKeychainTimeoutMs(int ms) { m_keychainTimeoutMs = ms; }

    // Runs a local event loop while the keychain answers; call from the thread that owns the
    // providers, before they start.
    Result<QString> resolve(const Secret &secret) const;

    // The keychain service name entries are stored under.
    static QString keychainService();

private:
    KeychainReader m_keychain;
    int m_keychainTimeoutMs = 5000;
};

// The QtKeychain reader used by default.
QFuture<Result<QString>> readFromKeychain(const QString &key);

// Stores a value in the OS keychain under `key`, for the Settings dialog.
QFuture<Result<bool>> writeToKeychain(const QString &key, const QString &value);

// Expands `${NAME}` and `${NAME:default}` in text. A variable that is unset and has no
// default is an error naming it.
Result<QString> expandEnvironment(const QString &text);

// A masked form of a secret value: the first characters are never shown; only its length.
QString maskSecret(const QString &value);

} // namespace cic::config
