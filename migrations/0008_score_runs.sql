-- History of a bulk re-score, stored once per run instead of once per lead.
--
-- A full recompute that changes most scores wrote a `score_changes` row per lead, each repeating
-- the cause and its text, into an index on (lead_num, created_at): the inserts land all over that
-- index and get slower as history grows (9 s of a 34 s recompute of 1M leads once it held 19M
-- rows). A run now stores its cause once, and its per-lead changes clustered by run: appended,
-- whatever the size of the history. A lead's history probes each run by primary key.
-- Single-lead re-scores (an inquiry, an edit) and scores set by hand stay in `score_changes`.

CREATE TABLE score_runs (
    num        INTEGER PRIMARY KEY,
    cause      TEXT NOT NULL CHECK (cause IN ('rule', 'inquiry', 'event', 'decay', 'manual')),
    cause_id   TEXT,
    detail     TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE score_run_changes (
    run       INTEGER NOT NULL,                  -- score_runs.num
    lead_num  INTEGER NOT NULL,                  -- leads.num
    old_score INTEGER NOT NULL,
    new_score INTEGER NOT NULL,
    PRIMARY KEY (run, lead_num)
) WITHOUT ROWID;
