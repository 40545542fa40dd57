use rlibphonenumber::enums::Region;
use rlibphonenumber::{ParseError, PhoneNumber, PhoneNumberFormat, ValidationError, PHONE_NUMBER_UTIL};

use super::text::clean;
use crate::i18n::Msg;

/// A phone number that libphonenumber's metadata says is valid, kept in E.164 (`+14155550132`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone(String);

impl Phone {
    /// Longer input is refused before parsing: no real number with its formatting comes close.
    const MAX_INPUT: usize = 40;

    /// `default_region` (e.g. `US`) is used for numbers typed without a `+` country code.
    pub fn parse(raw: &str, default_region: Option<&str>) -> Result<Phone, Msg> {
        let text = clean(raw, false)?;
        if text.is_empty() {
            return Err(Msg("field-phone-missing"));
        }
        if text.len() > Self::MAX_INPUT {
            return Err(Msg("field-phone-way-too-long"));
        }
        let region = default_region.and_then(known_region);
        let number = PHONE_NUMBER_UTIL.parse(text, region).map_err(|err| match err {
            ParseError::InvalidCountryCode if region.is_none() && !text.starts_with('+') => {
                Msg("field-phone-country-code")
            }
            ParseError::InvalidCountryCode => Msg("field-phone-bad-country"),
            ParseError::TooShortAfterIdd | ParseError::TooShortNsn => Msg("field-phone-too-short"),
            ParseError::TooLongNsn => Msg("field-phone-too-long"),
            ParseError::NotANumber(_) => Msg("field-phone-invalid"),
        })?;
        if !number.is_valid() {
            return Err(invalid_because(&number));
        }
        Ok(Phone(number.format_as(PhoneNumberFormat::E164).into_owned()))
    }

    /// Whether `code` (e.g. `US`) names a region libphonenumber has numbering rules for.
    pub fn knows_region(code: &str) -> bool {
        known_region(code).is_some()
    }

    /// E.164, with the leading `+`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn known_region(code: &str) -> Option<Region> {
    let region = Region::from_code(code).ok()?;
    PHONE_NUMBER_UTIL.get_country_code_for_region(region).map(|_| region)
}

/// "Too short" or "too long" when the number's length is outside every length its country
/// code uses, so the visitor knows what to fix.
fn invalid_because(number: &PhoneNumber) -> Msg {
    match number.is_possible_with_reason() {
        Err(ValidationError::TooShort) => Msg("field-phone-too-short"),
        Err(ValidationError::TooLong) => Msg("field-phone-too-long"),
        Err(ValidationError::InvalidCountryCode) => Msg("field-phone-bad-country"),
        Err(ValidationError::InvalidLength) | Ok(_) => Msg("field-phone-invalid"),
    }
}
