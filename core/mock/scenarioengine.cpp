// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/mock/scenarioengine.h"

#include "core/model/wirecodec.h"

#include <QDateTime>
#include <QLoggingCategory>

#include <algorithm>
#include <limits>

namespace cic::mock {

namespace {
Q_LOGGING_CATEGORY(lcEngine, "cicompanion.core.mock.engine")

const QString StartedAt = QStringLiteral("startedAt");
const QString StartedTs = QStringLiteral("startedTs");
const QString CompletedAt = QStringLiteral("completedAt");
const QString CompletedTs = QStringLiteral("completedTs");

// The id and number of a timeline's build in a round. Without newBuild every round reruns
// the same build; with it, round r numbers the build base + r * stride, and an id that ends
// in the number follows it (keel-app-1091 -> keel-app-1092).
std::pair<QString, qint32> roundIdentity(const Build &base, int round, int stride, bool newBuild)
{
    if (!newBuild || round == 0)
        return {base.id, base.number};

    const qint64 number = qint64(base.number) + qint64(round) * stride;
    const auto bounded = qint32(std::min<qint64>(number, std::numeric_limits<qint32>::max()));
    const QString suffix = u'-' + QString::number(base.number);
    if (base.id.endsWith(suffix))
        return {base.id.chopped(suffix.size()) + u'-' + QString::number(bounded), bounded};
    return {base.id + QStringLiteral("-r") + QString::number(round), bounded};
}

} // namespace

ScenarioEngine::ScenarioEngine(QObject *parent)
    : QObject(parent)
    , m_clock([] { return QDateTime::currentMSecsSinceEpoch(); })
{
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &ScenarioEngine::update);
}

ScenarioEngine::~ScenarioEngine() = default;

void ScenarioEngine::setClock(Clock clock)
{
    m_clock = std::move(clock);
    update();
}

QString ScenarioEngine::stateName(State state)
{
    switch (state) {
    case State::Stopped:
        return QStringLiteral("stopped");
    case State::Running:
        return QStringLiteral("running");
    case State::Paused:
        return QStringLiteral("paused");
    case State::Finished:
        return QStringLiteral("finished");
    }
    return {};
}

qint64 ScenarioEngine::elapsed(const Run &run, qint64 now) const
{
    switch (run.state) {
    case State::Stopped:
        return 0;
    case State::Paused:
        return run.pausedAt - run.origin;
    case State::Running:
    case State::Finished:
        break;
    }
    return now - run.origin;
}

ScenarioEngine::Status ScenarioEngine::statusOf(const Run &run) const
{
    Status status;
    status.name = run.scenario.name;
    status.description = run.scenario.description;
    status.path = run.scenario.path;
    status.state = run.state;
    status.round = run.round;
    status.lengthMs = run.scenario.lengthMs();
    status.elapsedMs = run.state == State::Finished ? status.lengthMs
                                                    : std::max<qint64>(0, elapsed(run, m_clock()));
    status.autostart = run.scenario.autostart;
    status.loop = run.scenario.loop;

    for (const TimelineRun &timeline : run.timelines) {
        std::optional<BuildResult> result;
        if (timeline.build)
            result = timeline.build->effectiveResult();
        status.builds.append({timeline.id, timeline.phase, result, timeline.log.size()});
    }
    for (const KeptBuild &kept : run.kept) {
        status.builds.append(
            {kept.build->id, Phase::Finished, kept.build->effectiveResult(), kept.log.size()});
    }
    return status;
}

std::optional<ScenarioEngine::Status> ScenarioEngine::status(const QString &name) const
{
    const auto it = m_runs.constFind(name);
    if (it == m_runs.cend())
        return std::nullopt;
    return statusOf(*it);
}

QList<ScenarioEngine::Status> ScenarioEngine::statuses() const
{
    QList<Status> list;
    for (const Run &run : m_runs)
        list.append(statusOf(run));
    return list;
}

Result<ScenarioEngine::Run *> ScenarioEngine::find(const QString &name)
{
    const auto it = m_runs.find(name);
    if (it == m_runs.end())
        return Error{QStringLiteral("no scenario \"%1\"").arg(name)};
    return &*it;
}

Result<ScenarioEngine::Status> ScenarioEngine::setScenario(const Scenario &scenario)
{
    for (const Run &other : std::as_const(m_runs)) {
        if (other.scenario.name == scenario.name)
            continue;
        for (const BuildTimeline &mine : scenario.builds) {
            for (const BuildTimeline &theirs : other.scenario.builds) {
                if (mine.base.id == theirs.base.id)
                    return Error{QStringLiteral("build id \"%1\" belongs to scenario \"%2\"")
                                     .arg(mine.base.id, other.scenario.name)};
            }
        }
    }

    Changes changes;
    const qint64 now = m_clock();
    auto it = m_runs.find(scenario.name);

    if (it != m_runs.end() && it->scenario.fingerprint == scenario.fingerprint
        && !scenario.fingerprint.isEmpty()) {
        it->scenario.path = scenario.path; // the same content, perhaps moved
        return statusOf(*it);
    }

    bool wasStarted = false;
    if (it != m_runs.end()) {
        wasStarted = it->state != State::Stopped;
        clearRun(*it, changes);
        it->scenario = scenario;
        qCInfo(lcEngine, "scenario %s changed; %s", qUtf8Printable(scenario.name),
               wasStarted || scenario.autostart ? "restarting it" : "it stays stopped");
    } else {
        it = m_runs.insert(scenario.name, Run{scenario});
        qCInfo(lcEngine, "scenario %s loaded with %lld builds", qUtf8Printable(scenario.name),
               qlonglong(scenario.builds.size()));
    }

    if (wasStarted || (scenario.autostart && m_autostart))
        startRun(*it, now, changes);
    changes.scenarios.append(scenario.name);
    commit(changes);
    return statusOf(*m_runs.find(scenario.name));
}

bool ScenarioEngine::removeScenario(const QString &name)
{
    auto it = m_runs.find(name);
    if (it == m_runs.end())
        return false;

    Changes changes;
    clearRun(*it, changes);
    m_runs.erase(it);
    changes.scenarios.append(name);
    commit(changes);
    return true;
}

QList<FixtureProblem> ScenarioEngine::syncFromFiles(const QList<Scenario> &scenarios)
{
    QList<FixtureProblem> problems;
    QStringList names;
    for (const Scenario &scenario : scenarios)
        names.append(scenario.name);

    const QStringList existing = m_runs.keys();
    for (const QString &name : existing) {
        if (!m_runs.value(name).scenario.path.isEmpty() && !names.contains(name))
            removeScenario(name);
    }

    for (const Scenario &scenario : scenarios) {
        const Result<Status> set = setScenario(scenario);
        if (!set)
            problems.append({scenario.path, set.error()});
    }
    return problems;
}

Result<ScenarioEngine::Status> ScenarioEngine::start(const QString &name)
{
    Result<Run *> run = find(name);
    if (!run)
        return Error{run.error()};

    if ((*run)->state == State::Paused)
        return resume(name);
    if ((*run)->state != State::Running) {
        Changes changes;
        clearRun(**run, changes);
        startRun(**run, m_clock(), changes);
        changes.scenarios.append(name);
        commit(changes);
    }
    return statusOf(**run);
}

Result<ScenarioEngine::Status> ScenarioEngine::pause(const QString &name)
{
    Result<Run *> run = find(name);
    if (!run)
        return Error{run.error()};
    if ((*run)->state != State::Running)
        return Error{QStringLiteral("scenario \"%1\" is %2, not running")
                         .arg(name, stateName((*run)->state))};

    update(); // what was due before the pause still happens
    (*run)->state = State::Paused;
    (*run)->pausedAt = m_clock();
    Changes changes;
    changes.scenarios.append(name);
    commit(changes);
    return statusOf(**run);
}

Result<ScenarioEngine::Status> ScenarioEngine::resume(const QString &name)
{
    Result<Run *> run = find(name);
    if (!run)
        return Error{run.error()};
    if ((*run)->state == State::Running)
        return statusOf(**run);
    if ((*run)->state != State::Paused)
        return Error{QStringLiteral("scenario \"%1\" is %2, not paused")
                         .arg(name, stateName((*run)->state))};

    // The pause shifts the rest of the timeline; steps already taken keep their times.
    const qint64 now = m_clock();
    (*run)->origin += now - (*run)->pausedAt;
    (*run)->state = State::Running;
    Changes changes;
    changes.scenarios.append(name);
    advanceRun(**run, now, changes);
    commit(changes);
    return statusOf(**run);
}

Result<ScenarioEngine::Status> ScenarioEngine::reset(const QString &name)
{
    Result<Run *> run = find(name);
    if (!run)
        return Error{run.error()};

    Changes changes;
    clearRun(**run, changes);
    changes.scenarios.append(name);
    commit(changes);
    return statusOf(**run);
}

Result<ScenarioEngine::Status> ScenarioEngine::restart(const QString &name)
{
    const Result<Status> stopped = reset(name);
    if (!stopped)
        return stopped;
    return start(name);
}

Result<ScenarioEngine::Status> ScenarioEngine::advance(const QString &name, qint64 ms)
{
    Result<Run *> run = find(name);
    if (!run)
        return Error{run.error()};
    if (ms < 0)
        return Error{QStringLiteral("a scenario only moves forward")};
    if ((*run)->state != State::Running && (*run)->state != State::Paused)
        return Error{QStringLiteral("scenario \"%1\" is %2; start it first")
                         .arg(name, stateName((*run)->state))};

    // The jump moves the whole round into the past: what already happened happened ms
    // earlier, so that the times of later steps follow on from it. A paused scenario takes
    // the jump at once and stays paused.
    (*run)->origin -= ms;
    for (TimelineRun &timeline : (*run)->timelines) {
        timeline.queuedAt -= ms;
        timeline.runAt -= ms;
        timeline.finishAt -= ms;
    }
    Changes changes;
    changes.scenarios.append(name);
    advanceRun(**run, m_clock(), changes);
    commit(changes);
    return statusOf(**run);
}

void ScenarioEngine::clearRun(Run &run, Changes &changes)
{
    for (const TimelineRun &timeline : std::as_const(run.timelines)) {
        if (timeline.phase != Phase::Absent) {
            changes.builds.append(timeline.id);
            changes.logs.append(timeline.id);
        }
    }
    for (const KeptBuild &kept : std::as_const(run.kept)) {
        changes.builds.append(kept.build->id);
        changes.logs.append(kept.build->id);
    }
    run.timelines.clear();
    run.kept.clear();
    run.state = State::Stopped;
    run.round = 0;
}

void ScenarioEngine::startRun(Run &run, qint64 now, Changes &changes)
{
    run.state = State::Running;
    run.origin = now;
    run.round = 0;
    beginRound(run, changes);
    advanceRun(run, now, changes);
    qCInfo(lcEngine, "scenario %s started", qUtf8Printable(run.scenario.name));
}

void ScenarioEngine::beginRound(Run &run, Changes &changes)
{
    const QList<TimelineRun> previous = run.timelines;
    run.timelines.clear();
    const int stride = int(run.scenario.builds.size());

    for (const BuildTimeline &timeline : std::as_const(run.scenario.builds)) {
        TimelineRun state;
        std::tie(state.id, state.number)
            = roundIdentity(timeline.base, run.round, stride, run.scenario.loop.newBuild);

        // A timeline that does not open with a state step shows its build queued from the
        // start of the round.
        const ScenarioStep::Kind first = timeline.steps.constFirst().kind;
        if (first != ScenarioStep::Kind::Queue && first != ScenarioStep::Kind::Run) {
            state.phase = Phase::Queued;
            state.queuedAt = run.origin;
        }
        run.timelines.append(state);
    }

    // A rerun of the same build starts its log again.
    for (const TimelineRun &old : previous) {
        if (old.phase == Phase::Absent)
            continue;
        const bool reused
            = std::any_of(run.timelines.cbegin(), run.timelines.cend(),
                          [&old](const TimelineRun &now) { return now.id == old.id; });
        if (reused) {
            changes.logs.append(old.id);
            changes.builds.append(old.id);
        }
    }
}

void ScenarioEngine::applyStep(const Run &run, TimelineRun &timeline, const ScenarioStep &step)
{
    const qint64 at = run.origin + step.atMs;

    if (timeline.phase == Phase::Absent) {
        timeline.phase = Phase::Queued;
        timeline.queuedAt = at;
    }

    switch (step.kind) {
    case ScenarioStep::Kind::Queue:
        break;
    case ScenarioStep::Kind::Log:
        timeline.log += step.text;
        [[fallthrough]]; // a chunk starts a queued build
    case ScenarioStep::Kind::Run:
        if (timeline.phase == Phase::Queued) {
            timeline.phase = Phase::Running;
            timeline.runAt = at;
        }
        break;
    case ScenarioStep::Kind::Finish:
        if (timeline.phase == Phase::Queued)
            timeline.runAt = timeline.queuedAt; // finished straight from the queue
        timeline.phase = Phase::Finished;
        timeline.finishAt = at;
        timeline.result = step.result;
        break;
    }
}

void ScenarioEngine::finishRound(Run &run, Changes &changes)
{
    if (!run.scenario.loop.newBuild)
        return;

    for (const TimelineRun &timeline : std::as_const(run.timelines)) {
        if (timeline.phase != Phase::Absent && timeline.build)
            run.kept.append({timeline.build, timeline.log});
    }
    const qsizetype limit = qsizetype(run.scenario.loop.keep) * run.scenario.builds.size();
    while (run.kept.size() > limit) {
        const KeptBuild dropped = run.kept.takeFirst();
        changes.builds.append(dropped.build->id);
        changes.logs.append(dropped.build->id);
    }
}

void ScenarioEngine::advanceRun(Run &run, qint64 now, Changes &changes)
{
    if (run.state != State::Running && run.state != State::Paused)
        return;

    const qint64 length = run.scenario.lengthMs();
    const qint64 roundMs = length + run.scenario.loop.delayMs;

    // A jump over many rounds plays only the last few: earlier ones would be dropped anyway.
    if (run.scenario.loop.enabled && roundMs > 0) {
        const qint64 rounds = elapsed(run, now) / roundMs;
        const qint64 skip = rounds - (run.scenario.loop.keep + 2);
        if (skip > 0) {
            run.round += int(std::min<qint64>(skip, std::numeric_limits<int>::max() / 2));
            run.origin += skip * roundMs;
            beginRound(run, changes);
        }
    }

    for (;;) {
        const qint64 at = elapsed(run, now);
        bool done = true;

        for (qsizetype i = 0; i < run.timelines.size(); ++i) {
            const BuildTimeline &timeline = run.scenario.builds.at(i);
            TimelineRun &state = run.timelines[i];
            while (state.applied < timeline.steps.size()
                   && timeline.steps.at(state.applied).atMs <= at) {
                applyStep(run, state, timeline.steps.at(state.applied));
                ++state.applied;
            }
            done = done && state.applied == timeline.steps.size();
        }
        refreshBuilds(run, now, changes);

        if (!done)
            return;
        if (!run.scenario.loop.enabled) {
            run.state = State::Finished;
            changes.scenarios.append(run.scenario.name);
            qCInfo(lcEngine, "scenario %s finished", qUtf8Printable(run.scenario.name));
            return;
        }
        if (at < roundMs)
            return;

        finishRound(run, changes);
        run.round += 1;
        run.origin += roundMs;
        beginRound(run, changes);
        changes.scenarios.append(run.scenario.name);
    }
}

void ScenarioEngine::refreshBuilds(Run &run, qint64 now, Changes &changes)
{
    for (qsizetype i = 0; i < run.timelines.size(); ++i) {
        TimelineRun &state = run.timelines[i];
        if (state.phase == Phase::Absent) {
            state.build.reset();
            continue;
        }

        Build next = materialize(run.scenario.builds.at(i), state, now);
        if (state.build && *state.build == next)
            continue;
        state.build = std::make_shared<const Build>(std::move(next));
        changes.builds.append(state.id);
    }
}

Build ScenarioEngine::materialize(const BuildTimeline &timeline, const TimelineRun &state,
                                  qint64 now) const
{
    Build build = timeline.base;
    if (build.id != state.id) {
        build.fullDisplayName.replace(u'#' + QString::number(build.number),
                                      u'#' + QString::number(state.number));
        build.url.replace(build.id, state.id);
        build.id = state.id;
        build.number = state.number;
    }

    build.properties.remove(CompletedAt);
    build.properties.remove(CompletedTs);

    switch (state.phase) {
    case Phase::Absent:
    case Phase::Queued:
        // deck needs a start time to show anything; a queued build has waited since then.
        build.building = false;
        build.result = BuildResult::NotBuilt;
        build.durationMs.reset();
        build.timestampMs = state.queuedAt;
        build.artifacts.clear();
        build.testResults.clear();
        build.properties.insert(StartedAt, wire::isoInstantFromMs(state.queuedAt));
        build.properties.insert(StartedTs, QString::number(state.queuedAt));
        break;
    case Phase::Running:
        build.building = true;
        build.result = BuildResult::Building;
        build.durationMs = std::max<qint64>(0, now - state.runAt);
        build.timestampMs = state.runAt;
        build.artifacts.clear();
        build.testResults.clear();
        build.properties.insert(StartedAt, wire::isoInstantFromMs(state.runAt));
        build.properties.insert(StartedTs, QString::number(state.runAt));
        break;
    case Phase::Finished:
        build.building = false;
        build.result = state.result;
        build.durationMs = state.finishAt - state.runAt;
        build.timestampMs = state.runAt;
        build.properties.insert(StartedAt, wire::isoInstantFromMs(state.runAt));
        build.properties.insert(StartedTs, QString::number(state.runAt));
        build.properties.insert(CompletedAt, wire::isoInstantFromMs(state.finishAt));
        build.properties.insert(CompletedTs, QString::number(state.finishAt));
        break;
    }
    return build;
}

void ScenarioEngine::update()
{
    const qint64 now = m_clock();
    Changes changes;
    for (Run &run : m_runs) {
        // Nothing new is due in a paused scenario, but its running builds' time still grows.
        advanceRun(run, now, changes);
    }
    commit(changes);
}

void ScenarioEngine::commit(Changes &changes)
{
    changes.builds.removeDuplicates();
    changes.logs.removeDuplicates();
    changes.scenarios.removeDuplicates();

    if (!changes.logs.isEmpty())
        Q_EMIT logsReset(changes.logs);
    if (!changes.builds.isEmpty())
        Q_EMIT buildsChanged(changes.builds);
    for (const QString &name : std::as_const(changes.scenarios))
        Q_EMIT statusChanged(name);

    schedule(m_clock());
}

void ScenarioEngine::schedule(qint64 now)
{
    qint64 wake = std::numeric_limits<qint64>::max();

    for (const Run &run : std::as_const(m_runs)) {
        if (run.state != State::Running && run.state != State::Paused)
            continue;

        const bool anyRunning = std::any_of(
            run.timelines.cbegin(), run.timelines.cend(),
            [](const TimelineRun &timeline) { return timeline.phase == Phase::Running; });
        if (anyRunning)
            wake = std::min(wake, now + m_tickMs);
        if (run.state == State::Paused)
            continue;

        bool done = true;
        for (qsizetype i = 0; i < run.timelines.size(); ++i) {
            const QList<ScenarioStep> &steps = run.scenario.builds.at(i).steps;
            const qsizetype applied = run.timelines.at(i).applied;
            if (applied < steps.size()) {
                wake = std::min(wake, run.origin + steps.at(applied).atMs);
                done = false;
            }
        }
        if (done && run.scenario.loop.enabled)
            wake = std::min(wake, run.origin + run.scenario.lengthMs() + run.scenario.loop.delayMs);
    }

    if (wake == std::numeric_limits<qint64>::max()) {
        m_timer.stop();
        return;
    }
    const qint64 delay = std::clamp<qint64>(wake - now, 0, std::numeric_limits<int>::max());
    m_timer.start(int(delay));
}

BuildList ScenarioEngine::builds() const
{
    BuildList list;
    for (const Run &run : m_runs) {
        for (const TimelineRun &timeline : run.timelines) {
            if (timeline.build)
                list.append(timeline.build);
        }
        for (const KeptBuild &kept : run.kept)
            list.append(kept.build);
    }
    return list;
}

BuildPtr ScenarioEngine::build(const QString &id) const
{
    for (const Run &run : m_runs) {
        for (const TimelineRun &timeline : run.timelines) {
            if (timeline.build && timeline.id == id)
                return timeline.build;
        }
        for (const KeptBuild &kept : run.kept) {
            if (kept.build->id == id)
                return kept.build;
        }
    }
    return {};
}

std::optional<QByteArray> ScenarioEngine::log(const QString &id) const
{
    for (const Run &run : m_runs) {
        for (const TimelineRun &timeline : run.timelines) {
            if (timeline.build && timeline.id == id)
                return timeline.log;
        }
        for (const KeptBuild &kept : run.kept) {
            if (kept.build->id == id)
                return kept.log;
        }
    }
    return std::nullopt;
}

bool ScenarioEngine::isLogFinal(const QString &id) const
{
    for (const Run &run : m_runs) {
        for (const TimelineRun &timeline : run.timelines) {
            if (timeline.build && timeline.id == id)
                return timeline.phase == Phase::Finished;
        }
        for (const KeptBuild &kept : run.kept) {
            if (kept.build->id == id)
                return true;
        }
    }
    return false;
}

QString ScenarioEngine::ownerOf(const QString &buildId) const
{
    for (const Run &run : m_runs) {
        for (const TimelineRun &timeline : run.timelines) {
            if (timeline.id == buildId)
                return run.scenario.name;
        }
        for (const KeptBuild &kept : run.kept) {
            if (kept.build->id == buildId)
                return run.scenario.name;
        }
        for (const BuildTimeline &timeline : run.scenario.builds) {
            if (timeline.base.id == buildId)
                return run.scenario.name;
        }
    }
    return {};
}

} // namespace cic::mock
