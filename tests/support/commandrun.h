// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <functional>

// Runs the ci-companion executable as a user would, while this process's event loop keeps
// the fake servers it talks to answering.
namespace cic::test {

struct CommandRun
{
    int exitCode = -1;
    QString out;
    QString err;
};

inline CommandRun runCommand(const QString &program, const QStringList &arguments,
                             const QHash<QString, QString> &environment = {},
                             const std::function<void()> &whileRunning = {}, int timeoutMs = 90'000)
{
    QProcess process;
    process.setProgram(program);
    process.setArguments(arguments);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("QT_LOGGING_RULES"));
    env.insert(QStringLiteral("HOME"), QDir::tempPath() + QStringLiteral("/cic-test-home"));
    for (auto it = environment.cbegin(); it != environment.cend(); ++it)
        env.insert(it.key(), it.value());
    process.setProcessEnvironment(env);
    process.start();
    if (!process.waitForStarted(10'000))
        return {};
    if (whileRunning)
        whileRunning();
    if (!QTest::qWaitFor([&] { return process.state() == QProcess::NotRunning; }, timeoutMs)) {
        process.kill();
        process.waitForFinished();
    }
    return {process.exitCode(), QString::fromUtf8(process.readAllStandardOutput()),
            QString::fromUtf8(process.readAllStandardError())};
}

inline QString writeFile(const QTemporaryDir &dir, const QString &name, const QByteArray &text)
{
    const QString path = dir.filePath(name);
    QFile file(path);
    if (file.open(QIODevice::WriteOnly))
        file.write(text);
    return path;
}

} // namespace cic::test
