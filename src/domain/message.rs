use super::text::{char_len, clean};

/// The optional free text: at most 5000 characters, line breaks allowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message(String);

impl Message {
    pub const MAX: usize = 5000;

    pub fn parse(raw: &str) -> Result<Message, &'static str> {
        let text = clean(raw, true)?;
        if char_len(text) > Self::MAX {
            return Err("The message can have at most 5000 characters.");
        }
        Ok(Message(text.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}
