//! The delivery worker: claims due notifications, sends them side by side, records each
//! outcome. It also looks every second, so retries that came due, leases that ran out and
//! rows another instance wrote are found without being woken.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use rocket::futures::future::join_all;

use super::{schedule, Notifier, SendError};
use crate::back_office::view::SubmissionView;
use crate::clock::Clock;
use crate::crypto::Vault;
use crate::store::{Channel, Claimed, Outcome, Store};

/// How long a claim holds: longer than any one attempt (SMTP's 20 s, the webhook's 10 s), so
/// a live worker never loses its claim, and short enough that a dead one's rows go out soon.
const LEASE_SECS: i64 = 120;

/// Notifications claimed and sent together at most.
const BATCH: u32 = 32;

const ROUND: Duration = Duration::from_secs(1);

pub(super) async fn run(notifier: Arc<Notifier>, store: Store, vault: Arc<Vault>, clock: Clock) {
    while !notifier.stopping.load(Ordering::Relaxed) {
        let now = clock.now().unix_timestamp();
        match store.claim_notifications(now, LEASE_SECS, BATCH).await {
            Ok(claimed) if !claimed.is_empty() => {
                join_all(claimed.iter().map(|c| deliver(&notifier, &store, &vault, &clock, c))).await;
                continue;
            }
            Ok(_) => {}
            Err(e) => log::warn!("notifications: the outbox cannot be read ({e})"),
        }
        let _ = rocket::tokio::time::timeout(ROUND, notifier.wake.notified()).await;
    }
}

async fn deliver(notifier: &Notifier, store: &Store, vault: &Vault, clock: &Clock, claimed: &Claimed) {
    let row = match store.get(claimed.submission_id).await {
        Ok(Some(row)) => row,
        // Deleted meanwhile: its notifications went with it.
        Ok(None) => return,
        Err(e) => {
            log::warn!("notifications: a submission cannot be read ({e})");
            return;
        }
    };
    let submission = SubmissionView::open(row, vault);
    let now = clock.now().unix_timestamp();
    let (result, outage, receiver) = match claimed.channel {
        Channel::Email | Channel::Confirmation => {
            let result = match (&notifier.mailer, claimed.channel) {
                (None, _) => Err(SendError::permanent("email is not configured")),
                (Some(m), Channel::Email) => m.tell_owners(&notifier.render, &submission).await,
                (Some(m), _) => m.confirm_to_visitor(&notifier.render, &submission).await,
            };
            (result, &notifier.smtp_outage, "the SMTP server")
        }
        Channel::Webhook => {
            let result = match &notifier.webhook {
                None => Err(SendError::permanent("the webhook is not configured")),
                Some(w) => w.submission_created(&claimed.event_id, now, &submission).await,
            };
            (result, &notifier.webhook_outage, "the webhook")
        }
    };
    let outcome = match &result {
        Ok(()) => {
            outage.worked(receiver);
            Outcome::Delivered
        }
        Err(e) if e.permanent => Outcome::Failed(&e.message),
        Err(e) => {
            outage.failed(receiver, e);
            match schedule::retry_after(claimed.attempts) {
                Some(wait) => Outcome::RetryAt(now + wait, &e.message),
                None => Outcome::Failed(&e.message),
            }
        }
    };
    if let Err(e) = store.record_outcome(claimed, now, outcome).await {
        log::warn!(
            "notifications: an outcome cannot be recorded ({e}); the lease will run out and it is sent again"
        );
    }
}
