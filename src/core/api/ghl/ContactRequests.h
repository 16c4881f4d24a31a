#pragma once

#include "api/ghl/GhlClient.h"
#include "domain/Contact.h"

namespace lb::ghl {

/// Parameters of POST /contacts/search in cursor mode (GHL.md §4.1).
struct SearchContactsParams
{
    int pageLimit = 500; ///< GHL's maximum
    /// Only contacts with dateUpdated >= this (epoch ms); 0: no filter.
    qint64 updatedFromMs = 0;
    /// The `searchAfter` of the previous page's last contact; empty on the first page.
    QJsonArray searchAfter;
    QString query; ///< free text, at most 75 characters
};

/// POST /contacts/search, sorted by dateUpdated ascending (id breaks ties), one page.
class SearchContactsRequest final : public GhlRequest
{
    Q_OBJECT

public:
    SearchContactsRequest(GhlClient &client, const SearchContactsParams &params, QObject *parent = nullptr);
    /// Reading the whole location is harmless to repeat.
    [[nodiscard]] bool isIdempotent() const override { return true; }

    [[nodiscard]] const QList<Contact> &contacts() const { return m_contacts; }
    [[nodiscard]] int total() const { return m_total; }
    /// Items of the page that could not be read as a contact (no id, not an object), with why.
    [[nodiscard]] const QStringList &skipped() const { return m_skipped; }
    /// The cursor for the next page: the last contact's searchAfter, empty when the page was the last.
    [[nodiscard]] QJsonArray nextSearchAfter() const;
    [[nodiscard]] int pageLimit() const { return m_pageLimit; }

protected:
    bool parse(const QJsonDocument &body, QString *why) override;

private:
    QList<Contact> m_contacts;
    QStringList m_skipped;
    int m_total = -1;
    int m_pageLimit = 0;
    int m_itemsOnPage = 0;
    QJsonArray m_lastSearchAfter;
};

/// GET /contacts/{contactId}. An answer about another id is a wrong shape (retried like any
/// unreadable answer).
class GetContactRequest final : public GhlRequest
{
    Q_OBJECT

public:
    GetContactRequest(GhlClient &client, const QString &contactId, QObject *parent = nullptr);
    [[nodiscard]] const Contact &contact() const { return m_contact; }

protected:
    bool parse(const QJsonDocument &body, QString *why) override;

private:
    QString m_contactId;
    Contact m_contact;
};

/// The body of a contact create, update or upsert: only the fields GHL's DTO has, custom fields
/// as `{id, field_value}`. Updates leave out `tags` (it would replace them all; use the tag calls)
/// and `companyName` (absent from UpdateContactDto).
enum class ContactWrite { Create, Update, Upsert };
[[nodiscard]] QJsonObject contactWriteBody(const Contact &contact, ContactWrite mode);

/// POST /contacts/ (201)
class CreateContactRequest final : public GhlRequest
{
    Q_OBJECT

public:
    CreateContactRequest(GhlClient &client, const Contact &contact, QObject *parent = nullptr);
    [[nodiscard]] const Contact &contact() const { return m_contact; }

protected:
    bool parse(const QJsonDocument &body, QString *why) override;

private:
    Contact m_contact;
};

/// PUT /contacts/{contactId}
class UpdateContactRequest final : public GhlRequest
{
    Q_OBJECT

public:
    UpdateContactRequest(GhlClient &client, const Contact &contact, QObject *parent = nullptr);
    [[nodiscard]] const Contact &contact() const { return m_contact; }

protected:
    bool parse(const QJsonDocument &body, QString *why) override;

private:
    Contact m_contact;
};

/// DELETE /contacts/{contactId}
class DeleteContactRequest final : public GhlRequest
{
    Q_OBJECT

public:
    DeleteContactRequest(GhlClient &client, const QString &contactId, QObject *parent = nullptr);

protected:
    bool parse(const QJsonDocument &body, QString *why) override;
};

/// POST /contacts/upsert: matched by the location's duplicate rules (email, phone).
class UpsertContactRequest final : public GhlRequest
{
    Q_OBJECT

public:
    UpsertContactRequest(GhlClient &client, const Contact &contact, QObject *parent = nullptr);
    /// An upsert finds the existing contact, so sending it twice is harmless.
    [[nodiscard]] bool isIdempotent() const override { return true; }
    [[nodiscard]] const Contact &contact() const { return m_contact; }
    [[nodiscard]] bool created() const { return m_created; }

protected:
    bool parse(const QJsonDocument &body, QString *why) override;

private:
    Contact m_contact;
    bool m_created = false;
};

/// GET /contacts/business/{businessId}?locationId=&limit=&skip=&query=
class ContactsByBusinessRequest final : public GhlRequest
{
    Q_OBJECT

public:
    ContactsByBusinessRequest(GhlClient &client, const QString &businessId, int limit = 25, int skip = 0,
                              const QString &query = {}, QObject *parent = nullptr);
    [[nodiscard]] const QList<Contact> &contacts() const { return m_contacts; }
    [[nodiscard]] int count() const { return m_count; }

protected:
    bool parse(const QJsonDocument &body, QString *why) override;

private:
    QList<Contact> m_contacts;
    int m_count = 0;
};

/// POST /contacts/{contactId}/tags (201); the answer is the resulting tag set.
class AddTagsRequest final : public GhlRequest
{
    Q_OBJECT

public:
    AddTagsRequest(GhlClient &client, const QString &contactId, const QStringList &tags,
                   QObject *parent = nullptr);
    /// Adding a tag that is there already changes nothing.
    [[nodiscard]] bool isIdempotent() const override { return true; }
    [[nodiscard]] const QStringList &tags() const { return m_tags; }

protected:
    bool parse(const QJsonDocument &body, QString *why) override;

private:
    QStringList m_tags;
};

/// DELETE /contacts/{contactId}/tags with a JSON body; the answer is the resulting tag set.
class RemoveTagsRequest final : public GhlRequest
{
    Q_OBJECT

public:
    RemoveTagsRequest(GhlClient &client, const QString &contactId, const QStringList &tags,
                      QObject *parent = nullptr);
    [[nodiscard]] const QStringList &tags() const { return m_tags; }

protected:
    bool parse(const QJsonDocument &body, QString *why) override;

private:
    QStringList m_tags;
};

} // namespace lb::ghl
