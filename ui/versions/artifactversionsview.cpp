// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/versions/artifactversionsview.h"

#include "core/scm/scmcompareservice.h"
#include "core/scm/scmlinks.h"
#include "ui/versions/diffview.h"
#include "ui/versions/versionmodels.h"

#include <QDesktopServices>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTextBrowser>
#include <QToolButton>
#include <QVBoxLayout>

namespace cic::versions {

namespace {

const QString BuildScheme = QStringLiteral("cic-build");

QTableView *makeTable(QAbstractItemModel *model, QWidget *parent)
{
    auto *table = new QTableView(parent);
    table->setModel(model);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setWordWrap(false);
    table->setAlternatingRowColors(true);
    table->verticalHeader()->hide();
    table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 6);
    table->horizontalHeader()->setHighlightSections(false);
    return table;
}

QString durationText(qint64 ms)
{
    const qint64 seconds = ms / 1000;
    if (seconds < 60)
        return ArtifactVersionsView::tr("%1 s").arg(seconds);
    if (seconds < 3600)
        return ArtifactVersionsView::tr("%1 min %2 s").arg(seconds / 60).arg(seconds % 60);
    return ArtifactVersionsView::tr("%1 h %2 min").arg(seconds / 3600).arg(seconds / 60 % 60);
}

QString row(const QString &label, const QString &valueHtml)
{
    return QStringLiteral("<tr><th align=left valign=top>%1</th><td>%2</td></tr>")
        .arg(label.toHtmlEscaped(), valueHtml);
}

QString link(const QString &url, const QString &text)
{
    if (url.isEmpty())
        return text.toHtmlEscaped();
    return QStringLiteral("<a href=\"%1\">%2</a>").arg(url.toHtmlEscaped(), text.toHtmlEscaped());
}

QString resultWord(BuildResult result)
{
    switch (result) {
    case BuildResult::Success:
        return ArtifactVersionsView::tr("Success");
    case BuildResult::Unstable:
        return ArtifactVersionsView::tr("Unstable");
    case BuildResult::Building:
        return ArtifactVersionsView::tr("Still building");
    case BuildResult::Aborted:
        return ArtifactVersionsView::tr("Aborted");
    case BuildResult::Failure:
        return ArtifactVersionsView::tr("Failure");
    case BuildResult::NotBuilt:
        return ArtifactVersionsView::tr("Not built");
    }
    return {};
}

} // namespace

ArtifactVersionsView::ArtifactVersionsView(ArtifactVersions *versions, ScmCompareService *compare,
                                           QWidget *parent)
    : QWidget(parent)
    , m_versions(versions)
    , m_compare(compare)
    , m_artifactModel(new ArtifactListModel(this))
    , m_versionModel(new VersionTableModel(this))
    , m_commitModel(new CommitListModel(this))
    , m_fileModel(new ChangedFilesModel(this))
{
    auto *splitter = new QSplitter(Qt::Horizontal, this);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter);

    m_artifactTable = makeTable(m_artifactModel, splitter);
    m_artifactTable->horizontalHeader()->setSectionResizeMode(ArtifactListModel::NameColumn,
                                                              QHeaderView::Stretch);
    splitter->addWidget(m_artifactTable);

    auto *right = new QSplitter(Qt::Vertical, splitter);
    splitter->addWidget(right);
    splitter->setStretchFactor(1, 3);

    auto *versionPane = new QWidget(right);
    auto *versionLayout = new QVBoxLayout(versionPane);
    versionLayout->setContentsMargins(0, 0, 0, 0);
    m_versionTable = makeTable(m_versionModel, versionPane);
    m_versionTable->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_versionTable->horizontalHeader()->setSectionResizeMode(VersionTableModel::VersionColumn,
                                                             QHeaderView::Stretch);
    m_versionTable->setToolTip(tr("Select one version for its summary, two to compare them."));
    versionLayout->addWidget(m_versionTable);

    auto *actions = new QHBoxLayout;
    m_compareButton = new QPushButton(tr("Compare"), versionPane);
    m_compareButton->setEnabled(false);
    m_pageButton = new QPushButton(tr("Open Compare Page"), versionPane);
    m_pageButton->setEnabled(false);
    m_status = new QLabel(versionPane);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred); // the buttons win
    actions->addWidget(m_compareButton);
    actions->addWidget(m_pageButton);
    actions->addWidget(m_status, 1);
    versionLayout->addLayout(actions);
    right->addWidget(versionPane);

    m_tabs = new QTabWidget(right);
    right->addWidget(m_tabs);
    right->setStretchFactor(1, 2);

    m_summary = new QTextBrowser(m_tabs);
    m_summary->setOpenLinks(false);
    m_tabs->addTab(m_summary, tr("Summary"));

    m_commitTable = makeTable(m_commitModel, m_tabs);
    m_commitTable->horizontalHeader()->setSectionResizeMode(CommitListModel::SubjectColumn,
                                                            QHeaderView::Stretch);
    m_commitTable->setToolTip(tr("Double-click a commit to open it on its SCM server."));
    m_tabs->addTab(m_commitTable, tr("Commits"));

    auto *files = new QSplitter(Qt::Horizontal, m_tabs);
    auto *fileList = new QWidget(files);
    auto *fileLayout = new QVBoxLayout(fileList);
    fileLayout->setContentsMargins(0, 0, 0, 0);
    m_fileTable = makeTable(m_fileModel, fileList);
    m_fileTable->horizontalHeader()->setSectionResizeMode(ChangedFilesModel::PathColumn,
                                                          QHeaderView::Stretch);
    fileLayout->addWidget(m_fileTable);
    auto *navigation = new QHBoxLayout;
    m_previousFile = new QToolButton(fileList);
    m_previousFile->setArrowType(Qt::UpArrow);
    m_previousFile->setToolTip(tr("Previous file"));
    m_nextFile = new QToolButton(fileList);
    m_nextFile->setArrowType(Qt::DownArrow);
    m_nextFile->setToolTip(tr("Next file"));
    navigation->addWidget(m_previousFile);
    navigation->addWidget(m_nextFile);
    navigation->addStretch();
    fileLayout->addLayout(navigation);
    files->addWidget(fileList);
    m_diff = new DiffView(files);
    files->addWidget(m_diff);
    files->setStretchFactor(1, 3);
    m_tabs->addTab(files, tr("Files"));

    connect(m_versions, &ArtifactVersions::changed, this, &ArtifactVersionsView::reloadArtifacts);
    connect(m_artifactTable->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &ArtifactVersionsView::onArtifactSelected);
    connect(m_versionTable->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &ArtifactVersionsView::onVersionsSelected);
    connect(m_compareButton, &QPushButton::clicked, this, &ArtifactVersionsView::compareSelected);
    connect(m_pageButton, &QPushButton::clicked, this, &ArtifactVersionsView::openComparePage);
    connect(m_summary, &QTextBrowser::anchorClicked, this, &ArtifactVersionsView::onSummaryLink);
    connect(m_commitTable, &QTableView::doubleClicked, this, &ArtifactVersionsView::openCommit);
    connect(m_fileTable->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &ArtifactVersionsView::onFileSelected);
    connect(m_diff, &DiffView::currentFileChanged, this, &ArtifactVersionsView::onDiffFileChanged);
    connect(m_previousFile, &QToolButton::clicked, m_diff, &DiffView::showPreviousFile);
    connect(m_nextFile, &QToolButton::clicked, m_diff, &DiffView::showNextFile);

    reloadArtifacts();
}

ArtifactVersionsView::~ArtifactVersionsView() = default;

void ArtifactVersionsView::reloadArtifacts()
{
    // A refresh keeps what the person selected, where it still exists.
    const QString key = m_artifactKey;
    QStringList selected;
    for (const ArtifactVersion &version : selectedVersions())
        selected.append(version.version);

    m_artifactModel->setArtifacts(m_versions->artifacts());
    if (!key.isEmpty() && selectArtifact(key))
        selectVersions(selected);
    else if (m_artifactModel->rowCount() > 0 && key.isEmpty())
        selectArtifact(m_artifactModel->artifactAt(0)->key);
}

bool ArtifactVersionsView::selectArtifact(const QString &key)
{
    const int row = m_artifactModel->rowOfKey(key);
    if (row < 0)
        return false;
    m_artifactTable->selectRow(row);
    onArtifactSelected(); // a re-selected row emits nothing, yet the versions may be new
    return true;
}

bool ArtifactVersionsView::selectVersions(const QStringList &versions)
{
    QItemSelection selection;
    for (const QString &version : versions) {
        const int row = m_versionModel->rowOfVersion(version);
        if (row < 0)
            return false;
        selection.select(m_versionModel->index(row, 0),
                         m_versionModel->index(row, VersionTableModel::ColumnCount - 1));
    }
    m_versionTable->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
    return !versions.isEmpty();
}

QList<ArtifactVersion> ArtifactVersionsView::selectedVersions() const
{
    QList<int> rows;
    for (const QModelIndex &index : m_versionTable->selectionModel()->selectedRows())
        rows.append(index.row());
    std::sort(rows.begin(), rows.end());

    QList<ArtifactVersion> versions;
    for (int row : std::as_const(rows)) {
        if (const ArtifactVersion *version = m_versionModel->versionAt(row))
            versions.append(*version);
    }
    return versions;
}

void ArtifactVersionsView::onArtifactSelected()
{
    const QModelIndexList rows = m_artifactTable->selectionModel()->selectedRows();
    const Artifact *artifact
        = rows.isEmpty() ? nullptr : m_artifactModel->artifactAt(rows.first().row());
    m_artifactKey = artifact ? artifact->key : QString();
    m_versionModel->setVersions(artifact ? artifact->versions : QList<ArtifactVersion>());
    onVersionsSelected();
}

std::optional<std::pair<ArtifactVersion, ArtifactVersion>> ArtifactVersionsView::comparePair() const
{
    const QList<ArtifactVersion> selected = selectedVersions();
    if (selected.size() == 2)
        return std::pair{selected[1], selected[0]};
    if (selected.size() != 1)
        return std::nullopt;

    // One version: compare it with the one before it.
    const int row = m_versionModel->rowOfVersion(selected.first().version);
    const ArtifactVersion *previous = m_versionModel->versionAt(row + 1);
    if (!previous)
        return std::nullopt;
    return std::pair{*previous, selected.first()};
}

QString ArtifactVersionsView::compareLinkOf(const ArtifactVersion &older,
                                            const ArtifactVersion &newer) const
{
    if (!newer.build || older.commit.isEmpty() || newer.commit.isEmpty())
        return {};
    const std::optional<ScmRepository> repository = m_compare->repositoryOf(*newer.build);
    return repository ? scm::compareLink(*repository, older.commit, newer.commit) : QString();
}

void ArtifactVersionsView::onVersionsSelected()
{
    const QList<ArtifactVersion> selected = selectedVersions();
    const auto pair = comparePair();

    m_compareButton->setEnabled(pair.has_value());
    m_compareButton->setText(selected.size() == 1 ? tr("Compare with Previous") : tr("Compare"));
    m_pageButton->setEnabled(pair && !compareLinkOf(pair->first, pair->second).isEmpty());

    if (selected.size() == 1) {
        const ArtifactVersion &version = selected.first();
        QString commitUrl;
        if (version.build && !version.commit.isEmpty()) {
            if (const auto repository = m_compare->repositoryOf(*version.build))
                commitUrl = scm::commitLink(*repository, version.commit);
        }
        m_summary->setHtml(summaryHtml(version, commitUrl));
        if (!m_comparison)
            m_tabs->setCurrentIndex(SummaryTab);
    } else if (selected.isEmpty()) {
        m_summary->setHtml(tr("<p>Select a version for its summary, or two to compare them.</p>"));
    }
}

void ArtifactVersionsView::compareSelected()
{
    const auto pair = comparePair();
    if (!pair)
        return;
    const auto &[older, newer] = *pair;
    const quint64 generation = ++m_generation;

    m_compareButton->setEnabled(false);
    m_status->setText(tr("Comparing %1 with %2…").arg(older.version, newer.version));
    m_compare->compare(older, newer)
        .then(this, [this, generation](const Result<ScmComparison> &result) {
            if (generation != m_generation)
                return;
            m_compareButton->setEnabled(comparePair().has_value());
            if (result.ok())
                showComparison(result.value());
            else
                showFailure(result.error());
        });
}

void ArtifactVersionsView::showComparison(const ScmComparison &comparison)
{
    m_comparison = comparison;
    m_commitModel->setCommits(comparison.commits);
    m_fileModel->setFiles(comparison.files);
    m_diff->setFiles(comparison.files);

    QString text = tr("%1 commits and %2 changed files between %3 and %4, from the %5.")
                       .arg(comparison.commits.size())
                       .arg(comparison.files.size())
                       .arg(comparison.older.left(7), comparison.newer.left(7), comparison.origin);
    if (!comparison.notes.isEmpty())
        text += QLatin1Char(' ') + comparison.notes.join(QLatin1Char(' '));
    m_status->setText(text);
    m_status->setStyleSheet(comparison.truncated ? QStringLiteral("color: #bf8700;") : QString());
    m_pageButton->setEnabled(!comparison.compareUrl.isEmpty());
    m_tabs->setCurrentIndex(CommitsTab);
    Q_EMIT comparisonFinished(true);
}

void ArtifactVersionsView::showFailure(const QString &message)
{
    m_comparison.reset();
    m_commitModel->setCommits({});
    m_fileModel->setFiles({});
    m_diff->setFiles({});
    m_status->setText(message);
    m_status->setStyleSheet(QStringLiteral("color: #cf222e;"));
    Q_EMIT comparisonFinished(false);
}

void ArtifactVersionsView::openComparePage()
{
    QString url = m_comparison ? m_comparison->compareUrl : QString();
    if (const auto pair = comparePair(); pair && url.isEmpty())
        url = compareLinkOf(pair->first, pair->second);
    if (!url.isEmpty())
        QDesktopServices::openUrl(QUrl(url));
}

void ArtifactVersionsView::onSummaryLink(const QUrl &url)
{
    if (url.scheme() == BuildScheme)
        Q_EMIT buildRequested(url.path());
    else
        QDesktopServices::openUrl(url);
}

void ArtifactVersionsView::openCommit(const QModelIndex &index)
{
    const QString url = index.data(CommitListModel::UrlRole).toString();
    if (!url.isEmpty())
        QDesktopServices::openUrl(QUrl(url));
}

void ArtifactVersionsView::onFileSelected()
{
    if (m_syncingFiles)
        return;
    const QModelIndexList rows = m_fileTable->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return;
    m_syncingFiles = true;
    m_diff->showFile(rows.first().row());
    m_syncingFiles = false;
}

void ArtifactVersionsView::onDiffFileChanged(int file)
{
    if (m_syncingFiles || file < 0)
        return;
    m_syncingFiles = true;
    m_fileTable->selectRow(file);
    m_syncingFiles = false;
}

QString ArtifactVersionsView::summaryHtml(const ArtifactVersion &version, const QString &commitUrl)
{
    QString html = QStringLiteral("<h3>%1 %2</h3><table cellspacing=4>")
                       .arg(version.name.toHtmlEscaped(), version.version.toHtmlEscaped());
    html += row(tr("Type"), version.type.toHtmlEscaped());

    const BuildPtr &build = version.build;
    if (build) {
        const QString title = build->fullDisplayName.isEmpty()
            ? QStringLiteral("%1 #%2").arg(build->name).arg(build->number)
            : build->fullDisplayName;
        html += row(tr("Build"), link(build->url, title));
        html += row(tr("Result"), resultWord(build->effectiveResult()).toHtmlEscaped());
        if (build->durationMs)
            html += row(tr("Duration"), durationText(*build->durationMs).toHtmlEscaped());
        if (const qint64 started = build->startedMs(); started > 0)
            html += row(tr("Started"),
                        QLocale()
                            .toString(QDateTime::fromMSecsSinceEpoch(started).toLocalTime(),
                                      QLocale::LongFormat)
                            .toHtmlEscaped());
        html += row(tr("Log"),
                    QStringLiteral("<a href=\"%1:%2\">%3</a>")
                        .arg(BuildScheme, build->id.toHtmlEscaped(), tr("Open the build log")));
    }
    if (version.createdAt.isValid())
        html += row(tr("Created"),
                    QLocale()
                        .toString(version.createdAt.toLocalTime(), QLocale::LongFormat)
                        .toHtmlEscaped());
    if (!version.branch.isEmpty())
        html += row(tr("Branch"), version.branch.toHtmlEscaped());
    if (!version.commit.isEmpty()) {
        QString commit = link(commitUrl, version.commit);
        if (build && !build->scm.isEmpty()) {
            const GitRevision &revision = build->scm.first();
            const QString subject = revision.message.section(QLatin1Char('\n'), 0, 0);
            if (!subject.isEmpty())
                commit += QStringLiteral("<br>%1").arg(subject.toHtmlEscaped());
            if (!revision.committer.isEmpty())
                commit += QStringLiteral("<br><i>%1</i>").arg(revision.committer.toHtmlEscaped());
        }
        html += row(tr("Commit"), commit);
    }
    if (build) {
        const QString pullRequest = build->properties.value(QStringLiteral("pullRequestNumber"));
        if (!pullRequest.isEmpty())
            html += row(tr("Pull request"),
                        link(build->properties.value(QStringLiteral("pullRequestUrl")),
                             QLatin1Char('#') + pullRequest));
    }
    if (!version.url.isEmpty())
        html += row(tr("Artifact"),
                    link(version.url, version.fileName.isEmpty() ? version.url : version.fileName));
    html += QStringLiteral("</table>");

    const QMap<QString, QString> metadata = version.metadata();
    if (!metadata.isEmpty()) {
        html += QStringLiteral("<h4>%1</h4><table cellspacing=4>").arg(tr("Metadata"));
        for (auto it = metadata.cbegin(); it != metadata.cend(); ++it)
            html += row(it.key(), it.value().toHtmlEscaped());
        html += QStringLiteral("</table>");
    }
    return html;
}

} // namespace cic::versions
