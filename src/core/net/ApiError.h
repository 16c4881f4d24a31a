#pragma once

#include <QCoreApplication>
#include <QString>

namespace lb {

/// What went wrong with an API call, typed for code and worded for a person.
struct ApiError
{
    enum class Kind {
        None,
        Unreachable,    ///< connection refused, host not found, connection dropped
        Timeout,        ///< no complete answer within the transfer timeout
        Auth,           ///< 401 after any refresh: the token or key is wrong, expired or revoked
        Forbidden,      ///< 403: the token lacks a scope
        NotFound,       ///< 404
        RateLimited,    ///< still 429 after the allowed waits
        QuotaExhausted, ///< the daily budget is spent; nothing can succeed until it resets
        Server,         ///< 5xx after the allowed retries
        BadRequest,     ///< 400 and other 4xx: the request itself is wrong
        Validation,     ///< 422: the service rejected a field value
        Malformed,      ///< the response could not be read (bad or truncated JSON, wrong shape)
        Cancelled,      ///< aborted by the user or by shutdown
        /// The record to create exists already (e.g. Saleshandy's 400 "A field with the label …
        /// already exists"): read it back and use it. Appended last so that stored kinds keep their numbers.
        Conflict,
    };

    Kind kind = Kind::None;
    int httpStatus = 0;
    QString message;     ///< one sentence for the user, naming the service and what to do
    QString detail;      ///< the service's own words (e.g. GHL's `message`), may be empty
    QString requestId;   ///< ours, on every log line
    QString traceId;     ///< the service's, for its support
    int serviceCode = 0; ///< the service's own error number (Saleshandy's 1001, 40000, ...), 0 if none

    [[nodiscard]] bool isOk() const { return kind == Kind::None; }
    /// Unreachable, Timeout, RateLimited, QuotaExhausted and Server: the service, not the data.
    [[nodiscard]] bool isServiceProblem() const;
    /// The CLI exit code of DESIGN.md: 3 authentication, 4 unreachable or over quota, else 1.
    [[nodiscard]] int exitCode() const;
    /// message, then detail and the ids in brackets: for logs and the CLI.
    [[nodiscard]] QString fullText() const;
    [[nodiscard]] static QString kindName(Kind kind);

    Q_DECLARE_TR_FUNCTIONS(lb::ApiError)
};

} // namespace lb
