// SPDX-License-Identifier: GPL-3.0-or-later
#include "tests/support/fakejenkins.h"

#include <QJsonDocument>
#include <QRegularExpression>

namespace cic::test {

namespace {

QByteArray toJson(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

// How many levels of `jobs[` the tree asks for.
int treeDepth(const QString &tree)
{
    return int(tree.count(QStringLiteral("jobs[")));
}

} // namespace

FakeJenkins::FakeJenkins(QObject *parent)
    : QObject(parent)
{
    m_http.setHandler([this](const RecordedRequest &request) { return handle(request); });
}

bool FakeJenkins::start()
{
    if (!m_http.start())
        return false;
    if (m_advertisedRoot.isEmpty())
        m_advertisedRoot = baseUrl().toString() + QLatin1Char('/');
    return true;
}

void FakeJenkins::addFolder(const QStringList &path, const QString &className)
{
    m_items.append({path, className, true, {}});
}

void FakeJenkins::addJob(const QStringList &path, const QString &className)
{
    m_items.append({path, className, false, {}});
}

void FakeJenkins::addBuild(const QStringList &jobPath, const FakeBuild &build)
{
    for (Item &item : m_items) {
        if (item.path == jobPath) {
            item.builds.prepend(build);
            std::sort(item.builds.begin(), item.builds.end(),
                      [](const FakeBuild &a, const FakeBuild &b) { return a.number > b.number; });
            return;
        }
    }
}

FakeJenkins::FakeBuild *FakeJenkins::build(const QStringList &jobPath, int number)
{
    for (Item &item : m_items) {
        if (item.path != jobPath)
            continue;
        for (FakeBuild &build : item.builds) {
            if (build.number == number)
                return &build;
        }
    }
    return nullptr;
}

QString FakeJenkins::itemUrl(const QStringList &path) const
{
    QString url = m_advertisedRoot;
    for (const QString &name : path)
        url += QStringLiteral("job/") + QString::fromLatin1(QUrl::toPercentEncoding(name))
            + QLatin1Char('/');
    return url;
}

FakeReply FakeJenkins::withJenkinsHeaders(FakeReply reply) const
{
    reply.withHeader("X-Jenkins", "2.440.3");
    reply.withHeader("X-Jenkins-Session", "abc123");
    return reply;
}

QJsonArray FakeJenkins::children(const QStringList &path, int depth) const
{
    QJsonArray list;
    for (const Item &item : m_items) {
        if (item.path.size() != path.size() + 1 || item.path.mid(0, path.size()) != path)
            continue;
        list.append(itemJson(item, depth));
    }
    return list;
}

QJsonObject FakeJenkins::itemJson(const Item &item, int depth) const
{
    QJsonObject object{{QStringLiteral("_class"), item.className},
                       {QStringLiteral("name"), item.path.last()},
                       {QStringLiteral("url"), itemUrl(item.path)}};
    if (item.folder) {
        // A real Jenkins stops where the tree stops; so does the fake.
        if (depth > 0)
            object.insert(QStringLiteral("jobs"), children(item.path, depth - 1));
        return object;
    }

    object.insert(QStringLiteral("color"),
                  item.builds.isEmpty() ? QStringLiteral("notbuilt") : QStringLiteral("blue"));
    if (!item.builds.isEmpty())
        object.insert(
            QStringLiteral("lastBuild"),
            QJsonObject{{QStringLiteral("number"), item.builds.first().number},
                        {QStringLiteral("url"),
                         QString(itemUrl(item.path) + QString::number(item.builds.first().number)
                                 + QLatin1Char('/'))}});
    else
        object.insert(QStringLiteral("lastBuild"), QJsonValue::Null);
    object.insert(
        QStringLiteral("actions"),
        QJsonArray{QJsonObject{}, QJsonObject{{QStringLiteral("_class"), QStringLiteral("x.Y")}}});
    return object;
}

QJsonObject FakeJenkins::buildJson(const Item &item, const FakeBuild &build) const
{
    QStringList displayNames;
    for (const QString &name : item.path)
        displayNames.append(QUrl::fromPercentEncoding(name.toUtf8()));
    QJsonObject object{
        {QStringLiteral("_class"),
         QStringLiteral("org.jenkinsci.plugins.workflow.job.WorkflowRun")},
        {QStringLiteral("number"), build.number},
        {QStringLiteral("id"), QString::number(build.number)},
        {QStringLiteral("url"),
         QString(itemUrl(item.path) + QString::number(build.number) + QLatin1Char('/'))},
        {QStringLiteral("displayName"), QStringLiteral("#%1").arg(build.number)},
        {QStringLiteral("fullDisplayName"),
         QString(displayNames.join(QStringLiteral(" \u00bb "))
                 + QStringLiteral(" #%1").arg(build.number))},
        {QStringLiteral("result"),
         build.building ? QJsonValue(QJsonValue::Null) : QJsonValue(build.result)},
        {QStringLiteral("building"), build.building},
        {QStringLiteral("inProgress"), build.building},
        {QStringLiteral("timestamp"), build.timestamp},
        {QStringLiteral("duration"), build.building ? 0 : build.duration},
        {QStringLiteral("estimatedDuration"), 60000},
        {QStringLiteral("actions"), build.actions},
        {QStringLiteral("artifacts"), QJsonArray()},
    };
    for (auto it = build.extra.begin(); it != build.extra.end(); ++it)
        object.insert(it.key(), it.value());
    return object;
}

FakeReply FakeJenkins::handle(const RecordedRequest &request)
{
    for (auto it = m_overrides.begin(); it != m_overrides.end(); ++it) {
        if (!request.encodedPath.startsWith(it.key()) || it->second == 0)
            continue;
        if (it->second > 0)
            --it->second;
        return it->first;
    }

    if (!m_user.isEmpty()) {
        const QByteArray expected
            = "Basic " + (m_user + QLatin1Char(':') + m_secret).toUtf8().toBase64();
        if (request.header("authorization") != expected) {
            FakeReply denied = FakeReply::text("Invalid password/token for user", 401);
            denied.withHeader("WWW-Authenticate", "Basic realm=\"Jenkins\"");
            return withJenkinsHeaders(denied);
        }
    }

    // /job/a/job/b/<rest...>: names decoded once, as Jenkins decodes a path segment.
    const QList<QByteArray> segments = request.encodedPath.split('/');
    QStringList jobPath;
    QStringList rest;
    for (qsizetype i = 1; i < segments.size(); ++i) {
        if (segments.at(i) == "job" && i + 1 < segments.size() && rest.isEmpty()) {
            jobPath.append(QUrl::fromPercentEncoding(segments.at(i + 1)));
            ++i;
            continue;
        }
        if (!segments.at(i).isEmpty())
            rest.append(QUrl::fromPercentEncoding(segments.at(i)));
    }

    if (request.method == "POST" && rest == QStringList{QStringLiteral("build")}) {
        QString session;
        for (const QByteArray &cookie : request.header("cookie").split(';')) {
            const QByteArray trimmed = cookie.trimmed();
            if (trimmed.startsWith("JSESSIONID="))
                session = QString::fromLatin1(trimmed.mid(11));
        }
        const QString crumb = m_sessions.value(session);
        if (crumb.isEmpty() || request.header("jenkins-crumb") != crumb.toLatin1())
            return withJenkinsHeaders(FakeReply::text(
                "<html><body>Error 403 No valid crumb was included in the request</body></html>",
                403));
        ++m_triggered;
        FakeReply created = FakeReply::text("", 201);
        created.withHeader(
            "Location",
            (m_advertisedRoot + QStringLiteral("queue/item/%1/").arg(m_triggered)).toUtf8());
        return withJenkinsHeaders(created);
    }
    return withJenkinsHeaders(handleGet(request, jobPath, rest));
}

FakeReply FakeJenkins::handleGet(const RecordedRequest &request, const QStringList &jobPath,
                                 const QStringList &rest)
{
    const QString tree = request.queryValue(QStringLiteral("tree"));

    if (jobPath.isEmpty()) {
        if (rest == QStringList{QStringLiteral("api"), QStringLiteral("json")})
            return FakeReply::json(
                toJson({{QStringLiteral("_class"), QStringLiteral("hudson.model.Hudson")},
                        {QStringLiteral("mode"), QStringLiteral("NORMAL")},
                        {QStringLiteral("useCrumbs"), true},
                        {QStringLiteral("jobs"), children({}, std::max(1, treeDepth(tree)) - 1)}}));
        if (rest
            == QStringList{QStringLiteral("whoAmI"), QStringLiteral("api"), QStringLiteral("json")})
            return FakeReply::json(toJson(
                {{QStringLiteral("name"), m_user.isEmpty() ? QStringLiteral("anonymous") : m_user},
                 {QStringLiteral("anonymous"), m_user.isEmpty()}}));
        if (rest
            == QStringList{QStringLiteral("crumbIssuer"), QStringLiteral("api"),
                           QStringLiteral("json")}) {
            ++m_crumbRequests;
            const QString session = QStringLiteral("node0s%1").arg(++m_sessionCounter);
            const QString crumb
                = QStringLiteral("%1").arg(qHash(session), 16, 16, QLatin1Char('0'));
            m_sessions.insert(session, crumb);
            FakeReply reply = FakeReply::json(
                toJson({{QStringLiteral("_class"),
                         QStringLiteral("hudson.security.csrf.DefaultCrumbIssuer")},
                        {QStringLiteral("crumb"), crumb},
                        {QStringLiteral("crumbRequestField"), QStringLiteral("Jenkins-Crumb")}}));
            reply.withHeader(
                "Set-Cookie",
                ("JSESSIONID=" + session + QStringLiteral("; Path=/; HttpOnly")).toLatin1());
            return reply;
        }
        return FakeReply::text("Not found", 404);
    }

    const auto item = std::find_if(m_items.cbegin(), m_items.cend(), [&](const Item &candidate) {
        return candidate.path == jobPath;
    });
    if (item == m_items.cend())
        return FakeReply::text("<html>Not found</html>", 404);

    if (rest == QStringList{QStringLiteral("api"), QStringLiteral("json")}) {
        QJsonObject object = itemJson(*item, std::max(1, treeDepth(tree)));
        if (item->folder)
            return FakeReply::json(toJson(object));

        // builds[...]{M,N} or allBuilds[...]{M,N}; builds never reaches past the 100 newest.
        static const QRegularExpression range(
            QStringLiteral(R"(^(builds|allBuilds)\[.*\]\{(\d*),(\d*)\}$)"));
        const QRegularExpressionMatch match = range.match(tree);
        const bool all = match.hasMatch() && match.captured(1) == QLatin1String("allBuilds");
        const QList<FakeBuild> pool = all ? item->builds : item->builds.mid(0, 100);
        const int from
            = match.hasMatch() && !match.captured(2).isEmpty() ? match.captured(2).toInt() : 0;
        const int to = match.hasMatch() && !match.captured(3).isEmpty() ? match.captured(3).toInt()
                                                                        : int(pool.size());
        QJsonArray builds;
        for (int i = from; i < std::min<int>(to, int(pool.size())); ++i)
            builds.append(buildJson(*item, pool.at(i)));
        object.insert(all ? QStringLiteral("allBuilds") : QStringLiteral("builds"), builds);
        return FakeReply::json(toJson(object));
    }

    bool isNumber = false;
    const int number = rest.value(0).toInt(&isNumber);
    if (!isNumber)
        return FakeReply::text("Not found", 404);
    const auto build = std::find_if(item->builds.cbegin(), item->builds.cend(),
                                    [number](const FakeBuild &b) { return b.number == number; });
    if (build == item->builds.cend())
        return FakeReply::text("<html>Not found</html>", 404);

    const QStringList tail = rest.mid(1);
    if (tail == QStringList{QStringLiteral("api"), QStringLiteral("json")})
        return FakeReply::json(toJson(buildJson(*item, *build)));
    if (tail == QStringList{QStringLiteral("consoleText")})
        return FakeReply::text(build->log);
    if (tail == QStringList{QStringLiteral("logText"), QStringLiteral("progressiveText")}) {
        qint64 start = request.queryValue(QStringLiteral("start")).toLongLong();
        if (start > build->log.size())
            start = 0; // Jenkins restarts a read past the end from the beginning
        FakeReply reply = FakeReply::text(build->log.mid(start));
        reply.withHeader("X-Text-Size", QByteArray::number(build->log.size()));
        if (build->building)
            reply.withHeader("X-More-Data", "true");
        return reply;
    }
    if (tail
        == QStringList{QStringLiteral("testReport"), QStringLiteral("api"),
                       QStringLiteral("json")}) {
        if (!build->testReport)
            return FakeReply::text("<html>Not found</html>", 404);
        return FakeReply::json(toJson(*build->testReport));
    }
    return FakeReply::text("Not found", 404);
}

} // namespace cic::test
