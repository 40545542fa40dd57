//! Schema migrations: the numbered `.sql` files of `migrations/`, embedded in the binary and
//! applied in order at start, each in its own transaction, each once.

use rust_embed::RustEmbed;
use sqlx::{Executor, SqlitePool};

use super::StoreError;
use rocket_db_pools::sqlx;

#[derive(RustEmbed)]
#[folder = "migrations/"]
struct Migrations;

/// `(version, file name)` of every embedded migration, in the order they apply.
fn embedded() -> Result<Vec<(i64, String)>, StoreError> {
    let mut files = Migrations::iter()
        .map(|name| {
            let version = name
                .split('_')
                .next()
                .and_then(|v| v.parse::<i64>().ok())
                .ok_or_else(|| StoreError::Migration(format!("{name} does not start with a number")))?;
            Ok((version, name.into_owned()))
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    files.sort();
    Ok(files)
}

pub async fn apply(pool: &SqlitePool) -> Result<(), StoreError> {
    pool.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
             version    INTEGER PRIMARY KEY,
             name       TEXT NOT NULL,
             applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))",
    )
    .await?;
    for (version, name) in embedded()? {
        let mut tx = pool.begin().await?;
        let applied: Option<i64> =
            sqlx::query_scalar("SELECT version FROM schema_migrations WHERE version = ?")
                .bind(version)
                .fetch_optional(&mut *tx)
                .await?;
        if applied.is_some() {
            continue;
        }
        let file =
            Migrations::get(&name).ok_or_else(|| StoreError::Migration(format!("{name} is missing")))?;
        let sql = std::str::from_utf8(&file.data)
            .map_err(|_| StoreError::Migration(format!("{name} is not UTF-8")))?;
        tx.execute(sql).await?;
        sqlx::query("INSERT INTO schema_migrations (version, name) VALUES (?, ?)")
            .bind(version)
            .bind(&name)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        log::info!("database migration {name} applied");
    }
    Ok(())
}
