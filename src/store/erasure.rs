//! Deleting personal data for good: whose submissions and which are past their time, deleted
//! in bounded batches through the submissions' writer, then the WAL written back and emptied
//! so that what was deleted is in neither file's bytes (`secure_delete` zeroes the freed
//! space; the WAL still holds the pages as they were until it is emptied).

use std::time::Duration;

use rocket_db_pools::sqlx;
use sqlx::Row;

use super::{Store, StoreError};
use crate::crypto::IndexKey;

/// Submissions deleted in one transaction at most: the submissions waiting behind it wait for
/// a few milliseconds, not for the whole purge.
const DELETE_BATCH: usize = 200;

/// What is past its time (created before these RFC 3339 instants).
#[derive(Debug, Clone, Copy)]
pub struct Expiry<'a> {
    /// Every submission created before it.
    pub all_before: Option<&'a str>,
    /// Submissions marked spam created before it.
    pub spam_before: Option<&'a str>,
}

impl Store {
    /// The submissions sent from the address with this blind index, oldest first.
    pub async fn ids_of_email(&self, index: &IndexKey) -> Result<Vec<i64>, StoreError> {
        let rows = sqlx::query("SELECT submission_id FROM submission_email_keys WHERE email_index = ? ORDER BY 1")
            .bind(index.as_bytes().as_slice())
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    /// The oldest `limit` submissions past their time.
    pub async fn expired_ids(&self, expiry: Expiry<'_>, limit: u32) -> Result<Vec<i64>, StoreError> {
        // Each part on its own so each uses its way in: ids grow with time, so the oldest rows
        // come first in the table, and the spam ones through the status index.
        let mut parts = Vec::new();
        if expiry.all_before.is_some() {
            parts.push("SELECT id FROM submissions WHERE created_at < ?1");
        }
        if expiry.spam_before.is_some() {
            parts.push("SELECT id FROM submissions WHERE status = 'spam' AND created_at < ?2");
        }
        if parts.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!("{} ORDER BY 1 LIMIT ?3", parts.join(" UNION "));
        let rows = sqlx::query(&sql)
            .bind(expiry.all_before)
            .bind(expiry.spam_before)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    /// Deletes these submissions with their notes, email keys and notifications (by cascade)
    /// in the writer's next transaction: how many there were.
    async fn delete_ids(&self, ids: Vec<i64>) -> Result<u64, StoreError> {
        self.inserter
            .run(move |conn| {
                let mut delete = conn.prepare_cached("DELETE FROM submissions WHERE id = ?1")?;
                ids.iter().try_fold(0u64, |n, id| Ok(n + delete.execute([id])? as u64))
            })
            .await
    }

    /// Forgets when the address was last sent a receipt (its blind index is a pseudonym of it).
    pub async fn forget_confirmations(&self, index: &IndexKey) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM visitor_confirmations WHERE email_index = ?")
            .bind(index.as_bytes().as_slice())
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    /// Drops the receipts' marks older than `before` (unix seconds): they decide nothing anymore.
    pub async fn forget_confirmations_before(&self, before: i64) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM visitor_confirmations WHERE sent_at < ?").bind(before).execute(&self.writer).await?;
        Ok(())
    }

    /// Writes the WAL back into the database and empties it. A reader in the middle of a read
    /// holds it back, so it is tried a few times; false when it could not be emptied (the next
    /// checkpoint overwrites it, and the data is still gone from the database itself).
    async fn flush_deleted(&self) -> Result<bool, StoreError> {
        for _ in 0..50 {
            let busy: i64 = sqlx::query_scalar("PRAGMA wal_checkpoint(TRUNCATE)").fetch_one(&self.writer).await?;
            if busy == 0 {
                return Ok(true);
            }
            rocket::tokio::time::sleep(Duration::from_millis(20)).await;
        }
        Ok(false)
    }

    /// Takes the lease on `name` for `holder` until `until` (unix seconds) when nobody else
    /// holds it at `now`: whether `holder` has it.
    pub async fn take_lease(&self, name: &str, holder: &str, now: i64, until: i64) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "INSERT INTO leases (name, holder, until) VALUES (?1, ?2, ?4)
             ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until = excluded.until
             WHERE leases.holder = excluded.holder OR leases.until <= ?3",
        )
        .bind(name)
        .bind(holder)
        .bind(now)
        .bind(until)
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Gives the lease on `name` back, if `holder` has it.
    pub async fn release_lease(&self, name: &str, holder: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM leases WHERE name = ? AND holder = ?").bind(name).bind(holder).execute(&self.writer).await?;
        Ok(())
    }

    /// Deletes these submissions for good, [`DELETE_BATCH`] a transaction, then empties the WAL:
    /// how many there were.
    pub async fn erase(&self, ids: Vec<i64>) -> Result<u64, StoreError> {
        let mut erased = 0;
        for batch in ids.chunks(DELETE_BATCH) {
            erased += self.delete_ids(batch.to_vec()).await?;
        }
        if erased > 0 && !self.flush_deleted().await? {
            log::warn!("erasure: readers kept the WAL from being emptied; the next checkpoint overwrites it");
        }
        Ok(erased)
    }
}
