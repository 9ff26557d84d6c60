// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/builddetails.h"

#include "core/service/sourceregistry.h"
#include "ui/icons.h"
#include "ui/logview/logpanel.h"
#include "ui/models/buildtablemodel.h"
#include "ui/text.h"
#include "ui/theme.h"

#include <QApplication>
#include <QClipboard>
#include <QDesktopServices>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTextBrowser>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace cic {

namespace {

QString escaped(const QString &text)
{
    return text.toHtmlEscaped();
}

QString link(const QString &url, const QString &text)
{
    if (url.isEmpty())
        return escaped(text);
    return QStringLiteral("<a href=\"%1\">%2</a>")
        .arg(escaped(url), escaped(text.isEmpty() ? url : text));
}

bool looksLikeUrl(const QString &text)
{
    return text.startsWith(QLatin1String("https://")) || text.startsWith(QLatin1String("http://"));
}

// The pull or merge request a build was for, where the provider put one in its properties.
QString pullRequestUrl(const Build &build)
{
    for (auto it = build.properties.cbegin(); it != build.properties.cend(); ++it) {
        const QString key = it.key().toLower();
        const bool named = key.contains(QLatin1String("pull"))
            || key.contains(QLatin1String("merge_request"))
            || key.contains(QLatin1String("mergerequest")) || key == QLatin1String("pr_url")
            || key == QLatin1String("prurl") || key == QLatin1String("change_url");
        if (named && looksLikeUrl(it.value()))
            return it.value();
    }
    return {};
}

QString row(const QString &label, const QString &valueHtml)
{
    return QStringLiteral(
               "<tr><th align=left valign=top style=\"padding-right:14px\">%1</th><td>%2</td></tr>")
        .arg(escaped(label), valueHtml);
}

QString absoluteTime(qint64 ms)
{
    if (ms <= 0)
        return {};
    return QLocale().toString(QDateTime::fromMSecsSinceEpoch(ms), QLocale::LongFormat);
}

QTreeWidget *makeTree(const QStringList &headers, QWidget *parent)
{
    auto *tree = new QTreeWidget(parent);
    tree->setHeaderLabels(headers);
    tree->setRootIsDecorated(false);
    tree->setAlternatingRowColors(true);
    tree->setUniformRowHeights(true);
    tree->setSelectionMode(QAbstractItemView::ExtendedSelection);
    tree->header()->setStretchLastSection(true);
    return tree;
}

} // namespace

BuildDetails::BuildDetails(SourceRegistry *registry, QWidget *parent)
    : QTabWidget(parent)
    , m_registry(registry)
{
    setDocumentMode(true);

    m_summary = new QTextBrowser(this);
    m_summary->setOpenLinks(false);
    m_summary->setFrameShape(QFrame::NoFrame);
    connect(m_summary, &QTextBrowser::anchorClicked, this,
            [](const QUrl &url) { QDesktopServices::openUrl(url); });
    addTab(m_summary, tr("Summary"));

    m_log = new logview::LogPanel(this);
    m_log->setRegistry(registry);
    addTab(m_log, tr("Log"));

    auto *artifactsPage = new QWidget(this);
    m_artifacts = makeTree({tr("Name"), tr("Version"), tr("Type"), tr("Path")}, artifactsPage);
    m_openArtifact = new QPushButton(tr("Open"), artifactsPage);
    m_copyArtifact = new QPushButton(tr("Copy Link"), artifactsPage);
    auto *artifactButtons = new QHBoxLayout;
    artifactButtons->addStretch();
    artifactButtons->addWidget(m_openArtifact);
    artifactButtons->addWidget(m_copyArtifact);
    auto *artifactsLayout = new QVBoxLayout(artifactsPage);
    artifactsLayout->setContentsMargins(0, 0, 0, 4);
    artifactsLayout->addWidget(m_artifacts, 1);
    artifactsLayout->addLayout(artifactButtons);
    connect(m_openArtifact, &QPushButton::clicked, this, &BuildDetails::openSelectedArtifact);
    connect(m_copyArtifact, &QPushButton::clicked, this, &BuildDetails::copySelectedArtifactLink);
    connect(m_artifacts, &QTreeWidget::itemActivated, this, &BuildDetails::openSelectedArtifact);
    connect(m_artifacts, &QTreeWidget::itemSelectionChanged, this, [this] {
        const bool any = !m_artifacts->selectedItems().isEmpty();
        m_openArtifact->setEnabled(any);
        m_copyArtifact->setEnabled(any);
    });
    addTab(artifactsPage, tr("Artifacts"));

    auto *testsPage = new QWidget(this);
    m_testCounts = new QLabel(testsPage);
    m_testCounts->setContentsMargins(6, 6, 6, 6);
    m_testCounts->setWordWrap(true);
    m_tests = makeTree({tr("Suite"), tr("Test"), tr("Message")}, testsPage);
    auto *testsLayout = new QVBoxLayout(testsPage);
    testsLayout->setContentsMargins(0, 0, 0, 0);
    testsLayout->addWidget(m_testCounts);
    testsLayout->addWidget(m_tests, 1);
    testsLayout->addStretch(); // keeps the counts at the top while the list is hidden
    addTab(testsPage, tr("Tests"));

    m_changes
        = makeTree({tr("Commit"), tr("Branch"), tr("Author"), tr("Date"), tr("Message")}, this);
    connect(m_changes, &QTreeWidget::itemActivated, this, [](QTreeWidgetItem *item) {
        const QString url = item->data(0, Qt::UserRole).toString();
        if (!url.isEmpty())
            QDesktopServices::openUrl(QUrl(url));
    });
    addTab(m_changes, tr("Changes"));

    connect(this, &QTabWidget::currentChanged, this, &BuildDetails::loadLogIfShown);
    setBuild(nullptr);
}

void BuildDetails::setBuild(const BuildPtr &build)
{
    const bool sameBuild = build && m_build && build->id == m_build->id;
    const bool wasRunning = m_build && m_build->building;
    m_build = build;

    m_summary->setHtml(build
                           ? summaryHtml(*build, theme::isDark())
                           : tr("<p style=\"color:gray\">Select a build to see its details.</p>"));
    fillArtifacts();
    fillTests();
    fillChanges();

    setTabText(ArtifactsTab,
               build && !build->artifacts.isEmpty()
                   ? tr("Artifacts (%1)").arg(build->artifacts.size())
                   : tr("Artifacts"));
    setTabText(TestsTab,
               build && !build->failedTests.isEmpty()
                   ? tr("Tests (%1 failed)").arg(build->failedTests.size())
                   : tr("Tests"));
    setTabText(ChangesTab,
               build && !build->scm.isEmpty() ? tr("Changes (%1)").arg(build->scm.size())
                                              : tr("Changes"));

    // The same build updated by a refresh keeps its log (and a follow in progress), unless it
    // just finished and the log is not being followed.
    if (sameBuild && (m_log->isFollowing() || !wasRunning))
        return;
    m_logLoaded = false;
    m_log->clear();
    loadLogIfShown();
}

void BuildDetails::loadLogIfShown()
{
    if (m_logLoaded || !m_build || currentIndex() != LogTab)
        return;
    m_logLoaded = true;
    m_log->showBuild(m_build);
}

QString BuildDetails::summaryHtml(const Build &build, bool dark)
{
    const BuildResult result = build.effectiveResult();
    const QString colour = icons::resultColor(result, dark).name();
    QString html = QStringLiteral(
                       "<h2 style=\"margin-bottom:2px\">%1 <span style=\"color:%2\">%3</span></h2>")
                       .arg(escaped(build.fullDisplayName.isEmpty()
                                        ? QStringLiteral("%1 #%2").arg(build.name).arg(build.number)
                                        : build.fullDisplayName),
                            colour, escaped(icons::resultLabel(result)));

    QString rows;
    rows += row(tr("Build"), link(build.url, QStringLiteral("#%1").arg(build.number)));
    rows += row(tr("Id"), escaped(build.id));
    rows += row(tr("Source"), escaped(build.source));
    rows += row(tr("Project"), escaped(build.project));
    if (!build.name.isEmpty())
        rows += row(tr("Job"), escaped(build.name));
    rows += row(tr("Result"),
                QStringLiteral("<span style=\"color:%1\"><b>%2</b></span>%3")
                    .arg(colour, escaped(build.result ? resultName(*build.result) : tr("none yet")),
                         build.building ? escaped(tr(" (running)")) : QString()));
    if (const qint64 started = build.startedMs())
        rows += row(tr("Started"), escaped(absoluteTime(started)));
    if (build.durationMs)
        rows += row(tr("Duration"), escaped(BuildTableModel::formatDuration(*build.durationMs)));
    const QString pullRequest = pullRequestUrl(build);
    if (!pullRequest.isEmpty())
        rows += row(tr("Pull request"), link(pullRequest, pullRequest));
    for (const GitRevision &revision : build.scm) {
        QString value
            = link(revision.compareUrl, revision.sha1.isEmpty() ? tr("(unknown)") : revision.sha1);
        if (!revision.branch.isEmpty())
            value += QStringLiteral(" on <b>%1</b>").arg(escaped(revision.branch));
        if (!revision.committer.isEmpty())
            value += tr(" by %1").arg(escaped(revision.committer));
        if (!revision.message.isEmpty())
            value += QStringLiteral("<br><i>%1</i>")
                         .arg(escaped(revision.message)
                                  .replace(QLatin1Char('\n'), QStringLiteral("<br>")));
        if (!revision.remoteUrl.isEmpty())
            value += QStringLiteral("<br>%1").arg(link(revision.remoteUrl, revision.remoteUrl));
        rows += row(tr("Commit"), value);
    }
    for (const TestSummary &tests : build.testResults)
        rows += row(tr("Tests"),
                    escaped(tr("%1 run, %2 failed, %3 skipped")
                                .arg(tests.totalCount)
                                .arg(tests.failCount)
                                .arg(tests.skipCount)));
    if (!build.artifacts.isEmpty())
        rows += row(
            tr("Artifacts"),
            escaped(text::counted(build.artifacts.size(), tr("%1 artifact"), tr("%1 artifacts"))));
    for (auto it = build.properties.cbegin(); it != build.properties.cend(); ++it) {
        if (it.value().isEmpty())
            continue; // a property the provider left blank says nothing
        rows += row(it.key(),
                    looksLikeUrl(it.value()) ? link(it.value(), it.value()) : escaped(it.value()));
    }

    html += QStringLiteral("<table cellspacing=2>%1</table>").arg(rows);
    return html;
}

QUrl BuildDetails::artifactUrl(const Build &build, const BuildArtifact &artifact)
{
    if (!artifact.url.isEmpty())
        return QUrl(artifact.url);
    if (build.url.isEmpty() || artifact.relativePath.isEmpty())
        return {};
    QString base = build.url;
    if (!base.endsWith(QLatin1Char('/')))
        base += QLatin1Char('/');
    return QUrl(base + QStringLiteral("artifact/") + artifact.relativePath);
}

void BuildDetails::fillArtifacts()
{
    m_artifacts->clear();
    m_openArtifact->setEnabled(false);
    m_copyArtifact->setEnabled(false);
    if (!m_build)
        return;
    for (const BuildArtifact &artifact : m_build->artifacts) {
        auto *item = new QTreeWidgetItem(m_artifacts);
        item->setText(0, artifact.name.isEmpty() ? artifact.fileName : artifact.name);
        item->setText(1, artifact.version);
        item->setText(2, artifact.type);
        item->setText(
            3, artifact.relativePath.isEmpty() ? artifact.displayPath : artifact.relativePath);
        const QUrl url = artifactUrl(*m_build, artifact);
        item->setData(0, Qt::UserRole, url);
        item->setToolTip(0, url.toString());
    }
    for (int column = 0; column < 3; ++column)
        m_artifacts->resizeColumnToContents(column);
}

void BuildDetails::fillTests()
{
    m_tests->clear();
    if (!m_build) {
        m_testCounts->clear();
        return;
    }

    int total = 0;
    int failed = 0;
    int skipped = 0;
    for (const TestSummary &tests : m_build->testResults) {
        total += tests.totalCount;
        failed += tests.failCount;
        skipped += tests.skipCount;
    }
    if (m_build->testResults.isEmpty())
        m_testCounts->setText(tr("This build reports no test results."));
    else
        m_testCounts->setText(
            tr("<b>%1</b> tests: <b>%2</b> passed, <b style=\"color:%5\">%3</b> failed, %4 skipped")
                .arg(total)
                .arg(total - failed - skipped)
                .arg(failed)
                .arg(skipped)
                .arg(icons::resultColor(BuildResult::Failure, theme::isDark()).name()));

    for (const FailedTest &test : m_build->failedTests) {
        auto *item = new QTreeWidgetItem(m_tests);
        item->setIcon(0, icons::result(BuildResult::Failure));
        item->setText(0, test.suite);
        item->setText(1, test.name);
        item->setText(2, test.message.section(QLatin1Char('\n'), 0, 0));
        item->setToolTip(2, test.message);
    }
    m_tests->setVisible(!m_build->failedTests.isEmpty());
    if (failed > 0 && m_build->failedTests.isEmpty())
        m_testCounts->setText(m_testCounts->text() + QStringLiteral("<br>")
                              + tr("The provider does not list which tests failed."));
    for (int column = 0; column < 2; ++column)
        m_tests->resizeColumnToContents(column);
}

void BuildDetails::fillChanges()
{
    m_changes->clear();
    if (!m_build)
        return;
    for (const GitRevision &revision : m_build->scm) {
        auto *item = new QTreeWidgetItem(m_changes);
        item->setText(0, revision.sha1.left(10));
        item->setToolTip(0, revision.sha1);
        item->setText(1, revision.branch);
        item->setText(2, revision.committer);
        item->setText(3,
                      revision.timestamp.isValid() ? QLocale().toString(
                          revision.timestamp.toLocalTime(), QLocale::ShortFormat)
                                                   : QString());
        item->setText(4, revision.message.section(QLatin1Char('\n'), 0, 0));
        item->setToolTip(4, revision.message);
        item->setData(0, Qt::UserRole, revision.compareUrl);
    }
    for (int column = 0; column < 4; ++column)
        m_changes->resizeColumnToContents(column);
}

void BuildDetails::openSelectedArtifact()
{
    for (QTreeWidgetItem *item : m_artifacts->selectedItems()) {
        const QUrl url = item->data(0, Qt::UserRole).toUrl();
        if (url.isValid())
            QDesktopServices::openUrl(url);
    }
}

void BuildDetails::copySelectedArtifactLink()
{
    QStringList links;
    for (QTreeWidgetItem *item : m_artifacts->selectedItems()) {
        const QUrl url = item->data(0, Qt::UserRole).toUrl();
        if (url.isValid())
            links.append(url.toString());
    }
    if (!links.isEmpty())
        QApplication::clipboard()->setText(links.join(QLatin1Char('\n')));
}

} // namespace cic
