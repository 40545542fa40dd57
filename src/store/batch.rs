//! Group commit for new submissions, on a thread that owns its own SQLite connection: every
//! insert waiting when the thread comes round goes into one transaction. Under load that turns
//! hundreds of small commits into a few larger ones; alone, a submission is written at once.
//! Each caller is answered only after the commit: an acknowledged row is in the WAL.
//!
//! Why not sqlx here: each of its queries crosses to its connection's thread and back, and
//! every row it returns is another hand-off. On a busy two-core machine each of those waits for
//! a core, and the batches took 0.8 ms for 6 rows; the writer became the queue everyone stood
//! in. Here a batch costs one wake-up of this thread and one answer per row.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rocket::tokio::sync::{mpsc, oneshot};
use rusqlite::{params, Connection, TransactionBehavior};

use super::{SealedSubmission, StoreError, BUSY_TIMEOUT, PRAGMAS};

/// Rows in one transaction at most, so one batch never holds the others up for long.
const MAX_BATCH: usize = 256;

/// While submissions arrive together (the last batch had more than one), the writer waits
/// this long before taking the next batch. A commit's cost is mostly per transaction (a row
/// alone cost 120 µs, in a batch of 32 about 30 µs each), so under load a short wait buys
/// much larger batches; a lone visitor is never kept waiting.
const LINGER: Duration = Duration::from_millis(1);

struct Job {
    row: SealedSubmission,
    done: oneshot::Sender<Result<i64, String>>,
}

#[derive(Clone)]
pub struct Inserter {
    jobs: mpsc::Sender<Job>,
}

impl Inserter {
    /// Opens the writer's connection and starts its thread; the thread ends (and closes the
    /// connection) when the last `Inserter` goes.
    pub fn start(path: &Path) -> Result<Inserter, StoreError> {
        let conn = open(path)?;
        let path = path.to_path_buf();
        let (jobs, queue) = mpsc::channel(1024);
        std::thread::Builder::new()
            .name("contact-writer".into())
            .spawn(move || run(path, conn, queue))
            .map_err(|e| StoreError::Writer(e.to_string()))?;
        Ok(Inserter { jobs })
    }

    pub async fn insert(&self, row: SealedSubmission) -> Result<i64, StoreError> {
        let stopped = || StoreError::Writer("the writer has stopped".into());
        let (done, answer) = oneshot::channel();
        self.jobs.send(Job { row, done }).await.map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?.map_err(StoreError::Writer)
    }
}

fn open(path: &Path) -> Result<Connection, StoreError> {
    let failed = |e: rusqlite::Error| StoreError::Writer(e.to_string());
    let conn = Connection::open(path).map_err(failed)?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(failed)?;
    for (name, value) in PRAGMAS {
        conn.pragma_update(None, name, value).map_err(failed)?;
    }
    Ok(conn)
}

fn run(path: PathBuf, mut conn: Connection, mut queue: mpsc::Receiver<Job>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    let mut crowd = false;
    while let Some(first) = queue.blocking_recv() {
        if crowd {
            std::thread::sleep(LINGER);
        }
        batch.push(first);
        while batch.len() < MAX_BATCH {
            match queue.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        crowd = batch.len() > 1;
        // Open connections keep writing to a deleted file: nobody is thanked for a row that
        // was written nowhere.
        let stored = match path.is_file() {
            true => insert_all(&mut conn, &batch).map_err(|e| e.to_string()),
            false => Err(StoreError::FileMissing.to_string()),
        };
        match stored {
            Ok(ids) => {
                for (job, id) in batch.drain(..).zip(ids) {
                    let _ = job.done.send(Ok(id));
                }
            }
            Err(message) => {
                for job in batch.drain(..) {
                    let _ = job.done.send(Err(message.clone()));
                }
            }
        }
    }
}

/// One transaction for the batch: all of it is stored (and counted), or none and everyone
/// hears why.
fn insert_all(conn: &mut Connection, batch: &[Job]) -> rusqlite::Result<Vec<i64>> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut ids = Vec::with_capacity(batch.len());
    {
        let mut insert = tx.prepare_cached(
            "INSERT INTO submissions (created_at, name, email, email_index, phone, preferred_time,
                 message, phone_verdict, phone_country, phone_line_type, phone_carrier)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )?;
        for Job { row: s, .. } in batch {
            insert.execute(params![
                s.created_at,
                s.name,
                s.email,
                s.email_index,
                s.phone,
                s.preferred_time,
                s.message,
                s.phone_verdict.as_str(),
                s.phone_country,
                s.phone_line_type,
                s.phone_carrier,
            ])?;
            ids.push(tx.last_insert_rowid());
        }
    }
    // New rows take the column's default status, 'new'.
    tx.prepare_cached("UPDATE status_counts SET n = n + ?1 WHERE status = 'new'")?.execute([batch.len()])?;
    tx.commit()?;
    Ok(ids)
}
