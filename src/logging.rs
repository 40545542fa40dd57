//! Log lines that a failure could repeat thousands of times a second are written at most once
//! every ten seconds per source.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::sync::lock;

static LAST: Mutex<Option<HashMap<&'static str, Instant>>> = Mutex::new(None);

/// Logs `source: error` as a warning unless the same source logged within ten seconds.
pub fn warn_throttled(source: &'static str, error: &dyn std::fmt::Display) {
    let mut last = lock(&LAST);
    let map = last.get_or_insert_with(HashMap::new);
    let now = Instant::now();
    if map.get(source).is_some_and(|t| now.duration_since(*t) < Duration::from_secs(10)) {
        return;
    }
    map.insert(source, now);
    log::warn!("{source}: {error}");
}
