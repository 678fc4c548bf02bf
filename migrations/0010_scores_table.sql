-- The score of every lead moves out of the wide lead row into a narrow table of its own.
--
-- A full recompute after a rule change rewrites most scores. With the score inside `leads`, changing
-- one integer rewrote every lead page (~550 MB on a million leads) and its (score, id) index: 20 s in
-- the sqlite3 shell for one UPDATE of 1M scores, against 1.3 s for the same UPDATE on a narrow table.
-- Every lead has exactly one row here, kept by the triggers below whatever writes the lead (the app,
-- an import, a sync pull). `live` mirrors "not deleted" so the sort and count index stays partial.
CREATE TABLE scores (
    lead_num INTEGER PRIMARY KEY,                -- leads.num
    score    INTEGER NOT NULL DEFAULT 0 CHECK (score BETWEEN 0 AND 100),
    live     INTEGER NOT NULL DEFAULT 1 CHECK (live IN (0, 1))
);
INSERT INTO scores (lead_num, score, live) SELECT num, score, deleted_at IS NULL FROM leads;
-- Sorting the leads table by score, score segments and the histogram read this index alone;
-- lead_num breaks ties so keyset paging needs nothing else.
CREATE INDEX scores_by_score ON scores (score, lead_num) WHERE live = 1;

CREATE TRIGGER leads_get_a_score AFTER INSERT ON leads BEGIN
    INSERT INTO scores (lead_num, live) VALUES (NEW.num, NEW.deleted_at IS NULL);
END;
CREATE TRIGGER leads_score_follows_deletion AFTER UPDATE OF deleted_at ON leads
    WHEN (OLD.deleted_at IS NULL) != (NEW.deleted_at IS NULL) BEGIN
    UPDATE scores SET live = NEW.deleted_at IS NULL WHERE lead_num = NEW.num;
END;
CREATE TRIGGER leads_lose_their_score AFTER DELETE ON leads BEGIN
    DELETE FROM scores WHERE lead_num = OLD.num;
END;

DROP INDEX leads_by_score;
ALTER TABLE leads DROP COLUMN score;
