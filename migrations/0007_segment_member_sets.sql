-- The current members of each segment as one compressed bitmap (roaring, portable format) of
-- leads.num, valid for the refresh counter it was written at: a cache of the open intervals in
-- segment_members. A full refresh diffs the query's matches against it instead of against every
-- open row, and writes only the difference. A refresh that changes membership without writing
-- it (one lead re-evaluated, an import's leads) moves the counter past it; the next full
-- refresh then reads the open intervals and writes a fresh one.
CREATE TABLE segment_member_sets (
    segment_id      TEXT PRIMARY KEY REFERENCES segments (id),
    refresh_counter INTEGER NOT NULL,
    members         BLOB NOT NULL
);
