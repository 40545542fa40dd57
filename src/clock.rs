//! The time as the system sees it: the wall clock, which tests can move forward instead of
//! sleeping (challenge expiry, session timeouts).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// `at` to the second, as RFC 3339 in UTC (`2026-11-25T15:07:00Z`): how stored times read.
pub fn to_the_second(at: OffsetDateTime) -> String {
    at.replace_nanosecond(0).unwrap_or(at).format(&Rfc3339).unwrap_or_default()
}

#[derive(Clone, Default)]
pub struct Clock {
    ahead_ms: Arc<AtomicU64>,
}

impl Clock {
    /// The system clock.
    pub fn system() -> Clock {
        Clock::default()
    }

    /// Milliseconds since the Unix epoch.
    pub fn now_ms(&self) -> u64 {
        let real = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().as_millis() as u64;
        real + self.ahead_ms.load(Ordering::Relaxed)
    }

    /// Now, as a UTC date and time.
    pub fn now(&self) -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp_nanos(i128::from(self.now_ms()) * 1_000_000)
            .unwrap_or(OffsetDateTime::UNIX_EPOCH)
    }

    /// Now, to the second, as RFC 3339 in UTC (`2026-11-25T15:07:00Z`): how the audit log and
    /// notes record when.
    pub fn now_rfc3339(&self) -> String {
        to_the_second(self.now())
    }

    /// Moves this clock (and every copy of it) forward.
    pub fn advance(&self, by: Duration) {
        self.ahead_ms.fetch_add(by.as_millis() as u64, Ordering::Relaxed);
    }
}
