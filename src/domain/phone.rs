use phonenumber::country;
use phonenumber::{Mode, ParseError};

use super::text::clean;

/// A phone number that libphonenumber's metadata says is valid, kept in E.164 (`+14155550132`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone(String);

impl Phone {
    /// Longer input is refused before parsing: no real number with its formatting comes close.
    const MAX_INPUT: usize = 40;

    /// `default_region` (e.g. `US`) is used for numbers typed without a `+` country code.
    pub fn parse(raw: &str, default_region: Option<&str>) -> Result<Phone, &'static str> {
        let text = clean(raw, false)?;
        if text.is_empty() {
            return Err("Please enter your phone number.");
        }
        if text.len() > Self::MAX_INPUT {
            return Err("That is too long for a phone number.");
        }
        let region = default_region.and_then(|r| r.parse::<country::Id>().ok());
        let number = phonenumber::parse(region, text).map_err(|err| match err {
            ParseError::InvalidCountryCode if region.is_none() && !text.starts_with('+') => {
                "Please include the country code, like +1 415 555 0132."
            }
            ParseError::InvalidCountryCode => "That country code does not exist.",
            ParseError::TooShortAfterIdd | ParseError::TooShortNsn | ParseError::NoNumber => {
                "That phone number is too short."
            }
            ParseError::TooLong => "That phone number is too long.",
            ParseError::MalformedInteger(_) => "That is not a valid phone number.",
        })?;
        if !phonenumber::is_valid(&number) {
            return Err(length_problem(&number).unwrap_or("That is not a valid phone number."));
        }
        Ok(Phone(number.format().mode(Mode::E164).to_string()))
    }

    /// E.164, with the leading `+`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// "Too short" or "too long" when the number's length is outside every length its country
/// code uses; None when the length is possible and the number is invalid for another reason.
fn length_problem(number: &phonenumber::PhoneNumber) -> Option<&'static str> {
    let regions = phonenumber::metadata::DATABASE.by_code(&number.code().value())?;
    // The metadata keeps lengths per number type; the general descriptor's list is often empty.
    let lengths = regions.iter().flat_map(|m| {
        let d = m.descriptors();
        [Some(d.general()), d.fixed_line(), d.mobile(), d.toll_free(), d.voip()]
            .into_iter()
            .flatten()
            .flat_map(|desc| desc.possible_length().iter().copied())
    });
    let (min, max) = lengths.fold((u16::MAX, 0), |(lo, hi), l| (lo.min(l), hi.max(l)));
    let (min, max) = (usize::from(min), usize::from(max));
    let digits = number.national().to_string().len();
    if digits < min {
        Some("That phone number is too short.")
    } else if digits > max {
        Some("That phone number is too long.")
    } else {
        None
    }
}
