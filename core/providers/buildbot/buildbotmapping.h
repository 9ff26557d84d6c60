// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/model/build.h"
#include "core/scm/links.h"

#include <QDateTime>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QUrl>

// Buildbot's data API (version 2, as Buildbot 3.7 serves it) onto the build model, as pure
// functions the provider and its tests share.
namespace cic::buildbot {

// A builder as /api/v2/builders lists it. Ids are assigned by each master when it first
// registers its builders, so they differ between masters: builders are configured by name.
struct Builder
{
    int id = 0;
    QString name;
    QString description;
    QStringList tags;
};

// One source stamp of a build set: what a build was asked to build.
struct SourceStamp
{
    int ssid = 0;
    QString codebase;
    QString repository;
    QString branch;
    QString revision;
    QString project;
};

// A change (a commit the master was told about): who wrote it and what it says.
struct Change
{
    QString author; // "Name <email>"
    QString comments;
    QString revision;
    QString revlink;
    QString branch;
    QString repository;
    QDateTime when;
};

struct Context
{
    QString source;
    QUrl address; // the master's web root
    scm::ScmHosts scmHosts;
    QDateTime now; // for the running time of a build that has not finished
};

// The entities of an answer: every answer wraps its data as {"<plural>": [...], "meta": {}},
// also for a single entity.
QList<QJsonObject> entities(const QJsonObject &answer, QLatin1String plural);

// `results` of a build or step: null while it runs, else 0 SUCCESS .. 6 CANCELLED.
std::optional<BuildResult> mapResult(const QJsonValue &results, bool complete);

// A build property's value (properties are "name": [value, source]); an invalid value when
// the build does not carry it.
QJsonValue property(const QJsonObject &build, QLatin1String name);
QString textProperty(const QJsonObject &build, QLatin1String name);

Builder parseBuilder(const QJsonObject &object);
SourceStamp parseSourceStamp(const QJsonObject &object);
Change parseChange(const QJsonObject &object);

// "Jane Dev <jane@example.test>" -> "Jane Dev".
QString personName(const QString &author);

// The revisions a build built: got_revision (what the checkout step found) before revision
// (what was asked for), with branch and repository from the properties or the source stamps,
// and author and message from the change for that commit when the master knows it.
QList<GitRevision> revisions(const QJsonObject &build, const QList<SourceStamp> &stamps,
                             const QHash<QString, Change> &changesByRevision,
                             const scm::ScmHosts &hosts);

// The commits a build is about, for looking up their changes.
QStringList revisionsOf(const QJsonObject &build, const QList<SourceStamp> &stamps);

// The build page in the master's web UI.
QString buildUrl(const QUrl &address, int builderId, int number);
QString builderUrl(const QUrl &address, int builderId);

Build mapBuild(const QJsonObject &build, const Builder &builder, const QList<SourceStamp> &stamps,
               const QHash<QString, Change> &changesByRevision, const Context &context);

// Lines of a stdio log chunk without their one-character channel prefix: `o` stdout, `e`
// stderr, `h` header. Header lines (the command, its directory and the worker's whole
// environment) are dropped unless asked for, as they may hold secrets.
QByteArray stripChannels(const QByteArray &content, bool keepHeaderLines);

// The lines that open and close a step's part of a build log.
QByteArray stepOpening(int number, const QString &name, bool first);
QByteArray stepClosing(int number, const QString &name, const QJsonObject &step);

} // namespace cic::buildbot
