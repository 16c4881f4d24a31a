#include "gui/ContactTableModel.h"

#include <QLocale>

namespace lb::gui {

namespace {

std::optional<ContactSort> sortFor(int column)
{
    switch (column) {
    case ContactTableModel::Name:
        return ContactSort::Name;
    case ContactTableModel::Email:
        return ContactSort::Email;
    case ContactTableModel::Phone:
        return ContactSort::Phone;
    case ContactTableModel::Company:
        return ContactSort::Company;
    case ContactTableModel::City:
        return ContactSort::City;
    case ContactTableModel::DateAdded:
        return ContactSort::DateAdded;
    case ContactTableModel::DateUpdated:
        return ContactSort::DateUpdated;
    default:
        return std::nullopt;
    }
}

} // namespace

ContactTableModel::ContactTableModel(QObject *parent) : QAbstractTableModel(parent)
{
    m_query.limit = PageSize;
}

ContactTableModel::~ContactTableModel() = default;

void ContactTableModel::setStore(ContactStore *store, const QString &locationId)
{
    beginResetModel();
    m_store = store;
    m_query.locationId = locationId;
    clearCache();
    m_count = countFromStore();
    endResetModel();
    Q_EMIT countChanged(m_count);
}

void ContactTableModel::setSearch(const QString &text)
{
    if (text == m_query.search)
        return;
    beginResetModel();
    m_query.search = text;
    clearCache();
    m_count = countFromStore();
    endResetModel();
    Q_EMIT countChanged(m_count);
}

bool ContactTableModel::isSortable(int column)
{
    return sortFor(column).has_value();
}

void ContactTableModel::sort(int column, Qt::SortOrder order)
{
    const std::optional<ContactSort> sort = sortFor(column);
    if (!sort || (column == m_sortColumn && order == m_sortOrder))
        return;
    Q_EMIT layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    m_sortColumn = column;
    m_sortOrder = order;
    m_query.sort = *sort;
    m_query.descending = order == Qt::DescendingOrder;
    clearCache();
    // Rows move wholesale; persistent indexes (the selection) cannot follow them across pages
    // that are not loaded, so they are dropped and the view reselects by contact id.
    const QModelIndexList persistent = persistentIndexList();
    changePersistentIndexList(persistent, QModelIndexList(persistent.size()));
    Q_EMIT layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

void ContactTableModel::reload()
{
    clearCache();
    const int count = countFromStore();
    if (count != m_count) {
        beginResetModel();
        m_count = count;
        endResetModel();
        Q_EMIT countChanged(m_count);
    } else if (m_count > 0) {
        Q_EMIT dataChanged(index(0, 0), index(m_count - 1, ColumnCount - 1));
    }
}

void ContactTableModel::contactRemoved(const QString &contactId)
{
    const int row = rowOfContact(contactId);
    if (row < 0) {
        reload();
        return;
    }
    beginRemoveRows({}, row, row);
    clearCache();
    m_count = countFromStore();
    endRemoveRows();
    Q_EMIT countChanged(m_count);
}

int ContactTableModel::rowOfContact(const QString &contactId) const
{
    for (auto it = m_pages.cbegin(); it != m_pages.cend(); ++it) {
        for (int i = 0; i < it.value().size(); ++i) {
            if (it.value().at(i).id == contactId)
                return it.key() * PageSize + i;
        }
    }
    return -1;
}

QString ContactTableModel::contactId(int row) const
{
    const Contact *c = contactAt(row);
    return c ? c->id : QString();
}

int ContactTableModel::countFromStore() const
{
    if (!m_store)
        return 0;
    const int n = m_store->countContacts(m_query);
    m_lastError = n < 0 ? m_store->error() : QString();
    return std::max(0, n);
}

void ContactTableModel::clearCache() const
{
    m_pages.clear();
    m_recent.clear();
}

const Contact *ContactTableModel::contactAt(int row) const
{
    if (!m_store || row < 0 || row >= m_count)
        return nullptr;
    const int page = row / PageSize;
    auto it = m_pages.find(page);
    if (it == m_pages.end()) {
        ContactQuery q = m_query;
        q.limit = PageSize;
        q.offset = page * PageSize;
        QList<Contact> rows = m_store->contacts(q);
        m_lastError = m_store->error();
        if (m_recent.size() >= MaxCachedPages)
            m_pages.remove(m_recent.takeFirst());
        it = m_pages.insert(page, std::move(rows));
        m_recent.append(page);
    } else if (m_recent.constLast() != page) {
        m_recent.removeOne(page);
        m_recent.append(page);
    }
    const int i = row - page * PageSize;
    // The store may have fewer rows than counted if it changed under us; the next reload fixes it.
    return i < it.value().size() ? &it.value().at(i) : nullptr;
}

int ContactTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_count;
}

int ContactTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ContactTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole && role != ContactIdRole && role != TagsRole)
        return {};
    const Contact *c = contactAt(index.row());
    if (!c)
        return {};
    if (role == ContactIdRole)
        return c->id;
    if (role == TagsRole)
        return c->tags;
    switch (Column(index.column())) {
    case Name: {
        // Some contacts have only a phone number; an empty first column reads as a broken row.
        const QString name = c->displayName();
        if (!name.isEmpty())
            return name;
        return c->phone.isEmpty() ? tr("(no name)") : c->phone;
    }
    case Email:
        return c->email;
    case Phone:
        return c->phone;
    case Company:
        return c->companyName;
    case City:
        return c->city;
    case Tags:
        return c->tags.join(QStringLiteral(", "));
    case DateAdded:
        return c->dateAdded.toLocalTime();
    case DateUpdated:
        return c->dateUpdated.toLocalTime();
    case ColumnCount:
        break;
    }
    return {};
}

QVariant ContactTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == SortableRole)
        return isSortable(section);
    if (role == Qt::ToolTipRole && !isSortable(section))
        return tr("This column cannot be sorted");
    if (role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case Name:
        return tr("Name");
    case Email:
        return tr("Email");
    case Phone:
        return tr("Phone");
    case Company:
        return tr("Company");
    case City:
        return tr("City");
    case Tags:
        return tr("Tags");
    case DateAdded:
        return tr("Added");
    case DateUpdated:
        return tr("Updated");
    case ColumnCount:
        break;
    }
    return {};
}

Qt::ItemFlags ContactTableModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
}

} // namespace lb::gui
