-- Failed sign-ins per account, whatever address they came from: at most 100 an hour, with
-- growing delays between them (ASVS 2.2.1). Cleared by a successful sign-in or
-- `contact-client admin unlock`.
CREATE TABLE sign_in_throttle (
    account      TEXT    PRIMARY KEY,
    failures     INTEGER NOT NULL, -- attempts in the window that have not (yet) succeeded
    window_start INTEGER NOT NULL, -- unix seconds
    next_at      INTEGER NOT NULL  -- no attempt before this (unix seconds)
);
