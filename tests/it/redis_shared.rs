//! With a real redis-server (started here on a free port): two instances share one rate-limit
//! budget and one challenge store; Redis lost while running gives the documented behaviour;
//! Redis unreachable at start stops the start.

use crate::helpers::tools::RedisServer;
use crate::helpers::*;
use rocket::http::{ContentType, Status};
use rocket::local::asynchronous::Client;

async fn instance(redis_url: &str, extra: &[(&str, &str)]) -> TestApp {
    let mut all = vec![("ratelimit.storage_url", redis_url), ("ratelimit.submit", "5/minute")];
    all.extend_from_slice(extra);
    app_with(&all).await
}

fn submission(tokens: &FormTokens) -> String {
    let mut fields = valid_fields();
    fields.push(("csrf_token", tokens.csrf.clone()));
    fields.push(("captcha_token", tokens.captcha.clone()));
    fields.push(("captcha_answer", CAPTCHA_ANSWER.into()));
    encode(&fields)
}

async fn post(client: &Client, body: String) -> Status {
    client.post("/").header(ContentType::Form).body(body).dispatch().await.status()
}

#[rocket::async_test]
async fn two_instances_share_the_budget() {
    let Some(redis) = RedisServer::start() else { return };
    let a = instance(&redis.url(), &[]).await;
    let b = instance(&redis.url(), &[]).await;
    for i in 0..5 {
        let app = if i % 2 == 0 { &a } else { &b };
        let tokens = form_tokens(&app.client, "/").await;
        assert_eq!(post(&app.client, submission(&tokens)).await, Status::SeeOther, "submission {}", i + 1);
    }
    for app in [&a, &b] {
        let tokens = form_tokens(&app.client, "/").await;
        let res = app.client.post("/").header(ContentType::Form).body(submission(&tokens)).dispatch().await;
        assert_eq!(res.status(), Status::TooManyRequests, "the 6th, on either instance");
        assert!(res.headers().get_one("Retry-After").is_some());
    }
}

#[rocket::async_test]
async fn a_token_issued_by_one_instance_is_spent_on_the_other() {
    let Some(redis) = RedisServer::start() else { return };
    let a = instance(&redis.url(), &[]).await;
    let b = instance(&redis.url(), &[]).await;
    let from_a = form_tokens(&a.client, "/").await;
    // B's own CSRF cookie and token, A's challenge.
    let on_b = FormTokens { csrf: csrf_token(&b.client, "/").await, captcha: from_a.captcha.clone() };
    assert!(verify(&b.client, &from_a.captcha, CAPTCHA_ANSWER).await, "B knows A's challenge");
    let audio = b.client.get(format!("/captcha/{}/audio", from_a.captcha)).dispatch().await;
    assert_eq!(audio.status(), Status::Ok, "B can speak A's challenge");
    assert_eq!(post(&b.client, submission(&on_b)).await, Status::SeeOther);
    assert_eq!(
        post(&a.client, submission(&from_a)).await,
        Status::UnprocessableEntity,
        "spent on B, dead on A"
    );
}

#[rocket::async_test]
async fn wrong_answers_count_across_instances() {
    let Some(redis) = RedisServer::start() else { return };
    let a = instance(&redis.url(), &[]).await;
    let b = instance(&redis.url(), &[]).await;
    let tokens = form_tokens(&a.client, "/").await;
    for client in [&a.client, &b.client, &a.client] {
        assert!(!verify(client, &tokens.captcha, "wrong").await);
    }
    assert!(!verify(&b.client, &tokens.captcha, CAPTCHA_ANSWER).await, "dead after three wrong answers");
}

#[rocket::async_test]
async fn redis_lost_while_running() {
    let Some(mut redis) = RedisServer::start() else { return };
    let app = instance(&redis.url(), &[]).await;
    let tokens = form_tokens(&app.client, "/").await;
    let login_page = app.client.get("/admin/login").dispatch().await.into_string().await.unwrap();
    let login_token = input_value(&login_page, "csrf_token").unwrap();
    redis.kill();
    // Sign-in fails closed: guessing codes while the limiter is blind is what limits prevent.
    let code = totp_code(TOTP_SECRET, unix_now());
    let body = encode(&[("csrf_token", login_token), ("code", code)]);
    let res = app.client.post("/admin/login").header(ContentType::Form).body(body).dispatch().await;
    assert_eq!(res.status(), Status::ServiceUnavailable);
    // Rate limits fail open: pages that need only a limit keep working.
    assert_eq!(app.client.get("/thanks").dispatch().await.status(), Status::Ok);
    assert_eq!(app.client.get("/healthz").dispatch().await.status(), Status::Ok, "the database is fine");
    // A challenge needs no store to be handed out, but spending it does: the form still shows,
    // and a submission says "unavailable" rather than pretending; nothing is stored unchecked.
    assert_eq!(app.client.get("/").dispatch().await.status(), Status::Ok);
    assert_eq!(post(&app.client, submission(&tokens)).await, Status::ServiceUnavailable);
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM submissions")
        .fetch_one(
            &sqlx::SqlitePool::connect(&format!("sqlite://{}", app.dir.path().join("contact.db").display()))
                .await
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(count, 0);
}

#[rocket::async_test]
async fn redis_unreachable_at_start_stops_the_start() {
    if crate::helpers::tools::require("redis-server").is_none() {
        return;
    }
    let port = crate::helpers::http::free_port();
    let dir = tempfile::tempdir().unwrap();
    let url = format!("redis://127.0.0.1:{port}/0");
    let rocket =
        rocket::custom(figment(&dir, &[("ratelimit.storage_url", &url)])).attach(contact_client::fairing());
    let err = rocket.ignite().await.expect_err("no Redis, no start");
    assert!(matches!(err.kind(), rocket::error::ErrorKind::FailedFairings(_)));
}

#[rocket::async_test]
async fn numverify_verdicts_are_shared_through_redis() {
    use crate::helpers::fake_numverify::{FakeNumverify, Reply, VALID};
    let Some(redis) = RedisServer::start() else { return };
    let fake = FakeNumverify::start(|_| Reply::Json(200, VALID.into()));
    let url = fake.url();
    let extra = [("numverify.api_key", "k"), ("numverify.url", url.as_str())];
    let a = instance(&redis.url(), &extra).await;
    let b = instance(&redis.url(), &extra).await;
    for app in [&a, &b] {
        let tokens = form_tokens(&app.client, "/").await;
        assert_eq!(post(&app.client, submission(&tokens)).await, Status::SeeOther);
    }
    assert_eq!(fake.requests().len(), 1, "B used A's look-up");
    let mut conn = redis::Client::open(redis.url()).unwrap().get_connection().unwrap();
    let keys: Vec<String> = redis::cmd("KEYS").arg("*phone*").query(&mut conn).unwrap();
    assert_eq!(keys.len(), 1);
    assert!(!keys[0].contains("4158586273"), "keyed by a hash, never the number");
    let ttl: i64 = redis::cmd("TTL").arg(&keys[0]).query(&mut conn).unwrap();
    assert!((86_000..=86_400).contains(&ttl), "kept a day: {ttl}");
}

#[rocket::async_test]
async fn a_proof_of_work_spent_on_one_instance_is_refused_on_the_other() {
    use crate::pow::{challenge, solve, submit_with_pow, EASY};
    let Some(redis) = RedisServer::start() else { return };
    let a = instance(&redis.url(), &[EASY]).await;
    let b = instance(&redis.url(), &[EASY]).await;
    let altcha = solve(&challenge(&a.client).await);
    assert_eq!(submit_with_pow(&a.client, &altcha).await.0, Status::SeeOther);
    let (status, body) = submit_with_pow(&b.client, &altcha).await;
    assert_eq!(status, Status::UnprocessableEntity, "spent on A, refused on B: {body}");
    let fresh = solve(&challenge(&a.client).await);
    assert_eq!(submit_with_pow(&b.client, &fresh).await.0, Status::SeeOther, "B takes A's challenges");
}
