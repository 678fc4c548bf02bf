-- Follow-up reminders (seed 002: lead, reminder date, message, created at), with what a scheduler
-- needs to fire each one exactly once: the next notification time and the last delivery.
CREATE TABLE reminders (
    id           TEXT PRIMARY KEY,   -- UUIDv7
    space_id     TEXT NOT NULL REFERENCES spaces (id),
    lead_id      TEXT NOT NULL REFERENCES leads (id),
    user_id      TEXT REFERENCES users (id),          -- who created it
    assigned_to  TEXT REFERENCES users (id),          -- who is reminded
    message      TEXT NOT NULL,
    due_at       TEXT NOT NULL,      -- UTC; for a recurring reminder, the current occurrence
    remind_at    TEXT NOT NULL,      -- UTC; when to notify (defaults to due_at)
    status       TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'snoozed', 'dismissed')),
    recurrence   TEXT,               -- NULL, daily, weekdays, weekly, monthly or an RFC 5545 RRULE
    time_zone    TEXT NOT NULL,      -- IANA zone whose wall clock a recurrence follows (DST-safe)
    fire_at      TEXT,               -- next notification, UTC; NULL when nothing is left to notify
    notified_at  TEXT,               -- last notification the OS accepted
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    deleted_at   TEXT
);
-- The scheduler sleeps until min(fire_at): one index lookup however many reminders are pending.
CREATE INDEX reminders_to_fire ON reminders (fire_at) WHERE fire_at IS NOT NULL AND deleted_at IS NULL;
CREATE INDEX reminders_by_due ON reminders (due_at) WHERE deleted_at IS NULL;
CREATE INDEX reminders_by_lead ON reminders (lead_id, due_at) WHERE deleted_at IS NULL;
