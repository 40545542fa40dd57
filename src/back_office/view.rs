//! Stored rows opened for the admin's eyes: every sealed field decrypted.

use serde::Serialize;

use crate::crypto::Vault;
use crate::domain::readable_in_zone;
use crate::store::{NoteRow, NotificationRow, SubmissionRow};

/// Shown instead of a value no configured key can decrypt (a removed key, a damaged row).
const UNREADABLE: &str = "(cannot be decrypted with the configured keys)";

#[derive(Debug, Clone, Serialize)]
pub struct SubmissionView {
    pub id: i64,
    pub created_at: String,
    pub name: String,
    pub email: String,
    pub phone: String,
    /// `YYYY-MM-DDTHH:MM` in UTC.
    pub preferred_time: String,
    /// The IANA zone the visitor meant it in.
    pub time_zone: String,
    /// The code of the language the visitor read the form in.
    pub language: String,
    /// The visitor's wall clock and zone, then UTC: `Tue 2026-06-16 14:00 Europe/Berlin (12:00 UTC)`.
    pub preferred_local: String,
    /// Only where the message was fetched (a list leaves it out).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    pub status: String,
    pub phone_verdict: String,
    pub phone_country: Option<String>,
    pub phone_line_type: Option<String>,
    pub phone_carrier: Option<String>,
}

fn open(vault: &Vault, token: &str) -> String {
    vault.decrypt(token).unwrap_or_else(|_| UNREADABLE.to_string())
}

impl SubmissionView {
    /// `weekdays` name the days in the reader's language (see [`readable_in_zone`]).
    pub fn open(row: SubmissionRow, vault: &Vault, weekdays: &[String; 7]) -> SubmissionView {
        SubmissionView {
            name: open(vault, &row.name),
            email: open(vault, &row.email),
            phone: open(vault, &row.phone),
            message: row.message.as_deref().map(|m| open(vault, m)),
            id: row.id,
            created_at: row.created_at,
            preferred_local: readable_in_zone(&row.preferred_time, &row.time_zone, weekdays),
            preferred_time: row.preferred_time,
            time_zone: row.time_zone,
            language: row.language,
            status: row.status,
            phone_verdict: row.phone_verdict,
            phone_country: row.phone_country,
            phone_line_type: row.phone_line_type,
            phone_carrier: row.phone_carrier,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct NoteView {
    pub created_at: String,
    pub body: String,
}

impl NoteView {
    pub fn open(row: NoteRow, vault: &Vault) -> NoteView {
        NoteView { body: open(vault, &row.body), created_at: row.created_at }
    }
}

/// A notification's state as the admin reads it.
#[derive(Debug, Clone, Serialize)]
pub struct NotificationView {
    pub id: i64,
    pub channel: &'static str,
    pub state: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    /// When it was delivered or given up; while pending, when it is tried next.
    pub at: String,
}

impl From<NotificationRow> for NotificationView {
    fn from(row: NotificationRow) -> NotificationView {
        let at = time::OffsetDateTime::from_unix_timestamp(row.finished_at.unwrap_or(row.due_at))
            .map(crate::clock::to_the_second)
            .unwrap_or_default();
        NotificationView {
            id: row.id,
            channel: row.channel,
            state: row.state,
            attempts: row.attempts,
            last_error: row.last_error,
            at,
        }
    }
}
