//! Submissions and their notes. Personal columns arrive and leave as Fernet tokens.

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

/// A row of [`SUMMARY_COLUMNS`] or [`COLUMNS`], as sqlx reads it from either database.
type Columns = (
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
);

impl From<Columns> for SubmissionRow {
    fn from(c: Columns) -> SubmissionRow {
        SubmissionRow {
            id: c.0,
            created_at: c.1,
            name: c.2,
            email: c.3,
            phone: c.4,
            preferred_time: c.5,
            time_zone: c.6,
            language: c.7,
            message: c.8,
            status: c.9,
            phone_verdict: c.10,
            phone_country: c.11,
            phone_line_type: c.12,
            phone_carrier: c.13,
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

/// What a list shows of each submission: all but the message.
const SUMMARY_COLUMNS: &str = "id, created_at, name, email, phone, preferred_time, time_zone, language, \
     NULL AS message, status, phone_verdict, phone_country, phone_line_type, phone_carrier";
/// The whole submission.
const COLUMNS: &str = "id, created_at, name, email, phone, preferred_time, time_zone, language, \
     message, status, phone_verdict, phone_country, phone_line_type, phone_carrier";

impl Store {
    /// Refused when the file is gone: a visitor is never thanked for a row written nowhere.
    /// Written together with the submissions arriving at the same moment (group commit).
    pub async fn insert_submission(&self, s: SealedSubmission) -> Result<i64, StoreError> {
        self.inserter.insert(s).await
    }

    /// One page, newest first, and how many match in all. The WHERE clause names only the
    /// filters given, so that the database answers from the status index (or the narrow table
    /// of email keys) instead of reading every row.
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
            conditions.push(format!("status = ${}", conditions.len() + 1));
        }
        if filter.email_index.is_some() {
            conditions.push(format!(
                "id IN (SELECT submission_id FROM submission_email_keys WHERE email_index = ${})",
                conditions.len() + 1
            ));
        }
        let n = conditions.len();
        let clause =
            if conditions.is_empty() { String::new() } else { format!("WHERE {}", conditions.join(" AND ")) };
        let page_sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM submissions {clause} ORDER BY id DESC LIMIT ${} OFFSET ${}",
            n + 1,
            n + 2
        );
        let count_sql = format!("SELECT count(*) FROM submissions {clause}");
        let index = filter.email_index.as_ref().map(|i| i.as_bytes().as_slice());
        let (rows, count) = on_pool!(self.backend, reads, |pool| {
            let mut page = sqlx::query_as::<_, Columns>(&page_sql);
            let mut count = sqlx::query_scalar(&count_sql);
            if let Some(status) = filter.status {
                page = page.bind(status);
                count = count.bind(status);
            }
            if let Some(index) = index {
                page = page.bind(index);
                count = count.bind(index);
            }
            let rows = page.bind(i64::from(limit)).bind(i64::from(offset)).fetch_all(pool).await?;
            let last_page = rows.len() < limit as usize && (offset == 0 || !rows.is_empty());
            let count: i64 = match known_total {
                Some(total) => total,
                None if last_page => i64::from(offset) + rows.len() as i64,
                None => count.fetch_one(pool).await?,
            };
            (rows, count)
        });
        Ok((rows.into_iter().map(SubmissionRow::from).collect(), count))
    }

    /// `(id, name token, phone token)` of every submission with the status, newest first: what a
    /// substring search has to decrypt.
    pub async fn search_candidates(
        &self,
        status: Option<&str>,
    ) -> Result<Vec<(i64, String, String)>, StoreError> {
        Ok(on_pool!(self.backend, reads, |pool| {
            sqlx::query_as(
                "SELECT id, name, phone FROM submissions WHERE $1 IS NULL OR status = $1 ORDER BY id DESC",
            )
            .bind(status)
            .fetch_all(pool)
            .await?
        }))
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
        let json = super::json_ids(ids);
        let ids_in = self.backend.dialect().ids_in_json();
        let sql = format!("SELECT {columns} FROM submissions WHERE id IN ({ids_in}) ORDER BY id DESC");
        let rows = on_pool!(self.backend, reads, |pool| {
            sqlx::query_as::<_, Columns>(&sql).bind(&json).fetch_all(pool).await?
        });
        Ok(rows.into_iter().map(SubmissionRow::from).collect())
    }

    /// How many submissions have each status: kept in `status_counts` as rows come and go
    /// (counting 10,000 index entries was a third of the dashboard's time).
    pub async fn status_counts(&self) -> Result<Vec<(String, i64)>, StoreError> {
        Ok(on_pool!(self.backend, reads, |pool| {
            sqlx::query_as("SELECT status, n FROM status_counts WHERE n > 0 ORDER BY status").fetch_all(pool).await?
        }))
    }

    pub async fn get(&self, id: i64) -> Result<Option<SubmissionRow>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM submissions WHERE id = $1");
        let row = on_pool!(self.backend, reads, |pool| {
            sqlx::query_as::<_, Columns>(&sql).bind(id).fetch_optional(pool).await?
        });
        Ok(row.map(SubmissionRow::from))
    }

    /// Every submission, oldest first (exports).
    pub async fn all(&self) -> Result<Vec<SubmissionRow>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM submissions ORDER BY id");
        let rows = on_pool!(self.backend, reads, |pool| sqlx::query_as::<_, Columns>(&sql).fetch_all(pool).await?);
        Ok(rows.into_iter().map(SubmissionRow::from).collect())
    }

    /// Up to `limit` stored ciphertexts, newest first: the names of the latest submissions and
    /// the bodies of the latest notes (to check that the configured keys open the data).
    pub async fn sealed_sample(&self, limit: u32) -> Result<Vec<String>, StoreError> {
        Ok(on_pool!(self.backend, reads, |pool| {
            sqlx::query_scalar(
                "SELECT token FROM (SELECT name AS token FROM submissions ORDER BY id DESC LIMIT $1) AS names
                 UNION ALL SELECT token FROM (SELECT body AS token FROM notes ORDER BY id DESC LIMIT $1) AS bodies",
            )
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await?
        }))
    }

    pub async fn notes(&self, submission_id: i64) -> Result<Vec<NoteRow>, StoreError> {
        let rows: Vec<(String, String)> = on_pool!(self.backend, reads, |pool| {
            sqlx::query_as("SELECT created_at, body FROM notes WHERE submission_id = $1 ORDER BY id")
                .bind(submission_id)
                .fetch_all(pool)
                .await?
        });
        Ok(rows.into_iter().map(|(created_at, body)| NoteRow { created_at, body }).collect())
    }

    /// False when the submission does not exist.
    pub async fn add_note(
        &self,
        submission_id: i64,
        created_at: &str,
        body: &str,
    ) -> Result<bool, StoreError> {
        let done = on_pool!(self.backend, writer, |pool| {
            sqlx::query(
                "INSERT INTO notes (submission_id, created_at, body) SELECT id, $1, $2 FROM submissions WHERE id = $3",
            )
            .bind(created_at)
            .bind(body)
            .bind(submission_id)
            .execute(pool)
            .await?
            .rows_affected()
        });
        Ok(done == 1)
    }

    /// False when the submission does not exist.
    pub async fn set_status(&self, id: i64, status: &str) -> Result<bool, StoreError> {
        let done = on_pool!(self.backend, writer, |pool| {
            sqlx::query("UPDATE submissions SET status = $1 WHERE id = $2")
                .bind(status)
                .bind(id)
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(done == 1)
    }

    /// Deletes the submission for good with its notes, key and notifications; false when it
    /// did not exist.
    pub async fn delete(&self, id: i64) -> Result<bool, StoreError> {
        Ok(self.erase(&[id]).await? == 1)
    }

    /// Rewrites every sealed value through `reseal` (and the email index through `index`) in
    /// one transaction: all or nothing. Returns how many values were rewritten.
    pub async fn reseal_all<E>(
        &self,
        reseal: impl Fn(&str) -> Result<String, E>,
        index: impl Fn(&str) -> Result<IndexKey, E>,
    ) -> Result<Result<u64, E>, StoreError> {
        on_pool!(self.backend, writer, |pool| {
            let mut tx = pool.begin().await?;
            let rows: Vec<(i64, String, String, String, String)> =
                sqlx::query_as("SELECT id, name, email, phone, message FROM submissions").fetch_all(&mut *tx).await?;
            let notes: Vec<(i64, String)> = sqlx::query_as("SELECT id, body FROM notes").fetch_all(&mut *tx).await?;
            let mut count = 0;
            // An error returns before the commit: the transaction rolls back as it is dropped.
            for (id, name, email, phone, message) in &rows {
                let sealed = (|| Ok((reseal(name)?, reseal(email)?, index(email)?, reseal(phone)?, reseal(message)?)))();
                let (name, email, email_index, phone, message) = match sealed {
                    Ok(values) => values,
                    Err(e) => return Ok(Err(e)),
                };
                sqlx::query("UPDATE submissions SET name = $1, email = $2, phone = $3, message = $4 WHERE id = $5")
                    .bind(name)
                    .bind(email)
                    .bind(phone)
                    .bind(message)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("UPDATE submission_email_keys SET email_index = $1 WHERE submission_id = $2")
                    .bind(email_index.as_bytes().as_slice())
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                count += 4;
            }
            for (id, body) in &notes {
                let body = match reseal(body) {
                    Ok(body) => body,
                    Err(e) => return Ok(Err(e)),
                };
                sqlx::query("UPDATE notes SET body = $1 WHERE id = $2").bind(body).bind(id).execute(&mut *tx).await?;
                count += 1;
            }
            tx.commit().await?;
            Ok(Ok(count))
        })
    }
}
