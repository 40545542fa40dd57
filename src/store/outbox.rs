//! The outbox of notifications. Rows are added by the submission's own transaction (`batch`);
//! a worker claims due rows under a lease, so a row claimed by a worker that died is claimed
//! again once the lease runs out, and two workers never hold one row at the same time (on
//! PostgreSQL the workers of every instance: a claim skips the rows another one is claiming).

use super::{Dialect, Store, StoreError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    /// The owners' email.
    Email,
    Webhook,
    /// The visitor's receipt.
    Confirmation,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Webhook => "webhook",
            Channel::Confirmation => "confirmation",
        }
    }

    fn parse(text: &str) -> Option<Channel> {
        [Channel::Email, Channel::Webhook, Channel::Confirmation].into_iter().find(|c| c.as_str() == text)
    }
}

/// What a new submission's transaction adds to the outbox.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NewNotifications {
    pub email: bool,
    pub webhook: bool,
    /// Only when this address had none in the last 24 hours.
    pub confirmation: bool,
    /// Unix seconds: due at once.
    pub now: i64,
}

impl NewNotifications {
    pub fn any(&self) -> bool {
        self.email || self.webhook || self.confirmation
    }
}

/// A visitor address gets at most one confirmation in this many seconds.
pub const CONFIRMATION_EVERY: i64 = 24 * 3600;

/// A notification a worker holds until `lease_until`.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub id: i64,
    pub submission_id: i64,
    pub channel: Channel,
    pub event_id: String,
    /// Attempts so far, this one included.
    pub attempts: i64,
    pub lease_until: i64,
}

/// A notification as the admin sees it.
#[derive(Debug, Clone)]
pub struct NotificationRow {
    pub id: i64,
    pub channel: &'static str,
    pub state: String,
    pub attempts: i64,
    pub due_at: i64,
    pub last_error: Option<String>,
    pub finished_at: Option<i64>,
}

/// `id, channel, state, attempts, due_at, last_error, finished_at` of a notification.
type NotificationColumns = (i64, String, String, i64, i64, Option<String>, Option<i64>);

/// How an attempt ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Delivered,
    RetryAt(i64, String),
    Failed(String),
}

impl Store {
    /// Claims up to `limit` due notifications for `lease` seconds.
    pub async fn claim_notifications(&self, now: i64, lease: i64, limit: u32) -> Result<Vec<Claimed>, StoreError> {
        let lease_until = now + lease;
        // A read first: the worker asks every second, and an UPDATE that finds nothing would
        // still take SQLite's write lock from the submissions' writer.
        let due: Option<i64> = on_pool!(self.backend, reads, |pool| {
            sqlx::query_scalar(
                "SELECT id FROM notifications WHERE state = 'pending' AND due_at <= $1 AND lease_until <= $1 LIMIT 1",
            )
            .bind(now)
            .fetch_optional(pool)
            .await?
        });
        if due.is_none() {
            return Ok(Vec::new());
        }
        let skip_locked = match self.backend.dialect() {
            Dialect::Sqlite => "",
            Dialect::Postgres => "FOR UPDATE SKIP LOCKED",
        };
        let sql = format!(
            "UPDATE notifications SET lease_until = $1, attempts = attempts + 1
             WHERE id IN (SELECT id FROM notifications
                          WHERE state = 'pending' AND due_at <= $2 AND lease_until <= $2
                          ORDER BY due_at LIMIT $3 {skip_locked})
             RETURNING id, submission_id, channel, event_id, attempts"
        );
        let rows: Vec<(i64, i64, String, String, i64)> = on_pool!(self.backend, writer, |pool| {
            sqlx::query_as(&sql).bind(lease_until).bind(now).bind(i64::from(limit)).fetch_all(pool).await?
        });
        Ok(rows
            .into_iter()
            .filter_map(|(id, submission_id, channel, event_id, attempts)| {
                let channel = Channel::parse(&channel)?;
                Some(Claimed { id, submission_id, channel, event_id, attempts, lease_until })
            })
            .collect())
    }

    /// Records the outcomes of a claimed batch in one transaction, each unless its lease was
    /// lost meanwhile (another worker holds the row now, and its outcome counts).
    pub async fn record_outcomes(&self, outcomes: Vec<(&Claimed, Outcome)>, now: i64) -> Result<(), StoreError> {
        on_pool!(self.backend, writer, |pool| {
            let mut tx = pool.begin().await?;
            for (claimed, outcome) in &outcomes {
                let (state, due_at, error) = match outcome {
                    Outcome::Delivered => ("delivered", None, None),
                    Outcome::RetryAt(due_at, error) => ("pending", Some(*due_at), Some(error.as_str())),
                    Outcome::Failed(error) => ("failed", None, Some(error.as_str())),
                };
                sqlx::query(
                    "UPDATE notifications
                     SET state = $3, due_at = COALESCE($4, due_at), last_error = $5, lease_until = 0,
                         finished_at = CASE WHEN $3 = 'pending' THEN NULL ELSE $6 END
                     WHERE id = $1 AND lease_until = $2",
                )
                .bind(claimed.id)
                .bind(claimed.lease_until)
                .bind(state)
                .bind(due_at)
                .bind(error)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }

    /// A failed notification of this submission becomes due again, with a fresh run of retries.
    pub async fn resend_notification(&self, submission_id: i64, id: i64, now: i64) -> Result<bool, StoreError> {
        let done = on_pool!(self.backend, writer, |pool| {
            sqlx::query(
                "UPDATE notifications SET state = 'pending', attempts = 0, due_at = $3, lease_until = 0, finished_at = NULL
                 WHERE id = $1 AND submission_id = $2 AND state = 'failed'",
            )
            .bind(id)
            .bind(submission_id)
            .bind(now)
            .execute(pool)
            .await?
            .rows_affected()
        });
        Ok(done == 1)
    }

    pub async fn notifications_of(&self, submission_id: i64) -> Result<Vec<NotificationRow>, StoreError> {
        let rows: Vec<NotificationColumns> = on_pool!(self.backend, reads, |pool| {
            sqlx::query_as(
                "SELECT id, channel, state, attempts, due_at, last_error, finished_at
                 FROM notifications WHERE submission_id = $1 ORDER BY id",
            )
            .bind(submission_id)
            .fetch_all(pool)
            .await?
        });
        Ok(rows
            .into_iter()
            .filter_map(|(id, channel, state, attempts, due_at, last_error, finished_at)| {
                Some(NotificationRow {
                    id,
                    channel: Channel::parse(&channel)?.as_str(),
                    state,
                    attempts,
                    due_at,
                    last_error,
                    finished_at,
                })
            })
            .collect())
    }

    /// How many notifications wait to be sent, and how many were given up.
    pub async fn notification_counts(&self) -> Result<(i64, i64), StoreError> {
        Ok(on_pool!(self.backend, reads, |pool| {
            sqlx::query_as(
                "SELECT (SELECT count(*) FROM notifications WHERE state = 'pending'),
                        (SELECT count(*) FROM notifications WHERE state = 'failed')",
            )
            .fetch_one(pool)
            .await?
        }))
    }
}
