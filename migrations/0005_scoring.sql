-- Lead scoring (seed 001: scoring rules with criteria, condition, value, points −100..100;
-- seed 002: inquiries raise the score, analytics events show engagement).
--
-- `leads.score` stays the one stored score (sorting, segments, the table read it). Scoring adds
-- the rules, the events, and for every scored lead the breakdown that adds up to its score.

CREATE TABLE scoring_rules (
    id          TEXT PRIMARY KEY,                -- UUIDv7
    space_id    TEXT NOT NULL REFERENCES spaces (id),
    name        TEXT NOT NULL,
    -- What the rule tests (JSON: criteria kind, field, condition, value, event type, window); see
    -- leadbook_core::scoring::rules::Criteria.
    criteria    TEXT NOT NULL CHECK (json_valid(criteria)),
    points      INTEGER NOT NULL CHECK (points BETWEEN -100 AND 100),
    -- 1: points for every matching inquiry or event; 0: once per lead.
    per_match   INTEGER NOT NULL DEFAULT 0 CHECK (per_match IN (0, 1)),
    active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    valid_from  TEXT,                            -- YYYY-MM-DD, local day, inclusive
    valid_until TEXT,                            -- YYYY-MM-DD, local day, inclusive
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    deleted_at  TEXT
);
CREATE INDEX scoring_rules_by_space ON scoring_rules (space_id, created_at) WHERE deleted_at IS NULL;

-- Analytics events (seed 002): page views, tool use, email opens. Millions of rows, append-only.
-- Stored clustered by lead and time: a lead's timeline and a recompute read them sequentially.
CREATE TABLE analytics_events (
    lead_num    INTEGER NOT NULL,                -- leads.num
    occurred_at TEXT NOT NULL,                   -- UTC, RFC 3339
    id          TEXT NOT NULL UNIQUE,            -- UUIDv7, or the id the imported file gave
    space_id    TEXT NOT NULL REFERENCES spaces (id),
    event_type  TEXT NOT NULL,
    event_value TEXT,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (lead_num, occurred_at, id)
) WITHOUT ROWID;

-- A scored lead's breakdown, as of its last computation. A lead without a row was never scored:
-- its whole score is its own (typed, imported or generated).
CREATE TABLE lead_scores (
    lead_num    INTEGER PRIMARY KEY,             -- leads.num
    score       INTEGER NOT NULL,                -- what the computation stored in leads.score
    manual      INTEGER NOT NULL,                -- points set by hand (score typed or imported)
    parts       TEXT NOT NULL,                   -- JSON breakdown; sums to `score`
    computed_at TEXT NOT NULL
);

-- Every change of a lead's score, with its cause.
CREATE TABLE score_changes (
    num        INTEGER PRIMARY KEY,
    lead_num   INTEGER NOT NULL,
    old_score  INTEGER NOT NULL,
    new_score  INTEGER NOT NULL,
    cause      TEXT NOT NULL CHECK (cause IN ('rule', 'inquiry', 'event', 'decay', 'manual')),
    cause_id   TEXT,                             -- the rule, inquiry or event
    detail     TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX score_changes_by_lead ON score_changes (lead_num, created_at);

-- Threshold crossings ("70 = hot"), one row per crossing, for notifications and workflows.
CREATE TABLE score_crossings (
    num        INTEGER PRIMARY KEY,
    lead_num   INTEGER NOT NULL,
    threshold  INTEGER NOT NULL,
    label      TEXT NOT NULL,
    direction  TEXT NOT NULL CHECK (direction IN ('up', 'down')),
    score      INTEGER NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX score_crossings_by_lead ON score_crossings (lead_num, created_at);
CREATE INDEX score_crossings_by_time ON score_crossings (created_at);
