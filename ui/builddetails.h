// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/model/build.h"

#include <QTabWidget>

class QLabel;
class QPushButton;
class QTextBrowser;
class QTreeWidget;

namespace cic {

class SourceRegistry;

namespace logview {
class LogPanel;
}

// The selected build in tabs: Summary (every field, with links), Log, Artifacts, Tests and
// Changes. Links open in the browser.
class BuildDetails final : public QTabWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BuildDetails)

public:
    enum Tab { SummaryTab, LogTab, ArtifactsTab, TestsTab, ChangesTab };

    explicit BuildDetails(SourceRegistry *registry, QWidget *parent = nullptr);

    // Shows a build; the log is fetched only while the Log tab is visible.
    void setBuild(const BuildPtr &build);
    BuildPtr build() const { return m_build; }

    logview::LogPanel *logPanel() const { return m_log; }
    QTextBrowser *summary() const { return m_summary; }
    QTreeWidget *artifacts() const { return m_artifacts; }
    QTreeWidget *failedTests() const { return m_tests; }
    QTreeWidget *changes() const { return m_changes; }

    // The link of an artifact: its own url, else the Jenkins-style path under the build.
    static QUrl artifactUrl(const Build &build, const BuildArtifact &artifact);

    // The Summary as HTML, for the text browser and for tests.
    static QString summaryHtml(const Build &build, bool dark);

private:
    void fillArtifacts();
    void fillTests();
    void fillChanges();
    void loadLogIfShown();
    void openSelectedArtifact();
    void copySelectedArtifactLink();

    SourceRegistry *m_registry;
    BuildPtr m_build;
    bool m_logLoaded = false;

    QTextBrowser *m_summary;
    logview::LogPanel *m_log;
    QTreeWidget *m_artifacts;
    QPushButton *m_openArtifact;
    QPushButton *m_copyArtifact;
    QLabel *m_testCounts;
    QTreeWidget *m_tests;
    QTreeWidget *m_changes;
};

} // namespace cic
