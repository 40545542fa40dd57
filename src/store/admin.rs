//! The admin's tables: server-side sessions, the last accepted TOTP step, the audit log.

use rocket_db_pools::sqlx::{self, Row};

use super::{Store, StoreError};

#[derive(Debug, Clone)]
pub struct AuditRow {
    pub at: String,
    pub action: String,
    pub ip: String,
    pub submission_id: Option<i64>,
    /// How many submissions the action touched, for those that touch several.
    pub count: Option<i64>,
    pub actor: Option<String>,
}

/// The user a session belongs to.
#[derive(Debug, Clone)]
pub struct SessionUser {
    pub id: i64,
    pub name: String,
    pub role: String,
}

/// One line of the audit log: what was done, from where, to which submission or to how many.
#[derive(Debug, Clone, Copy)]
pub struct AuditEntry<'a> {
    pub at: &'a str,
    pub action: &'a str,
    pub ip: &'a str,
    pub submission_id: Option<i64>,
    pub count: Option<i64>,
    /// The user who did it (none: the shared sign-in, the command line, the purge).
    pub actor: Option<&'a str>,
}

impl Store {
    /// Stores a new session, and clears out the sessions that have expired meanwhile.
    pub async fn create_session(
        &self,
        id_hash: &str,
        user_id: Option<i64>,
        now: i64,
        idle: i64,
        absolute: i64,
    ) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM admin_sessions WHERE last_seen <= ? OR created_at <= ?")
            .bind(now - idle)
            .bind(now - absolute)
            .execute(&self.writer)
            .await?;
        sqlx::query("INSERT INTO admin_sessions (id_hash, user_id, created_at, last_seen) VALUES (?, ?, ?, ?)")
            .bind(id_hash)
            .bind(user_id)
            .bind(now)
            .bind(now)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    /// Whose the session is, if it exists and is within both timeouts: `Some(None)` for the
    /// shared sign-in's, which ends once a user may sign in. A live session counts as seen now,
    /// written at most every `touch_every` seconds (a page view is a read, not a write); an
    /// expired one is deleted.
    pub async fn touch_session(
        &self,
        id_hash: &str,
        now: i64,
        idle: i64,
        absolute: i64,
        touch_every: i64,
    ) -> Result<Option<Option<SessionUser>>, StoreError> {
        let row = sqlx::query(
            "SELECT s.created_at, s.last_seen, u.id, u.name, u.role
             FROM admin_sessions s LEFT JOIN admin_users u ON u.id = s.user_id
             WHERE s.id_hash = ? AND (s.user_id IS NOT NULL OR NOT EXISTS (SELECT 1 FROM admin_users WHERE enrolled = 1))",
        )
        .bind(id_hash)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let (created_at, last_seen): (i64, i64) = (row.get(0), row.get(1));
        if now - last_seen >= idle || now - created_at >= absolute {
            self.delete_session(id_hash).await?;
            return Ok(None);
        }
        let user = row.get::<Option<i64>, _>(2).map(|id| SessionUser { id, name: row.get(3), role: row.get(4) });
        if now - last_seen >= touch_every {
            sqlx::query("UPDATE admin_sessions SET last_seen = ? WHERE id_hash = ?")
                .bind(now)
                .bind(id_hash)
                .execute(&self.writer)
                .await?;
        }
        Ok(Some(user))
    }

    pub async fn delete_session(&self, id_hash: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM admin_sessions WHERE id_hash = ?")
            .bind(id_hash)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    /// Accepts a TOTP time step only if it is later than every step accepted before: one atomic
    /// statement, so two racing sign-ins with one code can't both pass.
    pub async fn accept_totp_step(&self, step: i64) -> Result<bool, StoreError> {
        let done = sqlx::query("UPDATE totp_state SET last_step = ?1 WHERE id = 1 AND last_step < ?1")
            .bind(step)
            .execute(&self.writer)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn audit(&self, entry: AuditEntry<'_>) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO audit (at, action, ip, submission_id, count, actor) VALUES (?, ?, ?, ?, ?, ?)")
            .bind(entry.at)
            .bind(entry.action)
            .bind(entry.ip)
            .bind(entry.submission_id)
            .bind(entry.count)
            .bind(entry.actor)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    /// A page of the audit log, newest first, and its total length; only `actor`'s lines when
    /// one is given.
    pub async fn audit_page(
        &self,
        limit: u32,
        offset: u32,
        actor: Option<&str>,
    ) -> Result<(Vec<AuditRow>, i64), StoreError> {
        let rows = sqlx::query(
            "SELECT at, action, ip, submission_id, count, actor FROM audit
             WHERE ?3 IS NULL OR actor = ?3 ORDER BY id DESC LIMIT ?1 OFFSET ?2",
        )
        .bind(limit)
        .bind(offset)
        .bind(actor)
        .fetch_all(&self.pool)
        .await?;
        let total = sqlx::query_scalar("SELECT count(*) FROM audit WHERE ?1 IS NULL OR actor = ?1")
            .bind(actor)
            .fetch_one(&self.pool)
            .await?;
        let rows = rows
            .iter()
            .map(|r| AuditRow {
                at: r.get(0),
                action: r.get(1),
                ip: r.get(2),
                submission_id: r.get(3),
                count: r.get(4),
                actor: r.get(5),
            })
            .collect();
        Ok((rows, total))
    }
}

/// The failed sign-ins of one account, as `sign_in_throttle` keeps them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Throttle {
    pub failures: i64,
    pub window_start: i64,
    pub next_at: i64,
}

impl Store {
    /// Reads the account's throttle, lets `decide` count the attempt (or refuse it, with the
    /// seconds to wait), and writes the outcome back only if the row is still what was read
    /// (compare and swap): of two racing attempts one is counted and the other reads again, so
    /// no number of parallel requests gets more attempts than the policy allows.
    pub async fn reserve_sign_in(
        &self,
        account: &str,
        decide: impl Fn(Option<Throttle>) -> Result<Throttle, u64>,
    ) -> Result<Result<(), u64>, StoreError> {
        const TRIES: usize = 8;
        for _ in 0..TRIES {
            let row: Option<(i64, i64, i64)> = sqlx::query_as(
                "SELECT failures, window_start, next_at FROM sign_in_throttle WHERE account = ?",
            )
            .bind(account)
            .fetch_optional(&self.writer)
            .await?;
            let previous =
                row.map(|(failures, window_start, next_at)| Throttle { failures, window_start, next_at });
            let next = match decide(previous) {
                Ok(next) => next,
                Err(wait) => return Ok(Err(wait)),
            };
            let written = match previous {
                None => sqlx::query(
                    "INSERT INTO sign_in_throttle (account, failures, window_start, next_at)
                     VALUES (?, ?, ?, ?) ON CONFLICT (account) DO NOTHING",
                )
                .bind(account)
                .bind(next.failures)
                .bind(next.window_start)
                .bind(next.next_at),
                Some(prev) => sqlx::query(
                    "UPDATE sign_in_throttle SET failures = ?, window_start = ?, next_at = ?
                     WHERE account = ? AND failures = ? AND window_start = ? AND next_at = ?",
                )
                .bind(next.failures)
                .bind(next.window_start)
                .bind(next.next_at)
                .bind(account)
                .bind(prev.failures)
                .bind(prev.window_start)
                .bind(prev.next_at),
            }
            .execute(&self.writer)
            .await?;
            if written.rows_affected() == 1 {
                return Ok(Ok(()));
            }
        }
        // Lost every race: others are trying this account right now, so this one waits.
        Ok(Err(1))
    }

    /// Forgets the failed sign-ins of `account`, or of every account; how many were cleared.
    pub async fn clear_sign_in_failures(&self, account: Option<&str>) -> Result<u64, StoreError> {
        let done = match account {
            Some(account) => sqlx::query("DELETE FROM sign_in_throttle WHERE account = ?")
                .bind(account)
                .execute(&self.writer),
            None => sqlx::query("DELETE FROM sign_in_throttle").execute(&self.writer),
        }
        .await?;
        Ok(done.rows_affected())
    }
}
