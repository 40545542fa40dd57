//! One person's data, found by their exact email through the blind index: what is stored of
//! them, all of it decrypted for an access request, and all of it erased for an erasure
//! request. Used by the admin's pages and the command line alike.

use serde::Serialize;

use super::listing::Shelf;
use super::view::{NoteView, SubmissionView};
use crate::domain::Email;
use crate::store::StoreError;

/// Everything stored of one person, as an access request's answer carries it.
#[derive(Debug, Serialize)]
pub struct PersonExport {
    pub email: String,
    pub exported_at: String,
    pub submissions: Vec<SubmissionWithNotes>,
}

#[derive(Debug, Serialize)]
pub struct SubmissionWithNotes {
    #[serde(flatten)]
    pub submission: SubmissionView,
    pub notes: Vec<NoteView>,
}

/// The address's submissions, newest first, decrypted.
pub async fn submissions_of(shelf: &Shelf<'_>, email: &Email) -> Result<Vec<SubmissionView>, StoreError> {
    let ids = shelf.store.ids_of_email(&shelf.email_index.of(&email.normalized())).await?;
    let rows = shelf.store.whole_by_ids(&ids).await?;
    Ok(rows.into_iter().map(|row| SubmissionView::open(row, shelf.vault, shelf.weekdays)).collect())
}

/// The address's submissions with their notes, oldest first.
pub async fn export(shelf: &Shelf<'_>, email: &Email, now: String) -> Result<PersonExport, StoreError> {
    let mut submissions = Vec::new();
    for submission in submissions_of(shelf, email).await?.into_iter().rev() {
        let notes = shelf
            .store
            .notes(submission.id)
            .await?
            .into_iter()
            .map(|n| NoteView::open(n, shelf.vault))
            .collect();
        submissions.push(SubmissionWithNotes { submission, notes });
    }
    Ok(PersonExport { email: email.as_str().to_string(), exported_at: now, submissions })
}

/// Deletes every submission of the address for good, with their notes and notifications, and
/// forgets when the address was last sent a receipt: how many submissions there were.
pub async fn erase(shelf: &Shelf<'_>, email: &Email) -> Result<u64, StoreError> {
    let index = shelf.email_index.of(&email.normalized());
    let erased = shelf.store.erase(&shelf.store.ids_of_email(&index).await?).await?;
    shelf.store.forget_confirmations(&index).await?;
    Ok(erased)
}
