use std::sync::atomic::Ordering;

use rocket::http::{ContentType, Status};
use rocket::request::{FromRequest, Outcome, Request};
use rocket::serde::json::Json;
use rocket::{get, routes, Route};
use serde_json::{json, Value};

use crate::guards::limited::budget;
use crate::guards::session::AdminSession;
use crate::guards::App;
use crate::ratelimit::LimitKind;

pub fn routes() -> Vec<Route> {
    budget(LimitKind::Default, routes![healthz, metrics])
}

/// Whether the request carries `Authorization: Bearer <METRICS_TOKEN>` (none when it is unset).
fn carries_the_token(req: &Request<'_>, app: &App) -> bool {
    let bearer = req.headers().get_one("Authorization").and_then(|v| v.strip_prefix("Bearer "));
    match (&app.config.metrics_token, bearer) {
        (Some(token), Some(given)) => token.accepts(given.trim()),
        _ => false,
    }
}

/// Whoever may read the instance's details: a request carrying `Authorization: Bearer
/// <METRICS_TOKEN>`, or a signed-in admin.
struct Operator;

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Operator {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, ()> {
        let app = rocket::outcome::try_outcome!(req.guard::<App>().await);
        if carries_the_token(req, &app) || req.guard::<AdminSession>().await.is_success() {
            Outcome::Success(Operator)
        } else {
            Outcome::Forward(Status::Unauthorized)
        }
    }
}

/// A scraper with the metrics token. Anyone else, and everyone while `METRICS_TOKEN` is unset,
/// finds nothing here (404), as if there were no such page.
struct Scraper;

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Scraper {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, ()> {
        let app = rocket::outcome::try_outcome!(req.guard::<App>().await);
        if carries_the_token(req, &app) {
            Outcome::Success(Scraper)
        } else {
            Outcome::Error((Status::NotFound, ()))
        }
    }
}

/// Prometheus' text format: the instance's counters, the request durations, and the outbox as
/// it is now.
#[get("/metrics")]
async fn metrics(app: App, _scraper: Scraper) -> (ContentType, String) {
    let notifications = match app.store.notification_counts().await {
        Ok(counts) => Some(counts),
        Err(e) => {
            log::warn!("metrics: the outbox cannot be counted ({e})");
            None
        }
    };
    let text_format =
        ContentType::new("text", "plain").with_params([("version", "0.0.4"), ("charset", "utf-8")]);
    (text_format, app.metrics.text(notifications))
}

/// For load balancers and monitors: 200 when the database answers, 503 when it does not. The
/// public learns only that; an operator also sees the test mode, the honeypot's catch, the
/// notifications waiting and given up, and the version.
#[get("/healthz")]
async fn healthz(app: App, operator: Option<Operator>) -> (Status, Json<Value>) {
    let database = app.store.ping().await;
    if let Err(e) = &database {
        log::error!("health check: {e}");
    }
    let (status, word) = match database {
        Ok(()) => (Status::Ok, "ok"),
        Err(_) => (Status::ServiceUnavailable, "error"),
    };
    if operator.is_none() {
        return (status, Json(json!({ "status": word })));
    }
    let notifications = match app.store.notification_counts().await {
        Ok((pending, failed)) => json!({ "pending": pending, "failed": failed }),
        Err(_) => Value::Null,
    };
    (
        status,
        Json(json!({
            "status": word,
            "database": if status == Status::Ok { "ok" } else { "unavailable" },
            "captcha": if app.config.captcha_test_answer.is_some() { "test" } else { "live" },
            "honeypot_hits": app.honeypot_hits.load(Ordering::Relaxed),
            "notifications": notifications,
            "version": env!("CARGO_PKG_VERSION"),
        })),
    )
}
