-- The outbox: each notification of a new submission, written in the submission's own
-- transaction, so a stored submission always has its notifications and an unstored one none.
-- Deleting the submission deletes them (nothing of an erased person stays behind).
CREATE TABLE notifications (
    id            INTEGER PRIMARY KEY,
    submission_id INTEGER NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    channel       TEXT    NOT NULL CHECK (channel = 'email' OR channel = 'webhook' OR channel = 'confirmation'),
    event_id      TEXT    NOT NULL, -- the webhook-id, the same on every attempt (random: no index)
    state         TEXT    NOT NULL DEFAULT 'pending' CHECK (state = 'pending' OR state = 'delivered' OR state = 'failed'),
    attempts      INTEGER NOT NULL DEFAULT 0,
    due_at        INTEGER NOT NULL,           -- unix seconds: not before
    lease_until   INTEGER NOT NULL DEFAULT 0, -- unix seconds: claimed by a worker until
    last_error    TEXT,
    finished_at   INTEGER
);
-- Only what is waiting, and what was given up, is ever looked for: delivered rows leave these
-- indexes instead of being written into them again.
CREATE INDEX notifications_due ON notifications (due_at) WHERE state = 'pending';
CREATE INDEX notifications_failed ON notifications (id) WHERE state = 'failed';
CREATE INDEX notifications_of_submission ON notifications (submission_id);

-- When each visitor address (by its blind index) was last sent a confirmation: at most one a
-- day, so the form can't be used to mail a stranger over and over.
CREATE TABLE visitor_confirmations (
    email_index BLOB    PRIMARY KEY,
    sent_at     INTEGER NOT NULL
) WITHOUT ROWID;
