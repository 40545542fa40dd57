-- How many submissions an audited action touched (a retention purge, one person's export or
-- erasure): the count is kept, never whose they were.
ALTER TABLE audit ADD COLUMN count INTEGER;

-- Work one instance does for all that share the database (the retention purge): the holder
-- of a name's lease until its time does it, the others leave it.
CREATE TABLE leases (
    name   TEXT    PRIMARY KEY,
    holder TEXT    NOT NULL,
    until  INTEGER NOT NULL -- unix seconds
) WITHOUT ROWID;
