// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/providers/buildbot/buildbotmapping.h"

#include "core/model/wirecodec.h"
#include "core/providers/buildids.h"

#include <QLoggingCategory>

namespace cic::buildbot {

namespace {
Q_LOGGING_CATEGORY(lcMapping, "cicompanion.core.providers.buildbot")

QString str(const QJsonObject &object, QLatin1String key)
{
    const QJsonValue value = object.value(key);
    if (value.isString())
        return value.toString();
    if (value.isDouble())
        return QString::number(value.toInteger());
    return {};
}

QDateTime fromEpochSeconds(const QJsonValue &value)
{
    if (!value.isDouble())
        return {};
    return QDateTime::fromSecsSinceEpoch(value.toInteger(), Qt::UTC);
}

// Buildbot's own words for its result codes.
QString resultWord(const QJsonValue &results)
{
    static const char *const names[]
        = {"SUCCESS", "WARNINGS", "FAILURE", "SKIPPED", "EXCEPTION", "RETRY", "CANCELLED"};
    if (!results.isDouble())
        return QStringLiteral("UNFINISHED");
    const qint64 code = results.toInteger();
    if (code < 0 || code > 6)
        return QStringLiteral("RESULT %1").arg(code);
    return QString::fromLatin1(names[code]);
}

QString refName(const QString &branch)
{
    if (branch.isEmpty() || branch.startsWith(QLatin1String("refs/")))
        return branch;
    return QStringLiteral("refs/heads/") + branch;
}

} // namespace

QList<QJsonObject> entities(const QJsonObject &answer, QLatin1String plural)
{
    QList<QJsonObject> list;
    const QJsonArray array = answer.value(plural).toArray();
    list.reserve(array.size());
    for (const QJsonValue &value : array)
        list.append(value.toObject());
    return list;
}

std::optional<BuildResult> mapResult(const QJsonValue &results, bool complete)
{
    if (!complete)
        return BuildResult::Building;
    if (!results.isDouble())
        return BuildResult::NotBuilt; // finished without a verdict: never ran

    switch (results.toInteger()) {
    case 0:
        return BuildResult::Success;
    case 1: // WARNINGS
        return BuildResult::Unstable;
    case 2:
        return BuildResult::Failure;
    case 3: // SKIPPED
        return BuildResult::NotBuilt;
    case 4: // EXCEPTION: the master or worker failed; still an error a person must see
        return BuildResult::Failure;
    case 5: // RETRY: this attempt was interrupted; another build runs for the request
    case 6: // CANCELLED
        return BuildResult::Aborted;
    default:
        qCInfo(lcMapping, "unknown Buildbot result code %lld", results.toInteger());
        return BuildResult::NotBuilt;
    }
}

QJsonValue property(const QJsonObject &build, QLatin1String name)
{
    const QJsonValue entry = build.value(QLatin1String("properties")).toObject().value(name);
    if (!entry.isArray())
        return QJsonValue(QJsonValue::Undefined);
    return entry.toArray().first();
}

QString textProperty(const QJsonObject &build, QLatin1String name)
{
    const QJsonValue value = property(build, name);
    if (value.isString())
        return value.toString();
    if (value.isDouble())
        return QString::number(value.toInteger());
    return {};
}

Builder parseBuilder(const QJsonObject &object)
{
    Builder builder;
    builder.id = object.value(QLatin1String("builderid")).toInt();
    builder.name = str(object, QLatin1String("name"));
    builder.description = str(object, QLatin1String("description"));
    for (const QJsonValue &tag : object.value(QLatin1String("tags")).toArray())
        builder.tags.append(tag.toString());
    return builder;
}

SourceStamp parseSourceStamp(const QJsonObject &object)
{
    SourceStamp stamp;
    stamp.ssid = object.value(QLatin1String("ssid")).toInt();
    stamp.codebase = str(object, QLatin1String("codebase"));
    stamp.repository = str(object, QLatin1String("repository"));
    stamp.branch = str(object, QLatin1String("branch"));
    stamp.revision = str(object, QLatin1String("revision"));
    stamp.project = str(object, QLatin1String("project"));
    return stamp;
}

Change parseChange(const QJsonObject &object)
{
    Change change;
    change.author = str(object, QLatin1String("author"));
    change.comments = str(object, QLatin1String("comments"));
    change.revision = str(object, QLatin1String("revision"));
    change.revlink = str(object, QLatin1String("revlink"));
    change.branch = str(object, QLatin1String("branch"));
    change.repository = str(object, QLatin1String("repository"));
    change.when = fromEpochSeconds(object.value(QLatin1String("when_timestamp")));
    return change;
}

QString personName(const QString &author)
{
    const qsizetype open = author.indexOf(QLatin1Char('<'));
    if (open <= 0)
        return author.trimmed();
    return author.left(open).trimmed();
}

QStringList revisionsOf(const QJsonObject &build, const QList<SourceStamp> &stamps)
{
    QStringList shas;
    auto add = [&shas](const QString &sha) {
        if (!sha.isEmpty() && !shas.contains(sha))
            shas.append(sha);
    };
    add(textProperty(build, QLatin1String("got_revision")));
    add(textProperty(build, QLatin1String("revision")));
    for (const SourceStamp &stamp : stamps)
        add(stamp.revision);
    return shas;
}

QList<GitRevision> revisions(const QJsonObject &build, const QList<SourceStamp> &stamps,
                             const QHash<QString, Change> &changesByRevision,
                             const scm::ScmHosts &hosts)
{
    // got_revision is a string for one codebase, and {codebase: sha} for several.
    const QJsonValue gotRevision = property(build, QLatin1String("got_revision"));
    const QString buildRevision = textProperty(build, QLatin1String("revision"));
    const QString buildBranch = textProperty(build, QLatin1String("branch"));
    const QString buildRepository = textProperty(build, QLatin1String("repository"));

    struct Candidate
    {
        QString codebase, repository, branch, requested;
    };
    QList<Candidate> candidates;
    for (const SourceStamp &stamp : stamps)
        candidates.append({stamp.codebase, stamp.repository, stamp.branch, stamp.revision});
    if (candidates.isEmpty())
        candidates.append({QString(), buildRepository, buildBranch, buildRevision});

    QList<GitRevision> list;
    for (const Candidate &candidate : std::as_const(candidates)) {
        QString sha;
        if (gotRevision.isString() && candidates.size() == 1)
            sha = gotRevision.toString();
        else if (gotRevision.isObject())
            sha = gotRevision.toObject().value(candidate.codebase).toString();
        if (sha.isEmpty())
            sha = candidate.requested;
        if (sha.isEmpty() && candidates.size() == 1)
            sha = buildRevision;

        GitRevision revision;
        revision.sha1 = sha;
        revision.branch = candidate.branch.isEmpty() ? buildBranch : candidate.branch;
        revision.name = refName(revision.branch);
        revision.remoteUrl
            = candidate.repository.isEmpty() ? buildRepository : candidate.repository;
        if (revision.sha1.isEmpty() && revision.branch.isEmpty())
            continue; // nothing to say about this source

        const auto change = changesByRevision.constFind(sha);
        if (!sha.isEmpty() && change != changesByRevision.cend()) {
            revision.committer = personName(change->author);
            revision.message = change->comments;
            revision.timestamp = change->when;
            revision.compareUrl = change->revlink;
            if (revision.remoteUrl.isEmpty())
                revision.remoteUrl = change->repository;
        }
        if (revision.compareUrl.isEmpty() && !sha.isEmpty()) {
            if (const auto repository = scm::parseRemoteUrl(revision.remoteUrl, hosts))
                revision.compareUrl = scm::commitUrl(*repository, sha);
        }
        list.append(revision);
    }
    return list;
}

QString builderUrl(const QUrl &address, int builderId)
{
    QString base = address.toString(QUrl::FullyEncoded);
    if (!base.endsWith(QLatin1Char('/')))
        base += QLatin1Char('/');
    return base + QStringLiteral("#/builders/%1").arg(builderId);
}

QString buildUrl(const QUrl &address, int builderId, int number)
{
    return builderUrl(address, builderId) + QStringLiteral("/builds/%1").arg(number);
}

Build mapBuild(const QJsonObject &json, const Builder &builder, const QList<SourceStamp> &stamps,
               const QHash<QString, Change> &changesByRevision, const Context &context)
{
    Build build;
    build.source = context.source;
    build.project = builder.name;
    build.number = json.value(QLatin1String("number")).toInt();
    build.id = buildids::make(context.source, builder.name, build.number);
    build.name = builder.name;
    build.fullDisplayName = QStringLiteral("%1 #%2").arg(builder.name).arg(build.number);
    build.url = buildUrl(context.address, builder.id, build.number);

    const bool complete = json.value(QLatin1String("complete")).toBool();
    build.building = !complete;
    build.result = mapResult(json.value(QLatin1String("results")), complete);

    const QDateTime started = fromEpochSeconds(json.value(QLatin1String("started_at")));
    const QDateTime completed = fromEpochSeconds(json.value(QLatin1String("complete_at")));
    if (started.isValid()) {
        const qint64 startedMs = started.toMSecsSinceEpoch();
        build.timestampMs = startedMs;
        build.properties.insert(QStringLiteral("startedAt"), wire::isoInstant(started));
        build.properties.insert(QStringLiteral("startedTs"), QString::number(startedMs));
        if (complete && completed.isValid()) {
            build.durationMs = started.msecsTo(completed);
            build.properties.insert(QStringLiteral("completedAt"), wire::isoInstant(completed));
            build.properties.insert(QStringLiteral("completedTs"),
                                    QString::number(completed.toMSecsSinceEpoch()));
        } else if (context.now.isValid()) {
            build.durationMs = std::max<qint64>(0, started.msecsTo(context.now));
        }
    }

    build.scm = revisions(json, stamps, changesByRevision, context.scmHosts);
    for (const GitRevision &revision : std::as_const(build.scm)) {
        const auto repository = scm::parseRemoteUrl(revision.remoteUrl, context.scmHosts);
        if (!repository)
            continue;
        build.properties.insert(QStringLiteral("projectKey"), repository->projectKey);
        build.properties.insert(QStringLiteral("repoSlug"), repository->repoSlug);
        break;
    }

    const QString stateString = str(json, QLatin1String("state_string"));
    if (!stateString.isEmpty())
        build.properties.insert(QStringLiteral("stateString"), stateString);
    return build;
}

QByteArray stripChannels(const QByteArray &content, bool keepHeaderLines)
{
    QByteArray text;
    text.reserve(content.size());
    qsizetype start = 0;
    while (start < content.size()) {
        qsizetype end = content.indexOf('\n', start);
        if (end < 0)
            end = content.size() - 1;
        const QByteArrayView line(content.constData() + start, end - start + 1);
        start = end + 1;

        const char channel = line.isEmpty() ? '\0' : line.front();
        if (channel == 'h' && !keepHeaderLines)
            continue;
        if (channel == 'o' || channel == 'e' || channel == 'h')
            text.append(line.sliced(1));
        else
            text.append(line); // no channel: a text log, or a line Buildbot did not mark
    }
    return text;
}

QByteArray stepOpening(int number, const QString &name, bool first)
{
    QByteArray line = first ? QByteArray() : QByteArray("\n");
    line += QStringLiteral("=== step %1: %2 ===\n").arg(number).arg(name).toUtf8();
    return line;
}

QByteArray stepClosing(int number, const QString &name, const QJsonObject &step)
{
    const QString state = str(step, QLatin1String("state_string"));
    QString line = QStringLiteral("--- step %1 %2: %3")
                       .arg(number)
                       .arg(name, resultWord(step.value(QLatin1String("results"))));
    if (!state.isEmpty())
        line += QStringLiteral(" (%1)").arg(state);
    return (line + QLatin1Char('\n')).toUtf8();
}

} // namespace cic::buildbot
