-- Notes on a submission; the body is a Fernet token only.
CREATE TABLE notes (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    submission_id INTEGER NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    created_at    TEXT    NOT NULL,
    body          TEXT    NOT NULL
);
CREATE INDEX notes_by_submission ON notes (submission_id, id);

-- Admin sessions: only a SHA-256 of the random session id is kept.
CREATE TABLE admin_sessions (
    id_hash    TEXT    PRIMARY KEY,
    created_at INTEGER NOT NULL, -- unix seconds
    last_seen  INTEGER NOT NULL
);

-- The last TOTP time step accepted: a code is good once, across restarts.
CREATE TABLE totp_state (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    last_step INTEGER NOT NULL
);
INSERT INTO totp_state (id, last_step) VALUES (1, 0);

-- What the admin did, when and from where; never the personal data itself.
CREATE TABLE audit (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    at            TEXT    NOT NULL,
    action        TEXT    NOT NULL,
    ip            TEXT    NOT NULL,
    submission_id INTEGER
);
