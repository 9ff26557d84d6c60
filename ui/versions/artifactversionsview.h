// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/scm/artifactversions.h"
#include "core/scm/scmcomparison.h"

#include <QWidget>

#include <optional>

class QLabel;
class QPushButton;
class QTabWidget;
class QTableView;
class QTextBrowser;
class QToolButton;

namespace cic {

class ScmCompareService;

namespace versions {

class ArtifactListModel;
class ChangedFilesModel;
class CommitListModel;
class DiffView;
class VersionTableModel;

// What changed between the version in production and the one about to ship: the artifacts
// the builds produced, the versions of the one selected, and for two versions the commits
// between them, the changed files and their diff. One version alone shows its pre-deployment
// summary: its build, result, duration, commit, and a link to its log.
class ArtifactVersionsView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ArtifactVersionsView)

public:
    enum Tab { SummaryTab, CommitsTab, FilesTab };

    ArtifactVersionsView(ArtifactVersions *versions, ScmCompareService *compare,
                         QWidget *parent = nullptr);
    ~ArtifactVersionsView() override;

    bool selectArtifact(const QString &key);
    // Selects one version, or two (the older and the newer, in any order).
    bool selectVersions(const QStringList &versions);
    QList<ArtifactVersion> selectedVersions() const; // newest first

    // Compares the two selected versions, or the one selected with the version before it.
    void compareSelected();
    void openComparePage();

    const std::optional<ScmComparison> &comparison() const { return m_comparison; }

    QTableView *artifactTable() const { return m_artifactTable; }
    QTableView *versionTable() const { return m_versionTable; }
    QTableView *commitTable() const { return m_commitTable; }
    QTableView *fileTable() const { return m_fileTable; }
    DiffView *diffView() const { return m_diff; }
    QTextBrowser *summary() const { return m_summary; }
    QTabWidget *tabs() const { return m_tabs; }
    QPushButton *compareButton() const { return m_compareButton; }
    QPushButton *comparePageButton() const { return m_pageButton; }
    QLabel *statusLabel() const { return m_status; }

    // The pre-deployment summary of a version, as HTML. Links: the build on its CI server,
    // the commit on its SCM server, and cic-build:<id> for the log in this window.
    static QString summaryHtml(const ArtifactVersion &version, const QString &commitUrl);

Q_SIGNALS:
    // The person asked for a build's log; the main window shows it.
    void buildRequested(const QString &buildId);
    void comparisonFinished(bool ok);

private:
    void reloadArtifacts();
    void onArtifactSelected();
    void onVersionsSelected();
    void showComparison(const ScmComparison &comparison);
    void showFailure(const QString &message);
    void onSummaryLink(const QUrl &url);
    void onFileSelected();
    void onDiffFileChanged(int file);
    void openCommit(const QModelIndex &index);
    std::optional<std::pair<ArtifactVersion, ArtifactVersion>> comparePair() const;
    QString compareLinkOf(const ArtifactVersion &older, const ArtifactVersion &newer) const;

    ArtifactVersions *m_versions;
    ScmCompareService *m_compare;

    ArtifactListModel *m_artifactModel;
    VersionTableModel *m_versionModel;
    CommitListModel *m_commitModel;
    ChangedFilesModel *m_fileModel;

    QTableView *m_artifactTable;
    QTableView *m_versionTable;
    QPushButton *m_compareButton;
    QPushButton *m_pageButton;
    QLabel *m_status;
    QTabWidget *m_tabs;
    QTextBrowser *m_summary;
    QTableView *m_commitTable;
    QTableView *m_fileTable;
    QToolButton *m_previousFile;
    QToolButton *m_nextFile;
    DiffView *m_diff;

    QString m_artifactKey;
    std::optional<ScmComparison> m_comparison;
    quint64 m_generation = 0; // answers to an older request are dropped
    bool m_syncingFiles = false;
};

} // namespace versions
} // namespace cic
