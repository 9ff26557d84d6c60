// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/mock/scenario.h"

#include <QMap>
#include <QObject>
#include <QTimer>

#include <functional>

namespace cic::mock {

// Plays scenarios: at each moment it knows, for every build of a started scenario, its igor
// state (queued, running with the elapsed time as duration, finished) and the log written so
// far. A single-shot QTimer wakes it at the next step, and once a second while a build runs,
// so that a running build's duration grows.
//
// Time comes from a clock (epoch milliseconds, the wall clock unless a test sets another);
// update() evaluates everything at the clock's time, so a test drives a scenario by moving
// its clock and calling update().
class ScenarioEngine final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ScenarioEngine)

public:
    using Clock = std::function<qint64()>;

    enum class State { Stopped, Running, Paused, Finished };

    struct BuildStatus
    {
        QString id;
        Phase phase = Phase::Absent;
        std::optional<BuildResult> result;
        qint64 logBytes = 0;
    };

    struct Status
    {
        QString name;
        QString description;
        QString path;
        State state = State::Stopped;
        int round = 0;
        qint64 elapsedMs = 0; // into the current round
        qint64 lengthMs = 0;
        bool autostart = true;
        LoopOptions loop;
        QList<BuildStatus> builds; // this round's, then kept earlier rounds
    };

    explicit ScenarioEngine(QObject *parent = nullptr);
    ~ScenarioEngine() override;

    void setClock(Clock clock);
    qint64 now() const { return m_clock(); }

    // How often the duration of a running build is brought up to date.
    void setTickInterval(int ms) { m_tickMs = std::max(10, ms); }

    // Off: no scenario starts by itself, whatever its file says; start() still starts one.
    void setAutostartEnabled(bool enabled) { m_autostart = enabled; }
    bool autostartEnabled() const { return m_autostart; }

    // Adds a scenario, or replaces the one with its name. One that is new, or whose
    // fingerprint changed, starts when it autostarts or when the one it replaces had been
    // started; an unchanged one keeps its state. Fails when a build id belongs to another
    // scenario.
    Result<Status> setScenario(const Scenario &scenario);
    bool removeScenario(const QString &name);

    // A reload of the fixture set: scenarios read from files are replaced by these (each as
    // setScenario does); those added at run time stay. Returns the problems found.
    QList<FixtureProblem> syncFromFiles(const QList<Scenario> &scenarios);

    QStringList scenarioNames() const { return m_runs.keys(); }
    std::optional<Status> status(const QString &name) const;
    QList<Status> statuses() const;

    Result<Status> start(const QString &name);
    Result<Status> pause(const QString &name);
    Result<Status> resume(const QString &name);
    Result<Status> reset(const QString &name); // stopped, before its first step
    Result<Status> restart(const QString &name); // reset, then start
    Result<Status> advance(const QString &name, qint64 ms); // jumps forward in its timeline

    // The builds of every started scenario, as they are now (source and project unset).
    BuildList builds() const;
    BuildPtr build(const QString &id) const;

    // The log written so far; nullopt when no scenario has a build with that id.
    std::optional<QByteArray> log(const QString &id) const;

    // True when the build has finished and its log will not change again (a looping
    // scenario that reruns the same build resets it, and says so through logsReset).
    bool isLogFinal(const QString &id) const;

    // The scenario whose build this is; empty for none.
    QString ownerOf(const QString &buildId) const;

    static QString stateName(State state);

public Q_SLOTS:
    // Brings every scenario to the clock's time and emits what changed.
    void update();

Q_SIGNALS:
    // Builds that appeared, changed or went away.
    void buildsChanged(const QStringList &ids);
    // Builds whose log went back to empty or was replaced, rather than growing.
    void logsReset(const QStringList &ids);
    void statusChanged(const QString &name);

private:
    struct TimelineRun
    {
        QString id;
        qint32 number = 0;
        qsizetype applied = 0; // steps applied so far
        Phase phase = Phase::Absent;
        qint64 queuedAt = 0;
        qint64 runAt = 0;
        qint64 finishAt = 0;
        BuildResult result = BuildResult::NotBuilt;
        QByteArray log;
        BuildPtr build;
    };

    struct KeptBuild
    {
        BuildPtr build;
        QByteArray log;
    };

    struct Run
    {
        Scenario scenario;
        State state = State::Stopped;
        qint64 origin = 0; // the clock's time at t = 0 of the current round
        qint64 pausedAt = 0;
        int round = 0;
        QList<TimelineRun> timelines;
        QList<KeptBuild> kept; // finished builds of earlier rounds, oldest first
    };

    struct Changes
    {
        QStringList builds;
        QStringList logs;
        QStringList scenarios;
    };

    Status statusOf(const Run &run) const;
    qint64 elapsed(const Run &run, qint64 now) const;
    Result<Run *> find(const QString &name);

    void beginRound(Run &run, Changes &changes);
    void clearRun(Run &run, Changes &changes);
    void startRun(Run &run, qint64 now, Changes &changes);
    void advanceRun(Run &run, qint64 now, Changes &changes);
    void applyStep(const Run &run, TimelineRun &timeline, const ScenarioStep &step);
    void finishRound(Run &run, Changes &changes);
    void refreshBuilds(Run &run, qint64 now, Changes &changes);
    Build materialize(const BuildTimeline &timeline, const TimelineRun &state, qint64 now) const;

    void commit(Changes &changes);
    void schedule(qint64 now);

    Clock m_clock;
    QTimer m_timer;
    int m_tickMs = 1000;
    bool m_autostart = true;
    QMap<QString, Run> m_runs;
};

} // namespace cic::mock
