// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QStringList>

// A strict reading of a build in igor's wire shape, for what people write by hand (scenario
// files, bodies sent to the mock's control API). The codec in core/model reads leniently, so
// that recorded data always loads; here a typo such as "buidling" or "result": "SUCCES" is an
// error that says what is wrong, before it reaches deck or keel.
namespace cic::mock {

enum class WireCheck {
    Whole, // a complete build: an id and a number are required
    Fields, // some fields of a build, as a PATCH sends them; null removes a property
};

// Every problem found, each naming the field; empty when the object is fine.
QStringList checkWireBuild(const QJsonObject &object, WireCheck mode);

// Applies a set of fields to a build's JSON: keys replace keys, except `properties`, whose
// keys are merged one by one and removed by a null value.
QJsonObject mergeWireFields(QJsonObject build, const QJsonObject &fields);

} // namespace cic::mock
