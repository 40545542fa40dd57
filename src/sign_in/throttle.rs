//! How often one account may be tried, whatever addresses the tries come from (ASVS 2.2.1):
//! a few tries freely, then a growing pause before each next one, and never more than
//! [`MAX_FAILURES_PER_HOUR`] failures in an hour. Every try is counted before the code is
//! checked (so parallel tries can't slip past the count); a successful sign-in clears it.
//!
//! The per-address limit (`ratelimit.login`) stops one client; this stops a botnet. Its cost is
//! that under such an attack the admin waits too: `contact-client admin unlock` clears it.

use crate::store::Throttle;

pub const MAX_FAILURES_PER_HOUR: i64 = 100;
const WINDOW_SECS: i64 = 3600;
/// Failures before the first pause.
const FREE_FAILURES: i64 = 5;
/// The longest pause between two tries.
const MAX_PAUSE_SECS: i64 = 30;

/// The account the single-secret sign-in (`TOTP_SECRET`) belongs to.
pub const SHARED_ACCOUNT: &str = "admin";

/// The pause that follows the `failures`-th failure: none for the first few, then 1, 2, 4…
/// seconds up to [`MAX_PAUSE_SECS`].
fn pause_after(failures: i64) -> i64 {
    match failures - FREE_FAILURES {
        n if n < 0 => 0,
        n if n >= 5 => MAX_PAUSE_SECS,
        n => (1 << n).min(MAX_PAUSE_SECS),
    }
}

/// Counts one try at `now` (unix seconds), or refuses it with the seconds to wait.
pub fn count_try(previous: Option<Throttle>, now: i64) -> Result<Throttle, u64> {
    let current = previous.filter(|t| now < t.window_start + WINDOW_SECS);
    let Some(t) = current else {
        return Ok(Throttle { failures: 1, window_start: now, next_at: now + pause_after(1) });
    };
    if t.failures >= MAX_FAILURES_PER_HOUR {
        return Err((t.window_start + WINDOW_SECS - now).max(1) as u64);
    }
    if now < t.next_at {
        return Err((t.next_at - now) as u64);
    }
    let failures = t.failures + 1;
    Ok(Throttle { failures, window_start: t.window_start, next_at: now + pause_after(failures) })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Tries as fast as the throttle lets them through, for `secs` seconds; how many counted.
    fn tries_within(secs: i64) -> i64 {
        let (mut state, mut counted, mut now) = (None, 0, 0);
        while now < secs {
            match count_try(state, now) {
                Ok(next) => {
                    state = Some(next);
                    counted += 1;
                }
                Err(wait) => now += wait as i64,
            }
        }
        counted
    }

    #[test]
    fn a_few_tries_are_free_then_pauses_grow() {
        let mut state = None;
        for _ in 0..FREE_FAILURES - 1 {
            state = Some(count_try(state, 0).unwrap());
        }
        state = Some(count_try(state, 0).unwrap());
        assert_eq!(count_try(state, 0), Err(1), "after the fifth failure, one second");
        let state = Some(count_try(state, 1).unwrap());
        assert_eq!(count_try(state, 1), Err(2));
        assert_eq!(pause_after(100), MAX_PAUSE_SECS);
    }

    #[test]
    fn never_more_than_a_hundred_failures_an_hour() {
        assert_eq!(tries_within(WINDOW_SECS), MAX_FAILURES_PER_HOUR);
        assert!(tries_within(2 * WINDOW_SECS) <= 2 * MAX_FAILURES_PER_HOUR);
    }

    #[test]
    fn a_new_hour_starts_afresh() {
        let full = Throttle { failures: MAX_FAILURES_PER_HOUR, window_start: 0, next_at: 10 };
        assert_eq!(count_try(Some(full), 100), Err((WINDOW_SECS - 100) as u64));
        let next = count_try(Some(full), WINDOW_SECS).unwrap();
        assert_eq!((next.failures, next.window_start), (1, WINDOW_SECS));
    }
}
