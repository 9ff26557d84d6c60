// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tests/support/fakehttpserver.h"

#include <QJsonObject>

// A GitHub Actions API on loopback, as much of it as the provider reads: workflow runs with
// Link paging and head_sha/branch filters, jobs, artifacts, job logs and artifact downloads
// behind a 302 to a "signed" path on the same host (which refuses requests that carry an
// Authorization header), ETags and 304, the rate limit, and an optional /api/v3 prefix as
// GitHub Enterprise Server has.
namespace cic::test {

struct FakeJob
{
    qint64 id = 0;
    QString name;
    QString status = QStringLiteral("completed");
    QString conclusion = QStringLiteral("success");
    QByteArray log;
    bool logGone = false; // its log has expired: 410
};

struct FakeArtifact
{
    qint64 id = 0;
    QString name;
    bool expired = false;
    QByteArray zip;
};

struct FakeRun
{
    qint64 id = 0;
    int number = 0;
    QString workflow = QStringLiteral("CI");
    QString status = QStringLiteral("completed");
    QString conclusion = QStringLiteral("success");
    QString sha;
    QString branch = QStringLiteral("main");
    QString message = QStringLiteral("Fix flaky parser test\n\nDetails here.");
    int pullRequest = 0;
    QString startedAt = QStringLiteral("2024-05-01T10:00:05Z");
    QString updatedAt = QStringLiteral("2024-05-01T10:04:10Z");
    QList<FakeJob> jobs;
    QList<FakeArtifact> artifacts;
};

class FakeGitHub
{
public:
    explicit FakeGitHub(const QString &prefix = {});
    Q_DISABLE_COPY_MOVE(FakeGitHub)

    bool start() { return m_server.start(); }
    FakeHttpServer &server() { return m_server; }

    // The API base a provider is configured with: http://127.0.0.1:PORT[/api/v3].
    QUrl apiBase() const;
    QString webBase() const;

    QList<FakeRun> runs; // newest first
    QByteArray token = "s3cret";
    bool malformed = false; // the run list answers broken JSON
    int rateLimitStatus = 0; // 403 or 429: answer the next request so, with the budget spent
    int rateLimitResetSeconds = 2;

    FakeRun *run(qint64 id);
    int notModified() const { return m_notModified; }

    QJsonObject runJson(const FakeRun &run) const;

private:
    FakeReply answer(const RecordedRequest &request);
    FakeReply withEtag(const RecordedRequest &request, const QJsonObject &body,
                       const QByteArray &link = {});
    FakeReply signedDownload(const RecordedRequest &request, const QString &path);

    FakeHttpServer m_server;
    QString m_prefix;
    int m_notModified = 0;
};

} // namespace cic::test
