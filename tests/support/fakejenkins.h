// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tests/support/fakehttpserver.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QMap>

#include <optional>

namespace cic::test {

// A Jenkins master on loopback, answering from documents written after Jenkins' documented
// field names: folders and multibranch projects nested to the depth the `tree` asks for,
// `builds` holding only the 100 newest and `allBuilds` the rest, `{M,N}` ranges, absolute
// `url`s on the root Jenkins believes it has (which may differ from where it listens),
// progressiveText with X-Text-Size and X-More-Data, consoleText, a test report, a crumb
// issuer bound to the session cookie, and POST .../build answering 201 with a queue item.
class FakeJenkins : public QObject
{
    Q_OBJECT

public:
    struct FakeBuild
    {
        int number = 0;
        QString result = QStringLiteral("SUCCESS");
        bool building = false;
        qint64 timestamp = 1714550400000;
        qint64 duration = 60000;
        QJsonArray actions;
        QJsonObject extra; // changeSet / changeSets / artifacts / anything else to emit
        QByteArray log;
        std::optional<QJsonObject> testReport;
    };

    explicit FakeJenkins(QObject *parent = nullptr);

    bool start();
    QUrl baseUrl() const { return m_http.baseUrl(); }
    FakeHttpServer &http() { return m_http; }

    // Absolute URLs in answers use this root; by default the address it listens on.
    void setAdvertisedRoot(const QString &root) { m_advertisedRoot = root; }

    // A folder level, e.g. {"team"} as a plain folder or {"repo"} as a multibranch project.
    void addFolder(const QStringList &path,
                   const QString &className
                   = QStringLiteral("com.cloudbees.hudson.plugins.folder.Folder"));
    void addJob(const QStringList &path,
                const QString &className = QStringLiteral("hudson.model.FreeStyleProject"));
    // Builds are kept newest first.
    void addBuild(const QStringList &jobPath, const FakeBuild &build);
    FakeBuild *build(const QStringList &jobPath, int number);

    // Credentials the fake demands (Basic); unset: anonymous access.
    void requireBasicAuth(const QString &user, const QString &secret)
    {
        m_user = user;
        m_secret = secret;
    }
    // Makes every crumb issued so far invalid, as a restarted session does.
    void expireSessions() { m_sessions.clear(); }
    int crumbRequests() const { return m_crumbRequests; }
    int buildsTriggered() const { return m_triggered; }

    // Answers this reply for requests whose path starts with the prefix: the next `times`
    // of them, or all when times is -1.
    void overridePath(const QByteArray &prefix, const FakeReply &reply, int times = -1)
    {
        m_overrides.insert(prefix, {reply, times});
    }
    void clearOverrides() { m_overrides.clear(); }

private:
    struct Item
    {
        QStringList path;
        QString className;
        bool folder = false;
        QList<FakeBuild> builds; // newest first
    };

    FakeReply handle(const RecordedRequest &request);
    FakeReply handleGet(const RecordedRequest &request, const QStringList &jobPath,
                        const QStringList &rest);
    QJsonObject itemJson(const Item &item, int depth) const;
    QJsonObject buildJson(const Item &item, const FakeBuild &build) const;
    QJsonArray children(const QStringList &path, int depth) const;
    QString itemUrl(const QStringList &path) const;
    FakeReply withJenkinsHeaders(FakeReply reply) const;

    FakeHttpServer m_http;
    QString m_advertisedRoot;
    QList<Item> m_items;
    QString m_user;
    QString m_secret;
    QHash<QString, QString> m_sessions; // session id -> crumb
    int m_sessionCounter = 0;
    int m_crumbRequests = 0;
    int m_triggered = 0;
    QMap<QByteArray, std::pair<FakeReply, int>> m_overrides;
};

} // namespace cic::test
