// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/mock/wirecheck.h"

#include "core/model/buildresult.h"
#include "core/model/wirecodec.h"

#include <QJsonArray>

#include <cmath>
#include <limits>

namespace cic::mock {

namespace {

const QStringList &buildKeys()
{
    static const QStringList keys = {
        QStringLiteral("building"),    QStringLiteral("fullDisplayName"),
        QStringLiteral("name"),        QStringLiteral("number"),
        QStringLiteral("duration"),    QStringLiteral("timestamp"),
        QStringLiteral("result"),      QStringLiteral("artifacts"),
        QStringLiteral("testResults"), QStringLiteral("url"),
        QStringLiteral("id"),          QStringLiteral("scm"),
        QStringLiteral("properties"),
    };
    return keys;
}

bool isWholeNumber(const QJsonValue &value, double low, double high)
{
    if (!value.isDouble())
        return false;
    const double number = value.toDouble();
    return std::trunc(number) == number && number >= low && number <= high;
}

void checkObjects(const QJsonObject &object, const QString &key, QStringList &problems)
{
    const QJsonValue value = object.value(key);
    if (!value.isArray()) {
        problems.append(QStringLiteral("\"%1\" must be an array").arg(key));
        return;
    }
    const QJsonArray items = value.toArray();
    for (qsizetype i = 0; i < items.size(); ++i) {
        if (!items.at(i).isObject())
            problems.append(QStringLiteral("\"%1\"[%2] must be an object").arg(key).arg(i));
    }
}

void checkRevisions(const QJsonObject &object, QStringList &problems)
{
    checkObjects(object, QStringLiteral("scm"), problems);
    const QJsonArray revisions = object.value(QLatin1String("scm")).toArray();
    for (qsizetype i = 0; i < revisions.size(); ++i) {
        const QJsonObject revision = revisions.at(i).toObject();
        const QJsonValue sha = revision.value(QLatin1String("sha1"));
        if (!sha.isUndefined() && !sha.isString())
            problems.append(QStringLiteral("\"scm\"[%1].sha1 must be a string").arg(i));
        const QJsonValue committer = revision.value(QLatin1String("committer"));
        if (!committer.isUndefined() && !committer.isString())
            problems.append(QStringLiteral("\"scm\"[%1].committer must be a string (deck reads "
                                           "its length)")
                                .arg(i));
        const QJsonValue time = revision.value(QLatin1String("timestamp"));
        if (!time.isUndefined() && !time.isNull() && !wire::parseInstant(time).isValid())
            problems.append(
                QStringLiteral("\"scm\"[%1].timestamp is not an ISO-8601 instant").arg(i));
    }
}

void checkProperties(const QJsonObject &object, WireCheck mode, QStringList &problems)
{
    const QJsonValue value = object.value(QLatin1String("properties"));
    if (!value.isObject()) {
        problems.append(QStringLiteral("\"properties\" must be an object"));
        return;
    }

    const QJsonObject properties = value.toObject();
    for (auto it = properties.constBegin(); it != properties.constEnd(); ++it) {
        const QJsonValue item = it.value();
        if (item.isNull() && mode == WireCheck::Fields)
            continue;
        if (item.isArray() || item.isObject() || item.isNull())
            problems.append(QStringLiteral("properties.%1 must be a string").arg(it.key()));
    }

    // keel parses these with ZonedDateTime.parse; anything else loses the build's metadata.
    for (const char *key : {"startedAt", "completedAt"}) {
        const QJsonValue time = properties.value(QLatin1String(key));
        if (time.isUndefined() || time.isNull())
            continue;
        const QDateTime parsed = QDateTime::fromString(time.toString(), Qt::ISODateWithMs);
        if (!time.isString() || !parsed.isValid())
            problems.append(QStringLiteral("properties.%1 must be ISO-8601 with a zone, e.g. "
                                           "2026-11-30T12:00:00Z")
                                .arg(QLatin1String(key)));
    }
}

} // namespace

QStringList checkWireBuild(const QJsonObject &object, WireCheck mode)
{
    QStringList problems;

    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        if (!buildKeys().contains(it.key()))
            problems.append(QStringLiteral("unknown key \"%1\"; a build has %2")
                                .arg(it.key(), buildKeys().join(QStringLiteral(", "))));
    }

    if (mode == WireCheck::Whole) {
        if (!object.contains(QLatin1String("id")))
            problems.append(QStringLiteral("\"id\" is required"));
        if (!object.contains(QLatin1String("number")))
            problems.append(QStringLiteral("\"number\" is required"));
    }

    const QJsonValue id = object.value(QLatin1String("id"));
    if (!id.isUndefined() && (!id.isString() || !wire::isPathSafeId(id.toString())))
        problems.append(QStringLiteral("\"id\" must be a non-empty string of A-Z a-z 0-9 . _ ~ "
                                       "- (it is a path segment of /ci/builds/{id}/output)"));

    for (const char *key : {"fullDisplayName", "name", "url"}) {
        const QJsonValue value = object.value(QLatin1String(key));
        if (!value.isUndefined() && !value.isString())
            problems.append(QStringLiteral("\"%1\" must be a string").arg(QLatin1String(key)));
    }

    const QJsonValue building = object.value(QLatin1String("building"));
    if (!building.isUndefined() && !building.isBool())
        problems.append(QStringLiteral("\"building\" must be true or false"));

    const QJsonValue number = object.value(QLatin1String("number"));
    if (!number.isUndefined() && !isWholeNumber(number, 0, std::numeric_limits<qint32>::max()))
        problems.append(QStringLiteral("\"number\" must be a whole number from 0 to 2147483647 "
                                       "(keel reads an Int)"));

    const QJsonValue duration = object.value(QLatin1String("duration"));
    if (!duration.isUndefined() && !isWholeNumber(duration, 0, 9.0e15))
        problems.append(QStringLiteral("\"duration\" must be milliseconds, a whole number"));

    const QJsonValue timestamp = object.value(QLatin1String("timestamp"));
    if (!timestamp.isUndefined()) {
        bool digits = false;
        timestamp.toString().toLongLong(&digits);
        if (!digits && !isWholeNumber(timestamp, 0, 9.0e15))
            problems.append(QStringLiteral("\"timestamp\" must be epoch milliseconds"));
    }

    const QJsonValue result = object.value(QLatin1String("result"));
    if (!result.isUndefined() && (!result.isString() || !parseResult(result.toString()))) {
        QStringList names;
        for (BuildResult known : AllBuildResults)
            names.append(resultName(known));
        problems.append(
            QStringLiteral("\"result\" must be one of %1").arg(names.join(QStringLiteral(", "))));
    }

    if (object.contains(QLatin1String("artifacts")))
        checkObjects(object, QStringLiteral("artifacts"), problems);
    if (object.contains(QLatin1String("testResults")))
        checkObjects(object, QStringLiteral("testResults"), problems);
    if (object.contains(QLatin1String("scm")))
        checkRevisions(object, problems);
    if (object.contains(QLatin1String("properties")))
        checkProperties(object, mode, problems);

    return problems;
}

QJsonObject mergeWireFields(QJsonObject build, const QJsonObject &fields)
{
    for (auto it = fields.constBegin(); it != fields.constEnd(); ++it) {
        if (it.key() != QLatin1String("properties") || !it.value().isObject()) {
            build.insert(it.key(), it.value());
            continue;
        }

        QJsonObject properties = build.value(QLatin1String("properties")).toObject();
        const QJsonObject changes = it.value().toObject();
        for (auto change = changes.constBegin(); change != changes.constEnd(); ++change) {
            if (change.value().isNull())
                properties.remove(change.key());
            else
                properties.insert(change.key(), change.value());
        }
        build.insert(QStringLiteral("properties"), properties);
    }
    return build;
}

} // namespace cic::mock
