//! The instance's Prometheus metrics (the `prometheus` crate): counters the request path bumps,
//! the request-duration histogram the fairing fills, and the text `/metrics` serves. One
//! registry per instance, so two instances in one process count apart.

use prometheus::{Encoder, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge, Opts, Registry};

pub struct Metrics {
    registry: Registry,
    submissions: IntCounter,
    rate_limited: IntCounterVec,
    captcha_failures: IntCounterVec,
    notifications_pending: IntGauge,
    notifications_failed: IntGauge,
    request_duration: HistogramVec,
}

/// Request durations in seconds: from a stencilled form (tens of microseconds) to a slow
/// NumVerify answer (seconds).
const DURATION_BUCKETS: [f64; 14] =
    [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0];

impl Metrics {
    pub fn new() -> Result<Metrics, prometheus::Error> {
        let registry = Registry::new();
        let submissions = IntCounter::new("contact_submissions_total", "Submissions stored.")?;
        let rate_limited = IntCounterVec::new(
            Opts::new("contact_rate_limited_total", "Requests refused with 429, by limit."),
            &["limit"],
        )?;
        let captcha_failures = IntCounterVec::new(
            Opts::new(
                "contact_captcha_failures_total",
                "Wrong, expired or reused CAPTCHA answers and proofs of work, by where they were checked.",
            ),
            &["at"],
        )?;
        let notifications_pending =
            IntGauge::new("contact_notifications_pending", "Notifications waiting in the outbox.")?;
        let notifications_failed =
            IntGauge::new("contact_notifications_failed", "Notifications given up after their retries.")?;
        let request_duration = HistogramVec::new(
            HistogramOpts::new("contact_http_request_duration_seconds", "Time to answer a request.")
                .buckets(DURATION_BUCKETS.to_vec()),
            &["route", "status"],
        )?;
        registry.register(Box::new(submissions.clone()))?;
        registry.register(Box::new(rate_limited.clone()))?;
        registry.register(Box::new(captcha_failures.clone()))?;
        registry.register(Box::new(notifications_pending.clone()))?;
        registry.register(Box::new(notifications_failed.clone()))?;
        registry.register(Box::new(request_duration.clone()))?;
        Ok(Metrics {
            registry,
            submissions,
            rate_limited,
            captcha_failures,
            notifications_pending,
            notifications_failed,
            request_duration,
        })
    }

    pub fn submission_stored(&self) {
        self.submissions.inc();
    }

    /// A 429 from `limit` (`submit`, `captcha`, …, `account` for a sign-in account's throttle).
    pub fn rate_limited(&self, limit: &str) {
        self.rate_limited.with_label_values(&[limit]).inc();
    }

    /// A CAPTCHA answer or proof of work refused `at` `verify` (the page's check) or `submit`.
    pub fn captcha_failed(&self, at: &str) {
        self.captcha_failures.with_label_values(&[at]).inc();
    }

    /// `route` is the route's pattern (`/admin/submissions/<id>`), never the path a client
    /// sent: the label's values stay few, and no address or token ends up in them.
    pub fn request_answered(&self, route: &str, status: u16, seconds: f64) {
        let mut code = [0u8; 3];
        let status = status_text(status, &mut code);
        self.request_duration.with_label_values(&[route, status]).observe(seconds);
    }

    /// The text exposition, with the outbox's counts as they are now.
    pub fn text(&self, notifications: Option<(i64, i64)>) -> String {
        if let Some((pending, failed)) = notifications {
            self.notifications_pending.set(pending);
            self.notifications_failed.set(failed);
        }
        let mut out = Vec::new();
        // Writing into a Vec cannot fail, and every family has a name and a type.
        let _ = prometheus::TextEncoder::new().encode(&self.registry.gather(), &mut out);
        String::from_utf8(out).unwrap_or_default()
    }
}

/// A status code's three digits, without allocating on every request.
fn status_text(status: u16, buf: &mut [u8; 3]) -> &str {
    let status = status.min(999);
    buf[0] = b'0' + (status / 100) as u8;
    buf[1] = b'0' + (status / 10 % 10) as u8;
    buf[2] = b'0' + (status % 10) as u8;
    std::str::from_utf8(buf).unwrap_or("000")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_has_every_family_with_its_labels() {
        let metrics = Metrics::new().unwrap();
        metrics.submission_stored();
        metrics.submission_stored();
        metrics.rate_limited("submit");
        metrics.captcha_failed("verify");
        metrics.request_answered("/", 200, 0.0004);
        metrics.request_answered("/admin/submissions/<id>", 404, 0.002);
        let text = metrics.text(Some((3, 1)));
        for line in [
            "contact_submissions_total 2",
            "contact_rate_limited_total{limit=\"submit\"} 1",
            "contact_captcha_failures_total{at=\"verify\"} 1",
            "contact_notifications_pending 3",
            "contact_notifications_failed 1",
            "contact_http_request_duration_seconds_bucket{route=\"/\",status=\"200\",le=\"0.0005\"} 1",
            "contact_http_request_duration_seconds_count{route=\"/admin/submissions/<id>\",status=\"404\"} 1",
            "# TYPE contact_http_request_duration_seconds histogram",
        ] {
            assert!(text.contains(line), "{line} in\n{text}");
        }
    }

    #[test]
    fn status_codes_are_three_digits() {
        let mut buf = [0u8; 3];
        assert_eq!(status_text(200, &mut buf), "200");
        assert_eq!(status_text(503, &mut buf), "503");
        assert_eq!(status_text(1000, &mut buf), "999");
    }
}
