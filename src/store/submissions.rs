//! Submissions and their notes. Personal columns arrive and leave as Fernet tokens.

use rocket_db_pools::sqlx::{self, sqlite::SqliteRow, Row};

use super::{SealedSubmission, Store, StoreError};
use crate::crypto::IndexKey;

/// A stored submission as it is in the database (personal fields still sealed).
#[derive(Debug, Clone)]
pub struct SubmissionRow {
    pub id: i64,
    pub created_at: String,
    pub name: String,
    pub email: String,
    pub phone: String,
    /// `YYYY-MM-DDTHH:MM` in UTC.
    pub preferred_time: String,
    pub time_zone: String,
    /// The code of the language the visitor read the form in.
    pub language: String,
    /// None from the list queries: lists never show the message, the longest field to fetch
    /// and decrypt.
    pub message: Option<String>,
    pub status: String,
    pub phone_verdict: String,
    pub phone_country: Option<String>,
    pub phone_line_type: Option<String>,
    pub phone_carrier: Option<String>,
}

impl SubmissionRow {
    fn from_row(row: &SqliteRow) -> SubmissionRow {
        SubmissionRow {
            id: row.get("id"),
            created_at: row.get("created_at"),
            name: row.get("name"),
            email: row.get("email"),
            phone: row.get("phone"),
            preferred_time: row.get("preferred_time"),
            time_zone: row.get("time_zone"),
            language: row.get("language"),
            message: row.try_get("message").ok(),
            status: row.get("status"),
            phone_verdict: row.get("phone_verdict"),
            phone_country: row.get("phone_country"),
            phone_line_type: row.get("phone_line_type"),
            phone_carrier: row.get("phone_carrier"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct NoteRow {
    pub created_at: String,
    pub body: String,
}

/// Which submissions a list shows.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub status: Option<&'static str>,
    /// Only the submission(s) with this email blind index.
    pub email_index: Option<IndexKey>,
}

/// What a list shows of each submission.
macro_rules! summary_columns {
    () => {
        "id, created_at, name, email, phone, preferred_time, time_zone, language, status, \
         phone_verdict, phone_country, phone_line_type, phone_carrier"
    };
}
const SUMMARY_COLUMNS: &str = summary_columns!();
const COLUMNS: &str = concat!(summary_columns!(), ", message");

impl Store {
    /// Refused when the file is gone: a visitor is never thanked for a row written nowhere.
    /// Written together with the submissions arriving at the same moment (group commit).
    pub async fn insert_submission(&self, s: SealedSubmission) -> Result<i64, StoreError> {
        self.inserter.insert(s).await
    }

    /// One page, newest first, and how many match in all. The WHERE clause names only the
    /// filters given, so that SQLite answers from the status index (or the narrow table of
    /// email keys) instead of reading every row.
    /// `known_total` spares the count when the caller has it already (from the status counts);
    /// so does a page that is not full, which ends the matches. An email search then reads the
    /// keys once, not twice.
    pub async fn list(
        &self,
        filter: &Filter,
        limit: u32,
        offset: u32,
        known_total: Option<i64>,
    ) -> Result<(Vec<SubmissionRow>, i64), StoreError> {
        let mut conditions = Vec::new();
        if filter.status.is_some() {
            conditions.push("status = ?");
        }
        if filter.email_index.is_some() {
            conditions.push("id IN (SELECT submission_id FROM submission_email_keys WHERE email_index = ?)");
        }
        let clause =
            if conditions.is_empty() { String::new() } else { format!("WHERE {}", conditions.join(" AND ")) };
        let page_sql =
            format!("SELECT {SUMMARY_COLUMNS} FROM submissions {clause} ORDER BY id DESC LIMIT ? OFFSET ?");
        let count_sql = format!("SELECT count(*) FROM submissions {clause}");
        let mut page = sqlx::query(&page_sql);
        let mut count = sqlx::query_scalar(&count_sql);
        if let Some(status) = filter.status {
            page = page.bind(status);
            count = count.bind(status);
        }
        if let Some(index) = &filter.email_index {
            page = page.bind(index.as_bytes().as_slice());
            count = count.bind(index.as_bytes().as_slice());
        }
        let rows = page.bind(limit).bind(offset).fetch_all(&self.pool).await?;
        let last_page = rows.len() < limit as usize && (offset == 0 || !rows.is_empty());
        let total = match known_total {
            Some(total) => total,
            None if last_page => i64::from(offset) + rows.len() as i64,
            None => count.fetch_one(&self.pool).await?,
        };
        Ok((rows.iter().map(SubmissionRow::from_row).collect(), total))
    }

    /// `(id, name token, phone token)` of every submission with the status, newest first: what a
    /// substring search has to decrypt.
    pub async fn search_candidates(
        &self,
        status: Option<&str>,
    ) -> Result<Vec<(i64, String, String)>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, name, phone FROM submissions WHERE ?1 IS NULL OR status = ?1 ORDER BY id DESC",
        )
        .bind(status)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1), r.get(2))).collect())
    }

    /// The submissions with these ids, newest first, without their messages.
    pub async fn by_ids(&self, ids: &[i64]) -> Result<Vec<SubmissionRow>, StoreError> {
        self.fetch_by_ids(ids, SUMMARY_COLUMNS).await
    }

    /// The submissions with these ids, newest first, messages included.
    pub async fn whole_by_ids(&self, ids: &[i64]) -> Result<Vec<SubmissionRow>, StoreError> {
        self.fetch_by_ids(ids, COLUMNS).await
    }

    async fn fetch_by_ids(&self, ids: &[i64], columns: &str) -> Result<Vec<SubmissionRow>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let json = serde_json::to_string(ids).unwrap_or_default();
        let rows = sqlx::query(&format!(
            "SELECT {columns} FROM submissions WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id DESC"
        ))
        .bind(json)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(SubmissionRow::from_row).collect())
    }

    /// How many submissions have each status: kept in `status_counts` as rows come and go
    /// (counting 10,000 index entries was a third of the dashboard's time).
    pub async fn status_counts(&self) -> Result<Vec<(String, i64)>, StoreError> {
        let rows =
            sqlx::query("SELECT status, n FROM status_counts WHERE n > 0").fetch_all(&self.pool).await?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    pub async fn get(&self, id: i64) -> Result<Option<SubmissionRow>, StoreError> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM submissions WHERE id = ?"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.as_ref().map(SubmissionRow::from_row))
    }

    /// Every submission, oldest first (exports).
    pub async fn all(&self) -> Result<Vec<SubmissionRow>, StoreError> {
        let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM submissions ORDER BY id"))
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().map(SubmissionRow::from_row).collect())
    }

    /// Up to `limit` stored ciphertexts, newest first: the names of the latest submissions and
    /// the bodies of the latest notes (to check that the configured keys open the data).
    pub async fn sealed_sample(&self, limit: u32) -> Result<Vec<String>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT token FROM (SELECT name AS token FROM submissions ORDER BY id DESC LIMIT ?1)
             UNION ALL SELECT token FROM (SELECT body AS token FROM notes ORDER BY id DESC LIMIT ?1)",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn notes(&self, submission_id: i64) -> Result<Vec<NoteRow>, StoreError> {
        let rows = sqlx::query("SELECT created_at, body FROM notes WHERE submission_id = ? ORDER BY id")
            .bind(submission_id)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().map(|r| NoteRow { created_at: r.get(0), body: r.get(1) }).collect())
    }

    /// False when the submission does not exist.
    pub async fn add_note(
        &self,
        submission_id: i64,
        created_at: &str,
        body: &str,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "INSERT INTO notes (submission_id, created_at, body) SELECT id, ?, ? FROM submissions WHERE id = ?",
        )
        .bind(created_at)
        .bind(body)
        .bind(submission_id)
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// False when the submission does not exist.
    pub async fn set_status(&self, id: i64, status: &str) -> Result<bool, StoreError> {
        let done = sqlx::query("UPDATE submissions SET status = ? WHERE id = ?")
            .bind(status)
            .bind(id)
            .execute(&self.writer)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Deletes the submission for good with its notes, key and notifications; false when it
    /// did not exist.
    pub async fn delete(&self, id: i64) -> Result<bool, StoreError> {
        Ok(self.erase(vec![id]).await? == 1)
    }

    /// Rewrites every sealed value through `reseal` (and the email index through `index`) in
    /// one transaction: all or nothing. Returns how many values were rewritten.
    pub async fn reseal_all<E>(
        &self,
        reseal: impl Fn(&str) -> Result<String, E>,
        index: impl Fn(&str) -> Result<IndexKey, E>,
    ) -> Result<Result<u64, E>, StoreError> {
        let mut tx = self.writer.begin().await?;
        let rows = sqlx::query("SELECT id, name, email, phone, message FROM submissions")
            .fetch_all(&mut *tx)
            .await?;
        let mut count = 0;
        for row in &rows {
            let id: i64 = row.get(0);
            let sealed = (|| {
                Ok((
                    reseal(row.get(1))?,
                    reseal(row.get(2))?,
                    index(row.get(2))?,
                    reseal(row.get(3))?,
                    reseal(row.get(4))?,
                ))
            })();
            let (name, email, email_index, phone, message) = match sealed {
                Ok(values) => values,
                Err(e) => return Ok(Err(e)),
            };
            sqlx::query("UPDATE submissions SET name = ?, email = ?, phone = ?, message = ? WHERE id = ?")
                .bind(name)
                .bind(email)
                .bind(phone)
                .bind(message)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("UPDATE submission_email_keys SET email_index = ? WHERE submission_id = ?")
                .bind(email_index.as_bytes().as_slice())
                .bind(id)
                .execute(&mut *tx)
                .await?;
            count += 4;
        }
        let notes = sqlx::query("SELECT id, body FROM notes").fetch_all(&mut *tx).await?;
        for note in &notes {
            let body = match reseal(note.get(1)) {
                Ok(body) => body,
                Err(e) => return Ok(Err(e)),
            };
            sqlx::query("UPDATE notes SET body = ? WHERE id = ?")
                .bind(body)
                .bind(note.get::<i64, _>(0))
                .execute(&mut *tx)
                .await?;
            count += 1;
        }
        tx.commit().await?;
        Ok(Ok(count))
    }
}
