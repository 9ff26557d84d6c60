// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/config/configloader.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>

#include <initializer_list>
#include <yaml-cpp/yaml.h>

namespace cic::config {

namespace {
Q_LOGGING_CATEGORY(lcConfig, "cicompanion.core.config")

const QStringList ConnectionKeys = {
    QStringLiteral("pollInterval"),       QStringLiteral("timeout"),
    QStringLiteral("caCertificate"),      QStringLiteral("proxy"),
    QStringLiteral("insecureSkipVerify"),
};

// igor's own keys that this program reads no meaning from but must not warn about, so that
// igor's file loads without noise.
const QStringList IgorMasterKeys = {
    QStringLiteral("permissions"),
    QStringLiteral("itemUpperThreshold"),
    QStringLiteral("trustStore"),
    QStringLiteral("trustStoreType"),
    QStringLiteral("trustStorePassword"),
    QStringLiteral("keyStore"),
    QStringLiteral("keyStoreType"),
    QStringLiteral("keyStorePassword"),
    QStringLiteral("skipHostnameVerification"),
    QStringLiteral("buildTimeout"),
};

QStringList withConnectionKeys(std::initializer_list<const char *> keys, bool igor)
{
    QStringList all;
    for (const char *key : keys)
        all.append(QString::fromLatin1(key));
    all += ConnectionKeys;
    if (igor)
        all += IgorMasterKeys;
    return all;
}

QString qs(const std::string &text)
{
    return QString::fromStdString(text);
}

Location locationOf(const YAML::Node &node)
{
    const YAML::Mark mark = node.Mark();
    if (mark.line < 0)
        return {};
    return {mark.line + 1, mark.column + 1};
}

// Levenshtein distance, for "did you mean" on misspelt keys; keys are short.
int editDistance(const QString &a, const QString &b)
{
    QList<int> previous(b.size() + 1);
    QList<int> current(b.size() + 1);
    for (int j = 0; j <= b.size(); ++j)
        previous[j] = j;
    for (int i = 1; i <= a.size(); ++i) {
        current[0] = i;
        for (int j = 1; j <= b.size(); ++j) {
            const int substitution
                = previous[j - 1] + (a[i - 1].toLower() == b[j - 1].toLower() ? 0 : 1);
            current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
        }
        std::swap(previous, current);
    }
    return previous[b.size()];
}

// Reads our sections from the YAML tree, collecting every problem with its place.
class Reader
{
public:
    Reader(QString file, QList<ConfigProblem> &problems)
        : m_file(std::move(file))
        , m_problems(problems)
    {
    }

    void report(ConfigProblem::Severity severity, const YAML::Node &node, const QString &key,
                const QString &message)
    {
        m_problems.append({severity, m_file, locationOf(node), key, message});
    }
    void error(const YAML::Node &node, const QString &key, const QString &message)
    {
        report(ConfigProblem::Severity::Error, node, key, message);
    }
    void warn(const YAML::Node &node, const QString &key, const QString &message)
    {
        report(ConfigProblem::Severity::Warning, node, key, message);
    }

    // Warns about each key of a map that is not in `known`, suggesting the closest one.
    void checkKeys(const YAML::Node &map, const QString &path, const QStringList &known)
    {
        for (auto it = map.begin(); it != map.end(); ++it) {
            const QString key = qs(it->first.Scalar());
            if (known.contains(key))
                continue;

            QString suggestion;
            int best = 3;
            for (const QString &candidate : known) {
                const int distance = editDistance(key, candidate);
                if (distance < best) {
                    best = distance;
                    suggestion = candidate;
                }
            }
            const QString hint = suggestion.isEmpty()
                ? QString()
                : QStringLiteral(" (did you mean '%1'?)").arg(suggestion);
            warn(it->first, join(path, key), QStringLiteral("unknown key, ignored") + hint);
        }
    }

    static QString join(const QString &path, const QString &key)
    {
        return path.isEmpty() ? key : path + QLatin1Char('.') + key;
    }

    bool expectMap(const YAML::Node &node, const QString &path)
    {
        if (node.IsMap())
            return true;
        error(node, path, QStringLiteral("expected a mapping of keys to values"));
        return false;
    }

    // A scalar as text, with ${NAME} expanded. Missing keys give `fallback`.
    QString text(const YAML::Node &map, const char *key, const QString &path, bool required,
                 const QString &fallback = {})
    {
        const QString keyPath = join(path, QString::fromLatin1(key));
        const YAML::Node node = map[key];
        if (!node.IsDefined() || node.IsNull()) {
            if (required)
                error(map, keyPath, QStringLiteral("required key is missing"));
            return fallback;
        }
        if (!node.IsScalar()) {
            error(node, keyPath, QStringLiteral("expected a single value, not a list or mapping"));
            return fallback;
        }

        const QString raw = qs(node.Scalar());
        Result<QString> expanded = expandEnvironment(raw);
        if (!expanded) {
            error(node, keyPath, expanded.error());
            return fallback;
        }
        if (required && expanded->trimmed().isEmpty())
            error(node, keyPath, QStringLiteral("must not be empty"));
        return expanded.value();
    }

    // A secret keeps its written form; it is resolved when a source is built.
    Secret secret(const YAML::Node &map, const char *key, const QString &path)
    {
        const YAML::Node node = map[key];
        if (!node.IsDefined() || node.IsNull())
            return {};
        if (!node.IsScalar()) {
            error(node, join(path, QString::fromLatin1(key)),
                  QStringLiteral("expected a single value, not a list or mapping"));
            return {};
        }
        Secret secret = Secret::fromText(qs(node.Scalar()));
        secret.setLine(locationOf(node).line);
        return secret;
    }

    bool flag(const YAML::Node &map, const char *key, const QString &path, bool fallback)
    {
        const YAML::Node node = map[key];
        if (!node.IsDefined() || node.IsNull())
            return fallback;

        bool value = fallback;
        if (!node.IsScalar() || !YAML::convert<bool>::decode(node, value)) {
            error(node, join(path, QString::fromLatin1(key)),
                  QStringLiteral("expected true or false"));
            return fallback;
        }
        return value;
    }

    int number(const YAML::Node &map, const char *key, const QString &path, int fallback,
               int minimum)
    {
        const YAML::Node node = map[key];
        if (!node.IsDefined() || node.IsNull())
            return fallback;

        bool ok = false;
        const int value = node.IsScalar() ? qs(node.Scalar()).toInt(&ok) : 0;
        if (!ok || value < minimum) {
            error(node, join(path, QString::fromLatin1(key)),
                  QStringLiteral("expected a whole number of at least %1").arg(minimum));
            return fallback;
        }
        return value;
    }

    // A duration: a number of seconds, or a number with ms, s, m or h.
    int durationMs(const YAML::Node &map, const char *key, const QString &path, int fallbackMs)
    {
        const YAML::Node node = map[key];
        if (!node.IsDefined() || node.IsNull())
            return fallbackMs;

        static const QRegularExpression pattern(
            QStringLiteral(R"(^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$)"));
        const QRegularExpressionMatch match
            = node.IsScalar() ? pattern.match(qs(node.Scalar())) : QRegularExpressionMatch();
        if (!match.hasMatch()) {
            error(node, join(path, QString::fromLatin1(key)),
                  QStringLiteral("expected a duration: seconds, or a number with ms, s, m or h "
                                 "(e.g. 30s)"));
            return fallbackMs;
        }

        const double amount = match.captured(1).toDouble();
        const QString unit = match.captured(2);
        double factor = 1000;
        if (unit == QLatin1String("ms"))
            factor = 1;
        else if (unit == QLatin1String("m"))
            factor = 60'000;
        else if (unit == QLatin1String("h"))
            factor = 3'600'000;
        return int(std::min(amount * factor, 2'000'000'000.0));
    }

    QStringList list(const YAML::Node &map, const char *key, const QString &path)
    {
        const QString keyPath = join(path, QString::fromLatin1(key));
        const YAML::Node node = map[key];
        if (!node.IsDefined() || node.IsNull())
            return {};
        if (node.IsScalar())
            return {qs(node.Scalar())};
        if (!node.IsSequence()) {
            error(node, keyPath, QStringLiteral("expected a list of values"));
            return {};
        }

        QStringList values;
        for (std::size_t i = 0; i < node.size(); ++i) {
            const YAML::Node item = node[i];
            if (!item.IsScalar()) {
                error(item, keyPath + QStringLiteral("[%1]").arg(i),
                      QStringLiteral("expected a single value"));
                continue;
            }
            values.append(qs(item.Scalar()));
        }
        return values;
    }

    QUrl url(const YAML::Node &map, const char *key, const QString &path, bool required,
             const QUrl &fallback = {})
    {
        const QString value = text(map, key, path, required);
        if (value.isEmpty())
            return fallback;

        const QUrl parsed(value.trimmed(), QUrl::StrictMode);
        const bool web
            = parsed.scheme() == QLatin1String("http") || parsed.scheme() == QLatin1String("https");
        if (!parsed.isValid() || !web || parsed.host().isEmpty()) {
            error(map[key], join(path, QString::fromLatin1(key)),
                  QStringLiteral("'%1' is not an http:// or https:// address").arg(value));
            return fallback;
        }
        if (!parsed.userInfo().isEmpty())
            warn(map[key], join(path, QString::fromLatin1(key)),
                 QStringLiteral("credentials in the address are ignored; use username and "
                                "password or token"));
        QUrl clean = parsed.adjusted(QUrl::RemoveUserInfo | QUrl::StripTrailingSlash);
        if (clean.path() == QLatin1String("/"))
            clean.setPath(QString());
        return clean;
    }

    ConnectionOptions connection(const YAML::Node &map, const QString &path)
    {
        ConnectionOptions options;
        options.pollIntervalMs = durationMs(map, "pollInterval", path, options.pollIntervalMs);
        options.timeoutMs = std::max(1, durationMs(map, "timeout", path, options.timeoutMs));
        options.caCertificate = text(map, "caCertificate", path, false);
        if (!options.caCertificate.isEmpty()) {
            options.caCertificate = resolvePath(options.caCertificate);
            // A warning, not an error: one source's missing file must not stop the others.
            if (!QFileInfo(options.caCertificate).isReadable())
                warn(map["caCertificate"], join(path, QStringLiteral("caCertificate")),
                     QStringLiteral("cannot read the file %1; this source trusts only the "
                                    "system's CAs")
                         .arg(options.caCertificate));
        }
        options.proxy = text(map, "proxy", path, false);
        if (!options.proxy.isEmpty() && options.proxy != QLatin1String("none")) {
            const QUrl proxy(options.proxy, QUrl::StrictMode);
            const QStringList schemes = {QStringLiteral("http"), QStringLiteral("socks5")};
            if (!proxy.isValid() || !schemes.contains(proxy.scheme()) || proxy.host().isEmpty()
                || proxy.port() <= 0)
                error(map["proxy"], join(path, QStringLiteral("proxy")),
                      QStringLiteral("expected http://host:port, socks5://host:port or none"));
        }
        options.insecureSkipVerify = flag(map, "insecureSkipVerify", path, false);
        return options;
    }

    QString resolvePath(const QString &path) const
    {
        QString expanded = path;
        if (expanded.startsWith(QLatin1String("~/")))
            expanded = QDir::homePath() + expanded.mid(1);
        if (QDir::isAbsolutePath(expanded) || m_file.isEmpty())
            return QDir::cleanPath(expanded);
        return QDir::cleanPath(QFileInfo(m_file).absoluteDir().filePath(expanded));
    }

    // Remembers a source name; a second use is an error pointing at the first.
    void claimName(const QString &name, const YAML::Node &node, const QString &path)
    {
        if (name.isEmpty())
            return;
        const auto first = m_names.constFind(name);
        if (first != m_names.cend()) {
            error(node, path,
                  QStringLiteral("the source name '%1' is already used on line %2; source "
                                 "names must be unique")
                      .arg(name, QString::number(first->line)));
            return;
        }
        m_names.insert(name, locationOf(node));
    }

private:
    QString m_file;
    QList<ConfigProblem> &m_problems;
    QHash<QString, Location> m_names;
};

// Calls `readOne` for each entry of `<section>.masters`, unless the section says enabled: false.
template<typename ReadOne>
void readMasters(Reader &reader, const YAML::Node &root, const char *section, ReadOne readOne)
{
    const QString sectionName = QString::fromLatin1(section);
    const YAML::Node node = root[section];
    if (!node.IsDefined() || node.IsNull())
        return;
    if (!reader.expectMap(node, sectionName))
        return;

    reader.checkKeys(node, sectionName,
                     {QStringLiteral("enabled"), QStringLiteral("masters"),
                      QStringLiteral("itemUpperThreshold"), QStringLiteral("cachedJobTTLDays")});
    if (!reader.flag(node, "enabled", sectionName, true))
        return;

    const YAML::Node masters = node["masters"];
    if (!masters.IsDefined() || masters.IsNull())
        return;
    const QString mastersPath = sectionName + QStringLiteral(".masters");
    if (!masters.IsSequence()) {
        reader.error(masters, mastersPath, QStringLiteral("expected a list of masters"));
        return;
    }

    for (std::size_t i = 0; i < masters.size(); ++i) {
        const YAML::Node master = masters[i];
        const QString path = mastersPath + QStringLiteral("[%1]").arg(i);
        if (!reader.expectMap(master, path))
            continue;
        readOne(master, path);
    }
}

// Calls `readOne` for each map of the top-level list `section` (fixtures, localClones), after
// checking the entry's keys.
template<typename ReadOne>
void readList(Reader &reader, const YAML::Node &root, const char *section, const QString &what,
              const QStringList &keys, ReadOne readOne)
{
    const QString sectionName = QString::fromLatin1(section);
    const YAML::Node node = root[section];
    if (!node.IsDefined() || node.IsNull())
        return;
    if (!node.IsSequence()) {
        reader.error(node, sectionName, QStringLiteral("expected a list of %1").arg(what));
        return;
    }
    for (std::size_t i = 0; i < node.size(); ++i) {
        const YAML::Node entry = node[i];
        const QString path = sectionName + QStringLiteral("[%1]").arg(i);
        if (!reader.expectMap(entry, path))
            continue;
        reader.checkKeys(entry, path, keys);
        readOne(entry, path);
    }
}

void readJenkins(Reader &reader, const YAML::Node &root, Config &config)
{
    readMasters(reader, root, JenkinsSection, [&](const YAML::Node &node, const QString &path) {
        reader.checkKeys(
            node, path,
            withConnectionKeys({"name", "address", "username", "password", "token", "csrf", "jobs"},
                               true));
        JenkinsMaster master;
        master.location = locationOf(node);
        master.name = reader.text(node, "name", path, true);
        reader.claimName(master.name, node["name"], Reader::join(path, QStringLiteral("name")));
        master.address = reader.url(node, "address", path, true);
        master.username = reader.text(node, "username", path, false);
        master.password = reader.secret(node, "password", path);
        master.token = reader.secret(node, "token", path);
        master.csrf = reader.flag(node, "csrf", path, false);
        master.jobs = reader.list(node, "jobs", path);
        master.connection = reader.connection(node, path);

        if ((master.password.isSet() || master.token.isSet()) && master.username.isEmpty())
            reader.error(node, Reader::join(path, QStringLiteral("username")),
                         QStringLiteral("a password or token needs a username"));
        if (master.password.isSet() && master.token.isSet())
            reader.warn(node["password"], Reader::join(path, QStringLiteral("password")),
                        QStringLiteral("both password and token are set; the token is used"));
        config.jenkins.append(master);
    });
}

void readGitLab(Reader &reader, const YAML::Node &root, Config &config)
{
    readMasters(reader, root, GitLabSection, [&](const YAML::Node &node, const QString &path) {
        reader.checkKeys(
            node, path,
            withConnectionKeys({"name", "address", "privateToken", "projects", "limitByMembership",
                                "limitByOwnership", "defaultHttpPageLength"},
                               true));
        GitLabMaster master;
        master.location = locationOf(node);
        master.name = reader.text(node, "name", path, true);
        reader.claimName(master.name, node["name"], Reader::join(path, QStringLiteral("name")));
        master.address = reader.url(node, "address", path, true);
        master.privateToken = reader.secret(node, "privateToken", path);
        master.projects = reader.list(node, "projects", path);
        master.limitByMembership = reader.flag(node, "limitByMembership", path, true);
        master.limitByOwnership = reader.flag(node, "limitByOwnership", path, false);
        master.defaultHttpPageLength
            = std::min(100, reader.number(node, "defaultHttpPageLength", path, 100, 1));
        master.connection = reader.connection(node, path);
        config.gitLab.append(master);
    });
}

void readGitHubActions(Reader &reader, const YAML::Node &root, Config &config)
{
    readMasters(
        reader, root, GitHubActionsSection, [&](const YAML::Node &node, const QString &path) {
            reader.checkKeys(
                node, path,
                withConnectionKeys({"name", "baseUrl", "repositories", "token"}, false));
            GitHubActionsMaster master;
            master.location = locationOf(node);
            master.name = reader.text(node, "name", path, true);
            reader.claimName(master.name, node["name"], Reader::join(path, QStringLiteral("name")));
            master.baseUrl = reader.url(node, "baseUrl", path, false, master.baseUrl);
            master.repositories = reader.list(node, "repositories", path);
            master.token = reader.secret(node, "token", path);
            master.connection = reader.connection(node, path);

            const QString reposPath = Reader::join(path, QStringLiteral("repositories"));
            if (master.repositories.isEmpty())
                reader.error(node, reposPath, QStringLiteral("list at least one owner/name"));
            static const QRegularExpression repoPattern(QStringLiteral(R"(^[\w.-]+/[\w.-]+$)"));
            for (const QString &repository : std::as_const(master.repositories)) {
                if (!repoPattern.match(repository).hasMatch())
                    reader.error(node["repositories"], reposPath,
                                 QStringLiteral("'%1' is not owner/name").arg(repository));
            }
            config.gitHubActions.append(master);
        });
}

void readBuildbot(Reader &reader, const YAML::Node &root, Config &config)
{
    readMasters(reader, root, BuildbotSection, [&](const YAML::Node &node, const QString &path) {
        reader.checkKeys(
            node, path,
            withConnectionKeys({"name", "address", "builders", "username", "password"}, false));
        BuildbotMaster master;
        master.location = locationOf(node);
        master.name = reader.text(node, "name", path, true);
        reader.claimName(master.name, node["name"], Reader::join(path, QStringLiteral("name")));
        master.address = reader.url(node, "address", path, true);
        master.builders = reader.list(node, "builders", path);
        master.username = reader.text(node, "username", path, false);
        master.password = reader.secret(node, "password", path);
        master.connection = reader.connection(node, path);
        if (master.password.isSet() && master.username.isEmpty())
            reader.error(node, Reader::join(path, QStringLiteral("username")),
                         QStringLiteral("a password needs a username"));
        config.buildbot.append(master);
    });
}

void readFixtures(Reader &reader, const YAML::Node &root, Config &config)
{
    readList(reader, root, FixturesSection, QStringLiteral("fixture sets"),
             {QStringLiteral("name"), QStringLiteral("path")},
             [&](const YAML::Node &entry, const QString &path) {
                 FixtureSource fixture;
                 fixture.location = locationOf(entry);
                 fixture.name = reader.text(entry, "name", path, true);
                 reader.claimName(fixture.name, entry["name"],
                                  Reader::join(path, QStringLiteral("name")));
                 const QString directory = reader.text(entry, "path", path, true);
                 if (!directory.isEmpty())
                     fixture.path = directory.startsWith(QLatin1Char(':'))
                         ? directory
                         : reader.resolvePath(directory);
                 config.fixtures.append(fixture);
             });
}

void readServer(Reader &reader, const YAML::Node &root, Config &config)
{
    const QString sectionName = QString::fromLatin1(ServerSection);
    const YAML::Node node = root[ServerSection];
    if (!node.IsDefined() || node.IsNull())
        return;
    if (!reader.expectMap(node, sectionName))
        return;
    // Spring Boot's own server keys share this section in igor's file; they are not ours to
    // judge, so unknown keys pass silently here. igor's port is used when listen is not set;
    // its address is not, so the server stays on loopback unless told otherwise.
    config.server.location = locationOf(node);
    const QString port = reader.text(node, "port", sectionName, false);
    const QString fallback
        = port.isEmpty() ? config.server.listen : QStringLiteral("127.0.0.1:") + port;
    config.server.listen = reader.text(node, "listen", sectionName, false, fallback);
    config.server.token = reader.secret(node, "token", sectionName);

    static const QRegularExpression listenPattern(QStringLiteral(R"(^(.*):(\d{1,5})$)"));
    const QRegularExpressionMatch match = listenPattern.match(config.server.listen);
    if (!match.hasMatch() || match.captured(2).toInt() > 65535)
        reader.error(node["listen"], sectionName + QStringLiteral(".listen"),
                     QStringLiteral("expected host:port, e.g. 127.0.0.1:8088"));
}

// igor's SCM sections: only baseUrl means something here; igor's other keys are accepted.
void readScmHosts(Reader &reader, const YAML::Node &root, Config &config)
{
    struct ScmSection
    {
        const char *section;
        const char *masterKey;
    };
    static const ScmSection sections[] = {
        {"stash", "stash"},
        {"github", "gitHub"},
        {"gitlab", "gitLab"},
        {"bitbucket", "bitBucket"},
    };

    for (const ScmSection &scm : sections) {
        const QString sectionName = QString::fromLatin1(scm.section);
        const YAML::Node node = root[scm.section];
        if (!node.IsDefined() || node.IsNull())
            continue;
        if (!reader.expectMap(node, sectionName))
            continue;
        reader.checkKeys(node, sectionName,
                         {QStringLiteral("baseUrl"), QStringLiteral("username"),
                          QStringLiteral("password"), QStringLiteral("accessToken"),
                          QStringLiteral("privateToken"), QStringLiteral("commitDisplayLength")});

        const QUrl base = reader.url(node, "baseUrl", sectionName, false);
        if (!base.isEmpty())
            config.scmHosts.insert(QString::fromLatin1(scm.masterKey), base.toString());

        ScmCredentials credentials;
        credentials.username = reader.text(node, "username", sectionName, false);
        for (const char *key : {"accessToken", "privateToken", "password"}) {
            const Secret secret = reader.secret(node, key, sectionName);
            if (secret.isSet() && !credentials.token.isSet())
                credentials.token = secret;
        }
        if (credentials.token.isSet())
            config.scmCredentials.insert(QString::fromLatin1(scm.masterKey), credentials);
    }
}

void readLocalClones(Reader &reader, const YAML::Node &root, Config &config)
{
    readList(reader, root, "localClones", QStringLiteral("{remote, path}"),
             {QStringLiteral("remote"), QStringLiteral("path")},
             [&](const YAML::Node &entry, const QString &path) {
                 LocalCloneSetting clone;
                 clone.location = locationOf(entry);
                 clone.remote = reader.text(entry, "remote", path, true);
                 const QString directory = reader.text(entry, "path", path, true);
                 if (!directory.isEmpty())
                     clone.path = reader.resolvePath(directory);
                 if (!clone.remote.isEmpty() && !clone.path.isEmpty())
                     config.localClones.append(clone);
             });
}

} // namespace

QString ConfigProblem::toString() const
{
    QString where = file.isEmpty() ? QStringLiteral("<config>") : file;
    if (location.line > 0)
        where += QStringLiteral(":%1:%2").arg(location.line).arg(location.column);
    const QString kind = isError() ? QString() : QStringLiteral("warning: ");
    if (key.isEmpty())
        return where + QStringLiteral(": ") + kind + message;
    return where + QStringLiteral(": ") + kind + key + QStringLiteral(": ") + message;
}

QStringList Config::sourceNames() const
{
    QStringList names;
    for (const JenkinsMaster &master : jenkins)
        names.append(master.name);
    for (const GitLabMaster &master : gitLab)
        names.append(master.name);
    for (const GitHubActionsMaster &master : gitHubActions)
        names.append(master.name);
    for (const BuildbotMaster &master : buildbot)
        names.append(master.name);
    for (const FixtureSource &fixture : fixtures)
        names.append(fixture.name);
    return names;
}

void Config::clearSources()
{
    jenkins.clear();
    gitLab.clear();
    gitHubActions.clear();
    buildbot.clear();
    fixtures.clear();
}

bool LoadOutcome::ok() const
{
    return errors().isEmpty();
}

QList<ConfigProblem> LoadOutcome::errors() const
{
    QList<ConfigProblem> found;
    for (const ConfigProblem &problem : problems) {
        if (problem.isError())
            found.append(problem);
    }
    return found;
}

QString LoadOutcome::errorText() const
{
    QStringList lines;
    for (const ConfigProblem &problem : errors())
        lines.append(problem.toString());
    return lines.join(QLatin1Char('\n'));
}

LoadOutcome parseConfig(const QByteArray &yaml, const QString &fileName)
{
    LoadOutcome outcome;
    outcome.config.path = fileName;

    YAML::Node root;
    try {
        root = YAML::Load(yaml.toStdString());
    } catch (const YAML::Exception &exception) {
        const Location where = exception.mark.line < 0
            ? Location{}
            : Location{exception.mark.line + 1, exception.mark.column + 1};
        outcome.problems.append({ConfigProblem::Severity::Error, fileName, where, QString(),
                                 QStringLiteral("not valid YAML: %1").arg(qs(exception.msg))});
        return outcome;
    }

    if (root.IsNull() || !root.IsDefined())
        return outcome; // an empty file configures nothing, which is valid

    Reader reader(fileName, outcome.problems);
    if (!reader.expectMap(root, QString()))
        return outcome;

    // Unknown top-level keys are igor's many other settings: ignored without a word.
    try {
        readServer(reader, root, outcome.config);
        readJenkins(reader, root, outcome.config);
        readGitLab(reader, root, outcome.config);
        readGitHubActions(reader, root, outcome.config);
        readBuildbot(reader, root, outcome.config);
        readFixtures(reader, root, outcome.config);
        readScmHosts(reader, root, outcome.config);
        readLocalClones(reader, root, outcome.config);
    } catch (const YAML::Exception &exception) {
        outcome.problems.append({ConfigProblem::Severity::Error,
                                 fileName,
                                 {exception.mark.line + 1, exception.mark.column + 1},
                                 QString(),
                                 qs(exception.msg)});
    }

    for (const ConfigProblem &problem : std::as_const(outcome.problems)) {
        if (!problem.isError())
            outcome.config.warnings.append(problem);
    }
    return outcome;
}

LoadOutcome loadConfig(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        LoadOutcome outcome;
        outcome.config.path = path;
        outcome.problems.append(
            {ConfigProblem::Severity::Error,
             path,
             {},
             QString(),
             QStringLiteral("cannot read the configuration: %1").arg(file.errorString())});
        return outcome;
    }

    LoadOutcome outcome = parseConfig(file.readAll(), QFileInfo(path).absoluteFilePath());
    qCInfo(lcConfig, "%s: %lld sources, %lld problems", qUtf8Printable(path),
           qlonglong(outcome.config.sourceNames().size()), qlonglong(outcome.problems.size()));
    return outcome;
}

QString defaultConfigPath()
{
    const QString fromEnvironment = qEnvironmentVariable("CI_COMPANION_CONFIG");
    if (!fromEnvironment.isEmpty())
        return fromEnvironment;
    // Beside the systemd unit's server.env, rather than in AppConfigLocation, which would
    // name the folder twice (organisation and application are both ci-companion).
    const QString directory
        = QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation);
    return QDir(directory).filePath(QStringLiteral("ci-companion/ci-companion.yml"));
}

QStringList knownMasterKeys(const QString &section)
{
    if (section == QLatin1String(JenkinsSection))
        return withConnectionKeys(
            {"name", "address", "username", "password", "token", "csrf", "jobs"}, false);
    if (section == QLatin1String(GitLabSection))
        return withConnectionKeys({"name", "address", "privateToken", "projects",
                                   "limitByMembership", "limitByOwnership",
                                   "defaultHttpPageLength"},
                                  false);
    if (section == QLatin1String(GitHubActionsSection))
        return withConnectionKeys({"name", "baseUrl", "repositories", "token"}, false);
    if (section == QLatin1String(BuildbotSection))
        return withConnectionKeys({"name", "address", "builders", "username", "password"}, false);
    if (section == QLatin1String(FixturesSection))
        return {QStringLiteral("name"), QStringLiteral("path")};
    return {};
}

} // namespace cic::config
