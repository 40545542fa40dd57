//! The proof of work (ALTCHA v1), from outside: a solver written here (its own SHA-256 loop)
//! answers `GET /captcha/pow` and submits with `altcha` and no picture answer; a solution
//! passes once; `image` mode has none and refuses one; an address that keeps asking pays more.

use crate::helpers::*;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use rocket::http::{ContentType, Header, Status};
use rocket::local::asynchronous::Client;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

/// A small base difficulty: the solver below runs unoptimised in debug builds.
pub const EASY: (&str, &str) = ("captcha.pow_maxnumber", "5000");

pub async fn challenge(client: &Client) -> Value {
    let res = client.get("/captcha/pow").header(Header::new("Accept", "application/json")).dispatch().await;
    assert_eq!(res.status(), Status::Ok);
    assert_eq!(res.headers().get_one("Cache-Control"), Some("no-store"));
    serde_json::from_str(&res.into_string().await.unwrap()).unwrap()
}

/// Tries every number as a browser would, and encodes the solution as ALTCHA's widget does.
pub fn solve(challenge: &Value) -> String {
    let salt = challenge["salt"].as_str().unwrap();
    let target = challenge["challenge"].as_str().unwrap();
    let number = (0..=challenge["maxnumber"].as_u64().unwrap())
        .find(|n| {
            let digest = Sha256::digest(format!("{salt}{n}").as_bytes());
            digest.iter().map(|b| format!("{b:02x}")).collect::<String>() == target
        })
        .expect("the secret number is within maxnumber");
    let payload = json!({"algorithm": challenge["algorithm"], "challenge": target, "number": number,
        "salt": salt, "signature": challenge["signature"], "took": 42});
    STANDARD.encode(payload.to_string())
}

/// A valid submission carrying `altcha` and no picture answer; the JSON answer's status and body.
pub async fn submit_with_pow(client: &Client, altcha: &str) -> (Status, Value) {
    let fields = with(with(valid_fields(), "altcha", altcha), "captcha_answer", "");
    let res = submit(client, &fields, true).await;
    let status = res.status();
    (status, serde_json::from_str(&res.into_string().await.unwrap_or_default()).unwrap_or_default())
}

#[rocket::async_test]
async fn a_challenge_is_altchas_v1_format() {
    let app = app().await;
    let c = challenge(&app.client).await;
    assert_eq!(c["algorithm"], "SHA-256");
    assert_eq!(c["maxnumber"], 100_000, "the default base difficulty");
    let hex64 =
        |v: &Value| v.as_str().is_some_and(|s| s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit()));
    assert!(hex64(&c["challenge"]) && hex64(&c["signature"]), "{c}");
    let salt = c["salt"].as_str().unwrap();
    let (random, params) = salt.split_once('?').unwrap();
    assert_eq!(random.len(), 24, "{salt}");
    let expires: u64 = params.strip_prefix("expires=").unwrap().strip_suffix('&').unwrap().parse().unwrap();
    assert!((unix_now() + 295..=unix_now() + 301).contains(&expires), "five minutes: {salt}");
}

#[rocket::async_test]
async fn a_solved_challenge_submits_without_a_picture_answer_and_only_once() {
    let app = app_with(&[EASY]).await;
    let altcha = solve(&challenge(&app.client).await);
    let (status, body) = submit_with_pow(&app.client, &altcha).await;
    assert_eq!(status, Status::SeeOther, "{body}");
    assert!(body["id"].as_i64().is_some());
    let (status, body) = submit_with_pow(&app.client, &altcha).await;
    assert_eq!(status, Status::UnprocessableEntity, "a replay");
    let error = body["errors"]["captcha_answer"].as_str().unwrap();
    assert!(error.contains("used before"), "{error}");
}

#[rocket::async_test]
async fn a_refused_proof_of_work_leaves_the_picture_path_open() {
    let app = app_with(&[EASY]).await;
    let mut forged: Value =
        serde_json::from_slice(&STANDARD.decode(solve(&challenge(&app.client).await)).unwrap()).unwrap();
    forged["number"] = json!(forged["number"].as_u64().unwrap() + 1);
    let forged = STANDARD.encode(forged.to_string());
    for junk in [forged.as_str(), "bm90IGpzb24=", "%%%", &"A".repeat(5000)] {
        let (status, body) = submit_with_pow(&app.client, junk).await;
        assert_eq!(status, Status::UnprocessableEntity, "{junk:.20}");
        assert!(body["errors"]["captcha_answer"].is_string(), "{body}");
        let with_answer = with(with(valid_fields(), "altcha", junk), "captcha_answer", CAPTCHA_ANSWER);
        assert_eq!(
            submit(&app.client, &with_answer, true).await.status(),
            Status::SeeOther,
            "the picture still counts"
        );
    }
}

#[rocket::async_test]
async fn image_mode_offers_no_proof_of_work_and_refuses_one() {
    // Both instances have the tests' SECRET_KEY: the pow instance's challenges are signed as
    // the image instance would sign them, so only the mode refuses it.
    let pow = app_with(&[EASY]).await;
    let image = app_with(&[EASY, ("captcha.mode", "image")]).await;
    assert_eq!(image.client.get("/captcha/pow").dispatch().await.status(), Status::NotFound);
    let page = image.client.get("/").dispatch().await.into_string().await.unwrap();
    assert!(!page.contains("pow.js") && !page.contains("data-pow-url"), "no widget in image mode");
    let altcha = solve(&challenge(&pow.client).await);
    let (status, _) = submit_with_pow(&image.client, &altcha).await;
    assert_eq!(status, Status::UnprocessableEntity);
    assert_eq!(submit_with_pow(&pow.client, &altcha).await.0, Status::SeeOther, "it was a good solution");
}

#[rocket::async_test]
async fn the_form_page_loads_the_widget_and_keeps_the_picture() {
    let app = app().await;
    let res = app.client.get("/").dispatch().await;
    let csp = res.headers().get_one("Content-Security-Policy").unwrap().to_string();
    let page = res.into_string().await.unwrap();
    assert!(page.contains("data-pow-url=\"/captcha/pow\"") && page.contains("/static/pow.js"), "{page}");
    assert!(
        page.contains("class=\"captcha-image\"") && page.contains("name=\"captcha_answer\""),
        "the puzzle is there"
    );
    assert!(!page.contains("name=\"altcha\""), "the field comes with the script");
    assert!(
        csp.contains("script-src 'self'") && !csp.contains("unsafe"),
        "the worker is a same-origin script: {csp}"
    );
    for file in ["pow.js", "pow-worker.js"] {
        let res = app.client.get(format!("/static/{file}")).dispatch().await;
        assert_eq!(res.status(), Status::Ok, "{file}");
        assert_eq!(res.content_type(), Some(ContentType::JavaScript));
    }
}

#[rocket::async_test]
async fn an_address_that_keeps_asking_pays_more() {
    let app = app_with(&[EASY]).await;
    let mut seen = Vec::new();
    for _ in 0..105 {
        seen.push(challenge(&app.client).await["maxnumber"].as_u64().unwrap());
    }
    assert!(seen[..10].iter().all(|&m| m == 5_000), "a person's first ten: {:?}", &seen[..10]);
    assert_eq!(seen[10], 20_000, "over the first tier");
    assert_eq!(seen[30], 80_000, "over the second");
    assert_eq!(seen[104], 320_000, "over the third, the most");
    assert!(seen.windows(2).all(|w| w[0] <= w[1]), "never easier while it keeps asking");
    // Posting counts too.
    let other = app_with(&[EASY]).await;
    for _ in 0..10 {
        submit(&other.client, &valid_fields(), true).await;
    }
    assert_eq!(challenge(&other.client).await["maxnumber"], 20_000);
}
