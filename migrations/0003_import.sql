-- CSV import: the lead fields other CRMs export that the foundation had no column for, match
-- keys, and import batches that can be resumed after a crash and undone.

-- Second email and phone columns map to these (the first ones to email / phone).
ALTER TABLE leads ADD COLUMN email2 TEXT;
ALTER TABLE leads ADD COLUMN phone2 TEXT;        -- E.164
ALTER TABLE leads ADD COLUMN phone2_raw TEXT;    -- as imported
ALTER TABLE leads ADD COLUMN website TEXT;
-- The id the lead has in the system it came from (HubSpot Record ID, Salesforce Lead ID, …).
ALTER TABLE leads ADD COLUMN external_id TEXT;

-- Match keys compare normalized forms: email case-insensitively, phone as E.164 (leads_by_phone).
CREATE INDEX leads_by_email_key ON leads (lower(email)) WHERE deleted_at IS NULL AND email IS NOT NULL;
CREATE INDEX leads_by_external_id ON leads (external_id) WHERE deleted_at IS NULL AND external_id IS NOT NULL;

-- One import of one file. Local bookkeeping, never synced.
CREATE TABLE import_batches (
    id            TEXT PRIMARY KEY,        -- UUIDv7
    space_id      TEXT NOT NULL REFERENCES spaces (id),
    user_id       TEXT REFERENCES users (id),
    file_name     TEXT NOT NULL,
    file_path     TEXT NOT NULL,
    file_size     INTEGER NOT NULL,
    file_digest   TEXT NOT NULL,           -- SHA-256: a resume only continues the very same file
    options       TEXT NOT NULL CHECK (json_valid(options)),   -- mode, match keys, mapping, dialect
    -- running: in progress, or interrupted if no process is running it (see `recover`)
    status        TEXT NOT NULL CHECK (status IN ('running', 'interrupted', 'completed', 'cancelled', 'failed', 'undone')),
    rows_read     INTEGER NOT NULL DEFAULT 0,    -- records committed so far (the resume point)
    inserted      INTEGER NOT NULL DEFAULT 0,
    updated       INTEGER NOT NULL DEFAULT 0,
    skipped       INTEGER NOT NULL DEFAULT 0,
    failed        INTEGER NOT NULL DEFAULT 0,
    warnings      INTEGER NOT NULL DEFAULT 0,
    message       TEXT,
    started_at    TEXT NOT NULL,
    finished_at   TEXT,
    undone_at     TEXT
);

-- What each batch did to each lead, for undo: the columns before and after the import.
CREATE TABLE import_changes (
    batch_id   TEXT NOT NULL REFERENCES import_batches (id),
    seq        INTEGER NOT NULL,
    lead_id    TEXT NOT NULL REFERENCES leads (id),
    action     TEXT NOT NULL CHECK (action IN ('inserted', 'updated')),
    before     TEXT CHECK (before IS NULL OR json_valid(before)),
    after      TEXT CHECK (after IS NULL OR json_valid(after)),
    PRIMARY KEY (batch_id, seq)
) WITHOUT ROWID;
CREATE INDEX import_changes_by_lead ON import_changes (lead_id);

-- Rows that were not imported (kind 'failed') or imported with a value kept as written
-- (kind 'warning'), with the original line and why; the error CSV is made from these.
CREATE TABLE import_errors (
    batch_id TEXT NOT NULL REFERENCES import_batches (id),
    line     INTEGER NOT NULL,             -- 1-based line of the file where the record starts
    kind     TEXT NOT NULL CHECK (kind IN ('failed', 'skipped', 'warning')),
    raw      TEXT NOT NULL,                -- the original record, as a CSV line
    reason   TEXT NOT NULL,
    PRIMARY KEY (batch_id, line)
) WITHOUT ROWID;

-- Mappings the user confirmed, reused for files with the same headers.
CREATE TABLE import_mappings (
    header_key TEXT PRIMARY KEY,           -- normalized header names joined by a separator
    mapping    TEXT NOT NULL CHECK (json_valid(mapping)),
    used_at    TEXT NOT NULL
);
