//! Where a visitor's preferred time is meant: an IANA time zone name, checked against the tz
//! database built into the binary (so a static binary in an empty container knows every zone).

use crate::i18n::Msg;

/// A zone the tz database knows, by its IANA name.
#[derive(Debug, Clone)]
pub struct TimeZone {
    name: String,
    tz: jiff::tz::TimeZone,
}

impl PartialEq for TimeZone {
    fn eq(&self, other: &TimeZone) -> bool {
        self.name == other.name
    }
}

impl Eq for TimeZone {}

impl TimeZone {
    pub fn parse(raw: &str) -> Result<TimeZone, Msg> {
        const UNKNOWN: Msg = Msg("field-zone-unknown");
        let name = raw.trim();
        if name.is_empty() || name.len() > 64 {
            return Err(UNKNOWN);
        }
        let tz = jiff::tz::db().get(name).map_err(|_| UNKNOWN)?;
        let name = tz.iana_name().unwrap_or(name).to_string();
        Ok(TimeZone { name, tz })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub(super) fn tz(&self) -> &jiff::tz::TimeZone {
        &self.tz
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zones_are_known_by_their_iana_names() {
        assert_eq!(TimeZone::parse(" Europe/Berlin ").unwrap().name(), "Europe/Berlin");
        assert_eq!(TimeZone::parse("UTC").unwrap().name(), "UTC");
        for unknown in ["", "Mars/Olympus_Mons", "Europe/Berlin/extra", "../../etc/passwd", &"A".repeat(65)] {
            assert!(TimeZone::parse(unknown).is_err(), "{unknown}");
        }
    }
}
