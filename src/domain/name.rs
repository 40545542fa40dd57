use super::text::{char_len, clean};

/// A visitor's name: 1 to 100 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name(String);

impl Name {
    pub const MAX: usize = 100;

    pub fn parse(raw: &str) -> Result<Name, &'static str> {
        let text = clean(raw, false)?;
        match char_len(text) {
            0 => Err("Please enter your name."),
            n if n > Self::MAX => Err("Your name can have at most 100 characters."),
            _ => Ok(Name(text.to_string())),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}
