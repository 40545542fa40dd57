//! Keeping personal data no longer than the owner's policy says: the purge deletes, for good,
//! the submissions past their time (all after `RETENTION_DAYS`, spam after
//! `RETENTION_SPAM_DAYS`), at start and every hour. Instances that share a database take
//! turns through a lease, so one purges at a time.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use rand::RngCore;
use rocket::tokio::sync::Notify;

use crate::clock::{self, Clock};
use crate::config::RetentionPolicy;
use crate::store::{AuditEntry, Expiry, Store, StoreError, CONFIRMATION_EVERY};

/// How often the purge runs after the one at start.
const EVERY: Duration = Duration::from_secs(3600);

/// How long a purge holds the lease: far longer than one takes, short enough that a crashed
/// instance's turn passes to another within the hour.
const LEASE_SECS: i64 = 600;

/// Submissions read per round of a purge (then deleted a batch a transaction).
const PAGE: u32 = 2_000;

pub struct Retention {
    policy: RetentionPolicy,
    /// This instance's name in the lease.
    holder: String,
    wake: Notify,
    stopping: AtomicBool,
}

impl Retention {
    pub fn new(policy: RetentionPolicy) -> Retention {
        let mut id = [0u8; 8];
        rand::rngs::OsRng.fill_bytes(&mut id);
        Retention {
            policy,
            holder: crate::crypto::hex(&id),
            wake: Notify::new(),
            stopping: AtomicBool::new(false),
        }
    }

    pub fn policy(&self) -> RetentionPolicy {
        self.policy
    }

    /// Purges now and then every hour until [`Retention::stop`].
    pub fn start(self: &Arc<Retention>, store: Store, clock: Clock) {
        let retention = Arc::clone(self);
        rocket::tokio::spawn(async move {
            while !retention.stopping.load(Ordering::Relaxed) {
                if let Err(e) = retention.purge(&store, &clock).await {
                    log::warn!("retention: the purge failed ({e}); it runs again within the hour");
                }
                let _ = rocket::tokio::time::timeout(EVERY, retention.wake.notified()).await;
            }
        });
    }

    pub fn stop(&self) {
        self.stopping.store(true, Ordering::Relaxed);
        self.wake.notify_one();
    }

    /// Deletes what is past its time, unless another instance is purging (the lease is held
    /// for the purge only; a crashed one lets go when it runs out): how many
    /// submissions went (`None`: another instance holds the turn).
    pub async fn purge(&self, store: &Store, clock: &Clock) -> Result<Option<u64>, StoreError> {
        let now = clock.now();
        let unix = now.unix_timestamp();
        if !store.take_lease("retention", &self.holder, unix, unix + LEASE_SECS).await? {
            return Ok(None);
        }
        let purged = self.purge_expired(store, now).await;
        store.release_lease("retention", &self.holder).await?;
        purged.map(Some)
    }

    async fn purge_expired(&self, store: &Store, now: time::OffsetDateTime) -> Result<u64, StoreError> {
        let unix = now.unix_timestamp();
        let days_ago = |days: u32| clock::to_the_second(now - time::Duration::days(i64::from(days)));
        let all_before = self.policy.days.map(days_ago);
        let spam_before = days_ago(self.policy.spam_days);
        let expiry = Expiry { all_before: all_before.as_deref(), spam_before: Some(&spam_before) };
        let mut purged = 0;
        loop {
            let ids = store.expired_ids(expiry, PAGE).await?;
            if ids.is_empty() {
                break;
            }
            purged += store.delete_many(&ids).await?;
        }
        if purged > 0 {
            store.flush_deleted().await?;
        }
        store.forget_confirmations_before(unix - CONFIRMATION_EVERY).await?;
        if purged > 0 {
            let at = clock::to_the_second(now);
            let count = i64::try_from(purged).ok();
            store
                .audit(AuditEntry {
                    at: &at,
                    action: "retention_purge",
                    ip: "retention",
                    submission_id: None,
                    count,
                    actor: None,
                })
                .await?;
            log::info!("retention: {purged} submissions past their time deleted");
        }
        Ok(purged)
    }
}
