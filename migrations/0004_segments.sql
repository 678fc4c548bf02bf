-- Segments (seed 000): a named query with a refresh counter, and membership rows stamped with
-- the refresh counter. Here a membership row is an interval: the lead entered at one refresh and
-- (maybe) left at a later one, so "when did this lead join, and when did it leave" is one lookup
-- and a refresh writes only what changed. The current members are the open intervals.

CREATE TABLE segments (
    id                    TEXT PRIMARY KEY,         -- UUIDv7
    space_id              TEXT NOT NULL REFERENCES spaces (id),
    user_id               TEXT REFERENCES users (id),
    name                  TEXT NOT NULL CHECK (length(trim(name)) > 0),
    name_key              TEXT NOT NULL,            -- case-folded name: unique, and what in_segment("…") looks up
    description           TEXT,
    kind                  TEXT NOT NULL CHECK (kind IN ('dynamic', 'static')),
    query                 TEXT,                     -- the query text; NULL for static (hand-picked) segments
    refresh_mode          TEXT NOT NULL DEFAULT 'manual' CHECK (refresh_mode IN ('manual', 'schedule', 'automatic')),
    refresh_every_minutes INTEGER CHECK (refresh_every_minutes IS NULL OR refresh_every_minutes > 0),
    refresh_counter       INTEGER NOT NULL DEFAULT 0,
    member_count          INTEGER NOT NULL DEFAULT 0,
    last_refreshed_at     TEXT,
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL,
    deleted_at            TEXT,
    CHECK ((kind = 'static') = (query IS NULL))
);
CREATE UNIQUE INDEX segments_by_name ON segments (space_id, name_key) WHERE deleted_at IS NULL;

-- Local and derived: each replica computes its own membership. lead_num is leads.num (the local
-- row number; leads are only ever soft-deleted, so it is never reused). No foreign key: a refresh
-- writes up to a million rows and each would pay a lookup for a fact the query just established.
CREATE TABLE segment_members (
    segment_id      TEXT NOT NULL REFERENCES segments (id),
    lead_num        INTEGER NOT NULL,
    entered_refresh INTEGER NOT NULL,
    left_refresh    INTEGER,                 -- NULL while the lead is a member
    entered_at      TEXT NOT NULL,
    left_at         TEXT,
    PRIMARY KEY (segment_id, lead_num, entered_refresh)
) WITHOUT ROWID;

-- One row per refresh: the size-over-time chart and the entered/left counts.
CREATE TABLE segment_refreshes (
    segment_id      TEXT NOT NULL REFERENCES segments (id),
    refresh_counter INTEGER NOT NULL,
    trigger         TEXT NOT NULL CHECK (trigger IN ('manual', 'schedule', 'automatic', 'edit', 'import')),
    query           TEXT,                    -- the query as it was then
    members         INTEGER NOT NULL,
    entered         INTEGER NOT NULL,
    left_count      INTEGER NOT NULL,
    duration_ms     INTEGER NOT NULL,
    refreshed_at    TEXT NOT NULL,
    PRIMARY KEY (segment_id, refresh_counter)
) WITHOUT ROWID;

-- Hand-picked members (static segments) and manual include/exclude on dynamic ones; they
-- survive refreshes.
CREATE TABLE segment_overrides (
    segment_id TEXT NOT NULL REFERENCES segments (id),
    lead_num   INTEGER NOT NULL REFERENCES leads (num),
    kind       TEXT NOT NULL CHECK (kind IN ('include', 'exclude')),
    created_at TEXT NOT NULL,
    PRIMARY KEY (segment_id, lead_num)
) WITHOUT ROWID;

-- Inquiries (seed 002): each one a lead makes. Segments count them (`inquiries(30d) >= 2`);
-- scoring builds on them.
CREATE TABLE inquiries (
    id         TEXT PRIMARY KEY,             -- UUIDv7
    space_id   TEXT NOT NULL REFERENCES spaces (id),
    lead_id    TEXT NOT NULL REFERENCES leads (id),
    user_id    TEXT REFERENCES users (id),
    message    TEXT NOT NULL,
    channel    TEXT NOT NULL DEFAULT 'web_form' CHECK (channel IN ('web_form', 'email', 'phone', 'chat', 'in_person')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX inquiries_by_lead ON inquiries (lead_id, created_at);
CREATE INDEX inquiries_by_time ON inquiries (created_at) WHERE deleted_at IS NULL;
