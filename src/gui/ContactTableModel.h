#pragma once

#include "domain/Contact.h"
#include "store/ContactStore.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>

namespace lb::gui {

/// The contacts of one location as a table, read from the store a page at a time.
///
/// A window over the database rather than a list in memory: rowCount() is the store's count for
/// the current search, and data() loads the page a row falls in (PageSize rows) on first use,
/// keeping the most recently used pages. Scrolling through 100,000 contacts never holds more than
/// a few thousand. Search and sort are the store's (ContactQuery), since only the database sees
/// every row; that is also why no QSortFilterProxyModel sits on top of this model.
class ContactTableModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ContactTableModel)

public:
    enum Column { Name, Email, Phone, Company, City, Tags, DateAdded, DateUpdated, ColumnCount };
    Q_ENUM(Column)

    enum Role {
        ContactIdRole = Qt::UserRole, ///< QString
        TagsRole,                     ///< QStringList
        SortableRole,                 ///< bool, on the header: whether the column can be sorted
    };

    static constexpr int PageSize = 100;
    static constexpr int MaxCachedPages = 40;

    explicit ContactTableModel(QObject *parent = nullptr);
    ~ContactTableModel() override;

    /// Not owned; null shows nothing. Resets the model.
    void setStore(ContactStore *store, const QString &locationId);
    [[nodiscard]] ContactStore *store() const { return m_store; }

    /// Matches name, email, phone, company and tags (the store's search). Resets the model.
    void setSearch(const QString &text);
    [[nodiscard]] QString search() const { return m_query.search; }
    [[nodiscard]] ContactQuery query() const { return m_query; }

    /// Sorts in the database. The Tags column cannot be sorted: the call is ignored.
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;
    [[nodiscard]] static bool isSortable(int column);
    [[nodiscard]] int sortColumn() const { return m_sortColumn; }
    [[nodiscard]] Qt::SortOrder sortOrder() const { return m_sortOrder; }

    /// Reads the count again and drops the cached pages: after a pull, or a change made elsewhere.
    /// Rows keep their place when the count is unchanged (no reset, so the selection stays).
    void reload();
    /// Removes the row of a contact that is gone from the store, if it is loaded; else reloads.
    void contactRemoved(const QString &contactId);

    /// The row of the contact among the loaded pages, -1 when not loaded.
    [[nodiscard]] int rowOfContact(const QString &contactId) const;
    [[nodiscard]] QString contactId(int row) const;
    /// The last store error as a sentence; empty when the last read worked.
    [[nodiscard]] QString lastError() const { return m_lastError; }

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                      int role = Qt::DisplayRole) const override;
    [[nodiscard]] Qt::ItemFlags flags(const QModelIndex &index) const override;

Q_SIGNALS:
    /// After a reset or reload, with the new row count (for "1,234 contacts").
    void countChanged(int count);

private:
    [[nodiscard]] const Contact *contactAt(int row) const;
    [[nodiscard]] int countFromStore() const;
    void clearCache() const;

    ContactStore *m_store = nullptr;
    ContactQuery m_query;
    int m_count = 0;
    int m_sortColumn = Name;
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;
    // Loaded lazily from const data(): the cache is not part of the model's observable state.
    mutable QHash<int, QList<Contact>> m_pages;
    mutable QList<int> m_recent; ///< page numbers, most recent last
    mutable QString m_lastError;
};

} // namespace lb::gui
