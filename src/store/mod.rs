//! The database: a SQLite file in WAL mode (the default), or a PostgreSQL server that several
//! instances share, both through sqlx. Each query is written once, in the SQL both accept
//! (`$1` parameters, `ON CONFLICT`, `RETURNING`), and compiled for each backend by
//! [`on_pool!`]; the few statements that differ are chosen by [`Dialect`] where they are. The
//! store only ever sees sealed values: personal fields arrive here as Fernet tokens.

/// Runs `$body` with `$pool` bound to the pool of the backend the store opened: `reads` (a
/// few read-only SQLite connections) or `writer` (SQLite's one writing connection), which are
/// one pool on PostgreSQL. The body is compiled once per backend, so every query in it is
/// typed for the database it runs on.
macro_rules! on_pool {
    ($backend:expr, $role:ident, |$pool:ident| $body:expr) => {
        match &*$backend {
            $crate::store::Backend::Sqlite(sqlite) => {
                let $pool = &sqlite.$role;
                $body
            }
            $crate::store::Backend::Postgres($pool) => $body,
        }
    };
}

mod admin;
mod batch;
mod copy;
mod erasure;
mod migrations;
mod outbox;
mod submissions;
mod users;

pub use admin::{AuditEntry, Throttle};
pub use copy::Copied;
pub use erasure::Expiry;
pub use outbox::{Channel, Claimed, NewNotifications, NotificationRow, Outcome, CONFIRMATION_EVERY};
pub use submissions::{Filter, NoteRow, SubmissionRow};
pub use users::{NewUser, UserChange, UserRow};

use std::mem::ManuallyDrop;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use sqlx::{PgPool, SqlitePool};

use crate::config::Database;
use crate::crypto::IndexKey;
use crate::domain::PhoneVerdict;
use crate::files;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("database migration failed: {0}")]
    Migration(String),
    #[error("database directory cannot be created ({0})")]
    Directory(std::io::ErrorKind),
    #[error("the database file is gone from its path")]
    FileMissing,
    #[error("the database file is damaged: its header is not SQLite's")]
    FileDamaged,
    #[error("database error while storing a submission: {0}")]
    Writer(String),
    #[error("{0}")]
    Unsupported(&'static str),
    #[error("the target database is not empty: it already holds {0}")]
    TargetNotEmpty(String),
    #[error("the copy does not match: {0}")]
    CopyMismatch(String),
}

/// A submission ready to be written: personal fields already encrypted.
#[derive(Debug, Clone)]
pub struct SealedSubmission {
    pub created_at: String,
    pub name: String,
    pub email: String,
    pub email_index: IndexKey,
    pub phone: String,
    /// `YYYY-MM-DDTHH:MM` in UTC.
    pub preferred_time: String,
    /// The IANA zone the visitor meant it in.
    pub time_zone: String,
    /// The code of the language the visitor read the form in.
    pub language: &'static str,
    pub message: String,
    pub phone_verdict: PhoneVerdict,
    pub phone_country: Option<String>,
    pub phone_line_type: Option<String>,
    pub phone_carrier: Option<String>,
    /// The notifications its transaction adds to the outbox.
    pub notify: NewNotifications,
}

/// Every SQLite connection's settings.
const PRAGMAS: [(&str, &str); 4] = [
    ("journal_mode", "WAL"),
    // In WAL mode NORMAL survives a crash of the process (every acknowledged row is in the
    // WAL); only a power cut can lose the last commits.
    ("synchronous", "NORMAL"),
    ("foreign_keys", "ON"),
    // Deleted rows (erasure requests) are overwritten, not left in free pages.
    ("secure_delete", "ON"),
];

/// How long a SQLite connection waits for another one's write lock before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Connections to PostgreSQL per instance: requests wait for one rather than open more, so
/// N instances hold at most N times this many of the server's `max_connections`.
const POSTGRES_CONNECTIONS: u32 = 8;

/// Where the rows are, and how to reach them.
pub(crate) enum Backend {
    Sqlite(SqliteFiles),
    Postgres(PgPool),
}

pub(crate) struct SqliteFiles {
    /// Reads, several at once (WAL lets readers run beside the writer).
    reads: SqlitePool,
    /// Every write, on one connection: SQLite has one writer at a time anyway, and waiting
    /// for the pool is a wait of an async task, where a second writing connection would wait
    /// for SQLite's lock in its busy handler.
    writer: SqlitePool,
    file: DatabaseFile,
}

/// Which SQL a statement that the two databases spell differently takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    Sqlite,
    Postgres,
}

/// Ids as one parameter whatever their number: a JSON array, for [`Dialect::ids_in_json`].
fn json_ids(ids: &[i64]) -> String {
    serde_json::to_string(ids).unwrap_or_default()
}

impl Dialect {
    /// A subquery of the ids in the JSON array ([`json_ids`]) bound as `$1`.
    pub(crate) fn ids_in_json(self) -> &'static str {
        match self {
            Dialect::Sqlite => "SELECT value FROM json_each($1)",
            Dialect::Postgres => "SELECT value::bigint FROM json_array_elements_text($1::json)",
        }
    }
}

impl Backend {
    pub(crate) fn dialect(&self) -> Dialect {
        match self {
            Backend::Sqlite(_) => Dialect::Sqlite,
            Backend::Postgres(_) => Dialect::Postgres,
        }
    }

    async fn close(&self) {
        match self {
            Backend::Sqlite(sqlite) => {
                sqlite.reads.close().await;
                sqlite.writer.close().await;
            }
            Backend::Postgres(pool) => pool.close().await,
        }
    }
}

#[derive(Clone)]
pub struct Store {
    backend: Arc<Backend>,
    inserter: batch::Inserter,
}

impl Store {
    /// Opens the configured database (creating a SQLite file when missing) and applies its
    /// pending migrations.
    pub async fn open(database: &Database) -> Result<Store, StoreError> {
        let backend = Arc::new(match database {
            Database::Sqlite(path) => Backend::Sqlite(open_sqlite(path).await?),
            Database::Postgres(url) => Backend::Postgres(open_postgres(url.expose()).await?),
        });
        migrations::apply(&backend).await?;
        let inserter = batch::Inserter::start(backend.clone())?;
        Ok(Store { backend, inserter })
    }

    /// Whether the database answers a query. For SQLite also whether the file at its path is
    /// the sound one it opened: open connections keep working on a deleted or overwritten file,
    /// and every write to it would be lost, so that counts as down.
    pub async fn ping(&self) -> Result<(), StoreError> {
        if let Backend::Sqlite(sqlite) = &*self.backend {
            sqlite.file.check()?;
        }
        on_pool!(self.backend, reads, |pool| {
            sqlx::query("SELECT count(*) FROM schema_migrations").fetch_one(pool).await?;
        });
        Ok(())
    }

    /// The newest submission's id (0 when there is none).
    pub async fn last_id(&self) -> Result<i64, StoreError> {
        Ok(on_pool!(self.backend, reads, |pool| {
            sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM submissions").fetch_one(pool).await?
        }))
    }

    pub async fn close(&self) {
        self.backend.close().await;
    }

    /// A consistent copy of the live database in a new file (`VACUUM INTO`), 0600.
    pub async fn backup(&self, to: &Path) -> Result<(), StoreError> {
        let Backend::Sqlite(sqlite) = &*self.backend else {
            return Err(StoreError::Unsupported(
                "backup writes SQLite files; back PostgreSQL up with its own tools (pg_dump)",
            ));
        };
        let target = to.to_str().ok_or(StoreError::Unsupported("the backup path must be UTF-8"))?;
        // VACUUM INTO fills an empty file as it finds it.
        files::create_new_private_file(to).map_err(|e| StoreError::Directory(e.kind()))?;
        sqlx::query("VACUUM INTO $1").bind(target).execute(&sqlite.reads).await?;
        Ok(())
    }
}

async fn open_sqlite(path: &Path) -> Result<SqliteFiles, StoreError> {
    if let Some(dir) = path.parent() {
        files::create_private_dir(dir).map_err(|e| StoreError::Directory(e.kind()))?;
    }
    // SQLite gives its -wal and -shm files the database file's mode.
    files::ensure_private_file(path).map_err(|e| StoreError::Directory(e.kind()))?;
    for suffix in ["-wal", "-shm"] {
        let companion = PathBuf::from(format!("{}{suffix}", path.display()));
        if companion.exists() {
            files::narrow(&companion).map_err(|e| StoreError::Directory(e.kind()))?;
        }
    }
    let options = PRAGMAS
        .iter()
        .fold(SqliteConnectOptions::from_str("sqlite://")?, |o, (name, value)| o.pragma(*name, *value))
        .filename(path)
        .create_if_missing(true)
        .busy_timeout(BUSY_TIMEOUT);
    let writer = SqlitePoolOptions::new()
        .max_connections(1)
        .test_before_acquire(false)
        .acquire_timeout(Duration::from_secs(10))
        .connect_with(options.clone().pragma("wal_autocheckpoint", batch::WRITER_CHECKPOINT_PAGES.to_string()))
        .await?;
    let reads = SqlitePoolOptions::new()
        .max_connections(4)
        // A local file does not drop connections; pinging before each query doubled the
        // trips to SQLite's thread.
        .test_before_acquire(false)
        .acquire_timeout(Duration::from_secs(5))
        // 1 MiB of page cache per reader instead of 2: four of them still hold the hot pages.
        .connect_with(options.pragma("cache_size", "-1024"))
        .await?;
    let file = DatabaseFile::open(path)?;
    Ok(SqliteFiles { reads, writer, file })
}

async fn open_postgres(url: &str) -> Result<PgPool, StoreError> {
    let options = PgConnectOptions::from_str(url)?;
    // One connection first: a server that refuses, or a wrong password, says so at once,
    // where the pool would retry until its timeout and only say that it timed out.
    sqlx::Connection::close(sqlx::ConnectOptions::connect(&options).await?).await?;
    let pool = PgPoolOptions::new()
        .max_connections(POSTGRES_CONNECTIONS)
        .acquire_timeout(Duration::from_secs(10))
        .connect_with(options)
        .await?;
    Ok(pool)
}

/// The database file as the store opened it, watched for what SQLite can't see: the path
/// deleted or pointing to another file, or the file overwritten underneath it (a bad disk, a
/// stray `dd`). SQLite reads page 1 from its cache and the WAL, so either goes unnoticed until
/// the next checkpoint, and every row acknowledged meanwhile is lost. Checked before each batch
/// is committed and at every health check: a `stat` and a read of 20 bytes.
///
/// The descriptor is never closed, on purpose: closing any descriptor of a file drops every
/// POSIX lock this process holds on it, SQLite's included (of this store's connections, which
/// close in the background after it, and of any other store on the same file), and another
/// process would then see the database unused and delete its WAL. SQLite keeps its own unused
/// descriptors for the same reason; this is one per store opened.
pub(crate) struct DatabaseFile {
    path: PathBuf,
    file: ManuallyDrop<std::fs::File>,
    identity: (u64, u64),
}

impl DatabaseFile {
    fn open(path: &Path) -> Result<DatabaseFile, StoreError> {
        use std::os::unix::fs::MetadataExt;
        let file = std::fs::File::open(path).map_err(|e| StoreError::Directory(e.kind()))?;
        let meta = file.metadata().map_err(|e| StoreError::Directory(e.kind()))?;
        Ok(DatabaseFile {
            path: path.to_path_buf(),
            file: ManuallyDrop::new(file),
            identity: (meta.dev(), meta.ino()),
        })
    }

    pub(crate) fn check(&self) -> Result<(), StoreError> {
        use std::os::unix::fs::{FileExt, MetadataExt};
        const MAGIC: &[u8; 16] = b"SQLite format 3\0";
        let at_path = std::fs::metadata(&self.path).map_err(|_| StoreError::FileMissing)?;
        if (at_path.dev(), at_path.ino()) != self.identity {
            return Err(StoreError::FileMissing);
        }
        let mut header = [0u8; 20];
        self.file.read_exact_at(&mut header, 0).map_err(|_| StoreError::FileDamaged)?;
        // Bytes 18 and 19 are the read and write format versions: 2 in WAL mode.
        if &header[..16] != MAGIC || header[18] != 2 || header[19] != 2 {
            return Err(StoreError::FileDamaged);
        }
        Ok(())
    }
}
