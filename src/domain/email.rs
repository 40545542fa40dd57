use crate::i18n::Msg;
use super::text::clean;

/// An email address in the shape mail servers accept: a dot-atom local part (at most 64
/// characters) and a domain of letter/digit/hyphen labels with a letter TLD, at most 254 in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub const MAX: usize = 254;

    pub fn parse(raw: &str) -> Result<Email, Msg> {
        const INVALID: Msg = Msg("field-email-invalid");
        let text = clean(raw, false)?;
        if text.is_empty() {
            return Err(Msg("field-email-missing"));
        }
        if text.len() > Self::MAX {
            return Err(Msg("field-email-too-long"));
        }
        let (local, domain) = text.rsplit_once('@').ok_or(INVALID)?;
        if !valid_local(local) || !valid_domain(domain) {
            return Err(INVALID);
        }
        Ok(Email(text.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The form compared when searching: the domain is case-insensitive by definition and
    /// nearly every provider treats the local part the same way.
    pub fn normalized(&self) -> String {
        self.0.to_lowercase()
    }
}

fn valid_local(local: &str) -> bool {
    const SPECIALS: &[u8] = b"!#$%&'*+/=?^_`{|}~-";
    !local.is_empty()
        && local.len() <= 64
        && local.split('.').all(|atom| {
            !atom.is_empty() && atom.bytes().all(|b| b.is_ascii_alphanumeric() || SPECIALS.contains(&b))
        })
}

fn valid_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    let tld = labels.last().copied().unwrap_or_default();
    labels.len() >= 2
        && (2..=63).contains(&tld.len())
        && tld.bytes().all(|b| b.is_ascii_alphabetic())
        && labels.iter().all(|label| {
            (1..=63).contains(&label.len())
                && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}
