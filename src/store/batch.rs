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

use std::any::Any;
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

/// Work for the writer's next transaction.
enum Job {
    /// A new submission (with its notifications); answered with its id.
    Insert { row: Box<SealedSubmission>, done: oneshot::Sender<Result<i64, String>> },
    /// Other writes on the hot path (the outbox's claims and outcomes), each in a savepoint of
    /// the batch, so that its failure fails it alone; answered once the batch is committed.
    Run { work: Work, done: oneshot::Sender<Result<Done, String>> },
}

type Done = Box<dyn Any + Send>;
type Work = Box<dyn FnOnce(&Connection) -> rusqlite::Result<Done> + Send>;

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
    /// The runtime the store was opened on (the server's): commits run there even when the
    /// notification worker, on its low-priority thread, leads a batch.
    runtime: rocket::tokio::runtime::Handle,
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
        let runtime = rocket::tokio::runtime::Handle::try_current().map_err(|e| StoreError::Writer(e.to_string()))?;
        let writer = Arc::new(Writer { file, conn: Mutex::new(conn), queue: Mutex::default(), checkpoint, runtime });
        std::thread::Builder::new()
            .name("contact-checkpt".into())
            .spawn(move || checkpoint_when_woken(checkpointer, wake))
            .map_err(|e| StoreError::Writer(e.to_string()))?;
        Ok(Inserter { writer })
    }

    pub async fn insert(&self, row: SealedSubmission) -> Result<i64, StoreError> {
        let (done, answer) = oneshot::channel();
        self.enqueue(Job::Insert { row: Box::new(row), done });
        answer.await.map_err(|_| stopped())?.map_err(StoreError::Writer)
    }

    /// Runs `work` in the next batch's transaction. Writes that come often go here rather than
    /// through another connection: SQLite has one writer at a time, and a second connection's
    /// transaction made the batches wait for its lock, blocking their async workers in
    /// SQLite's busy handler.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Connection) -> rusqlite::Result<T> + Send + 'static,
    ) -> Result<T, StoreError> {
        let (done, answer) = oneshot::channel();
        let work: Work = Box::new(move |conn| work(conn).map(|value| Box::new(value) as Done));
        self.enqueue(Job::Run { work, done });
        let value = answer.await.map_err(|_| stopped())?.map_err(StoreError::Writer)?;
        value.downcast::<T>().map(|value| *value).map_err(|_| StoreError::Writer("unexpected answer".into()))
    }

    fn enqueue(&self, job: Job) {
        let lead = {
            let mut queue = lock(&self.writer.queue);
            queue.waiting.push(job);
            !std::mem::replace(&mut queue.committing, true)
        };
        if lead {
            commit_soon(&self.writer);
        }
    }
}

fn stopped() -> StoreError {
    StoreError::Writer("the writer has stopped".into())
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
    let (dones, works): (Vec<Answer>, Vec<Task>) = batch.into_iter().map(Job::split).unzip();
    let results = match writer.file.check() {
        Ok(()) => write_all(&mut lock(&writer.conn), works).map_err(|e| e.to_string()),
        Err(e) => Err(e.to_string()),
    };
    match results {
        Ok(results) => {
            for (done, result) in dones.into_iter().zip(results) {
                done.send(result);
            }
        }
        Err(message) => {
            for done in dones {
                done.send(Err(message.clone()));
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
    let runtime = writer.runtime.clone();
    let writer = Arc::clone(writer);
    runtime.spawn(async move {
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

/// Where a job's answer goes.
enum Answer {
    Id(oneshot::Sender<Result<i64, String>>),
    Value(oneshot::Sender<Result<Done, String>>),
}

/// What a job writes.
enum Task {
    Insert(Box<SealedSubmission>),
    Run(Work),
}

/// A job's result before it is sent: an id or a value.
enum Written {
    Id(i64),
    Value(Done),
}

impl Job {
    fn split(self) -> (Answer, Task) {
        match self {
            Job::Insert { row, done } => (Answer::Id(done), Task::Insert(row)),
            Job::Run { work, done } => (Answer::Value(done), Task::Run(work)),
        }
    }
}

impl Answer {
    fn send(self, result: Result<Written, String>) {
        let failed = |other: Result<Written, String>| other.err().unwrap_or_else(|| "unexpected answer".into());
        match (self, result) {
            (Answer::Id(done), Ok(Written::Id(id))) => drop(done.send(Ok(id))),
            (Answer::Value(done), Ok(Written::Value(value))) => drop(done.send(Ok(value))),
            (Answer::Id(done), other) => drop(done.send(Err(failed(other)))),
            (Answer::Value(done), other) => drop(done.send(Err(failed(other)))),
        }
    }
}

/// One transaction for the batch: every new submission is stored (and counted), or none and
/// everyone hears why; each other job in a savepoint of its own.
fn write_all(conn: &mut Connection, batch: Vec<Task>) -> rusqlite::Result<Vec<Result<Written, String>>> {
    let mut tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut results = Vec::with_capacity(batch.len());
    let mut inserted = 0;
    for task in batch {
        results.push(match task {
            Task::Insert(row) => {
                inserted += 1;
                Ok(Written::Id(insert(&tx, &row)?))
            }
            Task::Run(work) => {
                let savepoint = tx.savepoint()?;
                match work(&savepoint) {
                    Ok(value) => {
                        savepoint.commit()?;
                        Ok(Written::Value(value))
                    }
                    Err(e) => Err(e.to_string()),
                }
            }
        });
    }
    // New rows take the column's default status, 'new'.
    if inserted > 0 {
        tx.prepare_cached("UPDATE status_counts SET n = n + ?1 WHERE status = 'new'")?.execute([inserted])?;
    }
    tx.commit()?;
    Ok(results)
}

/// A new submission, its email key, and its notifications.
fn insert(tx: &Connection, s: &SealedSubmission) -> rusqlite::Result<i64> {
    tx.prepare_cached(
        "INSERT INTO submissions (created_at, name, email, phone, preferred_time,
             message, phone_verdict, phone_country, phone_line_type, phone_carrier, time_zone, language)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(params![
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
        s.time_zone,
        s.language,
    ])?;
    let id = tx.last_insert_rowid();
    tx.prepare_cached("INSERT INTO submission_email_keys (submission_id, email_index) VALUES (?1, ?2)")?
        .execute(params![id, s.email_index.as_bytes()])?;
    let n = &s.notify;
    // A confirmation only when the address had none in the last day; the row is claimed here,
    // in the same transaction, so concurrent submissions can't both get one.
    let confirm = n.confirmation
        && tx
            .prepare_cached(
                "INSERT INTO visitor_confirmations (email_index, sent_at) VALUES (?1, ?2)
                 ON CONFLICT (email_index) DO UPDATE SET sent_at = excluded.sent_at WHERE sent_at <= ?2 - ?3",
            )?
            .execute(params![s.email_index.as_bytes(), n.now, CONFIRMATION_EVERY])?
            == 1;
    for (wanted, channel) in [(n.email, Channel::Email), (n.webhook, Channel::Webhook), (confirm, Channel::Confirmation)] {
        if wanted {
            tx.prepare_cached(
                "INSERT INTO notifications (submission_id, channel, event_id, due_at)
                 VALUES (?1, ?2, 'msg_' || lower(hex(randomblob(16))), ?3)",
            )?
            .execute(params![id, channel.as_str(), n.now])?;
        }
    }
    Ok(id)
}
