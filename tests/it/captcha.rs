//! CAPTCHA challenges: issue, image and audio, verify without spending, three strikes, single
//! use, expiry on an injected clock; and the honeypot.

use crate::helpers::*;
use rocket::http::{ContentType, Header, Status};
use std::time::Duration;

async fn stored(app: &TestApp) -> i64 {
    let url = format!("sqlite://{}", app.dir.path().join("contact.db").display());
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    sqlx::query_scalar("SELECT count(*) FROM submissions").fetch_one(&pool).await.unwrap()
}

#[rocket::async_test]
async fn a_new_challenge_has_an_image_an_audio_url_and_a_lifetime() {
    let app = app_with(&[("captcha.test_answer", "")]).await;
    let res = app.client.get("/captcha").header(Header::new("Accept", "application/json")).dispatch().await;
    assert_eq!(res.status(), Status::Ok);
    let body: serde_json::Value = serde_json::from_str(&res.into_string().await.unwrap()).unwrap();
    let token = body["token"].as_str().unwrap();
    assert!(token.len() >= 48, "a sealed answer, its nonce and its time: {token}");
    assert_eq!(body["expires_in"], 300);
    let image = body["image"].as_str().unwrap().strip_prefix("data:image/png;base64,").unwrap();
    use base64::Engine;
    let png = base64::engine::general_purpose::STANDARD.decode(image).unwrap();
    assert!(png.starts_with(b"\x89PNG\r\n"));
    assert_eq!(body["audio"].as_str().unwrap(), format!("/captcha/{token}/audio"));

    let audio = app.client.get(format!("/captcha/{token}/audio")).dispatch().await;
    assert_eq!(audio.status(), Status::Ok);
    assert_eq!(audio.content_type(), Some(ContentType::new("audio", "wav")));
    assert_eq!(audio.headers().get_one("Cache-Control"), Some("no-store"));
    let wav = audio.into_bytes().await.unwrap();
    assert!(wav.starts_with(b"RIFF") && &wav[8..12] == b"WAVE");

    let image = app.client.get(format!("/captcha/{token}/image")).dispatch().await;
    assert_eq!(image.status(), Status::Ok);
    assert_eq!(image.content_type(), Some(ContentType::PNG));

    let health = app.client.get("/healthz").dispatch().await.into_string().await.unwrap();
    assert_eq!(health, r#"{"status":"ok"}"#, "the public learns nothing but the status");
}

#[rocket::async_test]
async fn unknown_tokens_have_no_image_or_audio() {
    let app = app().await;
    let fake = "A".repeat(120);
    assert_eq!(app.client.get(format!("/captcha/{fake}/image")).dispatch().await.status(), Status::NotFound);
    assert_eq!(app.client.get(format!("/captcha/{fake}/audio")).dispatch().await.status(), Status::NotFound);
    assert_eq!(app.client.get("/captcha/short/audio").dispatch().await.status(), Status::NotFound);
}

#[rocket::async_test]
async fn verify_checks_without_spending_and_ignores_case() {
    let app = app().await;
    let tokens = form_tokens(&app.client, "/").await;
    assert!(verify(&app.client, &tokens.captcha, " LetMeIn ").await);
    assert!(verify(&app.client, &tokens.captcha, CAPTCHA_ANSWER).await, "verify does not use the token up");
    let fields = with(with(valid_fields(), "csrf_token", &tokens.csrf), "captcha_token", &tokens.captcha);
    assert_eq!(submit(&app.client, &fields, false).await.status(), Status::SeeOther);
}

#[rocket::async_test]
async fn three_wrong_answers_kill_a_token() {
    let app = app().await;
    let tokens = form_tokens(&app.client, "/").await;
    for _ in 0..3 {
        assert!(!verify(&app.client, &tokens.captcha, "wrong").await);
    }
    assert!(!verify(&app.client, &tokens.captcha, CAPTCHA_ANSWER).await, "dead after three wrong answers");
    let fields = with(with(valid_fields(), "csrf_token", &tokens.csrf), "captcha_token", &tokens.captcha);
    let res = submit(&app.client, &fields, true).await;
    assert_eq!(res.status(), Status::UnprocessableEntity);
    assert_eq!(
        app.client.get(format!("/captcha/{}/image", tokens.captcha)).dispatch().await.status(),
        Status::NotFound
    );
}

#[rocket::async_test]
async fn a_spent_token_cannot_be_replayed() {
    let app = app().await;
    let tokens = form_tokens(&app.client, "/").await;
    let fields = with(with(valid_fields(), "csrf_token", &tokens.csrf), "captcha_token", &tokens.captcha);
    assert_eq!(submit(&app.client, &fields, true).await.status(), Status::SeeOther);
    let replay = submit(&app.client, &with(fields, "email", "again@example.com"), true).await;
    assert_eq!(replay.status(), Status::UnprocessableEntity);
    let body: serde_json::Value = serde_json::from_str(&replay.into_string().await.unwrap()).unwrap();
    assert!(body["errors"]["captcha_answer"].is_string(), "{body}");
    assert!(!verify(&app.client, &tokens.captcha, CAPTCHA_ANSWER).await, "spent");
    assert_eq!(stored(&app).await, 1);
}

#[rocket::async_test]
async fn a_refused_submission_spends_its_token_too() {
    let app = app().await;
    let tokens = form_tokens(&app.client, "/").await;
    let fields = with(with(valid_fields(), "csrf_token", &tokens.csrf), "captcha_token", &tokens.captcha);
    assert_eq!(
        submit(&app.client, &with(fields.clone(), "email", "bad"), true).await.status(),
        Status::UnprocessableEntity
    );
    let res = submit(&app.client, &fields, true).await;
    assert_eq!(res.status(), Status::UnprocessableEntity, "one try per challenge");
}

#[rocket::async_test]
async fn missing_or_wrong_answers_are_field_errors_and_store_nothing() {
    let app = app().await;
    for answer in ["", "nope"] {
        let res = submit(&app.client, &with(valid_fields(), "captcha_answer", answer), false).await;
        assert_eq!(res.status(), Status::UnprocessableEntity);
        let html = res.into_string().await.unwrap();
        assert!(html.contains("id=\"captcha_answer-error\""), "the error is beside the captcha field");
        assert!(
            input_value(&html, "captcha_answer").unwrap_or_default().is_empty(),
            "the answer is not kept"
        );
        assert!(input_value(&html, "name").is_some_and(|n| n == "Ada Lovelace"), "the other inputs are kept");
    }
    let res = submit(&app.client, &with(valid_fields(), "captcha_token", ""), true).await;
    assert_eq!(res.status(), Status::UnprocessableEntity);
    assert_eq!(stored(&app).await, 0);
}

#[rocket::async_test]
async fn challenges_expire_after_300_seconds() {
    let (client, _dir, clock) = clocked_app(&[]).await;

    let fresh = form_tokens(&client, "/").await;
    clock.advance(Duration::from_secs(299));
    assert!(verify(&client, &fresh.captcha, CAPTCHA_ANSWER).await, "alive at 299 s");
    clock.advance(Duration::from_secs(2));
    assert!(!verify(&client, &fresh.captcha, CAPTCHA_ANSWER).await, "dead at 301 s");
    assert_eq!(
        client.get(format!("/captcha/{}/audio", fresh.captcha)).dispatch().await.status(),
        Status::NotFound
    );
    let fields = with(with(valid_fields(), "csrf_token", &fresh.csrf), "captcha_token", &fresh.captcha);
    assert_eq!(submit(&client, &fields, true).await.status(), Status::UnprocessableEntity);
}

#[rocket::async_test]
async fn the_honeypot_answers_like_a_success_and_stores_nothing() {
    let app = app_with(&[("metrics_token", METRICS_TOKEN)]).await;
    let html = app.client.get("/").dispatch().await.into_string().await.unwrap();
    let at = html.find("name=\"website\"").unwrap();
    let tag = &html[html[..at].rfind('<').unwrap()..at + html[at..].find('>').unwrap()];
    assert!(tag.contains("tabindex=\"-1\"") && tag.contains("autocomplete=\"off\""), "{tag}");
    assert!(html[..at].rfind("aria-hidden=\"true\"").is_some());

    let res = submit(&app.client, &with(valid_fields(), "website", "http://spam.example"), false).await;
    assert_eq!(res.status(), Status::SeeOther);
    assert_eq!(res.headers().get_one("Location"), Some("/thanks"));
    let mut ids = Vec::new();
    for _ in 0..2 {
        let res = submit(&app.client, &with(valid_fields(), "website", "x"), true).await;
        assert_eq!(res.status(), Status::SeeOther);
        let body: serde_json::Value = serde_json::from_str(&res.into_string().await.unwrap()).unwrap();
        assert_eq!(body["ok"], true);
        ids.push(body["id"].as_i64().unwrap());
    }
    assert!(ids[0] > 0 && ids[1] == ids[0] + 1, "ids advance like real ones: {ids:?}");
    assert_eq!(stored(&app).await, 0);
    assert_eq!(operator_health(&app.client).await["honeypot_hits"], 3);
}

#[rocket::async_test]
async fn the_honeypot_is_checked_like_any_submission() {
    let app = app().await;
    let empty: Vec<(&str, String)> = vec![("website", "x".into())];
    let trapped = submit(&app.client, &empty, true).await;
    let plain = submit(&app.client, &[], true).await;
    assert_eq!(trapped.status(), Status::UnprocessableEntity, "an empty form is refused, honeypot or not");
    assert_eq!(plain.status(), Status::UnprocessableEntity);
    let keys = |body: String| {
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        v["errors"].as_object().unwrap().keys().cloned().collect::<Vec<_>>()
    };
    assert_eq!(keys(trapped.into_string().await.unwrap()), keys(plain.into_string().await.unwrap()));
}

#[rocket::async_test]
async fn verify_refuses_malformed_bodies_with_json() {
    let app = app().await;
    for not_two_strings in
        ["{\"token\":1}", "[\"token\",\"answer\"]", "\"token\"", "null", "{\"token\":\"t\"}"]
    {
        let res = app
            .client
            .post("/captcha/verify")
            .header(ContentType::JSON)
            .body(not_two_strings)
            .dispatch()
            .await;
        assert_eq!(res.status(), Status::UnprocessableEntity, "{not_two_strings}");
        let body: serde_json::Value = serde_json::from_str(&res.into_string().await.unwrap()).unwrap();
        assert_eq!(body["ok"], false);
    }
    let res = app.client.post("/captcha/verify").header(ContentType::JSON).body("{oops").dispatch().await;
    assert_eq!(res.status(), Status::BadRequest, "not JSON, and not a form with a token either");
    let res = app
        .client
        .post("/captcha/verify")
        .header(ContentType::JSON)
        .body("x".repeat(10_000))
        .dispatch()
        .await;
    assert_eq!(res.status(), Status::PayloadTooLarge);
    let res = app
        .client
        .post("/captcha/verify")
        .header(ContentType::Form)
        .body("token=abc&answer=x")
        .dispatch()
        .await;
    assert_eq!(res.status(), Status::Ok, "a form-encoded body works too");
}
