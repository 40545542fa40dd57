//! The life of personal data: the retention purge (rows aged in the file while the server is
//! stopped, then a start), one person's export and erasure in the admin, and nothing of what
//! was deleted left in the database file or its WAL.

use std::time::{Duration, Instant};

use rocket::http::{Header, Status};
use rocket::local::asynchronous::Client;
use sqlx::{self, Row};
use tempfile::TempDir;

use crate::helpers::tools::CORES;
use crate::helpers::*;

async fn pool(dir: &std::path::Path) -> sqlx::SqlitePool {
    sqlx::SqlitePool::connect(&format!("sqlite://{}", dir.join("contact.db").display())).await.unwrap()
}

/// An instance on an existing data directory (a restart).
async fn start_on(dir: &TempDir, extra: &[(&str, &str)]) -> Client {
    let rocket = rocket::custom(figment(dir, extra)).attach(contact_client::fairing());
    Client::tracked(rocket).await.expect("the instance starts")
}

async fn submit_as(client: &Client, name: &str, email: &str, message: &str) -> i64 {
    let fields = with(with(with(valid_fields(), "name", name), "email", email), "message", message);
    let res = submit(client, &fields, true).await;
    assert_eq!(res.status(), Status::SeeOther);
    let body: serde_json::Value = serde_json::from_str(&res.into_string().await.unwrap()).unwrap();
    body["id"].as_i64().expect("the new submission's id")
}

/// The sealed values stored for a submission (name, email, phone, message) and its notes.
async fn tokens_of(db: &sqlx::SqlitePool, id: i64) -> Vec<String> {
    let row = sqlx::query("SELECT name, email, phone, message FROM submissions WHERE id = ?")
        .bind(id)
        .fetch_one(db)
        .await
        .unwrap();
    let mut tokens: Vec<String> = (0..4).map(|i| row.get(i)).collect();
    tokens.extend(
        sqlx::query_scalar::<_, String>("SELECT body FROM notes WHERE submission_id = ?")
            .bind(id)
            .fetch_all(db)
            .await
            .unwrap(),
    );
    tokens
}

/// Which of `tokens` still appear, whole or as their middle 32 characters, in the database
/// file or its WAL.
fn left_on_disk(dir: &std::path::Path, tokens: &[String]) -> Vec<String> {
    let mut bytes = std::fs::read(dir.join("contact.db")).unwrap();
    bytes.extend(std::fs::read(dir.join("contact.db-wal")).unwrap_or_default());
    tokens
        .iter()
        .filter(|t| {
            let middle = &t.as_bytes()[t.len() / 2 - 16..t.len() / 2 + 16];
            bytes.windows(middle.len()).any(|w| w == middle)
        })
        .cloned()
        .collect()
}

async fn audit_rows(db: &sqlx::SqlitePool) -> Vec<(String, Option<i64>, Option<i64>)> {
    sqlx::query("SELECT action, submission_id, count FROM audit ORDER BY id")
        .fetch_all(db)
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect()
}

async fn status_counts(db: &sqlx::SqlitePool) -> Vec<(String, i64)> {
    sqlx::query("SELECT status, n FROM status_counts ORDER BY status")
        .fetch_all(db)
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
}

fn days_ago(days: i64) -> String {
    let t = time::OffsetDateTime::now_utc() - time::Duration::days(days);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        t.month() as u8,
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

#[rocket::async_test]
async fn retention_deletes_what_is_past_its_time_at_start_and_keeps_the_rest() {
    let policy = [("retention.days", "30"), ("retention.spam_days", "7")];
    let app = app_with(&policy).await;
    let old = submit_as(&app.client, "Old Timer", "old@example.com", "from long ago").await;
    let old_spam = submit_as(&app.client, "Spam Bot", "spam@example.com", "buy now").await;
    let young_spam = submit_as(&app.client, "New Bot", "newspam@example.com", "buy later").await;
    let recent = submit_as(&app.client, "Ada Lovelace", "ada@example.com", "about the engine").await;
    sign_in(&app.client).await;
    admin_post(&app.client, &format!("/admin/submissions/{old}/notes"), &[("body", "called twice")]).await;
    for id in [old_spam, young_spam] {
        let res =
            admin_post(&app.client, &format!("/admin/submissions/{id}/status"), &[("status", "spam")]).await;
        assert_eq!(res.status(), Status::SeeOther);
    }
    let TestApp { client, dir } = app;
    drop(client);

    let db = pool(dir.path()).await;
    let gone = [tokens_of(&db, old).await, tokens_of(&db, old_spam).await].concat();
    for (id, age) in [(old, 40), (old_spam, 10), (young_spam, 3), (recent, 20)] {
        sqlx::query("UPDATE submissions SET created_at = ? WHERE id = ?")
            .bind(days_ago(age))
            .bind(id)
            .execute(&db)
            .await
            .unwrap();
    }
    db.close().await;

    let client = start_on(&dir, &policy).await;
    let db = pool(dir.path()).await;
    let mut rows = Vec::new();
    for _ in 0..200 {
        rows = audit_rows(&db).await;
        if rows.iter().any(|(action, ..)| action == "retention_purge") {
            break;
        }
        rocket::tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        rows.contains(&("retention_purge".to_string(), None, Some(2))),
        "one retention_purge entry with the count: {rows:?}"
    );
    let left: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM submissions ORDER BY id").fetch_all(&db).await.unwrap();
    assert_eq!(left, vec![young_spam, recent], "the old and the old spam went, the rest stayed");
    for table in ["notes", "submission_email_keys", "notifications"] {
        let orphans: i64 = sqlx::query_scalar(&format!(
            "SELECT count(*) FROM {table} WHERE submission_id NOT IN (SELECT id FROM submissions)"
        ))
        .fetch_one(&db)
        .await
        .unwrap();
        assert_eq!(orphans, 0, "{table} keeps nothing of a purged submission");
    }
    assert_eq!(
        status_counts(&db).await,
        vec![("closed".into(), 0), ("contacted".into(), 0), ("new".into(), 1), ("spam".into(), 1)],
        "the status counts follow"
    );
    assert_eq!(
        left_on_disk(dir.path(), &gone),
        Vec::<String>::new(),
        "the purged ciphertexts are gone from disk"
    );

    // The code of this step was spent by the first start; the next one is accepted too.
    let code = totp_code(TOTP_SECRET, unix_now() + 30);
    assert_eq!(try_sign_in(&client, &code, None).await.status(), Status::SeeOther);
    let page = client.get("/admin").dispatch().await.into_string().await.unwrap();
    assert!(page.contains("every submission 30 days"), "the dashboard shows the policy");
    assert!(page.contains("spam 7 days"));
}

#[rocket::async_test]
async fn a_purge_of_50000_rows_does_not_hold_up_submissions() {
    let app = app_with(&[("retention.days", "30")]).await;
    let sample = submit_as(&app.client, "Ada Lovelace", "ada@example.com", "the first").await;
    let TestApp { client, dir } = app;
    drop(client);
    let db = pool(dir.path()).await;
    // Real tokens, so that the start's check that FERNET_KEY opens the stored data passes.
    let sealed = tokens_of(&db, sample).await;
    let long_ago = days_ago(90);
    let mut tx = db.begin().await.unwrap();
    for i in 0..50_000 {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO submissions (created_at, name, email, phone, preferred_time, message)
             VALUES (?1, ?2, ?3, ?4, '2020-01-01T10:00', ?5)
             RETURNING id",
        )
        .bind(&long_ago)
        .bind(&sealed[0])
        .bind(&sealed[1])
        .bind(&sealed[2])
        .bind(&sealed[3])
        .fetch_one(&mut *tx)
        .await
        .unwrap();
        sqlx::query("INSERT INTO submission_email_keys (submission_id, email_index) VALUES (?, ?)")
            .bind(id)
            .bind((i as u128).to_be_bytes().to_vec())
            .execute(&mut *tx)
            .await
            .unwrap();
    }
    sqlx::query("UPDATE status_counts SET n = n + 50000 WHERE status = 'new'")
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let _cores = CORES.lock().await;
    let client = start_on(&dir, &[("retention.days", "30")]).await;
    let (mut during, mut slowest) = (0, Duration::ZERO);
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let remaining: i64 = sqlx::query_scalar("SELECT count(*) FROM submissions WHERE created_at <= ?")
            .bind(&long_ago)
            .fetch_one(&db)
            .await
            .unwrap();
        let started = Instant::now();
        let res = submit(&client, &valid_fields(), true).await;
        let took = started.elapsed();
        assert_eq!(res.status(), Status::SeeOther, "no submission fails during the purge");
        if remaining == 0 {
            break;
        }
        during += 1;
        slowest = slowest.max(took);
        assert!(Instant::now() < deadline, "the purge ends");
    }
    println!("{during} submissions during the purge, the slowest took {slowest:?}");
    assert!(during >= 5, "submissions ran beside the purge ({during})");
    assert!(slowest < Duration::from_millis(100), "none waited 100 ms ({slowest:?})");
    let new: i64 =
        sqlx::query_scalar("SELECT n FROM status_counts WHERE status = 'new'").fetch_one(&db).await.unwrap();
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM submissions").fetch_one(&db).await.unwrap();
    let kept = i64::from(during) + 2;
    assert_eq!((new, stored), (kept, kept), "counts exact, every new submission kept");
}

#[rocket::async_test]
async fn one_persons_data_is_found_downloaded_and_erased_in_the_admin() {
    let app = app().await;
    let first = submit_as(&app.client, "Ada Lovelace", "ada@example.com", "about the engine").await;
    let second = submit_as(&app.client, "Ada L.", "Ada@Example.COM", "once more").await;
    let other = submit_as(&app.client, "Grace Hopper", "grace@example.org", "compilers").await;
    sign_in(&app.client).await;
    admin_post(&app.client, &format!("/admin/submissions/{first}/notes"), &[("body", "called on Tuesday")])
        .await;
    let db = pool(app.dir.path()).await;
    let ada_tokens = [tokens_of(&db, first).await, tokens_of(&db, second).await].concat();

    let page = app.client.get("/admin/people?email=ADA%40example.com").dispatch().await;
    assert_eq!(page.status(), Status::Ok);
    let html = page.into_string().await.unwrap();
    assert!(html.contains("2 submissions from this address"), "{html}");
    assert!(html.contains("Ada L.") && !html.contains("Grace"));
    assert!(html.contains("Erase all of it"), "erasing starts with a confirmation step");
    assert!(!html.contains("/admin/people/erase"), "no erase form before the confirmation");
    let confirm = app.client.get("/admin/people?email=ada%40example.com&confirm=erase").dispatch().await;
    assert!(confirm.into_string().await.unwrap().contains("Erase 2 submissions for good?"));

    let export = app.client.get("/admin/people/export.json?email=ada%40EXAMPLE.com").dispatch().await;
    assert_eq!(export.status(), Status::Ok);
    assert_eq!(export.content_type(), Some(rocket::http::ContentType::JSON));
    assert!(export.headers().get_one("Content-Disposition").unwrap().starts_with("attachment"));
    let json: serde_json::Value = serde_json::from_str(&export.into_string().await.unwrap()).unwrap();
    let items = json["submissions"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!((items[0]["id"].as_i64(), items[0]["name"].as_str()), (Some(first), Some("Ada Lovelace")));
    assert_eq!(items[0]["message"], "about the engine");
    assert_eq!(items[0]["notes"][0]["body"], "called on Tuesday");
    assert_eq!(items[1]["email"], "Ada@Example.COM");

    let missing = app
        .client
        .get("/admin/people/export.json")
        .header(Header::new("Accept", "application/json"))
        .dispatch()
        .await;
    assert_eq!(missing.status(), Status::UnprocessableEntity);
    assert!(missing.into_string().await.unwrap().contains("\"email\""), "the error names the field");
    let bad = app.client.get("/admin/people?email=not-an-address").dispatch().await;
    assert_eq!(bad.status(), Status::UnprocessableEntity);
    assert!(bad.into_string().await.unwrap().contains("email-error"));
    let nobody = app.client.get("/admin/people?email=nobody%40example.com").dispatch().await;
    assert!(nobody.into_string().await.unwrap().contains("Nothing is stored from this address."));

    let erased = admin_post(&app.client, "/admin/people/erase", &[("email", "ADA@example.com")]).await;
    assert_eq!(erased.status(), Status::Ok);
    assert!(erased.into_string().await.unwrap().contains("Erased 2 submissions of this address"));
    for id in [first, second] {
        let res = app.client.get(format!("/admin/submissions/{id}")).dispatch().await;
        assert_eq!(res.status(), Status::NotFound);
    }
    let kept = app.client.get(format!("/admin/submissions/{other}")).dispatch().await;
    assert_eq!(kept.status(), Status::Ok, "another person's data is untouched");
    assert!(kept.into_string().await.unwrap().contains("compilers"));
    assert_eq!(left_on_disk(app.dir.path(), &ada_tokens), Vec::<String>::new(), "nothing of hers on disk");
    let no_form = app.client.post("/admin/people/erase").dispatch().await;
    assert_ne!(no_form.status(), Status::Ok, "an erase without its CSRF token does nothing");

    let rows = audit_rows(&db).await;
    for (action, count) in [("person_view", 2), ("person_export", 2), ("person_erase", 2)] {
        assert!(
            rows.contains(&(action.to_string(), None, Some(count))),
            "{action} audited with {count}: {rows:?}"
        );
    }
    let audit_text: Vec<String> =
        sqlx::query_scalar("SELECT action || ip FROM audit").fetch_all(&db).await.unwrap();
    assert!(!audit_text.concat().to_lowercase().contains("ada"), "the audit never holds the address");
    let audit_page = app.client.get("/admin/audit").dispatch().await.into_string().await.unwrap();
    assert!(audit_page.contains("person erase"));
}
