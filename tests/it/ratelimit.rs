//! Rate limits per client address, in this process: the 6th submission in a minute gets 429
//! with Retry-After; a forged X-Real-IP buys nothing unless the proxy header is configured.

use crate::helpers::*;
use rocket::http::{Header, Status};
use rocket::local::asynchronous::LocalResponse;

/// The contract's default limits (the common test instance loosens them).
const DEFAULTS: &[(&str, &str)] = &[
    ("ratelimit.submit", "5/minute"),
    ("ratelimit.captcha", "10/minute"),
    ("ratelimit.verify", "20/minute"),
    ("ratelimit.default", "120/minute"),
];

fn with_limits(extra: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
    DEFAULTS.iter().copied().chain(extra.iter().copied()).collect()
}

/// POSTs a complete submission (tokens fetched first, which the default budget allows).
async fn post<'c>(app: &'c TestApp, headers: &[(&'static str, &'static str)]) -> LocalResponse<'c> {
    let tokens = form_tokens(&app.client, "/").await;
    let mut fields = valid_fields();
    fields.push(("csrf_token", tokens.csrf));
    fields.push(("captcha_token", tokens.captcha));
    fields.push(("captcha_answer", CAPTCHA_ANSWER.into()));
    let mut req = app.client.post("/").header(rocket::http::ContentType::Form).body(encode(&fields));
    for (k, v) in headers {
        req = req.header(Header::new(*k, *v));
    }
    req.dispatch().await
}

#[rocket::async_test]
async fn the_sixth_submission_in_a_minute_is_429_with_retry_after() {
    let app = app_with(&with_limits(&[])).await;
    for i in 0..5 {
        assert_eq!(post(&app, &[]).await.status(), Status::SeeOther, "submission {}", i + 1);
    }
    let sixth = post(&app, &[]).await;
    assert_eq!(sixth.status(), Status::TooManyRequests);
    let retry: u64 = sixth.headers().get_one("Retry-After").unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry), "Retry-After {retry}");
    assert!(sixth.into_string().await.unwrap().contains("Too many requests"));

    let json = post(&app, &[("Accept", "application/json")]).await;
    assert_eq!(json.status(), Status::TooManyRequests);
    assert!(json.headers().get_one("Retry-After").is_some());
    let body: serde_json::Value = serde_json::from_str(&json.into_string().await.unwrap()).unwrap();
    assert_eq!(body["ok"], false);
}

#[rocket::async_test]
async fn a_forged_x_real_ip_does_not_buy_a_new_budget() {
    let app = app_with(&with_limits(&[])).await;
    for i in 0..5 {
        let forged: &'static str = ["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5"][i];
        assert_eq!(post(&app, &[("X-Real-IP", forged)]).await.status(), Status::SeeOther);
    }
    for forged in ["10.9.9.9", "203.0.113.7"] {
        let res = post(&app, &[("X-Real-IP", forged), ("X-Forwarded-For", forged)]).await;
        assert_eq!(res.status(), Status::TooManyRequests);
    }
}

#[rocket::async_test]
async fn behind_a_configured_proxy_each_client_has_its_own_budget() {
    let app = app_with(&with_limits(&[("proxy_ip_header", "X-Real-IP")])).await;
    for _ in 0..5 {
        assert_eq!(post(&app, &[("X-Real-IP", "198.51.100.1")]).await.status(), Status::SeeOther);
    }
    assert_eq!(post(&app, &[("X-Real-IP", "198.51.100.1")]).await.status(), Status::TooManyRequests);
    assert_eq!(
        post(&app, &[("X-Real-IP", "198.51.100.2")]).await.status(),
        Status::SeeOther,
        "another client"
    );
    // IPv6 clients are counted per /64: another address in the same network shares the budget.
    for i in 0..5 {
        let ip: &'static str = ["2001:db8::1", "2001:db8::2", "2001:db8::3", "2001:db8::4", "2001:db8::5"][i];
        assert_eq!(post(&app, &[("X-Real-IP", ip)]).await.status(), Status::SeeOther);
    }
    assert_eq!(post(&app, &[("X-Real-IP", "2001:db8::ffff")]).await.status(), Status::TooManyRequests);
}

#[rocket::async_test]
async fn the_captcha_refresh_is_limited_separately() {
    let app = app_with(&with_limits(&[])).await;
    for _ in 0..10 {
        assert_eq!(app.client.get("/captcha").dispatch().await.status(), Status::Ok);
    }
    let res = app.client.get("/captcha").header(Header::new("Accept", "application/json")).dispatch().await;
    assert_eq!(res.status(), Status::TooManyRequests);
    assert!(res.headers().get_one("Retry-After").is_some());
    assert_eq!(
        app.client.get("/").dispatch().await.status(),
        Status::Ok,
        "other routes have their own budget"
    );
}

#[rocket::async_test]
async fn every_other_route_shares_the_default_budget() {
    let app = app_with(&with_limits(&[("ratelimit.default", "3/minute")])).await;
    assert_eq!(app.client.get("/").dispatch().await.status(), Status::Ok);
    assert_eq!(app.client.get("/thanks").dispatch().await.status(), Status::Ok);
    assert_eq!(app.client.get("/").dispatch().await.status(), Status::Ok);
    assert_eq!(app.client.get("/thanks").dispatch().await.status(), Status::TooManyRequests);
    for path in ["/healthz", "/static/style.css", "/no-such-page?email=ada@example.com"] {
        assert_eq!(app.client.get(path).dispatch().await.status(), Status::TooManyRequests, "{path}");
    }
}

#[rocket::async_test]
async fn ratelimit_enabled_false_turns_every_limit_off() {
    let app = app_with(&with_limits(&[("ratelimit.enabled", "false")])).await;
    for _ in 0..8 {
        assert_eq!(post(&app, &[]).await.status(), Status::SeeOther);
    }
}

/// Every route the instance mounts, with a concrete path for each of its parameters.
fn concrete_path(route: &rocket::Route) -> String {
    let path = route.uri.path().to_string();
    path.split('/')
        .map(|segment| match segment {
            "<id>" | "<notification>" => "1",
            "<name>" => "someone",
            "<token>" => "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "<file..>" => "style.css",
            "<_..>" => "nowhere",
            other => other,
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[rocket::async_test]
async fn every_mounted_route_answers_429_past_its_budget() {
    const BUDGET: usize = 3;
    let budgets =
        ["submit", "captcha", "verify", "default", "login"].map(|k| (format!("ratelimit.{k}"), "3/minute"));
    let mut extra: Vec<(&str, &str)> = budgets.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    extra.push(("proxy_ip_header", "X-Real-IP"));
    let app = app_with(&extra).await;
    let routes: Vec<(rocket::http::Method, String)> =
        app.client.rocket().routes().map(|r| (r.method, concrete_path(r))).collect();
    assert!(routes.len() >= 20, "{} routes", routes.len());
    for (i, (method, path)) in routes.iter().enumerate() {
        // Each route from an address of its own, so no route spends another's budget.
        let ip = format!("198.18.{}.{}", i / 250, i % 250 + 1);
        for n in 1..=BUDGET + 1 {
            let res = app
                .client
                .req(*method, path.clone())
                .header(Header::new("X-Real-IP", ip.clone()))
                .header(rocket::http::ContentType::Form)
                .dispatch()
                .await;
            if n <= BUDGET {
                assert_ne!(res.status(), Status::TooManyRequests, "{method} {path}: request {n} of {BUDGET}");
            } else {
                assert_eq!(res.status(), Status::TooManyRequests, "{method} {path} past its budget");
                assert!(res.headers().get_one("Retry-After").is_some(), "{method} {path}");
            }
        }
    }
}
