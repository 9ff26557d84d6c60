// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tests/support/fakehttpserver.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QMap>

#include <optional>

namespace cic::test {

// A GitLab instance's REST API v4 on loopback: PRIVATE-TOKEN checked, projects addressed by
// numeric id or URL-encoded path (group%2Fsub%2Fproject), offset paging with X-Next-Page empty
// on the last page, pipelines (list items short, single pipelines with detailed_status),
// jobs, traces that grow and answer 404 when missing, optional Range support, and commits.
class FakeGitLab : public QObject
{
    Q_OBJECT

public:
    struct FakeJob
    {
        qint64 id = 0;
        QString name;
        QString stage;
        QString status = QStringLiteral("success");
        bool allowFailure = false;
        bool started = true;
        std::optional<QByteArray> trace; // nullopt: 404
        QString archive; // the artifacts archive's file name; empty: none
        qint64 archiveSize = 0;
        bool legacyArtifacts = false; // only artifacts_file, as before GitLab 12
    };

    struct FakePipeline
    {
        qint64 id = 0;
        int iid = 0;
        QString status = QStringLiteral("success");
        QString detailedGroup; // defaults to the status
        QString ref = QStringLiteral("main");
        QString sha;
        QString source = QStringLiteral("push");
        QString createdAt = QStringLiteral("2024-05-01T10:00:00.000Z");
        QString startedAt = QStringLiteral("2024-05-01T10:00:05.000Z");
        QString finishedAt = QStringLiteral("2024-05-01T10:04:09.000Z");
        QString updatedAt = QStringLiteral("2024-05-01T10:04:10.000Z");
        int duration = 244;
        QList<FakeJob> jobs;
        std::optional<QJsonObject> testReport; // nullopt: 404
    };

    struct FakeProject
    {
        qint64 id = 0;
        QString path;
        QList<FakePipeline> pipelines; // newest first
        QHash<QString, QJsonObject> commits;
    };

    explicit FakeGitLab(QObject *parent = nullptr);

    bool start();
    QUrl baseUrl() const { return m_http.baseUrl(); }
    FakeHttpServer &http() { return m_http; }

    void setToken(const QString &token) { m_token = token; }
    void setHonourRange(bool honour) { m_honourRange = honour; }
    void addProject(const FakeProject &project) { m_projects.append(project); }
    FakeProject *project(const QString &path);
    FakePipeline *pipeline(const QString &path, qint64 id);
    FakeJob *job(const QString &path, qint64 pipelineId, qint64 jobId);

    // Answers this reply for requests whose path starts with the prefix, `times` times (-1: all).
    void overridePath(const QByteArray &prefix, const FakeReply &reply, int times = -1)
    {
        m_overrides.insert(prefix, {reply, times});
    }
    void clearOverrides() { m_overrides.clear(); }

private:
    FakeReply handle(const RecordedRequest &request);
    FakeReply paged(const RecordedRequest &request, const QJsonArray &all) const;
    QJsonObject projectJson(const FakeProject &project) const;
    QJsonObject pipelineJson(const FakeProject &project, const FakePipeline &pipeline,
                             bool full) const;

    FakeHttpServer m_http;
    QString m_token;
    bool m_honourRange = true;
    QList<FakeProject> m_projects;
    QMap<QByteArray, std::pair<FakeReply, int>> m_overrides;
};

} // namespace cic::test
