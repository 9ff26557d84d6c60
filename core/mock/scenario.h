// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/model/build.h"
#include "core/providers/fixtures/fixtureprovider.h"
#include "core/util/result.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <functional>
#include <optional>

// A scenario is a script of state changes for mocking igor: builds that queue, run with a log
// that grows chunk by chunk, and finish. Each fixture set may hold them as
// scenarios/<name>.json; docs/fixture-format.md describes the format.
namespace cic::mock {

// Where a scenario build is in its life. Absent: not yet in the queue.
enum class Phase { Absent, Queued, Running, Finished };

QString phaseName(Phase phase);

struct ScenarioStep
{
    enum class Kind { Queue, Run, Log, Finish };

    Kind kind = Kind::Log;
    qint64 atMs = 0; // from the start of the scenario's round
    QByteArray text; // Log: the chunk appended to the build's log
    BuildResult result = BuildResult::Success; // Finish

    bool operator==(const ScenarioStep &) const = default;
};

// One build of a scenario: its fields once finished, and the steps that lead there.
struct BuildTimeline
{
    Build base;
    QList<ScenarioStep> steps; // by time; steps at the same time keep their file order

    qint64 lengthMs() const { return steps.isEmpty() ? 0 : steps.constLast().atMs; }
    bool operator==(const BuildTimeline &) const = default;
};

struct LoopOptions
{
    bool enabled = false;
    qint64 delayMs = 0; // pause between the end of a round and the next
    bool newBuild = false; // each round is a new build (next number) instead of a rerun
    int keep = 5; // with newBuild: finished rounds still listed

    bool operator==(const LoopOptions &) const = default;
};

struct Scenario
{
    QString name; // the file name without .json; a path segment of the control API
    QString description;
    QString path; // the file it came from; empty when added through the control API
    bool autostart = true;
    LoopOptions loop;
    QList<BuildTimeline> builds;

    // Changes whenever the file, or a file it reads (a log, a build), changes: a reload
    // restarts a scenario only when its fingerprint differs.
    QByteArray fingerprint;

    qint64 lengthMs() const;
};

// What a scenario may refer to besides its own file.
struct ScenarioContext
{
    QString setRoot; // relative file names are read from here (may be a ":/" resource path)

    // A build of the fixture set by id, and the path of its log file (empty when it has
    // none), for "from": "<id>". May be empty.
    std::function<std::optional<std::pair<Build, QString>>(const QString &id)> findBuild;
};

// Parses one scenario. Errors name the build and step they are about.
Result<Scenario> parseScenario(const QString &name, const QByteArray &json,
                               const ScenarioContext &context);

// A name is usable when it is a path-safe id (it becomes /_mock/scenarios/{name}).
bool isScenarioName(const QString &name);

struct ScenarioSet
{
    QList<Scenario> scenarios; // by name
    QList<FixtureProblem> problems;
};

// Every <setRoot>/scenarios/*.json. A broken file is reported and skipped. Two scenarios may
// not share a build id.
ScenarioSet loadScenarios(const ScenarioContext &context);

} // namespace cic::mock
