// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/versions/versionmodels.h"

#include <QColor>
#include <QFont>
#include <QFontDatabase>
#include <QLocale>

namespace cic::versions {

namespace {

QString shortDate(const QDateTime &time)
{
    if (!time.isValid())
        return {};
    return QLocale().toString(time.toLocalTime(), QLocale::ShortFormat);
}

QVariant monospace()
{
    return QFontDatabase::systemFont(QFontDatabase::FixedFont);
}

QString resultText(const Build &build)
{
    switch (build.effectiveResult()) {
    case BuildResult::Success:
        return ArtifactListModel::tr("Success");
    case BuildResult::Unstable:
        return ArtifactListModel::tr("Unstable");
    case BuildResult::Building:
        return ArtifactListModel::tr("Building");
    case BuildResult::Aborted:
        return ArtifactListModel::tr("Aborted");
    case BuildResult::Failure:
        return ArtifactListModel::tr("Failure");
    case BuildResult::NotBuilt:
        return ArtifactListModel::tr("Not built");
    }
    return {};
}

} // namespace

// --- ArtifactListModel ---

void ArtifactListModel::setArtifacts(const QList<Artifact> &artifacts)
{
    beginResetModel();
    m_artifacts = artifacts;
    endResetModel();
}

const Artifact *ArtifactListModel::artifactAt(int row) const
{
    return row >= 0 && row < m_artifacts.size() ? &m_artifacts[row] : nullptr;
}

int ArtifactListModel::rowOfKey(const QString &key) const
{
    for (int row = 0; row < m_artifacts.size(); ++row) {
        if (m_artifacts[row].key == key)
            return row;
    }
    return -1;
}

int ArtifactListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_artifacts.size());
}

int ArtifactListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ArtifactListModel::data(const QModelIndex &index, int role) const
{
    const Artifact *artifact = artifactAt(index.row());
    if (!artifact || !checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};

    if (role == KeyRole)
        return artifact->key;
    if (role == Qt::ToolTipRole)
        return artifact->key;
    if (role != Qt::DisplayRole)
        return {};

    switch (index.column()) {
    case NameColumn:
        return artifact->name;
    case TypeColumn:
        return artifact->type;
    case VersionsColumn:
        return int(artifact->versions.size());
    case NewestColumn:
        return artifact->versions.isEmpty() ? QString() : artifact->versions.first().version;
    }
    return {};
}

QVariant ArtifactListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Artifact");
    case TypeColumn:
        return tr("Type");
    case VersionsColumn:
        return tr("Versions");
    case NewestColumn:
        return tr("Newest");
    }
    return {};
}

// --- VersionTableModel ---

void VersionTableModel::setVersions(const QList<ArtifactVersion> &versions)
{
    beginResetModel();
    m_versions = versions;
    endResetModel();
}

const ArtifactVersion *VersionTableModel::versionAt(int row) const
{
    return row >= 0 && row < m_versions.size() ? &m_versions[row] : nullptr;
}

int VersionTableModel::rowOfVersion(const QString &version) const
{
    for (int row = 0; row < m_versions.size(); ++row) {
        if (m_versions[row].version == version)
            return row;
    }
    return -1;
}

int VersionTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_versions.size());
}

int VersionTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant VersionTableModel::data(const QModelIndex &index, int role) const
{
    const ArtifactVersion *version = versionAt(index.row());
    if (!version || !checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};

    if (role == Qt::FontRole && index.column() == CommitColumn)
        return monospace();
    if (role == Qt::ToolTipRole && index.column() == CommitColumn)
        return version->commit;
    if (role == Qt::ForegroundRole && index.column() == ResultColumn && version->build) {
        const BuildResult result = version->build->effectiveResult();
        if (result == BuildResult::Failure)
            return QColor(0xcf, 0x22, 0x2e);
        if (result == BuildResult::Unstable)
            return QColor(0xbf, 0x87, 0x00);
        return {};
    }
    if (role != Qt::DisplayRole)
        return {};

    switch (index.column()) {
    case VersionColumn:
        return version->version;
    case BuildColumn:
        return version->buildNumber;
    case ResultColumn:
        return version->build ? resultText(*version->build) : QString();
    case BranchColumn:
        return version->branch;
    case CommitColumn:
        return version->shortCommit();
    case CreatedColumn:
        return shortDate(version->createdAt);
    }
    return {};
}

QVariant VersionTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case VersionColumn:
        return tr("Version");
    case BuildColumn:
        return tr("Build");
    case ResultColumn:
        return tr("Result");
    case BranchColumn:
        return tr("Branch");
    case CommitColumn:
        return tr("Commit");
    case CreatedColumn:
        return tr("Created");
    }
    return {};
}

// --- CommitListModel ---

void CommitListModel::setCommits(const QList<ScmCommit> &commits)
{
    beginResetModel();
    m_commits = commits;
    endResetModel();
}

const ScmCommit *CommitListModel::commitAt(int row) const
{
    return row >= 0 && row < m_commits.size() ? &m_commits[row] : nullptr;
}

int CommitListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_commits.size());
}

int CommitListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant CommitListModel::data(const QModelIndex &index, int role) const
{
    const ScmCommit *commit = commitAt(index.row());
    if (!commit || !checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};

    switch (role) {
    case UrlRole:
        return commit->url;
    case Qt::ToolTipRole:
        return commit->message.trimmed();
    case Qt::FontRole:
        return index.column() == ShaColumn ? monospace() : QVariant();
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }

    switch (index.column()) {
    case ShaColumn:
        return commit->shortSha();
    case SubjectColumn:
        return commit->subject();
    case AuthorColumn:
        return commit->author;
    case DateColumn:
        return shortDate(commit->date);
    }
    return {};
}

QVariant CommitListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case ShaColumn:
        return tr("Commit");
    case SubjectColumn:
        return tr("Subject");
    case AuthorColumn:
        return tr("Author");
    case DateColumn:
        return tr("Date");
    }
    return {};
}

// --- ChangedFilesModel ---

void ChangedFilesModel::setFiles(const QList<ScmChangedFile> &files)
{
    beginResetModel();
    m_files = files;
    endResetModel();
}

const ScmChangedFile *ChangedFilesModel::fileAt(int row) const
{
    return row >= 0 && row < m_files.size() ? &m_files[row] : nullptr;
}

int ChangedFilesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_files.size());
}

int ChangedFilesModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ChangedFilesModel::data(const QModelIndex &index, int role) const
{
    const ScmChangedFile *file = fileAt(index.row());
    if (!file || !checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};

    if (role == Qt::ToolTipRole) {
        QString tip = scmFileStatusName(file->status) + QLatin1String(": ") + file->path;
        if (!file->oldPath.isEmpty())
            tip += tr(" (from %1)").arg(file->oldPath);
        if (!file->patchNote.isEmpty())
            tip += QLatin1Char('\n') + file->patchNote;
        return tip;
    }
    if (role == Qt::TextAlignmentRole && index.column() >= AddedColumn)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ForegroundRole && index.column() == AddedColumn)
        return QColor(0x1a, 0x7f, 0x37);
    if (role == Qt::ForegroundRole && index.column() == RemovedColumn)
        return QColor(0xcf, 0x22, 0x2e);
    if (role != Qt::DisplayRole)
        return {};

    switch (index.column()) {
    case StatusColumn:
        return scmFileStatusLetter(file->status);
    case PathColumn:
        return file->oldPath.isEmpty() ? file->path
                                       : file->oldPath + QStringLiteral(" → ") + file->path;
    case AddedColumn:
        return file->binary ? QVariant(tr("bin"))
                            : QVariant(QLatin1Char('+') + QString::number(file->additions));
    case RemovedColumn:
        return file->binary ? QVariant()
                            : QVariant(QLatin1Char('-') + QString::number(file->deletions));
    }
    return {};
}

QVariant ChangedFilesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case StatusColumn:
        return QString();
    case PathColumn:
        return tr("File");
    case AddedColumn:
        return tr("Added");
    case RemovedColumn:
        return tr("Removed");
    }
    return {};
}

} // namespace cic::versions
