#include "net/ApiError.h"

namespace lb {

bool ApiError::isServiceProblem() const
{
    switch (kind) {
    case Kind::Unreachable:
    case Kind::Timeout:
    case Kind::RateLimited:
    case Kind::QuotaExhausted:
    case Kind::Server:
        return true;
    default:
        return false;
    }
}

int ApiError::exitCode() const
{
    if (kind == Kind::None)
        return 0;
    if (kind == Kind::Auth || kind == Kind::Forbidden)
        return 3;
    if (isServiceProblem())
        return 4;
    return 1;
}

QString ApiError::fullText() const
{
    QString text = message;
    if (!detail.isEmpty() && !message.contains(detail))
        text += QStringLiteral(" (") + detail + QLatin1Char(')');
    QStringList ids;
    if (!requestId.isEmpty())
        ids << tr("request %1").arg(requestId);
    if (!traceId.isEmpty())
        ids << tr("trace %1").arg(traceId);
    if (!ids.isEmpty())
        text += QStringLiteral(" [") + ids.join(QStringLiteral(", ")) + QLatin1Char(']');
    return text;
}

QString ApiError::kindName(Kind kind)
{
    switch (kind) {
    case Kind::None:
        return QStringLiteral("none");
    case Kind::Unreachable:
        return QStringLiteral("unreachable");
    case Kind::Timeout:
        return QStringLiteral("timeout");
    case Kind::Auth:
        return QStringLiteral("auth");
    case Kind::Forbidden:
        return QStringLiteral("forbidden");
    case Kind::NotFound:
        return QStringLiteral("not-found");
    case Kind::RateLimited:
        return QStringLiteral("rate-limited");
    case Kind::QuotaExhausted:
        return QStringLiteral("quota-exhausted");
    case Kind::Server:
        return QStringLiteral("server");
    case Kind::BadRequest:
        return QStringLiteral("bad-request");
    case Kind::Validation:
        return QStringLiteral("validation");
    case Kind::Malformed:
        return QStringLiteral("malformed");
    case Kind::Cancelled:
        return QStringLiteral("cancelled");
    case Kind::Conflict:
        return QStringLiteral("conflict");
    }
    return QStringLiteral("unknown");
}

} // namespace lb
