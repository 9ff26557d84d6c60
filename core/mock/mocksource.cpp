// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/mock/mocksource.h"

#include "core/mock/wirecheck.h"
#include "core/model/wirecodec.h"
#include "core/providers/fixtures/fixtureprovider.h"

#include <QLoggingCategory>
#include <QPointer>

#include <algorithm>

namespace cic::mock {

namespace {
Q_LOGGING_CATEGORY(lcMock, "cicompanion.core.mock.source")

template<typename T> QFuture<Result<T>> ready(T value)
{
    return QtFuture::makeReadyFuture(Result<T>(std::move(value)));
}

// The same grouping as the fixture provider's, so that edits land in the projects of the set.
QString projectOf(const Build &build)
{
    const QString key = build.projectKey();
    const QString slug = build.repoSlug();
    if (!key.isEmpty() && !slug.isEmpty())
        return key + u'/' + slug;
    if (!build.name.isEmpty())
        return build.name;
    return !slug.isEmpty() ? slug : key;
}

// Start and end times that a hand-written build leaves out, filled the way a CI would: deck
// needs startedTs to show a build, keel reads startedAt and completedAt.
void completeTimes(Build &build, qint64 now)
{
    QMap<QString, QString> &p = build.properties;
    const QString startedAt = QStringLiteral("startedAt");
    const QString startedTs = QStringLiteral("startedTs");
    const QString completedAt = QStringLiteral("completedAt");
    const QString completedTs = QStringLiteral("completedTs");

    auto msOf = [&p](const QString &iso, const QString &ts) -> std::optional<qint64> {
        bool ok = false;
        const qint64 ms = p.value(ts).toLongLong(&ok);
        if (ok)
            return ms;
        const QDateTime time = wire::parseInstant(QJsonValue(p.value(iso)));
        if (time.isValid())
            return time.toMSecsSinceEpoch();
        return std::nullopt;
    };

    const qint64 started = msOf(startedAt, startedTs).value_or(build.timestampMs.value_or(now));
    p.insert(startedAt, p.value(startedAt, wire::isoInstantFromMs(started)));
    p.insert(startedTs, p.value(startedTs, QString::number(started)));
    if (!build.timestampMs)
        build.timestampMs = started;

    if (build.building) {
        p.remove(completedAt);
        p.remove(completedTs);
        return;
    }
    const qint64 completed = msOf(completedAt, completedTs)
                                 .value_or(build.durationMs ? started + *build.durationMs : now);
    p.insert(completedAt, p.value(completedAt, wire::isoInstantFromMs(completed)));
    p.insert(completedTs, p.value(completedTs, QString::number(completed)));
    if (!build.durationMs)
        build.durationMs = std::max<qint64>(0, completed - started);
}

} // namespace

QString originName(Origin origin)
{
    switch (origin) {
    case Origin::Fixture:
        return QStringLiteral("fixture");
    case Origin::Edit:
        return QStringLiteral("edit");
    case Origin::Scenario:
        return QStringLiteral("scenario");
    }
    return {};
}

MockSource::MockSource(const QString &name, const QString &directory, const MockOptions &options,
                       QObject *parent)
    : CiBuildService(parent)
    , m_name(name)
    , m_directory(directory)
    , m_options(options)
    , m_engine(new ScenarioEngine(this))
{
    m_engine->setAutostartEnabled(options.autostart);
    if (!directory.isEmpty()) {
        m_fixtures = new FixtureProvider(name, directory, this);
        if (!options.watch)
            m_fixtures->setWatching(false);
        connect(m_fixtures, &FixtureProvider::reloaded, this, [this] {
            reloadScenarios();
            refresh();
        });
    }

    connect(m_engine, &ScenarioEngine::logsReset, this, &CiBuildService::logsInvalidated);
    connect(m_engine, &ScenarioEngine::buildsChanged, this, [this] { refresh(); });

    reloadScenarios();
    refresh();
}

MockSource::~MockSource() = default;

ScenarioContext MockSource::scenarioContext() const
{
    ScenarioContext context;
    context.setRoot = m_directory;
    QPointer<FixtureProvider> fixtures = m_fixtures;
    context.findBuild = [fixtures](const QString &id) -> std::optional<std::pair<Build, QString>> {
        if (!fixtures)
            return std::nullopt;
        const BuildList builds = fixtures->builds();
        for (const BuildPtr &build : builds) {
            if (build->id == id)
                return std::pair{*build, fixtures->logPath(id)};
        }
        return std::nullopt;
    };
    return context;
}

void MockSource::reloadScenarios()
{
    if (m_directory.isEmpty() || !m_options.scenarios)
        return;

    const ScenarioSet set = loadScenarios(scenarioContext());
    m_scenarioProblems = set.problems;
    m_scenarioProblems += m_engine->syncFromFiles(set.scenarios);
    for (const FixtureProblem &problem : std::as_const(m_scenarioProblems))
        qCWarning(lcMock, "%s", qUtf8Printable(problem.toString()));
}

Result<ScenarioEngine::Status> MockSource::putScenario(const QString &name, const QByteArray &json)
{
    Result<Scenario> scenario = parseScenario(name, json, scenarioContext());
    if (!scenario)
        return Error{scenario.error()};
    return m_engine->setScenario(*scenario);
}

QMap<QString, QString> MockSource::scmMasters() const
{
    return m_fixtures ? m_fixtures->scmMasters() : QMap<QString, QString>();
}

QList<FixtureProblem> MockSource::problems() const
{
    QList<FixtureProblem> all = m_fixtures ? m_fixtures->problems() : QList<FixtureProblem>();
    return all + m_scenarioProblems;
}

BuildPtr MockSource::stamped(const BuildPtr &build)
{
    const auto it = m_stamped.constFind(build->id);
    if (it != m_stamped.cend() && it->first == build)
        return it->second;

    Build copy = *build;
    copy.source = m_name;
    copy.project = projectOf(copy);
    BuildPtr result = std::make_shared<const Build>(std::move(copy));
    m_stamped.insert(build->id, {build, result});
    return result;
}

void MockSource::refresh(const QStringList &replacedLogs)
{
    QHash<QString, std::pair<BuildPtr, Origin>> next;
    if (m_fixtures) {
        const BuildList fixtureBuilds = m_fixtures->builds();
        for (const BuildPtr &build : fixtureBuilds) {
            if (!m_removed.contains(build->id))
                next.insert(build->id, {build, Origin::Fixture});
        }
    }
    for (auto it = m_edits.cbegin(); it != m_edits.cend(); ++it)
        next.insert(it.key(), {it.value(), Origin::Edit});

    QSet<QString> playing;
    const BuildList scenarioBuilds = m_engine->builds();
    for (const BuildPtr &build : scenarioBuilds) {
        next.insert(build->id, {stamped(build), Origin::Scenario});
        playing.insert(build->id);
    }
    for (auto it = m_stamped.begin(); it != m_stamped.end();)
        it = playing.contains(it.key()) ? std::next(it) : m_stamped.erase(it);

    // A log that now comes from somewhere else is not a continuation of the one cached.
    QStringList invalid = replacedLogs;
    for (auto it = m_byId.cbegin(); it != m_byId.cend(); ++it) {
        const auto now = next.constFind(it.key());
        if (now == next.cend() || now->second != it->second)
            invalid.append(it.key());
    }
    invalid.removeDuplicates();

    m_byId = std::move(next);
    m_effective.clear();
    m_effective.reserve(m_byId.size());
    for (const auto &entry : std::as_const(m_byId))
        m_effective.append(entry.first);
    sortNewestFirst(m_effective);

    if (!invalid.isEmpty())
        Q_EMIT logsInvalidated(invalid);
    Q_EMIT buildsInvalidated();
}

BuildList MockSource::builds() const
{
    return m_effective;
}

BuildPtr MockSource::build(const QString &id) const
{
    return m_byId.value(id).first;
}

std::optional<Origin> MockSource::origin(const QString &id) const
{
    const auto it = m_byId.constFind(id);
    if (it == m_byId.cend())
        return std::nullopt;
    return it->second;
}

QFuture<Result<QList<SourceProject>>> MockSource::listProjects()
{
    QList<SourceProject> projects;
    QSet<QString> seen;
    for (const BuildPtr &build : std::as_const(m_effective)) {
        if (seen.contains(build->project))
            continue;
        seen.insert(build->project);
        projects.append({build->project, build->project, {}});
    }
    std::sort(projects.begin(), projects.end(),
              [](const SourceProject &a, const SourceProject &b) { return a.id < b.id; });
    return ready(projects);
}

QFuture<Result<BuildList>> MockSource::fetchRecentBuilds(const QString &project)
{
    if (project.isEmpty())
        return ready(m_effective);

    BuildList builds;
    for (const BuildPtr &build : std::as_const(m_effective)) {
        if (build->project == project)
            builds.append(build);
    }
    return ready(builds);
}

QFuture<Result<BuildList>> MockSource::findBuilds(const BuildQuery &query)
{
    BuildList builds;
    for (const BuildPtr &build : std::as_const(m_effective)) {
        if (query.matches(*build))
            builds.append(build);
    }
    return ready(builds);
}

QFuture<Result<LogChunk>> MockSource::fetchLog(const Build &build, qint64 offset)
{
    const std::optional<QByteArray> played = m_engine->log(build.id);
    const bool edited = m_logEdits.contains(build.id);
    if (!played && !edited) {
        if (m_fixtures && origin(build.id) != Origin::Edit)
            return m_fixtures->fetchLog(build, offset);
        return ready(LogChunk{{}, 0, 0, !build.building});
    }

    // An edited log may still be appended to, so it is never final; a scenario's is final
    // once its build finished.
    const QByteArray text = played ? *played : m_logEdits.value(build.id);
    const qint64 start = std::clamp<qint64>(offset, 0, text.size());
    const bool complete = played && m_engine->isLogFinal(build.id);
    return ready(LogChunk{text.mid(start), start, text.size(), complete});
}

QByteArray MockSource::logText(const QString &id) const
{
    if (const std::optional<QByteArray> played = m_engine->log(id))
        return *played;
    if (m_logEdits.contains(id))
        return m_logEdits.value(id);

    const BuildPtr served = build(id);
    if (!served || !m_fixtures || origin(id) == Origin::Edit)
        return {};
    const Result<LogChunk> chunk = m_fixtures->fetchLog(*served, 0).result();
    return chunk ? chunk->text : QByteArray();
}

qint64 MockSource::setLog(const QString &id, const QByteArray &text)
{
    m_logEdits.insert(id, text);
    Q_EMIT logsInvalidated({id});
    return text.size();
}

qint64 MockSource::appendLog(const QString &id, const QByteArray &text)
{
    auto it = m_logEdits.find(id);
    if (it == m_logEdits.end()) {
        // From now on the log is ours; what a reader cached came from the file.
        it = m_logEdits.insert(id, logText(id));
        Q_EMIT logsInvalidated({id});
    }
    it->append(text);
    return it->size();
}

bool MockSource::revertLog(const QString &id)
{
    if (!m_logEdits.remove(id))
        return false;
    Q_EMIT logsInvalidated({id});
    return true;
}

Result<BuildPtr> MockSource::putBuild(const QString &id, const QJsonObject &json)
{
    QJsonObject object = json;
    const QJsonValue bodyId = object.value(QLatin1String("id"));
    if (!bodyId.isUndefined() && bodyId.toString() != id)
        return Error{QStringLiteral("the body's id \"%1\" differs from \"%2\" in the path")
                         .arg(bodyId.toString(), id)};
    object.insert(QStringLiteral("id"), id);

    const QStringList problems = checkWireBuild(object, WireCheck::Whole);
    if (!problems.isEmpty())
        return Error{problems.join(QStringLiteral("; "))};

    Result<Build> parsed = wire::fromJson(object);
    if (!parsed)
        return Error{parsed.error()};

    Build build = std::move(parsed).value();
    completeTimes(build, m_engine->now());
    build.source = m_name;
    build.project = projectOf(build);

    auto stored = std::make_shared<const Build>(std::move(build));
    m_edits.insert(id, stored);
    m_removed.remove(id);
    qCInfo(lcMock, "%s: build %s set at run time", qUtf8Printable(m_name), qUtf8Printable(id));
    refresh();
    return BuildPtr(stored);
}

Result<BuildPtr> MockSource::patchBuild(const QString &id, const QJsonObject &fields)
{
    const BuildPtr current = build(id);
    if (!current)
        return Error{QStringLiteral("no build \"%1\"").arg(id)};
    if (fields.contains(QLatin1String("id")) && fields.value(QLatin1String("id")) != id)
        return Error{QStringLiteral("a build's id cannot change; create one with PUT instead")};

    const QStringList problems = checkWireBuild(fields, WireCheck::Fields);
    if (!problems.isEmpty())
        return Error{problems.join(QStringLiteral("; "))};

    // A final result finishes a running build, and running again clears the result, so that
    // one field is enough to move a build along.
    QJsonObject merged = mergeWireFields(wire::toJson(*current), fields);
    const bool givesResult = fields.contains(QLatin1String("result"));
    const bool givesBuilding = fields.contains(QLatin1String("building"));
    const bool finalResult
        = givesResult && fields.value(u"result").toString().toUpper() != u"BUILDING";
    if (finalResult && !givesBuilding)
        merged.insert(QStringLiteral("building"), false);
    if (givesBuilding && fields.value(u"building").toBool() && !givesResult)
        merged.insert(QStringLiteral("result"), QStringLiteral("BUILDING"));
    if (givesBuilding && !fields.value(u"building").toBool() && !finalResult)
        return Error{QStringLiteral("a build that stops running needs a \"result\" (SUCCESS, "
                                    "FAILURE, ...)")};

    // Running again: the times of the previous run go.
    if (!current->building && merged.value(u"building").toBool()
        && !fields.value(u"properties").toObject().contains(u"completedAt")) {
        QJsonObject properties = merged.value(u"properties").toObject();
        properties.remove(QStringLiteral("completedAt"));
        properties.remove(QStringLiteral("completedTs"));
        merged.insert(QStringLiteral("properties"), properties);
        if (!fields.contains(u"duration"))
            merged.remove(QStringLiteral("duration"));
    }
    // Finishing: the end is now, unless the fields say otherwise.
    if (current->building && !merged.value(u"building").toBool() && !fields.contains(u"duration"))
        merged.remove(QStringLiteral("duration"));

    Result<Build> parsed = wire::fromJson(merged);
    if (!parsed)
        return Error{parsed.error()};

    Build next = std::move(parsed).value();
    completeTimes(next, m_engine->now());
    next.source = m_name;
    next.project = projectOf(next);

    auto stored = std::make_shared<const Build>(std::move(next));
    m_edits.insert(id, stored);
    refresh();
    return BuildPtr(stored);
}

bool MockSource::removeBuild(const QString &id)
{
    if (!build(id))
        return false;

    m_edits.remove(id);
    m_logEdits.remove(id);
    if (m_fixtures) {
        const BuildList fixtureBuilds = m_fixtures->builds();
        const bool inFiles = std::any_of(fixtureBuilds.cbegin(), fixtureBuilds.cend(),
                                         [&id](const BuildPtr &b) { return b->id == id; });
        if (inFiles)
            m_removed.insert(id);
    }
    refresh({id});
    return true;
}

void MockSource::clearEdits()
{
    QStringList touched = m_edits.keys() + m_logEdits.keys() + m_removed.values();
    m_edits.clear();
    m_logEdits.clear();
    m_removed.clear();
    touched.removeDuplicates();
    refresh(touched);
}

} // namespace cic::mock
