// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/providers/jenkins/jenkinsmapping.h"

#include "core/model/wirecodec.h"
#include "core/net/httpclient.h"
#include "core/providers/buildids.h"

#include <QRegularExpression>
#include <QSet>

namespace cic::jenkins {

namespace {

const QString JobFields = QStringLiteral("name,url,color,_class,lastBuild[number],"
                                         "actions[objectUrl]");

bool isFolderClass(const QString &className)
{
    return className.contains(QLatin1String("Folder"))
        || className.contains(QLatin1String("MultiBranchProject"));
}

QString str(const QJsonObject &object, const char *key)
{
    return object.value(QLatin1String(key)).toString();
}

QList<QJsonObject> changeItems(const QJsonObject &build)
{
    QList<QJsonObject> items;
    // Freestyle builds have one changeSet object; Pipeline runs have a changeSets array.
    const QJsonObject single = build.value(QLatin1String("changeSet")).toObject();
    for (const QJsonValue &item : single.value(QLatin1String("items")).toArray())
        items.append(item.toObject());
    for (const QJsonValue &set : build.value(QLatin1String("changeSets")).toArray()) {
        for (const QJsonValue &item : set.toObject().value(QLatin1String("items")).toArray())
            items.append(item.toObject());
    }
    return items;
}

QString firstLine(const QString &text)
{
    return text.section(QLatin1Char('\n'), 0, 0).trimmed();
}

QString objectUrlOf(const QJsonArray &actions)
{
    for (const QJsonValue &value : actions) {
        const QString url = value.toObject().value(QLatin1String("objectUrl")).toString();
        if (!url.isEmpty())
            return url;
    }
    return {};
}

} // namespace

QString Job::displayName() const
{
    QStringList names;
    for (const QString &name : path)
        names.append(QUrl::fromPercentEncoding(name.toUtf8()));
    return names.join(QStringLiteral(" \u00bb "));
}

QString jobTreeQuery(int depth)
{
    QString tree = JobFields;
    for (int level = 1; level < depth; ++level)
        tree = JobFields + QStringLiteral(",jobs[") + tree + QLatin1Char(']');
    return QStringLiteral("jobs[") + tree + QLatin1Char(']');
}

QString buildFields()
{
    return QStringLiteral(
        "number,id,url,displayName,fullDisplayName,result,building,inProgress,duration,"
        "estimatedDuration,timestamp,description,"
        "artifacts[displayPath,fileName,relativePath],"
        "actions[_class,lastBuiltRevision[SHA1,branch[SHA1,name]],remoteUrls,scmName,"
        "failCount,skipCount,totalCount,urlName,objectUrl,parameters[name,value]],"
        "changeSet[kind,items[commitId,msg,comment,timestamp,authorEmail,author[fullName]]],"
        "changeSets[kind,items[commitId,msg,comment,timestamp,authorEmail,author[fullName]]]");
}

QUrl jobUrl(const QUrl &base, const QStringList &path)
{
    QStringList segments;
    for (const QString &name : path) {
        segments.append(QStringLiteral("job"));
        segments.append(name);
    }
    return net::appendPathSegments(base, segments);
}

QUrl buildUrl(const QUrl &base, const QStringList &path, qint32 number)
{
    return net::appendPathSegments(jobUrl(base, path), {QString::number(number)});
}

QUrl rebaseUrl(const QUrl &base, const QString &absolute)
{
    const QUrl url = QUrl::fromEncoded(absolute.toUtf8(), QUrl::StrictMode);
    if (!url.isValid() || url.isRelative())
        return {};
    if (url.host() == base.host() && url.port() == base.port() && url.scheme() == base.scheme())
        return url;

    // Keep the part from the first /job/ (or the whole path when the roots agree).
    const QByteArray path = url.path(QUrl::FullyEncoded).toUtf8();
    const QByteArray basePath = base.path(QUrl::FullyEncoded).toUtf8();
    QByteArray tail;
    if (const qsizetype job = path.indexOf("/job/"); job >= 0)
        tail = path.mid(job);
    else if (!basePath.isEmpty() && path.startsWith(basePath))
        tail = path.mid(basePath.size());
    else
        tail = path;

    QUrl rebased = net::appendEncodedPath(base, tail);
    if (url.hasQuery())
        rebased.setQuery(url.query(QUrl::FullyEncoded), QUrl::StrictMode);
    return rebased;
}

JobTree parseJobTree(const QJsonArray &jobs, const QStringList &parentPath,
                     bool parentIsMultibranch)
{
    JobTree tree;
    for (const QJsonValue &value : jobs) {
        const QJsonObject object = value.toObject();
        const QString name = str(object, "name");
        if (name.isEmpty())
            continue;

        const QString className = str(object, "_class");
        const QStringList path = parentPath + QStringList{name};
        const QJsonValue children = object.value(QLatin1String("jobs"));
        if (children.isArray() || isFolderClass(className)) {
            if (!children.isArray()) {
                tree.unexpandedFolders.append(path);
                continue;
            }
            const bool multibranch = className.contains(QLatin1String("MultiBranch"));
            const JobTree inner = parseJobTree(children.toArray(), path, multibranch);
            tree.jobs += inner.jobs;
            tree.unexpandedFolders += inner.unexpandedFolders;
            continue;
        }

        Job job;
        job.path = path;
        job.className = className;
        job.color = str(object, "color");
        job.lastBuild = object.value(QLatin1String("lastBuild"))
                            .toObject()
                            .value(QLatin1String("number"))
                            .toInt();
        job.inMultibranch = parentIsMultibranch;
        job.pullRequestUrl = objectUrlOf(object.value(QLatin1String("actions")).toArray());
        tree.jobs.append(job);
    }
    return tree;
}

std::optional<BuildResult> mapResult(const QJsonValue &result, bool building)
{
    if (building)
        return BuildResult::Building;
    if (!result.isString())
        return BuildResult::NotBuilt; // no verdict and not running: queued or never ran
    return parseResult(result.toString()).value_or(BuildResult::NotBuilt);
}

QString branchName(const QString &refName)
{
    QString name = refName;
    if (name.startsWith(QLatin1String("refs/remotes/"))) {
        name = name.mid(13);
        return name.section(QLatin1Char('/'), 1); // drop the remote's name
    }
    if (name.startsWith(QLatin1String("refs/heads/")))
        return name.mid(11);
    if (name.startsWith(QLatin1String("refs/tags/")))
        return name.mid(10);
    static const QStringList remotes = {QStringLiteral("origin/"), QStringLiteral("upstream/")};
    for (const QString &remote : remotes) {
        if (name.startsWith(remote))
            return name.mid(remote.size());
    }
    return name;
}

QList<GitRevision> revisions(const QJsonObject &build, const scm::ScmHosts &hosts)
{
    const QList<QJsonObject> changes = changeItems(build);
    QList<GitRevision> found;
    QSet<QString> seen;

    for (const QJsonValue &value : build.value(QLatin1String("actions")).toArray()) {
        const QJsonObject action = value.toObject();
        const QJsonObject last = action.value(QLatin1String("lastBuiltRevision")).toObject();
        const QJsonArray remotes = action.value(QLatin1String("remoteUrls")).toArray();
        // Checkouts without a remote (or actions that only carry _class) say nothing usable.
        if (last.isEmpty() || remotes.isEmpty())
            continue;

        const QString sha = str(last, "SHA1").toLower();
        const QString remote = remotes.first().toString();
        if (sha.isEmpty())
            continue;

        const std::optional<scm::Repository> repository = scm::parseRemoteUrl(remote, hosts);
        GitRevision base;
        base.sha1 = sha;
        base.remoteUrl = remote;
        base.compareUrl = repository ? scm::commitUrl(*repository, sha) : QString();
        for (const QJsonObject &item : changes) {
            if (str(item, "commitId").toLower() != sha)
                continue;
            base.message = firstLine(item.value(QLatin1String("comment")).toString());
            if (base.message.isEmpty())
                base.message = str(item, "msg");
            base.committer = item.value(QLatin1String("author"))
                                 .toObject()
                                 .value(QLatin1String("fullName"))
                                 .toString();
            if (base.committer.isEmpty())
                base.committer = str(item, "authorEmail");
            base.timestamp = wire::parseInstant(item.value(QLatin1String("timestamp")));
        }

        QJsonArray branches = last.value(QLatin1String("branch")).toArray();
        if (branches.isEmpty())
            branches.append(QJsonObject{{QStringLiteral("name"), QStringLiteral("detached")}});
        for (const QJsonValue &branchValue : branches) {
            GitRevision revision = base;
            revision.name = branchValue.toObject().value(QLatin1String("name")).toString();
            revision.branch = branchName(revision.name);
            const QString key = sha + QLatin1Char('|') + remote + QLatin1Char('|') + revision.name;
            if (seen.contains(key))
                continue; // Jenkins repeats BuildData for every checkout of the same repository
            seen.insert(key);
            found.append(revision);
        }
    }
    return found;
}

Build mapBuild(const QJsonObject &json, const Job &job, const Context &context)
{
    Build build;
    build.source = context.source;
    build.project = job.fullName();
    build.name = job.fullName();
    build.number = json.value(QLatin1String("number")).toInt();
    build.id = buildids::make(context.source, job.fullName(), build.number);
    build.fullDisplayName = str(json, "fullDisplayName");
    if (build.fullDisplayName.isEmpty())
        build.fullDisplayName
            = job.displayName() + QStringLiteral(" #") + QString::number(build.number);

    build.building = json.value(QLatin1String("building")).toBool()
        || json.value(QLatin1String("inProgress")).toBool();
    build.result = mapResult(json.value(QLatin1String("result")), build.building);

    const QJsonValue timestamp = json.value(QLatin1String("timestamp"));
    const qint64 startedMs = timestamp.isDouble() ? qint64(timestamp.toDouble()) : 0;
    const qint64 durationMs = qint64(json.value(QLatin1String("duration")).toDouble());
    if (startedMs > 0)
        build.timestampMs = startedMs;
    build.durationMs = durationMs;

    const QUrl rebased = rebaseUrl(context.base, str(json, "url"));
    const QUrl ownUrl = rebased.isValid() && !rebased.isEmpty()
        ? rebased
        : buildUrl(context.base, job.path, build.number);
    build.url = ownUrl.toString(QUrl::FullyEncoded);
    QString buildBase = build.url;
    if (!buildBase.endsWith(QLatin1Char('/')))
        buildBase += QLatin1Char('/');

    for (const QJsonValue &value : json.value(QLatin1String("artifacts")).toArray()) {
        const QJsonObject object = value.toObject();
        BuildArtifact artifact;
        artifact.fileName = str(object, "fileName");
        artifact.displayPath = str(object, "displayPath");
        artifact.relativePath = str(object, "relativePath");
        artifact.name = artifact.fileName;
        const QUrl url = net::appendPathSegments(QUrl(buildBase + QStringLiteral("artifact")),
                                                 artifact.relativePath.split(QLatin1Char('/')));
        artifact.url = url.toString(QUrl::FullyEncoded);
        artifact.reference = artifact.url;
        build.artifacts.append(artifact);
    }

    QString pullRequestUrl;
    QString pullRequestNumber;
    for (const QJsonValue &value : json.value(QLatin1String("actions")).toArray()) {
        const QJsonObject action = value.toObject();
        if (action.contains(QLatin1String("totalCount"))) {
            TestSummary summary;
            summary.failCount = action.value(QLatin1String("failCount")).toInt();
            summary.skipCount = action.value(QLatin1String("skipCount")).toInt();
            summary.totalCount = action.value(QLatin1String("totalCount")).toInt();
            summary.urlName = str(action, "urlName");
            build.testResults.append(summary);
        }
        for (const QJsonValue &parameter : action.value(QLatin1String("parameters")).toArray()) {
            const QJsonObject object = parameter.toObject();
            if (str(object, "name") == QLatin1String("CHANGE_ID"))
                pullRequestNumber = object.value(QLatin1String("value")).toVariant().toString();
            if (str(object, "name") == QLatin1String("CHANGE_URL"))
                pullRequestUrl = str(object, "value");
        }
        const QString objectUrl = str(action, "objectUrl");
        if (pullRequestUrl.isEmpty() && !objectUrl.isEmpty())
            pullRequestUrl = objectUrl;
    }

    // A multibranch pull-request job is named PR-<number>.
    static const QRegularExpression pullRequestJob(QStringLiteral(R"(^(?:PR|MR)-(\d+)$)"));
    const QRegularExpressionMatch match = pullRequestJob.match(job.path.last());
    if (pullRequestNumber.isEmpty() && job.inMultibranch && match.hasMatch())
        pullRequestNumber = match.captured(1);
    if (pullRequestUrl.isEmpty())
        pullRequestUrl = job.pullRequestUrl;
    if (!pullRequestNumber.isEmpty()) {
        build.properties.insert(QStringLiteral("pullRequestNumber"), pullRequestNumber);
        if (!pullRequestUrl.isEmpty())
            build.properties.insert(QStringLiteral("pullRequestUrl"), pullRequestUrl);
    }

    build.scm = revisions(json, context.scmHosts);
    if (!build.scm.isEmpty()) {
        const std::optional<scm::Repository> repository
            = scm::parseRemoteUrl(build.scm.first().remoteUrl, context.scmHosts);
        if (repository) {
            build.properties.insert(QStringLiteral("projectKey"), repository->projectKey);
            build.properties.insert(QStringLiteral("repoSlug"), repository->repoSlug);
        }
    }

    if (startedMs > 0) {
        build.properties.insert(QStringLiteral("startedAt"), wire::isoInstantFromMs(startedMs));
        build.properties.insert(QStringLiteral("startedTs"), QString::number(startedMs));
        if (!build.building) {
            const qint64 completedMs = startedMs + durationMs;
            build.properties.insert(QStringLiteral("completedAt"),
                                    wire::isoInstantFromMs(completedMs));
            build.properties.insert(QStringLiteral("completedTs"), QString::number(completedMs));
        }
    }
    return build;
}

QList<FailedTest> failedTests(const QJsonObject &testReport, int limit)
{
    QList<FailedTest> failed;
    QJsonArray suites = testReport.value(QLatin1String("suites")).toArray();
    // Aggregated reports (matrix jobs) nest one report per child.
    for (const QJsonValue &child : testReport.value(QLatin1String("childReports")).toArray()) {
        const QJsonObject result = child.toObject().value(QLatin1String("result")).toObject();
        for (const QJsonValue &suite : result.value(QLatin1String("suites")).toArray())
            suites.append(suite);
    }

    for (const QJsonValue &suiteValue : std::as_const(suites)) {
        const QJsonObject suite = suiteValue.toObject();
        for (const QJsonValue &caseValue : suite.value(QLatin1String("cases")).toArray()) {
            const QJsonObject testCase = caseValue.toObject();
            const QString status = str(testCase, "status");
            if (status != QLatin1String("FAILED") && status != QLatin1String("REGRESSION"))
                continue;
            QString suiteName = str(testCase, "className");
            if (suiteName.isEmpty())
                suiteName = str(suite, "name");
            failed.append({suiteName, str(testCase, "name"), str(testCase, "errorDetails")});
            if (failed.size() >= limit)
                return failed;
        }
    }
    return failed;
}

QByteArray stripConsoleNotes(const QByteArray &text)
{
    if (!text.contains("\x1b[8mha:"))
        return text;

    QByteArray out;
    out.reserve(text.size());
    qsizetype position = 0;
    while (true) {
        const qsizetype start = text.indexOf("\x1b[8mha:", position);
        if (start < 0)
            break;
        const qsizetype end = text.indexOf("\x1b[0m", start);
        if (end < 0)
            break;
        out.append(text.constData() + position, start - position);
        position = end + 4;
    }
    out.append(text.constData() + position, text.size() - position);
    return out;
}

} // namespace cic::jenkins
