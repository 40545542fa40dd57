//! The dashboard's list: newest first, 25 a page, filtered by status and searched. An email
//! is found exactly through its blind index; a name or phone by substring, which means
//! decrypting those two fields of every candidate row (on the blocking pool).

use std::collections::BTreeMap;
use std::sync::Arc;

use super::view::SubmissionView;
use crate::crypto::{BlindIndex, Vault};
use crate::domain::{Email, Status};
use crate::store::{Filter, Store, StoreError};

pub const PAGE_SIZE: u32 = 25;

pub struct Listing {
    pub items: Vec<SubmissionView>,
    pub total: i64,
}

/// `counts` (per status) answers how many match when nothing but a status is filtered.
/// What the listing reads with: the store, and the keys to open and to find.
pub struct Shelf<'a> {
    pub store: &'a Store,
    pub vault: &'a Arc<Vault>,
    pub email_index: &'a BlindIndex,
    /// The days of the week in the reader's language.
    pub weekdays: &'a [String; 7],
}

pub async fn list(
    shelf: Shelf<'_>,
    q: &str,
    status: Option<Status>,
    page: u32,
    counts: &BTreeMap<String, i64>,
) -> Result<Listing, StoreError> {
    let q = q.trim();
    let offset = page.saturating_sub(1).saturating_mul(PAGE_SIZE);
    let status = status.map(Status::as_str);
    let known_total = match (q, status) {
        ("", None) => Some(counts.values().sum()),
        ("", Some(s)) => Some(counts.get(s).copied().unwrap_or(0)),
        _ => None,
    };
    if q.is_empty() || q.contains('@') {
        let email_index = match q {
            "" => None,
            q => match Email::parse(q) {
                Ok(email) => Some(shelf.email_index.of(&email.normalized())),
                // Something that is not an address matches no address.
                Err(_) => return Ok(Listing { items: Vec::new(), total: 0 }),
            },
        };
        let (rows, total) =
            shelf.store.list(&Filter { status, email_index }, PAGE_SIZE, offset, known_total).await?;
        let items = rows.into_iter().map(|r| SubmissionView::open(r, shelf.vault, shelf.weekdays)).collect();
        return Ok(Listing { items, total });
    }
    let candidates = shelf.store.search_candidates(status).await?;
    let needle = q.to_lowercase();
    let digits: String = q.chars().filter(char::is_ascii_digit).collect();
    let vault = shelf.vault.clone();
    let matches: Vec<i64> = rocket::tokio::task::spawn_blocking(move || {
        candidates
            .into_iter()
            .filter(|(_, name, phone)| {
                let name_hit = vault.decrypt(name).is_ok_and(|n| n.to_lowercase().contains(&needle));
                name_hit || (digits.len() >= 3 && vault.decrypt(phone).is_ok_and(|p| p.contains(&digits)))
            })
            .map(|(id, _, _)| id)
            .collect()
    })
    .await
    .unwrap_or_default();
    let page_ids: Vec<i64> = matches.iter().skip(offset as usize).take(PAGE_SIZE as usize).copied().collect();
    let rows = shelf.store.by_ids(&page_ids).await?;
    let items = rows.into_iter().map(|r| SubmissionView::open(r, shelf.vault, shelf.weekdays)).collect();
    Ok(Listing { items, total: matches.len() as i64 })
}
