-- Rules and segments that cannot be evaluated are marked, not obeyed.
--
-- A scoring rule or an automatic segment follows every write of a lead. One that cannot be read or
-- compiled (it came from an older version, a teammate, or plain SQL on the server; an in_segment()
-- whose segment was deleted) must never make that write fail: it is skipped, and the reason is kept
-- here so the Scoring and Segments views and the CLI can show it. NULL = it works.
-- Desktop-only: the sync capture triggers list synced columns, so these never travel.
ALTER TABLE scoring_rules ADD COLUMN broken TEXT;
ALTER TABLE segments ADD COLUMN broken TEXT;
