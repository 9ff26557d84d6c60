// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/service/cibuildservice.h"

#include <QHash>

namespace cic::testing {

// A source whose builds and logs live in memory; a log can grow between fetches, as a
// running build's does, and a refresh can be made to fail.
class FakeService final : public CiBuildService
{
    Q_OBJECT

public:
    explicit FakeService(const QString &name, QObject *parent = nullptr)
        : CiBuildService(parent)
        , m_name(name)
    {
    }

    QString name() const override { return m_name; }
    QString kind() const override { return QStringLiteral("fake"); }

    void setBuilds(const BuildList &builds) { m_builds = builds; }
    void setLog(const QString &id, const QByteArray &text) { m_logs[id] = text; }
    void appendLog(const QString &id, const QByteArray &text) { m_logs[id] += text; }
    void setFailure(const QString &message) { m_failure = message; }
    int logFetches() const { return m_logFetches; }

    QFuture<Result<QList<SourceProject>>> listProjects() override
    {
        return QtFuture::makeReadyFuture(Result<QList<SourceProject>>(QList<SourceProject>{}));
    }

    QFuture<Result<BuildList>> fetchRecentBuilds(const QString & = {}) override
    {
        if (!m_failure.isEmpty())
            return QtFuture::makeReadyFuture(Result<BuildList>(Error{m_failure}));
        return QtFuture::makeReadyFuture(Result<BuildList>(m_builds));
    }

    QFuture<Result<BuildList>> findBuilds(const BuildQuery &) override
    {
        return QtFuture::makeReadyFuture(Result<BuildList>(BuildList{}));
    }

    QFuture<Result<LogChunk>> fetchLog(const Build &build, qint64 offset = 0) override
    {
        ++m_logFetches;
        const QByteArray text = m_logs.value(build.id);
        const qint64 start = qBound<qint64>(0, offset, text.size());
        return QtFuture::makeReadyFuture(
            Result<LogChunk>(LogChunk{text.mid(start), start, text.size(), !build.building}));
    }

private:
    QString m_name;
    BuildList m_builds;
    QHash<QString, QByteArray> m_logs;
    QString m_failure;
    int m_logFetches = 0;
};

// A build with what the table shows.
inline BuildPtr makeBuild(const QString &source, const QString &project, int number,
                          BuildResult result, qint64 startedMs,
                          const QString &branch = QStringLiteral("main"),
                          const QString &author = QStringLiteral("Ada"),
                          const QString &message = QStringLiteral("Change something"),
                          bool building = false)
{
    Build build;
    build.id = QStringLiteral("%1-%2")
                   .arg(QString(project).replace(QLatin1Char('/'), QLatin1Char('-')))
                   .arg(number);
    build.name = project;
    build.number = number;
    build.source = source;
    build.project = project;
    build.building = building;
    build.result = building ? BuildResult::Building : result;
    build.timestampMs = startedMs;
    build.durationMs = 60000 + number * 1000;
    GitRevision revision;
    revision.branch = branch;
    revision.sha1 = QStringLiteral("%1").arg(number * 7919, 40, 16, QLatin1Char('a'));
    revision.committer = author;
    revision.message = message;
    build.scm.append(revision);
    return std::make_shared<const Build>(build);
}

} // namespace cic::testing
