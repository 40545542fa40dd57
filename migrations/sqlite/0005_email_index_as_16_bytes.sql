-- The email blind index was 64 hex digits of an HMAC-SHA256; it is now the HMAC's first 16
-- bytes as a BLOB (src/crypto.rs, IndexKey). Every new row writes one random leaf of this
-- index, so its size is most of what a submission costs once the table is large: a quarter
-- of the bytes means four times the entries a page. Old values keep matching: the new key is
-- the first 32 hex digits of the old one, decoded. (The column stays declared TEXT: SQLite
-- keeps a BLOB a BLOB in it, and rebuilding the table would copy every row for a name.)
DROP INDEX submissions_by_email;
UPDATE submissions SET email_index = unhex(substr(email_index, 1, 32));
CREATE INDEX submissions_by_email ON submissions (email_index);
