use rocket::http::Status;
use rocket::serde::json::Json;
use rocket::{get, routes, Route};
use serde_json::{json, Value};
use std::sync::atomic::Ordering;

use crate::guards::limited::budget;
use crate::guards::App;
use crate::ratelimit::LimitKind;

pub fn routes() -> Vec<Route> {
    budget(LimitKind::Default, routes![healthz])
}

/// For load balancers and monitors: 200 when the database answers, 503 when it does not.
#[get("/healthz")]
async fn healthz(app: App) -> (Status, Json<Value>) {
    let captcha = if app.config.captcha_test_answer.is_some() { "test" } else { "live" };
    let honeypot = app.honeypot_hits.load(Ordering::Relaxed);
    match app.store.ping().await {
        Ok(()) => (
            Status::Ok,
            Json(json!({
                "status": "ok",
                "database": "ok",
                "captcha": captcha,
                "honeypot_hits": honeypot,
                "version": env!("CARGO_PKG_VERSION"),
            })),
        ),
        Err(e) => {
            log::error!("health check: {e}");
            (
                Status::ServiceUnavailable,
                Json(json!({ "status": "error", "database": "unavailable", "captcha": captcha })),
            )
        }
    }
}
