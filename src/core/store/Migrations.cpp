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

// Version 2: the sync's memory (DESIGN.md "Record"). What was last written to Saleshandy per
// GHL record (ids, content hash, the mapped values for dry-run diffs), intents recorded before
// creates that carry no idempotency key, failed records with attempts and the next retry, the
// runs with their per-record events, the saved mapping revisions, and a lock per location so
// that one process at a time syncs it.
const Migration v2{2,
                   {
                       R"(CREATE TABLE sync_runs (
            id BIGINT NOT NULL PRIMARY KEY,
            location_id TEXT NOT NULL,
            mode TEXT NOT NULL,
            dry_run INTEGER NOT NULL DEFAULT 0,
            started_ms BIGINT NOT NULL,
            finished_ms BIGINT NOT NULL DEFAULT 0,
            status TEXT NOT NULL,
            owner TEXT,
            summary_json TEXT,
            error TEXT
        ))",
                       "CREATE INDEX sync_runs_location ON sync_runs (location_id, started_ms)",
                       R"(CREATE TABLE sync_events (
            run_id BIGINT NOT NULL REFERENCES sync_runs (id) ON DELETE CASCADE,
            seq INTEGER NOT NULL,
            at_ms BIGINT NOT NULL,
            kind TEXT NOT NULL,
            ghl_id TEXT,
            sh_id TEXT,
            outcome TEXT NOT NULL,
            reason TEXT,
            request_ids TEXT,
            PRIMARY KEY (run_id, seq)
        ))",
                       "CREATE INDEX sync_events_outcome ON sync_events (run_id, outcome)",
                       "CREATE INDEX sync_events_record ON sync_events (kind, ghl_id)",
                       R"(CREATE TABLE sync_prospects (
            location_id TEXT NOT NULL,
            ghl_contact_id TEXT NOT NULL,
            email TEXT NOT NULL,
            prospect_id TEXT,
            hash TEXT,
            fields_json TEXT,
            tags_json TEXT,
            pending_hash TEXT,
            pending_since_ms BIGINT NOT NULL DEFAULT 0,
            updated_ms BIGINT NOT NULL DEFAULT 0,
            PRIMARY KEY (location_id, ghl_contact_id)
        ))",
                       "CREATE INDEX sync_prospects_email ON sync_prospects (location_id, email)",
                       R"(CREATE TABLE sync_records (
            location_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            ghl_id TEXT NOT NULL,
            ghl_contact_id TEXT NOT NULL,
            sh_id TEXT,
            hash TEXT,
            state TEXT NOT NULL,
            payload_json TEXT,
            updated_ms BIGINT NOT NULL DEFAULT 0,
            PRIMARY KEY (location_id, kind, ghl_id)
        ))",
                       "CREATE INDEX sync_records_contact ON sync_records (location_id, ghl_contact_id)",
                       R"(CREATE TABLE sync_failures (
            location_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            ghl_id TEXT NOT NULL,
            run_id BIGINT NOT NULL DEFAULT 0,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_retry_ms BIGINT NOT NULL DEFAULT 0,
            reason TEXT,
            PRIMARY KEY (location_id, kind, ghl_id)
        ))",
                       R"(CREATE TABLE sync_locks (
            location_id TEXT NOT NULL PRIMARY KEY,
            owner TEXT NOT NULL,
            acquired_ms BIGINT NOT NULL,
            heartbeat_ms BIGINT NOT NULL
        ))",
                       R"(CREATE TABLE mappings (
            location_id TEXT NOT NULL,
            revision INTEGER NOT NULL,
            name TEXT,
            saved_ms BIGINT NOT NULL,
            json TEXT NOT NULL,
            PRIMARY KEY (location_id, revision)
        ))",
                   }};

// Version 3: an index per order the contact list can be sorted by, matching the ORDER BY
// expressions of ContactStore::contacts, so that any sort pages through 100,000 contacts quickly.
const Migration v3{
    3,
    {
        "CREATE INDEX contacts_location_email ON contacts (location_id, LOWER(email), id)",
        "CREATE INDEX contacts_location_phone ON contacts (location_id, phone, id)",
        "CREATE INDEX contacts_location_company ON contacts (location_id, LOWER(company_name), id)",
        "CREATE INDEX contacts_location_city ON contacts (location_id, LOWER(city), id)",
        "CREATE INDEX contacts_location_added ON contacts (location_id, date_added_ms, id)",
    }};

// Version 4: the log view pages through a run's events in seq order under a filter by outcome, or
// by kind and outcome; these let the database walk the filtered events in order instead of
// sorting a million rows for the first page.
const Migration v4{4,
                   {
                       "CREATE INDEX sync_events_run_outcome_seq ON sync_events (run_id, outcome, seq)",
                       "CREATE INDEX sync_events_run_kind_seq ON sync_events (run_id, kind, outcome, seq)",
                   }};

// Version 5: each event keeps the fields of its record that were not sent exactly as GHL has them
// (kept as written, cut, left unchanged, sent empty), as a JSON array; NULL when there were none.
const Migration v5{5,
                   {
                       "ALTER TABLE sync_events ADD COLUMN warnings_json TEXT",
                   }};

} // namespace

const QList<Migration> &migrations()
{
    static const QList<Migration> all{v1, v2, v3, v4, v5};
    return all;
}

int latestSchemaVersion()
{
    return migrations().isEmpty() ? 0 : migrations().constLast().version;
}

} // namespace lb::store
