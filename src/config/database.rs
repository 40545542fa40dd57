//! Where the data lives: a SQLite file (the default) or a PostgreSQL server.

use std::fmt;
use std::path::PathBuf;

use crate::secret::Secret;

#[derive(Clone, PartialEq, Eq)]
pub enum Database {
    /// A SQLite file in WAL mode: one instance, or several on one machine.
    Sqlite(PathBuf),
    /// A PostgreSQL server that several instances share. The URL may hold a password.
    Postgres(Secret),
}

impl Database {
    /// `DB_NAME`: a file path, a `sqlite:` URL, or a `postgres://` URL.
    pub fn parse(raw: &str) -> Result<Database, &'static str> {
        if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            return postgres(raw);
        }
        if let Some(rest) = raw.strip_prefix("sqlite://").or_else(|| raw.strip_prefix("sqlite:")) {
            let path = rest.split('?').next().unwrap_or_default();
            return if path.is_empty() || path == ":memory:" {
                Err("must name a database file")
            } else {
                Ok(Database::Sqlite(PathBuf::from(path)))
            };
        }
        if raw.contains("://") {
            return Err("must be a file path, a sqlite:// URL or a postgres:// URL");
        }
        Ok(Database::Sqlite(PathBuf::from(raw)))
    }

    /// `DATABASE_URL`: a `postgres://` URL.
    pub fn parse_url(raw: &str) -> Result<Database, &'static str> {
        match Database::parse(raw)? {
            Database::Sqlite(_) if !raw.starts_with("sqlite:") => {
                Err("must be a postgres:// (or sqlite://) URL")
            }
            database => Ok(database),
        }
    }
}

fn postgres(raw: &str) -> Result<Database, &'static str> {
    let url = url::Url::parse(raw).map_err(|_| "is not a valid postgres:// URL")?;
    if url.host_str().is_none_or(str::is_empty) {
        return Err("must name the PostgreSQL host: postgres://user:password@host:5432/database");
    }
    if url.path().trim_start_matches('/').is_empty() {
        return Err("must name the database: postgres://user:password@host:5432/database");
    }
    Ok(Database::Postgres(Secret::new(raw)))
}

/// What logs and `contact-client check` may show: never the password.
impl fmt::Display for Database {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Database::Sqlite(path) => write!(f, "{}", path.display()),
            Database::Postgres(url) => match url::Url::parse(url.expose()) {
                Ok(url) => write!(
                    f,
                    "postgres://{}{}{}",
                    url.host_str().unwrap_or_default(),
                    url.port().map(|p| format!(":{p}")).unwrap_or_default(),
                    url.path()
                ),
                Err(_) => f.write_str("postgres://***"),
            },
        }
    }
}

impl fmt::Debug for Database {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Database({self})")
    }
}
