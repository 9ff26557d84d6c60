// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/mock/scenarioengine.h"
#include "core/service/cibuildservice.h"

#include <QHash>
#include <QJsonObject>
#include <QSet>

namespace cic {
class FixtureProvider;
}

namespace cic::mock {

// Where a build the mock serves comes from; the later ones win for the same id.
enum class Origin {
    Fixture, // a file of the fixture set
    Edit, // created, replaced or changed through the control API
    Scenario, // a started scenario
};

QString originName(Origin origin);

struct MockOptions
{
    bool scenarios = true; // play the set's scenarios/*.json
    bool autostart = true; // start those that say autostart; false: all wait to be started
    bool watch = true; // reload the set's files when they change (directories on disk)
};

// The source behind `ci-companion serve` as a local igor mock: the builds of a fixture set,
// with its scenarios playing over them, and edits made at run time on top. The store serves
// its builds like any source's; the control API (MockControl) changes them.
//
// The fixture set is watched: a reload keeps run-time edits and running scenarios, and
// restarts only a scenario whose file (or a file it reads) changed.
class MockSource final : public CiBuildService
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MockSource)

public:
    // directory: a fixture set, or empty for a mock that starts with no builds.
    MockSource(const QString &name, const QString &directory, const MockOptions &options = {},
               QObject *parent = nullptr);
    ~MockSource() override;

    QString name() const override { return m_name; }
    QString kind() const override { return QStringLiteral("mock"); }
    QString directory() const { return m_directory; }

    QFuture<Result<QList<SourceProject>>> listProjects() override;
    QFuture<Result<BuildList>> fetchRecentBuilds(const QString &project = {}) override;
    QFuture<Result<BuildList>> findBuilds(const BuildQuery &query) override;
    QFuture<Result<LogChunk>> fetchLog(const Build &build, qint64 offset = 0) override;

    FixtureProvider *fixtures() const { return m_fixtures; }
    ScenarioEngine *engine() const { return m_engine; }

    // The SCM hosts of the set's manifest, as igor's /scm/masters answers.
    QMap<QString, QString> scmMasters() const;

    // What is wrong in the fixture files and the scenario files.
    QList<FixtureProblem> problems() const;

    // Reads the set's scenarios again; see the class comment.
    void reloadScenarios();

    // Adds or replaces a scenario from its JSON; its files are read from the set.
    Result<ScenarioEngine::Status> putScenario(const QString &name, const QByteArray &json);

    // Every build served now, newest first; one by id; where it comes from.
    BuildList builds() const;
    BuildPtr build(const QString &id) const;
    std::optional<Origin> origin(const QString &id) const;

    // Run-time edits. Bodies are checked strictly (checkWireBuild): a failure says what is
    // wrong. Builds that a scenario plays cannot be edited; the caller checks engine()->
    // ownerOf() first.
    Result<BuildPtr> putBuild(const QString &id, const QJsonObject &json);
    Result<BuildPtr> patchBuild(const QString &id, const QJsonObject &fields);
    bool removeBuild(const QString &id);

    // The whole log as served now.
    QByteArray logText(const QString &id) const;
    // Replaces a log; returns its new size.
    qint64 setLog(const QString &id, const QByteArray &text);
    // Appends to a log; a reader that fetched it before gets only the new part.
    qint64 appendLog(const QString &id, const QByteArray &text);
    // Forgets a log set at run time: the build's file (or nothing) is its log again.
    bool revertLog(const QString &id);

    // Forgets every run-time edit of builds and logs.
    void clearEdits();

private:
    ScenarioContext scenarioContext() const;
    BuildPtr stamped(const BuildPtr &build);

    // Rebuilds the served set and tells the registry; logs that now come from elsewhere (a
    // scenario took over a fixture build's id, an edit went away) are invalidated.
    void refresh(const QStringList &replacedLogs = {});

    QString m_name;
    QString m_directory;
    MockOptions m_options;
    FixtureProvider *m_fixtures = nullptr;
    ScenarioEngine *m_engine = nullptr;
    QList<FixtureProblem> m_scenarioProblems;

    QHash<QString, BuildPtr> m_edits; // created or changed at run time
    QSet<QString> m_removed; // fixture builds deleted at run time
    QHash<QString, QByteArray> m_logEdits; // logs set or appended at run time

    // The builds served, newest first, and by id.
    BuildList m_effective;
    QHash<QString, std::pair<BuildPtr, Origin>> m_byId;
    // Scenario builds with this source's name on them, and the engine's copy they came from,
    // so that an unchanged build keeps its pointer (and the store its encoded JSON).
    QHash<QString, std::pair<BuildPtr, BuildPtr>> m_stamped;
};

} // namespace cic::mock
