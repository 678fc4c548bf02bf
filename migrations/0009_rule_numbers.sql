-- Breakdowns name their rules by a small local number instead of the 36-character id: the parts of a
-- lead matching six rules shrink from ~300 to ~60 bytes, and a recompute that changes every score
-- writes that much less per lead. The number is local (not synced); pulled rules get one here.
ALTER TABLE scoring_rules ADD COLUMN num INTEGER;
UPDATE scoring_rules SET num = rowid;
CREATE UNIQUE INDEX scoring_rules_by_num ON scoring_rules (num);
CREATE TRIGGER scoring_rules_get_a_number AFTER INSERT ON scoring_rules WHEN NEW.num IS NULL BEGIN
    UPDATE scoring_rules SET num = (SELECT ifnull(max(num), 0) + 1 FROM scoring_rules) WHERE id = NEW.id;
END;
