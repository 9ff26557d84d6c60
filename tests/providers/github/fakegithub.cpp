// SPDX-License-Identifier: GPL-3.0-or-later
#include "tests/providers/github/fakegithub.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

namespace cic::test {

namespace {

FakeReply message(int status, const char *text)
{
    FakeReply reply = FakeReply::json(
        QJsonDocument(QJsonObject{{QStringLiteral("message"), QString::fromUtf8(text)}})
            .toJson(QJsonDocument::Compact),
        status);
    return reply;
}

QString queryValue(const RecordedRequest &request, const char *key, const QString &fallback = {})
{
    const QString value = request.queryValue(QString::fromLatin1(key));
    return value.isEmpty() ? fallback : value;
}

} // namespace

FakeGitHub::FakeGitHub(const QString &prefix)
    : m_prefix(prefix)
{
    m_server.setHandler([this](const RecordedRequest &request) { return answer(request); });
}

QUrl FakeGitHub::apiBase() const
{
    return QUrl(m_server.baseUrl().toString() + m_prefix);
}

QString FakeGitHub::webBase() const
{
    return m_server.baseUrl().toString();
}

FakeRun *FakeGitHub::run(qint64 id)
{
    for (FakeRun &candidate : runs) {
        if (candidate.id == id)
            return &candidate;
    }
    return nullptr;
}

QJsonObject FakeGitHub::runJson(const FakeRun &run) const
{
    const QString api = apiBase().toString() + QStringLiteral("/repos/acme/app/actions/runs/")
        + QString::number(run.id);
    QJsonArray pullRequests;
    if (run.pullRequest > 0)
        pullRequests.append(QJsonObject{
            {QStringLiteral("id"), 77},
            {QStringLiteral("number"), run.pullRequest},
            {QStringLiteral("url"),
             QString(apiBase().toString()
                     + QStringLiteral("/repos/acme/app/pulls/%1").arg(run.pullRequest))}});
    const QJsonObject person{{QStringLiteral("name"), QStringLiteral("Ada")},
                             {QStringLiteral("email"), QStringLiteral("ada@example.test")}};
    const bool completed = run.status == QLatin1String("completed");
    return QJsonObject{
        {QStringLiteral("id"), run.id},
        {QStringLiteral("name"), run.workflow.isEmpty() ? QJsonValue() : QJsonValue(run.workflow)},
        {QStringLiteral("node_id"), QStringLiteral("WFR_kwDOAbc")},
        {QStringLiteral("head_branch"), run.branch},
        {QStringLiteral("head_sha"), run.sha},
        {QStringLiteral("path"), QStringLiteral(".github/workflows/ci.yml")},
        {QStringLiteral("display_title"), run.message.section(QLatin1Char('\n'), 0, 0)},
        {QStringLiteral("run_number"), run.number},
        {QStringLiteral("run_attempt"), 1},
        {QStringLiteral("event"),
         run.pullRequest > 0 ? QStringLiteral("pull_request") : QStringLiteral("push")},
        {QStringLiteral("status"), run.status},
        {QStringLiteral("conclusion"), completed ? QJsonValue(run.conclusion) : QJsonValue()},
        {QStringLiteral("workflow_id"), 4242},
        {QStringLiteral("url"), api},
        {QStringLiteral("html_url"),
         QString(webBase() + QStringLiteral("/acme/app/actions/runs/") + QString::number(run.id))},
        {QStringLiteral("created_at"), run.startedAt},
        {QStringLiteral("updated_at"), run.updatedAt},
        {QStringLiteral("run_started_at"), run.startedAt},
        {QStringLiteral("jobs_url"), QString(api + QStringLiteral("/jobs"))},
        {QStringLiteral("logs_url"), QString(api + QStringLiteral("/logs"))},
        {QStringLiteral("artifacts_url"), QString(api + QStringLiteral("/artifacts"))},
        {QStringLiteral("actor"),
         QJsonObject{{QStringLiteral("login"), QStringLiteral("ada")},
                     {QStringLiteral("id"), 101}}},
        {QStringLiteral("head_commit"),
         QJsonObject{{QStringLiteral("id"), run.sha},
                     {QStringLiteral("tree_id"), QStringLiteral("aa11bb22")},
                     {QStringLiteral("message"), run.message},
                     {QStringLiteral("timestamp"), QStringLiteral("2024-05-01T09:58:00Z")},
                     {QStringLiteral("author"), person},
                     {QStringLiteral("committer"), person}}},
        {QStringLiteral("pull_requests"), pullRequests},
    };
}

FakeReply FakeGitHub::withEtag(const RecordedRequest &request, const QJsonObject &body,
                               const QByteArray &link)
{
    const QByteArray json = QJsonDocument(body).toJson(QJsonDocument::Compact);
    const QByteArray etag
        = "W/\"" + QCryptographicHash::hash(json, QCryptographicHash::Md5).toHex() + "\"";
    FakeReply reply = FakeReply::json(json);
    if (request.header("if-none-match") == etag) {
        ++m_notModified;
        reply = FakeReply::json({}, 304);
        reply.contentType.clear();
    }
    reply.withHeader("ETag", etag);
    reply.withHeader("x-ratelimit-limit", "5000");
    reply.withHeader("x-ratelimit-remaining", "4990");
    if (!link.isEmpty())
        reply.withHeader("Link", link);
    return reply;
}

FakeReply FakeGitHub::signedDownload(const RecordedRequest &request, const QString &path)
{
    // A storage host knows nothing of the API's token; GitHub's own refuses one it did not sign.
    if (!request.header("authorization").isEmpty())
        return message(403, "signed URLs must not carry an Authorization header");
    if (request.queryValue(QStringLiteral("sig")).isEmpty())
        return message(403, "missing signature");

    static const QRegularExpression joblog(QStringLiteral(R"(^/_signed/joblog/(\d+)$)"));
    static const QRegularExpression artifact(QStringLiteral(R"(^/_signed/artifact/(\d+)$)"));
    if (const auto match = joblog.match(path); match.hasMatch()) {
        for (const FakeRun &run : std::as_const(runs)) {
            for (const FakeJob &job : run.jobs) {
                if (job.id == match.captured(1).toLongLong())
                    return FakeReply::text(job.log);
            }
        }
    }
    if (const auto match = artifact.match(path); match.hasMatch()) {
        for (const FakeRun &run : std::as_const(runs)) {
            for (const FakeArtifact &item : run.artifacts) {
                if (item.id == match.captured(1).toLongLong()) {
                    FakeReply reply = FakeReply::text(item.zip);
                    reply.contentType = "application/zip";
                    return reply;
                }
            }
        }
    }
    return message(404, "Not Found");
}

FakeReply FakeGitHub::answer(const RecordedRequest &request)
{
    QString path = QString::fromUtf8(QByteArray::fromPercentEncoding(request.encodedPath));
    if (path.startsWith(QLatin1String("/_signed/")))
        return signedDownload(request, path);
    if (!path.startsWith(m_prefix + QLatin1Char('/')))
        return message(404, "Not Found");
    path = path.mid(m_prefix.size());

    if (request.header("authorization") != "Bearer " + token)
        return message(401, "Bad credentials");
    if (rateLimitStatus != 0) {
        const int status = std::exchange(rateLimitStatus, 0);
        FakeReply reply = message(status, "API rate limit exceeded for user ID 101.");
        const qint64 reset = QDateTime::currentSecsSinceEpoch() + rateLimitResetSeconds;
        reply.withHeader("x-ratelimit-limit", "5000");
        reply.withHeader("x-ratelimit-remaining", "0");
        reply.withHeader("x-ratelimit-used", "5000");
        reply.withHeader("x-ratelimit-reset", QByteArray::number(reset));
        reply.withHeader("x-ratelimit-resource", "core");
        return reply;
    }

    if (path == QLatin1String("/repos/acme/app"))
        return withEtag(request, {{QStringLiteral("full_name"), QStringLiteral("acme/app")}});

    if (path == QLatin1String("/repos/acme/app/actions/runs")) {
        if (malformed)
            return FakeReply::json(R"({"total_count": 3, "workflow_runs": [{"id": 1,}]})");
        const QString sha = queryValue(request, "head_sha");
        const QString branch = queryValue(request, "branch");
        QList<FakeRun> matching;
        for (const FakeRun &run : std::as_const(runs)) {
            if ((sha.isEmpty() || run.sha == sha) && (branch.isEmpty() || run.branch == branch))
                matching.append(run);
        }
        const int perPage = queryValue(request, "per_page", QStringLiteral("30")).toInt();
        const int page = queryValue(request, "page", QStringLiteral("1")).toInt();
        QJsonArray list;
        for (const FakeRun &run : matching.mid((page - 1) * perPage, perPage))
            list.append(runJson(run));

        QByteArray link;
        const int pages = int((matching.size() + perPage - 1) / perPage);
        if (page < pages) {
            QUrlQuery next = request.query;
            next.removeAllQueryItems(QStringLiteral("page"));
            next.addQueryItem(QStringLiteral("page"), QString::number(page + 1));
            QUrlQuery last = next;
            last.removeAllQueryItems(QStringLiteral("page"));
            last.addQueryItem(QStringLiteral("page"), QString::number(pages));
            const QString base = apiBase().toString() + path + QLatin1Char('?');
            link = QStringLiteral("<%1%2>; rel=\"next\", <%1%3>; rel=\"last\"")
                       .arg(base, next.query(QUrl::FullyEncoded), last.query(QUrl::FullyEncoded))
                       .toUtf8();
        }
        return withEtag(request,
                        {{QStringLiteral("total_count"), int(matching.size())},
                         {QStringLiteral("workflow_runs"), list}},
                        link);
    }

    static const QRegularExpression runPath(
        QStringLiteral(R"(^/repos/acme/app/actions/runs/(\d+)(/jobs|/artifacts)?$)"));
    if (const auto match = runPath.match(path); match.hasMatch()) {
        const FakeRun *found = run(match.captured(1).toLongLong());
        if (!found)
            return message(404, "Not Found");
        if (match.captured(2).isEmpty())
            return withEtag(request, runJson(*found));

        QJsonArray list;
        if (match.captured(2) == QLatin1String("/jobs")) {
            for (const FakeJob &job : found->jobs) {
                const bool completed = job.status == QLatin1String("completed");
                list.append(
                    QJsonObject{{QStringLiteral("id"), job.id},
                                {QStringLiteral("run_id"), found->id},
                                {QStringLiteral("name"), job.name},
                                {QStringLiteral("status"), job.status},
                                {QStringLiteral("conclusion"),
                                 completed ? QJsonValue(job.conclusion) : QJsonValue()},
                                {QStringLiteral("started_at"), found->startedAt},
                                {QStringLiteral("completed_at"),
                                 completed ? QJsonValue(found->updatedAt) : QJsonValue()},
                                {QStringLiteral("html_url"),
                                 QString(webBase()
                                         + QStringLiteral("/acme/app/actions/runs/%1/job/%2")
                                               .arg(found->id)
                                               .arg(job.id))},
                                {QStringLiteral("steps"), QJsonArray()}});
            }
            return withEtag(
                request,
                {{QStringLiteral("total_count"), list.size()}, {QStringLiteral("jobs"), list}});
        }
        for (const FakeArtifact &artifact : found->artifacts) {
            list.append(
                QJsonObject{{QStringLiteral("id"), artifact.id},
                            {QStringLiteral("name"), artifact.name},
                            {QStringLiteral("size_in_bytes"), artifact.zip.size()},
                            {QStringLiteral("expired"), artifact.expired},
                            {QStringLiteral("expires_at"), QStringLiteral("2024-07-30T10:04:10Z")},
                            {QStringLiteral("archive_download_url"),
                             QString(apiBase().toString()
                                     + QStringLiteral("/repos/acme/app/actions/artifacts/%1/zip")
                                           .arg(artifact.id))},
                            {QStringLiteral("digest"), QStringLiteral("sha256:00ff")}});
        }
        return withEtag(
            request,
            {{QStringLiteral("total_count"), list.size()}, {QStringLiteral("artifacts"), list}});
    }

    static const QRegularExpression jobLog(
        QStringLiteral(R"(^/repos/acme/app/actions/jobs/(\d+)/logs$)"));
    if (const auto match = jobLog.match(path); match.hasMatch()) {
        for (const FakeRun &candidate : std::as_const(runs)) {
            for (const FakeJob &job : candidate.jobs) {
                if (job.id != match.captured(1).toLongLong())
                    continue;
                if (job.status != QLatin1String("completed"))
                    return message(404, "Not Found");
                if (job.logGone)
                    return message(410, "Gone");
                FakeReply reply = FakeReply::text({}, 302);
                reply.withHeader("Location",
                                 webBase().toUtf8() + "/_signed/joblog/"
                                     + QByteArray::number(job.id) + "?sig=x1");
                return reply;
            }
        }
        return message(404, "Not Found");
    }

    static const QRegularExpression artifactZip(
        QStringLiteral(R"(^/repos/acme/app/actions/artifacts/(\d+)/zip$)"));
    if (const auto match = artifactZip.match(path); match.hasMatch()) {
        for (const FakeRun &candidate : std::as_const(runs)) {
            for (const FakeArtifact &artifact : candidate.artifacts) {
                if (artifact.id != match.captured(1).toLongLong())
                    continue;
                if (artifact.expired)
                    return message(410, "Artifact has expired");
                FakeReply reply = FakeReply::text({}, 302);
                reply.withHeader(
                    "Location", "/_signed/artifact/" + QByteArray::number(artifact.id) + "?sig=y2");
                return reply;
            }
        }
    }
    return message(404, "Not Found");
}

} // namespace cic::test
