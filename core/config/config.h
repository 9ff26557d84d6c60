// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/config/secret.h"

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QUrl>

// The configuration file: one YAML file, in igor's own shape where igor has the provider, so
// an operator can point the app at the file a real igor reads. docs/configuration.md describes
// every key; this header is the in-memory form the loader fills and the writer saves.
namespace cic::config {

// Where a value came from, for messages that point at the line to fix. Lines and columns
// count from 1; 0 means "not from a file" (a value the program set).
struct Location
{
    int line = 0;
    int column = 0;
};

// One thing wrong with the file. Errors stop the load; warnings are reported and the value
// is ignored.
struct ConfigProblem
{
    enum class Severity { Warning, Error };

    Severity severity = Severity::Error;
    QString file;
    Location location;
    QString key; // dotted path, e.g. jenkins.masters[0].address
    QString message;

    bool isError() const { return severity == Severity::Error; }

    // file:line:column: key: message
    QString toString() const;
};

// Connection settings every provider master accepts.
struct ConnectionOptions
{
    int pollIntervalMs = 60'000; // 0: refresh only on demand
    int timeoutMs = 30'000; // per request, while no data flows
    QString caCertificate; // PEM file with extra CA certificates to trust
    QString proxy; // http://host:port, socks5://host:port, or "none"
    bool insecureSkipVerify = false;
};

// jenkins.masters[]: igor's keys.
struct JenkinsMaster
{
    QString name;
    QUrl address;
    QString username;
    Secret password;
    Secret token; // API token: preferred, needs no CSRF crumb
    bool csrf = false;
    QStringList jobs; // only these job paths (and what is below them); empty: every job
    ConnectionOptions connection;
    Location location;
};

// gitlab-ci.masters[]: igor's keys, plus the projects to show.
struct GitLabMaster
{
    QString name;
    QUrl address; // the instance root; /api/v4 is added
    Secret privateToken;
    QStringList projects; // full paths; empty: every project the token is a member of
    bool limitByMembership = true;
    bool limitByOwnership = false;
    int defaultHttpPageLength = 100;
    ConnectionOptions connection;
    Location location;
};

// github-actions.masters[]: a set of repositories on github.com or a GitHub Enterprise server.
struct GitHubActionsMaster
{
    QString name;
    QUrl baseUrl
        = QUrl(QStringLiteral("https://api.github.com")); // Enterprise: https://host/api/v3
    QStringList repositories; // owner/name
    Secret token;
    ConnectionOptions connection;
    Location location;
};

// buildbot.masters[]: a Buildbot master's data API.
struct BuildbotMaster
{
    QString name;
    QUrl address; // the master's web root; /api/v2 is added
    QStringList builders; // empty: every builder
    QString username;
    Secret password;
    ConnectionOptions connection;
    Location location;
};

// fixtures[]: a directory in the fixture format.
struct FixtureSource
{
    QString name;
    QString path;
    Location location;
};

// server: the embedded igor-compatible server.
struct ServerSettings
{
    QString listen = QStringLiteral("127.0.0.1:8088");
    Secret token; // when set, requests must carry it
    Location location;
};

// The SCM hosts, keyed as igor's /scm/masters answers: stash, gitHub, gitLab, bitBucket.
// Read from igor's own sections (stash.baseUrl, github.baseUrl, ...).
using ScmHosts = QMap<QString, QString>;

// What compare signs in to an SCM host with, from igor's keys: github.accessToken,
// gitlab.privateToken, stash and bitbucket username and password. Keyed as ScmHosts.
struct ScmCredentials
{
    QString username; // with a token: HTTP Basic; without: the token is a bearer token
    Secret token;
};

// localClones: a clone on this machine of a repository the builds name, where compare works
// offline instead of asking the SCM host.
struct LocalCloneSetting
{
    QString remote; // as the builds name it: https://host/owner/repo.git or git@host:owner/repo
    QString path;
    Location location;
};

struct Config
{
    QString path; // the file it was read from; empty for a config built in memory

    ServerSettings server;
    QList<JenkinsMaster> jenkins;
    QList<GitLabMaster> gitLab;
    QList<GitHubActionsMaster> gitHubActions;
    QList<BuildbotMaster> buildbot;
    QList<FixtureSource> fixtures;
    ScmHosts scmHosts;
    QMap<QString, ScmCredentials> scmCredentials;
    QList<LocalCloneSetting> localClones;

    // What the loader let through with a warning (unknown keys in our sections, ...).
    QList<ConfigProblem> warnings;

    // Every configured source name, in file order.
    QStringList sourceNames() const;
    bool hasSources() const { return !sourceNames().isEmpty(); }

    // Drops every CI source (masters and fixture sets); the server, SCM hosts and local
    // clones stay.
    void clearSources();
};

// Section names as they appear in the file.
inline constexpr char JenkinsSection[] = "jenkins";
inline constexpr char GitLabSection[] = "gitlab-ci";
inline constexpr char GitHubActionsSection[] = "github-actions";
inline constexpr char BuildbotSection[] = "buildbot";
inline constexpr char FixturesSection[] = "fixtures";
inline constexpr char ServerSection[] = "server";

} // namespace cic::config
