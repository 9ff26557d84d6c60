// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/scm/remotecompareclient.h"

#include "core/model/wirecodec.h"
#include "core/scm/scmlinks.h"
#include "core/scm/scmtransport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QPromise>
#include <QUrlQuery>

#include <algorithm>
#include <functional>
#include <map>
#include <memory>

namespace cic {

namespace {
Q_LOGGING_CATEGORY(lcCompare, "cicompanion.core.scm.compare")

using Query = QList<QPair<QString, QString>>;

QString pathValue(const QString &value)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(value));
}

QString jsonString(const QJsonValue &value)
{
    return value.isString() ? value.toString() : QString();
}

// A host's error words: GitHub, GitLab and Gitea say `message`, Bitbucket Server lists
// `errors[].message`, Bitbucket Cloud nests `error.message`.
QString serverMessage(const QByteArray &body)
{
    const QJsonObject object = QJsonDocument::fromJson(body).object();
    if (const QString message = jsonString(object.value(QLatin1String("message")));
        !message.isEmpty())
        return message;
    const QJsonArray errors = object.value(QLatin1String("errors")).toArray();
    if (!errors.isEmpty())
        return jsonString(errors.first().toObject().value(QLatin1String("message")));
    const QJsonValue error = object.value(QLatin1String("error"));
    if (error.isObject())
        return jsonString(error.toObject().value(QLatin1String("message")));
    return jsonString(error);
}

// Parses JSON; a body with bytes that are not UTF-8 inside its strings (a server passing file
// contents through) is read with U+FFFD in their place rather than refused.
std::optional<QJsonDocument> parseJson(const QByteArray &body)
{
    QJsonParseError error;
    QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error == QJsonParseError::IllegalUTF8String)
        document = QJsonDocument::fromJson(QString::fromUtf8(body).toUtf8(), &error);
    if (error.error != QJsonParseError::NoError)
        return std::nullopt;
    return document;
}

QDateTime dateOf(const QJsonValue &value)
{
    return value.isUndefined() || value.isNull() ? QDateTime() : wire::parseInstant(value);
}

// Cuts a patch at a line end below the limit.
void boundPatch(ScmChangedFile &file, qsizetype maxBytes)
{
    if (maxBytes <= 0 || file.patch.size() <= maxBytes)
        return;
    const qsizetype end = file.patch.lastIndexOf('\n', maxBytes - 1);
    file.patch.truncate(end < 0 ? maxBytes : end + 1);
    file.patchNote = QStringLiteral("The patch is cut at %1 KiB.").arg(maxBytes / 1024);
}

class CompareJob : public std::enable_shared_from_this<CompareJob>
{
public:
    CompareJob(const ScmHost &host, ScmTransport *transport, const ScmRepository &repository,
               const QString &older, const QString &newer, const ScmCompareOptions &options)
        : m_host(host)
        , m_transport(transport)
        , m_options(options)
    {
        m_result.repository = repository;
        m_result.older = older;
        m_result.newer = newer;
        m_result.compareUrl = scm::compareLink(repository, older, newer);
        m_result.origin = scmKindName(host.kind) + QLatin1String(" API at ")
            + host.apiBase().toDisplayString(QUrl::RemoveUserInfo);
    }
    virtual ~CompareJob() = default;

    QFuture<Result<ScmComparison>> start()
    {
        m_promise.start();
        QFuture<Result<ScmComparison>> future = m_promise.future();
        if (m_result.older.trimmed().isEmpty() || m_result.newer.trimmed().isEmpty())
            fail(QStringLiteral("Both revisions are needed to compare."));
        else if (!m_result.repository.isValid())
            fail(QStringLiteral("The repository to compare is not known."));
        else
            run();
        return future;
    }

protected:
    using Handler = std::function<void(const ScmHttpReply &)>;

    virtual void run() = 0;

    const ScmRepository &repository() const { return m_result.repository; }
    const QString &older() const { return m_result.older; }
    const QString &newer() const { return m_result.newer; }

    QUrl apiUrl(const QString &encodedPath, const Query &query = {}) const
    {
        QUrl url = m_host.apiBase();
        url.setPath(url.path() + encodedPath, QUrl::TolerantMode);
        if (!query.isEmpty()) {
            QUrlQuery urlQuery;
            for (const auto &[key, value] : query)
                urlQuery.addQueryItem(key, pathValue(value));
            url.setQuery(urlQuery.query(QUrl::FullyEncoded), QUrl::TolerantMode);
        }
        return url;
    }

    QUrl webUrl(const QString &encodedPath) const
    {
        QUrl url = m_result.repository.webUrl;
        url.setPath(url.path() + encodedPath, QUrl::TolerantMode);
        return url;
    }

    // GETs the URL and hands a 2xx answer on; anything else ends the comparison with a
    // message. onAny gets every answer instead, for steps that may fail on their own.
    void get(const QUrl &url, const QByteArray &accept, Handler onSuccess)
    {
        request(url, accept, [this, url, onSuccess](const ScmHttpReply &reply) {
            if (reply.status >= 200 && reply.status < 300)
                onSuccess(reply);
            else
                fail(httpError(reply, url));
        });
    }

    void request(const QUrl &url, const QByteArray &accept, Handler onAny)
    {
        if (!m_transport) {
            fail(QStringLiteral("The comparison was stopped."));
            return;
        }
        QNetworkRequest request(url);
        request.setRawHeader("Accept", accept);
        request.setRawHeader("User-Agent", "ci-companion/" CIC_VERSION);
        authorize(request);

        qCDebug(lcCompare, "%s: GET %s", qUtf8Printable(m_host.displayName()),
                qUtf8Printable(url.toDisplayString(QUrl::RemoveUserInfo)));
        auto self = shared_from_this();
        m_transport->get(request).then(m_transport.data(),
                                       [self, onAny](const ScmHttpReply &reply) {
                                           if (!self->m_done)
                                               onAny(reply);
                                       });
    }

    std::optional<QJsonObject> jsonObject(const ScmHttpReply &reply, const QUrl &url)
    {
        const std::optional<QJsonDocument> document = parseJson(reply.body);
        if (!document || !document->isObject()) {
            fail(QStringLiteral("%1 answered %2 with something that is not a JSON object.")
                     .arg(m_host.displayName(), url.path()));
            return std::nullopt;
        }
        return document->object();
    }

    QString httpError(const ScmHttpReply &reply, const QUrl &url) const
    {
        const QString host = m_host.displayName();
        if (reply.status == 0)
            return QStringLiteral("Could not reach %1: %2.").arg(host, reply.networkError);

        const QString message = serverMessage(reply.body);
        const QString said = message.isEmpty() ? QString() : QLatin1String(": ") + message;
        switch (reply.status) {
        case 401:
            return QStringLiteral("%1 refused the credentials (HTTP 401%2). Check the token "
                                  "configured for it.")
                .arg(host, said);
        case 403:
            if (reply.header("x-ratelimit-remaining") == "0") {
                const qint64 reset = reply.header("x-ratelimit-reset").toLongLong();
                const QString when
                    = QDateTime::fromSecsSinceEpoch(reset).toString(QStringLiteral("HH:mm"));
                return QStringLiteral("The rate limit of %1 is spent until %2; try again then, "
                                      "or configure a token.")
                    .arg(host, when);
            }
            return QStringLiteral("%1 does not let the configured account read %2 (HTTP 403%3).")
                .arg(host, repository().fullName(), said);
        case 404:
            return QStringLiteral("%1 does not know %2 or %3 in %4 (HTTP 404%5). Check that "
                                  "both revisions were pushed and that the configured token "
                                  "can read the repository.")
                .arg(host, older(), newer(), repository().fullName(), said);
        default:
            return QStringLiteral("%1 answered HTTP %2 for %3%4.")
                .arg(host)
                .arg(reply.status)
                .arg(url.path(), said);
        }
    }

    void fail(const QString &message)
    {
        if (m_done)
            return;
        m_done = true;
        qCWarning(lcCompare, "%s: comparing %s..%s in %s failed: %s",
                  qUtf8Printable(m_host.displayName()), qUtf8Printable(older()),
                  qUtf8Printable(newer()), qUtf8Printable(repository().fullName()),
                  qUtf8Printable(message));
        m_promise.addResult(Result<ScmComparison>(Error{message}));
        m_promise.finish();
    }

    void finish()
    {
        if (m_done)
            return;
        m_done = true;

        ScmComparison &result = m_result;
        if (result.files.size() > m_options.maxFiles) {
            result.addTruncation(QStringLiteral("Showing the first %1 of %2 changed files.")
                                     .arg(m_options.maxFiles)
                                     .arg(result.files.size()));
            result.files.resize(m_options.maxFiles);
        }
        for (ScmChangedFile &file : result.files)
            boundPatch(file, m_options.maxPatchBytes);

        m_promise.addResult(Result<ScmComparison>(std::move(result)));
        m_promise.finish();
    }

    // Keeps the newest commits within the bound (commits are newest first here) and says
    // who cut the list: we, when we stopped paging or hold more than the bound, or the server,
    // when it lists fewer than it counts.
    void boundCommits(const QString &server, bool readEverything)
    {
        QList<ScmCommit> &commits = m_result.commits;
        bool weCut = !readEverything;
        if (commits.size() > m_options.maxCommits) {
            commits.resize(m_options.maxCommits);
            weCut = true;
        }

        const int total = m_result.totalCommits;
        const QString ofTotal
            = total > commits.size() ? QStringLiteral(" of %1").arg(total) : QString();
        if (weCut)
            m_result.addTruncation(QStringLiteral("Showing the newest %1%2 commits; CI Companion "
                                                  "reads at most %3.")
                                       .arg(commits.size())
                                       .arg(ofTotal)
                                       .arg(m_options.maxCommits));
        else if (total > commits.size())
            m_result.addTruncation(QStringLiteral("%1 listed %2 of the %3 commits.")
                                       .arg(server)
                                       .arg(commits.size())
                                       .arg(total));
    }

    ScmCommit commitWithLink(ScmCommit commit) const
    {
        if (commit.url.isEmpty() && !commit.sha.isEmpty())
            commit.url = scm::commitLink(repository(), commit.sha);
        return commit;
    }

    ScmHost m_host;
    QPointer<ScmTransport> m_transport;
    ScmCompareOptions m_options;
    ScmComparison m_result;

private:
    void authorize(QNetworkRequest &request) const
    {
        if (m_host.token.isEmpty())
            return;
        if (!m_host.username.isEmpty()) {
            const QByteArray pair = m_host.username.toUtf8() + ':' + m_host.token.toUtf8();
            request.setRawHeader("Authorization", "Basic " + pair.toBase64());
            return;
        }
        switch (m_host.kind) {
        case ScmKind::GitLab:
            request.setRawHeader("PRIVATE-TOKEN", m_host.token.toUtf8());
            break;
        case ScmKind::Gitea:
            request.setRawHeader("Authorization", "token " + m_host.token.toUtf8());
            break;
        default:
            request.setRawHeader("Authorization", "Bearer " + m_host.token.toUtf8());
        }
    }

    QPromise<Result<ScmComparison>> m_promise;
    bool m_done = false;
};

// --- GitHub ------------------------------------------------------------------------------

// GitHub's compare lists commits oldest first across pages and files on page 1 only.
class GitHubJob final : public CompareJob
{
public:
    using CompareJob::CompareJob;

private:
    static constexpr int FileCap = 300;

    void run() override { fetchPage(1); }

    QUrl pageUrl(int page) const
    {
        const QString path = QLatin1String("/repos/") + pathValue(repository().owner)
            + QLatin1Char('/') + pathValue(repository().name) + QLatin1String("/compare/")
            + pathValue(older()) + QLatin1String("...") + pathValue(newer());
        return apiUrl(path,
                      {{QStringLiteral("per_page"), QString::number(m_options.pageSize)},
                       {QStringLiteral("page"), QString::number(page)}});
    }

    void fetchPage(int page)
    {
        const QUrl url = pageUrl(page);
        get(url, "application/vnd.github+json", [this, url, page](const ScmHttpReply &reply) {
            const std::optional<QJsonObject> object = jsonObject(reply, url);
            if (!object)
                return;
            m_pages[page] = commitsOf(object->value(QLatin1String("commits")).toArray());
            if (page == 1)
                readFirstPage(*object);
            next(page);
        });
    }

    // After page 1, the last page and backwards: the newest commits come first.
    void next(int page)
    {
        const int perPage = std::max(1, m_options.pageSize);
        const int total = m_result.totalCommits;
        const int lastPage = total > 0 ? (total + perPage - 1) / perPage : 1;
        const int following = page == 1 ? lastPage : page - 1;
        if (following > 1 && following <= lastPage && !m_pages.contains(following)
            && collected() < m_options.maxCommits) {
            fetchPage(following);
            return;
        }
        assemble(lastPage);
    }

    // The commits usable so far: the pages read in a row from the last one down.
    qsizetype collected() const
    {
        qsizetype count = 0;
        for (auto it = m_pages.crbegin(); it != m_pages.crend() && it->first > 1; ++it)
            count += it->second.size();
        return count;
    }

    void readFirstPage(const QJsonObject &object)
    {
        m_result.totalCommits = object.value(QLatin1String("total_commits")).toInt(-1);
        if (jsonString(object.value(QLatin1String("status"))) == QLatin1String("behind"))
            m_result.addNote(QStringLiteral("The newer revision is behind the older one; were "
                                            "the two given the wrong way round?"));
        const QString html = jsonString(object.value(QLatin1String("html_url")));
        if (!html.isEmpty())
            m_result.compareUrl = html;
        if (!m_options.withFiles)
            return;

        const QJsonArray files = object.value(QLatin1String("files")).toArray();
        for (const QJsonValue &value : files)
            m_result.files.append(fileOf(value.toObject()));
        if (files.size() >= FileCap)
            m_result.addTruncation(QStringLiteral("GitHub lists at most %1 changed files in a "
                                                  "comparison; files after those are not shown.")
                                       .arg(FileCap));
    }

    // Pages hold commits oldest first. From the last page down, the pages read in a row are
    // the newest commits; a page not read ends the run, so the list never has a hole.
    void assemble(int lastPage)
    {
        QList<ScmCommit> newestFirst;
        bool readEverything = true;
        for (int page = lastPage; page >= 1; --page) {
            const auto it = m_pages.find(page);
            if (it == m_pages.end()) {
                readEverything = false;
                break;
            }
            for (auto commit = it->second.crbegin(); commit != it->second.crend(); ++commit)
                newestFirst.append(*commit);
        }
        m_result.commits = newestFirst;
        boundCommits(QStringLiteral("GitHub"), readEverything);
        finish();
    }

    QList<ScmCommit> commitsOf(const QJsonArray &array) const
    {
        QList<ScmCommit> commits;
        for (const QJsonValue &value : array) {
            const QJsonObject object = value.toObject();
            const QJsonObject commit = object.value(QLatin1String("commit")).toObject();
            const QJsonObject author = commit.value(QLatin1String("author")).toObject();
            ScmCommit entry;
            entry.sha = jsonString(object.value(QLatin1String("sha")));
            entry.author = jsonString(author.value(QLatin1String("name")));
            entry.authorEmail = jsonString(author.value(QLatin1String("email")));
            entry.date = dateOf(author.value(QLatin1String("date")));
            entry.message = jsonString(commit.value(QLatin1String("message")));
            entry.url = jsonString(object.value(QLatin1String("html_url")));
            commits.append(commitWithLink(entry));
        }
        return commits;
    }

    static ScmChangedFile fileOf(const QJsonObject &object)
    {
        ScmChangedFile file;
        file.path = jsonString(object.value(QLatin1String("filename")));
        file.oldPath = jsonString(object.value(QLatin1String("previous_filename")));
        const QString status = jsonString(object.value(QLatin1String("status")));
        if (status == QLatin1String("added"))
            file.status = ScmChangedFile::Status::Added;
        else if (status == QLatin1String("removed"))
            file.status = ScmChangedFile::Status::Removed;
        else if (status == QLatin1String("renamed"))
            file.status = ScmChangedFile::Status::Renamed;
        else if (status == QLatin1String("copied"))
            file.status = ScmChangedFile::Status::Copied;
        file.additions = object.value(QLatin1String("additions")).toInt();
        file.deletions = object.value(QLatin1String("deletions")).toInt();

        const QJsonValue patch = object.value(QLatin1String("patch"));
        if (patch.isString()) {
            file.patch = patch.toString().toUtf8();
            if (!file.patch.endsWith('\n'))
                file.patch += '\n';
            return file;
        }

        // GitHub leaves `patch` out for binary files and for diffs too large to show; a
        // binary file changes no lines.
        const bool moved = file.status == ScmChangedFile::Status::Renamed
            || file.status == ScmChangedFile::Status::Copied;
        if (file.additions == 0 && file.deletions == 0 && !moved)
            file.binary = true;
        else if (file.additions + file.deletions > 0)
            file.patchNote = QStringLiteral("GitHub sends no patch for this file: its diff is "
                                            "too large to show.");
        return file;
    }

    std::map<int, QList<ScmCommit>> m_pages;
};

// --- GitLab ------------------------------------------------------------------------------

class GitLabJob final : public CompareJob
{
public:
    using CompareJob::CompareJob;

private:
    void run() override
    {
        const QString path = QLatin1String("/projects/") + pathValue(repository().fullName())
            + QLatin1String("/repository/compare");
        const QUrl url = apiUrl(path,
                                {{QStringLiteral("from"), older()},
                                 {QStringLiteral("to"), newer()},
                                 {QStringLiteral("straight"), QStringLiteral("false")}});
        get(url, "application/json", [this, url](const ScmHttpReply &reply) {
            if (const std::optional<QJsonObject> object = jsonObject(reply, url))
                read(*object);
        });
    }

    void read(const QJsonObject &object)
    {
        const QJsonArray commits = object.value(QLatin1String("commits")).toArray();
        for (qsizetype i = commits.size() - 1; i >= 0; --i) {
            const QJsonObject commit = commits.at(i).toObject();
            ScmCommit entry;
            entry.sha = jsonString(commit.value(QLatin1String("id")));
            entry.author = jsonString(commit.value(QLatin1String("author_name")));
            entry.authorEmail = jsonString(commit.value(QLatin1String("author_email")));
            entry.date = dateOf(commit.value(QLatin1String("authored_date")));
            entry.message = jsonString(commit.value(QLatin1String("message")));
            if (entry.message.isEmpty())
                entry.message = jsonString(commit.value(QLatin1String("title")));
            entry.url = jsonString(commit.value(QLatin1String("web_url")));
            m_result.commits.append(commitWithLink(entry));
        }
        m_result.totalCommits = int(commits.size());
        const QString web = jsonString(object.value(QLatin1String("web_url")));
        if (!web.isEmpty())
            m_result.compareUrl = web;

        if (m_options.withFiles)
            readDiffs(object);
        boundCommits(QStringLiteral("GitLab"), true);
        finish();
    }

    void readDiffs(const QJsonObject &object)
    {
        if (object.value(QLatin1String("compare_timeout")).toBool())
            m_result.addTruncation(QStringLiteral("GitLab stopped computing the diff at its "
                                                  "time limit; some files have no patch."));
        if (object.value(QLatin1String("overflow")).toBool())
            m_result.addTruncation(QStringLiteral("GitLab cut the list of changed files at "
                                                  "its diff limits."));

        const QJsonArray diffs = object.value(QLatin1String("diffs")).toArray();
        for (const QJsonValue &value : diffs)
            m_result.files.append(fileOf(value.toObject()));
    }

    static ScmChangedFile fileOf(const QJsonObject &diff)
    {
        ScmChangedFile file;
        const QString oldPath = jsonString(diff.value(QLatin1String("old_path")));
        file.path = jsonString(diff.value(QLatin1String("new_path")));
        if (diff.value(QLatin1String("new_file")).toBool()) {
            file.status = ScmChangedFile::Status::Added;
        } else if (diff.value(QLatin1String("deleted_file")).toBool()) {
            file.status = ScmChangedFile::Status::Removed;
            file.path = oldPath.isEmpty() ? file.path : oldPath;
        } else if (diff.value(QLatin1String("renamed_file")).toBool()) {
            file.status = ScmChangedFile::Status::Renamed;
            file.oldPath = oldPath;
        }

        const QByteArray text = jsonString(diff.value(QLatin1String("diff"))).toUtf8();
        if (text.startsWith("Binary files ") || text.contains("\nBinary files ")) {
            file.binary = true;
            return file;
        }
        file.patch = scm::hunksOnly(text);
        if (!file.patch.isEmpty() && !file.patch.endsWith('\n'))
            file.patch += '\n';
        scm::countPatchLines(file);

        if (diff.value(QLatin1String("too_large")).toBool())
            file.patchNote = QStringLiteral("GitLab sends no patch for this file: it is over "
                                            "its diff size limit.");
        else if (diff.value(QLatin1String("collapsed")).toBool())
            file.patchNote = QStringLiteral("GitLab collapsed this diff: it is over its limit "
                                            "for showing diffs expanded.");
        return file;
    }
};

// --- Bitbucket Server ----------------------------------------------------------------------

// Bitbucket Server compares a source (from, the newer side) with a target (to, the older).
class BitbucketServerJob final : public CompareJob
{
public:
    using CompareJob::CompareJob;

private:
    void run() override { fetchCommits(0); }

    QUrl compareUrl(const QString &what, const Query &extra) const
    {
        const QString path = QLatin1String("/projects/") + pathValue(repository().owner)
            + QLatin1String("/repos/") + pathValue(repository().name) + QLatin1String("/compare/")
            + what;
        Query query{{QStringLiteral("from"), newer()}, {QStringLiteral("to"), older()}};
        query += extra;
        return apiUrl(path, query);
    }

    Query page(int start) const
    {
        return {{QStringLiteral("start"), QString::number(start)},
                {QStringLiteral("limit"), QString::number(m_options.pageSize)}};
    }

    void fetchCommits(int start)
    {
        const QUrl url = compareUrl(QStringLiteral("commits"), page(start));
        get(url, "application/json", [this, url](const ScmHttpReply &reply) {
            const std::optional<QJsonObject> object = jsonObject(reply, url);
            if (!object)
                return;
            for (const QJsonValue &value : object->value(QLatin1String("values")).toArray())
                m_result.commits.append(commitOf(value.toObject()));

            const std::optional<int> following = nextStart(*object);
            if (following && m_result.commits.size() < m_options.maxCommits) {
                fetchCommits(*following);
                return;
            }
            boundCommits(QStringLiteral("Bitbucket Server"), !following);
            if (m_options.withFiles)
                fetchChanges(0);
            else
                finish();
        });
    }

    static std::optional<int> nextStart(const QJsonObject &page)
    {
        if (page.value(QLatin1String("isLastPage")).toBool(true))
            return std::nullopt;
        const QJsonValue next = page.value(QLatin1String("nextPageStart"));
        if (!next.isDouble())
            return std::nullopt;
        return next.toInt();
    }

    ScmCommit commitOf(const QJsonObject &object) const
    {
        const QJsonObject author = object.value(QLatin1String("author")).toObject();
        ScmCommit commit;
        commit.sha = jsonString(object.value(QLatin1String("id")));
        commit.author = jsonString(author.value(QLatin1String("displayName")));
        if (commit.author.isEmpty())
            commit.author = jsonString(author.value(QLatin1String("name")));
        commit.authorEmail = jsonString(author.value(QLatin1String("emailAddress")));
        commit.date = dateOf(object.value(QLatin1String("authorTimestamp")));
        commit.message = jsonString(object.value(QLatin1String("message")));
        return commitWithLink(commit);
    }

    void fetchChanges(int start)
    {
        const QUrl url = compareUrl(QStringLiteral("changes"), page(start));
        get(url, "application/json", [this, url](const ScmHttpReply &reply) {
            const std::optional<QJsonObject> object = jsonObject(reply, url);
            if (!object)
                return;
            for (const QJsonValue &value : object->value(QLatin1String("values")).toArray())
                m_result.files.append(changeOf(value.toObject()));

            const std::optional<int> following = nextStart(*object);
            if (following && m_result.files.size() < m_options.maxFiles) {
                fetchChanges(*following);
                return;
            }
            if (following)
                m_result.addTruncation(QStringLiteral("Bitbucket Server has more than %1 "
                                                      "changed files; the rest are not read.")
                                           .arg(m_result.files.size()));
            fetchDiff();
        });
    }

    static QString pathOf(const QJsonValue &value)
    {
        return jsonString(value.toObject().value(QLatin1String("toString")));
    }

    static ScmChangedFile changeOf(const QJsonObject &change)
    {
        ScmChangedFile file;
        file.path = pathOf(change.value(QLatin1String("path")));
        const QString type = jsonString(change.value(QLatin1String("type")));
        if (type == QLatin1String("ADD")) {
            file.status = ScmChangedFile::Status::Added;
        } else if (type == QLatin1String("DELETE")) {
            file.status = ScmChangedFile::Status::Removed;
        } else if (type == QLatin1String("MOVE") || type == QLatin1String("RENAME")) {
            file.status = ScmChangedFile::Status::Renamed;
            file.oldPath = pathOf(change.value(QLatin1String("srcPath")));
        } else if (type == QLatin1String("COPY")) {
            file.status = ScmChangedFile::Status::Copied;
            file.oldPath = pathOf(change.value(QLatin1String("srcPath")));
        }
        return file;
    }

    void fetchDiff()
    {
        const QUrl url = compareUrl(QStringLiteral("diff"),
                                    {{QStringLiteral("contextLines"), QStringLiteral("3")}});
        get(url, "application/json", [this, url](const ScmHttpReply &reply) {
            const std::optional<QJsonObject> object = jsonObject(reply, url);
            if (!object)
                return;
            readDiff(*object);
            finish();
        });
    }

    void readDiff(const QJsonObject &object)
    {
        QHash<QString, qsizetype> byPath;
        for (qsizetype i = 0; i < m_result.files.size(); ++i)
            byPath.insert(m_result.files[i].path, i);

        QSet<qsizetype> patched;
        for (const QJsonValue &value : object.value(QLatin1String("diffs")).toArray()) {
            const QJsonObject diff = value.toObject();
            const QString destination = pathOf(diff.value(QLatin1String("destination")));
            const QString source = pathOf(diff.value(QLatin1String("source")));
            const QString path = destination.isEmpty() ? source : destination;

            qsizetype index = byPath.value(path, -1);
            if (index < 0) {
                ScmChangedFile file;
                file.path = path;
                if (source.isEmpty())
                    file.status = ScmChangedFile::Status::Added;
                else if (destination.isEmpty())
                    file.status = ScmChangedFile::Status::Removed;
                else if (source != destination) {
                    file.status = ScmChangedFile::Status::Renamed;
                    file.oldPath = source;
                }
                m_result.files.append(file);
                index = m_result.files.size() - 1;
                byPath.insert(path, index);
            }
            applyDiff(m_result.files[index], diff);
            patched.insert(index);
        }

        const bool cut = object.value(QLatin1String("truncated")).toBool();
        if (cut)
            m_result.addTruncation(QStringLiteral("Bitbucket Server cut the diff at its size "
                                                  "limit; later files have no patch."));
        for (qsizetype i = 0; i < m_result.files.size(); ++i) {
            ScmChangedFile &file = m_result.files[i];
            if (!patched.contains(i) && cut && file.patchNote.isEmpty())
                file.patchNote = QStringLiteral("Bitbucket Server sent no diff for this file: "
                                                "the comparison's diff was cut before it.");
        }
    }

    static void applyDiff(ScmChangedFile &file, const QJsonObject &diff)
    {
        if (diff.value(QLatin1String("binary")).toBool()) {
            file.binary = true;
            return;
        }

        QByteArray patch;
        bool partial = diff.value(QLatin1String("truncated")).toBool();
        for (const QJsonValue &hunkValue : diff.value(QLatin1String("hunks")).toArray()) {
            const QJsonObject hunk = hunkValue.toObject();
            patch += "@@ -" + QByteArray::number(hunk.value(QLatin1String("sourceLine")).toInt())
                + ',' + QByteArray::number(hunk.value(QLatin1String("sourceSpan")).toInt()) + " +"
                + QByteArray::number(hunk.value(QLatin1String("destinationLine")).toInt()) + ','
                + QByteArray::number(hunk.value(QLatin1String("destinationSpan")).toInt())
                + " @@\n";
            partial = partial || hunk.value(QLatin1String("truncated")).toBool();
            for (const QJsonValue &segmentValue : hunk.value(QLatin1String("segments")).toArray()) {
                const QJsonObject segment = segmentValue.toObject();
                const QString type = jsonString(segment.value(QLatin1String("type")));
                const char mark = type == QLatin1String("ADDED") ? '+'
                    : type == QLatin1String("REMOVED")           ? '-'
                                                                 : ' ';
                partial = partial || segment.value(QLatin1String("truncated")).toBool();
                for (const QJsonValue &line : segment.value(QLatin1String("lines")).toArray()) {
                    patch += mark;
                    patch += jsonString(line.toObject().value(QLatin1String("line"))).toUtf8();
                    patch += '\n';
                }
            }
        }
        file.patch = patch;
        scm::countPatchLines(file);
        if (partial)
            file.patchNote = QStringLiteral("Bitbucket Server cut this diff at its size limit.");
    }
};

// --- Gitea and Forgejo -------------------------------------------------------------------

class GiteaJob final : public CompareJob
{
public:
    using CompareJob::CompareJob;

private:
    QString range() const { return pathValue(older()) + QLatin1String("...") + pathValue(newer()); }
    QString repositoryPath() const
    {
        return QLatin1Char('/') + pathValue(repository().owner) + QLatin1Char('/')
            + pathValue(repository().name);
    }

    void run() override
    {
        const QUrl url = apiUrl(QLatin1String("/repos") + repositoryPath()
                                + QLatin1String("/compare/") + range());
        get(url, "application/json", [this, url](const ScmHttpReply &reply) {
            const std::optional<QJsonObject> object = jsonObject(reply, url);
            if (!object)
                return;
            readCommits(*object);
            if (m_options.withFiles)
                fetchDiff();
            else
                finish();
        });
    }

    void readCommits(const QJsonObject &object)
    {
        m_result.totalCommits = object.value(QLatin1String("total_commits")).toInt(-1);
        for (const QJsonValue &value : object.value(QLatin1String("commits")).toArray()) {
            const QJsonObject entry = value.toObject();
            const QJsonObject commit = entry.value(QLatin1String("commit")).toObject();
            const QJsonObject author = commit.value(QLatin1String("author")).toObject();
            ScmCommit scmCommit;
            scmCommit.sha = jsonString(entry.value(QLatin1String("sha")));
            scmCommit.author = jsonString(author.value(QLatin1String("name")));
            scmCommit.authorEmail = jsonString(author.value(QLatin1String("email")));
            scmCommit.date = dateOf(author.value(QLatin1String("date")));
            scmCommit.message = jsonString(commit.value(QLatin1String("message")));
            scmCommit.url = jsonString(entry.value(QLatin1String("html_url")));
            m_result.commits.append(commitWithLink(scmCommit));

            for (const QJsonValue &file : entry.value(QLatin1String("files")).toArray())
                m_touched.append(jsonString(file.toObject().value(QLatin1String("filename"))));
        }

        // The API's order is not documented; newest first by author date, ties kept.
        std::stable_sort(m_result.commits.begin(), m_result.commits.end(),
                         [](const ScmCommit &a, const ScmCommit &b) { return a.date > b.date; });
        boundCommits(QStringLiteral("Gitea"), true);
    }

    // The API has no patches; the compare page's .diff is the same range as a git diff.
    void fetchDiff()
    {
        const QUrl url = webUrl(repositoryPath() + QLatin1String("/compare/") + range()
                                + QLatin1String(".diff"));
        request(url, "text/plain", [this, url](const ScmHttpReply &reply) {
            if (reply.status >= 200 && reply.status < 300) {
                m_result.files = scm::parseGitDiff(reply.body);
                finish();
                return;
            }
            // Without the diff, the files the commits touched, without patches.
            m_touched.removeDuplicates();
            m_touched.sort();
            for (const QString &path : std::as_const(m_touched)) {
                ScmChangedFile file;
                file.path = path;
                file.patchNote = QStringLiteral("No patch: Gitea's compare page did not "
                                                "answer (%1).")
                                     .arg(httpError(reply, url));
                m_result.files.append(file);
            }
            finish();
        });
    }

    QStringList m_touched;
};

// --- Bitbucket Cloud -----------------------------------------------------------------------

// Bitbucket Cloud has no compare endpoint: commits reachable from the newer and not from the
// older, page by page, and the diff of the two.
class BitbucketCloudJob final : public CompareJob
{
public:
    using CompareJob::CompareJob;

private:
    QString repositoryPath() const
    {
        return QLatin1String("/repositories/") + pathValue(repository().owner) + QLatin1Char('/')
            + pathValue(repository().name);
    }

    void run() override
    {
        fetchCommits(apiUrl(repositoryPath() + QLatin1String("/commits"),
                            {{QStringLiteral("include"), newer()},
                             {QStringLiteral("exclude"), older()},
                             {QStringLiteral("pagelen"), QString::number(m_options.pageSize)}}));
    }

    void fetchCommits(const QUrl &url)
    {
        get(url, "application/json", [this, url](const ScmHttpReply &reply) {
            const std::optional<QJsonObject> object = jsonObject(reply, url);
            if (!object)
                return;
            for (const QJsonValue &value : object->value(QLatin1String("values")).toArray())
                m_result.commits.append(commitOf(value.toObject()));

            const QUrl next(jsonString(object->value(QLatin1String("next"))));
            const bool more = next.isValid() && !next.isEmpty();
            if (more && m_result.commits.size() < m_options.maxCommits) {
                fetchCommits(next);
                return;
            }
            boundCommits(QStringLiteral("Bitbucket Cloud"), !more);
            if (m_options.withFiles)
                fetchDiff();
            else
                finish();
        });
    }

    ScmCommit commitOf(const QJsonObject &object) const
    {
        ScmCommit commit;
        commit.sha = jsonString(object.value(QLatin1String("hash")));
        commit.date = dateOf(object.value(QLatin1String("date")));
        commit.message = jsonString(object.value(QLatin1String("message")));

        const QJsonObject author = object.value(QLatin1String("author")).toObject();
        const QString raw = jsonString(author.value(QLatin1String("raw")));
        const qsizetype open = raw.indexOf(QLatin1Char('<'));
        commit.author = jsonString(
            author.value(QLatin1String("user")).toObject().value(QLatin1String("display_name")));
        if (commit.author.isEmpty())
            commit.author = (open >= 0 ? raw.left(open) : raw).trimmed();
        if (open >= 0)
            commit.authorEmail = raw.mid(open + 1).section(QLatin1Char('>'), 0, 0);
        commit.url = jsonString(object.value(QLatin1String("links"))
                                    .toObject()
                                    .value(QLatin1String("html"))
                                    .toObject()
                                    .value(QLatin1String("href")));
        return commitWithLink(commit);
    }

    void fetchDiff()
    {
        const QUrl url = apiUrl(repositoryPath() + QLatin1String("/diff/") + pathValue(newer())
                                + QLatin1String("..") + pathValue(older()));
        get(url, "text/plain", [this](const ScmHttpReply &reply) {
            m_result.files = scm::parseGitDiff(reply.body);
            finish();
        });
    }
};

std::shared_ptr<CompareJob> makeJob(const ScmHost &host, ScmTransport *transport,
                                    const ScmRepository &repository, const QString &older,
                                    const QString &newer, const ScmCompareOptions &options)
{
    switch (host.kind) {
    case ScmKind::GitHub:
        return std::make_shared<GitHubJob>(host, transport, repository, older, newer, options);
    case ScmKind::GitLab:
        return std::make_shared<GitLabJob>(host, transport, repository, older, newer, options);
    case ScmKind::BitbucketServer:
        return std::make_shared<BitbucketServerJob>(host, transport, repository, older, newer,
                                                    options);
    case ScmKind::Gitea:
        return std::make_shared<GiteaJob>(host, transport, repository, older, newer, options);
    case ScmKind::BitbucketCloud:
        return std::make_shared<BitbucketCloudJob>(host, transport, repository, older, newer,
                                                   options);
    }
    return {};
}

} // namespace

RemoteCompareClient::RemoteCompareClient(const ScmHost &host, ScmTransport *transport,
                                         QObject *parent)
    : ScmCompareClient(parent)
    , m_host(host)
    , m_transport(transport)
{
}

QString RemoteCompareClient::name() const
{
    return m_host.displayName();
}

QFuture<Result<ScmComparison>> RemoteCompareClient::compare(const ScmRepository &repository,
                                                            const QString &older,
                                                            const QString &newer,
                                                            const ScmCompareOptions &options)
{
    ScmRepository onHost = repository;
    if (onHost.webUrl.isEmpty())
        onHost.webUrl = m_host.webUrl;
    onHost.kind = m_host.kind;
    return makeJob(m_host, m_transport, onHost, older.trimmed(), newer.trimmed(), options)->start();
}

} // namespace cic
