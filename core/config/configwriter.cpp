// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/config/configwriter.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QSaveFile>

#include <yaml-cpp/yaml.h>

namespace cic::config {

namespace {
Q_LOGGING_CATEGORY(lcConfigWriter, "cicompanion.core.config.writer")

const char FileHeader[] = "# CI Companion configuration (docs/configuration.md). Saved by the "
                          "Settings dialog,\n# which keeps every setting but not comments.\n";

std::string str(const QString &text)
{
    return text.toStdString();
}

// Sets a key, or removes it when the value says "not configured". A key the file already had
// keeps its place in the mapping.
void setText(YAML::Node &map, const char *key, const QString &value)
{
    if (value.isEmpty())
        map.remove(key);
    else
        map[key] = str(value);
}

void setSecret(YAML::Node &map, const char *key, const Secret &secret)
{
    setText(map, key, secret.text());
}

void setFlag(YAML::Node &map, const char *key, bool value, bool fallback)
{
    if (value == fallback && !map[key].IsDefined())
        return;
    map[key] = value;
}

void setList(YAML::Node &map, const char *key, const QStringList &values)
{
    if (values.isEmpty()) {
        map.remove(key);
        return;
    }
    YAML::Node list(YAML::NodeType::Sequence);
    for (const QString &value : values)
        list.push_back(str(value));
    map[key] = list;
}

// Durations are written back in the unit a person would pick.
QString durationText(int ms)
{
    if (ms % 3'600'000 == 0)
        return QStringLiteral("%1h").arg(ms / 3'600'000);
    if (ms % 60'000 == 0)
        return QStringLiteral("%1m").arg(ms / 60'000);
    if (ms % 1000 == 0)
        return QStringLiteral("%1s").arg(ms / 1000);
    return QStringLiteral("%1ms").arg(ms);
}

void setConnection(YAML::Node &map, const ConnectionOptions &options)
{
    const ConnectionOptions defaults;
    if (options.pollIntervalMs != defaults.pollIntervalMs || map["pollInterval"].IsDefined())
        map["pollInterval"] = str(durationText(options.pollIntervalMs));
    if (options.timeoutMs != defaults.timeoutMs || map["timeout"].IsDefined())
        map["timeout"] = str(durationText(options.timeoutMs));
    setText(map, "caCertificate", options.caCertificate);
    setText(map, "proxy", options.proxy);
    setFlag(map, "insecureSkipVerify", options.insecureSkipVerify, false);
}

// The existing entry of a list with this name, so keys we do not read survive; else a new map.
YAML::Node entryNamed(const YAML::Node &list, const QString &name)
{
    if (list.IsSequence()) {
        for (std::size_t i = 0; i < list.size(); ++i) {
            const YAML::Node entry = list[i];
            if (entry.IsMap() && entry["name"].IsScalar()
                && QString::fromStdString(entry["name"].Scalar()) == name)
                return YAML::Clone(entry);
        }
    }
    return YAML::Node(YAML::NodeType::Map);
}

// Rewrites `<section>.masters` from `masters`, keeping the section's other keys. A section the
// configuration has no masters for and the file did not have is not added.
template<typename Master, typename Fill>
void writeMasters(YAML::Node &root, const char *section, const QList<Master> &masters, Fill fill)
{
    YAML::Node existing = root[section];
    if (masters.isEmpty() && !existing.IsDefined())
        return;

    YAML::Node sectionNode = existing.IsMap() ? existing : YAML::Node(YAML::NodeType::Map);
    const YAML::Node oldMasters = sectionNode["masters"];
    YAML::Node list(YAML::NodeType::Sequence);
    for (const Master &master : masters) {
        YAML::Node node = entryNamed(oldMasters, master.name);
        node["name"] = str(master.name);
        fill(node, master);
        list.push_back(node);
    }
    if (!masters.isEmpty() && !sectionNode["enabled"].IsDefined()
        && QLatin1String(section) != QLatin1String(GitHubActionsSection)
        && QLatin1String(section) != QLatin1String(BuildbotSection))
        sectionNode["enabled"] = true; // igor reads the section only when enabled
    sectionNode["masters"] = list;
    root[section] = sectionNode;
}

void writeScmHosts(YAML::Node &root, const ScmHosts &hosts)
{
    static const std::pair<const char *, const char *> sections[] = {
        {"stash", "stash"}, {"github", "gitHub"}, {"gitlab", "gitLab"}, {"bitbucket", "bitBucket"}};
    for (const auto &[section, masterKey] : sections) {
        const QString base = hosts.value(QString::fromLatin1(masterKey));
        YAML::Node node = root[section];
        if (base.isEmpty()) {
            if (node.IsMap())
                node.remove("baseUrl");
            continue;
        }
        if (!node.IsMap())
            node = YAML::Node(YAML::NodeType::Map);
        node["baseUrl"] = str(base);
        root[section] = node;
    }
}

} // namespace

Result<QByteArray> renderConfig(const Config &config, const QByteArray &existingYaml)
{
    YAML::Node root;
    try {
        root = existingYaml.trimmed().isEmpty() ? YAML::Node(YAML::NodeType::Map)
                                                : YAML::Load(existingYaml.toStdString());
    } catch (const YAML::Exception &exception) {
        return Error{QStringLiteral("the existing file is not valid YAML (line %1): %2; fix or "
                                    "move it before saving")
                         .arg(exception.mark.line + 1)
                         .arg(QString::fromStdString(exception.msg))};
    }
    if (!root.IsMap())
        root = YAML::Node(YAML::NodeType::Map);

    const ServerSettings defaults;
    if (config.server.listen != defaults.listen || config.server.token.isSet()
        || root["server"].IsDefined()) {
        YAML::Node server
            = root["server"].IsMap() ? root["server"] : YAML::Node(YAML::NodeType::Map);
        server["listen"] = str(config.server.listen);
        setSecret(server, "token", config.server.token);
        root["server"] = server;
    }

    writeMasters(root, JenkinsSection, config.jenkins,
                 [](YAML::Node &node, const JenkinsMaster &m) {
                     node["address"] = str(m.address.toString());
                     setText(node, "username", m.username);
                     setSecret(node, "password", m.password);
                     setSecret(node, "token", m.token);
                     setFlag(node, "csrf", m.csrf, false);
                     setList(node, "jobs", m.jobs);
                     setConnection(node, m.connection);
                 });
    writeMasters(root, GitLabSection, config.gitLab, [](YAML::Node &node, const GitLabMaster &m) {
        node["address"] = str(m.address.toString());
        setSecret(node, "privateToken", m.privateToken);
        setList(node, "projects", m.projects);
        setFlag(node, "limitByMembership", m.limitByMembership, true);
        setFlag(node, "limitByOwnership", m.limitByOwnership, false);
        if (m.defaultHttpPageLength != 100 || node["defaultHttpPageLength"].IsDefined())
            node["defaultHttpPageLength"] = m.defaultHttpPageLength;
        setConnection(node, m.connection);
    });
    writeMasters(root, GitHubActionsSection, config.gitHubActions,
                 [](YAML::Node &node, const GitHubActionsMaster &m) {
                     node["baseUrl"] = str(m.baseUrl.toString());
                     setList(node, "repositories", m.repositories);
                     setSecret(node, "token", m.token);
                     setConnection(node, m.connection);
                 });
    writeMasters(root, BuildbotSection, config.buildbot,
                 [](YAML::Node &node, const BuildbotMaster &m) {
                     node["address"] = str(m.address.toString());
                     setList(node, "builders", m.builders);
                     setText(node, "username", m.username);
                     setSecret(node, "password", m.password);
                     setConnection(node, m.connection);
                 });

    if (!config.fixtures.isEmpty() || root[FixturesSection].IsDefined()) {
        const YAML::Node old = root[FixturesSection];
        YAML::Node list(YAML::NodeType::Sequence);
        for (const FixtureSource &fixture : config.fixtures) {
            YAML::Node node = entryNamed(old, fixture.name);
            node["name"] = str(fixture.name);
            node["path"] = str(fixture.path);
            list.push_back(node);
        }
        root[FixturesSection] = list;
    }
    writeScmHosts(root, config.scmHosts);

    YAML::Emitter out;
    out.SetIndent(2);
    out << root;
    if (!out.good())
        return Error{QStringLiteral("cannot write the configuration: %1")
                         .arg(QString::fromStdString(out.GetLastError()))};

    QByteArray text = FileHeader;
    text += QByteArray(out.c_str(), qsizetype(out.size()));
    text += '\n';
    return text;
}

Result<bool> saveConfig(const Config &config, const QString &path)
{
    QByteArray existing;
    QFile current(path);
    if (current.exists()) {
        if (!current.open(QIODevice::ReadOnly))
            return Error{QStringLiteral("cannot read %1: %2").arg(path, current.errorString())};
        existing = current.readAll();
        current.close();
    }

    Result<QByteArray> text = renderConfig(config, existing);
    if (!text)
        return Error{path + QStringLiteral(": ") + text.error()};

    QDir().mkpath(QFileInfo(path).absolutePath());
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Error{QStringLiteral("cannot write %1: %2").arg(path, file.errorString())};
    file.write(text.value());
    if (!file.commit())
        return Error{QStringLiteral("cannot write %1: %2").arg(path, file.errorString())};

    // The file holds secrets (inline ones at least): readable by its owner only.
    QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    qCInfo(lcConfigWriter, "saved %s", qUtf8Printable(path));
    return true;
}

} // namespace cic::config
