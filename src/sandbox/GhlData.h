#pragma once

#include "domain/Contact.h"

#include <QHash>
#include <QList>
#include <QRandomGenerator>
#include <QString>
#include <QStringList>

#include <functional>
#include <vector>

namespace lb::sandbox {

/// The simulated location's data: contacts, their tasks, notes and appointments, and the custom
/// field definitions, generated from a seed. Contacts live in a vector (slots) with an id index and
/// two indexes sorted by (date, id) for search. Children of generated contacts are derived from a
/// per-contact seed on demand and stored only once something changes them, which keeps 100,000
/// contacts fast to generate and small in memory.
///
/// The data is at least as messy as real imports. Everywhere: names, cities and companies in many
/// scripts (Latin with diacritics, Cyrillic, Greek, Arabic, Hebrew, CJK, Devanagari, Thai), ~3 %
/// without email, ~2 % with an invalid one, ~1 % sharing one, empty names, quotes and emoji, a 64 KiB
/// LARGE_TEXT value and a 64 KiB note on a few contacts. On top, from a generator of their own (so
/// the rest of the data stays as it was), the classes of Mess, a few percent each (see messCount(),
/// messyContacts() and isMessy()).
class GhlData final
{
public:
    enum class DateField { Added, Updated };

    /// Classes of mess. A contact is in at most one of the contact classes (NationalPhone …
    /// Scripts) and independently maybe in a note class. Every contact of a shared-email group
    /// (the copy and the contact it copies) has at least one task and one note of its own.
    enum class Mess {
        NationalPhone,     ///< "030 12345678" (DE), "(212) 555-0147" (US), "020 7946 0958" (GB),
                           ///< "06 12 34 56 78" (FR); country (and city) set to match
        PhoneExtension,    ///< "+1 415-555-0134 ext. 89" (US), "030 1234567 x12" (DE),
                           ///< "+44 20 7946 0123 #12" (GB)
        PhoneNoCountry,    ///< a national number ("0151 23456789", "(415) 555-0134", "07700 900123")
                           ///< and an empty country
        PhoneTrunkPrefix,  ///< "+44 (0)20 7946 0958" (GB), "+49 (0)30 12345678" (DE)
        PhoneRareCode,     ///< valid international numbers with rare codes: +353, +971, +886,
                           ///< +1 268, +298 (the country stays the contact's own)
        LongLargeText,     ///< exactly 5,000 characters in the LARGE_TEXT field "Background"
        LongCompany,       ///< a companyName of 300+ characters
        LongAddress,       ///< an address1 of 300+ characters
        SharedEmailExact,  ///< exactly the email of another contact
        SharedEmailCase,   ///< another contact's email in other letter case ("Anna.Lee3@Example.com")
        SharedEmailSpaces, ///< another contact's email with spaces around it
        Scripts,           ///< names and company with emoji ZWJ sequences and skin tones,
                           ///< combining marks (NFD), zero-width characters, RTL and every script above
        HtmlNote,          ///< an extra note in HTML: <p>, <br>, <b>, &amp; entities, a <script> tag
        HugeHtmlNote,      ///< an extra HTML note of 20 kB
        Count
    };

    GhlData();

    /// Replaces everything with `count` contacts generated from `seed`. Dates spread over the two
    /// years before `referenceMs` (the sandbox uses midnight UTC of the start day, so one seed gives
    /// the same data all day).
    void generate(quint32 seed, int count, const QString &locationId, qint64 referenceMs);

    [[nodiscard]] int contactCount() const { return int(m_byId.size()); }
    [[nodiscard]] const Contact *contact(const QString &id) const;
    /// Every live contact, in creation order.
    [[nodiscard]] QList<Contact> contacts() const;
    [[nodiscard]] QStringList contactIds() const;
    [[nodiscard]] const QList<CustomField> &customFields() const { return m_fields; }
    [[nodiscard]] const QStringList &tagPool() const { return m_tagPool; }
    [[nodiscard]] ContactChildren children(const QString &contactId) const;
    [[nodiscard]] const QString &locationId() const { return m_locationId; }
    [[nodiscard]] qint64 referenceMs() const { return m_referenceMs; }

    /// Slots sorted ascending by (date, id); the tie-breaker makes `searchAfter` cursors exact.
    [[nodiscard]] const std::vector<int> &index(DateField field) const;
    [[nodiscard]] const Contact &at(int slot) const { return m_slots[size_t(slot)]; }
    [[nodiscard]] static qint64 dateMs(const Contact &c, DateField field);
    /// Position of the first entry in the ascending index whose (date, id) is > (ms, id)
    /// (or >= when `inclusive`).
    [[nodiscard]] size_t lowerBound(DateField field, qint64 ms, const QString &id, bool inclusive) const;

    /// Applies `change` to the contact and sets its dateUpdated to `nowMs`, keeping the index in
    /// order. False when there is no such contact.
    bool update(const QString &id, qint64 nowMs, const std::function<void(Contact &)> &change);
    /// Adds a contact with a new id (returned); dateAdded/dateUpdated are set to `nowMs`.
    QString insert(Contact contact, qint64 nowMs);
    bool remove(const QString &id);
    /// The contact's children, materialised so they can be changed. The contact must exist.
    ContactChildren &mutableChildren(const QString &contactId);

    /// A new GHL-style id (20 alphanumeric characters) from a generator apart from the data's.
    [[nodiscard]] QString newId();
    /// Contacts whose email (case-insensitive) or phone equals the given one.
    [[nodiscard]] QString findByEmail(const QString &email) const;
    [[nodiscard]] QString findByPhone(const QString &phone) const;
    /// Picks `n` distinct live contacts at random (from the runtime generator).
    [[nodiscard]] QStringList pickContacts(int n);
    [[nodiscard]] QString customFieldIdForKey(const QString &keyOrId) const;

    /// Live contacts of a mess class, in creation order.
    [[nodiscard]] QStringList messyContacts(Mess kind) const;
    [[nodiscard]] int messCount(Mess kind) const { return int(messyContacts(kind).size()); }
    [[nodiscard]] bool isMessy(const QString &contactId, Mess kind) const;
    /// For the shared-email classes: the contact whose email the given one copies; else empty.
    [[nodiscard]] QString sharedEmailSource(const QString &contactId) const;
    /// "NationalPhone", ...: for test output.
    [[nodiscard]] static QString messName(Mess kind);

private:
    void addMess(quint32 seed);
    void buildIndexes();
    void indexErase(DateField field, int slot);
    void indexInsert(DateField field, int slot);
    [[nodiscard]] ContactChildren generateChildren(int slot) const;

    QString m_locationId;
    qint64 m_referenceMs = 0;
    quint32 m_seed = 0;
    std::vector<Contact> m_slots;                // removed contacts leave an empty slot (empty id)
    std::vector<quint32> m_childSeeds;           // 0: no generated children (created over the API)
    std::vector<quint32> m_messFlags;            // per slot: bit n = Mess(n); kSharedEmailMember
    QHash<QString, QString> m_sharedEmailSource; // copy → the contact it copies
    QHash<QString, int> m_byId;
    std::vector<int> m_byAdded;
    std::vector<int> m_byUpdated;
    QHash<QString, ContactChildren> m_childOverrides;
    QList<CustomField> m_fields;
    QStringList m_tagPool;
    QStringList m_userIds;
    QRandomGenerator m_runtimeRandom;
};

} // namespace lb::sandbox
