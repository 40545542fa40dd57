-- The admins, each with their own sign-in and role. While this table is empty the shared
-- TOTP_SECRET (and ADMIN_PASSWORD_HASH) sign in as before; once it has a row, only users do.
CREATE TABLE admin_users (
    id            INTEGER PRIMARY KEY,
    name          TEXT    NOT NULL UNIQUE,
    role          TEXT    NOT NULL CHECK (role = 'owner' OR role = 'editor' OR role = 'viewer'),
    password_hash TEXT    NOT NULL,           -- argon2id PHC string
    totp_secret   TEXT    NOT NULL,           -- Fernet token of the base32 secret
    totp_step     INTEGER NOT NULL DEFAULT 0, -- the last accepted step: a code works once
    enrolled      INTEGER NOT NULL DEFAULT 1, -- 0 until a first code proves the authenticator
    created_at    TEXT    NOT NULL,
    last_sign_in  TEXT
);

-- Ten one-time codes a user signs in with when their authenticator is lost.
CREATE TABLE admin_recovery_codes (
    user_id   INTEGER NOT NULL REFERENCES admin_users (id) ON DELETE CASCADE,
    code_hash BLOB    NOT NULL, -- SHA-256 of the code (80 random bits: a slow hash adds nothing)
    used_at   TEXT,
    PRIMARY KEY (user_id, code_hash)
) WITHOUT ROWID;

-- Whose session it is (none: the shared sign-in). Removing a user ends their sessions.
ALTER TABLE admin_sessions ADD COLUMN user_id INTEGER REFERENCES admin_users (id) ON DELETE CASCADE;

-- Who did it: a user's name, or none for the shared sign-in and the command line's work.
ALTER TABLE audit ADD COLUMN actor TEXT;
