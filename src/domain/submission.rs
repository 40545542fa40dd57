use std::collections::BTreeMap;

use time::OffsetDateTime;

use super::{Email, Message, Name, Phone, PreferredTime};

/// Field name → what is wrong with it, shown beside the field.
pub type FieldErrors = BTreeMap<&'static str, &'static str>;

/// What the visitor typed, untouched.
#[derive(Debug, Clone, Copy, Default)]
pub struct ContactInput<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub phone: &'a str,
    pub preferred_time: &'a str,
    pub message: &'a str,
}

/// What parsing needs besides the input.
#[derive(Debug, Clone, Copy)]
pub struct ParseRules<'a> {
    pub now: OffsetDateTime,
    pub phone_default_region: Option<&'a str>,
}

/// A contact request whose every field is valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactDetails {
    pub name: Name,
    pub email: Email,
    pub phone: Phone,
    pub preferred_time: PreferredTime,
    pub message: Message,
}

impl ContactInput<'_> {
    /// Every field is checked, so the form can show all its errors at once.
    pub fn parse(&self, rules: &ParseRules<'_>) -> Result<ContactDetails, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut check = |field: &'static str, result: Result<(), &'static str>| {
            if let Err(message) = result {
                errors.insert(field, message);
            }
        };
        let name = Name::parse(self.name);
        check("name", name.as_ref().map(drop).map_err(|e| *e));
        let email = Email::parse(self.email);
        check("email", email.as_ref().map(drop).map_err(|e| *e));
        let phone = Phone::parse(self.phone, rules.phone_default_region);
        check("phone", phone.as_ref().map(drop).map_err(|e| *e));
        let preferred_time = PreferredTime::parse(self.preferred_time, rules.now);
        check("preferred_time", preferred_time.as_ref().map(drop).map_err(|e| *e));
        let message = Message::parse(self.message);
        check("message", message.as_ref().map(drop).map_err(|e| *e));
        match (name, email, phone, preferred_time, message) {
            (Ok(name), Ok(email), Ok(phone), Ok(preferred_time), Ok(message)) => {
                Ok(ContactDetails { name, email, phone, preferred_time, message })
            }
            _ => Err(errors),
        }
    }
}
