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
pub struct Logger(LogFormat);

/// How each line is written (`LOG_FORMAT`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// `INFO  message`, for a person reading the journal.
    Text,
    /// One JSON object a line (`time`, `level`, `target`, `message`), for a log collector.
    Json,
}

impl LogFormat {
    pub fn parse(raw: &str) -> Result<LogFormat, &'static str> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "text" => Ok(LogFormat::Text),
            "json" => Ok(LogFormat::Json),
            _ => Err("must be text or json"),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            LogFormat::Text => "text",
            LogFormat::Json => "json",
        }
    }
}

impl Logger {
    pub fn install(format: LogFormat) -> Result<(), log::SetLoggerError> {
        log::set_boxed_logger(Box::new(Logger(format)))?;
        log::set_max_level(log::LevelFilter::Info);
        Ok(())
    }

    /// A record's line, without its newline.
    fn line(&self, record: &log::Record<'_>) -> String {
        let message = record.args().to_string();
        let message = if ours(record.target()) { message } else { without_queries(&message) };
        match self.0 {
            LogFormat::Text => format!("{:<5} {}", record.level(), message.trim()),
            LogFormat::Json => {
                let time = time::OffsetDateTime::now_utc()
                    .format(&time::format_description::well_known::Rfc3339)
                    .unwrap_or_default();
                serde_json::json!({
                    "time": time,
                    "level": record.level().as_str(),
                    "target": record.target(),
                    "message": message.trim(),
                })
                .to_string()
            }
        }
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
        eprintln!("{}", self.line(record));
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

    #[test]
    fn json_lines_are_one_object_each_and_cut_queries_too() {
        let logger = Logger(LogFormat::Json);
        let args = format_args!("Matched: GET /contact/?email=ada@example.com\nsecond line");
        let record =
            log::Record::builder().args(args).level(log::Level::Warn).target("rocket::server").build();
        let line = logger.line(&record);
        assert!(!line.contains('\n'), "{line}");
        let object: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(object["level"], "WARN");
        assert_eq!(object["target"], "rocket::server");
        assert_eq!(object["message"], "Matched: GET /contact/?…\nsecond line");
        assert!(object["time"].as_str().unwrap().ends_with('Z'));
        assert!(LogFormat::parse("JSON").is_ok() && LogFormat::parse("xml").is_err());
    }
}
