//! `/metrics`: Prometheus' text for a scraper with `METRICS_TOKEN`, nothing for anyone else;
//! counts of what happened, never whose.

use rocket::http::{ContentType, Header, Status};
use rocket::local::asynchronous::Client;

use crate::helpers::*;

async fn scrape(client: &Client, bearer: Option<&str>) -> (Status, Option<String>, String) {
    let mut req = client.get("/metrics");
    if let Some(token) = bearer {
        req = req.header(Header::new("Authorization", format!("Bearer {token}")));
    }
    let res = req.dispatch().await;
    let kind = res.content_type().map(|c| c.to_string());
    (res.status(), kind, res.into_string().await.unwrap_or_default())
}

/// The value of the sample `name` (with its labels, as written), if there is one.
fn sample(text: &str, name: &str) -> Option<f64> {
    text.lines().find_map(|l| l.strip_prefix(name).and_then(|rest| rest.strip_prefix(' '))?.parse().ok())
}

#[rocket::async_test]
async fn without_the_token_there_is_nothing_to_see() {
    let unset = app().await;
    assert_eq!(scrape(&unset.client, Some(METRICS_TOKEN)).await.0, Status::NotFound, "METRICS_TOKEN unset");
    let set = app_with(&[("metrics_token", METRICS_TOKEN)]).await;
    assert_eq!(scrape(&set.client, None).await.0, Status::NotFound);
    assert_eq!(scrape(&set.client, Some("not-the-token-at-all-0123456789")).await.0, Status::NotFound);
    sign_in(&set.client).await;
    assert_eq!(scrape(&set.client, None).await.0, Status::NotFound, "an admin session is not a scraper");
}

#[rocket::async_test]
async fn the_counts_follow_what_happens_and_name_no_one() {
    let app = app_with(&[("metrics_token", METRICS_TOKEN), ("ratelimit.verify", "2/minute")]).await;
    let c = &app.client;
    let fields = with(valid_fields(), "email", "metrics-probe@example.com");
    assert_eq!(submit(c, &fields, true).await.status(), Status::SeeOther);
    assert_eq!(
        submit(c, &with(fields.clone(), "captcha_answer", "wrong"), true).await.status(),
        Status::UnprocessableEntity
    );
    for _ in 0..3 {
        let token = form_tokens(c, "/").await.captcha;
        c.post("/captcha/verify")
            .header(ContentType::JSON)
            .body(serde_json::json!({ "token": token, "answer": "nope" }).to_string())
            .dispatch()
            .await;
    }
    c.get("/admin/submissions/1").dispatch().await;

    let (status, kind, text) = scrape(c, Some(METRICS_TOKEN)).await;
    assert_eq!(status, Status::Ok);
    assert!(kind.is_some_and(|k| k.starts_with("text/plain")), "Prometheus' text format");
    assert_eq!(sample(&text, "contact_submissions_total"), Some(1.0), "{text}");
    assert_eq!(sample(&text, "contact_captcha_failures_total{at=\"submit\"}"), Some(1.0), "{text}");
    assert_eq!(
        sample(&text, "contact_captcha_failures_total{at=\"verify\"}"),
        Some(2.0),
        "two checked, one refused first"
    );
    assert_eq!(sample(&text, "contact_rate_limited_total{limit=\"verify\"}"), Some(1.0), "{text}");
    assert_eq!(sample(&text, "contact_notifications_pending"), Some(0.0));
    let count = |route: &str, status: u16| {
        let name =
            format!("contact_http_request_duration_seconds_count{{route=\"{route}\",status=\"{status}\"}}");
        sample(&text, &name)
    };
    assert!(count("/", 200).is_some_and(|n| n >= 4.0), "{text}");
    assert_eq!(count("/", 303), Some(1.0));
    assert_eq!(count("/", 422), Some(1.0));
    assert_eq!(count("/captcha/verify", 429), Some(1.0));
    assert_eq!(count("/admin/submissions/<id>", 303), Some(1.0), "the route's pattern, not the path: {text}");
    assert!(!text.contains("metrics-probe") && !text.contains("/admin/submissions/1\""), "{text}");
}

#[rocket::async_test]
async fn two_instances_in_one_process_count_apart() {
    let first = app_with(&[("metrics_token", METRICS_TOKEN)]).await;
    let second = app_with(&[("metrics_token", METRICS_TOKEN)]).await;
    assert_eq!(submit(&first.client, &valid_fields(), true).await.status(), Status::SeeOther);
    let text = scrape(&second.client, Some(METRICS_TOKEN)).await.2;
    assert_eq!(sample(&text, "contact_submissions_total"), Some(0.0), "{text}");
}
