// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/model/wirecodec.h"

#include "core/util/jsontext.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>
#include <limits>

namespace cic::wire {

namespace {

void putIfSet(QJsonObject &object, const QString &key, const QString &value)
{
    if (!value.isEmpty())
        object.insert(key, value);
}

QJsonObject stringMap(const QMap<QString, QString> &map)
{
    QJsonObject object;
    for (auto it = map.cbegin(); it != map.cend(); ++it)
        object.insert(it.key(), it.value());
    return object;
}

QJsonObject revisionToJson(const GitRevision &revision)
{
    QJsonObject object;
    putIfSet(object, QStringLiteral("name"), revision.name);
    putIfSet(object, QStringLiteral("branch"), revision.branch);
    putIfSet(object, QStringLiteral("sha1"), revision.sha1);
    putIfSet(object, QStringLiteral("committer"), revision.committer);
    putIfSet(object, QStringLiteral("compareUrl"), revision.compareUrl);
    putIfSet(object, QStringLiteral("message"), revision.message);
    if (revision.timestamp.isValid())
        object.insert(QStringLiteral("timestamp"), isoInstant(revision.timestamp));
    putIfSet(object, QStringLiteral("remoteUrl"), revision.remoteUrl);
    return object;
}

QJsonObject artifactToJson(const BuildArtifact &artifact)
{
    QJsonObject object;
    putIfSet(object, QStringLiteral("fileName"), artifact.fileName);
    putIfSet(object, QStringLiteral("displayPath"), artifact.displayPath);
    putIfSet(object, QStringLiteral("relativePath"), artifact.relativePath);
    putIfSet(object, QStringLiteral("reference"), artifact.reference);
    putIfSet(object, QStringLiteral("name"), artifact.name);
    putIfSet(object, QStringLiteral("type"), artifact.type);
    putIfSet(object, QStringLiteral("version"), artifact.version);
    putIfSet(object, QStringLiteral("url"), artifact.url);
    if (!artifact.metadata.isEmpty())
        object.insert(QStringLiteral("metadata"), stringMap(artifact.metadata));
    object.insert(QStringLiteral("decorated"), artifact.decorated);
    return object;
}

QJsonObject testSummaryToJson(const TestSummary &summary)
{
    return {
        {QStringLiteral("failCount"), summary.failCount},
        {QStringLiteral("skipCount"), summary.skipCount},
        {QStringLiteral("totalCount"), summary.totalCount},
        {QStringLiteral("urlName"),
         summary.urlName.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(summary.urlName)},
    };
}

// Strings stay strings; numbers, booleans and nested values become their text.
QString textOf(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::String:
        return value.toString();
    case QJsonValue::Double: {
        // Whole numbers as integers (1700000000000, not 1.7e+12); the range check keeps the
        // conversion defined.
        const double number = value.toDouble();
        if (number >= -9.0e15 && number <= 9.0e15 && std::trunc(number) == number)
            return QString::number(static_cast<qint64>(number));
        return QString::number(number, 'g', 17);
    }
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Array:
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    case QJsonValue::Object:
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        break;
    }
    return {};
}

std::optional<qint64> integerOf(const QJsonValue &value)
{
    if (value.isDouble()) {
        const double number = value.toDouble();
        if (number < -9.0e18 || number > 9.0e18)
            return std::nullopt;
        return static_cast<qint64>(number);
    }
    if (value.isString()) {
        bool ok = false;
        const qint64 number = value.toString().trimmed().toLongLong(&ok);
        if (ok)
            return number;
    }
    return std::nullopt;
}

bool boolOf(const QJsonValue &value)
{
    if (value.isBool())
        return value.toBool();
    if (value.isDouble())
        return value.toDouble() != 0;
    const QString text = value.toString().trimmed().toLower();
    return text == QLatin1String("true") || text == QLatin1String("1")
        || text == QLatin1String("yes");
}

QMap<QString, QString> stringMapOf(const QJsonValue &value)
{
    QMap<QString, QString> map;
    const QJsonObject object = value.toObject();
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        if (!it.value().isNull() && !it.value().isUndefined())
            map.insert(it.key(), textOf(it.value()));
    }
    return map;
}

GitRevision revisionFromJson(const QJsonObject &object)
{
    GitRevision revision;
    revision.name = textOf(object.value(QLatin1String("name")));
    revision.branch = textOf(object.value(QLatin1String("branch")));
    revision.sha1 = textOf(object.value(QLatin1String("sha1")));
    revision.committer = textOf(object.value(QLatin1String("committer")));
    revision.compareUrl = textOf(object.value(QLatin1String("compareUrl")));
    revision.message = textOf(object.value(QLatin1String("message")));
    revision.timestamp = parseInstant(object.value(QLatin1String("timestamp")));
    revision.remoteUrl = textOf(object.value(QLatin1String("remoteUrl")));
    return revision;
}

BuildArtifact artifactFromJson(const QJsonObject &object)
{
    BuildArtifact artifact;
    artifact.fileName = textOf(object.value(QLatin1String("fileName")));
    artifact.displayPath = textOf(object.value(QLatin1String("displayPath")));
    artifact.relativePath = textOf(object.value(QLatin1String("relativePath")));
    artifact.reference = textOf(object.value(QLatin1String("reference")));
    artifact.name = textOf(object.value(QLatin1String("name")));
    artifact.type = textOf(object.value(QLatin1String("type")));
    artifact.version = textOf(object.value(QLatin1String("version")));
    artifact.url = textOf(object.value(QLatin1String("url")));
    artifact.metadata = stringMapOf(object.value(QLatin1String("metadata")));
    artifact.decorated = boolOf(object.value(QLatin1String("decorated")));
    return artifact;
}

TestSummary testSummaryFromJson(const QJsonObject &object)
{
    TestSummary summary;
    summary.failCount = int(integerOf(object.value(QLatin1String("failCount"))).value_or(0));
    summary.skipCount = int(integerOf(object.value(QLatin1String("skipCount"))).value_or(0));
    summary.totalCount = int(integerOf(object.value(QLatin1String("totalCount"))).value_or(0));
    summary.urlName = textOf(object.value(QLatin1String("urlName")));
    return summary;
}

} // namespace

QString isoInstant(const QDateTime &time)
{
    const QDateTime utc = time.toUTC();
    return utc.toString(utc.time().msec() == 0 ? Qt::ISODate : Qt::ISODateWithMs);
}

QString isoInstantFromMs(qint64 epochMs)
{
    return isoInstant(QDateTime::fromMSecsSinceEpoch(epochMs, Qt::UTC));
}

QDateTime parseInstant(const QJsonValue &value)
{
    if (const auto number = integerOf(value)) {
        // Below 10^11, a count of seconds: 10^11 ms is 1973, 10^11 s is far future.
        const qint64 ms = *number < 100'000'000'000LL ? *number * 1000 : *number;
        return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
    }
    if (!value.isString())
        return {};

    const QDateTime parsed = QDateTime::fromString(value.toString().trimmed(), Qt::ISODateWithMs);
    return parsed.isValid() ? parsed.toUTC() : QDateTime();
}

bool isPathSafeId(QStringView id)
{
    if (id.isEmpty())
        return false;
    return std::all_of(id.begin(), id.end(), [](QChar c) {
        return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9')
            || c == u'.' || c == u'_' || c == u'~' || c == u'-';
    });
}

QJsonObject toJson(const Build &build)
{
    QJsonObject object;
    object.insert(QStringLiteral("building"), build.building);
    putIfSet(object, QStringLiteral("fullDisplayName"), build.fullDisplayName);
    putIfSet(object, QStringLiteral("name"), build.name);
    object.insert(QStringLiteral("number"), build.number);
    if (build.durationMs)
        object.insert(QStringLiteral("duration"), *build.durationMs);
    if (build.timestampMs)
        object.insert(QStringLiteral("timestamp"), QString::number(*build.timestampMs));

    // keel reports a missing result as UNKNOWN, so a running build always says BUILDING.
    if (build.building)
        object.insert(QStringLiteral("result"), resultName(BuildResult::Building));
    else if (build.result)
        object.insert(QStringLiteral("result"), resultName(*build.result));

    QJsonArray artifacts;
    for (const BuildArtifact &artifact : build.artifacts)
        artifacts.append(artifactToJson(artifact));
    object.insert(QStringLiteral("artifacts"), artifacts);

    QJsonArray testResults;
    for (const TestSummary &summary : build.testResults)
        testResults.append(testSummaryToJson(summary));
    object.insert(QStringLiteral("testResults"), testResults);

    putIfSet(object, QStringLiteral("url"), build.url);
    putIfSet(object, QStringLiteral("id"), build.id);

    QJsonArray scm;
    for (const GitRevision &revision : build.scm)
        scm.append(revisionToJson(revision));
    object.insert(QStringLiteral("scm"), scm);

    object.insert(QStringLiteral("properties"), stringMap(build.properties));
    return object;
}

namespace {

// The bytes toJson() would give, written directly and in igor's field order: a store of ten
// thousand builds encodes in milliseconds instead of going through QJsonObject.
class Writer
{
public:
    explicit Writer(QByteArray &out) : m_out(out) { }

    void begin(char bracket)
    {
        m_out.append(bracket);
        m_first = true;
    }
    void end(char bracket)
    {
        m_out.append(bracket);
        m_first = false;
    }
    void key(const char *name)
    {
        if (!m_first)
            m_out.append(',');
        m_first = false;
        m_out.append('"').append(name).append("\":");
    }
    void element()
    {
        if (!m_first)
            m_out.append(',');
        m_first = false;
    }
    void string(const QString &value) { json::appendString(m_out, value.toUtf8()); }
    void stringIfSet(const char *name, const QString &value)
    {
        if (value.isEmpty())
            return;
        key(name);
        string(value);
    }
    void integer(const char *name, qint64 value)
    {
        key(name);
        m_out.append(QByteArray::number(value));
    }
    void boolean(const char *name, bool value)
    {
        key(name);
        m_out.append(value ? "true" : "false");
    }
    void stringMap(const char *name, const QMap<QString, QString> &map)
    {
        key(name);
        begin('{');
        for (auto it = map.cbegin(); it != map.cend(); ++it) {
            element();
            string(it.key());
            m_out.append(':');
            string(it.value());
            m_first = false;
        }
        end('}');
    }

private:
    QByteArray &m_out;
    bool m_first = true;
};

void writeRevision(Writer &w, const GitRevision &revision)
{
    w.begin('{');
    w.stringIfSet("name", revision.name);
    w.stringIfSet("branch", revision.branch);
    w.stringIfSet("sha1", revision.sha1);
    w.stringIfSet("committer", revision.committer);
    w.stringIfSet("compareUrl", revision.compareUrl);
    w.stringIfSet("message", revision.message);
    if (revision.timestamp.isValid())
        w.stringIfSet("timestamp", isoInstant(revision.timestamp));
    w.stringIfSet("remoteUrl", revision.remoteUrl);
    w.end('}');
}

void writeArtifact(Writer &w, const BuildArtifact &artifact)
{
    w.begin('{');
    w.stringIfSet("fileName", artifact.fileName);
    w.stringIfSet("displayPath", artifact.displayPath);
    w.stringIfSet("relativePath", artifact.relativePath);
    w.stringIfSet("reference", artifact.reference);
    w.stringIfSet("name", artifact.name);
    w.stringIfSet("type", artifact.type);
    w.stringIfSet("version", artifact.version);
    w.stringIfSet("url", artifact.url);
    if (!artifact.metadata.isEmpty())
        w.stringMap("metadata", artifact.metadata);
    w.boolean("decorated", artifact.decorated);
    w.end('}');
}

void writeTestSummary(Writer &w, QByteArray &out, const TestSummary &summary)
{
    w.begin('{');
    w.integer("failCount", summary.failCount);
    w.integer("skipCount", summary.skipCount);
    w.integer("totalCount", summary.totalCount);
    w.key("urlName");
    if (summary.urlName.isEmpty())
        out.append("null");
    else
        w.string(summary.urlName);
    w.end('}');
}

} // namespace

QByteArray encode(const Build &build)
{
    QByteArray out;
    out.reserve(1024);
    Writer w(out);

    w.begin('{');
    w.boolean("building", build.building);
    w.stringIfSet("fullDisplayName", build.fullDisplayName);
    w.stringIfSet("name", build.name);
    w.integer("number", build.number);
    if (build.durationMs)
        w.integer("duration", *build.durationMs);
    if (build.timestampMs)
        w.stringIfSet("timestamp", QString::number(*build.timestampMs));
    if (build.building)
        w.stringIfSet("result", resultName(BuildResult::Building));
    else if (build.result)
        w.stringIfSet("result", resultName(*build.result));

    w.key("artifacts");
    w.begin('[');
    for (const BuildArtifact &artifact : build.artifacts) {
        w.element();
        writeArtifact(w, artifact);
    }
    w.end(']');

    w.key("testResults");
    w.begin('[');
    for (const TestSummary &summary : build.testResults) {
        w.element();
        writeTestSummary(w, out, summary);
    }
    w.end(']');

    w.stringIfSet("url", build.url);
    w.stringIfSet("id", build.id);

    w.key("scm");
    w.begin('[');
    for (const GitRevision &revision : build.scm) {
        w.element();
        writeRevision(w, revision);
    }
    w.end(']');

    w.stringMap("properties", build.properties);
    w.end('}');
    return out;
}

QByteArray encodeArray(const QList<QByteArray> &encodedBuilds)
{
    qsizetype size = 2;
    for (const QByteArray &encoded : encodedBuilds)
        size += encoded.size() + 1;

    QByteArray out;
    out.reserve(size);
    out.append('[');
    for (qsizetype i = 0; i < encodedBuilds.size(); ++i) {
        if (i > 0)
            out.append(',');
        out.append(encodedBuilds.at(i));
    }
    out.append(']');
    return out;
}

Result<Build> fromJson(const QJsonObject &object)
{
    Build build;
    build.id = textOf(object.value(QLatin1String("id")));
    build.name = textOf(object.value(QLatin1String("name")));
    build.fullDisplayName = textOf(object.value(QLatin1String("fullDisplayName")));
    build.url = textOf(object.value(QLatin1String("url")));
    build.building = boolOf(object.value(QLatin1String("building")));

    const QJsonValue numberValue = object.value(QLatin1String("number"));
    if (!numberValue.isUndefined() && !numberValue.isNull()) {
        const auto number = integerOf(numberValue);
        if (!number)
            return Error{QStringLiteral("\"number\" is not a whole number")};
        if (*number < 0 || *number > std::numeric_limits<qint32>::max())
            return Error{QStringLiteral("\"number\" %1 does not fit in 32 bits, which keel needs")
                             .arg(*number)};
        build.number = qint32(*number);
    }

    build.durationMs = integerOf(object.value(QLatin1String("duration")));
    if (const QDateTime time = parseInstant(object.value(QLatin1String("timestamp"))); time.isValid())
        build.timestampMs = time.toMSecsSinceEpoch();

    const QJsonValue resultValue = object.value(QLatin1String("result"));
    if (resultValue.isString()) {
        build.result = parseResult(resultValue.toString());
        if (!build.result)
            return Error{QStringLiteral("unknown \"result\" \"%1\"").arg(resultValue.toString())};
    }
    if (build.building)
        build.result = BuildResult::Building;
    else if (build.result == BuildResult::Building)
        build.building = true;

    const QJsonArray artifacts = object.value(QLatin1String("artifacts")).toArray();
    for (const QJsonValue &artifact : artifacts)
        build.artifacts.append(artifactFromJson(artifact.toObject()));

    const QJsonArray testResults = object.value(QLatin1String("testResults")).toArray();
    for (const QJsonValue &summary : testResults)
        build.testResults.append(testSummaryFromJson(summary.toObject()));

    // igor's Java field is genericGitRevisions; only `scm` is on the wire, but be forgiving.
    QJsonValue scm = object.value(QLatin1String("scm"));
    if (!scm.isArray())
        scm = object.value(QLatin1String("genericGitRevisions"));
    for (const QJsonValue &revision : scm.toArray())
        build.scm.append(revisionFromJson(revision.toObject()));

    build.properties = stringMapOf(object.value(QLatin1String("properties")));
    return build;
}

} // namespace cic::wire
