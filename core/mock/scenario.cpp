// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/mock/scenario.h"

#include "core/mock/wirecheck.h"
#include "core/model/wirecodec.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <algorithm>

namespace cic::mock {

namespace {

// A scenario that expands into more chunks than this is a mistake (a chunk of one line every
// millisecond of a huge file), not a mock.
constexpr qsizetype MaxChunks = 100'000;
constexpr qint64 MaxTimeMs = 7LL * 24 * 3600 * 1000;
constexpr qint64 DefaultEveryMs = 1000;
constexpr qint64 MinLoopRoundMs = 100;

// Parsing state for one scenario: the files read, for the fingerprint, and the set root.
struct Reader
{
    const ScenarioContext &context;
    QCryptographicHash hash{QCryptographicHash::Sha1};

    Result<QByteArray> readFile(const QString &relative)
    {
        if (relative.isEmpty())
            return Error{QStringLiteral("no log file to read: give \"file\", or take the build "
                                        "\"from\" one that has a log")};
        const QString path = QDir::isAbsolutePath(relative) || relative.startsWith(u':')
            ? relative
            : QDir(context.setRoot).filePath(relative);
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return Error{QStringLiteral("cannot read %1: %2").arg(relative, file.errorString())};
        QByteArray data = file.readAll();
        hash.addData(path.toUtf8());
        hash.addData(data);
        return data;
    }
};

QString where(qsizetype build, qsizetype step = -1)
{
    QString text = QStringLiteral("builds[%1]").arg(build);
    if (step >= 0)
        text += QStringLiteral(".timeline[%1]").arg(step);
    return text;
}

Result<qint64> readMs(const QJsonObject &object, const char *key, qint64 fallback)
{
    const QJsonValue value = object.value(QLatin1String(key));
    if (value.isUndefined())
        return fallback;
    const double number = value.toDouble(-1);
    if (!value.isDouble() || number < 0 || number > MaxTimeMs || number != qint64(number))
        return Error{QStringLiteral("\"%1\" must be whole milliseconds from 0 to a week")
                         .arg(QLatin1String(key))};
    return qint64(number);
}

// The lines of a text, each with its line break.
QList<QByteArray> splitLines(const QByteArray &text)
{
    QList<QByteArray> lines;
    qsizetype start = 0;
    while (start < text.size()) {
        qsizetype end = text.indexOf('\n', start);
        end = end < 0 ? text.size() : end + 1;
        lines.append(text.mid(start, end - start));
        start = end;
    }
    return lines;
}

// The build a timeline starts from: "from" (a fixture build) with "build" laid over it.
Result<std::pair<Build, QString>> readBase(const QString &scenarioName, qsizetype index,
                                           const QJsonObject &item, Reader &reader)
{
    QJsonObject json;
    QString logPath;

    const QJsonValue from = item.value(QLatin1String("from"));
    if (from.isString()) {
        const auto found
            = reader.context.findBuild ? reader.context.findBuild(from.toString()) : std::nullopt;
        if (!found)
            return Error{QStringLiteral("%1: \"from\": no build \"%2\" in the fixture set")
                             .arg(where(index), from.toString())};
        json = wire::toJson(found->first);
        logPath = found->second;
        reader.hash.addData(wire::encode(found->first));
    } else if (from.isObject()) {
        const QString file = from.toObject().value(QLatin1String("file")).toString();
        const QString id = from.toObject().value(QLatin1String("id")).toString();
        const Result<QByteArray> data = reader.readFile(file);
        if (!data)
            return Error{QStringLiteral("%1: \"from\": %2").arg(where(index), data.error())};
        const QJsonDocument document = QJsonDocument::fromJson(*data);
        const QJsonArray items
            = document.isArray() ? document.array() : QJsonArray{document.object()};
        for (const QJsonValue &candidate : items) {
            if (candidate.toObject().value(QLatin1String("id")).toString() == id)
                json = candidate.toObject();
        }
        if (json.isEmpty())
            return Error{
                QStringLiteral("%1: \"from\": %2 has no build \"%3\"").arg(where(index), file, id)};
        logPath = QFileInfo(file).dir().filePath(QStringLiteral("logs/%1.log").arg(id));
        if (logPath.startsWith(QLatin1String("./")))
            logPath.remove(0, 2);
    } else if (!from.isUndefined()) {
        return Error{QStringLiteral("%1: \"from\" must be a build id or {\"file\", \"id\"}")
                         .arg(where(index))};
    }

    const QJsonValue fields = item.value(QLatin1String("build"));
    if (!fields.isUndefined() && !fields.isObject())
        return Error{QStringLiteral("%1: \"build\" must be an object").arg(where(index))};
    const QStringList problems = checkWireBuild(fields.toObject(), WireCheck::Fields);
    if (!problems.isEmpty())
        return Error{QStringLiteral("%1: build: %2").arg(where(index), problems.join(u"; "))};
    json = mergeWireFields(json, fields.toObject());

    if (!json.contains(QLatin1String("number")))
        return Error{QStringLiteral("%1: the build needs a \"number\"").arg(where(index))};
    if (!json.contains(QLatin1String("id"))) {
        const QString number = QString::number(json.value(u"number").toInteger());
        json.insert(QStringLiteral("id"), QString(scenarioName + u'-' + number));
    }

    Result<Build> build = wire::fromJson(json);
    if (!build)
        return Error{QStringLiteral("%1: build: %2").arg(where(index), build.error())};
    if (!wire::isPathSafeId(build->id))
        return Error{QStringLiteral("%1: id \"%2\" must be path-safe (A-Z a-z 0-9 . _ ~ -)")
                         .arg(where(index), build->id)};
    return std::pair{std::move(build).value(), logPath};
}

// A "log" step: one text, a list of texts, or lines of a file; each becomes one chunk.
Result<QList<QByteArray>> readChunks(const QJsonObject &step, const QString &baseLog,
                                     Reader &reader, qint64 &everyMs)
{
    const QJsonValue log = step.value(QLatin1String("log"));
    if (log.isString())
        return QList<QByteArray>{log.toString().toUtf8()};

    if (log.isArray()) {
        QList<QByteArray> chunks;
        for (const QJsonValue &text : log.toArray()) {
            if (!text.isString())
                return Error{QStringLiteral("\"log\" lists must hold strings")};
            chunks.append(text.toString().toUtf8());
        }
        return chunks;
    }

    if (!log.isObject())
        return Error{QStringLiteral("\"log\" must be a string, a list of strings or "
                                    "{\"file\", \"lines\", \"chunkLines\", \"everyMs\"}")};

    const QJsonObject spec = log.toObject();
    for (auto it = spec.constBegin(); it != spec.constEnd(); ++it) {
        static const QStringList known = {QStringLiteral("file"), QStringLiteral("lines"),
                                          QStringLiteral("chunkLines"), QStringLiteral("everyMs")};
        if (!known.contains(it.key()))
            return Error{QStringLiteral("unknown key \"log.%1\"").arg(it.key())};
    }
    const Result<qint64> every = readMs(spec, "everyMs", everyMs);
    if (!every)
        return Error{QStringLiteral("log: %1").arg(every.error())};
    everyMs = *every;

    const QString file = spec.value(QLatin1String("file")).toString(baseLog);
    const Result<QByteArray> text = reader.readFile(file);
    if (!text)
        return Error{text.error()};
    const QList<QByteArray> lines = splitLines(*text);

    qsizetype first = 1;
    qsizetype last = lines.size();
    const QJsonValue range = spec.value(QLatin1String("lines"));
    if (!range.isUndefined()) {
        const QJsonArray bounds = range.toArray();
        if (bounds.size() != 2 || !bounds.at(0).isDouble() || !bounds.at(1).isDouble())
            return Error{QStringLiteral("log.lines must be [first, last], counted from 1")};
        first = bounds.at(0).toInteger();
        last = bounds.at(1).toInteger();
        if (first < 1 || last < first || last > lines.size())
            return Error{QStringLiteral("log.lines [%1, %2] is outside %3, which has %4 lines")
                             .arg(first)
                             .arg(last)
                             .arg(file)
                             .arg(lines.size())};
    }

    const double perChunk = spec.value(QLatin1String("chunkLines")).toDouble(0);
    const qsizetype chunkLines = perChunk >= 1 ? qsizetype(perChunk) : last - first + 1;
    if (spec.contains(QLatin1String("chunkLines")) && perChunk < 1)
        return Error{QStringLiteral("log.chunkLines must be at least 1")};

    QList<QByteArray> chunks;
    for (qsizetype line = first; line <= last; line += chunkLines) {
        QByteArray chunk;
        for (qsizetype i = line; i < std::min(line + chunkLines, last + 1); ++i)
            chunk += lines.at(i - 1);
        chunks.append(chunk);
    }
    return chunks;
}

Result<BuildTimeline> readTimeline(const QString &scenarioName, qsizetype index,
                                   const QJsonObject &item, Reader &reader)
{
    for (auto it = item.constBegin(); it != item.constEnd(); ++it) {
        static const QStringList known
            = {QStringLiteral("from"), QStringLiteral("build"), QStringLiteral("timeline")};
        if (!known.contains(it.key()))
            return Error{QStringLiteral("%1: unknown key \"%2\"; a scenario build has from, "
                                        "build and timeline")
                             .arg(where(index), it.key())};
    }

    const Result<std::pair<Build, QString>> base = readBase(scenarioName, index, item, reader);
    if (!base)
        return Error{base.error()};

    BuildTimeline timeline;
    timeline.base = base->first;

    const QJsonValue stepsValue = item.value(QLatin1String("timeline"));
    if (!stepsValue.isArray() || stepsValue.toArray().isEmpty())
        return Error{
            QStringLiteral("%1: \"timeline\" must be a non-empty list of steps").arg(where(index))};

    const QJsonArray steps = stepsValue.toArray();
    qint64 at = 0;
    bool queued = false;
    bool running = false;
    bool finished = false;

    for (qsizetype s = 0; s < steps.size(); ++s) {
        const QString here = where(index, s);
        if (!steps.at(s).isObject())
            return Error{QStringLiteral("%1: a step must be an object").arg(here)};
        const QJsonObject step = steps.at(s).toObject();

        int actions = 0;
        for (auto it = step.constBegin(); it != step.constEnd(); ++it) {
            static const QStringList known
                = {QStringLiteral("afterMs"), QStringLiteral("state"), QStringLiteral("log"),
                   QStringLiteral("everyMs"), QStringLiteral("result")};
            if (!known.contains(it.key()))
                return Error{QStringLiteral("%1: unknown key \"%2\"; a step has afterMs and one "
                                            "of state, log or result")
                                 .arg(here, it.key())};
            if (it.key() == u"state" || it.key() == u"log" || it.key() == u"result")
                ++actions;
        }
        if (actions != 1)
            return Error{
                QStringLiteral("%1: a step has exactly one of state, log or result").arg(here)};
        if (finished)
            return Error{QStringLiteral("%1: nothing can follow the result").arg(here)};

        const Result<qint64> after = readMs(step, "afterMs", 0);
        if (!after)
            return Error{QStringLiteral("%1: %2").arg(here, after.error())};
        at += *after;
        if (at > MaxTimeMs)
            return Error{QStringLiteral("%1: the timeline is longer than a week").arg(here)};

        if (step.contains(QLatin1String("state"))) {
            const QString state = step.value(QLatin1String("state")).toString();
            if (state == u"queued") {
                if (queued || running)
                    return Error{
                        QStringLiteral("%1: a build is queued once, before it runs").arg(here)};
                queued = true;
                timeline.steps.append({ScenarioStep::Kind::Queue, at, {}, {}});
            } else if (state == u"running") {
                if (running)
                    return Error{QStringLiteral("%1: the build is already running").arg(here)};
                running = true;
                timeline.steps.append({ScenarioStep::Kind::Run, at, {}, {}});
            } else {
                return Error{QStringLiteral("%1: \"state\" is \"queued\" or \"running\"; the end "
                                            "is a \"result\"")
                                 .arg(here)};
            }
        } else if (step.contains(QLatin1String("result"))) {
            const auto result = parseResult(step.value(QLatin1String("result")).toString());
            if (!result || *result == BuildResult::Building)
                return Error{QStringLiteral("%1: \"result\" must be SUCCESS, UNSTABLE, FAILURE, "
                                            "ABORTED or NOT_BUILT")
                                 .arg(here)};
            finished = true;
            timeline.steps.append({ScenarioStep::Kind::Finish, at, {}, *result});
        } else {
            qint64 everyMs = DefaultEveryMs;
            if (const Result<qint64> every = readMs(step, "everyMs", DefaultEveryMs); every)
                everyMs = *every;
            else
                return Error{QStringLiteral("%1: %2").arg(here, every.error())};

            const Result<QList<QByteArray>> chunks
                = readChunks(step, base->second, reader, everyMs);
            if (!chunks)
                return Error{QStringLiteral("%1: %2").arg(here, chunks.error())};
            if (timeline.steps.size() + chunks->size() > MaxChunks)
                return Error{
                    QStringLiteral("%1: more than %2 log chunks").arg(here).arg(MaxChunks)};

            for (qsizetype c = 0; c < chunks->size(); ++c) {
                if (c > 0)
                    at += everyMs;
                timeline.steps.append({ScenarioStep::Kind::Log, at, chunks->at(c), {}});
            }
            if (at > MaxTimeMs)
                return Error{QStringLiteral("%1: the timeline is longer than a week").arg(here)};
            running = true; // a chunk starts a queued build
        }
    }
    return timeline;
}

Result<LoopOptions> readLoop(const QJsonValue &value)
{
    LoopOptions loop;
    if (value.isUndefined() || value.isBool()) {
        loop.enabled = value.toBool(false);
        return loop;
    }
    if (!value.isObject())
        return Error{QStringLiteral("\"loop\" must be true, false or {\"delayMs\", \"newBuild\", "
                                    "\"keep\"}")};

    const QJsonObject object = value.toObject();
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        static const QStringList known
            = {QStringLiteral("delayMs"), QStringLiteral("newBuild"), QStringLiteral("keep")};
        if (!known.contains(it.key()))
            return Error{QStringLiteral("unknown key \"loop.%1\"").arg(it.key())};
    }
    loop.enabled = true;
    const Result<qint64> delay = readMs(object, "delayMs", 0);
    if (!delay)
        return Error{QStringLiteral("loop: %1").arg(delay.error())};
    loop.delayMs = *delay;
    loop.newBuild = object.value(QLatin1String("newBuild")).toBool(false);
    const double keep = object.value(QLatin1String("keep")).toDouble(loop.keep);
    if (keep < 0 || keep > 1000 || keep != int(keep))
        return Error{QStringLiteral("loop.keep must be a whole number from 0 to 1000")};
    loop.keep = int(keep);
    return loop;
}

} // namespace

QString phaseName(Phase phase)
{
    switch (phase) {
    case Phase::Absent:
        return QStringLiteral("absent");
    case Phase::Queued:
        return QStringLiteral("queued");
    case Phase::Running:
        return QStringLiteral("running");
    case Phase::Finished:
        return QStringLiteral("finished");
    }
    return {};
}

qint64 Scenario::lengthMs() const
{
    qint64 length = 0;
    for (const BuildTimeline &timeline : builds)
        length = std::max(length, timeline.lengthMs());
    return length;
}

bool isScenarioName(const QString &name)
{
    return wire::isPathSafeId(name) && name.size() <= 100;
}

Result<Scenario> parseScenario(const QString &name, const QByteArray &json,
                               const ScenarioContext &context)
{
    if (!isScenarioName(name))
        return Error{QStringLiteral("the scenario name \"%1\" must be path-safe (A-Z a-z 0-9 . _ "
                                    "~ -)")
                         .arg(name)};

    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return Error{QStringLiteral("invalid JSON: %1 at offset %2")
                         .arg(parseError.errorString())
                         .arg(parseError.offset)};
    if (!document.isObject())
        return Error{QStringLiteral("a scenario is a JSON object")};
    QJsonObject object = document.object();

    static const QStringList topKeys
        = {QStringLiteral("description"), QStringLiteral("autostart"), QStringLiteral("loop"),
           QStringLiteral("builds"),      QStringLiteral("from"),      QStringLiteral("build"),
           QStringLiteral("timeline")};
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        if (!topKeys.contains(it.key()))
            return Error{QStringLiteral("unknown key \"%1\"; a scenario has %2")
                             .arg(it.key(), topKeys.join(QStringLiteral(", ")))};
    }

    // One build may be written at the top level instead of in "builds".
    QJsonArray items = object.value(QLatin1String("builds")).toArray();
    if (object.contains(QLatin1String("timeline"))) {
        if (object.contains(QLatin1String("builds")))
            return Error{QStringLiteral("give either \"builds\" or one build's \"timeline\" at "
                                        "the top, not both")};
        QJsonObject single;
        for (const char *key : {"from", "build", "timeline"}) {
            if (object.contains(QLatin1String(key)))
                single.insert(QLatin1String(key), object.value(QLatin1String(key)));
        }
        items = {single};
    } else if (items.isEmpty()) {
        return Error{QStringLiteral("a scenario needs \"builds\": [{\"build\", \"timeline\"}, "
                                    "...] or a \"timeline\"")};
    }

    Reader reader{context};
    reader.hash.addData(json);

    Scenario scenario;
    scenario.name = name;
    scenario.description = object.value(QLatin1String("description")).toString();
    scenario.autostart = object.value(QLatin1String("autostart")).toBool(true);

    const Result<LoopOptions> loop = readLoop(object.value(QLatin1String("loop")));
    if (!loop)
        return Error{loop.error()};
    scenario.loop = *loop;

    QSet<QString> ids;
    for (qsizetype i = 0; i < items.size(); ++i) {
        if (!items.at(i).isObject())
            return Error{QStringLiteral("%1 must be an object").arg(where(i))};
        Result<BuildTimeline> timeline = readTimeline(name, i, items.at(i).toObject(), reader);
        if (!timeline)
            return Error{timeline.error()};
        if (ids.contains(timeline->base.id))
            return Error{
                QStringLiteral("%1: id \"%2\" is used twice").arg(where(i), timeline->base.id)};
        ids.insert(timeline->base.id);
        scenario.builds.append(std::move(timeline).value());
    }

    if (scenario.loop.enabled && scenario.lengthMs() + scenario.loop.delayMs < MinLoopRoundMs)
        return Error{QStringLiteral("a looping scenario must last at least %1 ms a round (its "
                                    "timeline plus loop.delayMs)")
                         .arg(MinLoopRoundMs)};

    scenario.fingerprint = reader.hash.result();
    return scenario;
}

ScenarioSet loadScenarios(const ScenarioContext &context)
{
    ScenarioSet set;
    const QString folder = QDir(context.setRoot).filePath(QStringLiteral("scenarios"));
    if (!QFileInfo(folder).isDir())
        return set;

    QStringList files;
    QDirIterator it(folder, {QStringLiteral("*.json")}, QDir::Files);
    while (it.hasNext())
        files.append(it.next());
    files.sort();

    QHash<QString, QString> owners; // build id -> scenario
    for (const QString &path : std::as_const(files)) {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            set.problems.append({path, file.errorString()});
            continue;
        }

        Result<Scenario> scenario
            = parseScenario(QFileInfo(path).completeBaseName(), file.readAll(), context);
        if (!scenario) {
            set.problems.append({path, scenario.error()});
            continue;
        }

        QString clash;
        for (const BuildTimeline &timeline : std::as_const(scenario->builds)) {
            if (owners.contains(timeline.base.id))
                clash = QStringLiteral("build id \"%1\" is also in scenario %2; the scenario is "
                                       "skipped")
                            .arg(timeline.base.id, owners.value(timeline.base.id));
        }
        if (!clash.isEmpty()) {
            set.problems.append({path, clash});
            continue;
        }

        for (const BuildTimeline &timeline : std::as_const(scenario->builds))
            owners.insert(timeline.base.id, scenario->name);
        scenario.value().path = path;
        set.scenarios.append(std::move(scenario).value());
    }
    return set;
}

} // namespace cic::mock
