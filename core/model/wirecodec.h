// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/model/build.h"
#include "core/util/result.h"

#include <QByteArray>
#include <QJsonObject>

// The igor wire shape of a build, as gate, keel and deck read it.
//
// Writing is strict: `building`, `number`, `artifacts`, `testResults`, `scm` and `properties`
// are always present; other empty fields are left out as igor's NON_NULL does, except
// `testResults[].urlName`, which igor writes as null; `timestamp` is an epoch-ms string;
// revision timestamps are ISO-8601 UTC; every property value is a string.
//
// Reading is lenient: unknown keys are ignored, results may be in any case, and numbers are
// accepted where strings are usual (and the other way round).
namespace cic::wire {

QJsonObject toJson(const Build &build);
QByteArray encode(const Build &build);

// Joins already encoded builds into a JSON array.
QByteArray encodeArray(const QList<QByteArray> &encodedBuilds);

Result<Build> fromJson(const QJsonObject &object);

// ISO-8601 as Java's Instant writes it: UTC, a `Z`, milliseconds only when not zero.
QString isoInstant(const QDateTime &time);
QString isoInstantFromMs(qint64 epochMs);

// Parses ISO-8601 with an offset or `Z`, or epoch milliseconds (seconds when the number is
// too small to be milliseconds).
QDateTime parseInstant(const QJsonValue &value);

// True for ids that can travel as one path segment: [A-Za-z0-9._~-].
bool isPathSafeId(QStringView id);

} // namespace cic::wire
