// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/scm/artifactversions.h"
#include "core/scm/scmcomparison.h"

#include <QAbstractTableModel>

// The tables of the Artifact versions view: artifacts, the versions of one, and the commits
// and files of a comparison between two versions.
namespace cic::versions {

// Every artifact the builds produced.
class ArtifactListModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { NameColumn, TypeColumn, VersionsColumn, NewestColumn, ColumnCount };
    static constexpr int KeyRole = Qt::UserRole + 1;

    using QAbstractTableModel::QAbstractTableModel;

    void setArtifacts(const QList<Artifact> &artifacts);
    const Artifact *artifactAt(int row) const;
    int rowOfKey(const QString &key) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QList<Artifact> m_artifacts;
};

// The versions of one artifact, newest first.
class VersionTableModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        VersionColumn,
        BuildColumn,
        ResultColumn,
        BranchColumn,
        CommitColumn,
        CreatedColumn,
        ColumnCount
    };

    using QAbstractTableModel::QAbstractTableModel;

    void setVersions(const QList<ArtifactVersion> &versions);
    const ArtifactVersion *versionAt(int row) const;
    int rowOfVersion(const QString &version) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QList<ArtifactVersion> m_versions;
};

// The commits a comparison found, newest first.
class CommitListModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { ShaColumn, SubjectColumn, AuthorColumn, DateColumn, ColumnCount };
    static constexpr int UrlRole = Qt::UserRole + 1;

    using QAbstractTableModel::QAbstractTableModel;

    void setCommits(const QList<ScmCommit> &commits);
    const ScmCommit *commitAt(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QList<ScmCommit> m_commits;
};

// The files a comparison changed.
class ChangedFilesModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { StatusColumn, PathColumn, AddedColumn, RemovedColumn, ColumnCount };

    using QAbstractTableModel::QAbstractTableModel;

    void setFiles(const QList<ScmChangedFile> &files);
    const ScmChangedFile *fileAt(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QList<ScmChangedFile> m_files;
};

} // namespace cic::versions
