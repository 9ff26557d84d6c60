// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/providers/providerfactory.h"

#include "core/providers/fixtures/fixtureprovider.h"
#include "core/providers/gitlab/gitlabprovider.h"
#include "core/providers/jenkins/jenkinsprovider.h"

#include <QLoggingCategory>

namespace cic {

namespace {
Q_LOGGING_CATEGORY(lcFactory, "cicompanion.core.providers.factory")

// Resolves one secret; on failure records a problem naming the key and answers nullopt.
std::optional<QString> resolveSecret(const config::Config &config,
                                     const config::SecretResolver &secrets,
                                     const config::Secret &secret, const QString &keyPath,
                                     const config::Location &location, const QString &source,
                                     const QString &kind, BuiltSources &out)
{
    const Result<QString> value = secrets.resolve(secret);
    if (value)
        return value.value();
    const config::Location where
        = secret.line() > 0 ? config::Location{secret.line(), 0} : location;
    out.problems.append(
        {source, kind, ProviderFactory::secretProblem(config, keyPath, where, value.error())});
    return std::nullopt;
}

void buildJenkins(const config::Config &config, const config::SecretResolver &secrets,
                  BuiltSources &out)
{
    const QString kind = QStringLiteral("jenkins");
    for (const config::JenkinsMaster &master : config.jenkins) {
        const QString path = QStringLiteral("jenkins.masters[%1].").arg(master.name);
        const auto token
            = resolveSecret(config, secrets, master.token, path + QStringLiteral("token"),
                            master.location, master.name, kind, out);
        const auto password
            = resolveSecret(config, secrets, master.password, path + QStringLiteral("password"),
                            master.location, master.name, kind, out);
        if (!token || !password)
            continue;
        out.services.append(new JenkinsProvider(
            JenkinsSettings::fromConfig(master, *token, *password, config.scmHosts)));
    }
}

void buildGitLab(const config::Config &config, const config::SecretResolver &secrets,
                 BuiltSources &out)
{
    const QString kind = QStringLiteral("gitlab-ci");
    for (const config::GitLabMaster &master : config.gitLab) {
        const auto token
            = resolveSecret(config, secrets, master.privateToken,
                            QStringLiteral("gitlab-ci.masters[%1].privateToken").arg(master.name),
                            master.location, master.name, kind, out);
        if (!token)
            continue;
        out.services.append(new GitLabProvider(GitLabSettings::fromConfig(master, *token)));
    }
}

// Registration point for the GitHub Actions provider: it builds a service per
// github-actions.masters[] entry here. Until then each entry is reported, so a configured
// source never disappears without a word.
void buildGitHubActions(const config::Config &config, const config::SecretResolver &,
                        BuiltSources &out)
{
    for (const config::GitHubActionsMaster &master : config.gitHubActions)
        out.problems.append({master.name, QStringLiteral("github-actions"),
                             QStringLiteral("GitHub Actions sources are not supported by this "
                                            "build of ci-companion")});
}

// Registration point for the Buildbot provider, as above for buildbot.masters[].
void buildBuildbot(const config::Config &config, const config::SecretResolver &, BuiltSources &out)
{
    for (const config::BuildbotMaster &master : config.buildbot)
        out.problems.append({master.name, QStringLiteral("buildbot"),
                             QStringLiteral("Buildbot sources are not supported by this build "
                                            "of ci-companion")});
}

void buildFixtures(const config::Config &config, const config::SecretResolver &, BuiltSources &out)
{
    for (const config::FixtureSource &fixture : config.fixtures)
        out.services.append(new FixtureProvider(fixture.name, fixture.path));
}

} // namespace

const QList<ProviderFactory::Kind> &ProviderFactory::kinds()
{
    static const QList<Kind> table = {
        {QString::fromLatin1(config::JenkinsSection), QStringLiteral("jenkins"), buildJenkins},
        {QString::fromLatin1(config::GitLabSection), QStringLiteral("gitlab-ci"), buildGitLab},
        {QString::fromLatin1(config::GitHubActionsSection), QStringLiteral("github-actions"),
         buildGitHubActions},
        {QString::fromLatin1(config::BuildbotSection), QStringLiteral("buildbot"), buildBuildbot},
        {QString::fromLatin1(config::FixturesSection), QStringLiteral("fixtures"), buildFixtures},
    };
    return table;
}

QString ProviderFactory::secretProblem(const config::Config &config, const QString &keyPath,
                                       const config::Location &location, const QString &message)
{
    QString where = config.path.isEmpty() ? QStringLiteral("<config>") : config.path;
    if (location.line > 0)
        where += QLatin1Char(':') + QString::number(location.line);
    return keyPath + QStringLiteral(" (") + where + QStringLiteral("): ") + message;
}

BuiltSources ProviderFactory::create(const config::Config &config,
                                     const config::SecretResolver &secrets)
{
    BuiltSources built;
    for (const Kind &kind : kinds())
        kind.build(config, secrets, built);

    for (const SourceProblem &problem : std::as_const(built.problems))
        qCWarning(lcFactory, "%s: %s", qUtf8Printable(problem.source),
                  qUtf8Printable(problem.message));
    return built;
}

BuiltSources ProviderFactory::createOne(const config::Config &config, const QString &name,
                                        const config::SecretResolver &secrets)
{
    if (!config.sourceNames().contains(name)) {
        BuiltSources none;
        none.problems.append(
            {name, QString(),
             QStringLiteral("no source named '%1' in the configuration; configured: %2")
                 .arg(name,
                      config.sourceNames().isEmpty()
                          ? QStringLiteral("(none)")
                          : config.sourceNames().join(QStringLiteral(", ")))});
        return none;
    }

    // Only that source's secrets are resolved: a keychain prompt for another is not wanted.
    config::Config only = config;
    auto keep = [&name](auto &list) {
        list.erase(std::remove_if(list.begin(), list.end(),
                                  [&name](const auto &entry) { return entry.name != name; }),
                   list.end());
    };
    keep(only.jenkins);
    keep(only.gitLab);
    keep(only.gitHubActions);
    keep(only.buildbot);
    keep(only.fixtures);
    return create(only, secrets);
}

} // namespace cic
