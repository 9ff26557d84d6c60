// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/model/wirecodec.h"

#include "core/util/jsontext.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>
#include <cstdio>
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

namespace {

constexpr qint64 MsPerDay = 86'400'000;

// Days since 1970-01-01 of a proleptic Gregorian date, and back (H. Hinnant's algorithms):
// exact, and much cheaper than QDateTime for the thousands of instants a fixture set holds.
qint64 daysFromCivil(qint64 year, unsigned month, unsigned day)
{
    year -= month <= 2;
    const qint64 era = (year >= 0 ? year : year - 399) / 400;
    const auto yearOfEra = unsigned(year - era * 400);
    const unsigned dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    const unsigned dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return era * 146097 + qint64(dayOfEra) - 719468;
}

void civilFromDays(qint64 days, qint64 &year, unsigned &month, unsigned &day)
{
    days += 719468;
    const qint64 era = (days >= 0 ? days : days - 146096) / 146097;
    const auto dayOfEra = unsigned(days - era * 146097);
    const unsigned yearOfEra =
        (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
    const unsigned dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    const unsigned monthIndex = (5 * dayOfYear + 2) / 153;
    day = dayOfYear - (153 * monthIndex + 2) / 5 + 1;
    month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
    year = qint64(yearOfEra) + era * 400 + (month <= 2);
}

unsigned daysInMonth(qint64 year, unsigned month)
{
    static constexpr unsigned days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : days[month - 1];
}

// Reads `count` digits at text[pos]; false if any is not a digit.
bool digits(QStringView text, qsizetype pos, int count, unsigned &value)
{
    if (pos + count > text.size())
        return false;
    value = 0;
    for (int i = 0; i < count; ++i) {
        const char16_t c = text[pos + i].unicode();
        if (c < u'0' || c > u'9')
            return false;
        value = value * 10 + unsigned(c - u'0');
    }
    return true;
}

// YYYY-MM-DDTHH:MM:SS[.fraction][Z|+HH:MM|+HHMM|+HH], the forms Java and every CI system
// write. No offset means UTC. Anything else is left to QDateTime.
std::optional<qint64> parseIsoMs(QStringView text)
{
    unsigned year, month, day, hour, minute, second;
    if (!digits(text, 0, 4, year) || text.size() < 19 || text[4] != u'-' || text[7] != u'-'
        || (text[10] != u'T' && text[10] != u't' && text[10] != u' ') || text[13] != u':'
        || text[16] != u':' || !digits(text, 5, 2, month) || !digits(text, 8, 2, day)
        || !digits(text, 11, 2, hour) || !digits(text, 14, 2, minute)
        || !digits(text, 17, 2, second))
        return std::nullopt;
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23
        || minute > 59 || second > 59)
        return std::nullopt;

    qsizetype pos = 19;
    unsigned millis = 0;
    if (pos < text.size() && (text[pos] == u'.' || text[pos] == u',')) {
        ++pos;
        int count = 0;
        for (; pos < text.size() && text[pos] >= u'0' && text[pos] <= u'9'; ++pos, ++count) {
            if (count < 3)
                millis = millis * 10 + unsigned(text[pos].unicode() - u'0');
        }
        if (count == 0)
            return std::nullopt;
        for (; count < 3; ++count)
            millis *= 10;
    }

    qint64 offsetMinutes = 0;
    if (pos < text.size()) {
        const QChar sign = text[pos];
        if ((sign == u'Z' || sign == u'z') && pos + 1 == text.size()) {
            // UTC
        } else if (sign == u'+' || sign == u'-') {
            unsigned offsetHours = 0, offsetMins = 0;
            const QStringView zone = text.mid(pos + 1);
            const bool ok = (zone.size() == 2 && digits(zone, 0, 2, offsetHours))
                || (zone.size() == 4 && digits(zone, 0, 2, offsetHours)
                    && digits(zone, 2, 2, offsetMins))
                || (zone.size() == 5 && zone[2] == u':' && digits(zone, 0, 2, offsetHours)
                    && digits(zone, 3, 2, offsetMins));
            if (!ok || offsetHours > 18 || offsetMins > 59)
                return std::nullopt;
            offsetMinutes = qint64(offsetHours * 60 + offsetMins) * (sign == u'-' ? -1 : 1);
        } else {
            return std::nullopt;
        }
    }

    const qint64 days = daysFromCivil(year, month, day);
    const qint64 ms = days * MsPerDay + ((hour * 60 + minute) * 60 + second) * 1000LL + millis;
    return ms - offsetMinutes * 60'000;
}

} // namespace

QString isoInstant(const QDateTime &time)
{
    if (!time.isValid())
        return {};
    return isoInstantFromMs(time.toMSecsSinceEpoch());
}

QString isoInstantFromMs(qint64 epochMs)
{
    const qint64 days = epochMs >= 0 ? epochMs / MsPerDay : -((-epochMs + MsPerDay - 1) / MsPerDay);
    const qint64 msOfDay = epochMs - days * MsPerDay;
    qint64 year;
    unsigned month, day;
    civilFromDays(days, year, month, day);
    if (year < 0 || year > 9999) {
        const QDateTime utc = QDateTime::fromMSecsSinceEpoch(epochMs, Qt::UTC);
        return utc.toString(utc.time().msec() == 0 ? Qt::ISODate : Qt::ISODateWithMs);
    }

    const auto seconds = unsigned(msOfDay / 1000);
    const auto millis = unsigned(msOfDay % 1000);
    char text[32];
    int length = std::snprintf(text, sizeof text, "%04u-%02u-%02uT%02u:%02u:%02u", unsigned(year),
                               month, day, seconds / 3600, seconds / 60 % 60, seconds % 60);
    if (millis != 0)
        length += std::snprintf(text + length, sizeof text - length, ".%03u", millis);
    text[length++] = 'Z';
    return QString::fromLatin1(text, length);
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

    const QString text = value.toString().trimmed();
    if (const std::optional<qint64> ms = parseIsoMs(text))
        return QDateTime::fromMSecsSinceEpoch(*ms, Qt::UTC);
    const QDateTime parsed = QDateTime::fromString(text, Qt::ISODateWithMs);
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
        m_out.append('"').append(QByteArrayView(name)).append("\":", 2);
    }
    void element()
    {
        if (!m_first)
            m_out.append(',');
        m_first = false;
    }
    void string(QStringView value) { json::appendString(m_out, value); }
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
    void integerString(const char *name, qint64 value)
    {
        key(name);
        m_out.append('"').append(QByteArray::number(value)).append('"');
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
    out.reserve(4096);
    Writer w(out);

    w.begin('{');
    w.boolean("building", build.building);
    w.stringIfSet("fullDisplayName", build.fullDisplayName);
    w.stringIfSet("name", build.name);
    w.integer("number", build.number);
    if (build.durationMs)
        w.integer("duration", *build.durationMs);
    if (build.timestampMs)
        w.integerString("timestamp", *build.timestampMs);
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
    out.squeeze(); // the store keeps these bytes as long as the build
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
