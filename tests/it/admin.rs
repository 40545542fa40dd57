//! The admin: TOTP sign-in (once per code, ±1 step), optional password, lockout, server-side
//! sessions with idle and absolute expiry, CSRF, and the dashboard's reading and triage.

use std::time::Duration;

use crate::helpers::*;
use crate::on_both_databases;
use rocket::http::{ContentType, Header, Status};
use rocket::local::asynchronous::Client;

async fn pool(dir: &std::path::Path) -> sqlx::SqlitePool {
    sqlx::SqlitePool::connect(&format!("sqlite://{}", dir.join("contact.db").display())).await.unwrap()
}

fn location<'a>(res: &'a rocket::local::asynchronous::LocalResponse<'_>) -> Option<&'a str> {
    res.headers().get_one("Location")
}

on_both_databases! {
async fn every_admin_page_needs_a_session(backend: Backend) {
    let (client, db) = app_on(backend, &[]).await;
    assert_eq!(submit(&client, &valid_fields(), false).await.status(), Status::SeeOther);
    for path in ["/admin", "/admin?page=2&q=x", "/admin/submissions/1", "/admin/export.csv", "/admin/audit"] {
        let res = client.get(path).dispatch().await;
        assert_eq!(res.status(), Status::SeeOther, "{path}");
        assert_eq!(location(&res), Some("/admin/login"), "{path}");
    }
    for path in ["/admin/submissions/1/notes", "/admin/submissions/1/status", "/admin/submissions/1/delete"] {
        let res = admin_post(&client, path, &[("body", "x"), ("status", "spam")]).await;
        assert_eq!(res.status(), Status::SeeOther, "{path}");
        assert_eq!(location(&res), Some("/admin/login"));
    }
    let json = client.get("/admin").header(Header::new("Accept", "application/json")).dispatch().await;
    assert_eq!(json.status(), Status::Unauthorized);
    let rows: i64 = db.number("SELECT count(*) FROM notes").await;
    assert_eq!(rows, 0, "nothing was changed");
}
}

on_both_databases! {
async fn sign_in_sets_a_strict_session_cookie_and_pages_are_not_cached(backend: Backend) {
    let (client, db) = app_on(backend, &[]).await;
    let login = client.get("/admin/login").dispatch().await;
    assert_eq!(login.status(), Status::Ok);
    assert_eq!(login.headers().get_one("Cache-Control"), Some("no-store"));
    let html = login.into_string().await.unwrap();
    assert!(html.contains("name=\"code\"") && html.contains("name=\"csrf_token\""));
    assert!(!html.contains("name=\"password\""), "no password field without ADMIN_PASSWORD_HASH");

    let res = try_sign_in(&client, &totp_code(TOTP_SECRET, unix_now()), None).await;
    assert_eq!(res.status(), Status::SeeOther);
    assert_eq!(location(&res), Some("/admin"));
    let cookie = res.cookies().get("cc_admin").expect("a session cookie").clone();
    assert_eq!(cookie.http_only(), Some(true));
    assert_eq!(cookie.same_site(), Some(rocket::http::SameSite::Strict));
    assert_eq!(cookie.value().len(), 43, "256 random bits");

    let list = client.get("/admin").dispatch().await;
    assert_eq!(list.status(), Status::Ok);
    assert_eq!(list.headers().get_one("Cache-Control"), Some("no-store"));
    let stored: Vec<String> = db.column("SELECT id_hash FROM admin_sessions").await;
    assert_eq!(stored.len(), 1);
    assert_ne!(stored[0], cookie.value(), "only a hash of the id is stored");
}
}

on_both_databases! {
async fn a_code_is_accepted_once_even_across_a_restart(backend: Backend) {
    let (client, db) = app_on(backend, &[]).await;
    let code = totp_code(TOTP_SECRET, unix_now());
    assert_eq!(try_sign_in(&client, &code, None).await.status(), Status::SeeOther);
    let other = Client::tracked(rocket::custom(figment_on(&db, &[])).attach(contact_client::fairing()))
        .await
        .unwrap();
    let replay = try_sign_in(&other, &code, None).await;
    assert_eq!(replay.status(), Status::Unauthorized);
    assert!(replay.into_string().await.unwrap().contains("That did not work"));
}
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
    let (client, _dir, clock) = clocked_app(&[("ratelimit.login", "100/minute")]).await;
    for code in ["", "12345", "1234567", "abcdef", "12 34 5", "９９９９９９"] {
        assert_eq!(try_sign_in(&client, code, None).await.status(), Status::Unauthorized, "{code:?}");
        // Past the account's pause between failed sign-ins.
        clock.advance(Duration::from_secs(30));
    }
}

#[rocket::async_test]
async fn with_a_password_both_are_needed_and_the_error_says_neither() {
    let hash = contact_client::appliance::hash_password("correct horse battery staple").unwrap();
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

on_both_databases! {
async fn sessions_expire_after_15_idle_minutes(backend: Backend) {
    let (client, _db, clock) = clocked_app_on(backend, &[]).await;
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
}

on_both_databases! {
async fn sessions_end_after_8_hours_however_active(backend: Backend) {
    let (client, _db, clock) = clocked_app_on(backend, &[]).await;
    sign_in(&client).await;
    for _ in 0..47 {
        clock.advance(Duration::from_secs(10 * 60));
        assert_eq!(client.get("/admin").dispatch().await.status(), Status::Ok);
    }
    clock.advance(Duration::from_secs(10 * 60 + 1));
    assert_eq!(client.get("/admin").dispatch().await.status(), Status::SeeOther, "8 h after sign-in");
}
}

on_both_databases! {
async fn sign_out_makes_the_old_cookie_worthless(backend: Backend) {
    let (client, db) = app_on(backend, &[]).await;
    sign_in(&client).await;
    let stolen = client.cookies().get("cc_admin").unwrap().value().to_string();
    let res = admin_post(&client, "/admin/logout", &[]).await;
    assert_eq!(res.status(), Status::SeeOther);
    assert_eq!(location(&res), Some("/admin/login"));
    let replay = Client::untracked(rocket::custom(figment_on(&db, &[])).attach(contact_client::fairing()))
        .await
        .unwrap();
    let res = replay.get("/admin").cookie(rocket::http::Cookie::new("cc_admin", stolen)).dispatch().await;
    assert_eq!(res.status(), Status::SeeOther, "the session is gone on the server");
    let sessions: i64 = db.number("SELECT count(*) FROM admin_sessions").await;
    assert_eq!(sessions, 0);
}
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

/// Stores one submission per (name, email, phone) through the real form.
async fn seed(client: &Client, people: &[(&str, &str, &str)]) {
    for (name, email, phone) in people {
        let fields = with(with(with(valid_fields(), "name", name), "email", email), "phone", phone);
        assert_eq!(submit(client, &fields, false).await.status(), Status::SeeOther, "{name}");
    }
}

async fn page(client: &Client, path: &str) -> String {
    let res = client.get(path.to_string()).dispatch().await;
    assert_eq!(res.status(), Status::Ok, "{path}");
    res.into_string().await.unwrap()
}

on_both_databases! {
async fn the_list_is_newest_first_25_a_page_with_counts_and_filters(backend: Backend) {
    let (client, _db) = app_on(backend, &[]).await;
    let people: Vec<(String, String)> =
        (1..=30).map(|i| (format!("Person {i:02}"), format!("p{i}@example.com"))).collect();
    let refs: Vec<(&str, &str, &str)> =
        people.iter().map(|(n, e)| (n.as_str(), e.as_str(), "+14158586273")).collect();
    seed(&client, &refs).await;
    sign_in(&client).await;

    let first = page(&client, "/admin").await;
    assert!(first.find("Person 30").unwrap() < first.find("Person 29").unwrap(), "newest first");
    assert!(first.contains("Person 06") && !first.contains("Person 05"), "25 on the first page");
    assert!(first.contains("Page 1 of 2"));
    let second = page(&client, "/admin?page=2").await;
    assert!(second.contains("Person 05") && second.contains("Person 01") && !second.contains("Person 06"));

    for id in [1, 2, 3] {
        assert_eq!(
            admin_post(&client, &format!("/admin/submissions/{id}/status"), &[("status", "spam")])
                .await
                .status(),
            Status::SeeOther
        );
    }
    let spam = page(&client, "/admin?status=spam").await;
    assert!(spam.contains("Person 01") && spam.contains("Person 03") && !spam.contains("Person 04"));
    let all = page(&client, "/admin").await;
    assert!(all.contains("badge-spam\">spam</span> <span class=\"count\">3</span>"), "counts per status");
    assert!(all.contains("badge-new\">new</span> <span class=\"count\">27</span>"));
    assert!(page(&client, "/admin?page=99").await.contains("Nothing on this page"));
    assert_eq!(
        client.get("/admin?page=abc&status=bogus").dispatch().await.status(),
        Status::Ok,
        "lenient"
    );
}
}

on_both_databases! {
async fn search_finds_exact_emails_and_name_or_phone_substrings(backend: Backend) {
    let (client, db) = app_on(backend, &[]).await;
    seed(
        &client,
        &[
            ("Ada Lovelace", "ada@example.com", "+14158586273"),
            ("Grace Hopper", "Grace.Hopper@Navy.example", "+442079460958"),
            ("Alan Turing", "alan@example.org", "+14155550132"),
        ],
    )
    .await;
    sign_in(&client).await;
    let find =
        |q: &str| format!("/admin?q={}", form_urlencoded::byte_serialize(q.as_bytes()).collect::<String>());
    let hits = page(&client, &find("grace.hopper@navy.example")).await;
    assert!(hits.contains("Grace Hopper") && !hits.contains("Ada Lovelace"), "exact email, any case");
    let none = page(&client, &find("hopper@navy.example")).await;
    assert!(!none.contains("Grace Hopper"), "emails match exactly, not by substring");
    let hits = page(&client, &find("lovel")).await;
    assert!(hits.contains("Ada Lovelace") && !hits.contains("Alan Turing"), "name substring");
    let hits = page(&client, &find("a")).await;
    assert!(hits.contains("Ada Lovelace") && hits.contains("Grace Hopper") && hits.contains("Alan Turing"));
    let hits = page(&client, &find("7946 0958")).await;
    assert!(hits.contains("Grace Hopper") && !hits.contains("Ada Lovelace"), "phone digits");
    let hits = page(&client, &find("turing")).await;
    assert!(hits.contains("Alan Turing"));

    let lengths = db.column("SELECT length(email_index) FROM submission_email_keys").await;
    assert_eq!(lengths, ["16", "16", "16"], "16 bytes of a keyed HMAC, never the address");
}
}

/// A database as migration 0004 left it (the email index 64 hex digits of the whole HMAC, in
/// the submissions table) must still find its rows by email once 0005 and 0006 have moved the
/// keys, 16 bytes each, into their own table.
#[rocket::async_test]
async fn emails_indexed_before_the_16_byte_keys_are_still_found() {
    use contact_client::crypto::{derive_key, keyed_hash, Vault};
    use sqlx::Executor;

    let dir = tempfile::tempdir().unwrap();
    let db =
        sqlx::SqlitePool::connect(&format!("sqlite://{}?mode=rwc", dir.path().join("contact.db").display()))
            .await
            .unwrap();
    db.execute(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,
             applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))",
    )
    .await
    .unwrap();
    let before_0005 = [
        (1, "0001_submissions.sql", include_str!("../../migrations/sqlite/0001_submissions.sql")),
        (2, "0002_admin.sql", include_str!("../../migrations/sqlite/0002_admin.sql")),
        (3, "0003_status_counts.sql", include_str!("../../migrations/sqlite/0003_status_counts.sql")),
        (
            4,
            "0004_count_inserts_per_batch.sql",
            include_str!("../../migrations/sqlite/0004_count_inserts_per_batch.sql"),
        ),
    ];
    for (version, name, sql) in before_0005 {
        db.execute(sql).await.unwrap();
        sqlx::query("INSERT INTO schema_migrations (version, name) VALUES (?, ?)")
            .bind(version)
            .bind(name)
            .execute(&db)
            .await
            .unwrap();
    }
    let vault = Vault::new(&contact_client::keys::FernetKeys::parse(FERNET_KEY).unwrap());
    let key = derive_key(&contact_client::keys::SecretKey::parse(SECRET_KEY).unwrap(), "email-index");
    let as_0004_wrote_it: String =
        keyed_hash(&key, b"ada@example.com").iter().map(|b| format!("{b:02x}")).collect();
    sqlx::query(
        "INSERT INTO submissions (created_at, name, email, email_index, phone, preferred_time, message)
         VALUES ('2026-11-20T10:00:00Z', ?, ?, ?, ?, '2026-12-01T09:30', ?)",
    )
    .bind(vault.encrypt("Ada Lovelace"))
    .bind(vault.encrypt("ada@example.com"))
    .bind(&as_0004_wrote_it)
    .bind(vault.encrypt("+14158586273"))
    .bind(vault.encrypt("About the engine"))
    .execute(&db)
    .await
    .unwrap();
    db.close().await;

    let client =
        Client::tracked(rocket::custom(figment(&dir, &[])).attach(contact_client::fairing())).await.unwrap();
    sign_in(&client).await;
    assert!(page(&client, "/admin?q=Ada%40Example.com").await.contains("Ada Lovelace"));
    assert!(!page(&client, "/admin?q=ada%40example.org").await.contains("Ada Lovelace"));
    let db = pool(dir.path()).await;
    let (kind, len): (String, i64) =
        sqlx::query_as("SELECT typeof(email_index), length(email_index) FROM submission_email_keys")
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!((kind.as_str(), len), ("blob", 16));
    let columns: Vec<String> =
        sqlx::query_scalar("SELECT name FROM pragma_table_info('submissions')").fetch_all(&db).await.unwrap();
    assert!(!columns.iter().any(|c| c == "email_index"), "{columns:?}");
}

on_both_databases! {
async fn detail_notes_status_and_delete(backend: Backend) {
    let (client, db) = app_on(backend, &[]).await;
    seed(&client, &[("Ada Lovelace", "ada@example.com", "+14158586273")]).await;
    sign_in(&client).await;
    let detail = page(&client, "/admin/submissions/1").await;
    for shown in
        ["Ada Lovelace", "ada@example.com", "+14158586273", "Please call me about the engine.", "not checked"]
    {
        assert!(detail.contains(shown), "{shown}");
    }
    assert_eq!(client.get("/admin/submissions/999").dispatch().await.status(), Status::NotFound);

    const NOTE: &str = "Called back, left a voicemail about the analytical engine";
    let res = admin_post(&client, "/admin/submissions/1/notes", &[("body", NOTE)]).await;
    assert_eq!(res.status(), Status::SeeOther);
    assert_eq!(location(&res), Some("/admin/submissions/1"));
    assert!(page(&client, "/admin/submissions/1").await.contains(NOTE));
    let empty = admin_post(&client, "/admin/submissions/1/notes", &[("body", "  ")]).await;
    assert_eq!(empty.status(), Status::UnprocessableEntity);
    assert!(empty.into_string().await.unwrap().contains("id=\"body-error\""));
    let too_long =
        admin_post(&client, "/admin/submissions/1/notes", &[("body", &"x".repeat(5001))]).await;
    assert_eq!(too_long.status(), Status::UnprocessableEntity);
    assert_eq!(
        admin_post(&client, "/admin/submissions/9/notes", &[("body", "x")]).await.status(),
        Status::NotFound
    );

    let res = admin_post(&client, "/admin/submissions/1/status", &[("status", "contacted")]).await;
    assert_eq!(res.status(), Status::SeeOther);
    assert!(page(&client, "/admin/submissions/1").await.contains("badge-contacted"));
    let bad = admin_post(&client, "/admin/submissions/1/status", &[("status", "archived")]).await;
    assert_eq!(bad.status(), Status::UnprocessableEntity);

    // Notes are sealed at rest.
    let body = db.column("SELECT body FROM notes").await.remove(0);
    assert!(body.starts_with("gAAAAA") && !body.contains("voicemail"));
    if let Some(file) = db.sqlite_file() {
        let mut files = std::fs::read(&file).unwrap();
        files.extend(std::fs::read(file.with_extension("db-wal")).unwrap_or_default());
        assert!(!files.windows(9).any(|w| w == b"voicemail"), "no note plaintext on disk");
    }

    let res = admin_post(&client, "/admin/submissions/1/delete", &[]).await;
    assert_eq!(res.status(), Status::SeeOther);
    assert_eq!(location(&res), Some("/admin"));
    assert_eq!(client.get("/admin/submissions/1").dispatch().await.status(), Status::NotFound);
    let left = (
        db.number("SELECT count(*) FROM submissions").await,
        db.number("SELECT count(*) FROM notes").await,
        db.number("SELECT count(*) FROM submission_email_keys").await,
    );
    assert_eq!(left, (0, 0, 0), "the submission, its notes and its email key are gone");
    assert_eq!(admin_post(&client, "/admin/submissions/1/delete", &[]).await.status(), Status::NotFound);
}
}

#[rocket::async_test]
async fn xss_payloads_are_rendered_escaped_everywhere() {
    let app = app().await;
    const XSS: &str = "<script>alert(1)</script>";
    let fields = with(
        with(valid_fields(), "name", &format!("Eve {XSS}")),
        "message",
        &format!("{XSS}\"><img src=x onerror=alert(2)>"),
    );
    assert_eq!(submit(&app.client, &fields, false).await.status(), Status::SeeOther);
    sign_in(&app.client).await;
    admin_post(&app.client, "/admin/submissions/1/notes", &[("body", XSS)]).await;
    for path in ["/admin", "/admin/submissions/1", "/admin?q=eve"] {
        let html = page(&app.client, path).await;
        assert!(!html.contains("<script>alert"), "{path}");
        assert!(!html.contains("<img src=x"), "{path}");
        assert!(html.contains("&lt;script&gt;"), "{path} shows it as text");
    }
}

on_both_databases! {
async fn csv_export_is_decrypted_with_formulas_neutralised(backend: Backend) {
    let (client, _db) = app_on(backend, &[]).await;
    seed(&client, &[("=HYPERLINK(\"http://evil\",\"x\")", "ada@example.com", "+14158586273")]).await;
    let fields =
        with(with(valid_fields(), "name", "Bob, \"the\" Builder"), "message", "@SUM(1+1)\nsecond line");
    assert_eq!(submit(&client, &fields, false).await.status(), Status::SeeOther);
    sign_in(&client).await;
    let res = client.get("/admin/export.csv").dispatch().await;
    assert_eq!(res.status(), Status::Ok);
    assert_eq!(res.content_type().map(|c| c.to_string()), Some("text/csv; charset=utf-8".into()));
    assert!(res.headers().get_one("Content-Disposition").unwrap().contains("attachment"));
    let csv = res.into_string().await.unwrap();
    let mut lines = csv.split("\r\n");
    assert_eq!(lines.next(), Some("id,created_at,name,email,phone,preferred_time,message,status,time_zone"));
    let first = lines.next().unwrap();
    assert!(first.starts_with("1,"));
    assert!(first.contains("\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\""), "{first}");
    assert!(first.contains(",+14158586273,"), "a phone number stays a number: {first}");
    assert!(csv.contains("\"Bob, \"\"the\"\" Builder\""));
    assert!(csv.contains("\"'@SUM(1+1)\nsecond line\""), "{csv}");
    assert!(csv.contains(",new,UTC\r\n"));
}
}

on_both_databases! {
async fn the_audit_log_records_who_did_what_but_no_personal_data(backend: Backend) {
    let (client, db) = app_on(backend, &[("proxy_ip_header", "X-Real-IP")]).await;
    seed(&client, &[("Ada Lovelace", "ada@example.com", "+14158586273")]).await;
    assert_eq!(try_sign_in(&client, "000000", None).await.status(), Status::Unauthorized);
    sign_in(&client).await;
    client.get("/admin/submissions/1").header(Header::new("X-Real-IP", "203.0.113.9")).dispatch().await;
    admin_post(&client, "/admin/submissions/1/notes", &[("body", "private note text")]).await;
    admin_post(&client, "/admin/submissions/1/status", &[("status", "closed")]).await;
    client.get("/admin/export.csv").dispatch().await;
    admin_post(&client, "/admin/submissions/1/delete", &[]).await;

    let actions = db.column("SELECT action FROM audit ORDER BY id").await;
    assert_eq!(actions, ["sign_in_failed", "sign_in", "view", "note", "status", "export", "delete"]);
    let view = db.column("SELECT ip || ' ' || CAST(submission_id AS TEXT) FROM audit WHERE action = 'view'").await;
    assert_eq!(view, ["203.0.113.9 1"], "from which address, on which submission");
    let dump = db.column("SELECT at || action || ip || coalesce(CAST(submission_id AS TEXT), '') FROM audit").await;
    for text in ["Ada", "ada@example.com", "4158586273", "private note"] {
        assert!(!dump.iter().any(|d| d.contains(text)), "{text} in the audit log");
    }
    let html = page(&client, "/admin/audit").await;
    assert!(html.contains("sign in failed") && html.contains("203.0.113.9") && html.contains("#1"));
}
}

/// A code that is wrong at `unix_secs`, whatever step of drift is allowed.
fn wrong_code(unix_secs: u64) -> String {
    let right: Vec<String> =
        [unix_secs - 30, unix_secs, unix_secs + 30].iter().map(|t| totp_code(TOTP_SECRET, *t)).collect();
    (0..).map(|n| format!("{n:06}")).find(|c| !right.contains(c)).unwrap()
}

/// A sign-in from `ip` (the proxy header the test instance trusts).
async fn sign_in_from<'c>(
    client: &'c Client,
    ip: &str,
    code: &str,
) -> rocket::local::asynchronous::LocalResponse<'c> {
    let from = || Header::new("X-Real-IP", ip.to_string());
    let page = client.get("/admin/login").header(from()).dispatch().await.into_string().await.unwrap();
    let fields = [("csrf_token", input_value(&page, "csrf_token").unwrap()), ("code", code.to_string())];
    client
        .post("/admin/login")
        .header(ContentType::Form)
        .header(from())
        .body(encode(&fields))
        .dispatch()
        .await
}

#[rocket::async_test]
async fn cross_site_posts_do_not_count_against_the_sign_in_limit() {
    let app = app().await;
    for _ in 0..10 {
        let res = app
            .client
            .post("/admin/login")
            .header(ContentType::Form)
            .header(Header::new("Origin", "https://attacker.example"))
            .body("code=123456")
            .dispatch()
            .await;
        assert_eq!(res.status(), Status::Forbidden);
    }
    let no_token =
        app.client.post("/admin/login").header(ContentType::Form).body("code=123456").dispatch().await;
    assert_eq!(no_token.status(), Status::Forbidden);
    sign_in(&app.client).await;
}

on_both_databases! {
async fn wrong_codes_from_a_thousand_addresses_are_throttled_per_account(backend: Backend) {
    let (client, db, clock) = clocked_app_on(backend, &[("proxy_ip_header", "X-Real-IP")]).await;
    let start = clock.now_ms();
    let (mut failures, mut refused, mut n) = (0, 0, 0u32);
    // A botnet tries as fast as the account lets it, each try from a new address.
    while failures < 100 {
        n += 1;
        let ip = format!("10.{}.{}.{}", n >> 16, (n >> 8) & 0xff, n & 0xff);
        let res = sign_in_from(&client, &ip, &wrong_code(clock.now_ms() / 1000)).await;
        match res.status() {
            Status::Unauthorized => failures += 1,
            Status::TooManyRequests => {
                refused += 1;
                let wait: u64 = res.headers().get_one("Retry-After").unwrap().parse().unwrap();
                assert!((1..=30).contains(&wait), "a pause of {wait} s");
                clock.advance(Duration::from_secs(wait));
            }
            other => panic!("attempt {n}: {other}"),
        }
    }
    let elapsed = (clock.now_ms() - start) / 1000;
    assert!(refused > 50 && elapsed > 1800 && elapsed < 3600, "{refused} refused in {elapsed} s");

    // The hour's 100 failures are spent: even the right code from a fresh address waits for
    // the hour to end, or for an unlock.
    let now = clock.now_ms() / 1000;
    let locked = sign_in_from(&client, "192.0.2.1", &totp_code(TOTP_SECRET, now)).await;
    assert_eq!(locked.status(), Status::TooManyRequests);
    let wait: u64 = locked.headers().get_one("Retry-After").unwrap().parse().unwrap();
    assert!(wait > 30 && wait <= 3600 - elapsed, "locked for the rest of the hour: {wait} s");
    let fig = figment_on(&db, &[("proxy_ip_header", "X-Real-IP")]);
    let config = contact_client::Config::from_figment(&fig).unwrap();
    let maintenance = contact_client::appliance::Maintenance::open(&config).await.unwrap();
    assert_eq!(maintenance.unlock_sign_in().await.unwrap(), 1);
    maintenance.close().await;
    let res = sign_in_from(&client, "192.0.2.2", &totp_code(TOTP_SECRET, now)).await;
    assert_eq!(res.status(), Status::SeeOther, "unlocked from the command line");
}
}

#[rocket::async_test]
async fn bidi_controls_in_names_are_shown_isolated() {
    let app = app().await;
    let name = "Ada \u{202E}ecalevol";
    let res = submit(&app.client, &with(valid_fields(), "name", name), false).await;
    assert_eq!(res.status(), Status::SeeOther);
    sign_in(&app.client).await;
    let list = app.client.get("/admin").dispatch().await.into_string().await.unwrap();
    assert!(list.contains(&format!("<bdi>{name}</bdi>")), "the list isolates the name");
    let detail = app.client.get("/admin/submissions/1").dispatch().await.into_string().await.unwrap();
    assert!(detail.contains(&format!("<h1><bdi>{name}</bdi></h1>")), "the detail isolates it too");
}
