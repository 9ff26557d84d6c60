// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/scm/localcompareclient.h"

#include "core/scm/scmlinks.h"

#include <QDir>
#include <QLoggingCategory>
#include <QStringDecoder>
#include <QtConcurrent/QtConcurrentRun>

#include <git2.h>
#include <memory>

namespace cic {

namespace {
Q_LOGGING_CATEGORY(lcLocal, "cicompanion.core.scm.local")

// Commits counted past the bound, to say how many there are in all.
constexpr int CountLimit = 100'000;

void initialiseLibgit2()
{
    // libgit2 keeps its global state for the life of the process.
    static const int initialised = git_libgit2_init();
    Q_UNUSED(initialised);
}

template<typename T, void (*Free)(T *)> struct Deleter
{
    void operator()(T *object) const { Free(object); }
};

template<typename T, void (*Free)(T *)> using Owned = std::unique_ptr<T, Deleter<T, Free>>;

using Repository = Owned<git_repository, git_repository_free>;
using Object = Owned<git_object, git_object_free>;
using Commit = Owned<git_commit, git_commit_free>;
using Tree = Owned<git_tree, git_tree_free>;
using Walk = Owned<git_revwalk, git_revwalk_free>;
using Diff = Owned<git_diff, git_diff_free>;
using Patch = Owned<git_patch, git_patch_free>;
using Remote = Owned<git_remote, git_remote_free>;

QString lastError()
{
    const git_error *error = git_error_last();
    return error && error->message ? QString::fromUtf8(error->message).trimmed()
                                   : QStringLiteral("unknown libgit2 error");
}

QString oidText(const git_oid *oid)
{
    char text[GIT_OID_HEXSZ + 1] = {};
    git_oid_tostr(text, sizeof text, oid);
    return QString::fromLatin1(text);
}

// A commit message in the encoding its header names (UTF-8 when none); bytes that do not
// decode become U+FFFD.
QString messageOf(const git_commit *commit)
{
    const char *message = git_commit_message(commit);
    const QByteArray bytes(message ? message : "");
    const char *encoding = git_commit_message_encoding(commit);
    if (encoding) {
        QStringDecoder decoder(encoding);
        if (decoder.isValid())
            return decoder.decode(bytes);
    }
    return QString::fromUtf8(bytes);
}

QDateTime dateOf(const git_time &when)
{
    return QDateTime::fromSecsSinceEpoch(when.time, Qt::OffsetFromUTC, when.offset * 60);
}

class LocalComparison
{
public:
    LocalComparison(const QString &clonePath, const ScmRepository &repository,
                    const ScmCompareOptions &options)
        : m_clonePath(clonePath)
        , m_repositoryLinks(repository)
        , m_options(options)
    {
    }

    Result<ScmComparison> run(const QString &older, const QString &newer)
    {
        m_result.repository = m_repositoryLinks;
        m_result.older = older;
        m_result.newer = newer;
        m_result.origin
            = QStringLiteral("local clone at %1").arg(QDir::toNativeSeparators(m_clonePath));
        if (m_repositoryLinks.isValid())
            m_result.compareUrl = scm::compareLink(m_repositoryLinks, older, newer);

        git_repository *repository = nullptr;
        if (git_repository_open_ext(&repository, QFile::encodeName(m_clonePath).constData(),
                                    GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr)
            != 0)
            return Error{QStringLiteral("%1 is not a git repository that can be opened: %2.")
                             .arg(m_clonePath, lastError())};
        m_repository.reset(repository);

        Result<Commit> olderCommit = resolve(older);
        if (!olderCommit)
            return Error{olderCommit.error()};
        Result<Commit> newerCommit = resolve(newer);
        if (!newerCommit)
            return Error{newerCommit.error()};

        const git_oid olderId = *git_commit_id(olderCommit->get());
        const git_oid newerId = *git_commit_id(newerCommit->get());
        if (const std::optional<QString> error = walk(olderId, newerId))
            return Error{*error};
        noteSwapped(olderId, newerId);
        if (m_options.withFiles) {
            if (const std::optional<QString> error = diff(olderId, newerCommit->get()))
                return Error{*error};
        }
        return std::move(m_result);
    }

private:
    Result<Commit> resolve(const QString &revision)
    {
        git_object *object = nullptr;
        if (git_revparse_single(&object, m_repository.get(), revision.toUtf8().constData()) != 0)
            return Error{QStringLiteral("Revision %1 is not in the local clone at %2 (%3). "
                                        "Fetch it there (git -C %2 fetch), or compare through "
                                        "the SCM server.")
                             .arg(revision, m_clonePath, lastError())};
        Object owned(object);

        git_object *peeled = nullptr;
        if (git_object_peel(&peeled, owned.get(), GIT_OBJECT_COMMIT) != 0)
            return Error{QStringLiteral("%1 does not name a commit in %2: %3.")
                             .arg(revision, m_clonePath, lastError())};
        return Commit(reinterpret_cast<git_commit *>(peeled));
    }

    std::optional<QString> walk(const git_oid &olderId, const git_oid &newerId)
    {
        git_revwalk *walker = nullptr;
        if (git_revwalk_new(&walker, m_repository.get()) != 0)
            return lastError();
        Walk owned(walker);
        git_revwalk_sorting(walker, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME);
        if (git_revwalk_push(walker, &newerId) != 0 || git_revwalk_hide(walker, &olderId) != 0)
            return QStringLiteral("Could not walk the history of %1: %2.")
                .arg(m_clonePath, lastError());

        git_oid id;
        int count = 0;
        while (count < CountLimit && git_revwalk_next(&id, walker) == 0) {
            ++count;
            if (m_result.commits.size() >= m_options.maxCommits)
                continue;
            git_commit *commit = nullptr;
            if (git_commit_lookup(&commit, m_repository.get(), &id) != 0)
                return lastError();
            Commit ownedCommit(commit);
            m_result.commits.append(commitOf(commit, id));
        }

        m_result.totalCommits = count;
        if (count > m_result.commits.size())
            m_result.addTruncation(
                QStringLiteral("Showing the newest %1 of %2%3 commits; CI "
                               "Companion reads at most %1.")
                    .arg(m_result.commits.size())
                    .arg(count)
                    .arg(count >= CountLimit ? QStringLiteral(" or more") : QString()));
        return std::nullopt;
    }

    ScmCommit commitOf(const git_commit *commit, const git_oid &id) const
    {
        const git_signature *author = git_commit_author(commit);
        ScmCommit entry;
        entry.sha = oidText(&id);
        entry.author = QString::fromUtf8(author->name);
        entry.authorEmail = QString::fromUtf8(author->email);
        entry.date = dateOf(author->when);
        entry.message = messageOf(commit);
        if (m_repositoryLinks.isValid())
            entry.url = scm::commitLink(m_repositoryLinks, entry.sha);
        return entry;
    }

    void noteSwapped(const git_oid &olderId, const git_oid &newerId)
    {
        if (!m_result.commits.isEmpty())
            return;
        size_t ahead = 0;
        size_t behind = 0;
        if (git_graph_ahead_behind(&ahead, &behind, m_repository.get(), &newerId, &olderId) == 0
            && ahead == 0 && behind > 0)
            m_result.addNote(QStringLiteral("The newer revision is %1 commits behind the older "
                                            "one; were the two given the wrong way round?")
                                 .arg(behind));
    }

    // The files that differ between the merge base and the newer, as a compare page shows.
    std::optional<QString> diff(const git_oid &olderId, git_commit *newer)
    {
        git_oid base = olderId;
        git_oid mergeBase;
        if (git_merge_base(&mergeBase, m_repository.get(), &olderId, git_commit_id(newer)) == 0)
            base = mergeBase;

        git_commit *baseCommit = nullptr;
        if (git_commit_lookup(&baseCommit, m_repository.get(), &base) != 0)
            return lastError();
        Commit ownedBase(baseCommit);

        git_tree *baseTree = nullptr;
        git_tree *newerTree = nullptr;
        if (git_commit_tree(&baseTree, baseCommit) != 0)
            return lastError();
        Tree ownedBaseTree(baseTree);
        if (git_commit_tree(&newerTree, newer) != 0)
            return lastError();
        Tree ownedNewerTree(newerTree);

        git_diff_options options = GIT_DIFF_OPTIONS_INIT;
        options.context_lines = 3;
        git_diff *diff = nullptr;
        if (git_diff_tree_to_tree(&diff, m_repository.get(), baseTree, newerTree, &options) != 0)
            return lastError();
        Diff ownedDiff(diff);

        git_diff_find_options find = GIT_DIFF_FIND_OPTIONS_INIT;
        find.flags = GIT_DIFF_FIND_RENAMES;
        if (git_diff_find_similar(diff, &find) != 0)
            return lastError();

        const size_t deltas = git_diff_num_deltas(diff);
        for (size_t i = 0; i < deltas; ++i) {
            if (m_result.files.size() >= m_options.maxFiles) {
                m_result.addTruncation(QStringLiteral("Showing the first %1 of %2 changed files.")
                                           .arg(m_result.files.size())
                                           .arg(deltas));
                break;
            }
            git_patch *patch = nullptr;
            if (git_patch_from_diff(&patch, diff, i) != 0)
                return lastError();
            Patch owned(patch);
            m_result.files.append(fileOf(patch));
        }
        return std::nullopt;
    }

    ScmChangedFile fileOf(git_patch *patch) const
    {
        const git_diff_delta *delta = git_patch_get_delta(patch);
        ScmChangedFile file;
        file.path = QString::fromUtf8(delta->new_file.path);
        switch (delta->status) {
        case GIT_DELTA_ADDED:
            file.status = ScmChangedFile::Status::Added;
            break;
        case GIT_DELTA_DELETED:
            file.status = ScmChangedFile::Status::Removed;
            file.path = QString::fromUtf8(delta->old_file.path);
            break;
        case GIT_DELTA_RENAMED:
            file.status = ScmChangedFile::Status::Renamed;
            file.oldPath = QString::fromUtf8(delta->old_file.path);
            break;
        case GIT_DELTA_COPIED:
            file.status = ScmChangedFile::Status::Copied;
            file.oldPath = QString::fromUtf8(delta->old_file.path);
            break;
        default:
            break;
        }

        size_t context = 0;
        size_t additions = 0;
        size_t deletions = 0;
        git_patch_line_stats(&context, &additions, &deletions, patch);
        file.additions = int(additions);
        file.deletions = int(deletions);
        file.binary = (delta->flags & GIT_DIFF_FLAG_BINARY) != 0;
        if (!file.binary)
            file.patch = hunksOf(patch, file);
        return file;
    }

    QByteArray hunksOf(git_patch *patch, ScmChangedFile &file) const
    {
        QByteArray text;
        const size_t hunks = git_patch_num_hunks(patch);
        for (size_t h = 0; h < hunks; ++h) {
            const git_diff_hunk *hunk = nullptr;
            size_t lines = 0;
            if (git_patch_get_hunk(&hunk, &lines, patch, h) != 0)
                break;
            text.append(hunk->header, qsizetype(hunk->header_len));
            if (!text.endsWith('\n'))
                text += '\n';

            for (size_t l = 0; l < lines; ++l) {
                const git_diff_line *line = nullptr;
                if (git_patch_get_line_in_hunk(&line, patch, h, l) != 0)
                    break;
                appendLine(text, *line);
            }
            if (text.size() > m_options.maxPatchBytes) {
                file.patchNote = QStringLiteral("The patch is cut at %1 KiB.")
                                     .arg(m_options.maxPatchBytes / 1024);
                break;
            }
        }
        return text;
    }

    static void appendLine(QByteArray &text, const git_diff_line &line)
    {
        switch (line.origin) {
        case GIT_DIFF_LINE_CONTEXT_EOFNL:
        case GIT_DIFF_LINE_ADD_EOFNL:
        case GIT_DIFF_LINE_DEL_EOFNL:
            if (!text.endsWith('\n'))
                text += '\n';
            text += "\\ No newline at end of file\n";
            return;
        case GIT_DIFF_LINE_CONTEXT:
        case GIT_DIFF_LINE_ADDITION:
        case GIT_DIFF_LINE_DELETION:
            text += line.origin;
            text.append(line.content, qsizetype(line.content_len));
            return;
        default:
            return;
        }
    }

    QString m_clonePath;
    ScmRepository m_repositoryLinks;
    ScmCompareOptions m_options;
    Repository m_repository;
    ScmComparison m_result;
};

} // namespace

LocalCompareClient::LocalCompareClient(const QString &clonePath, QObject *parent)
    : ScmCompareClient(parent)
    , m_clonePath(clonePath)
{
}

QString LocalCompareClient::name() const
{
    return QStringLiteral("local clone at %1").arg(QDir::toNativeSeparators(m_clonePath));
}

QFuture<Result<ScmComparison>> LocalCompareClient::compare(const ScmRepository &repository,
                                                           const QString &older,
                                                           const QString &newer,
                                                           const ScmCompareOptions &options)
{
    const QString path = m_clonePath;
    return QtConcurrent::run([path, repository, older, newer, options] {
        return compareNow(path, repository, older, newer, options);
    });
}

Result<ScmComparison> LocalCompareClient::compareNow(const QString &clonePath,
                                                     const ScmRepository &repository,
                                                     const QString &older, const QString &newer,
                                                     const ScmCompareOptions &options)
{
    initialiseLibgit2();
    if (older.trimmed().isEmpty() || newer.trimmed().isEmpty())
        return Error{QStringLiteral("Both revisions are needed to compare.")};

    LocalComparison comparison(clonePath, repository, options);
    Result<ScmComparison> result = comparison.run(older.trimmed(), newer.trimmed());
    if (!result)
        qCWarning(lcLocal, "comparing %s..%s in %s failed: %s", qUtf8Printable(older),
                  qUtf8Printable(newer), qUtf8Printable(clonePath), qUtf8Printable(result.error()));
    return result;
}

Result<QString> LocalCompareClient::remoteUrl(const QString &clonePath, const QString &remote)
{
    initialiseLibgit2();
    git_repository *repository = nullptr;
    if (git_repository_open_ext(&repository, QFile::encodeName(clonePath).constData(),
                                GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr)
        != 0)
        return Error{QStringLiteral("%1 is not a git repository: %2.").arg(clonePath, lastError())};
    Repository ownedRepository(repository);

    git_remote *found = nullptr;
    if (git_remote_lookup(&found, repository, remote.toUtf8().constData()) != 0)
        return Error{QStringLiteral("%1 has no remote %2.").arg(clonePath, remote)};
    Remote owned(found);
    const char *url = git_remote_url(found);
    return QString::fromUtf8(url ? url : "");
}

} // namespace cic
