//! Phone validation: local rules first, then NumVerify (a local fake that answers like the real
//! API and records requests) with its cache, timeout and failure policy.

use std::time::Duration;

use crate::helpers::fake_numverify::{error, FakeNumverify, Reply, INVALID, VALID};
use crate::helpers::*;
use contact_client::Clock;
use rocket::http::Status;
use rocket::local::asynchronous::Client;
use sqlx::{self, Row};

const KEY: &str = "fake-access-key-1234567890";

async fn app_for(fake_url: &str, extra: &[(&str, &str)]) -> TestApp {
    let mut all = vec![("numverify.api_key", KEY), ("numverify.url", fake_url)];
    all.extend_from_slice(extra);
    app_with(&all).await
}

async fn rows(app: &TestApp) -> Vec<sqlx::sqlite::SqliteRow> {
    let url = format!("sqlite://{}", app.dir.path().join("contact.db").display());
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    sqlx::query("SELECT * FROM submissions ORDER BY id").fetch_all(&pool).await.unwrap()
}

async fn submit_phone(client: &Client, phone: &str) -> (Status, serde_json::Value) {
    let res = submit(client, &with(valid_fields(), "phone", phone), true).await;
    let status = res.status();
    (status, serde_json::from_str(&res.into_string().await.unwrap()).unwrap())
}

#[rocket::async_test]
async fn a_valid_number_is_stored_verified_with_its_details() {
    let fake = FakeNumverify::start(|_| Reply::Json(200, VALID.into()));
    let app = app_for(&fake.url(), &[]).await;
    let (status, _) = submit_phone(&app.client, "+1 415 858 6273").await;
    assert_eq!(status, Status::SeeOther);
    let requests = fake.requests();
    assert_eq!(requests.len(), 1);
    let r = &requests[0];
    assert_eq!(r.path, "/api/validate");
    assert_eq!(r.query.get("access_key").map(String::as_str), Some(KEY), "the configured key is sent");
    assert_eq!(r.query.get("number").map(String::as_str), Some("14158586273"));
    assert_eq!(r.query.get("format").map(String::as_str), Some("1"));
    let row = &rows(&app).await[0];
    assert_eq!(row.get::<String, _>("phone_verdict"), "verified");
    assert_eq!(row.get::<Option<String>, _>("phone_country").as_deref(), Some("US"));
    assert_eq!(row.get::<Option<String>, _>("phone_line_type").as_deref(), Some("mobile"));
    assert_eq!(row.get::<Option<String>, _>("phone_carrier").as_deref(), Some("AT&T Mobility LLC"));
}

#[rocket::async_test]
async fn valid_false_refuses_the_phone_field() {
    let fake = FakeNumverify::start(|_| Reply::Json(200, INVALID.into()));
    let app = app_for(&fake.url(), &[]).await;
    let (status, body) = submit_phone(&app.client, "+1 415 858 6273").await;
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(body["errors"]["phone"].as_str().unwrap().contains("does not exist"), "{body}");
    assert!(rows(&app).await.is_empty());
}

#[rocket::async_test]
async fn locally_invalid_numbers_never_reach_numverify() {
    let fake = FakeNumverify::start(|_| Reply::Json(200, VALID.into()));
    let app = app_for(&fake.url(), &[]).await;
    for bad in ["12", "+1 555 000 0000", "+999 1234", "not a number"] {
        let (status, body) = submit_phone(&app.client, bad).await;
        assert_eq!(status, Status::UnprocessableEntity, "{bad}");
        assert!(body["errors"]["phone"].is_string());
    }
    assert_eq!(fake.requests().len(), 0);
}

#[rocket::async_test]
async fn nothing_else_wrong_is_a_precondition_for_a_lookup() {
    let fake = FakeNumverify::start(|_| Reply::Json(200, VALID.into()));
    let app = app_for(&fake.url(), &[]).await;
    let res = submit(&app.client, &with(valid_fields(), "email", "bad"), true).await;
    assert_eq!(res.status(), Status::UnprocessableEntity);
    let res = submit(&app.client, &with(valid_fields(), "captcha_answer", "wrong"), true).await;
    assert_eq!(res.status(), Status::UnprocessableEntity);
    assert_eq!(fake.requests().len(), 0, "no look-up is spent on a submission refused anyway");
}

#[rocket::async_test]
async fn one_lookup_per_number_per_day() {
    let fake = FakeNumverify::start(|_| Reply::Json(200, VALID.into()));
    let dir = tempfile::tempdir().unwrap();
    let clock = Clock::system();
    let fig = figment(&dir, &[("numverify.api_key", KEY), ("numverify.url", &fake.url())]);
    let client =
        Client::tracked(rocket::custom(fig).attach(contact_client::fairing().with_clock(clock.clone())))
            .await
            .unwrap();
    assert_eq!(submit_phone(&client, "+1 415 858 6273").await.0, Status::SeeOther);
    assert_eq!(submit_phone(&client, "+14158586273").await.0, Status::SeeOther);
    assert_eq!(fake.requests().len(), 1, "the same number (as E.164) is looked up once");
    assert_eq!(submit_phone(&client, "+44 20 7946 0958").await.0, Status::SeeOther);
    assert_eq!(fake.requests().len(), 2, "another number is another look-up");
    clock.advance(Duration::from_secs(24 * 3600 + 1));
    assert_eq!(submit_phone(&client, "+1 415 858 6273").await.0, Status::SeeOther);
    assert_eq!(fake.requests().len(), 3, "a day later it is looked up again");
}

#[rocket::async_test]
async fn invalid_verdicts_are_cached_too_but_failures_are_not() {
    let fake = FakeNumverify::start(|r| {
        if r.query.get("number").map(String::as_str) == Some("14158586273") {
            Reply::Json(200, INVALID.into())
        } else {
            Reply::Json(200, error(104, "usage_limit_reached"))
        }
    });
    let app = app_for(&fake.url(), &[]).await;
    for _ in 0..2 {
        assert_eq!(submit_phone(&app.client, "+14158586273").await.0, Status::UnprocessableEntity);
        assert_eq!(submit_phone(&app.client, "+442079460958").await.0, Status::SeeOther);
    }
    assert_eq!(fake.requests().len(), 3, "one look-up for the invalid number, two for the failing one");
}

#[rocket::async_test]
async fn every_error_code_follows_the_policy() {
    for (code, kind) in [
        (101, "invalid_access_key"),
        (104, "usage_limit_reached"),
        (105, "https_access_restricted"),
        (106, "rate_limit_reached"),
        (210, "no_phone_number_provided"),
        (211, "non_numeric_phone_number_provided"),
    ] {
        for http_status in [200, 400] {
            let body = error(code, kind);
            let fake = FakeNumverify::start(move |_| Reply::Json(http_status, body.clone()));
            let accept = app_for(&fake.url(), &[]).await;
            assert_eq!(
                submit_phone(&accept.client, "+14158586273").await.0,
                Status::SeeOther,
                "{code}: accept"
            );
            assert_eq!(rows(&accept).await[0].get::<String, _>("phone_verdict"), "unverified", "{code}");

            let reject = app_for(&fake.url(), &[("numverify.on_error", "reject")]).await;
            let (status, body) = submit_phone(&reject.client, "+14158586273").await;
            assert_eq!(status, Status::UnprocessableEntity, "{code}: reject");
            assert!(body["errors"]["phone"].as_str().unwrap().contains("could not be checked"));
            assert!(rows(&reject).await.is_empty());
        }
    }
}

#[rocket::async_test]
async fn a_slow_numverify_times_out_after_3_seconds() {
    let fake = FakeNumverify::start(|_| Reply::Slow(Duration::from_secs(6)));
    let app = app_for(&fake.url(), &[]).await;
    let started = std::time::Instant::now();
    assert_eq!(submit_phone(&app.client, "+14158586273").await.0, Status::SeeOther);
    assert!(started.elapsed() < Duration::from_secs(6), "did not wait for the slow answer");
    assert_eq!(rows(&app).await[0].get::<String, _>("phone_verdict"), "unverified");
    let reject = app_for(&fake.url(), &[("numverify.on_error", "reject")]).await;
    assert_eq!(submit_phone(&reject.client, "+14158586273").await.0, Status::UnprocessableEntity);
}

#[rocket::async_test]
async fn connection_refused_follows_the_policy() {
    let closed = format!("http://127.0.0.1:{}/api/validate", crate::helpers::http::free_port());
    let accept = app_for(&closed, &[]).await;
    assert_eq!(submit_phone(&accept.client, "+14158586273").await.0, Status::SeeOther);
    assert_eq!(rows(&accept).await[0].get::<String, _>("phone_verdict"), "unverified");
    let reject = app_for(&closed, &[("numverify.on_error", "reject")]).await;
    assert_eq!(submit_phone(&reject.client, "+14158586273").await.0, Status::UnprocessableEntity);
}

#[rocket::async_test]
async fn the_apilayer_gateway_form_sends_the_key_in_a_header() {
    let fake = FakeNumverify::start(|r| match r.headers.get("apikey").map(String::as_str) {
        Some(KEY) => Reply::Json(200, VALID.into()),
        _ => Reply::Json(401, r#"{"message":"Invalid authentication credentials"}"#.into()),
    });
    let url = format!("http://127.0.0.1:{}/number_verification/validate", fake.port);
    let app = app_for(&url, &[]).await;
    assert_eq!(submit_phone(&app.client, "+14158586273").await.0, Status::SeeOther);
    let r = &fake.requests()[0];
    assert_eq!(r.query.get("number").map(String::as_str), Some("14158586273"));
    assert!(!r.query.contains_key("access_key"), "the key is not in the URL");
    assert_eq!(rows(&app).await[0].get::<String, _>("phone_verdict"), "verified");

    let wrong_key = app_with(&[("numverify.api_key", "not-the-key"), ("numverify.url", &url)]).await;
    assert_eq!(submit_phone(&wrong_key.client, "+14158586273").await.0, Status::SeeOther);
    assert_eq!(rows(&wrong_key).await[0].get::<String, _>("phone_verdict"), "unverified");
}

#[rocket::async_test]
async fn without_a_key_numbers_are_validated_locally_only() {
    let app = app().await;
    assert_eq!(submit_phone(&app.client, "+14158586273").await.0, Status::SeeOther);
    assert_eq!(rows(&app).await[0].get::<String, _>("phone_verdict"), "not_checked");
}

#[rocket::async_test]
async fn the_default_region_completes_national_numbers() {
    let fake = FakeNumverify::start(|_| Reply::Json(200, VALID.into()));
    let app = app_for(&fake.url(), &[("phone.default_region", "US")]).await;
    assert_eq!(submit_phone(&app.client, "(415) 858-6273").await.0, Status::SeeOther);
    assert_eq!(fake.requests()[0].query.get("number").map(String::as_str), Some("14158586273"));
}

#[rocket::async_test]
async fn local_failures_have_clear_messages() {
    let app = app().await;
    for (phone, says) in [
        ("4158586273", "country code"),
        ("+1 41", "too short"),
        ("+999 123 456 7890", "country code does not exist"),
        ("+1 555 000 0000", "not a valid phone number"),
        ("+1 415 858 6273 1234 5678 9999", "too long"),
    ] {
        let (status, body) = submit_phone(&app.client, phone).await;
        assert_eq!(status, Status::UnprocessableEntity);
        let message = body["errors"]["phone"].as_str().unwrap();
        assert!(message.contains(says), "{phone}: {message}");
    }
}

/// The access key appears in no log line, whatever goes wrong: a refused key (logged once,
/// loudly), a connection refused, a timeout.
#[test]
fn the_access_key_never_reaches_the_log() {
    use crate::helpers::http;
    use crate::helpers::server::Server;
    let fake = FakeNumverify::start(|r| match r.query.get("number").map(String::as_str) {
        Some("14158586273") => Reply::Json(200, error(101, "invalid_access_key")),
        _ => Reply::Slow(Duration::from_secs(5)),
    });
    let closed = format!("http://127.0.0.1:{}/api/validate", http::free_port());
    for url in [fake.url(), closed] {
        let dir = tempfile::tempdir().unwrap();
        let env = [
            ("APP_ENV", "development"),
            ("CAPTCHA_TEST_ANSWER", "pass"),
            ("NUMVERIFY_API_KEY", KEY),
            ("NUMVERIFY_URL", &url),
        ];
        let server = Server::start(dir.path(), &env);
        for phone in ["+14158586273", "+14158586273", "+442079460958"] {
            let form = http::get(&server.addr, "/").unwrap();
            let mut fields = vec![
                ("csrf_token", input_value(&form.text(), "csrf_token").unwrap()),
                ("captcha_token", input_value(&form.text(), "captcha_token").unwrap()),
                ("captcha_answer", "pass".to_string()),
            ];
            fields.extend(with(valid_fields(), "phone", phone));
            let headers =
                [("Content-Type", "application/x-www-form-urlencoded"), ("Cookie", &form.cookies())];
            let reply =
                http::request(&server.addr, "POST", "/", &headers, encode(&fields).as_bytes()).unwrap();
            assert_eq!(reply.status, 303, "accepted unverified");
        }
        let log = server.stop();
        assert!(log.contains("NumVerify"), "the failure is logged: {log}");
        assert!(!log.contains(KEY), "the key leaked into the log: {log}");
        if url == fake.url() {
            assert_eq!(
                log.matches("refused NUMVERIFY_API_KEY").count(),
                1,
                "a bad key is logged once: {log}"
            );
        }
    }
}

#[test]
fn numbers_of_many_countries_are_kept_in_e164() {
    use contact_client::domain::Phone;
    for (typed, region, e164) in [
        ("+44 20 7946 0958", None, "+442079460958"),
        ("020 7946 0958", Some("GB"), "+442079460958"),
        ("+49 30 901820", None, "+4930901820"),
        ("+81 3-3224-9999", None, "+81332249999"),
        ("+55 11 3113-4000", None, "+551131134000"),
        ("+234 803 123 4567", None, "+2348031234567"),
        ("+971 50 123 4567", Some("US"), "+971501234567"),
        ("(415) 858-6273", Some("us"), "+14158586273"),
    ] {
        assert_eq!(Phone::parse(typed, region).as_ref().map(Phone::as_str), Ok(e164), "{typed}");
    }
    assert!(Phone::knows_region("NZ") && !Phone::knows_region("ZZ") && !Phone::knows_region("USA"));
}
