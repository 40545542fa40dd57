//! The admin's tables: server-side sessions, the last accepted TOTP step, the audit log.

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

/// `created_at, last_seen` of a session, and the id, name and role of its user if it has one.
type SessionColumns = (i64, i64, Option<i64>, Option<String>, Option<String>);

/// A row of the audit log: `at, action, ip, submission_id, count, actor`.
type AuditColumns = (String, String, String, Option<i64>, Option<i64>, Option<String>);

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
        on_pool!(self.backend, writer, |pool| {
            sqlx::query("DELETE FROM admin_sessions WHERE last_seen <= $1 OR created_at <= $2")
                .bind(now - idle)
                .bind(now - absolute)
                .execute(pool)
                .await?;
            sqlx::query("INSERT INTO admin_sessions (id_hash, user_id, created_at, last_seen) VALUES ($1, $2, $3, $3)")
                .bind(id_hash)
                .bind(user_id)
                .bind(now)
                .execute(pool)
                .await?;
        });
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
        let row: Option<SessionColumns> = on_pool!(self.backend, reads, |pool| {
            sqlx::query_as(
                "SELECT s.created_at, s.last_seen, u.id, u.name, u.role
                 FROM admin_sessions s LEFT JOIN admin_users u ON u.id = s.user_id
                 WHERE s.id_hash = $1 AND (s.user_id IS NOT NULL OR NOT EXISTS (SELECT 1 FROM admin_users WHERE enrolled))",
            )
            .bind(id_hash)
            .fetch_optional(pool)
            .await?
        });
        let Some((created_at, last_seen, user_id, user_name, user_role)) = row else {
            return Ok(None);
        };
        if now - last_seen >= idle || now - created_at >= absolute {
            self.delete_session(id_hash).await?;
            return Ok(None);
        }
        let user = user_id.map(|id| SessionUser {
            id,
            name: user_name.unwrap_or_default(),
            role: user_role.unwrap_or_default(),
        });
        if now - last_seen >= touch_every {
            on_pool!(self.backend, writer, |pool| {
                sqlx::query("UPDATE admin_sessions SET last_seen = $1 WHERE id_hash = $2")
                    .bind(now)
                    .bind(id_hash)
                    .execute(pool)
                    .await?;
            });
        }
        Ok(Some(user))
    }

    pub async fn delete_session(&self, id_hash: &str) -> Result<(), StoreError> {
        on_pool!(self.backend, writer, |pool| {
            sqlx::query("DELETE FROM admin_sessions WHERE id_hash = $1").bind(id_hash).execute(pool).await?;
        });
        Ok(())
    }

    /// Accepts a TOTP time step only if it is later than every step accepted before: one atomic
    /// statement, so two racing sign-ins with one code can't both pass.
    pub async fn accept_totp_step(&self, step: i64) -> Result<bool, StoreError> {
        let done = on_pool!(self.backend, writer, |pool| {
            sqlx::query("UPDATE totp_state SET last_step = $1 WHERE id = 1 AND last_step < $1")
                .bind(step)
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(done == 1)
    }

    pub async fn audit(&self, entry: AuditEntry<'_>) -> Result<(), StoreError> {
        on_pool!(self.backend, writer, |pool| {
            sqlx::query(
                "INSERT INTO audit (at, action, ip, submission_id, count, actor) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(entry.at)
            .bind(entry.action)
            .bind(entry.ip)
            .bind(entry.submission_id)
            .bind(entry.count)
            .bind(entry.actor)
            .execute(pool)
            .await?;
        });
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
        let (rows, total): (Vec<AuditColumns>, i64) = on_pool!(self.backend, reads, |pool| {
            let rows = sqlx::query_as(
                "SELECT at, action, ip, submission_id, count, actor FROM audit
                 WHERE $3 IS NULL OR actor = $3 ORDER BY id DESC LIMIT $1 OFFSET $2",
            )
            .bind(i64::from(limit))
            .bind(i64::from(offset))
            .bind(actor)
            .fetch_all(pool)
            .await?;
            let total = sqlx::query_scalar("SELECT count(*) FROM audit WHERE $1 IS NULL OR actor = $1")
                .bind(actor)
                .fetch_one(pool)
                .await?;
            (rows, total)
        });
        let rows = rows
            .into_iter()
            .map(|(at, action, ip, submission_id, count, actor)| AuditRow { at, action, ip, submission_id, count, actor })
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
            let row: Option<(i64, i64, i64)> = on_pool!(self.backend, writer, |pool| {
                sqlx::query_as("SELECT failures, window_start, next_at FROM sign_in_throttle WHERE account = $1")
                    .bind(account)
                    .fetch_optional(pool)
                    .await?
            });
            let previous =
                row.map(|(failures, window_start, next_at)| Throttle { failures, window_start, next_at });
            let next = match decide(previous) {
                Ok(next) => next,
                Err(wait) => return Ok(Err(wait)),
            };
            let written = on_pool!(self.backend, writer, |pool| {
                match previous {
                    None => sqlx::query(
                        "INSERT INTO sign_in_throttle (account, failures, window_start, next_at)
                         VALUES ($1, $2, $3, $4) ON CONFLICT (account) DO NOTHING",
                    )
                    .bind(account)
                    .bind(next.failures)
                    .bind(next.window_start)
                    .bind(next.next_at),
                    Some(prev) => sqlx::query(
                        "UPDATE sign_in_throttle SET failures = $2, window_start = $3, next_at = $4
                         WHERE account = $1 AND failures = $5 AND window_start = $6 AND next_at = $7",
                    )
                    .bind(account)
                    .bind(next.failures)
                    .bind(next.window_start)
                    .bind(next.next_at)
                    .bind(prev.failures)
                    .bind(prev.window_start)
                    .bind(prev.next_at),
                }
                .execute(pool)
                .await?
                .rows_affected()
            });
            if written == 1 {
                return Ok(Ok(()));
            }
        }
        // Lost every race: others are trying this account right now, so this one waits.
        Ok(Err(1))
    }

    /// Forgets the failed sign-ins of `account`, or of every account; how many were cleared.
    pub async fn clear_sign_in_failures(&self, account: Option<&str>) -> Result<u64, StoreError> {
        Ok(on_pool!(self.backend, writer, |pool| {
            sqlx::query("DELETE FROM sign_in_throttle WHERE $1 IS NULL OR account = $1")
                .bind(account)
                .execute(pool)
                .await?
                .rows_affected()
        }))
    }
}
