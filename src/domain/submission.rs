use std::collections::BTreeMap;

use time::OffsetDateTime;

use super::{Email, Message, Name, Phone, PreferredTime, TimeZone};
use crate::i18n::Msg;

/// Field name → what is wrong with it, shown beside the field in the reader's language.
pub type FieldErrors = BTreeMap<&'static str, Msg>;

/// What the visitor typed, untouched.
#[derive(Debug, Clone, Copy, Default)]
pub struct ContactInput<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub phone: &'a str,
    pub preferred_time: &'a str,
    /// The IANA zone `preferred_time` is meant in; empty: the default zone.
    pub time_zone: &'a str,
    pub message: &'a str,
}

/// What parsing needs besides the input.
#[derive(Debug, Clone, Copy)]
pub struct ParseRules<'a> {
    pub now: OffsetDateTime,
    pub phone_default_region: Option<&'a str>,
    /// The zone of a form sent without one.
    pub default_zone: &'a TimeZone,
}

/// A contact request whose every field is valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactDetails {
    pub name: Name,
    pub email: Email,
    pub phone: Phone,
    pub preferred_time: PreferredTime,
    pub time_zone: TimeZone,
    pub message: Message,
}

impl ContactInput<'_> {
    /// Every field is checked, so the form can show all its errors at once.
    pub fn parse(&self, rules: &ParseRules<'_>) -> Result<ContactDetails, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut check = |field: &'static str, result: Result<(), Msg>| {
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
        let time_zone = match self.time_zone.trim() {
            "" => Ok(rules.default_zone.clone()),
            name => TimeZone::parse(name),
        };
        check("time_zone", time_zone.as_ref().map(drop).map_err(|e| *e));
        let preferred_time = match &time_zone {
            Ok(zone) => PreferredTime::parse(self.preferred_time, zone, rules.now),
            Err(_) => PreferredTime::parse(self.preferred_time, rules.default_zone, rules.now),
        };
        check("preferred_time", preferred_time.as_ref().map(drop).map_err(|e| *e));
        let message = Message::parse(self.message);
        check("message", message.as_ref().map(drop).map_err(|e| *e));
        match (name, email, phone, preferred_time, time_zone, message) {
            (Ok(name), Ok(email), Ok(phone), Ok(preferred_time), Ok(time_zone), Ok(message)) => {
                Ok(ContactDetails { name, email, phone, preferred_time, time_zone, message })
            }
            _ => Err(errors),
        }
    }
}
