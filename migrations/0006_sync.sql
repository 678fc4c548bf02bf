-- Sync bookkeeping (issue 7). Local only: none of these tables is ever pushed.
-- Change capture is done by triggers that `sync setup` creates (and `sync forget` drops), so a
-- store that never syncs pays nothing, and every write path (store, bulk loads, the CLI, other
-- processes) is captured the same way.

-- One row. `hlc` is this replica's hybrid logical clock, (ms << 16) | counter, kept in the store
-- rather than in memory because the app and the CLI write the same file: one clock for both.
CREATE TABLE sync_state (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    node            TEXT NOT NULL,                      -- 16 hex digits: this replica in clock readings
    hlc             INTEGER NOT NULL DEFAULT 0,
    clock_offset_ms INTEGER NOT NULL DEFAULT 0,         -- server clock minus ours, measured each sync
    capture         INTEGER NOT NULL DEFAULT 1 CHECK (capture IN (0, 1))  -- 0 while pulled rows are applied
);
INSERT INTO sync_state (id, node) VALUES (1, lower(hex(randomblob(8))));

-- Columns written here and not yet acknowledged by the server, with the clock of the write.
-- col '*' = the whole row (an insert). A push sends them; a pull never overwrites a column
-- that is pending here with a newer clock.
CREATE TABLE sync_pending (
    tbl    TEXT NOT NULL,
    row_id TEXT NOT NULL,
    col    TEXT NOT NULL,
    hlc    TEXT NOT NULL,
    PRIMARY KEY (tbl, row_id, col)
) WITHOUT ROWID;

-- Pull position per table: the server's transaction id and row id of the last row applied,
-- saved in the same transaction as the rows. `server_id` ties them to one server.
CREATE TABLE sync_cursors (
    tbl       TEXT PRIMARY KEY,
    server_id TEXT NOT NULL,
    xid       TEXT NOT NULL,
    row_id    TEXT NOT NULL
) WITHOUT ROWID;

-- Rows the server refused (row-level security, a constraint): set aside with the reason, so the
-- queue keeps moving; shown in `sync status` and Settings.
CREATE TABLE sync_rejected (
    num        INTEGER PRIMARY KEY,
    tbl        TEXT NOT NULL,
    row_id     TEXT NOT NULL,
    direction  TEXT NOT NULL CHECK (direction IN ('push', 'pull')),
    reason     TEXT NOT NULL,
    row_json   TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- Pulled rows that reference a row not here yet (a lead whose company arrives in a later page):
-- held and retried after every pulled page instead of breaking the local foreign keys.
CREATE TABLE sync_parked (
    tbl      TEXT NOT NULL,
    row_id   TEXT NOT NULL,
    row_json TEXT NOT NULL,
    reason   TEXT NOT NULL,
    PRIMARY KEY (tbl, row_id)
) WITHOUT ROWID;
