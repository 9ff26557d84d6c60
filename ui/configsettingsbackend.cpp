// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/configsettingsbackend.h"

#include "core/config/configloader.h"
#include "core/config/configwriter.h"
#include "core/providers/connectioncheck.h"
#include "core/providers/providerfactory.h"
#include "core/service/cibuildservice.h"

#include <QCoreApplication>
#include <QFileInfo>

namespace cic {

namespace {

using Type = SourceField::Type;

QString tr(const char *text)
{
    return QCoreApplication::translate("cic::ConfigSettingsBackend", text);
}

const QString Name = QStringLiteral("name");
const QString Poll = QStringLiteral("pollIntervalSeconds");

SourceField nameField()
{
    return {
        Name, tr("Name"), Type::Text, true, tr("How the window and the server call this source"),
        {}};
}

SourceField pollField()
{
    return {Poll, tr("Poll every (s)"), Type::Number, false, tr("0: refresh only on demand"), 60};
}

SourceField secretField(const QString &key, const QString &label)
{
    return {key,
            label,
            Type::Secret,
            false,
            tr("The value, ${ENV_VAR} to read it from the environment, or keychain:entry"),
            {}};
}

QVariant secretValue(const config::Secret &secret)
{
    return secret.isSet() ? QVariant(secret.text()) : QVariant();
}

config::Secret secretOf(const SourceSettings &source, const QString &key)
{
    const QString text = source.values.value(key).toString();
    return text.isEmpty() ? config::Secret() : config::Secret::fromText(text);
}

QString text(const SourceSettings &source, const QString &key)
{
    return source.values.value(key).toString().trimmed();
}

QUrl url(const SourceSettings &source, const QString &key)
{
    return QUrl(text(source, key));
}

QStringList list(const SourceSettings &source, const QString &key)
{
    return source.values.value(key).toStringList();
}

// A master the dialog saves keeps what it does not edit from the master of the same name.
template<typename Master> Master previous(const QList<Master> &masters, const QString &name)
{
    for (const Master &master : masters) {
        if (master.name == name)
            return master;
    }
    return Master{};
}

} // namespace

ConfigSettingsBackend::ConfigSettingsBackend(const QString &path)
    : m_path(path)
{
    m_config.path = path;
    if (!QFileInfo::exists(path))
        return;
    const config::LoadOutcome outcome = config::loadConfig(path);
    if (outcome.ok())
        m_config = outcome.config;
    else
        m_loadError = outcome.errorText();
}

QList<SourceKind> ConfigSettingsBackend::kinds() const
{
    return {
        {QString::fromLatin1(config::JenkinsSection),
         tr("Jenkins"),
         {nameField(),
          {QStringLiteral("address"),
           tr("Address"),
           Type::Url,
           true,
           tr("The Jenkins root, e.g. https://ci.example.com/"),
           {}},
          {QStringLiteral("username"), tr("User"), Type::Text, false, {}, {}},
          secretField(QStringLiteral("token"), tr("API token")),
          secretField(QStringLiteral("password"), tr("Password")),
          {QStringLiteral("csrf"), tr("CSRF crumb"), Type::Bool, false,
           tr("Only for passwords; an API token needs none"), false},
          {QStringLiteral("jobs"),
           tr("Jobs"),
           Type::List,
           false,
           tr("Job paths to show; empty for every job"),
           {}},
          pollField()}},
        {QString::fromLatin1(config::GitLabSection),
         tr("GitLab CI"),
         {nameField(),
          {QStringLiteral("address"),
           tr("Address"),
           Type::Url,
           true,
           tr("The instance root, e.g. https://gitlab.example.com"),
           {}},
          secretField(QStringLiteral("privateToken"), tr("Private token")),
          {QStringLiteral("projects"),
           tr("Projects"),
           Type::List,
           false,
           tr("Full paths; empty for every project you are a member of"),
           {}},
          pollField()}},
        {QString::fromLatin1(config::GitHubActionsSection),
         tr("GitHub Actions"),
         {nameField(),
          {QStringLiteral("baseUrl"), tr("API address"), Type::Url, true,
           tr("https://api.github.com, or https://host/api/v3 for Enterprise"),
           QStringLiteral("https://api.github.com")},
          {QStringLiteral("repositories"),
           tr("Repositories"),
           Type::List,
           true,
           tr("owner/name, comma-separated"),
           {}},
          secretField(QStringLiteral("token"), tr("Token")),
          pollField()}},
        {QString::fromLatin1(config::BuildbotSection),
         tr("Buildbot"),
         {nameField(),
          {QStringLiteral("address"),
           tr("Address"),
           Type::Url,
           true,
           tr("The master's web root"),
           {}},
          {QStringLiteral("builders"),
           tr("Builders"),
           Type::List,
           false,
           tr("Empty for every builder"),
           {}},
          {QStringLiteral("username"), tr("User"), Type::Text, false, {}, {}},
          secretField(QStringLiteral("password"), tr("Password")),
          pollField()}},
        {QString::fromLatin1(config::FixturesSection),
         tr("Fixture set"),
         {nameField(),
          {QStringLiteral("path"),
           tr("Directory"),
           Type::Path,
           true,
           tr("A directory in the fixture format"),
           {}}}},
    };
}

QList<SourceSettings> ConfigSettingsBackend::sources() const
{
    QList<SourceSettings> sources;
    for (const config::JenkinsMaster &master : m_config.jenkins) {
        sources.append({QString::fromLatin1(config::JenkinsSection),
                        {{Name, master.name},
                         {QStringLiteral("address"), master.address.toString()},
                         {QStringLiteral("username"), master.username},
                         {QStringLiteral("token"), secretValue(master.token)},
                         {QStringLiteral("password"), secretValue(master.password)},
                         {QStringLiteral("csrf"), master.csrf},
                         {QStringLiteral("jobs"), master.jobs},
                         {Poll, master.connection.pollIntervalMs / 1000}}});
    }
    for (const config::GitLabMaster &master : m_config.gitLab) {
        sources.append({QString::fromLatin1(config::GitLabSection),
                        {{Name, master.name},
                         {QStringLiteral("address"), master.address.toString()},
                         {QStringLiteral("privateToken"), secretValue(master.privateToken)},
                         {QStringLiteral("projects"), master.projects},
                         {Poll, master.connection.pollIntervalMs / 1000}}});
    }
    for (const config::GitHubActionsMaster &master : m_config.gitHubActions) {
        sources.append({QString::fromLatin1(config::GitHubActionsSection),
                        {{Name, master.name},
                         {QStringLiteral("baseUrl"), master.baseUrl.toString()},
                         {QStringLiteral("repositories"), master.repositories},
                         {QStringLiteral("token"), secretValue(master.token)},
                         {Poll, master.connection.pollIntervalMs / 1000}}});
    }
    for (const config::BuildbotMaster &master : m_config.buildbot) {
        sources.append({QString::fromLatin1(config::BuildbotSection),
                        {{Name, master.name},
                         {QStringLiteral("address"), master.address.toString()},
                         {QStringLiteral("builders"), master.builders},
                         {QStringLiteral("username"), master.username},
                         {QStringLiteral("password"), secretValue(master.password)},
                         {Poll, master.connection.pollIntervalMs / 1000}}});
    }
    for (const config::FixtureSource &fixture : m_config.fixtures) {
        sources.append({QString::fromLatin1(config::FixturesSection),
                        {{Name, fixture.name}, {QStringLiteral("path"), fixture.path}}});
    }
    return sources;
}

config::Config ConfigSettingsBackend::withSources(const QList<SourceSettings> &sources) const
{
    config::Config config = m_config;
    config.clearSources();

    for (const SourceSettings &source : sources) {
        const QString name = text(source, Name);
        const int poll = source.values.value(Poll, 60).toInt() * 1000;
        if (source.kind == QLatin1String(config::JenkinsSection)) {
            config::JenkinsMaster master = previous(m_config.jenkins, name);
            master.name = name;
            master.address = url(source, QStringLiteral("address"));
            master.username = text(source, QStringLiteral("username"));
            master.token = secretOf(source, QStringLiteral("token"));
            master.password = secretOf(source, QStringLiteral("password"));
            master.csrf = source.values.value(QStringLiteral("csrf")).toBool();
            master.jobs = list(source, QStringLiteral("jobs"));
            master.connection.pollIntervalMs = poll;
            config.jenkins.append(master);
        } else if (source.kind == QLatin1String(config::GitLabSection)) {
            config::GitLabMaster master = previous(m_config.gitLab, name);
            master.name = name;
            master.address = url(source, QStringLiteral("address"));
            master.privateToken = secretOf(source, QStringLiteral("privateToken"));
            master.projects = list(source, QStringLiteral("projects"));
            master.connection.pollIntervalMs = poll;
            config.gitLab.append(master);
        } else if (source.kind == QLatin1String(config::GitHubActionsSection)) {
            config::GitHubActionsMaster master = previous(m_config.gitHubActions, name);
            master.name = name;
            master.baseUrl = url(source, QStringLiteral("baseUrl"));
            master.repositories = list(source, QStringLiteral("repositories"));
            master.token = secretOf(source, QStringLiteral("token"));
            master.connection.pollIntervalMs = poll;
            config.gitHubActions.append(master);
        } else if (source.kind == QLatin1String(config::BuildbotSection)) {
            config::BuildbotMaster master = previous(m_config.buildbot, name);
            master.name = name;
            master.address = url(source, QStringLiteral("address"));
            master.builders = list(source, QStringLiteral("builders"));
            master.username = text(source, QStringLiteral("username"));
            master.password = secretOf(source, QStringLiteral("password"));
            master.connection.pollIntervalMs = poll;
            config.buildbot.append(master);
        } else if (source.kind == QLatin1String(config::FixturesSection)) {
            config::FixtureSource fixture = previous(m_config.fixtures, name);
            fixture.name = name;
            fixture.path = text(source, QStringLiteral("path"));
            config.fixtures.append(fixture);
        }
    }
    return config;
}

Result<bool> ConfigSettingsBackend::save(const QList<SourceSettings> &sources)
{
    // The dialog shows only what it could read: writing over a file it could not read would
    // lose the rest of it.
    if (!m_loadError.isEmpty())
        return Error{tr("%1 could not be read, so it is left as it is; correct it first:\n%2")
                         .arg(m_path, m_loadError)};
    const config::Config config = withSources(sources);
    const Result<bool> saved = config::saveConfig(config, m_path);
    if (saved)
        m_config = config;
    return saved;
}

QFuture<Result<QString>> ConfigSettingsBackend::testConnection(const SourceSettings &source)
{
    BuiltSources built = ProviderFactory::createOne(withSources({source}), text(source, Name));
    if (built.services.isEmpty()) {
        const QString why = built.problems.isEmpty() ? tr("this source could not be built")
                                                     : built.problems.first().message;
        return QtFuture::makeReadyFuture(Result<QString>(Error{why}));
    }

    CiBuildService *service = built.services.first();
    for (int i = 1; i < built.services.size(); ++i)
        delete built.services[i];

    if (auto *checkable = dynamic_cast<ConnectionCheckable *>(service)) {
        return checkable->checkConnection().then([service](ConnectionCheck check) {
            service->deleteLater();
            QString message = check.summary;
            if (!check.hint.isEmpty())
                message += QStringLiteral(" (") + check.hint + QLatin1Char(')');
            if (check.verdict == ConnectionCheck::Verdict::Failed)
                return Result<QString>(Error{message});
            return Result<QString>(message);
        });
    }

    // A source with no server to reach (fixtures): reading its builds is the test.
    return service->fetchRecentBuilds().then([service](Result<BuildList> builds) {
        service->deleteLater();
        if (!builds)
            return Result<QString>(Error{builds.error()});
        return Result<QString>(tr("%1 builds").arg(builds.value().size()));
    });
}

} // namespace cic
