//! `Accept-Language` against the offered languages. fluent-langneg matches tags (`de-AT` finds
//! `de`) but reads a header in its written order; the weights are read here.

use fluent_langneg::{negotiate_languages, NegotiationStrategy};
use unic_langid::LanguageIdentifier;

use super::Lang;

/// The header's language ranges, most wanted first; ranges weighted 0 and `*` left out.
fn accepted(header: &str) -> Vec<LanguageIdentifier> {
    let mut ranges: Vec<(u16, usize, LanguageIdentifier)> = header
        .split(',')
        .enumerate()
        .filter_map(|(order, item)| {
            let mut parts = item.split(';');
            let tag: LanguageIdentifier = parts.next()?.trim().parse().ok()?;
            let weight =
                parts.find_map(|p| p.trim().strip_prefix("q=").map(weight_of)).unwrap_or(Some(1000))?;
            (weight > 0).then_some((weight, order, tag))
        })
        .collect();
    ranges.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    ranges.into_iter().map(|(_, _, tag)| tag).collect()
}

/// `0.8` → 800; anything else is no weight at all (the range is dropped).
fn weight_of(raw: &str) -> Option<u16> {
    let value: f32 = raw.trim().parse().ok()?;
    (0.0..=1.0).contains(&value).then(|| (value * 1000.0).round() as u16)
}

pub(super) fn best(header: &str, offered: &[Lang]) -> Option<Lang> {
    let available: Vec<LanguageIdentifier> = offered.iter().filter_map(|l| l.code().parse().ok()).collect();
    let requested = accepted(header);
    let found = negotiate_languages(&requested, &available, None, NegotiationStrategy::Lookup);
    found.first().and_then(|tag| Lang::parse(&tag.to_string()))
}
