// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDeadlineTimer>
#include <QFile>
#include <QFuture>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

// What the Buildbot suites share: the master the CTest fixture started (its DIR/env file), and
// the harness that forces builds on it (tests/fakes/buildbot/bbharness.py).
namespace cic::test {

inline QHash<QString, QString> readBuildbotEnv()
{
    QHash<QString, QString> values;
    QFile file(qEnvironmentVariable("BUILDBOT_ENV_FILE"));
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return values;

    const QList<QByteArray> lines = file.readAll().split('\n');
    for (const QByteArray &line : lines) {
        const qsizetype equals = line.indexOf('=');
        if (equals > 0)
            values.insert(QString::fromUtf8(line.left(equals)),
                          QString::fromUtf8(line.mid(equals + 1)));
    }
    return values;
}

// A harness process; its standard output ends with one JSON line.
inline QProcess *startHarness(const QStringList &arguments, QObject *parent)
{
    auto *process = new QProcess(parent);
    QString python = qEnvironmentVariable("PYTHON");
    if (python.isEmpty())
        python = QStringLiteral("python3");
    process->start(python, QStringList{qEnvironmentVariable("BBHARNESS")} + arguments);
    return process;
}

inline QJsonObject harnessAnswer(QProcess *process, int timeoutMs = 90'000)
{
    if (!process->waitForFinished(timeoutMs) || process->exitCode() != 0) {
        qWarning("harness %s failed: %s %s", qPrintable(process->arguments().join(u' ')),
                 process->readAllStandardOutput().constData(),
                 process->readAllStandardError().constData());
        return {};
    }
    const QList<QByteArray> lines = process->readAllStandardOutput().trimmed().split('\n');
    return QJsonDocument::fromJson(lines.last()).object();
}

template<typename T> T waitFor(QFuture<T> future, int timeoutMs = 60'000)
{
    if (!QTest::qWaitFor([&] { return future.isFinished(); }, timeoutMs))
        qFatal("the request did not finish within %d ms", timeoutMs);
    return future.result();
}

// Asks again every interval until the answer is yes or the time is up, as a client polling a
// running build does. Unlike QTRY_*, it evaluates the question exactly once per poll, so a
// question with side effects (a log read that advances a cursor) is not asked twice.
template<typename Question> bool pollUntil(Question question, int timeoutMs, int intervalMs = 250)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!question()) {
        if (deadline.hasExpired())
            return false;
        QTest::qWait(intervalMs);
    }
    return true;
}

} // namespace cic::test
