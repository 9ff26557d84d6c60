// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <utility>
#include <variant>

namespace cic {

// What went wrong, in words a user can act on.
struct Error
{
    QString message;
};

// A value or the reason there is none. The core returns these instead of throwing.
template<typename T>
class Result
{
public:
    // Empty until set; QFuture needs a default-constructible result.
    Result() : m_state(Error{QStringLiteral("no result")}) { }
    Result(T value) : m_state(std::move(value)) { }
    Result(Error error) : m_state(std::move(error)) { }

    bool ok() const { return std::holds_alternative<T>(m_state); }
    explicit operator bool() const { return ok(); }

    const T &value() const & { return std::get<T>(m_state); }
    T &value() & { return std::get<T>(m_state); }
    T &&value() && { return std::get<T>(std::move(m_state)); }
    const T &operator*() const & { return value(); }
    const T *operator->() const { return &value(); }

    QString error() const { return ok() ? QString() : std::get<Error>(m_state).message; }

private:
    std::variant<T, Error> m_state;
};

} // namespace cic
