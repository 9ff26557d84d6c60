// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/util/result.h"

#include <QFuture>
#include <QList>
#include <QObject>
#include <QPromise>

#include <memory>

// Small helpers for the request fan-outs providers make (one request per job, project or
// pipeline), over Qt 6.4's futures.
namespace cic::futures {

template<typename T> QFuture<Result<T>> ready(T value)
{
    return QtFuture::makeReadyFuture(Result<T>(std::move(value)));
}

template<typename T> QFuture<Result<T>> failed(const QString &message)
{
    return QtFuture::makeReadyFuture(Result<T>(Error{message}));
}

// Waits for every future and answers their results in order. A future that was cancelled
// (its promise dropped) counts as an error. The continuations run in `context`'s thread.
template<typename T>
QFuture<QList<Result<T>>> collect(QObject *context, const QList<QFuture<Result<T>>> &futures)
{
    if (futures.isEmpty())
        return QtFuture::makeReadyFuture(QList<Result<T>>());

    struct State
    {
        QPromise<QList<Result<T>>> promise;
        QList<Result<T>> results;
        qsizetype waiting = 0;

        void settle(qsizetype index, Result<T> result)
        {
            results[index] = std::move(result);
            if (--waiting == 0) {
                promise.addResult(std::move(results));
                promise.finish();
            }
        }
    };
    auto state = std::make_shared<State>();
    state->results.resize(futures.size());
    state->waiting = futures.size();
    state->promise.start();
    QFuture<QList<Result<T>>> all = state->promise.future();

    for (qsizetype i = 0; i < futures.size(); ++i) {
        QFuture<Result<T>> future = futures.at(i);
        future.then(context, [state, i](Result<T> result) { state->settle(i, std::move(result)); })
            .onCanceled(context, [state, i] {
                state->settle(i, Result<T>(Error{QStringLiteral("the request was cancelled")}));
            });
    }
    return all;
}

// A promise shared between the steps of a multi-request flow.
template<typename T> std::shared_ptr<QPromise<T>> makePromise()
{
    auto promise = std::make_shared<QPromise<T>>();
    promise->start();
    return promise;
}

template<typename T> void fulfil(const std::shared_ptr<QPromise<T>> &promise, T value)
{
    promise->addResult(std::move(value));
    promise->finish();
}

} // namespace cic::futures
