//! Copying one database into another, empty one (`contact-client copy-db`): every table, row
//! by row as it is (ciphertexts untouched), read in chunks so that memory stays flat whatever
//! the size, written in one transaction of the target so that a failed copy leaves it empty,
//! then checked by counting both sides.

use sqlx::Row;

use super::{Backend, Store, StoreError};

/// Rows read and written at a time.
const CHUNK: usize = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Int,
    Text,
    Bytes,
    Bool,
}

/// A table to copy: its columns, and the one column it is read in order of (`None`: small
/// enough to read at once).
struct Table {
    name: &'static str,
    columns: &'static [(&'static str, Kind)],
    key: Option<usize>,
}

use Kind::{Bool, Bytes, Int, Text};

/// Parents before children, so every foreign key finds its row.
const TABLES: &[Table] = &[
    Table {
        name: "admin_users",
        columns: &[
            ("id", Int),
            ("name", Text),
            ("role", Text),
            ("password_hash", Text),
            ("totp_secret", Text),
            ("totp_step", Int),
            ("enrolled", Bool),
            ("created_at", Text),
            ("last_sign_in", Text),
        ],
        key: Some(0),
    },
    Table { name: "admin_recovery_codes", columns: &[("user_id", Int), ("code_hash", Bytes), ("used_at", Text)], key: None },
    Table {
        name: "admin_sessions",
        columns: &[("id_hash", Text), ("created_at", Int), ("last_seen", Int), ("user_id", Int)],
        key: Some(0),
    },
    Table {
        name: "submissions",
        columns: &[
            ("id", Int),
            ("created_at", Text),
            ("name", Text),
            ("email", Text),
            ("phone", Text),
            ("preferred_time", Text),
            ("message", Text),
            ("status", Text),
            ("phone_verdict", Text),
            ("phone_country", Text),
            ("phone_line_type", Text),
            ("phone_carrier", Text),
            ("time_zone", Text),
            ("language", Text),
        ],
        key: Some(0),
    },
    Table { name: "submission_email_keys", columns: &[("submission_id", Int), ("email_index", Bytes)], key: Some(0) },
    Table {
        name: "notes",
        columns: &[("id", Int), ("submission_id", Int), ("created_at", Text), ("body", Text)],
        key: Some(0),
    },
    Table {
        name: "notifications",
        columns: &[
            ("id", Int),
            ("submission_id", Int),
            ("channel", Text),
            ("event_id", Text),
            ("state", Text),
            ("attempts", Int),
            ("due_at", Int),
            ("lease_until", Int),
            ("last_error", Text),
            ("finished_at", Int),
        ],
        key: Some(0),
    },
    Table { name: "visitor_confirmations", columns: &[("email_index", Bytes), ("sent_at", Int)], key: Some(0) },
    Table {
        name: "audit",
        columns: &[
            ("id", Int),
            ("at", Text),
            ("action", Text),
            ("ip", Text),
            ("submission_id", Int),
            ("count", Int),
            ("actor", Text),
        ],
        key: Some(0),
    },
    Table {
        name: "sign_in_throttle",
        columns: &[("account", Text), ("failures", Int), ("window_start", Int), ("next_at", Int)],
        key: Some(0),
    },
    Table { name: "leases", columns: &[("name", Text), ("holder", Text), ("until", Int)], key: Some(0) },
];

/// Tables whose ids the target hands out next: their sequences start after the copied rows.
const IDENTITIES: &[&str] = &["admin_users", "submissions", "notes", "notifications", "audit"];

/// One column's value, of whichever type it has.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Int(Option<i64>),
    Text(Option<String>),
    Bytes(Option<Vec<u8>>),
    Bool(Option<bool>),
}

/// How many rows each table has on both sides after a copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copied {
    pub tables: Vec<(&'static str, i64)>,
}

impl Copied {
    pub fn rows(&self, table: &str) -> Option<i64> {
        self.tables.iter().find(|(name, _)| *name == table).map(|(_, n)| *n)
    }
}

/// Reads the row's columns as `table` says they are.
macro_rules! values_of {
    ($row:expr, $table:expr) => {
        $table
            .columns
            .iter()
            .enumerate()
            .map(|(i, (_, kind))| {
                Ok(match kind {
                    Int => Value::Int($row.try_get(i)?),
                    Text => Value::Text($row.try_get(i)?),
                    Bytes => Value::Bytes($row.try_get(i)?),
                    Bool => Value::Bool($row.try_get(i)?),
                })
            })
            .collect::<Result<Vec<Value>, sqlx::Error>>()
    };
}

/// Binds `$value` to the query `$query`, typed as it is.
macro_rules! bind_value {
    ($query:expr, $value:expr) => {
        match $value {
            Value::Int(v) => $query.bind(*v),
            Value::Text(v) => $query.bind(v.as_deref()),
            Value::Bytes(v) => $query.bind(v.as_deref()),
            Value::Bool(v) => $query.bind(*v),
        }
    };
}

impl Store {
    /// Copies every row of this database into `target`, which must be empty (its migrations
    /// applied, nothing else): refused otherwise, before anything is written.
    pub async fn copy_into(&self, target: &Store) -> Result<Copied, StoreError> {
        let held = target.row_counts().await?;
        if let Some((table, _)) = held.tables.iter().find(|(_, n)| *n > 0) {
            return Err(StoreError::TargetNotEmpty(format!("rows in {table}")));
        }
        let status_counts = self.status_counts().await?;
        let totp_step: i64 = on_pool!(self.backend, reads, |pool| {
            sqlx::query_scalar("SELECT last_step FROM totp_state WHERE id = 1").fetch_one(pool).await?
        });
        on_pool!(target.backend, writer, |pool| {
            let mut tx = pool.begin().await?;
            for table in TABLES {
                let columns: Vec<&str> = table.columns.iter().map(|(name, _)| *name).collect();
                let mut after: Option<Value> = None;
                loop {
                    let chunk = self.read_chunk(table, after.as_ref()).await?;
                    let Some(last) = chunk.last() else { break };
                    after = table.key.map(|k| last[k].clone());
                    let sql = format!(
                        "INSERT INTO {} ({}) VALUES {}",
                        table.name,
                        columns.join(", "),
                        super::batch::values(chunk.len(), columns.len())
                    );
                    let mut insert = sqlx::query(&sql);
                    for value in chunk.iter().flatten() {
                        insert = bind_value!(insert, value);
                    }
                    insert.execute(&mut *tx).await?;
                    if after.is_none() || chunk.len() < CHUNK {
                        break;
                    }
                }
            }
            for (status, n) in &status_counts {
                sqlx::query("UPDATE status_counts SET n = $1 WHERE status = $2").bind(n).bind(status).execute(&mut *tx).await?;
            }
            sqlx::query("UPDATE totp_state SET last_step = $1 WHERE id = 1").bind(totp_step).execute(&mut *tx).await?;
            if let Backend::Postgres(_) = &*target.backend {
                for table in IDENTITIES {
                    sqlx::query(&format!(
                        "SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM {table}"
                    ))
                    .execute(&mut *tx)
                    .await?;
                }
            }
            tx.commit().await?;
        });
        let (copied, source) = (target.row_counts().await?, self.row_counts().await?);
        for ((table, there), (_, here)) in copied.tables.iter().zip(&source.tables) {
            if there != here {
                return Err(StoreError::CopyMismatch(format!("{table} has {here} rows here and {there} there")));
            }
        }
        if target.status_counts().await? != status_counts {
            return Err(StoreError::CopyMismatch("the status counts differ".into()));
        }
        Ok(copied)
    }

    /// Up to [`CHUNK`] rows of `table` after the key `after`, in the key's order (all of them
    /// for a table without a key).
    async fn read_chunk(&self, table: &Table, after: Option<&Value>) -> Result<Vec<Vec<Value>>, StoreError> {
        let columns: Vec<&str> = table.columns.iter().map(|(name, _)| *name).collect();
        let sql = match table.key {
            None => format!("SELECT {} FROM {}", columns.join(", "), table.name),
            Some(k) => format!(
                "SELECT {} FROM {} {} ORDER BY {key} LIMIT {CHUNK}",
                columns.join(", "),
                table.name,
                if after.is_some() { format!("WHERE {} > $1", columns[k]) } else { String::new() },
                key = columns[k],
            ),
        };
        Ok(on_pool!(self.backend, reads, |pool| {
            let mut query = sqlx::query(&sql);
            if let Some(after) = after {
                query = bind_value!(query, after);
            }
            let rows = query.fetch_all(pool).await?;
            rows.iter().map(|row| values_of!(row, table)).collect::<Result<Vec<_>, sqlx::Error>>()?
        }))
    }

    /// How many rows each copied table holds.
    pub async fn row_counts(&self) -> Result<Copied, StoreError> {
        let mut tables = Vec::with_capacity(TABLES.len());
        for table in TABLES {
            let sql = format!("SELECT count(*) FROM {}", table.name);
            let n: i64 = on_pool!(self.backend, reads, |pool| sqlx::query_scalar(&sql).fetch_one(pool).await?);
            tables.push((table.name, n));
        }
        Ok(Copied { tables })
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::config::Database;

    /// Tables `copy_into` sets apart from the rows it copies: the migrations' own record (made
    /// by the target's start), and the two one-row tables it writes itself.
    const SET_APART: [&str; 3] = ["schema_migrations", "status_counts", "totp_state"];

    /// A column a migration adds and `TABLES` misses would be left behind by every copy.
    #[rocket::async_test]
    async fn the_copy_names_every_table_and_column_of_the_schema() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&Database::Sqlite(dir.path().join("schema.db"))).await.unwrap();
        let Backend::Sqlite(sqlite) = &*store.backend else { unreachable!("opened on SQLite") };
        let names: Vec<String> = sqlx::query_scalar(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )
        .fetch_all(&sqlite.reads)
        .await
        .unwrap();
        let mut schema = BTreeMap::new();
        for name in names.into_iter().filter(|n| !SET_APART.contains(&n.as_str())) {
            let mut columns: Vec<String> = sqlx::query_scalar("SELECT name FROM pragma_table_info($1)")
                .bind(&name)
                .fetch_all(&sqlite.reads)
                .await
                .unwrap();
            columns.sort();
            schema.insert(name, columns);
        }
        let copied: BTreeMap<String, Vec<String>> = TABLES
            .iter()
            .map(|t| {
                let mut columns: Vec<String> = t.columns.iter().map(|(c, _)| c.to_string()).collect();
                columns.sort();
                (t.name.to_string(), columns)
            })
            .collect();
        assert_eq!(copied, schema);
        store.close().await;
    }
}
