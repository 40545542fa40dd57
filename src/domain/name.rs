use crate::i18n::Msg;
use super::text::{char_len, clean};

/// A visitor's name: 1 to 100 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name(String);

impl Name {
    pub const MAX: usize = 100;

    pub fn parse(raw: &str) -> Result<Name, Msg> {
        let text = clean(raw, false)?;
        match char_len(text) {
            0 => Err(Msg("field-name-missing")),
            n if n > Self::MAX => Err(Msg("field-name-too-long")),
            _ => Ok(Name(text.to_string())),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}
