// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/scm/comparecommitsroute.h"

#include "core/scm/igorcommits.h"
#include "core/scm/scmcompareservice.h"
#include "core/server/igorserver.h"

#include <QJsonDocument>
#include <QPointer>
#include <QTimer>

namespace cic::scm {

namespace {

QByteArray compact(const QJsonArray &array)
{
    return QJsonDocument(array).toJson(QJsonDocument::Compact);
}

void answer(const QPointer<ScmCompareService> &service, ScmKind kind, int budgetMs,
            const http::Request &request, const http::Responder &responder)
{
    const QString from = request.queryValue(u"from").value_or(QString()).trimmed();
    const QString to = request.queryValue(u"to").value_or(QString()).trimmed();
    if (from.isEmpty() || to.isEmpty()) {
        responder.send(http::errorReply(http::ErrorKind::BadRequest,
                                        QStringLiteral("toCommit and fromCommit parameters are "
                                                       "required in the query string")));
        return;
    }

    std::optional<ScmHost> host;
    for (const ScmHost &configured : service->hosts()) {
        if (configured.kind == kind) {
            host = configured;
            break;
        }
    }
    if (!host) {
        responder.send(
            http::errorReply(http::ErrorKind::NotFound,
                             QStringLiteral("No %1 server is configured.").arg(scmKindName(kind))));
        return;
    }

    ScmRepository repository;
    repository.kind = kind;
    repository.webUrl = host->webUrl;
    repository.owner = request.parameter(u"projectKey");
    repository.name = request.parameter(u"repoSlug");

    ScmCompareOptions options;
    options.withFiles = false;
    bool numbered = false;
    const int limit = request.queryValue(u"limit").value_or(QString()).toInt(&numbered);
    if (numbered && limit > 0)
        options.maxCommits = limit;

    // The first answer wins: the comparison's, or the budget's 503.
    QTimer::singleShot(budgetMs, service, [responder, budgetMs] {
        responder.send(http::errorReply(http::ErrorKind::Unavailable,
                                        QStringLiteral("The SCM server did not answer within "
                                                       "%1 s.")
                                            .arg(budgetMs / 1000.0)));
    });

    // igor's from is the newer side, to the older.
    const QString baseUrl = host->webUrl.toString(QUrl::StripTrailingSlash);
    service->compare(repository, to, from, options)
        .then(
            service,
            [responder, repository, kind, from, to, baseUrl](const Result<ScmComparison> &result) {
                if (result.ok()) {
                    responder.send(http::jsonReply(compact(igorCommits(result.value(), kind))));
                    return;
                }
                // The compare client has logged why.
                responder.send(http::jsonReply(compact(
                    igorCommitsNotFound(repository.owner, repository.name, from, to, baseUrl))));
            });
}

} // namespace

bool addCompareCommitsRoutes(IgorServer &server, ScmCompareService *service, int budgetMs)
{
    const QPointer<ScmCompareService> guarded(service);
    bool added = true;
    for (const ScmKind kind :
         {ScmKind::BitbucketServer, ScmKind::GitHub, ScmKind::GitLab, ScmKind::BitbucketCloud}) {
        const QString prefix = igorPrefix(kind);
        added = server.addDeferredRoute(
                    http::Method::Get,
                    QLatin1Char('/') + prefix
                        + QLatin1String("/{projectKey}/{repoSlug}/compareCommits"),
                    [guarded, kind, budgetMs](const http::Request &request,
                                              http::Responder responder) {
                        answer(guarded, kind, budgetMs, request, responder);
                    },
                    service)
            && added;
    }
    return added;
}

} // namespace cic::scm
