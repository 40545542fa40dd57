-- The email blind index moves out of `submissions` into a narrow table of its own, without an
-- index. Its keys are random by design (an HMAC), so an index on them had every new row write
-- a random leaf, and that cost grew with the table: at 400,000 rows it was a sixth of a
-- submission's server time. Here rows are appended in id order (a batch writes a page or
-- two), and an exact email search scans about 25 bytes a submission: under a millisecond at
-- 10,000 submissions, tens of milliseconds at a million.
CREATE TABLE submission_email_keys (
    submission_id INTEGER PRIMARY KEY REFERENCES submissions (id) ON DELETE CASCADE,
    email_index   BLOB    NOT NULL
);
INSERT INTO submission_email_keys (submission_id, email_index) SELECT id, email_index FROM submissions;
DROP INDEX submissions_by_email;
ALTER TABLE submissions DROP COLUMN email_index;
