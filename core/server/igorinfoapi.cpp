// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/server/igorinfoapi.h"

#include "core/model/wirecodec.h"
#include "core/service/sourceregistry.h"
#include "core/store/buildstore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace cic {

namespace {

using http::Reply;
using http::Request;

// igor's BuildServiceProvider names, past and present: ?type= takes any of them (in any case)
// and answers the sources of that type; another word is an error, as igor's valueOf() makes it.
const QStringList &knownProviderTypes()
{
    static const QStringList types = {
        QStringLiteral("JENKINS"),   QStringLiteral("TRAVIS"),    QStringLiteral("CONCOURSE"),
        QStringLiteral("GITLAB_CI"), QStringLiteral("GITLABCI"),  QStringLiteral("WERCKER"),
        QStringLiteral("GCB"),       QStringLiteral("CODEBUILD"),
    };
    return types;
}

Reply jsonList(const QStringList &items)
{
    return http::jsonReply(
        QJsonDocument(QJsonArray::fromStringList(items)).toJson(QJsonDocument::Compact));
}

Reply notFound(const QString &message)
{
    return http::errorReply(http::ErrorKind::NotFound, message);
}

// The segments from `first` on, joined again: the job of /jobs/{master}/{job...}.
QString jobFrom(const Request &request, qsizetype first)
{
    return request.segments.mid(first).join(u'/');
}

} // namespace

IgorInfoApi::IgorInfoApi(SourceRegistry *registry, QObject *parent)
    : QObject(parent)
    , m_registry(registry)
{
}

QString IgorInfoApi::providerType(const QString &kind)
{
    if (kind == u"jenkins")
        return QStringLiteral("JENKINS");
    if (kind == u"gitlab-ci")
        return QStringLiteral("GITLAB_CI");
    return {};
}

QList<http::Route> IgorInfoApi::routes()
{
    using http::Method;
    QObject *context = m_registry.data();
    QList<http::Route> list;
    auto add = [&](const QString &pattern, http::Handler handler) {
        list.append(http::Route{Method::Get, pattern, std::move(handler), {}, context});
    };
    const Reply empty = http::jsonReply(QByteArrayLiteral("[]"));
    auto none = [empty](const Request &) { return empty; };

    add(QStringLiteral("/masters"), [this](const Request &r) { return masters(r); });
    add(QStringLiteral("/buildServices"), [this](const Request &) { return buildServices(); });
    add(QStringLiteral("/jobs/{master}"), [this](const Request &r) { return jobs(r); });
    add(QStringLiteral("/builds/status/{number}/{master}"),
        [this](const Request &r) { return buildStatus(r, true); });
    add(QStringLiteral("/builds/queue/{master}/{item}"),
        [this](const Request &r) { return queueItem(r); });

    QString job;
    for (int depth = 1; depth <= MaxJobDepth; ++depth) {
        job += QStringLiteral("/{job%1}").arg(depth);
        add(QStringLiteral("/jobs/{master}") + job,
            [this](const Request &r) { return jobConfig(r); });
        add(QStringLiteral("/builds/all/{master}") + job,
            [this](const Request &r) { return allBuilds(r); });
        add(QStringLiteral("/builds/status/{number}/{master}") + job,
            [this](const Request &r) { return buildStatus(r, false); });
    }

    add(QStringLiteral("/artifacts/{provider}/{name}"), none);
    add(QStringLiteral("/artifacts/{provider}/{name}/{version}"), [](const Request &r) {
        return notFound(QStringLiteral("no artifact %1 version %2: this server keeps no artifact "
                                       "versions")
                            .arg(r.parameter(u"name"), r.parameter(u"version")));
    });
    for (const char *names :
         {"/artifactory/names", "/nexus/names", "/gcb/accounts", "/codebuild/accounts"})
        add(QString::fromLatin1(names), none);
    return list;
}

bool IgorInfoApi::hasMaster(const QString &name) const
{
    return m_registry && m_registry->source(name);
}

QStringList IgorInfoApi::jobsOf(const QString &master) const
{
    QStringList jobs;
    const QList<BuildStore::ProjectCount> projects = m_registry->store()->projects();
    for (const BuildStore::ProjectCount &project : projects) {
        if (project.source == master)
            jobs.append(project.project);
    }
    jobs.sort();
    jobs.removeDuplicates();
    return jobs;
}

Reply IgorInfoApi::masters(const Request &request) const
{
    const QString type = request.queryValue(u"type").value_or(QString()).trimmed().toUpper();
    if (!type.isEmpty() && !knownProviderTypes().contains(type)) {
        return http::errorReply(http::ErrorKind::BadRequest,
                                QStringLiteral("No enum constant com.netflix.spinnaker.igor."
                                               "model.BuildServiceProvider.%1; known types: %2")
                                    .arg(type, knownProviderTypes().join(QStringLiteral(", "))));
    }

    QStringList names;
    if (m_registry) {
        for (CiBuildService *source : m_registry->sources()) {
            const QString provider = providerType(source->kind());
            const bool gitlab = type == u"GITLABCI" && provider == u"GITLAB_CI";
            if (type.isEmpty() || provider == type || gitlab)
                names.append(source->name());
        }
    }
    return jsonList(names);
}

Reply IgorInfoApi::buildServices() const
{
    QJsonArray list;
    if (m_registry) {
        for (CiBuildService *source : m_registry->sources()) {
            const QString provider = providerType(source->kind());
            list.append(QJsonObject{
                {QStringLiteral("name"), source->name()},
                {QStringLiteral("buildServiceProvider"),
                 provider.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(provider)},
                {QStringLiteral("permissions"), QJsonObject()},
            });
        }
    }
    return http::jsonReply(QJsonDocument(list).toJson(QJsonDocument::Compact));
}

Reply IgorInfoApi::jobs(const Request &request) const
{
    const QString master = request.parameter(u"master");
    if (!hasMaster(master))
        return notFound(QStringLiteral("Master '%1' does not exist").arg(master));
    return jsonList(jobsOf(master));
}

Reply IgorInfoApi::jobConfig(const Request &request) const
{
    const QString master = request.parameter(u"master");
    const QString job = jobFrom(request, 2);
    if (!hasMaster(master))
        return notFound(QStringLiteral("Master '%1' does not exist").arg(master));
    if (!jobsOf(master).contains(job))
        return notFound(QStringLiteral("Job '%1' not found on master '%2'").arg(job, master));

    // igor's GenericJobConfiguration: no NON_NULL, so empty fields are written as null.
    const QJsonObject config{
        {QStringLiteral("description"), QJsonValue(QJsonValue::Null)},
        {QStringLiteral("displayName"), job},
        {QStringLiteral("name"), job},
        {QStringLiteral("buildable"), true},
        {QStringLiteral("url"), QJsonValue(QJsonValue::Null)},
        {QStringLiteral("concurrentBuild"), false},
        {QStringLiteral("parameterDefinitionList"), QJsonArray()},
    };
    return http::jsonReply(QJsonDocument(config).toJson(QJsonDocument::Compact));
}

Reply IgorInfoApi::allBuilds(const Request &request) const
{
    const QString master = request.parameter(u"master");
    if (!hasMaster(master))
        return notFound(QStringLiteral("Master '%1' not found").arg(master));

    BuildQuery query;
    query.source = master;
    query.project = jobFrom(request, 3);
    return http::jsonReply(m_registry->store()->queryWire(query));
}

Reply IgorInfoApi::buildStatus(const Request &request, bool jobInQuery) const
{
    const QString master = request.parameter(u"master");
    if (!hasMaster(master))
        return notFound(QStringLiteral("Master '%1' not found").arg(master));

    bool ok = false;
    const qint32 number = request.parameter(u"number").toInt(&ok);
    if (!ok)
        return http::errorReply(http::ErrorKind::BadRequest,
                                QStringLiteral("the build number must be an integer"));

    BuildQuery query;
    query.source = master;
    query.project
        = jobInQuery ? request.queryValue(u"job").value_or(QString()) : jobFrom(request, 4);
    query.buildNumber = number;
    const BuildList found = m_registry->store()->query(query, 1);

    // igor answers a build it cannot find with null, which Spring sends as an empty 200.
    if (found.isEmpty())
        return http::jsonReply({});
    return http::jsonReply(wire::encode(*found.first()));
}

Reply IgorInfoApi::queueItem(const Request &request) const
{
    const QString master = request.parameter(u"master");
    if (!hasMaster(master))
        return notFound(QStringLiteral("Master '%1' not found, item: %2")
                            .arg(master, request.parameter(u"item")));

    bool ok = false;
    const qint32 item = request.parameter(u"item").toInt(&ok);
    if (!ok)
        return http::errorReply(http::ErrorKind::BadRequest,
                                QStringLiteral("the queue item must be an integer"));

    // Jenkins' QueuedJob as igor writes it: the executable's number once the item has left the
    // queue. Without a queue of its own, this server takes the item for a build number.
    BuildQuery query;
    query.source = master;
    query.buildNumber = item;
    const bool started = !m_registry->store()->query(query, 1).isEmpty();
    const QJsonValue number = started ? QJsonValue(item) : QJsonValue(QJsonValue::Null);
    const QJsonObject queued{
        {QStringLiteral("executable"),
         started ? QJsonValue(QJsonObject{{QStringLiteral("number"), item}})
                 : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("number"), number},
        {QStringLiteral("ready"), started},
    };
    return http::jsonReply(QJsonDocument(queued).toJson(QJsonDocument::Compact));
}

} // namespace cic
