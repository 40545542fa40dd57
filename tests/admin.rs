//! The admin: TOTP sign-in (once per code, ±1 step), optional password, lockout, server-side
//! sessions with idle and absolute expiry, CSRF, and the dashboard's reading and triage.

mod common;

use std::time::Duration;

use common::*;
use contact_client::Clock;
use rocket::http::{ContentType, Header, Status};
use rocket::local::asynchronous::Client;
use rocket_db_pools::sqlx::{self, Row};

async fn clocked_app(extra: &[(&str, &str)]) -> (Client, tempfile::TempDir, Clock) {
    let dir = tempfile::tempdir().unwrap();
    let clock = Clock::system();
    let rocket =
        rocket::custom(figment(&dir, extra)).attach(contact_client::fairing().with_clock(clock.clone()));
    (Client::tracked(rocket).await.unwrap(), dir, clock)
}

async fn pool(dir: &std::path::Path) -> sqlx::SqlitePool {
    sqlx::SqlitePool::connect(&format!("sqlite://{}", dir.join("contact.db").display())).await.unwrap()
}

fn location<'a>(res: &'a rocket::local::asynchronous::LocalResponse<'_>) -> Option<&'a str> {
    res.headers().get_one("Location")
}

#[rocket::async_test]
async fn every_admin_page_needs_a_session() {
    let app = app().await;
    assert_eq!(submit(&app.client, &valid_fields(), false).await.status(), Status::SeeOther);
    for path in ["/admin", "/admin?page=2&q=x", "/admin/submissions/1", "/admin/export.csv", "/admin/audit"] {
        let res = app.client.get(path).dispatch().await;
        assert_eq!(res.status(), Status::SeeOther, "{path}");
        assert_eq!(location(&res), Some("/admin/login"), "{path}");
    }
    for path in ["/admin/submissions/1/notes", "/admin/submissions/1/status", "/admin/submissions/1/delete"] {
        let res = admin_post(&app.client, path, &[("body", "x"), ("status", "spam")]).await;
        assert_eq!(res.status(), Status::SeeOther, "{path}");
        assert_eq!(location(&res), Some("/admin/login"));
    }
    let json = app.client.get("/admin").header(Header::new("Accept", "application/json")).dispatch().await;
    assert_eq!(json.status(), Status::Unauthorized);
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM notes")
        .fetch_one(&pool(app.dir.path()).await)
        .await
        .unwrap();
    assert_eq!(rows, 0, "nothing was changed");
}

#[rocket::async_test]
async fn sign_in_sets_a_strict_session_cookie_and_pages_are_not_cached() {
    let app = app().await;
    let login = app.client.get("/admin/login").dispatch().await;
    assert_eq!(login.status(), Status::Ok);
    assert_eq!(login.headers().get_one("Cache-Control"), Some("no-store"));
    let html = login.into_string().await.unwrap();
    assert!(html.contains("name=\"code\"") && html.contains("name=\"csrf_token\""));
    assert!(!html.contains("name=\"password\""), "no password field without ADMIN_PASSWORD_HASH");

    let res = try_sign_in(&app.client, &totp_code(TOTP_SECRET, unix_now()), None).await;
    assert_eq!(res.status(), Status::SeeOther);
    assert_eq!(location(&res), Some("/admin"));
    let cookie = res.cookies().get("cc_admin").expect("a session cookie").clone();
    assert_eq!(cookie.http_only(), Some(true));
    assert_eq!(cookie.same_site(), Some(rocket::http::SameSite::Strict));
    assert_eq!(cookie.value().len(), 43, "256 random bits");

    let list = app.client.get("/admin").dispatch().await;
    assert_eq!(list.status(), Status::Ok);
    assert_eq!(list.headers().get_one("Cache-Control"), Some("no-store"));
    let stored: Vec<String> = sqlx::query_scalar("SELECT id_hash FROM admin_sessions")
        .fetch_all(&pool(app.dir.path()).await)
        .await
        .unwrap();
    assert_eq!(stored.len(), 1);
    assert_ne!(stored[0], cookie.value(), "only a hash of the id is stored");
}

#[rocket::async_test]
async fn a_code_is_accepted_once_even_across_a_restart() {
    let app = app().await;
    let code = totp_code(TOTP_SECRET, unix_now());
    assert_eq!(try_sign_in(&app.client, &code, None).await.status(), Status::SeeOther);
    let other = Client::tracked(rocket::custom(figment(&app.dir, &[])).attach(contact_client::fairing()))
        .await
        .unwrap();
    let replay = try_sign_in(&other, &code, None).await;
    assert_eq!(replay.status(), Status::Unauthorized);
    assert!(replay.into_string().await.unwrap().contains("That did not work"));
}

#[rocket::async_test]
async fn one_step_of_drift_is_accepted_and_two_are_not() {
    for (offset, accepted) in [(-30i64, true), (30, true), (-60, false), (60, false), (-90, false)] {
        let app = app().await;
        let at = (unix_now() as i64 + offset) as u64;
        let res = try_sign_in(&app.client, &totp_code(TOTP_SECRET, at), None).await;
        let expected = if accepted { Status::SeeOther } else { Status::Unauthorized };
        assert_eq!(res.status(), expected, "offset {offset} s");
    }
}

#[rocket::async_test]
async fn malformed_codes_are_refused_without_a_panic() {
    let app = app_with(&[("ratelimit.login", "100/minute")]).await;
    for code in ["", "12345", "1234567", "abcdef", "12 34 5", "９９９９９９"] {
        assert_eq!(try_sign_in(&app.client, code, None).await.status(), Status::Unauthorized, "{code:?}");
    }
}

#[rocket::async_test]
async fn with_a_password_both_are_needed_and_the_error_says_neither() {
    let hash = contact_client::admin::hash_password("correct horse battery staple").unwrap();
    let app = app_with(&[("admin_password_hash", &hash)]).await;
    let html = app.client.get("/admin/login").dispatch().await.into_string().await.unwrap();
    assert!(html.contains("name=\"password\""));
    let now = unix_now();
    let wrong_password = try_sign_in(&app.client, &totp_code(TOTP_SECRET, now), Some("wrong")).await;
    assert_eq!(wrong_password.status(), Status::Unauthorized);
    let first = wrong_password.into_string().await.unwrap();
    let wrong_code = try_sign_in(&app.client, "000000", Some("correct horse battery staple")).await;
    assert_eq!(wrong_code.status(), Status::Unauthorized);
    let second = wrong_code.into_string().await.unwrap();
    let message =
        |html: &str| html[html.find("role=\"alert\"").unwrap()..].split("</div>").next().unwrap().to_string();
    assert_eq!(message(&first), message(&second), "one uniform message");
    let missing = try_sign_in(&app.client, &totp_code(TOTP_SECRET, now), None).await;
    assert_eq!(missing.status(), Status::Unauthorized);
    let both =
        try_sign_in(&app.client, &totp_code(TOTP_SECRET, now), Some("correct horse battery staple")).await;
    assert_eq!(both.status(), Status::SeeOther, "a wrong password did not use the code up");
}

#[rocket::async_test]
async fn the_sixth_sign_in_attempt_in_15_minutes_is_429() {
    let app = app().await;
    for _ in 0..5 {
        assert_eq!(try_sign_in(&app.client, "000000", None).await.status(), Status::Unauthorized);
    }
    let res = try_sign_in(&app.client, &totp_code(TOTP_SECRET, unix_now()), None).await;
    assert_eq!(res.status(), Status::TooManyRequests, "even with the right code");
    let retry: u64 = res.headers().get_one("Retry-After").unwrap().parse().unwrap();
    assert!(retry > 60 && retry <= 900, "{retry}");
}

#[rocket::async_test]
async fn sessions_expire_after_15_idle_minutes() {
    let (client, _dir, clock) = clocked_app(&[]).await;
    sign_in(&client).await;
    clock.advance(Duration::from_secs(14 * 60));
    assert_eq!(client.get("/admin").dispatch().await.status(), Status::Ok, "14 idle minutes");
    clock.advance(Duration::from_secs(14 * 60));
    assert_eq!(
        client.get("/admin").dispatch().await.status(),
        Status::Ok,
        "activity restarted the idle time"
    );
    clock.advance(Duration::from_secs(15 * 60 + 1));
    let res = client.get("/admin").dispatch().await;
    assert_eq!(res.status(), Status::SeeOther);
    assert_eq!(location(&res), Some("/admin/login"));
}

#[rocket::async_test]
async fn sessions_end_after_8_hours_however_active() {
    let (client, _dir, clock) = clocked_app(&[]).await;
    sign_in(&client).await;
    for _ in 0..47 {
        clock.advance(Duration::from_secs(10 * 60));
        assert_eq!(client.get("/admin").dispatch().await.status(), Status::Ok);
    }
    clock.advance(Duration::from_secs(10 * 60 + 1));
    assert_eq!(client.get("/admin").dispatch().await.status(), Status::SeeOther, "8 h after sign-in");
}

#[rocket::async_test]
async fn sign_out_makes_the_old_cookie_worthless() {
    let app = app().await;
    sign_in(&app.client).await;
    let stolen = app.client.cookies().get("cc_admin").unwrap().value().to_string();
    let res = admin_post(&app.client, "/admin/logout", &[]).await;
    assert_eq!(res.status(), Status::SeeOther);
    assert_eq!(location(&res), Some("/admin/login"));
    let replay = Client::untracked(rocket::custom(figment(&app.dir, &[])).attach(contact_client::fairing()))
        .await
        .unwrap();
    let res = replay.get("/admin").cookie(rocket::http::Cookie::new("cc_admin", stolen)).dispatch().await;
    assert_eq!(res.status(), Status::SeeOther, "the session is gone on the server");
    let sessions: i64 = sqlx::query_scalar("SELECT count(*) FROM admin_sessions")
        .fetch_one(&pool(app.dir.path()).await)
        .await
        .unwrap();
    assert_eq!(sessions, 0);
}

#[rocket::async_test]
async fn admin_posts_need_the_csrf_token() {
    let app = app().await;
    assert_eq!(submit(&app.client, &valid_fields(), false).await.status(), Status::SeeOther);
    sign_in(&app.client).await;
    for path in [
        "/admin/submissions/1/notes",
        "/admin/submissions/1/status",
        "/admin/submissions/1/delete",
        "/admin/logout",
    ] {
        let res = app.client.post(path).header(ContentType::Form).body("body=x&status=spam").dispatch().await;
        assert_eq!(res.status(), Status::Forbidden, "{path}");
    }
    assert_eq!(app.client.get("/admin/submissions/1").dispatch().await.status(), Status::Ok, "still there");
    let login =
        app.client.post("/admin/login").header(ContentType::Form).body("code=123456").dispatch().await;
    assert_eq!(login.status(), Status::Forbidden, "sign-in needs it too");
}
