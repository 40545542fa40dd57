//! Deleting personal data for good: whose submissions and which are past their time, deleted
//! in bounded batches through the writer. On SQLite the WAL is then written back and emptied
//! so that what was deleted is in neither file's bytes (`secure_delete` zeroes the freed
//! space; the WAL still holds the pages as they were until it is emptied). PostgreSQL has no
//! such step: autovacuum reclaims the rows' space, and neither it nor a VACUUM zeroes it.

use std::time::Duration;

use super::{Backend, Store, StoreError};
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
        Ok(on_pool!(self.backend, reads, |pool| {
            sqlx::query_scalar("SELECT submission_id FROM submission_email_keys WHERE email_index = $1 ORDER BY 1")
                .bind(index.as_bytes().as_slice())
                .fetch_all(pool)
                .await?
        }))
    }

    /// The oldest `limit` submissions past their time.
    pub async fn expired_ids(&self, expiry: Expiry<'_>, limit: u32) -> Result<Vec<i64>, StoreError> {
        // Each part on its own so each uses its way in: ids grow with time, so the oldest rows
        // come first in the table, and the spam ones through the status index.
        let mut parts = Vec::new();
        if expiry.all_before.is_some() {
            parts.push("SELECT id FROM submissions WHERE created_at < $1");
        }
        if expiry.spam_before.is_some() {
            parts.push("SELECT id FROM submissions WHERE status = 'spam' AND created_at < $2");
        }
        if parts.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!("{} ORDER BY 1 LIMIT $3", parts.join(" UNION "));
        Ok(on_pool!(self.backend, reads, |pool| {
            sqlx::query_scalar(&sql)
                .bind(expiry.all_before)
                .bind(expiry.spam_before)
                .bind(i64::from(limit))
                .fetch_all(pool)
                .await?
        }))
    }

    /// Deletes these submissions with their notes, email keys and notifications (by cascade)
    /// in one statement: how many there were.
    async fn delete_ids(&self, ids: &[i64]) -> Result<u64, StoreError> {
        let json = super::json_ids(ids);
        let sql = format!("DELETE FROM submissions WHERE id IN ({})", self.backend.dialect().ids_in_json());
        Ok(on_pool!(self.backend, writer, |pool| {
            sqlx::query(&sql).bind(&json).execute(pool).await?.rows_affected()
        }))
    }

    /// Forgets when the address was last sent a receipt (its blind index is a pseudonym of it).
    pub async fn forget_confirmations(&self, index: &IndexKey) -> Result<(), StoreError> {
        on_pool!(self.backend, writer, |pool| {
            sqlx::query("DELETE FROM visitor_confirmations WHERE email_index = $1")
                .bind(index.as_bytes().as_slice())
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// Drops the receipts' marks older than `before` (unix seconds): they decide nothing anymore.
    pub async fn forget_confirmations_before(&self, before: i64) -> Result<(), StoreError> {
        on_pool!(self.backend, writer, |pool| {
            sqlx::query("DELETE FROM visitor_confirmations WHERE sent_at < $1").bind(before).execute(pool).await?;
        });
        Ok(())
    }

    /// SQLite: writes the WAL back into the database and empties it. A reader in the middle
    /// of a read holds it back, so it is tried a few times; when it still can't, the next
    /// checkpoint overwrites it, and the data is gone from the database itself already.
    /// Nothing on PostgreSQL: a VACUUM here would scan the tables at every delete and still
    /// leave the bytes where they were.
    pub async fn flush_deleted(&self) -> Result<(), StoreError> {
        let Backend::Sqlite(sqlite) = &*self.backend else {
            return Ok(());
        };
        for _ in 0..50 {
            let busy: i64 = sqlx::query_scalar("PRAGMA wal_checkpoint(TRUNCATE)").fetch_one(&sqlite.writer).await?;
            if busy == 0 {
                return Ok(());
            }
            rocket::tokio::time::sleep(Duration::from_millis(20)).await;
        }
        log::warn!("erasure: readers kept the WAL from being emptied; the next checkpoint overwrites it");
        Ok(())
    }

    /// Takes the lease on `name` for `holder` until `until` (unix seconds) when nobody else
    /// holds it at `now`: whether `holder` has it.
    pub async fn take_lease(&self, name: &str, holder: &str, now: i64, until: i64) -> Result<bool, StoreError> {
        let done = on_pool!(self.backend, writer, |pool| {
            sqlx::query(
                "INSERT INTO leases (name, holder, until) VALUES ($1, $2, $4)
                 ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until = excluded.until
                 WHERE leases.holder = excluded.holder OR leases.until <= $3",
            )
            .bind(name)
            .bind(holder)
            .bind(now)
            .bind(until)
            .execute(pool)
            .await?
            .rows_affected()
        });
        Ok(done == 1)
    }

    /// Gives the lease on `name` back, if `holder` has it.
    pub async fn release_lease(&self, name: &str, holder: &str) -> Result<(), StoreError> {
        on_pool!(self.backend, writer, |pool| {
            sqlx::query("DELETE FROM leases WHERE name = $1 AND holder = $2").bind(name).bind(holder).execute(pool).await?;
        });
        Ok(())
    }

    /// Deletes these submissions, [`DELETE_BATCH`] a transaction: how many there were. What
    /// they held stays in SQLite's WAL until [`Store::flush_deleted`].
    pub async fn delete_many(&self, ids: &[i64]) -> Result<u64, StoreError> {
        let mut deleted = 0;
        for batch in ids.chunks(DELETE_BATCH) {
            deleted += self.delete_ids(batch).await?;
            self.inserter.checkpoint_soon();
        }
        Ok(deleted)
    }

    /// Deletes these submissions for good, then empties the WAL: how many there were.
    pub async fn erase(&self, ids: &[i64]) -> Result<u64, StoreError> {
        let erased = self.delete_many(ids).await?;
        if erased > 0 {
            self.flush_deleted().await?;
        }
        Ok(erased)
    }
}
