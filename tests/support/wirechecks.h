// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Shared by the suites that look at igor's wire shape: reading the golden files, and the
// checks every build on the wire must pass whatever its values (the traps of the contract).

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>

#include <limits>

namespace cic::testing {

inline QString dataPath(const QString &relative)
{
    return QStringLiteral(CIC_SOURCE_DIR "/tests/data/") + relative;
}

inline QJsonDocument readJson(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &error);
    if (error.error != QJsonParseError::NoError)
        qFatal("%s: %s", qPrintable(path), qPrintable(error.errorString()));
    return document;
}

inline QJsonDocument golden(const QString &name)
{
    return readJson(dataPath(QStringLiteral("golden/") + name));
}

inline bool isIsoInstant(const QString &text)
{
    static const QRegularExpression pattern(
        QStringLiteral("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{3})?Z$"));
    return pattern.match(text).hasMatch();
}

inline bool isDigits(const QString &text)
{
    static const QRegularExpression pattern(QStringLiteral("^\\d+$"));
    return pattern.match(text).hasMatch();
}

// What gate, keel and deck need of every build, value by value (spec 2.8 and 7). Call with
// QVERIFY(checkWireBuild(...)) so the failing rule is reported.
inline bool checkWireBuild(const QJsonObject &build, QString *why)
{
    auto fail = [why](const QString &message) {
        *why = message;
        return false;
    };

    if (!build.value(u"building").isBool())
        return fail(QStringLiteral("building is not a boolean"));

    const QJsonValue number = build.value(u"number");
    if (!number.isDouble() || number.toDouble() != double(qint64(number.toDouble()))
        || number.toDouble() < 0 || number.toDouble() > std::numeric_limits<qint32>::max())
        return fail(QStringLiteral("number is not a whole number within 32 bits"));

    if (build.contains(u"timestamp")
        && (!build.value(u"timestamp").isString()
            || !isDigits(build.value(u"timestamp").toString())))
        return fail(QStringLiteral("timestamp is not a string of epoch milliseconds"));
    if (build.contains(u"duration") && !build.value(u"duration").isDouble())
        return fail(QStringLiteral("duration is not a number"));

    static const QStringList results
        = {QStringLiteral("SUCCESS"), QStringLiteral("UNSTABLE"), QStringLiteral("BUILDING"),
           QStringLiteral("ABORTED"), QStringLiteral("FAILURE"),  QStringLiteral("NOT_BUILT")};
    if (build.contains(u"result") && !results.contains(build.value(u"result").toString()))
        return fail(QStringLiteral("result is not one of igor's names"));
    if (build.value(u"building").toBool() && build.value(u"result").toString() != u"BUILDING")
        return fail(QStringLiteral("a running build does not say BUILDING"));

    for (const char *key : {"artifacts", "testResults", "scm"}) {
        if (!build.value(QLatin1String(key)).isArray())
            return fail(QStringLiteral("%1 is not an array").arg(QLatin1String(key)));
    }
    if (!build.value(u"properties").isObject())
        return fail(QStringLiteral("properties is not an object"));

    for (const QJsonValue &artifact : build.value(u"artifacts").toArray()) {
        if (!artifact.toObject().value(u"decorated").isBool())
            return fail(QStringLiteral("an artifact lacks decorated"));
    }
    for (const QJsonValue &summary : build.value(u"testResults").toArray()) {
        const QJsonObject object = summary.toObject();
        for (const char *key : {"failCount", "skipCount", "totalCount"}) {
            if (!object.value(QLatin1String(key)).isDouble())
                return fail(QStringLiteral("testResults lacks %1").arg(QLatin1String(key)));
        }
        if (!object.contains(u"urlName"))
            return fail(QStringLiteral("testResults lacks urlName (null when unknown)"));
        if (!object.value(u"urlName").isNull() && !object.value(u"urlName").isString())
            return fail(QStringLiteral("urlName is neither null nor a string"));
    }
    for (const QJsonValue &revision : build.value(u"scm").toArray()) {
        const QJsonObject object = revision.toObject();
        for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
            if (!it.value().isString())
                return fail(QStringLiteral("scm[].%1 is not a string").arg(it.key()));
        }
        if (object.contains(u"timestamp") && !isIsoInstant(object.value(u"timestamp").toString()))
            return fail(QStringLiteral("scm[].timestamp is not ISO-8601 UTC"));
    }

    const QJsonObject properties = build.value(u"properties").toObject();
    for (auto it = properties.constBegin(); it != properties.constEnd(); ++it) {
        if (!it.value().isString())
            return fail(QStringLiteral("properties.%1 is not a string").arg(it.key()));
    }
    for (const char *key : {"startedAt", "completedAt"}) {
        if (properties.contains(QLatin1String(key))
            && !isIsoInstant(properties.value(QLatin1String(key)).toString()))
            return fail(QStringLiteral("properties.%1 is not ISO-8601").arg(QLatin1String(key)));
    }
    for (const char *key : {"startedTs", "completedTs"}) {
        if (properties.contains(QLatin1String(key))
            && !isDigits(properties.value(QLatin1String(key)).toString()))
            return fail(QStringLiteral("properties.%1 is not epoch ms").arg(QLatin1String(key)));
    }

    // igor leaves out null fields; only these may appear at the top level.
    static const QStringList known
        = {QStringLiteral("building"),    QStringLiteral("fullDisplayName"),
           QStringLiteral("name"),        QStringLiteral("number"),
           QStringLiteral("duration"),    QStringLiteral("timestamp"),
           QStringLiteral("result"),      QStringLiteral("artifacts"),
           QStringLiteral("testResults"), QStringLiteral("url"),
           QStringLiteral("id"),          QStringLiteral("scm"),
           QStringLiteral("properties")};
    for (const QString &key : build.keys()) {
        if (!known.contains(key))
            return fail(QStringLiteral("unexpected key %1").arg(key));
        if (build.value(key).isNull())
            return fail(QStringLiteral("%1 is null; igor leaves null fields out").arg(key));
    }
    return true;
}

} // namespace cic::testing

#define CIC_VERIFY_WIRE_BUILD(object)                                                              \
    do {                                                                                           \
        QString why_;                                                                              \
        QVERIFY2(cic::testing::checkWireBuild((object), &why_), qPrintable(why_));                 \
    } while (false)
