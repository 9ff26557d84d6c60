// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHostAddress>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QList>
#include <QUrl>
#include <QUrlQuery>

#include <memory>

// An SCM server's REST API, canned: each answer is found by the exact (encoded) path and the
// query items it must carry; anything else is a 404 as the servers send it. It listens on
// loopback, port 0, and remembers every request.
class FakeScmServer
{
public:
    struct Answer
    {
        QString path; // encoded, as on the wire
        QList<QPair<QString, QString>> query; // items that must be present, decoded
        int status = 200;
        QByteArray body;
        QByteArray contentType = "application/json";
        QList<QPair<QByteArray, QByteArray>> headers;
    };

    struct Seen
    {
        QString path;
        QUrlQuery query;
        QByteArray authorization;
        QByteArray privateToken;
    };

    FakeScmServer()
        : m_state(std::make_shared<State>())
    {
        const std::shared_ptr<State> state = m_state;
        m_routed
            = m_server.route("/<arg>", [state](const QUrl &, const QHttpServerRequest &request) {
                  return state->answer(request);
              });
        m_port = m_server.listen(QHostAddress::LocalHost, 0);
    }

    bool isListening() const { return m_routed && m_port != 0; }
    QUrl url(const QString &path = {}) const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_port).arg(path));
    }

    void on(const Answer &answer) { m_state->answers.append(answer); }
    void on(const QString &path, const QList<QPair<QString, QString>> &query,
            const QByteArray &body, int status = 200,
            const QList<QPair<QByteArray, QByteArray>> &headers = {})
    {
        on(Answer{path, query, status, body, "application/json", headers});
    }

    const QList<Seen> &seen() const { return m_state->seen; }
    QStringList seenPaths() const
    {
        QStringList paths;
        for (const Seen &request : m_state->seen)
            paths.append(request.path + QLatin1Char('?') + request.query.query(QUrl::FullyDecoded));
        return paths;
    }

private:
    struct State
    {
        QList<Answer> answers;
        QList<Seen> seen;

        QHttpServerResponse answer(const QHttpServerRequest &request)
        {
            const QString path = request.url().path(QUrl::FullyEncoded);
            const QUrlQuery query(request.url());
            seen.append(
                {path, query, request.value("Authorization"), request.value("PRIVATE-TOKEN")});

            for (const Answer &answer : std::as_const(answers)) {
                if (answer.path != path)
                    continue;
                bool matches = true;
                for (const auto &[key, value] : answer.query)
                    matches = matches && query.queryItemValue(key, QUrl::FullyDecoded) == value;
                if (!matches)
                    continue;
                QHttpServerResponse response(answer.contentType, answer.body,
                                             QHttpServerResponse::StatusCode(answer.status));
                for (const auto &[name, value] : answer.headers)
                    response.addHeader(name, value);
                return response;
            }
            return QHttpServerResponse("application/json", R"({"message":"Not Found"})",
                                       QHttpServerResponse::StatusCode::NotFound);
        }
    };

    QHttpServer m_server;
    std::shared_ptr<State> m_state;
    bool m_routed = false;
    quint16 m_port = 0;
};
