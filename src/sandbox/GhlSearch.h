#pragma once

#include "sandbox/GhlData.h"

#include <QJsonObject>
#include <QStringList>

#include <functional>
#include <optional>

namespace lb::sandbox {

/// `POST /contacts/search` (GHL.md §4.1): validation of the body, filters, sort and both paging
/// modes over GhlData's sorted indexes.
class ContactSearch final
{
public:
    static constexpr int maxPageLimit = 500;
    static constexpr int pageModeWindow = 10000; ///< page mode cannot reach past this many records
    static constexpr int maxStringLength = 75;

    /// Parses the body. On a validation error returns nullopt and fills `errors` (the messages of
    /// GHL's 422 body, an array).
    [[nodiscard]] static std::optional<ContactSearch> parse(const QJsonObject &body, QStringList *errors);

    /// {contacts:[... each with searchAfter:[sortMs, id]], total}.
    [[nodiscard]] QJsonObject run(const GhlData &data) const;

    [[nodiscard]] const QString &locationId() const { return m_locationId; }

    using Predicate = std::function<bool(const Contact &)>;

private:
    QString m_locationId;
    int m_pageLimit = 20;
    int m_page = 0; ///< 0: not in page mode
    bool m_hasCursor = false;
    qint64 m_cursorMs = 0;
    QString m_cursorId;
    GhlData::DateField m_sortField = GhlData::DateField::Added;
    bool m_descending = true;
    std::vector<Predicate> m_predicates; ///< ANDed
    QString m_query;
    // A range on the sort field at the top level narrows the scan to a slice of the index.
    std::optional<qint64> m_lowMs, m_highMs; ///< inclusive bounds in ms
};

} // namespace lb::sandbox
