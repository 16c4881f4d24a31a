#pragma once

#include "api/saleshandy/SaleshandyClient.h"
#include "domain/Saleshandy.h"

// Fields (SALESHANDY.md §5), prospects (§3.1, §3.3) and tags (§6).
namespace lb::sh {

/// GET /v1/fields[?systemFields=true]
class ListFieldsRequest final : public SaleshandyRequest
{
    Q_OBJECT

public:
    /// With `includeSystemFields`, First Name, Email, ... come too; without, custom fields only.
    explicit ListFieldsRequest(SaleshandyClient &client, bool includeSystemFields = true,
                               QObject *parent = nullptr);
    [[nodiscard]] const QList<SaleshandyField> &fields() const { return m_fields; }

protected:
    bool parsePayload(const QJsonValue &payload, QString *why) override;

private:
    QList<SaleshandyField> m_fields;
};

/// What a new custom field is.
struct FieldSpec
{
    QString label;
    QString fieldType = QStringLiteral("text"); ///< text | number | date | long-text | dropdown | currency
    QString fallbackText;
    QStringList options;  ///< dropdown only, at most 50
    QString currencyCode; ///< currency only, ISO 4217 from Saleshandy's list
};

/// POST /v1/fields (201). Not idempotent: labels are unique and a repeat is refused with 400
/// "A field with the label … already exists". That answer fails the request with
/// ApiError::Kind::Conflict and alreadyExists() true: read the field list back
/// (ListFieldsRequest) and adopt the field with that label.
class CreateFieldRequest final : public SaleshandyRequest
{
    Q_OBJECT

public:
    CreateFieldRequest(SaleshandyClient &client, const FieldSpec &spec, QObject *parent = nullptr);
    [[nodiscard]] const SaleshandyField &field() const { return m_field; }
    /// Failed because a field with this label exists (error().kind == ApiError::Kind::Conflict).
    [[nodiscard]] bool alreadyExists() const
    {
        return isFinished() && error().kind == ApiError::Kind::Conflict;
    }
    [[nodiscard]] QString label() const { return m_label; }

protected:
    bool parsePayload(const QJsonValue &payload, QString *why) override;

private:
    SaleshandyField m_field;
    QString m_label;
};

/// Parameters of GET /v1/prospects. Saleshandy's spec marks pageSize, sort and sortBy as required:
/// all three are always sent.
struct ProspectQuery
{
    int page = 1;       ///< 1-based
    int pageSize = 100; ///< 10 | 20 | 50 | 100
    QString search;     ///< matches First Name, Last Name and Email
    bool ascending = true;
    QString sortBy = QStringLiteral("createdAt"); ///< createdAt | owner
    bool includeCustomFields = true;
};

/// GET /v1/prospects: one page. There is no total: a page shorter than pageSize is the last.
class ListProspectsRequest final : public SaleshandyRequest
{
    Q_OBJECT

public:
    ListProspectsRequest(SaleshandyClient &client, const ProspectQuery &query, QObject *parent = nullptr);
    [[nodiscard]] const QList<Prospect> &prospects() const { return m_prospects; }
    [[nodiscard]] bool isLastPage() const { return m_itemsOnPage < m_pageSize; }

protected:
    bool parsePayload(const QJsonValue &payload, QString *why) override;

private:
    QList<Prospect> m_prospects;
    int m_pageSize = 0;
    int m_itemsOnPage = 0;
};

/// GET /v1/prospects?search=<email>, keeping only prospects whose email equals `email`
/// (case-insensitive): the search matches parts of names and emails too, and there is no exact lookup.
class SearchProspectsByEmailRequest final : public SaleshandyRequest
{
    Q_OBJECT

public:
    SearchProspectsByEmailRequest(SaleshandyClient &client, const QString &email, QObject *parent = nullptr);
    [[nodiscard]] const QList<Prospect> &matches() const { return m_matches; }
    [[nodiscard]] bool found() const { return !m_matches.isEmpty(); }
    /// The first exact match; an empty prospect when there is none.
    [[nodiscard]] Prospect prospect() const
    {
        return m_matches.isEmpty() ? Prospect() : m_matches.constFirst();
    }
    [[nodiscard]] QString email() const { return m_email; }

protected:
    bool parsePayload(const QJsonValue &payload, QString *why) override;

private:
    QString m_email;
    QList<Prospect> m_matches;
};

/// POST /v1/prospects/tags/assign: tags (created if missing) onto prospects by id and/or email.
/// Idempotent: assigning a tag twice leaves it assigned once. Whether Saleshandy answers a repeat
/// with 201 or with 400 "… already assigned" is unconfirmed [?] (the sandbox answers 400 when
/// nothing is new); either finishes ok, the latter with alreadyDone() true.
class AssignTagsRequest final : public SaleshandyRequest
{
    Q_OBJECT

public:
    AssignTagsRequest(SaleshandyClient &client, const QStringList &tags, const QStringList &prospectIds,
                      const QStringList &prospectEmails = {}, QObject *parent = nullptr);
    [[nodiscard]] bool isIdempotent() const override { return true; }
    /// Ok because every tag was on every prospect already.
    [[nodiscard]] bool alreadyDone() const { return m_alreadyDone; }

protected:
    bool parsePayload(const QJsonValue &payload, QString *why) override;
    bool acceptAsAlreadyDone(const ApiError &error) override;

private:
    bool m_alreadyDone = false;
};

/// POST /v1/prospects/tags/un-assign, the mirror of assign (its body is unconfirmed [?]). A 400
/// "… not assigned" (none of the tags was there) finishes ok with alreadyDone() true.
class UnassignTagsRequest final : public SaleshandyRequest
{
    Q_OBJECT

public:
    UnassignTagsRequest(SaleshandyClient &client, const QStringList &tags, const QStringList &prospectIds,
                        const QStringList &prospectEmails = {}, QObject *parent = nullptr);
    [[nodiscard]] bool isIdempotent() const override { return true; }
    /// Ok because none of the tags was on the prospects.
    [[nodiscard]] bool alreadyDone() const { return m_alreadyDone; }

protected:
    bool parsePayload(const QJsonValue &payload, QString *why) override;
    bool acceptAsAlreadyDone(const ApiError &error) override;

private:
    bool m_alreadyDone = false;
};

/// One field value to write with UpdateProspectAttributesRequest.
struct AttributeValue
{
    QString fieldId; ///< from ListFieldsRequest, never hard-coded
    QString value;
};

/// POST /v1/prospects/{prospectId}/attribute with the `attributes` list. Saleshandy answers per
/// field: check allSucceeded() or failedFieldIds(), a 201 alone does not mean every value was taken.
class UpdateProspectAttributesRequest final : public SaleshandyRequest
{
    Q_OBJECT

public:
    UpdateProspectAttributesRequest(SaleshandyClient &client, const QString &prospectId,
                                    const QList<AttributeValue> &values, QObject *parent = nullptr);
    /// Setting the same values again changes nothing.
    [[nodiscard]] bool isIdempotent() const override { return true; }
    [[nodiscard]] bool allSucceeded() const { return m_failed.isEmpty(); }
    [[nodiscard]] const QStringList &failedFieldIds() const { return m_failed; }

protected:
    bool parsePayload(const QJsonValue &payload, QString *why) override;

private:
    QStringList m_requested;
    QStringList m_failed;
};

} // namespace lb::sh
