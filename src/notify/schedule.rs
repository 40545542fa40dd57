//! When a failed notification is tried again: soon at first (a mail server restarting), then
//! ever more rarely, for about three days in all; then it is given up and shown as failed.

/// Seconds to wait after the n-th failed attempt (1-based). The waits add up to 75.7 hours.
const WAITS: [i64; 14] =
    [5, 30, 120, 600, 1800, 3600, 7200, 14_400, 28_800, 43_200, 43_200, 43_200, 43_200, 43_200];

/// The wait after `attempts` failed attempts, or `None` when it is time to give up.
pub fn retry_after(attempts: i64) -> Option<i64> {
    usize::try_from(attempts).ok().and_then(|n| n.checked_sub(1)).and_then(|i| WAITS.get(i).copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_grow_and_stop_after_about_three_days() {
        assert!(retry_after(1).unwrap() <= 30, "the first retry is within 30 s");
        let waits: Vec<i64> = (1..).map_while(retry_after).collect();
        assert!(waits.windows(2).all(|w| w[0] <= w[1]), "never shorter than the one before");
        let total: i64 = waits.iter().sum();
        assert!((72 * 3600..=80 * 3600).contains(&total), "{total} s in all");
        assert_eq!(retry_after(waits.len() as i64 + 1), None);
        assert_eq!(retry_after(0), None);
    }
}
