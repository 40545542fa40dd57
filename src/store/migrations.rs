//! Schema migrations: the numbered `.sql` files of `migrations/sqlite/` or
//! `migrations/postgres/`, embedded in the binary and applied in order at start, each in its
//! own transaction, each once. On PostgreSQL an advisory lock lets one of several instances
//! starting together apply them while the others wait.

use rust_embed::RustEmbed;
use sqlx::{Connection, Executor};

use super::{Backend, Dialect, StoreError};

#[derive(RustEmbed)]
#[folder = "migrations/sqlite/"]
struct SqliteMigrations;

#[derive(RustEmbed)]
#[folder = "migrations/postgres/"]
struct PostgresMigrations;

/// One of several instances starting together applies the migrations while the others wait
/// here (the key is any constant, the same on every instance).
const POSTGRES_LOCK: &str = "SELECT pg_advisory_lock(7165066978298917889)";
const POSTGRES_UNLOCK: &str = "SELECT pg_advisory_unlock(7165066978298917889)";

/// `(version, file name, SQL)` of every migration embedded as `E`, in the order they apply.
fn embedded<E: RustEmbed>() -> Result<Vec<(i64, String, String)>, StoreError> {
    let mut migrations = E::iter()
        .map(|name| {
            let version = name
                .split('_')
                .next()
                .and_then(|v| v.parse::<i64>().ok())
                .ok_or_else(|| StoreError::Migration(format!("{name} does not start with a number")))?;
            let file = E::get(&name).ok_or_else(|| StoreError::Migration(format!("{name} is missing")))?;
            let sql = String::from_utf8(file.data.into_owned())
                .map_err(|_| StoreError::Migration(format!("{name} is not UTF-8")))?;
            Ok((version, name.into_owned(), sql))
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    migrations.sort();
    Ok(migrations)
}

pub async fn apply(backend: &Backend) -> Result<(), StoreError> {
    let postgres = backend.dialect() == Dialect::Postgres;
    let migrations = match backend.dialect() {
        Dialect::Sqlite => embedded::<SqliteMigrations>()?,
        Dialect::Postgres => embedded::<PostgresMigrations>()?,
    };
    let applied_at = crate::clock::Clock::system().now_rfc3339();
    on_pool!(backend, writer, |pool| {
        let mut conn = pool.acquire().await?;
        if postgres {
            conn.execute(POSTGRES_LOCK).await?;
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
        if postgres {
            conn.execute(POSTGRES_UNLOCK).await?;
        }
    });
    Ok(())
}
