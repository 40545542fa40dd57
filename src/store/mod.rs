//! The database: SQLite in WAL mode through sqlx (the version rocket_db_pools re-exports, so a
//! host that uses rocket_db_pools shares one sqlx). The store only ever sees sealed values:
//! personal fields arrive here as Fernet tokens.

mod admin;
mod batch;
mod erasure;
mod migrations;
mod outbox;
mod submissions;
mod users;

pub use admin::{AuditEntry, Throttle};
pub use erasure::Expiry;
pub use outbox::{Channel, Claimed, NewNotifications, NotificationRow, Outcome, CONFIRMATION_EVERY};
pub use submissions::{Filter, NoteRow, SubmissionRow};
pub use users::{NewUser, UserChange, UserRow};

use std::mem::ManuallyDrop;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use rocket_db_pools::sqlx;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use sqlx::SqlitePool;

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

/// Every connection's settings, sqlx's and the submission writer's alike.
const PRAGMAS: [(&str, &str); 4] = [
    ("journal_mode", "WAL"),
    // In WAL mode NORMAL survives a crash of the process (every acknowledged row is in the
    // WAL); only a power cut can lose the last commits.
    ("synchronous", "NORMAL"),
    ("foreign_keys", "ON"),
    // Deleted rows (erasure requests) are overwritten, not left in free pages.
    ("secure_delete", "ON"),
];

/// How long a connection waits for another one's write lock before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Clone)]
pub struct Store {
    /// Reads, several at once (WAL lets readers run beside the writer).
    pool: SqlitePool,
    /// The admin's writes, one connection: SQLite has one writer at a time anyway. New
    /// submissions have a connection of their own (`batch`).
    writer: SqlitePool,
    inserter: batch::Inserter,
    file: Arc<DatabaseFile>,
}

impl Store {
    /// Opens (creating when missing) the database file and applies pending migrations.
    pub async fn open(path: &Path) -> Result<Store, StoreError> {
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
            .connect_with(options.clone())
            .await?;
        migrations::apply(&writer).await?;
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            // A local file does not drop connections; pinging before each query doubled the
            // trips to SQLite's thread.
            .test_before_acquire(false)
            .acquire_timeout(Duration::from_secs(5))
            // 1 MiB of page cache per reader instead of 2: four of them still hold the hot pages.
            .connect_with(options.pragma("cache_size", "-1024"))
            .await?;
        let file = Arc::new(DatabaseFile::open(path)?);
        let inserter = batch::Inserter::start(path, file.clone())?;
        Ok(Store { pool, writer, inserter, file })
    }

    /// Whether the database answers a query from a sound file at its path. Open connections
    /// keep working on a deleted or overwritten file, and every write to it would be lost: that
    /// counts as down.
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.file.check()?;
        sqlx::query("SELECT count(*) FROM schema_migrations").fetch_one(&self.pool).await?;
        Ok(())
    }

    /// The newest submission's id (0 when there is none).
    pub async fn last_id(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM submissions").fetch_one(&self.pool).await?)
    }

    pub async fn close(&self) {
        self.pool.close().await;
        self.writer.close().await;
    }

    /// A consistent copy of the live database in a new file (`VACUUM INTO`), 0600.
    pub async fn backup(&self, to: &Path) -> Result<(), StoreError> {
        let target =
            to.to_str().ok_or_else(|| StoreError::Migration("the backup path is not UTF-8".into()))?;
        // VACUUM INTO fills an empty file as it finds it.
        files::create_new_private_file(to).map_err(|e| StoreError::Directory(e.kind()))?;
        sqlx::query("VACUUM INTO ?").bind(target).execute(&self.pool).await?;
        Ok(())
    }
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
