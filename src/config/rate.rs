//! Rate limits as people write them: `5/minute`, `5 per 15 minutes`, `100/day`.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    /// How many requests the period allows (at least 1).
    pub count: u32,
    pub period: Duration,
}

impl FromStr for Rate {
    type Err = &'static str;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        const EXPECTED: &str = "is not a rate like 5/minute or 5 per 15 minutes";
        let s = s.trim().to_ascii_lowercase();
        let (count, rest) = s.split_once('/').or_else(|| s.split_once(" per ")).ok_or(EXPECTED)?;
        let count: u32 = count.trim().parse().map_err(|_| EXPECTED)?;
        if count == 0 {
            return Err("must allow at least one request");
        }
        let rest = rest.trim();
        let split = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
        let (multiple, unit) = rest.split_at(split);
        let multiple: u64 = if multiple.is_empty() { 1 } else { multiple.parse().map_err(|_| EXPECTED)? };
        let unit_secs = match unit.trim().trim_end_matches('s') {
            "second" | "sec" => 1,
            "minute" | "min" => 60,
            "hour" => 3600,
            "day" => 86_400,
            _ => return Err(EXPECTED),
        };
        if multiple == 0 {
            return Err(EXPECTED);
        }
        Ok(Rate { count, period: Duration::from_secs(multiple * unit_secs) })
    }
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} per {} s", self.count, self.period.as_secs())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_usual_forms() {
        let r: Rate = "5/minute".parse().unwrap();
        assert_eq!((r.count, r.period.as_secs()), (5, 60));
        let r: Rate = "5 per 15 minutes".parse().unwrap();
        assert_eq!((r.count, r.period.as_secs()), (5, 900));
        let r: Rate = "100/day".parse().unwrap();
        assert_eq!((r.count, r.period.as_secs()), (100, 86_400));
        let r: Rate = "2 / second".parse().unwrap();
        assert_eq!((r.count, r.period.as_secs()), (2, 1));
    }

    #[test]
    fn refuses_nonsense() {
        for bad in ["", "5", "five/minute", "0/minute", "5/fortnight", "5/0 minutes", "-1/hour"] {
            assert!(bad.parse::<Rate>().is_err(), "{bad:?} was accepted");
        }
    }
}
