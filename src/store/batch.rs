//! Group commit for new submissions, on a SQLite connection of their own: every insert waiting
//! when a commit begins goes into that one transaction. Under load that turns hundreds of
//! small commits into a few larger ones; alone, a submission is written at once (its commit
//! task runs as soon as its worker is free). Each caller is answered only after the commit: an
//! acknowledged row is in the WAL.
//!
//! Each commit runs in a task spawned for it on the async worker of the request that found no
//! commit under way, after the requests already ready there (their rows join), not on a
//! thread of its own: a writer thread had to wait for a core at every batch, and sleeping a
//! moment to gather a bigger batch left the cores idle while every visitor stood in its queue.
//! Committing at once in the first request wrote most batches with one row (64 % of them under
//! `submit`). A batch is a fraction of a millisecond of CPU. Not sqlx here either: each of its
//! queries crosses to its connection's thread and back, and every row it returns is another
//! hand-off.
//!
//! Checkpoints (copying the WAL back into the database file, two `fsync`s) mostly run on a
//! thread of their own beside the commits: SQLite's automatic checkpoint ran inside a commit
//! every 1000 pages, holding an async worker, and every visitor waiting for a commit, while
//! megabytes of WAL were synced. The writer keeps an automatic checkpoint at a larger size:
//! it only copies what came since the thread's last pass, and it is what lets the WAL start
//! afresh (a checkpoint beside a writer never finds the WAL complete), so the file stays
//! bounded under a flood.

use std::path::Path;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::{Arc, Mutex};

use rocket::tokio::sync::oneshot;
use rusqlite::{params, Connection, TransactionBehavior};

use super::{Channel, DatabaseFile, SealedSubmission, StoreError, BUSY_TIMEOUT, CONFIRMATION_EVERY, PRAGMAS};
use crate::sync::lock;

/// Rows in one transaction at most, so one batch never holds a worker for long.
const MAX_BATCH: usize = 256;

/// Rows committed between two passes of the checkpoint thread: short passes that copy pages
/// while they are still in the OS cache (every 2,000 rows measured no better).
const CHECKPOINT_EVERY: usize = 500;

/// WAL pages at which the writer checkpoints itself (the tail since the thread's last pass),
/// letting the next commit start the WAL afresh.
const WRITER_CHECKPOINT_PAGES: i64 = 4000;

struct Job {
    row: SealedSubmission,
    done: oneshot::Sender<Result<i64, String>>,
}

#[derive(Clone)]
pub struct Inserter {
    writer: Arc<Writer>,
}

struct Writer {
    file: Arc<DatabaseFile>,
    conn: Mutex<Connection>,
    queue: Mutex<Queue>,
    /// Wakes the checkpoint thread.
    checkpoint: SyncSender<()>,
}

#[derive(Default)]
struct Queue {
    waiting: Vec<Job>,
    /// A commit is under way or scheduled; it takes whatever waits when it begins.
    committing: bool,
    /// Rows committed since the checkpoint thread was last woken.
    uncheckpointed: usize,
}

impl Inserter {
    /// Opens the writer's connection and starts the checkpoint thread; both end when the last
    /// `Inserter` goes.
    pub fn start(path: &Path, file: Arc<DatabaseFile>) -> Result<Inserter, StoreError> {
        let conn = open(path)?;
        conn.pragma_update(None, "wal_autocheckpoint", WRITER_CHECKPOINT_PAGES)
            .map_err(|e| StoreError::Writer(e.to_string()))?;
        let checkpointer = open(path)?;
        let (checkpoint, wake) = sync_channel(1);
        let writer = Arc::new(Writer { file, conn: Mutex::new(conn), queue: Mutex::default(), checkpoint });
        std::thread::Builder::new()
            .name("contact-checkpt".into())
            .spawn(move || checkpoint_when_woken(checkpointer, wake))
            .map_err(|e| StoreError::Writer(e.to_string()))?;
        Ok(Inserter { writer })
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
        let stopped = || StoreError::Writer("the writer has stopped".into());
        answer.await.map_err(|_| stopped())?.map_err(StoreError::Writer)
    }
}

/// Commits what waits now, answers each caller, and leaves the rows that came meanwhile to a
/// task of their own, so that no request carries other people's batches after its own.
fn commit_waiting(writer: &Arc<Writer>) {
    let batch: Vec<Job> = {
        let mut queue = lock(&writer.queue);
        let n = queue.waiting.len().min(MAX_BATCH);
        queue.waiting.drain(..n).collect()
    };
    let batch_len = batch.len();
    // Open connections keep writing to a deleted or overwritten file: nobody is thanked for a
    // row that was written nowhere.
    let stored = match writer.file.check() {
        Ok(()) => insert_all(&mut lock(&writer.conn), &batch).map_err(|e| e.to_string()),
        Err(e) => Err(e.to_string()),
    };
    match stored {
        Ok(ids) => {
            for (job, id) in batch.into_iter().zip(ids) {
                let _ = job.done.send(Ok(id));
            }
        }
        Err(message) => {
            for job in batch {
                let _ = job.done.send(Err(message.clone()));
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
        // Full means a pass is already due; closed means the thread died, and the writer's
        // own checkpoints still bound the WAL.
        let _ = writer.checkpoint.try_send(());
    }
    if more {
        commit_soon(writer);
    }
}

/// Commits in a task of its own, behind the requests already ready on this worker: their rows
/// join the batch, and waiting costs no idle core (a sleep did: 12 % fewer flows). A task, not
/// the leading request itself, because a request can be dropped while it waits, and the turn
/// must not be lost with it.
fn commit_soon(writer: &Arc<Writer>) {
    let writer = Arc::clone(writer);
    rocket::tokio::spawn(async move {
        rocket::tokio::task::yield_now().await;
        commit_waiting(&writer)
    });
}

/// The checkpoint thread: a passive checkpoint each time it is woken, beside the commits.
/// It ends when the writer goes (the channel closes).
fn checkpoint_when_woken(conn: Connection, wake: Receiver<()>) {
    while wake.recv().is_ok() {
        if let Err(e) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
            log::warn!("background checkpoint failed (the writer's own ones go on): {e}");
        }
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

/// One transaction for the batch: all of it is stored (and counted), or none and everyone
/// hears why.
fn insert_all(conn: &mut Connection, batch: &[Job]) -> rusqlite::Result<Vec<i64>> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut ids = Vec::with_capacity(batch.len());
    {
        let mut insert = tx.prepare_cached(
            "INSERT INTO submissions (created_at, name, email, phone, preferred_time,
                 message, phone_verdict, phone_country, phone_line_type, phone_carrier)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?;
        let mut email_key = tx.prepare_cached(
            "INSERT INTO submission_email_keys (submission_id, email_index) VALUES (?1, ?2)",
        )?;
        let mut notification = tx.prepare_cached(
            "INSERT INTO notifications (submission_id, channel, event_id, due_at)
             VALUES (?1, ?2, 'msg_' || lower(hex(randomblob(16))), ?3)",
        )?;
        // A confirmation only when the address had none in the last day; the row is claimed
        // here, in the same transaction, so concurrent submissions can't both get one.
        let mut confirmation_due = tx.prepare_cached(
            "INSERT INTO visitor_confirmations (email_index, sent_at) VALUES (?1, ?2)
             ON CONFLICT (email_index) DO UPDATE SET sent_at = excluded.sent_at WHERE sent_at <= ?2 - ?3",
        )?;
        for Job { row: s, .. } in batch {
            insert.execute(params![
                s.created_at,
                s.name,
                s.email,
                s.phone,
                s.preferred_time,
                s.message,
                s.phone_verdict.as_str(),
                s.phone_country,
                s.phone_line_type,
                s.phone_carrier,
            ])?;
            let id = tx.last_insert_rowid();
            email_key.execute(params![id, s.email_index.as_bytes()])?;
            let n = &s.notify;
            let confirm = n.confirmation
                && confirmation_due.execute(params![s.email_index.as_bytes(), n.now, CONFIRMATION_EVERY])? == 1;
            for (wanted, channel) in
                [(n.email, Channel::Email), (n.webhook, Channel::Webhook), (confirm, Channel::Confirmation)]
            {
                if wanted {
                    notification.execute(params![id, channel.as_str(), n.now])?;
                }
            }
            ids.push(id);
        }
    }
    // New rows take the column's default status, 'new'.
    tx.prepare_cached("UPDATE status_counts SET n = n + ?1 WHERE status = 'new'")?.execute([batch.len()])?;
    tx.commit()?;
    Ok(ids)
}
