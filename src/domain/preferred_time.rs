use time::macros::format_description;
use time::{Duration, OffsetDateTime, PrimitiveDateTime};

/// When the visitor would like to be contacted: a minute, as an HTML `datetime-local` sends it
/// (`YYYY-MM-DDTHH:MM`), between now and a year from now. Times are in UTC, as the form says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PreferredTime(PrimitiveDateTime);

impl PreferredTime {
    /// A minute of grace: the form page may have been filled in across a minute boundary.
    const GRACE: Duration = Duration::minutes(1);

    pub fn parse(raw: &str, now: OffsetDateTime) -> Result<PreferredTime, &'static str> {
        let text = raw.trim();
        if text.is_empty() {
            return Err("Please choose a date and time.");
        }
        // Browsers add seconds when a `step` below a minute is set; the minute is what counts.
        let minute = text.get(..16).filter(|_| matches!(text.len(), 16 | 19 | 23)).unwrap_or(text);
        let when =
            PrimitiveDateTime::parse(minute, format_description!("[year]-[month]-[day]T[hour]:[minute]"))
                .map_err(|_| "Please choose a date and time (YYYY-MM-DDTHH:MM).")?;
        let now = PrimitiveDateTime::new(now.date(), now.time());
        if when < now - Self::GRACE {
            return Err("Please choose a time in the future.");
        }
        if when > now + Duration::days(365) {
            return Err("Please choose a time within the next year.");
        }
        Ok(PreferredTime(when))
    }

    /// `YYYY-MM-DDTHH:MM`, the form it was entered in and is stored in.
    pub fn to_form_value(self) -> String {
        let (date, time) = (self.0.date(), self.0.time());
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}",
            date.year(),
            u8::from(date.month()),
            date.day(),
            time.hour(),
            time.minute()
        )
    }
}
