//! Telling people of a new submission, after it is stored: the owners by email, a webhook,
//! the visitor's receipt. The submission's transaction writes the notifications into the
//! outbox (`store::outbox`); a worker per instance claims due ones under a lease, sends them,
//! and records each outcome, retrying for about three days. No visitor waits for a mail server.

pub mod email;
mod pace;
mod schedule;
pub mod webhook;
mod worker;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

use rocket::tokio::sync::Notify;

use crate::clock::Clock;
use crate::config::notify::NotifyConfig;
use crate::crypto::Vault;
use crate::render::Renderer;
use crate::store::{NewNotifications, Store};

/// Why one attempt failed, in words free of addresses, tokens and personal data (they are
/// stored and shown to the admin).
#[derive(Debug, Clone, thiserror::Error)]
#[error("{message}")]
pub struct SendError {
    message: String,
    /// Trying again can't help (the message can't be built): given up at once.
    permanent: bool,
}

impl SendError {
    fn transient(message: impl Into<String>) -> SendError {
        SendError { message: message.into(), permanent: false }
    }

    fn permanent(message: impl Into<String>) -> SendError {
        SendError { message: message.into(), permanent: true }
    }
}

/// Why the notification settings can't be used at start.
#[derive(Debug, thiserror::Error)]
pub enum NotifyError {
    #[error(transparent)]
    Smtp(#[from] email::MailerError),
    #[error("webhook: no HTTP client ({0})")]
    Webhook(#[from] reqwest::Error),
}

/// Whether a receiver is down, so that an outage is logged when it begins and when it ends,
/// not at every event.
#[derive(Default)]
struct Outage(AtomicBool);

impl Outage {
    fn failed(&self, receiver: &str, error: &SendError) {
        if !self.0.swap(true, Ordering::Relaxed) {
            log::warn!("notifications: {receiver}: {error}; retrying with growing delays");
        }
    }

    fn worked(&self, receiver: &str) {
        if self.0.swap(false, Ordering::Relaxed) {
            log::info!("notifications: {receiver} works again");
        }
    }
}

pub struct Notifier {
    config: NotifyConfig,
    mailer: Option<email::Mailer>,
    webhook: Option<webhook::Webhook>,
    render: Renderer,
    /// Rung after a submission with notifications is stored, and at shutdown.
    wake: Notify,
    /// Submissions with notifications stored since start: the worker reads the intake's pace
    /// from it, to give way to a flood.
    stored: AtomicU64,
    stopping: AtomicBool,
    smtp_outage: Outage,
    webhook_outage: Outage,
}

impl Notifier {
    pub fn new(config: &NotifyConfig, render: Renderer) -> Result<Notifier, NotifyError> {
        let mailer = config.smtp.as_ref().map(|server| email::Mailer::new(server, config)).transpose()?;
        let webhook = config.webhook.as_ref().map(webhook::Webhook::new).transpose()?;
        Ok(Notifier {
            config: config.clone(),
            mailer,
            webhook,
            render,
            wake: Notify::new(),
            stored: AtomicU64::new(0),
            stopping: AtomicBool::new(false),
            smtp_outage: Outage::default(),
            webhook_outage: Outage::default(),
        })
    }

    /// What a new submission's transaction adds to the outbox (`now` in unix seconds).
    pub fn for_new_submission(&self, now: i64) -> NewNotifications {
        NewNotifications {
            email: !self.config.email_to.is_empty(),
            webhook: self.webhook.is_some(),
            confirmation: self.config.confirm_visitor,
            now,
        }
    }

    /// A submission with notifications was stored: the worker looks at once.
    pub fn submission_stored(&self) {
        self.stored.fetch_add(1, Ordering::Relaxed);
        self.wake.notify_one();
    }

    /// Something is due now (a notification sent again): the worker looks at once instead of
    /// at its next round.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Starts this instance's worker; it ends after [`Notifier::stop`].
    pub fn start(self: &Arc<Notifier>, store: Store, vault: Arc<Vault>, clock: Clock) {
        if let Err(e) = worker::spawn(Arc::clone(self), store, vault, clock) {
            log::error!("notifications: the worker cannot start ({e}); nothing is sent");
        }
    }

    pub fn stop(&self) {
        self.stopping.store(true, Ordering::Relaxed);
        self.wake.notify_one();
    }

    /// Sends a test email and a test webhook event with the configured settings: what each
    /// did, by receiver (`contact-client notify-test`).
    pub async fn test(&self, clock: &Clock) -> Vec<(&'static str, Result<(), SendError>)> {
        let mut results = Vec::new();
        if let Some(mailer) = self.mailer.as_ref().filter(|_| !self.config.email_to.is_empty()) {
            results.push(("email", mailer.test(&self.render).await));
        }
        if let Some(webhook) = &self.webhook {
            let now = clock.now();
            let id = format!("msg_test_{}", now.unix_timestamp());
            results.push((
                "webhook",
                webhook.test(&id, now.unix_timestamp(), &crate::clock::to_the_second(now)).await,
            ));
        }
        results
    }
}
