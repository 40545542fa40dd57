-- The language the visitor read the form in: their receipt is written in it, and the admin
-- sees it. Submissions from before were all in English.
ALTER TABLE submissions ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
