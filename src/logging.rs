//! What reaches the log, and how often: the appliance's logger, and a throttle for the lines a
//! failure could repeat thousands of times a second.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::sync::lock;

/// Writes each source's warning at most once every ten seconds. One per instance, shared by
/// its parts (the limiter, the phone checker, the error pages).
#[derive(Default)]
pub struct LogThrottle(Mutex<HashMap<&'static str, Instant>>);

impl LogThrottle {
    /// Logs `source: error` as a warning unless the same source logged within ten seconds.
    pub fn warn(&self, source: &'static str, error: &dyn std::fmt::Display) {
        let mut last = lock(&self.0);
        let now = Instant::now();
        if last.get(source).is_some_and(|t| now.duration_since(*t) < Duration::from_secs(10)) {
            return;
        }
        last.insert(source, now);
        log::warn!("{source}: {error}");
    }
}

/// The appliance's logger: our own lines from `info` up, and of every other crate's (Rocket,
/// hyper, sqlx) only warnings and errors, with every query string cut. Rocket writes request
/// URIs into some of its lines ("Dispatching salvaged request to catcher: FOO /?email=…"),
/// and a query may carry an address; no header or form value is ever written by either.
/// Installed before Rocket starts, so Rocket's own logger stands aside.
pub struct Logger;

impl Logger {
    pub fn install() -> Result<(), log::SetLoggerError> {
        log::set_logger(&Logger)?;
        log::set_max_level(log::LevelFilter::Info);
        Ok(())
    }
}

fn ours(target: &str) -> bool {
    target == "contact_client" || target.starts_with("contact_client::")
}

/// `text` with everything from a `?` to the end of its word replaced by `?…`.
pub fn without_queries(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_query = false;
    for c in text.chars() {
        if c.is_whitespace() {
            in_query = false;
        } else if c == '?' && !in_query {
            in_query = true;
            out.push_str("?…");
            continue;
        }
        if !in_query {
            out.push(c);
        }
    }
    out
}

impl log::Log for Logger {
    fn enabled(&self, meta: &log::Metadata<'_>) -> bool {
        meta.level() <= log::Level::Info && (ours(meta.target()) || meta.level() <= log::Level::Warn)
    }

    fn log(&self, record: &log::Record<'_>) {
        if !self.enabled(record.metadata()) {
            return;
        }
        let message = record.args().to_string();
        let message = if ours(record.target()) { message } else { without_queries(&message) };
        eprintln!("{:<5} {}", record.level(), message.trim());
    }

    fn flush(&self) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_strings_are_cut_wherever_they_stand() {
        assert_eq!(
            without_queries("Dispatching salvaged request to catcher: FOO /x?email=a@b.c&n=1 text/html."),
            "Dispatching salvaged request to catcher: FOO /x?… text/html."
        );
        assert_eq!(without_queries("why? because"), "why?… because");
        assert_eq!(without_queries("no query here"), "no query here");
    }
}
