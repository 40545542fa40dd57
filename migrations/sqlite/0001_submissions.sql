-- name, email, phone and message hold Fernet tokens only; never plaintext.
CREATE TABLE submissions (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at     TEXT    NOT NULL,
    name           TEXT    NOT NULL,
    email          TEXT    NOT NULL,
    -- Keyed HMAC of the normalised address: finds an email exactly without decrypting.
    email_index    TEXT    NOT NULL,
    phone          TEXT    NOT NULL,
    preferred_time TEXT    NOT NULL,
    message        TEXT    NOT NULL,
    status         TEXT    NOT NULL DEFAULT 'new'
                   CHECK (status IN ('new', 'contacted', 'closed', 'spam')),
    -- The phone verdict is not secret: how the number was checked, and what NumVerify said.
    phone_verdict   TEXT NOT NULL DEFAULT 'not_checked'
                   CHECK (phone_verdict IN ('verified', 'unverified', 'not_checked')),
    phone_country   TEXT,
    phone_line_type TEXT,
    phone_carrier   TEXT
);

CREATE INDEX submissions_by_status ON submissions (status, id);
CREATE INDEX submissions_by_email ON submissions (email_index);
