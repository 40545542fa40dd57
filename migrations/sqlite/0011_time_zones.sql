-- The IANA zone a visitor meant their preferred time in; preferred_time stays the UTC minute.
-- Submissions from before were entered in UTC.
ALTER TABLE submissions ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';
