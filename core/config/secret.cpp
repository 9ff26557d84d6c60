// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/config/secret.h"

#include <QEventLoop>
#include <QFutureWatcher>
#include <QLoggingCategory>
#include <QPromise>
#include <QRegularExpression>
#include <QTimer>
#include <qt6keychain/keychain.h>

#include <memory>

namespace cic::config {

namespace {
Q_LOGGING_CATEGORY(lcSecrets, "cicompanion.core.config.secrets")

const QString KeychainPrefix = QStringLiteral("keychain:");

// ${NAME} or ${NAME:default}; NAME as shells allow it.
const QRegularExpression &environmentPattern()
{
    static const QRegularExpression pattern(
        QStringLiteral(R"(\$\{([A-Za-z_][A-Za-z0-9_]*)(?::([^}]*))?\})"));
    return pattern;
}

QString keychainErrorText(QKeychain::Error error, const QString &detail)
{
    switch (error) {
    case QKeychain::EntryNotFound:
        return QStringLiteral("no such entry in the keychain");
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
        return QStringLiteral("the keychain refused access");
    case QKeychain::NoBackendAvailable:
        return QStringLiteral("no keychain service is running (on Linux: a Secret Service such "
                              "as GNOME Keyring or KWallet, on a D-Bus session)");
    case QKeychain::NotImplemented:
        return QStringLiteral("this platform has no keychain support");
    default:
        return detail.isEmpty() ? QStringLiteral("the keychain failed") : detail;
    }
}

} // namespace

Secret Secret::fromText(const QString &text)
{
    Secret secret;
    secret.m_text = text;
    if (text.isEmpty())
        return secret;

    if (text.startsWith(KeychainPrefix)) {
        secret.m_kind = Kind::Keychain;
        secret.m_reference = text.mid(KeychainPrefix.size()).trimmed();
        return secret;
    }

    const QRegularExpressionMatch match = environmentPattern().match(text);
    if (match.hasMatch()) {
        secret.m_kind = Kind::Environment;
        secret.m_reference = match.captured(1);
        return secret;
    }

    secret.m_kind = Kind::Inline;
    return secret;
}

QString Secret::describe() const
{
    switch (m_kind) {
    case Kind::None:
        return QStringLiteral("(not set)");
    case Kind::Inline:
        return maskSecret(m_text) + QStringLiteral(" (inline)");
    case Kind::Environment:
        return QStringLiteral("${%1}").arg(m_reference);
    case Kind::Keychain:
        return KeychainPrefix + m_reference;
    }
    return {};
}

QString maskSecret(const QString &value)
{
    if (value.isEmpty())
        return QStringLiteral("(empty)");
    return QStringLiteral("****** (%1 characters)").arg(value.size());
}

Result<QString> expandEnvironment(const QString &text)
{
    QString expanded;
    qsizetype last = 0;
    QRegularExpressionMatchIterator it = environmentPattern().globalMatch(text);
    while (it.hasNext()) {
        const QRegularExpressionMatch match = it.next();
        expanded += text.mid(last, match.capturedStart() - last);
        last = match.capturedEnd();

        const QString name = match.captured(1);
        if (qEnvironmentVariableIsSet(qPrintable(name))) {
            expanded += qEnvironmentVariable(qPrintable(name));
        } else if (match.capturedStart(2) >= 0) {
            expanded += match.captured(2);
        } else {
            return Error{QStringLiteral("the environment variable %1 is not set").arg(name)};
        }
    }
    expanded += text.mid(last);
    return expanded;
}

SecretResolver::SecretResolver()
    : m_keychain(readFromKeychain)
{
}

QString SecretResolver::keychainService()
{
    return QStringLiteral("ci-companion");
}

Result<QString> SecretResolver::resolve(const Secret &secret) const
{
    switch (secret.kind()) {
    case Secret::Kind::None:
        return QString();
    case Secret::Kind::Inline:
        return secret.text();
    case Secret::Kind::Environment:
        return expandEnvironment(secret.text());
    case Secret::Kind::Keychain:
        break;
    }

    if (secret.reference().isEmpty())
        return Error{QStringLiteral("keychain reference without a name (write keychain:NAME)")};

    QFuture<Result<QString>> future = m_keychain(secret.reference());
    if (!future.isFinished()) {
        QEventLoop loop;
        QFutureWatcher<Result<QString>> watcher;
        QObject::connect(&watcher, &QFutureWatcherBase::finished, &loop, &QEventLoop::quit);
        watcher.setFuture(future);
        QTimer::singleShot(m_keychainTimeoutMs, &loop, &QEventLoop::quit);
        if (!future.isFinished())
            loop.exec();
    }

    if (!future.isFinished() || future.resultCount() == 0) {
        qCWarning(lcSecrets, "keychain entry %s: no answer within %d ms",
                  qUtf8Printable(secret.reference()), m_keychainTimeoutMs);
        return Error{QStringLiteral("keychain:%1: the keychain did not answer within %2 s; is a "
                                    "secret service running? Use ${ENV_VAR} where there is none")
                         .arg(secret.reference(), QString::number(m_keychainTimeoutMs / 1000.0))};
    }

    Result<QString> value = future.result();
    if (!value)
        return Error{QStringLiteral("keychain:%1: %2").arg(secret.reference(), value.error())};
    return value;
}

QFuture<Result<QString>> readFromKeychain(const QString &key)
{
    auto promise = std::make_shared<QPromise<Result<QString>>>();
    QFuture<Result<QString>> future = promise->future();
    promise->start();

    auto *job = new QKeychain::ReadPasswordJob(SecretResolver::keychainService());
    job->setAutoDelete(true);
    job->setKey(key);
    QObject::connect(job, &QKeychain::Job::finished, job, [promise](QKeychain::Job *finished) {
        auto *read = static_cast<QKeychain::ReadPasswordJob *>(finished);
        if (read->error() == QKeychain::NoError)
            promise->addResult(Result<QString>(read->textData()));
        else
            promise->addResult(
                Result<QString>(Error{keychainErrorText(read->error(), read->errorString())}));
        promise->finish();
    });
    job->start();
    return future;
}

QFuture<Result<bool>> writeToKeychain(const QString &key, const QString &value)
{
    auto promise = std::make_shared<QPromise<Result<bool>>>();
    QFuture<Result<bool>> future = promise->future();
    promise->start();

    auto *job = new QKeychain::WritePasswordJob(SecretResolver::keychainService());
    job->setAutoDelete(true);
    job->setKey(key);
    job->setTextData(value);
    QObject::connect(job, &QKeychain::Job::finished, job, [promise](QKeychain::Job *finished) {
        if (finished->error() == QKeychain::NoError)
            promise->addResult(Result<bool>(true));
        else
            promise->addResult(
                Result<bool>(Error{keychainErrorText(finished->error(), finished->errorString())}));
        promise->finish();
    });
    job->start();
    return future;
}

} // namespace cic::config
