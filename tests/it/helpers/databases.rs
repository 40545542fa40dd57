//! The two databases a parametrised test runs on: a SQLite file of its own, and a fresh
//! database on the test binary's shared PostgreSQL. [`on_both_databases!`] writes the test
//! once and runs it on each.

use std::path::PathBuf;
use std::process::Command;

use contact_client::config::Database;
use contact_client::crypto::BlindIndex;
use contact_client::domain::PhoneVerdict;
use contact_client::store::{SealedSubmission, Store};
use tempfile::TempDir;

use super::tools::PostgresServer;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A test's own database, and how to look into it.
pub struct TestDatabase {
    pub database: Database,
    /// The SQLite file's directory (the instance's data directory).
    pub dir: TempDir,
}

impl Backend {
    /// A fresh, empty database of this kind; None (after SKIPPED) without PostgreSQL.
    pub fn fresh(self) -> Option<TestDatabase> {
        let dir = tempfile::tempdir().unwrap();
        let database = match self {
            Backend::Sqlite => Database::Sqlite(dir.path().join("contact.db")),
            Backend::Postgres => Database::parse(&PostgresServer::shared()?.fresh_database()).unwrap(),
        };
        Some(TestDatabase { database, dir })
    }
}

impl TestDatabase {
    /// The settings that put an instance on this database, beside `data_dir` = `dir` (where
    /// a SQLite file is by default).
    pub fn settings(&self) -> Vec<(&'static str, String)> {
        match &self.database {
            Database::Sqlite(_) => Vec::new(),
            Database::Postgres(url) => vec![("database_url", url.expose().to_string())],
        }
    }

    /// `contact-client` on this database, its data directory, and the test keys (a later
    /// `.env` of a key replaces it); the arguments are the caller's.
    pub fn command(&self) -> Command {
        let dir = self.dir.path();
        let mut command = Command::new(super::server::BIN);
        command
            .current_dir(dir)
            .env_clear()
            .env("DATA_DIR", dir)
            .envs(self.settings().into_iter().map(|(key, value)| (key.to_uppercase(), value)))
            .env("SECRET_KEY", super::SECRET_KEY)
            .env("FERNET_KEY", super::FERNET_KEY)
            .env("TOTP_SECRET", super::TOTP_SECRET);
        command
    }

    pub async fn store(&self) -> Store {
        Store::open(&self.database).await.expect("the store opens")
    }

    pub fn sqlite_file(&self) -> Option<PathBuf> {
        match &self.database {
            Database::Sqlite(path) => Some(path.clone()),
            Database::Postgres(_) => None,
        }
    }

    /// The first column of every row `sql` returns, as text (numbers in decimal).
    pub async fn column(&self, sql: &str) -> Vec<String> {
        use sqlx::Row;
        fn text<R: Row>(row: &R) -> String
        where
            for<'r> i64: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
            for<'r> i32: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
            for<'r> String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
            usize: sqlx::ColumnIndex<R>,
        {
            row.try_get::<i64, _>(0)
                .or_else(|_| row.try_get::<i32, _>(0).map(i64::from))
                .map(|n| n.to_string())
                .unwrap_or_else(|_| row.get::<String, _>(0))
        }
        match &self.database {
            Database::Sqlite(path) => {
                let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display())).await.unwrap();
                let rows = sqlx::query(sql).fetch_all(&pool).await.unwrap();
                pool.close().await;
                rows.iter().map(text).collect()
            }
            Database::Postgres(url) => {
                let pool = sqlx::PgPool::connect(url.expose()).await.unwrap();
                let rows = sqlx::query(sql).fetch_all(&pool).await.unwrap();
                pool.close().await;
                rows.iter().map(text).collect()
            }
        }
    }

    /// The one number `sql` returns.
    pub async fn number(&self, sql: &str) -> i64 {
        self.column(sql).await.first().and_then(|n| n.parse().ok()).expect("a number")
    }
}

/// Writes the test once and runs it on SQLite and on PostgreSQL: the function gets a
/// [`Backend`], and becomes a module of two tests, `sqlite` and `postgres` (which skips, as
/// every test that needs a missing tool, without PostgreSQL).
#[macro_export]
macro_rules! on_both_databases {
    ($(#[$attr:meta])* async fn $name:ident($backend:ident: Backend) $body:block) => {
        $(#[$attr])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            use $crate::helpers::databases::Backend;

            async fn test_body($backend: Backend) $body

            #[rocket::async_test]
            async fn sqlite() {
                test_body(Backend::Sqlite).await
            }

            #[rocket::async_test]
            async fn postgres() {
                if $crate::helpers::tools::PostgresServer::shared().is_some() {
                    test_body(Backend::Postgres).await
                }
            }
        }
    };
}

/// A row as the store receives it; the values stand in for Fernet tokens.
pub fn sealed(n: usize) -> SealedSubmission {
    SealedSubmission {
        created_at: "2026-11-25T10:00:00Z".into(),
        name: format!("name-{n}"),
        email: format!("email-{n}"),
        email_index: BlindIndex::new([7; 32]).of(&format!("person-{n}@example.com")),
        phone: format!("phone-{n}"),
        preferred_time: "2026-12-01T09:30".into(),
        time_zone: "UTC".into(),
        language: "en",
        message: String::new(),
        phone_verdict: PhoneVerdict::NotChecked,
        phone_carrier: None,
        phone_country: None,
        phone_line_type: None,
        notify: Default::default(),
    }
}
