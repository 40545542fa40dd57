//! The public form: field rules, CSRF, body size, JSON mode, security headers.

use crate::helpers::*;
use rocket::http::{ContentType, Header, Status};

#[rocket::async_test]
async fn form_page_has_every_field_and_a_csrf_cookie() {
    let app = app().await;
    let res = app.client.get("/").dispatch().await;
    assert_eq!(res.status(), Status::Ok);
    assert!(res.cookies().get("cc_csrf").is_some_and(|c| c.http_only() == Some(true)));
    let html = res.into_string().await.unwrap();
    for field in ["name", "email", "phone", "preferred_time", "message", "csrf_token"] {
        assert!(html.contains(&format!("name=\"{field}\"")), "no {field} field");
    }
    for field in ["name", "email", "phone", "preferred_time", "message"] {
        assert!(html.contains(&format!("<label for=\"{field}\"")), "{field} has no label");
    }
}

#[rocket::async_test]
async fn valid_submission_redirects_to_thanks() {
    let app = app().await;
    let res = submit(&app.client, &valid_fields(), false).await;
    assert_eq!(res.status(), Status::SeeOther);
    assert_eq!(res.headers().get_one("Location"), Some("/thanks"));
    let thanks = app.client.get("/thanks").dispatch().await;
    assert_eq!(thanks.status(), Status::Ok);
    assert!(thanks.into_string().await.unwrap().contains("Thank you"));
}

#[rocket::async_test]
async fn json_clients_get_json_both_ways() {
    let app = app().await;
    let ok = submit(&app.client, &valid_fields(), true).await;
    assert_eq!(ok.status(), Status::SeeOther);
    assert_eq!(ok.content_type(), Some(ContentType::JSON));
    let body: serde_json::Value = serde_json::from_str(&ok.into_string().await.unwrap()).unwrap();
    assert_eq!(body["ok"], true);
    assert_eq!(body["id"], 1);

    let bad = submit(&app.client, &with(valid_fields(), "email", "nope"), true).await;
    assert_eq!(bad.status(), Status::UnprocessableEntity);
    let body: serde_json::Value = serde_json::from_str(&bad.into_string().await.unwrap()).unwrap();
    assert_eq!(body["ok"], false);
    assert!(body["errors"]["email"].as_str().unwrap().contains("valid email"));
    assert!(body["errors"].get("name").is_none());
}

#[rocket::async_test]
async fn a_json_body_is_accepted_too() {
    let app = app().await;
    let tokens = form_tokens(&app.client, "/").await;
    let mut body = serde_json::Map::new();
    body.insert("csrf_token".into(), tokens.csrf.into());
    body.insert("captcha_token".into(), tokens.captcha.into());
    body.insert("captcha_answer".into(), CAPTCHA_ANSWER.into());
    for (k, v) in valid_fields() {
        body.insert(k.into(), v.into());
    }
    let res = app
        .client
        .post("/")
        .header(ContentType::JSON)
        .header(Header::new("Accept", "application/json"))
        .body(serde_json::Value::Object(body).to_string())
        .dispatch()
        .await;
    assert_eq!(res.status(), Status::SeeOther);
}

/// Each field's accepted and refused values: (field, value, accepted).
const CASES: &[(&str, &str, bool)] = &[
    ("name", "A", true),
    ("name", "  Grace Hopper  ", true),
    ("name", "", false),
    ("name", "   ", false),
    ("name", "Bad\u{7}Bell", false),
    ("email", "a.b+tag@sub.example.org", true),
    ("email", "nobody", false),
    ("email", "a@b", false),
    ("email", "a@@example.com", false),
    ("email", "a b@example.com", false),
    ("email", "a@-example.com", false),
    ("email", "a..b@example.com", false),
    ("phone", "+44 20 7946 0958", true),
    ("phone", "+1-415-858-6273", true),
    ("phone", "", false),
    ("phone", "12", false),
    ("phone", "+999 123 456 789", false),
    ("phone", "+1 555 000 0000", false),
    ("phone", "4158586273", false),
    ("phone", "call me", false),
    ("preferred_time", "", false),
    ("preferred_time", "tomorrow", false),
    ("preferred_time", "2020-01-01T10:00", false),
    ("preferred_time", "2026-13-01T10:00", false),
    ("message", "", true),
    ("message", "Line one\nLine two\ttabbed", true),
    ("message", "null\u{0}byte", false),
];

#[rocket::async_test]
async fn each_field_rule_accepts_and_refuses() {
    let app = app().await;
    for (field, value, accepted) in CASES {
        let res = submit(&app.client, &with(valid_fields(), field, value), true).await;
        let status = res.status();
        let body: serde_json::Value = serde_json::from_str(&res.into_string().await.unwrap()).unwrap();
        if *accepted {
            assert_eq!(status, Status::SeeOther, "{field}={value:?} was refused: {body}");
        } else {
            assert_eq!(status, Status::UnprocessableEntity, "{field}={value:?} was accepted");
            assert!(body["errors"][field].is_string(), "{field}={value:?}: no error for the field: {body}");
        }
    }
}

#[rocket::async_test]
async fn length_limits_are_exact() {
    let app = app().await;
    let long_local = format!("{}@example.com", "a".repeat(64));
    let too_long_local = format!("{}@example.com", "a".repeat(65));
    let email_254 =
        format!("{}@{}.{}.{}.com", "a".repeat(60), "b".repeat(63), "c".repeat(63), "d".repeat(61));
    assert_eq!(email_254.len(), 254);
    let email_255 = format!("a{email_254}");
    let cases: Vec<(&str, String, bool)> = vec![
        ("name", "n".repeat(100), true),
        ("name", "n".repeat(101), false),
        ("name", "é".repeat(100), true),
        ("email", long_local, true),
        ("email", too_long_local, false),
        ("email", email_254, true),
        ("email", email_255, false),
        ("message", "m".repeat(5000), true),
        ("message", "m".repeat(5001), false),
        ("preferred_time", in_days(364), true),
        ("preferred_time", in_days(367), false),
        ("preferred_time", in_days(-1), false),
    ];
    for (field, value, accepted) in cases {
        let res = submit(&app.client, &with(valid_fields(), field, &value), true).await;
        let expected = if accepted { Status::SeeOther } else { Status::UnprocessableEntity };
        assert_eq!(res.status(), expected, "{field} of {} chars", value.chars().count());
    }
}

#[rocket::async_test]
async fn invalid_html_submission_keeps_inputs_and_shows_errors_beside_fields() {
    let app = app().await;
    let fields = with(with(valid_fields(), "email", "not-an-email"), "name", "Grace <b>Hopper</b>");
    let res = submit(&app.client, &fields, false).await;
    assert_eq!(res.status(), Status::UnprocessableEntity);
    let html = res.into_string().await.unwrap();
    assert_eq!(input_value(&html, "email").as_deref(), Some("not-an-email"));
    assert!(html.contains("id=\"email-error\""), "the email error is beside its field");
    assert!(html.contains("aria-describedby=\"email-error\""));
    assert!(!html.contains("id=\"name-error\""));
    assert!(html.contains("Grace &lt;b&gt;Hopper&lt;&#x2f;b&gt;"), "input is escaped, not injected");
    assert!(html.contains("Ada") || html.contains("Grace"));
    assert!(html.contains("Please call me about the engine."), "the message is kept");
}

#[rocket::async_test]
async fn csrf_missing_wrong_or_from_another_visitor_is_403() {
    let app = app().await;
    let fields = valid_fields();

    // No token at all (the visitor has a cookie).
    csrf_token(&app.client, "/").await;
    let res = app.client.post("/").header(ContentType::Form).body(encode(&fields)).dispatch().await;
    assert_eq!(res.status(), Status::Forbidden);

    // A wrong token.
    let mut wrong = vec![("csrf_token", "A".repeat(43))];
    wrong.extend(fields.clone());
    let res = app.client.post("/").header(ContentType::Form).body(encode(&wrong)).dispatch().await;
    assert_eq!(res.status(), Status::Forbidden);

    // Another visitor's token with this visitor's cookie.
    let other = app_with(&[]).await;
    let foreign = csrf_token(&other.client, "/").await;
    let mut stolen = vec![("csrf_token", foreign)];
    stolen.extend(fields.clone());
    let res = app.client.post("/").header(ContentType::Form).body(encode(&stolen)).dispatch().await;
    assert_eq!(res.status(), Status::Forbidden);

    // A right token but no cookie (a forged cross-site POST).
    let tokens = form_tokens(&app.client, "/").await;
    let mut right = vec![
        ("csrf_token", tokens.csrf),
        ("captcha_token", tokens.captcha),
        ("captcha_answer", CAPTCHA_ANSWER.to_string()),
    ];
    right.extend(fields.clone());
    let res = app.client.post("/").header(ContentType::Form).body(encode(&right)).dispatch().await;
    assert_eq!(res.status(), Status::SeeOther, "control: the same request with the cookie passes");
    let bare = rocket::local::asynchronous::Client::untracked(
        rocket::custom(figment(&app.dir, &[])).attach(contact_client::fairing()),
    )
    .await
    .unwrap();
    let res = bare.post("/").header(ContentType::Form).body(encode(&right)).dispatch().await;
    assert_eq!(res.status(), Status::Forbidden);
}

#[rocket::async_test]
async fn a_foreign_origin_is_refused_even_with_a_token() {
    let app = app().await;
    let tokens = form_tokens(&app.client, "/").await;
    let mut all = vec![
        ("csrf_token", tokens.csrf),
        ("captcha_token", tokens.captcha),
        ("captcha_answer", CAPTCHA_ANSWER.to_string()),
    ];
    all.extend(valid_fields());
    let res = app
        .client
        .post("/")
        .header(ContentType::Form)
        .header(Header::new("Host", "contact.example.com"))
        .header(Header::new("Origin", "https://evil.example.net"))
        .body(encode(&all))
        .dispatch()
        .await;
    assert_eq!(res.status(), Status::Forbidden);
    let res = app
        .client
        .post("/")
        .header(ContentType::Form)
        .header(Header::new("Host", "contact.example.com"))
        .header(Header::new("Origin", "https://contact.example.com"))
        .body(encode(&all))
        .dispatch()
        .await;
    assert_eq!(res.status(), Status::SeeOther);
}

#[rocket::async_test]
async fn forbidden_is_a_page_or_json() {
    let app = app().await;
    let res = app.client.post("/").header(ContentType::Form).body("name=x").dispatch().await;
    assert_eq!(res.status(), Status::Forbidden);
    assert_eq!(res.content_type(), Some(ContentType::HTML));
    assert!(res.into_string().await.unwrap().contains("reload the page"));
    let res = app
        .client
        .post("/")
        .header(ContentType::Form)
        .header(Header::new("Accept", "application/json"))
        .body("name=x")
        .dispatch()
        .await;
    assert_eq!(res.status(), Status::Forbidden);
    let body: serde_json::Value = serde_json::from_str(&res.into_string().await.unwrap()).unwrap();
    assert_eq!(body["ok"], false);
}

#[rocket::async_test]
async fn bodies_over_64_kib_are_413() {
    let app = app().await;
    let token = csrf_token(&app.client, "/").await;
    let mut fields = vec![("csrf_token", token)];
    fields.extend(with(valid_fields(), "message", &"x".repeat(64 * 1024)));
    let res = app.client.post("/").header(ContentType::Form).body(encode(&fields)).dispatch().await;
    assert_eq!(res.status(), Status::PayloadTooLarge);
    assert!(res.into_string().await.unwrap().contains("too much"));

    // Just under the limit is read (and refused for the message length, not the size).
    let mut fields = vec![("csrf_token", csrf_token(&app.client, "/").await)];
    fields.extend(with(valid_fields(), "message", &"x".repeat(60 * 1024)));
    let res = app
        .client
        .post("/")
        .header(ContentType::Form)
        .header(Header::new("Accept", "application/json"))
        .body(encode(&fields))
        .dispatch()
        .await;
    assert_eq!(res.status(), Status::UnprocessableEntity);
}

#[rocket::async_test]
async fn malformed_json_is_400_not_a_panic() {
    let app = app().await;
    csrf_token(&app.client, "/").await;
    let res = app.client.post("/").header(ContentType::JSON).body("{not json").dispatch().await;
    assert_eq!(res.status(), Status::BadRequest);
    let res = app.client.post("/").header(ContentType::JSON).body("[1,2]").dispatch().await;
    assert_eq!(res.status(), Status::BadRequest);
}

#[rocket::async_test]
async fn every_response_carries_the_security_headers() {
    let app = app().await;
    for path in ["/", "/thanks", "/healthz", "/static/style.css", "/no-such-page"] {
        let res = app.client.get(path).dispatch().await;
        let csp = res.headers().get_one("Content-Security-Policy").unwrap_or_default();
        assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), "{path}: {csp}");
        assert_eq!(res.headers().get_one("X-Content-Type-Options"), Some("nosniff"), "{path}");
        assert_eq!(res.headers().get_one("X-Frame-Options"), Some("DENY"), "{path}");
        assert!(res.headers().get_one("Referrer-Policy").is_some(), "{path}");
    }
}

#[rocket::async_test]
async fn pages_have_no_inline_script() {
    let app = app().await;
    for path in ["/", "/thanks", "/no-such-page"] {
        let html = app.client.get(path).dispatch().await.into_string().await.unwrap();
        for (i, _) in html.match_indices("<script") {
            let tag = &html[i..i + html[i..].find('>').unwrap()];
            assert!(tag.contains("src="), "{path} has an inline script");
        }
        assert!(
            !html.contains(" onclick=") && !html.contains(" style="),
            "{path} has inline handlers or styles"
        );
    }
}

#[rocket::async_test]
async fn unknown_pages_are_friendly_404s() {
    let app = app().await;
    let res = app.client.get("/nope").dispatch().await;
    assert_eq!(res.status(), Status::NotFound);
    assert_eq!(res.content_type(), Some(ContentType::HTML));
    assert!(res.into_string().await.unwrap().contains("nothing at this address"));
    let res = app.client.get("/nope").header(Header::new("Accept", "application/json")).dispatch().await;
    assert_eq!(res.status(), Status::NotFound);
    assert_eq!(res.content_type(), Some(ContentType::JSON));
}

#[rocket::async_test]
async fn static_files_are_served_with_caching_headers() {
    let app = app().await;
    let html = app.client.get("/").dispatch().await.into_string().await.unwrap();
    let href_at = html.find("/static/style.css?v=").unwrap();
    let href = &html[href_at..href_at + html[href_at..].find('"').unwrap()];
    let res = app.client.get(href.to_string()).dispatch().await;
    assert_eq!(res.status(), Status::Ok);
    assert_eq!(res.content_type(), Some(ContentType::CSS));
    assert!(res.headers().get_one("Cache-Control").unwrap().contains("immutable"));
    let etag = res.headers().get_one("ETag").unwrap().to_string();
    let again =
        app.client.get("/static/style.css").header(Header::new("If-None-Match", etag)).dispatch().await;
    assert_eq!(again.status(), Status::NotModified);
    assert_eq!(app.client.get("/static/../Cargo.toml").dispatch().await.status(), Status::NotFound);
    assert_eq!(app.client.get("/static/nope.css").dispatch().await.status(), Status::NotFound);
}

#[rocket::async_test]
async fn healthz_tells_the_public_only_its_status() {
    let app = app_with(&[("metrics_token", METRICS_TOKEN)]).await;
    let res = app.client.get("/healthz").dispatch().await;
    assert_eq!(res.status(), Status::Ok);
    assert_eq!(res.into_string().await.unwrap(), r#"{"status":"ok"}"#);
    for wrong in ["Bearer nope", "Bearer ", "Basic x", METRICS_TOKEN] {
        let res = app.client.get("/healthz").header(Header::new("Authorization", wrong)).dispatch().await;
        assert_eq!(res.into_string().await.unwrap(), r#"{"status":"ok"}"#, "{wrong}");
    }
    let body = operator_health(&app.client).await;
    assert_eq!(body["database"], "ok");
    assert_eq!(body["captcha"], "test", "the test instances run in CAPTCHA test mode");
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
}

#[rocket::async_test]
async fn healthz_details_for_a_signed_in_admin() {
    let app = app().await;
    sign_in(&app.client).await;
    let body = app.client.get("/healthz").dispatch().await.into_string().await.unwrap();
    let body: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["captcha"], "test");
}

#[rocket::async_test]
async fn the_preferred_time_is_judged_by_the_instances_clock() {
    let (client, _dir, clock) = clocked_app(&[]).await;
    clock.advance(std::time::Duration::from_secs(2 * 86_400));
    let res = submit(&client, &with(valid_fields(), "preferred_time", &in_days(1)), true).await;
    assert_eq!(res.status(), Status::UnprocessableEntity, "tomorrow is the past on this clock");
    let body: serde_json::Value = serde_json::from_str(&res.into_string().await.unwrap()).unwrap();
    assert!(body["errors"]["preferred_time"].is_string(), "{body}");
    let page = client.get("/").dispatch().await.into_string().await.unwrap();
    // The picker's lower bound is the clock's now less 14 hours (the zones west of UTC).
    let earliest = time::OffsetDateTime::now_utc() + time::Duration::days(2) - time::Duration::hours(14);
    let min = format!("min=\"{:04}-{:02}-{:02}T", earliest.year(), earliest.month() as u8, earliest.day());
    assert!(page.contains(&min), "the picker starts at the clock's now: {min}");
}

/// A wall-clock minute `days` ahead at 14:00, as the form sends it.
fn at_two_pm(days: i64) -> String {
    let day = time::OffsetDateTime::now_utc() + time::Duration::days(days);
    format!("{:04}-{:02}-{:02}T14:00", day.year(), day.month() as u8, day.day())
}

#[rocket::async_test]
async fn the_preferred_time_is_meant_in_the_visitors_time_zone() {
    let app = app_with(&[("default_time_zone", "America/New_York")]).await;
    let when = at_two_pm(30);
    let berlin = with(with(valid_fields(), "preferred_time", &when), "time_zone", "Europe/Berlin");
    assert_eq!(submit(&app.client, &berlin, true).await.status(), Status::SeeOther);
    let no_zone = with(valid_fields(), "preferred_time", &when);
    assert_eq!(submit(&app.client, &no_zone, true).await.status(), Status::SeeOther);
    let unknown = with(with(valid_fields(), "preferred_time", &when), "time_zone", "Mars/Olympus");
    let res = submit(&app.client, &unknown, true).await;
    assert_eq!(res.status(), Status::UnprocessableEntity);
    let body: serde_json::Value = serde_json::from_str(&res.into_string().await.unwrap()).unwrap();
    assert_eq!(body["errors"]["time_zone"], "Please choose a time zone from the list.");

    let db = sqlx::SqlitePool::connect(&format!("sqlite://{}", app.dir.path().join("contact.db").display()))
        .await
        .unwrap();
    let stored: Vec<(String, String)> =
        sqlx::query_as("SELECT preferred_time, time_zone FROM submissions ORDER BY id")
            .fetch_all(&db)
            .await
            .unwrap();
    let hour = |i: usize| stored[i].0[11..13].parse::<i32>().unwrap();
    assert_eq!(stored[0].1, "Europe/Berlin");
    assert!(matches!(hour(0), 12 | 13), "14:00 in Berlin is 12:00 or 13:00 UTC: {stored:?}");
    assert_eq!(stored[1].1, "America/New_York", "no zone sent: the default");
    assert!(matches!(hour(1), 18 | 19), "14:00 in New York is 18:00 or 19:00 UTC: {stored:?}");

    sign_in(&app.client).await;
    let detail = app.client.get("/admin/submissions/1").dispatch().await.into_string().await.unwrap();
    let detail = detail.replace("&#x2f;", "/");
    assert!(
        detail.contains(&format!("14:00 Europe/Berlin ({:02}:00 UTC)", hour(0))),
        "both clocks shown: {detail}"
    );
    let csv = app.client.get("/admin/export.csv").dispatch().await.into_string().await.unwrap();
    assert!(csv.contains(",new,Europe/Berlin\r\n") && csv.contains(",new,America/New_York\r\n"), "{csv}");
    let form = app.client.get("/").dispatch().await.into_string().await.unwrap().replace("&#x2f;", "/");
    assert!(form.contains("<option value=\"America/New_York\" selected>"), "the default zone is preselected");
}
