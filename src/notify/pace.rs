//! Whether the form is under a flood, read from how fast submissions are stored. A flood
//! brings two notifications a submission that the worker can't send as fast as they come:
//! sending them at full speed would take the flood's cost out of the visitors' requests (the
//! sends, the receivers on the same box, the outcomes written beside the submissions). Under a
//! flood the worker sends a batch a round instead, and the backlog follows when it ends;
//! nothing is lost, since every notification is already stored.

use std::time::{Duration, Instant};

/// Stored submissions a second from which the intake counts as a flood. A contact form's
/// visitors, at 5 submissions a minute each, come nowhere near it.
pub const FLOOD_PER_SECOND: u64 = 50;

/// How long a reading of the pace lasts.
const WINDOW: Duration = Duration::from_secs(1);

/// The intake's pace over the last window, from a running count of stored submissions.
pub struct Pace {
    since: Instant,
    count_then: u64,
    flood: bool,
}

impl Pace {
    pub fn new(count: u64, now: Instant) -> Pace {
        Pace { since: now, count_then: count, flood: false }
    }

    /// Whether the last full window saw a flood; `count` is the running count at `now`.
    pub fn flood(&mut self, count: u64, now: Instant) -> bool {
        let elapsed = now.saturating_duration_since(self.since);
        if elapsed >= WINDOW {
            let stored = count.saturating_sub(self.count_then);
            self.flood = u128::from(stored) * 1000 >= u128::from(FLOOD_PER_SECOND) * elapsed.as_millis();
            self.since = now;
            self.count_then = count;
        }
        self.flood
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flood_is_seen_after_a_window_and_ends_with_a_quiet_one() {
        let start = Instant::now();
        let mut pace = Pace::new(0, start);
        assert!(!pace.flood(500, start + Duration::from_millis(400)), "no reading before a window");
        assert!(pace.flood(500, start + WINDOW), "500 in a second is a flood");
        assert!(pace.flood(510, start + WINDOW + Duration::from_millis(500)), "held within a window");
        assert!(!pace.flood(520, start + WINDOW * 2), "20 in a second is not");
    }

    #[test]
    fn the_pace_is_per_second_over_a_longer_wait() {
        let start = Instant::now();
        let mut pace = Pace::new(1_000, start);
        let after_three = 1_000 + 3 * FLOOD_PER_SECOND - 1;
        assert!(!pace.flood(after_three, start + WINDOW * 3), "just under the pace over 3 s");
        assert!(pace.flood(after_three + 4 * FLOOD_PER_SECOND, start + WINDOW * 7), "the pace over 4 s");
        let mut pace = Pace::new(0, start);
        assert!(pace.flood(FLOOD_PER_SECOND, start + WINDOW), "the threshold itself is a flood");
    }
}
