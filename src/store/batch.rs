//! Group commit for new submissions: every insert waiting when a commit begins goes into that
//! one transaction, as a few multi-row statements whatever the number of rows. Under load that
//! turns hundreds of small commits into a few larger ones; alone, a submission is written at
//! once (its commit task runs as soon as its worker is free). Each caller is answered only
//! after the commit: an acknowledged row is in SQLite's WAL, or committed by PostgreSQL.
//!
//! Each commit runs in a task spawned for it on the runtime the store was opened on, after the
//! requests already ready there (their rows join), not on a thread of its own: a writer thread
//! had to wait for a core at every batch, and sleeping a moment to gather a bigger batch left
//! the cores idle while every visitor stood in its queue. A task, not the leading request
//! itself, because a request can be dropped while it waits, and the turn must not be lost
//! with it.
//!
//! SQLite's checkpoints (copying the WAL back into the database file, two `fsync`s) mostly run
//! on a connection of their own beside the commits: SQLite's automatic checkpoint ran inside
//! a commit every 1000 pages, and every visitor waiting for a commit waited for megabytes of
//! WAL to be synced. The writer keeps an automatic checkpoint at a larger size: it only copies
//! what came since the last pass, and it is what lets the WAL start afresh (a checkpoint beside
//! a writer never finds the WAL complete), so the file stays bounded under a flood.

use std::collections::HashSet;
use std::fmt::Write;
use std::sync::{Arc, Mutex};

use rand::RngCore;
use rocket::tokio::sync::{mpsc, oneshot};

use super::{Backend, Channel, Dialect, SealedSubmission, StoreError, CONFIRMATION_EVERY};
use crate::sync::lock;

/// Rows in one transaction at most, so one batch never holds the writer for long (and its
/// statements stay under every database's limit on parameters).
const MAX_BATCH: usize = 256;

/// Rows committed between two passes of the checkpoint connection: short passes that copy
/// pages while they are still in the OS cache (every 2,000 rows measured no better).
const CHECKPOINT_EVERY: usize = 500;

/// WAL pages at which SQLite's writer checkpoints itself (the tail since the last pass),
/// letting the next commit start the WAL afresh.
pub(super) const WRITER_CHECKPOINT_PAGES: i64 = 4000;

/// A new submission waiting for its batch, and who to tell its id.
struct Job {
    row: SealedSubmission,
    done: oneshot::Sender<Result<i64, String>>,
}

#[derive(Clone)]
pub struct Inserter {
    writer: Arc<Writer>,
}

struct Writer {
    backend: Arc<Backend>,
    queue: Mutex<Queue>,
    /// Wakes the checkpoint task (SQLite only).
    checkpoint: Option<mpsc::Sender<()>>,
    /// The runtime the store was opened on (the server's): commits run there even when the
    /// notification worker, on its low-priority thread, leads a batch.
    runtime: rocket::tokio::runtime::Handle,
}

#[derive(Default)]
struct Queue {
    waiting: Vec<Job>,
    /// A commit is under way or scheduled; it takes whatever waits when it begins.
    committing: bool,
    /// Rows committed since the checkpoint task was last woken.
    uncheckpointed: usize,
}

impl Inserter {
    /// Starts SQLite's checkpoint task; it ends when the last `Inserter` goes.
    pub fn start(backend: Arc<Backend>) -> Result<Inserter, StoreError> {
        let runtime = rocket::tokio::runtime::Handle::try_current().map_err(|e| StoreError::Writer(e.to_string()))?;
        let checkpoint = match &*backend {
            Backend::Sqlite(sqlite) => {
                let (wake, woken) = mpsc::channel(1);
                runtime.spawn(checkpoint_when_woken(sqlite.reads.clone(), woken));
                Some(wake)
            }
            Backend::Postgres(_) => None,
        };
        let writer = Arc::new(Writer { backend, queue: Mutex::default(), checkpoint, runtime });
        Ok(Inserter { writer })
    }

    /// Wakes the checkpoint task after a write of some size outside the batches (a purge's
    /// deletes), so the writer's own checkpoint doesn't copy all of it inside a commit.
    pub fn checkpoint_soon(&self) {
        if let Some(checkpoint) = &self.writer.checkpoint {
            // Full means a pass is already due.
            let _ = checkpoint.try_send(());
        }
    }

    pub async fn insert(&self, row: SealedSubmission) -> Result<i64, StoreError> {
        let (done, answer) = oneshot::channel();
        let lead = {
            let mut queue = lock(&self.writer.queue);
            queue.waiting.push(Job { row, done });
            !std::mem::replace(&mut queue.committing, true)
        };
        if lead {
            commit_soon(&self.writer);
        }
        answer
            .await
            .map_err(|_| StoreError::Writer("the writer has stopped".into()))?
            .map_err(StoreError::Writer)
    }
}

/// Commits what waits now, answers each caller, and leaves the rows that came meanwhile to a
/// task of their own, so that no request carries other people's batches after its own.
async fn commit_waiting(writer: &Arc<Writer>) {
    let batch: Vec<Job> = {
        let mut queue = lock(&writer.queue);
        let n = queue.waiting.len().min(MAX_BATCH);
        queue.waiting.drain(..n).collect()
    };
    let batch_len = batch.len();
    let (rows, dones): (Vec<SealedSubmission>, Vec<_>) = batch.into_iter().map(|j| (j.row, j.done)).unzip();
    match write_batch(&writer.backend, &rows).await {
        Ok(ids) => {
            for (done, id) in dones.into_iter().zip(ids) {
                let _ = done.send(Ok(id));
            }
        }
        Err(e) => {
            let message = e.to_string();
            for done in dones {
                let _ = done.send(Err(message.clone()));
            }
        }
    }
    let (checkpoint_due, more) = {
        let mut queue = lock(&writer.queue);
        queue.uncheckpointed += batch_len;
        let due = queue.uncheckpointed >= CHECKPOINT_EVERY;
        if due {
            queue.uncheckpointed = 0;
        }
        queue.committing = !queue.waiting.is_empty();
        (due, queue.committing)
    };
    if checkpoint_due {
        Inserter { writer: Arc::clone(writer) }.checkpoint_soon();
    }
    if more {
        commit_soon(writer);
    }
}

/// Commits in a task of its own, behind the requests already ready on this worker: their rows
/// join the batch, and waiting costs no idle core (a sleep did: 12 % fewer flows).
fn commit_soon(writer: &Arc<Writer>) {
    let runtime = writer.runtime.clone();
    let writer = Arc::clone(writer);
    runtime.spawn(async move {
        rocket::tokio::task::yield_now().await;
        commit_waiting(&writer).await
    });
}

/// A passive checkpoint each time it is woken, beside the commits; it ends when the writer
/// goes (the channel closes).
async fn checkpoint_when_woken(reads: sqlx::SqlitePool, mut woken: mpsc::Receiver<()>) {
    while woken.recv().await.is_some() {
        if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)").execute(&reads).await {
            log::warn!("background checkpoint failed (the writer's own ones go on): {e}");
        }
    }
}

/// `($1, $2, …), (…)`: `rows` groups of `columns` parameters, numbered from `$1`.
pub(super) fn values(rows: usize, columns: usize) -> String {
    values_from(1, rows, columns)
}

/// `($first, …), (…)`: `rows` groups of `columns` parameters, numbered from `$first`.
fn values_from(first: usize, rows: usize, columns: usize) -> String {
    let mut sql = String::with_capacity(rows * columns * 6);
    for row in 0..rows {
        sql.push_str(if row == 0 { "(" } else { ", (" });
        for column in 0..columns {
            let separator = if column > 0 { ", " } else { "" };
            let _ = write!(sql, "{separator}${}", first + row * columns + column);
        }
        sql.push(')');
    }
    sql
}

/// The rest of a batch once its ids are known, as one statement (one trip to the database):
/// the email keys, the notifications and the `new` count. SQLite runs a string of statements
/// as one query; PostgreSQL takes several only as data-modifying `WITH` parts of one.
fn rest_of_batch(dialect: Dialect, rows: usize, notifications: usize) -> String {
    let keys =
        format!("INSERT INTO submission_email_keys (submission_id, email_index) VALUES {}", values(rows, 2));
    let notify = (notifications > 0).then(|| {
        format!(
            "INSERT INTO notifications (submission_id, channel, event_id, due_at) VALUES {}",
            values_from(2 * rows + 1, notifications, 4)
        )
    });
    // New rows take the column's default status, 'new'.
    let count = format!("UPDATE status_counts SET n = n + ${} WHERE status = 'new'", 2 * rows + 4 * notifications + 1);
    let parts = std::iter::once(keys).chain(notify);
    match dialect {
        Dialect::Sqlite => parts.chain([count]).collect::<Vec<_>>().join(";\n"),
        Dialect::Postgres => {
            let with: Vec<String> = parts.enumerate().map(|(i, part)| format!("part{i} AS ({part})")).collect();
            format!("WITH {} {count}", with.join(", "))
        }
    }
}

/// `webhook-id` of a notification: the same on every attempt, unguessable.
fn event_id() -> String {
    let mut bytes = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut bytes);
    bytes.iter().fold(String::from("msg_"), |mut id, b| {
        let _ = write!(id, "{b:02x}");
        id
    })
}

/// The notifications of the batch's rows, as `(submission id, channel, due at)`: a visitor's
/// receipt only for the first row of an address whose claim went through (`confirmed`).
fn planned_notifications(
    rows: &[SealedSubmission],
    ids: &[i64],
    mut confirmed: HashSet<Vec<u8>>,
) -> Vec<(i64, Channel, i64)> {
    let mut planned = Vec::new();
    for (s, id) in rows.iter().zip(ids) {
        let n = &s.notify;
        let confirm = n.confirmation && confirmed.remove(s.email_index.as_bytes().as_slice());
        for (wanted, channel) in [(n.email, Channel::Email), (n.webhook, Channel::Webhook), (confirm, Channel::Confirmation)]
        {
            if wanted {
                planned.push((*id, channel, n.now));
            }
        }
    }
    planned
}

/// One transaction for the batch: every new submission is stored (and counted) with its email
/// key and its notifications, or none is and everyone hears why. The ids, in `rows`' order.
async fn write_batch(backend: &Backend, rows: &[SealedSubmission]) -> Result<Vec<i64>, StoreError> {
    if let Backend::Sqlite(sqlite) = backend {
        // Open connections keep writing to a deleted or overwritten file: nobody is thanked
        // for a row that was written nowhere.
        sqlite.file.check()?;
    }
    let insert_rows = format!(
        "INSERT INTO submissions (created_at, name, email, phone, preferred_time, message, phone_verdict,
             phone_country, phone_line_type, phone_carrier, time_zone, language)
         VALUES {} RETURNING id",
        values(rows.len(), 12)
    );
    let dialect = backend.dialect();
    // A confirmation only when the address had none in the last day; the row is claimed here,
    // in the same transaction, so concurrent submissions can't both get one. Once per address
    // in a batch: an upsert may not touch one row twice.
    let mut seen = HashSet::new();
    let asking: Vec<&SealedSubmission> =
        rows.iter().filter(|s| s.notify.confirmation && seen.insert(s.email_index.as_bytes())).collect();
    let claim_confirmations = (!asking.is_empty()).then(|| {
        format!(
            "INSERT INTO visitor_confirmations (email_index, sent_at) VALUES {}
             ON CONFLICT (email_index) DO UPDATE SET sent_at = excluded.sent_at
             WHERE visitor_confirmations.sent_at <= excluded.sent_at - {CONFIRMATION_EVERY}
             RETURNING email_index",
            values(asking.len(), 2)
        )
    });
    on_pool!(backend, writer, |pool| {
        let mut tx = pool.begin().await?;
        let mut insert = sqlx::query_scalar(&insert_rows);
        for s in rows {
            insert = insert
                .bind(&s.created_at)
                .bind(&s.name)
                .bind(&s.email)
                .bind(&s.phone)
                .bind(&s.preferred_time)
                .bind(&s.message)
                .bind(s.phone_verdict.as_str())
                .bind(&s.phone_country)
                .bind(&s.phone_line_type)
                .bind(&s.phone_carrier)
                .bind(&s.time_zone)
                .bind(s.language);
        }
        // Ids are handed out in the order the rows are inserted.
        let mut ids: Vec<i64> = insert.fetch_all(&mut *tx).await?;
        ids.sort_unstable();
        let confirmed: HashSet<Vec<u8>> = match &claim_confirmations {
            None => HashSet::new(),
            Some(sql) => {
                let mut claim = sqlx::query_scalar(sql);
                for s in &asking {
                    claim = claim.bind(s.email_index.as_bytes().as_slice()).bind(s.notify.now);
                }
                claim.fetch_all(&mut *tx).await?.into_iter().collect()
            }
        };
        let notifications = planned_notifications(rows, &ids, confirmed);
        let sql = rest_of_batch(dialect, rows.len(), notifications.len());
        let mut rest = sqlx::query(&sql);
        for (s, id) in rows.iter().zip(&ids) {
            rest = rest.bind(id).bind(s.email_index.as_bytes().as_slice());
        }
        for (id, channel, due_at) in &notifications {
            rest = rest.bind(id).bind(channel.as_str()).bind(event_id()).bind(due_at);
        }
        rest.bind(rows.len() as i64).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(ids)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `$N` a statement uses, in order of first appearance.
    fn parameters(sql: &str) -> Vec<usize> {
        let mut seen = Vec::new();
        for piece in sql.split('$').skip(1) {
            let digits: String = piece.chars().take_while(char::is_ascii_digit).collect();
            let n = digits.parse().expect("a number after $");
            if !seen.contains(&n) {
                seen.push(n);
            }
        }
        seen
    }

    #[test]
    fn the_rest_of_a_batch_numbers_its_parameters_once_each_in_bind_order() {
        for dialect in [Dialect::Sqlite, Dialect::Postgres] {
            for (rows, notifications) in [(1, 0), (1, 3), (7, 12), (256, 768)] {
                let sql = rest_of_batch(dialect, rows, notifications);
                let expected: Vec<usize> = (1..=2 * rows + 4 * notifications + 1).collect();
                assert_eq!(parameters(&sql), expected, "{dialect:?} {rows} {notifications}");
            }
        }
        assert!(rest_of_batch(Dialect::Postgres, 2, 1).starts_with("WITH part0 AS (INSERT"));
        assert_eq!(rest_of_batch(Dialect::Sqlite, 2, 0).matches(";\n").count(), 1, "keys; count");
    }
}
