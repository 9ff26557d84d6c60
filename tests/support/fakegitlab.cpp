// SPDX-License-Identifier: GPL-3.0-or-later
#include "tests/support/fakegitlab.h"

#include <QJsonDocument>

namespace cic::test {

namespace {

QByteArray toJson(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QByteArray toJson(const QJsonArray &array)
{
    return QJsonDocument(array).toJson(QJsonDocument::Compact);
}

FakeReply notFound(const char *what)
{
    return FakeReply::json(QByteArray(R"({"message":"404 )") + what + R"( Not Found"})", 404);
}

} // namespace

FakeGitLab::FakeGitLab(QObject *parent)
    : QObject(parent)
{
    m_http.setHandler([this](const RecordedRequest &request) { return handle(request); });
}

bool FakeGitLab::start()
{
    return m_http.start();
}

FakeGitLab::FakeProject *FakeGitLab::project(const QString &path)
{
    for (FakeProject &project : m_projects) {
        if (project.path == path || QString::number(project.id) == path)
            return &project;
    }
    return nullptr;
}

FakeGitLab::FakePipeline *FakeGitLab::pipeline(const QString &path, qint64 id)
{
    FakeProject *owner = project(path);
    if (!owner)
        return nullptr;
    for (FakePipeline &pipeline : owner->pipelines) {
        if (pipeline.id == id)
            return &pipeline;
    }
    return nullptr;
}

FakeGitLab::FakeJob *FakeGitLab::job(const QString &path, qint64 pipelineId, qint64 jobId)
{
    FakePipeline *owner = pipeline(path, pipelineId);
    if (!owner)
        return nullptr;
    for (FakeJob &job : owner->jobs) {
        if (job.id == jobId)
            return &job;
    }
    return nullptr;
}

QJsonObject FakeGitLab::projectJson(const FakeProject &project) const
{
    return {{QStringLiteral("id"), project.id},
            {QStringLiteral("path_with_namespace"), project.path},
            {QStringLiteral("name"), project.path.section(QLatin1Char('/'), -1)},
            {QStringLiteral("web_url"),
             QString(baseUrl().toString() + QLatin1Char('/') + project.path)}};
}

QJsonObject FakeGitLab::pipelineJson(const FakeProject &project, const FakePipeline &pipeline,
                                     bool full) const
{
    const QString web = baseUrl().toString() + QLatin1Char('/') + project.path;
    QJsonObject object{
        {QStringLiteral("id"), pipeline.id},
        {QStringLiteral("iid"), pipeline.iid},
        {QStringLiteral("project_id"), project.id},
        {QStringLiteral("status"), pipeline.status},
        {QStringLiteral("source"), pipeline.source},
        {QStringLiteral("ref"), pipeline.ref},
        {QStringLiteral("sha"), pipeline.sha},
        {QStringLiteral("web_url"),
         QString(web + QStringLiteral("/-/pipelines/") + QString::number(pipeline.id))},
        {QStringLiteral("created_at"), pipeline.createdAt},
        {QStringLiteral("updated_at"), pipeline.updatedAt}};
    if (!full)
        return object;

    const bool running = pipeline.status == QLatin1String("running");
    object.insert(QStringLiteral("started_at"), pipeline.startedAt);
    object.insert(QStringLiteral("finished_at"),
                  running ? QJsonValue(QJsonValue::Null) : QJsonValue(pipeline.finishedAt));
    object.insert(QStringLiteral("duration"),
                  running ? QJsonValue(QJsonValue::Null) : QJsonValue(pipeline.duration));
    object.insert(QStringLiteral("before_sha"),
                  QStringLiteral("0000000000000000000000000000000000000000"));
    object.insert(QStringLiteral("user"),
                  QJsonObject{{QStringLiteral("username"), QStringLiteral("ada")}});
    const QString group
        = pipeline.detailedGroup.isEmpty() ? pipeline.status : pipeline.detailedGroup;
    object.insert(QStringLiteral("detailed_status"),
                  QJsonObject{{QStringLiteral("group"), group},
                              {QStringLiteral("label"),
                               group == QLatin1String("success-with-warnings")
                                   ? QStringLiteral("passed with warnings")
                                   : pipeline.status}});
    return object;
}

FakeReply FakeGitLab::paged(const RecordedRequest &request, const QJsonArray &all) const
{
    const int perPage = std::max(1,
                                 request.queryValue(QStringLiteral("per_page")).toInt() > 0
                                     ? request.queryValue(QStringLiteral("per_page")).toInt()
                                     : 20);
    const int page = std::max(1, request.queryValue(QStringLiteral("page")).toInt());
    QJsonArray slice;
    for (qsizetype i = qsizetype(page - 1) * perPage;
         i < std::min<qsizetype>(all.size(), qsizetype(page) * perPage); ++i)
        slice.append(all.at(i));

    const int pages = std::max(1, int((all.size() + perPage - 1) / perPage));
    FakeReply reply = FakeReply::json(toJson(slice));
    reply.withHeader("X-Page", QByteArray::number(page));
    reply.withHeader("X-Per-Page", QByteArray::number(perPage));
    reply.withHeader("X-Total", QByteArray::number(all.size()));
    reply.withHeader("X-Total-Pages", QByteArray::number(pages));
    // Empty on the last page, as GitLab sends it.
    reply.withHeader("X-Next-Page", page < pages ? QByteArray::number(page + 1) : QByteArray());
    reply.withHeader("X-Prev-Page", page > 1 ? QByteArray::number(page - 1) : QByteArray());
    return reply;
}

FakeReply FakeGitLab::handle(const RecordedRequest &request)
{
    for (auto it = m_overrides.begin(); it != m_overrides.end(); ++it) {
        if (!request.encodedPath.startsWith(it.key()) || it->second == 0)
            continue;
        if (it->second > 0)
            --it->second;
        return it->first;
    }

    if (!m_token.isEmpty() && request.header("private-token") != m_token.toUtf8())
        return FakeReply::json(R"({"message":"401 Unauthorized"})", 401);

    if (!request.encodedPath.startsWith("/api/v4/"))
        return FakeReply::text("<html>not the API</html>", 404);
    const QList<QByteArray> segments = request.encodedPath.mid(8).split('/');
    const QByteArray head = segments.value(0);

    if (head == "version")
        return FakeReply::json(R"({"version":"16.11.2-ee","revision":"1a2b3c"})");
    if (head == "user")
        return FakeReply::json(R"({"id":7,"username":"ada","name":"Ada"})");
    if (head != "projects")
        return notFound("Path");

    if (segments.size() == 1) {
        QJsonArray all;
        for (const FakeProject &project : std::as_const(m_projects))
            all.append(projectJson(project));
        return paged(request, all);
    }

    // One segment holds the whole path, its slashes encoded as %2F.
    const QString id = QUrl::fromPercentEncoding(segments.at(1));
    FakeProject *project = this->project(id);
    if (!project)
        return notFound("Project");
    if (segments.size() == 2)
        return FakeReply::json(toJson(projectJson(*project)));

    const QByteArray area = segments.at(2);
    if (area == "pipelines" && segments.size() == 3) {
        const QString sha = request.queryValue(QStringLiteral("sha"));
        const QString ref = request.queryValue(QStringLiteral("ref"));
        QJsonArray all;
        for (const FakePipeline &pipeline : std::as_const(project->pipelines)) {
            if ((!sha.isEmpty() && pipeline.sha != sha) || (!ref.isEmpty() && pipeline.ref != ref))
                continue;
            all.append(pipelineJson(*project, pipeline, false));
        }
        return paged(request, all);
    }
    if (area == "pipelines") {
        const FakePipeline *pipeline = this->pipeline(project->path, segments.at(3).toLongLong());
        if (!pipeline)
            return notFound("Pipeline");
        if (segments.size() == 4)
            return FakeReply::json(toJson(pipelineJson(*project, *pipeline, true)));
        if (segments.value(4) == "jobs") {
            QJsonArray jobs;
            // GitLab lists a pipeline's jobs newest id first.
            QList<FakeJob> sorted = pipeline->jobs;
            std::sort(sorted.begin(), sorted.end(),
                      [](const FakeJob &a, const FakeJob &b) { return a.id > b.id; });
            for (const FakeJob &job : sorted) {
                QJsonObject object{
                    {QStringLiteral("id"), job.id},
                    {QStringLiteral("name"), job.name},
                    {QStringLiteral("stage"), job.stage},
                    {QStringLiteral("status"), job.status},
                    {QStringLiteral("allow_failure"), job.allowFailure},
                    {QStringLiteral("web_url"),
                     QString(baseUrl().toString() + QLatin1Char('/') + project->path
                             + QStringLiteral("/-/jobs/") + QString::number(job.id))},
                    {QStringLiteral("started_at"),
                     job.started ? QJsonValue(QStringLiteral("2024-05-01T10:00:06.000Z"))
                                 : QJsonValue(QJsonValue::Null)}};
                if (!job.archive.isEmpty()) {
                    object.insert(QStringLiteral("artifacts_file"),
                                  QJsonObject{{QStringLiteral("filename"), job.archive},
                                              {QStringLiteral("size"), job.archiveSize}});
                    object.insert(QStringLiteral("artifacts_expire_at"),
                                  QStringLiteral("2024-06-01T10:04:09.000Z"));
                    if (!job.legacyArtifacts)
                        object.insert(
                            QStringLiteral("artifacts"),
                            QJsonArray{QJsonObject{{QStringLiteral("file_type"),
                                                    QStringLiteral("archive")},
                                                   {QStringLiteral("size"), job.archiveSize},
                                                   {QStringLiteral("filename"), job.archive},
                                                   {QStringLiteral("file_format"),
                                                    QStringLiteral("zip")}},
                                       QJsonObject{{QStringLiteral("file_type"),
                                                    QStringLiteral("junit")},
                                                   {QStringLiteral("size"), 512},
                                                   {QStringLiteral("filename"),
                                                    QStringLiteral("junit.xml.gz")},
                                                   {QStringLiteral("file_format"),
                                                    QStringLiteral("gzip")}}});
                }
                jobs.append(object);
            }
            return paged(request, jobs);
        }
        if (segments.value(4) == "test_report") {
            if (!pipeline->testReport)
                return notFound("Test report");
            return FakeReply::json(toJson(*pipeline->testReport));
        }
        return notFound("Path");
    }
    if (area == "jobs" && segments.value(4) == "trace") {
        for (const FakePipeline &pipeline : std::as_const(project->pipelines)) {
            for (const FakeJob &job : pipeline.jobs) {
                if (job.id != segments.at(3).toLongLong())
                    continue;
                if (!job.trace)
                    return notFound("Trace");
                const QByteArray range = request.header("range");
                if (m_honourRange && range.startsWith("bytes=")) {
                    const qint64 from = range.mid(6, range.indexOf('-') - 6).toLongLong();
                    if (from >= job.trace->size())
                        return FakeReply::text("", 416);
                    FakeReply partial = FakeReply::text(job.trace->mid(from), 206);
                    partial.withHeader("Content-Range",
                                       "bytes " + QByteArray::number(from) + '-'
                                           + QByteArray::number(job.trace->size() - 1) + "/*");
                    return partial;
                }
                return FakeReply::text(*job.trace);
            }
        }
        return notFound("Job");
    }
    if (area == "repository" && segments.value(3) == "commits") {
        const QString sha = QString::fromLatin1(segments.value(4));
        const auto commit = project->commits.constFind(sha);
        if (commit == project->commits.cend())
            return notFound("Commit");
        return FakeReply::json(toJson(*commit));
    }
    return notFound("Path");
}

} // namespace cic::test
