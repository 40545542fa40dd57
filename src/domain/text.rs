//! Rules every text field shares: surrounding space trimmed, control characters refused.

use crate::i18n::Msg;

/// The trimmed text, or the reason it is refused. `allow_newlines` lets a multi-line field keep
/// line breaks and tabs.
pub fn clean(raw: &str, allow_newlines: bool) -> Result<&str, Msg> {
    let text = raw.trim();
    let refused = |c: char| c.is_control() && !(allow_newlines && matches!(c, '\n' | '\r' | '\t'));
    if text.chars().any(refused) {
        return Err(Msg("field-control"));
    }
    Ok(text)
}

/// Length in characters, as people (and the HTML `maxlength` attribute) count them.
pub fn char_len(text: &str) -> usize {
    text.chars().count()
}
