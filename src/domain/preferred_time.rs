use time::macros::format_description;
use time::{Duration, OffsetDateTime, PrimitiveDateTime};

use super::TimeZone;
use crate::i18n::Msg;

/// When the visitor would like to be contacted: a minute, as an HTML `datetime-local` sends it
/// (`YYYY-MM-DDTHH:MM`), meant in the visitor's time zone, between now and a year from now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PreferredTime {
    /// As the visitor typed it, in their zone.
    local: PrimitiveDateTime,
    /// The same instant in UTC, as it is stored.
    utc: PrimitiveDateTime,
}

impl PreferredTime {
    /// A minute of grace: the form page may have been filled in across a minute boundary.
    const GRACE: Duration = Duration::minutes(1);

    pub fn parse(raw: &str, zone: &TimeZone, now: OffsetDateTime) -> Result<PreferredTime, Msg> {
        let text = raw.trim();
        if text.is_empty() {
            return Err(Msg("field-time-missing"));
        }
        // Browsers add seconds when a `step` below a minute is set; the minute is what counts.
        let minute = text.get(..16).filter(|_| matches!(text.len(), 16 | 19 | 23)).unwrap_or(text);
        let local =
            PrimitiveDateTime::parse(minute, format_description!("[year]-[month]-[day]T[hour]:[minute]"))
                .map_err(|_| Msg("field-time-format"))?;
        let utc = utc_of(local, zone)?;
        let now = PrimitiveDateTime::new(now.date(), now.time());
        if utc < now - Self::GRACE {
            return Err(Msg("field-time-past"));
        }
        if utc > now + Duration::days(365) {
            return Err(Msg("field-time-too-far"));
        }
        Ok(PreferredTime { local, utc })
    }

    /// `YYYY-MM-DDTHH:MM` as the visitor entered it.
    #[cfg(test)]
    pub fn to_form_value(self) -> String {
        minute_text(self.local)
    }

    /// `YYYY-MM-DDTHH:MM` in UTC, as it is stored.
    pub fn to_utc_value(self) -> String {
        minute_text(self.utc)
    }
}

fn minute_text(at: PrimitiveDateTime) -> String {
    let (date, time) = (at.date(), at.time());
    format!("{:04}-{:02}-{:02}T{:02}:{:02}", date.year(), u8::from(date.month()), date.day(), time.hour(), time.minute())
}

/// The UTC instant of a wall-clock minute in `zone`; a minute the zone skips or repeats at a
/// daylight-saving change has none, or two.
fn utc_of(local: PrimitiveDateTime, zone: &TimeZone) -> Result<PrimitiveDateTime, Msg> {
    let civil = jiff::civil::DateTime::new(
        local.year() as i16,
        u8::from(local.month()) as i8,
        local.day() as i8,
        local.hour() as i8,
        local.minute() as i8,
        0,
        0,
    )
    .map_err(|_| Msg("field-time-format"))?;
    let ambiguous = zone.tz().to_ambiguous_zoned(civil);
    match ambiguous.offset() {
        jiff::tz::AmbiguousOffset::Unambiguous { .. } => {}
        jiff::tz::AmbiguousOffset::Gap { .. } => {
            return Err(Msg("field-time-gap"))
        }
        jiff::tz::AmbiguousOffset::Fold { .. } => {
            return Err(Msg("field-time-fold"))
        }
    }
    let instant = ambiguous.compatible().map_err(|_| Msg("field-time-other"))?;
    let utc = OffsetDateTime::from_unix_timestamp(instant.timestamp().as_second())
        .map_err(|_| Msg("field-time-too-far"))?;
    Ok(PrimitiveDateTime::new(utc.date(), utc.time()))
}

/// How the admin reads a preferred time: the visitor's wall clock and zone, then UTC, e.g.
/// `Tue 2026-06-16 14:00 Europe/Berlin (12:00 UTC)`. `utc` is the stored `YYYY-MM-DDTHH:MM`;
/// `weekdays` names Monday to Sunday in the reader's language.
pub fn readable_in_zone(utc: &str, zone: &str, weekdays: &[String; 7]) -> String {
    let shown = || {
        let at = PrimitiveDateTime::parse(utc, format_description!("[year]-[month]-[day]T[hour]:[minute]")).ok()?;
        let seconds = at.assume_utc().unix_timestamp();
        let tz = TimeZone::parse(zone).ok()?;
        let zoned = jiff::Timestamp::from_second(seconds).ok()?.to_zoned(tz.tz().clone());
        let utc_clock = format!("{:02}:{:02}", at.hour(), at.minute());
        let day = &weekdays[usize::try_from(zoned.weekday().to_monday_zero_offset()).ok()?];
        let local = format!("{day} {}", zoned.strftime("%Y-%m-%d %H:%M"));
        Some(if tz.name() == "UTC" { format!("{local} UTC") } else { format!("{local} {} ({utc_clock} UTC)", tz.name()) })
    };
    shown().unwrap_or_else(|| format!("{} UTC", utc.replace('T', " ")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn at(raw: &str, zone: &str, now: OffsetDateTime) -> Result<String, &'static str> {
        PreferredTime::parse(raw, &TimeZone::parse(zone).unwrap(), now).map(PreferredTime::to_utc_value).map_err(Msg::id)
    }

    #[test]
    fn berlin_summer_and_winter() {
        let now = datetime!(2026-03-01 12:00 UTC);
        assert_eq!(at("2026-07-14T14:00", "Europe/Berlin", now), Ok("2026-07-14T12:00".into()), "CEST, +2");
        assert_eq!(at("2026-12-15T14:00", "Europe/Berlin", now), Ok("2026-12-15T13:00".into()), "CET, +1");
    }

    #[test]
    fn new_york_across_its_changes() {
        let now = datetime!(2026-01-10 12:00 UTC);
        assert_eq!(at("2026-03-07T09:30", "America/New_York", now), Ok("2026-03-07T14:30".into()), "EST");
        assert_eq!(at("2026-03-09T09:30", "America/New_York", now), Ok("2026-03-09T13:30".into()), "EDT");
        let gap = at("2026-03-08T02:30", "America/New_York", now).unwrap_err();
        assert_eq!(gap, "field-time-gap");
        let fold = at("2026-11-01T01:30", "America/New_York", now).unwrap_err();
        assert_eq!(fold, "field-time-fold");
    }

    #[test]
    fn the_window_is_checked_in_utc() {
        let now = datetime!(2026-06-01 12:00 UTC);
        // 13:30 in Berlin is 11:30 UTC: already past.
        assert_eq!(at("2026-06-01T13:30", "Europe/Berlin", now), Err("field-time-past"));
        assert_eq!(at("2026-06-01T14:30", "Europe/Berlin", now), Ok("2026-06-01T12:30".into()));
        assert_eq!(at("2026-06-01T12:30", "UTC", now), Ok("2026-06-01T12:30".into()));
    }

    #[test]
    fn the_admin_reads_both_clocks() {
        let days = ["Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"].map(String::from);
        assert_eq!(readable_in_zone("2026-06-16T12:00", "Europe/Berlin", &days), "Di 2026-06-16 14:00 Europe/Berlin (12:00 UTC)");
        assert_eq!(readable_in_zone("2026-06-21T23:30", "Europe/Berlin", &days), "Mo 2026-06-22 01:30 Europe/Berlin (23:30 UTC)");
        assert_eq!(readable_in_zone("2026-06-16T12:00", "UTC", &days), "Di 2026-06-16 12:00 UTC");
        assert_eq!(readable_in_zone("2026-06-16T12:00", "Nowhere/Else", &days), "2026-06-16 12:00 UTC");
    }
}
