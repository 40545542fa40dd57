//! Schema migrations: the numbered `.sql` files of `migrations/sqlite/` or
//! `migrations/postgres/`, embedded in the binary and applied in order at start, each in its
//! own transaction, each once. On PostgreSQL an advisory lock lets one of several instances
//! starting together apply them while the others wait.

use std::borrow::Cow;

use rust_embed::RustEmbed;
use sqlx::{Connection, Executor};

use super::{Backend, Dialect, StoreError};

#[derive(RustEmbed)]
#[folder = "migrations/sqlite/"]
struct SqliteMigrations;

#[derive(RustEmbed)]
#[folder = "migrations/postgres/"]
struct PostgresMigrations;

/// The advisory lock's key: any constant, the same on every instance.
const POSTGRES_MIGRATION_LOCK: i64 = 0x636f_6e74_6163_7401;

/// An embedded file's name and bytes.
type File = (Cow<'static, str>, Option<Cow<'static, [u8]>>);

fn files<E: RustEmbed>() -> Vec<File> {
    E::iter().map(|name| (name.clone(), E::get(&name).map(|f| f.data))).collect()
}

/// `(version, file name, SQL)` of every embedded migration of the dialect, in the order they
/// apply.
fn embedded(dialect: Dialect) -> Result<Vec<(i64, String, String)>, StoreError> {
    let files = match dialect {
        Dialect::Sqlite => files::<SqliteMigrations>(),
        Dialect::Postgres => files::<PostgresMigrations>(),
    };
    let mut migrations = files
        .into_iter()
        .map(|(name, data)| {
            let version = name
                .split('_')
                .next()
                .and_then(|v| v.parse::<i64>().ok())
                .ok_or_else(|| StoreError::Migration(format!("{name} does not start with a number")))?;
            let data = data.ok_or_else(|| StoreError::Migration(format!("{name} is missing")))?;
            let sql = String::from_utf8(data.into_owned())
                .map_err(|_| StoreError::Migration(format!("{name} is not UTF-8")))?;
            Ok((version, name.into_owned(), sql))
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    migrations.sort();
    Ok(migrations)
}

pub async fn apply(backend: &Backend) -> Result<(), StoreError> {
    let dialect = backend.dialect();
    let (lock, unlock) = match dialect {
        Dialect::Sqlite => (None, None),
        Dialect::Postgres => (
            Some(format!("SELECT pg_advisory_lock({POSTGRES_MIGRATION_LOCK})")),
            Some(format!("SELECT pg_advisory_unlock({POSTGRES_MIGRATION_LOCK})")),
        ),
    };
    let migrations = embedded(dialect)?;
    let applied_at = crate::clock::Clock::system().now_rfc3339();
    on_pool!(backend, writer, |pool| {
        let mut conn = pool.acquire().await?;
        if let Some(lock) = &lock {
            conn.execute(lock.as_str()).await?;
        }
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (
                 version    BIGINT PRIMARY KEY,
                 name       TEXT NOT NULL,
                 applied_at TEXT NOT NULL)",
        )
        .await?;
        for (version, name, sql) in &migrations {
            let mut tx = conn.begin().await?;
            let applied: Option<i64> =
                sqlx::query_scalar("SELECT version FROM schema_migrations WHERE version = $1")
                    .bind(version)
                    .fetch_optional(&mut *tx)
                    .await?;
            if applied.is_some() {
                continue;
            }
            tx.execute(sql.as_str()).await?;
            sqlx::query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)")
                .bind(version)
                .bind(name)
                .bind(&applied_at)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            log::info!("database migration {name} applied");
        }
        if let Some(unlock) = &unlock {
            conn.execute(unlock.as_str()).await?;
        }
    });
    Ok(())
}
