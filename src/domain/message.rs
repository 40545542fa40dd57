use crate::i18n::Msg;
use super::text::{char_len, clean};

/// The optional free text: at most 5000 characters, line breaks allowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message(String);

impl Message {
    pub const MAX: usize = 5000;

    pub fn parse(raw: &str) -> Result<Message, Msg> {
        let text = clean(raw, true)?;
        if char_len(text) > Self::MAX {
            return Err(Msg("field-message-too-long"));
        }
        Ok(Message(text.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}
