#include "store/Migrations.h"

namespace lb::store {

namespace {

// Version 1: the contact cache of the pull. Notes on the shape:
// - Dates are epoch milliseconds (0 = none), see lb::json::toMs.
// - contacts.sort_last / sort_first / search_text are derived, lowercase columns written by the
//   store, so that ordering and as-you-type search need no function calls per row and behave
//   the same on both databases whatever their collation or case rules.
// - Child rows cascade with their contact, which is what a deletion in GHL means here too.
// - last_seen_pull marks the contacts seen by a full pull, to find deletions after it.
const Migration v1{
    1,
    {
        R"(CREATE TABLE contacts (
            id TEXT NOT NULL PRIMARY KEY,
            location_id TEXT NOT NULL,
            first_name TEXT,
            last_name TEXT,
            name TEXT,
            email TEXT,
            phone TEXT,
            company_name TEXT,
            address1 TEXT,
            city TEXT,
            state TEXT,
            postal_code TEXT,
            country TEXT,
            website TEXT,
            timezone TEXT,
            source TEXT,
            type TEXT,
            assigned_to TEXT,
            business_id TEXT,
            date_of_birth TEXT,
            dnd INTEGER NOT NULL DEFAULT 0,
            tags_json TEXT NOT NULL DEFAULT '[]',
            date_added_ms BIGINT NOT NULL DEFAULT 0,
            date_updated_ms BIGINT NOT NULL DEFAULT 0,
            last_seen_pull TEXT,
            sort_last TEXT NOT NULL DEFAULT '',
            sort_first TEXT NOT NULL DEFAULT '',
            search_text TEXT NOT NULL DEFAULT ''
        ))",
        "CREATE INDEX contacts_location_updated ON contacts (location_id, date_updated_ms)",
        "CREATE INDEX contacts_location_sort ON contacts (location_id, sort_last, sort_first, id)",
        // position keeps GHL's order of the custom fields, so a contact reads back as it was written.
        R"(CREATE TABLE contact_custom_values (
            contact_id TEXT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
            field_id TEXT NOT NULL,
            position INTEGER NOT NULL DEFAULT 0,
            value_json TEXT,
            PRIMARY KEY (contact_id, field_id)
        ))",
        R"(CREATE TABLE custom_fields (
            location_id TEXT NOT NULL,
            id TEXT NOT NULL,
            name TEXT,
            field_key TEXT,
            data_type TEXT,
            model TEXT,
            position INTEGER NOT NULL DEFAULT 0,
            picklist_json TEXT NOT NULL DEFAULT '[]',
            PRIMARY KEY (location_id, id)
        ))",
        R"(CREATE TABLE tasks (
            id TEXT NOT NULL PRIMARY KEY,
            contact_id TEXT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
            title TEXT,
            body TEXT,
            assigned_to TEXT,
            due_date_ms BIGINT NOT NULL DEFAULT 0,
            completed INTEGER NOT NULL DEFAULT 0
        ))",
        "CREATE INDEX tasks_contact ON tasks (contact_id)",
        R"(CREATE TABLE notes (
            id TEXT NOT NULL PRIMARY KEY,
            contact_id TEXT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
            title TEXT,
            body TEXT,
            user_id TEXT,
            date_added_ms BIGINT NOT NULL DEFAULT 0
        ))",
        "CREATE INDEX notes_contact ON notes (contact_id)",
        R"(CREATE TABLE appointments (
            id TEXT NOT NULL PRIMARY KEY,
            contact_id TEXT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
            calendar_id TEXT,
            title TEXT,
            status TEXT,
            appointment_status TEXT,
            address TEXT,
            notes TEXT,
            assigned_user_id TEXT,
            start_ms BIGINT NOT NULL DEFAULT 0,
            end_ms BIGINT NOT NULL DEFAULT 0,
            date_added_ms BIGINT NOT NULL DEFAULT 0,
            date_updated_ms BIGINT NOT NULL DEFAULT 0
        ))",
        "CREATE INDEX appointments_contact ON appointments (contact_id)",
        R"(CREATE TABLE pull_cursors (
            location_id TEXT NOT NULL PRIMARY KEY,
            updated_up_to_ms BIGINT NOT NULL DEFAULT 0,
            full_pull_id TEXT,
            full_search_after_json TEXT,
            last_pull_finished_ms BIGINT NOT NULL DEFAULT 0
        ))",
    }};

} // namespace

const QList<Migration> &migrations()
{
    static const QList<Migration> all{v1};
    return all;
}

int latestSchemaVersion()
{
    return migrations().isEmpty() ? 0 : migrations().constLast().version;
}

} // namespace lb::store
