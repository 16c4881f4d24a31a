#pragma once

#include "api/saleshandy/SaleshandyClient.h"
#include "domain/Saleshandy.h"

#include <QMap>

// The asynchronous prospect import by field name (SALESHANDY.md §3.2): start, poll, read the report.
namespace lb::sh {

/// One prospect to import: field label → value ("First Name" → "Jon"); labels must exist.
using ProspectRow = QMap<QString, QString>;

struct ImportParams
{
    QList<ProspectRow> rows;
    ConflictAction conflictAction = ConflictAction::Overwrite;
    /// Always sent: the live API answered 400 "must be a boolean value" when it was left out.
    bool verifyProspects = false;
    QStringList tags; ///< assigned to every imported prospect; missing tags are created
    /// With a step: POST /v1/sequences/prospects/import-with-field-name (the step names the
    /// sequence); without: POST /v1/prospects/import-with-field-name.
    QString stepId;
};

/// Starts an import; 201 means "job accepted", not "prospects imported": poll ImportStatusRequest
/// with requestId(). Retried after ambiguous failures (5xx, a connection dropped after sending):
/// see isIdempotent().
class ImportProspectsRequest final : public SaleshandyRequest
{
    Q_OBJECT

public:
    ImportProspectsRequest(SaleshandyClient &client, const ImportParams &params, QObject *parent = nullptr);
    /// Retry-safe: Saleshandy keys prospects by email (case-insensitive), so a repeated import
    /// updates the prospects the first one created instead of duplicating them, and its
    /// conflictAction, values and tags are the same. A lost first job at worst runs twice to the
    /// same result. The import of another row set is a different request, never a repeat.
    [[nodiscard]] bool isIdempotent() const override { return true; }
    /// Saleshandy's job id (its `requestId`), for ImportStatusRequest.
    [[nodiscard]] QString importId() const { return m_importId; }
    /// The same as importId(). Note: this hides ApiRequest::requestId(), our log id; reach that one
    /// through an ApiRequest pointer. Prefer importId().
    [[nodiscard]] QString requestId() const { return m_importId; }
    [[nodiscard]] bool intoSequence() const { return m_intoSequence; }

protected:
    bool parsePayload(const QJsonValue &payload, QString *why) override;

private:
    QString m_importId;
    bool m_intoSequence = false;
};

/// GET /v1/prospects/import-status/{requestId}. Accepts the bare and the payload-wrapped answer,
/// and the report link as `reportURL` or `failedProspectsURL`. An unknown id is NotFound (code 40000).
class ImportStatusRequest final : public SaleshandyRequest
{
    Q_OBJECT

public:
    ImportStatusRequest(SaleshandyClient &client, const QString &requestId, QObject *parent = nullptr);
    [[nodiscard]] const ImportStatus &status() const { return m_status; }

protected:
    bool parsePayload(const QJsonValue &payload, QString *why) override;

private:
    ImportStatus m_status;
};

/// GETs an import's failed-rows CSV from the URL the status gave (absolute, possibly on another
/// host: the API key is sent only to Saleshandy's own host) and reads rows into {email, reason}.
/// A report that is cut off or garbled (not UTF-8, control characters, an open quote, a row with
/// more or fewer cells than the header, no Email column) is unreadable and retried like a GET
/// whose JSON is broken; an empty file means that no row failed.
class FetchImportReportRequest final : public SaleshandyRequest
{
    Q_OBJECT

public:
    FetchImportReportRequest(SaleshandyClient &client, const QString &reportUrl, QObject *parent = nullptr);
    [[nodiscard]] QUrl requestUrl() const override { return m_url; }
    [[nodiscard]] QByteArray acceptHeader() const override { return QByteArrayLiteral("text/csv, */*"); }
    [[nodiscard]] bool expectsJson() const override { return false; }
    [[nodiscard]] bool needsAuthorization() const override;
    [[nodiscard]] QString describe() const override { return QStringLiteral("GET {import report}"); }

    [[nodiscard]] const QList<ImportFailure> &failures() const { return m_failures; }
    /// Every row as column → value, for logs.
    [[nodiscard]] const QList<QMap<QString, QString>> &rows() const { return m_rows; }

protected:
    bool parsePayload(const QJsonValue &payload, QString *why) override;
    bool parseRaw(const QByteArray &body, QString *why) override;

private:
    QUrl m_url;
    QList<ImportFailure> m_failures;
    QList<QMap<QString, QString>> m_rows;
};

/// RFC 4180 CSV (quotes, doubled quotes, CRLF or LF, a UTF-8 BOM) into rows of fields.
/// `complete`, if given, is false when the data ends inside a quoted field (a cut-off file).
[[nodiscard]] QList<QStringList> parseCsv(const QByteArray &data, bool *complete = nullptr);

} // namespace lb::sh
