//! The delivery worker: claims due notifications, sends them side by side, records the
//! outcomes. It also looks every second, so retries that came due, leases that ran out and
//! rows another instance wrote are found without being woken.
//!
//! It runs on a thread of its own at the lowest CPU priority: when visitors keep both cores
//! busy, their requests go first and the notifications follow a little later (they are stored
//! and nothing is lost). Under `submit` at full speed on the shared runtime the form lost more
//! than half of its flows to the worker (4,196 against 9,136/s). Under a flood it also sends
//! only a batch a round (`pace`), since the receivers and the outcomes it writes run at the
//! visitors' priority.

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rocket::futures::future::join_all;

use super::pace::Pace;
use super::{schedule, Notifier, SendError};
use crate::back_office::view::SubmissionView;
use crate::clock::Clock;
use crate::crypto::Vault;
use crate::store::{Channel, Claimed, Outcome, Store};

/// How long a claim holds: longer than any one batch (SMTP's 20 s, the webhook's 10 s), so
/// a live worker never loses its claim, and short enough that a dead one's rows go out soon.
const LEASE_SECS: i64 = 120;

/// Notifications claimed and sent together at most.
const BATCH: u32 = 64;

const ROUND: Duration = Duration::from_secs(1);

/// Starts the worker on a thread of its own; it ends after [`Notifier::stop`].
pub(super) fn spawn(
    notifier: Arc<Notifier>,
    store: Store,
    vault: Arc<Vault>,
    clock: Clock,
) -> std::io::Result<()> {
    std::thread::Builder::new().name("contact-notify".into()).spawn(move || {
        lower_priority();
        match rocket::tokio::runtime::Builder::new_current_thread().enable_all().build() {
            Ok(runtime) => runtime.block_on(run(notifier, store, vault, clock)),
            Err(e) => log::error!("notifications: no runtime for the worker ({e}); nothing is sent"),
        }
    })?;
    Ok(())
}

/// Nice 19 for this thread only (on Linux a thread has its own nice value).
fn lower_priority() {
    // SAFETY: setpriority only changes the scheduling weight of the calling thread.
    let tid = unsafe { libc::gettid() };
    if unsafe { libc::setpriority(libc::PRIO_PROCESS, tid as libc::id_t, 19) } != 0 {
        log::info!("notifications: the worker runs at normal priority (setpriority refused)");
    }
}

async fn run(notifier: Arc<Notifier>, store: Store, vault: Arc<Vault>, clock: Clock) {
    let stored = || notifier.stored.load(Ordering::Relaxed);
    let mut pace = Pace::new(stored(), Instant::now());
    while !notifier.stopping.load(Ordering::Relaxed) {
        let now = clock.now().unix_timestamp();
        match store.claim_notifications(now, LEASE_SECS, BATCH).await {
            Ok(claimed) if !claimed.is_empty() => {
                deliver_batch(&notifier, &store, &vault, &clock, &claimed).await;
                if pace.flood(stored(), Instant::now()) {
                    rocket::tokio::time::sleep(ROUND).await;
                }
                continue;
            }
            Ok(_) => {}
            Err(e) => log::warn!("notifications: the outbox cannot be read ({e})"),
        }
        let _ = rocket::tokio::time::timeout(ROUND, notifier.wake.notified()).await;
    }
}

/// One read for the batch's submissions (each decrypted once, however many receivers it
/// has), the sends side by side, one transaction for the outcomes.
async fn deliver_batch(
    notifier: &Notifier,
    store: &Store,
    vault: &Vault,
    clock: &Clock,
    claimed: &[Claimed],
) {
    let mut ids: Vec<i64> = claimed.iter().map(|c| c.submission_id).collect();
    ids.sort_unstable();
    ids.dedup();
    // Worded for the owners, in the default language; a visitor's receipt words its own.
    let weekdays = notifier.render.catalogs().weekdays(notifier.render.languages().default_lang());
    let submissions: HashMap<i64, SubmissionView> = match store.whole_by_ids(&ids).await {
        Ok(rows) => {
            rows.into_iter().map(|row| (row.id, SubmissionView::open(row, vault, weekdays))).collect()
        }
        Err(e) => {
            log::warn!("notifications: submissions cannot be read ({e}); the lease will run out and they are tried again");
            return;
        }
    };
    let now = clock.now().unix_timestamp();
    // A submission deleted meanwhile took its notifications with it: nothing to send or record.
    let due: Vec<(&Claimed, &SubmissionView)> =
        claimed.iter().filter_map(|c| submissions.get(&c.submission_id).map(|s| (c, s))).collect();
    let outcomes = join_all(due.iter().map(|(c, s)| attempt(notifier, c, s, now))).await;
    let recorded: Vec<(&Claimed, Outcome)> = due.iter().map(|(c, _)| *c).zip(outcomes).collect();
    if let Err(e) = store.record_outcomes(recorded, clock.now().unix_timestamp()).await {
        log::warn!("notifications: outcomes cannot be recorded ({e}); the lease will run out and they are sent again");
    }
}

async fn attempt(notifier: &Notifier, claimed: &Claimed, submission: &SubmissionView, now: i64) -> Outcome {
    let (result, outage, receiver) = match claimed.channel {
        Channel::Email | Channel::Confirmation => {
            let result = match (&notifier.mailer, claimed.channel) {
                (None, _) => Err(SendError::permanent("email is not configured")),
                (Some(m), Channel::Email) => m.tell_owners(&notifier.render, submission).await,
                (Some(m), _) => m.confirm_to_visitor(&notifier.render, submission).await,
            };
            (result, &notifier.smtp_outage, "the SMTP server")
        }
        Channel::Webhook => {
            let result = match &notifier.webhook {
                None => Err(SendError::permanent("the webhook is not configured")),
                Some(w) => w.submission_created(&claimed.event_id, now, submission).await,
            };
            (result, &notifier.webhook_outage, "the webhook")
        }
    };
    match result {
        Ok(()) => {
            outage.worked(receiver);
            Outcome::Delivered
        }
        Err(e) if e.permanent => Outcome::Failed(e.message),
        Err(e) => {
            outage.failed(receiver, &e);
            match schedule::retry_after(claimed.attempts) {
                Some(wait) => Outcome::RetryAt(now + wait, e.message),
                None => Outcome::Failed(e.message),
            }
        }
    }
}
