//! Encrypted at rest: after submissions, the SQLite file and its WAL hold no plaintext of the
//! personal fields, and every row decrypts with the configured key.

use crate::helpers::databases::sealed;
use crate::helpers::*;
use crate::on_both_databases;
use contact_client::config::Database;
use contact_client::crypto::{BlindIndex, Vault};
use contact_client::store::{Filter, SealedSubmission, Store};
use rocket::http::Status;
use sqlx::{self, Row};

const NAME: &str = "Zebulon Quixotic-Plaintext";
const EMAIL: &str = "zebulon.plaintext@example.org";
const PHONE_E164: &str = "+14158586273";
const MESSAGE: &str = "Secret-ish message body that must stay encrypted";

fn database_bytes(dir: &std::path::Path) -> Vec<u8> {
    let mut all = Vec::new();
    for suffix in ["", "-wal", "-journal", "-shm"] {
        if let Ok(bytes) = std::fs::read(dir.join(format!("contact.db{suffix}"))) {
            all.extend(bytes);
        }
    }
    all
}

/// The form filled in with the personal values the tests look for.
fn zebulon() -> Vec<(&'static str, String)> {
    vec![
        ("name", NAME.to_string()),
        ("email", EMAIL.to_string()),
        ("phone", "+1 (415) 858-6273".to_string()),
        ("preferred_time", in_days(3)),
        ("message", MESSAGE.to_string()),
    ]
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[rocket::async_test]
async fn personal_fields_are_only_fernet_tokens_on_disk() {
    let app = app().await;
    let fields = zebulon();
    for _ in 0..3 {
        assert_eq!(submit(&app.client, &fields, false).await.status(), Status::SeeOther);
    }

    let bytes = database_bytes(app.dir.path());
    assert!(bytes.len() > 4096, "the database files were read");
    assert!(contains(&bytes, "gAAAAA"), "Fernet tokens are there");
    for plain in [NAME, "Zebulon", EMAIL, "zebulon.plaintext", PHONE_E164, "4158586273", MESSAGE, "encrypted"]
    {
        assert!(!contains(&bytes, plain), "{plain:?} is in the database files in clear");
    }

    // Every row decrypts with the configured key; what is in clear is not personal.
    let pool =
        sqlx::SqlitePool::connect(&format!("sqlite://{}", app.dir.path().join("contact.db").display()))
            .await
            .unwrap();
    let rows = sqlx::query("SELECT * FROM submissions ORDER BY id").fetch_all(&pool).await.unwrap();
    assert_eq!(rows.len(), 3);
    let vault = Vault::new(&contact_client::keys::FernetKeys::parse(FERNET_KEY).unwrap());
    for row in rows {
        assert_eq!(vault.decrypt(row.get("name")).unwrap(), NAME);
        assert_eq!(vault.decrypt(row.get("email")).unwrap(), EMAIL);
        assert_eq!(vault.decrypt(row.get("phone")).unwrap(), PHONE_E164, "stored normalised to E.164");
        assert_eq!(vault.decrypt(row.get("message")).unwrap(), MESSAGE);
        assert_eq!(row.get::<String, _>("status"), "new");
        assert_eq!(row.get::<String, _>("phone_verdict"), "not_checked");
        assert_eq!(row.get::<String, _>("preferred_time"), fields[3].1);
        assert!(row.get::<String, _>("created_at").ends_with('Z'));
    }
    let journal: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(&pool).await.unwrap();
    assert_eq!(journal, "wal");
}

on_both_databases! {
/// Whatever the database, what it holds of a person is Fernet tokens that open with the key.
async fn stored_personal_fields_are_tokens_that_open_with_the_key(backend: Backend) {
    let (client, db) = app_on(backend, &[]).await;
    let fields = zebulon();
    for _ in 0..2 {
        assert_eq!(submit(&client, &fields, false).await.status(), Status::SeeOther);
    }
    let vault = Vault::new(&contact_client::keys::FernetKeys::parse(FERNET_KEY).unwrap());
    for (column, plain) in [("name", NAME), ("email", EMAIL), ("phone", PHONE_E164), ("message", MESSAGE)] {
        let stored = db.column(&format!("SELECT {column} FROM submissions ORDER BY id")).await;
        assert_eq!(stored.len(), 2);
        for token in stored {
            assert!(token.starts_with("gAAAAA") && !token.contains(plain), "{column} is a token");
            assert_eq!(vault.decrypt(&token).unwrap(), plain);
        }
    }
    assert_eq!(db.column("SELECT status FROM submissions").await, ["new", "new"]);
}
}

#[rocket::async_test]
async fn refused_submissions_store_nothing() {
    let app = app().await;
    assert_eq!(
        submit(&app.client, &with(valid_fields(), "email", "bad"), false).await.status(),
        Status::UnprocessableEntity
    );
    let pool =
        sqlx::SqlitePool::connect(&format!("sqlite://{}", app.dir.path().join("contact.db").display()))
            .await
            .unwrap();
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM submissions").fetch_one(&pool).await.unwrap();
    assert_eq!(count, 0);
}

#[rocket::async_test]
async fn migrations_apply_once_and_survive_a_restart() {
    let app = app().await;
    assert_eq!(submit(&app.client, &valid_fields(), false).await.status(), Status::SeeOther);
    let dir = app.dir;
    drop(app.client);
    let again = rocket::local::asynchronous::Client::tracked(
        rocket::custom(figment(&dir, &[])).attach(contact_client::fairing()),
    )
    .await
    .unwrap();
    assert_eq!(again.get("/healthz").dispatch().await.status(), Status::Ok);
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", dir.path().join("contact.db").display()))
        .await
        .unwrap();
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM submissions").fetch_one(&pool).await.unwrap();
    assert_eq!(count, 1, "the restart kept the row");
    let versions: i64 =
        sqlx::query_scalar("SELECT count(*) FROM schema_migrations").fetch_one(&pool).await.unwrap();
    assert!(versions >= 1);
}

#[rocket::async_test]
async fn healthz_is_503_when_the_database_is_gone() {
    let app = app().await;
    assert_eq!(app.client.get("/healthz").dispatch().await.status(), Status::Ok);
    // Open connections would go on writing to the unlinked file, losing every row.
    std::fs::remove_file(app.dir.path().join("contact.db")).unwrap();
    let res = app.client.get("/healthz").dispatch().await;
    assert_eq!(res.status(), Status::ServiceUnavailable);
    let body: serde_json::Value = serde_json::from_str(&res.into_string().await.unwrap()).unwrap();
    assert_eq!(body["status"], "error");
}

on_both_databases! {
/// The dashboard's counts come from `status_counts`: inserts in concurrent batches (the writer
/// adds each batch), status changes and deletions (triggers) keep it equal to a real count.
async fn status_counts_match_the_rows_through_batches_changes_and_deletes(backend: Backend) {
    let db = backend.fresh().unwrap();
    let store = db.store().await;
    let ids: Vec<i64> =
        rocket::futures::future::join_all((0..40).map(|n| store.insert_submission(sealed(n))))
            .await
            .into_iter()
            .map(Result::unwrap)
            .collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 40, "every row got its own id");
    for id in &ids[..5] {
        assert!(store.set_status(*id, "spam").await.unwrap());
    }
    assert!(store.set_status(ids[5], "contacted").await.unwrap());
    assert!(store.set_status(ids[5], "contacted").await.unwrap(), "same status again: counted once");
    assert!(store.delete(ids[0]).await.unwrap());
    assert!(store.delete(ids[6]).await.unwrap());

    let mut kept = store.status_counts().await.unwrap();
    kept.sort();
    assert_eq!(kept, vec![("contacted".into(), 1), ("new".into(), 33), ("spam".into(), 4)]);
    let counted = db.column("SELECT status || '=' || count(*) FROM submissions GROUP BY status ORDER BY status").await;
    assert_eq!(counted, ["contacted=1", "new=33", "spam=4"]);
}
}

on_both_databases! {
/// An email search's total is counted when a page is full or past the end, and otherwise
/// follows from the page itself: every way must give the same number.
async fn an_email_search_pages_and_counts_every_match(backend: Backend) {
    let db = backend.fresh().unwrap();
    let store = db.store().await;
    let index = BlindIndex::new([7; 32]);
    let ada = index.of("ada@example.com");
    for n in 0..35 {
        let row = if n % 7 == 6 { sealed(n) } else { SealedSubmission { email_index: ada, ..sealed(n) } };
        let id = store.insert_submission(row).await.unwrap();
        if n < 3 {
            assert!(store.set_status(id, "spam").await.unwrap());
        }
    }
    let found = |status, email_index, offset| {
        let store = store.clone();
        async move {
            let (rows, total) = store.list(&Filter { status, email_index }, 25, offset, None).await.unwrap();
            (rows.len(), total)
        }
    };
    assert_eq!(found(None, Some(ada), 0).await, (25, 30), "a full first page: counted");
    assert_eq!(found(None, Some(ada), 25).await, (5, 30), "the last page ends the matches");
    assert_eq!(found(None, Some(ada), 50).await, (0, 30), "past the end: counted");
    assert_eq!(found(Some("spam"), Some(ada), 0).await, (3, 3));
    assert_eq!(found(None, Some(index.of("person-6@example.com")), 0).await, (1, 1));
    assert_eq!(found(None, Some(index.of("nobody@example.com")), 0).await, (0, 0));
}
}

/// Checkpoints run beside the commits, which alone never empty the WAL: the writer's own
/// checkpoint must still let it start afresh. 2,000 commits write about 10,000 WAL pages
/// (40 MB); the WAL may hold 4,000 of them (16 MB) and a little more.
#[rocket::async_test]
async fn the_wal_stays_bounded_while_commits_keep_coming() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("wal.db");
    let store = Store::open(&Database::Sqlite(path.clone())).await.unwrap();
    for n in 0..2000 {
        store.insert_submission(sealed(n)).await.unwrap();
    }
    let wal = std::fs::metadata(dir.path().join("wal.db-wal")).unwrap().len();
    assert!(wal < 20 << 20, "WAL of {wal} bytes");
    let db = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display())).await.unwrap();
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM submissions").fetch_one(&db).await.unwrap();
    assert_eq!(rows, 2000);
    let check: String = sqlx::query_scalar("PRAGMA integrity_check").fetch_one(&db).await.unwrap();
    assert_eq!(check, "ok");
}

on_both_databases! {
/// A visitor who hangs up while the commit is pending drops the request: the commit it was
/// to lead still happens, and the next submission is not left waiting for a turn.
async fn a_request_dropped_while_its_commit_is_pending_stalls_nobody(backend: Backend) {
    let db = backend.fresh().unwrap();
    let store = db.store().await;
    let mut first = Box::pin(store.insert_submission(sealed(1)));
    let _ = rocket::futures::FutureExt::now_or_never(first.as_mut());
    drop(first);
    let second =
        rocket::tokio::time::timeout(std::time::Duration::from_secs(5), store.insert_submission(sealed(2)));
    assert_eq!(second.await.expect("the second commit ran").unwrap(), 2, "the dropped one was stored first");
}
}

#[rocket::async_test]
async fn data_files_are_readable_by_their_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("fresh/data");
    let rocket = rocket::custom(figment(&dir, &[("data_dir", data.to_str().unwrap())]))
        .attach(contact_client::fairing());
    let client = rocket::local::asynchronous::Client::tracked(rocket).await.unwrap();
    assert_eq!(submit(&client, &valid_fields(), false).await.status(), Status::SeeOther);
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&data), 0o700);
    for file in ["contact.db", "contact.db-wal", "contact.db-shm"] {
        assert_eq!(mode(&data.join(file)), 0o600, "{file}");
    }
    let config =
        contact_client::Config::from_figment(&figment(&dir, &[("data_dir", data.to_str().unwrap())]))
            .unwrap();
    let maintenance = contact_client::appliance::Maintenance::open(&config).await.unwrap();
    let backup = dir.path().join("backup.db");
    maintenance.backup(&backup).await.unwrap();
    maintenance.close().await;
    assert_eq!(mode(&backup), 0o600, "the backup");
    assert!(std::fs::metadata(&backup).unwrap().len() > 0);
}

#[rocket::async_test]
async fn a_damaged_database_file_is_noticed() {
    use std::io::{Seek, Write};
    let app = app().await;
    assert_eq!(submit(&app.client, &valid_fields(), false).await.status(), Status::SeeOther);
    let mut file = std::fs::OpenOptions::new().write(true).open(app.dir.path().join("contact.db")).unwrap();
    file.seek(std::io::SeekFrom::Start(0)).unwrap();
    file.write_all(&[0x5a; 4096]).unwrap();
    file.sync_all().unwrap();
    for n in 0..5 {
        let res = submit(&app.client, &valid_fields(), true).await;
        assert!(res.status().code >= 500, "submission {n} after the damage: {}", res.status());
    }
    assert_eq!(app.client.get("/healthz").dispatch().await.status(), Status::ServiceUnavailable);
}

on_both_databases! {
/// Instances sharing a database purge one at a time: the lease is one holder's until it is
/// given back or runs out.
async fn the_retention_lease_is_held_by_one_instance_at_a_time(backend: Backend) {
    let db = backend.fresh().unwrap();
    let store = db.store().await;
    assert!(store.take_lease("retention", "a", 1_000, 1_600).await.unwrap());
    assert!(!store.take_lease("retention", "b", 1_010, 1_610).await.unwrap(), "b waits while a holds it");
    assert!(store.take_lease("retention", "a", 1_020, 1_620).await.unwrap(), "a may renew");
    assert!(store.take_lease("retention", "b", 1_620, 2_220).await.unwrap(), "a's ran out: b takes it");
    store.release_lease("retention", "a").await.unwrap();
    assert!(!store.take_lease("retention", "a", 1_700, 2_300).await.unwrap(), "a can't give back b's lease");
    store.release_lease("retention", "b").await.unwrap();
    assert!(store.take_lease("retention", "a", 1_700, 2_300).await.unwrap(), "given back: free at once");
}
}

on_both_databases! {
/// What the retention purge finds past its time: every submission created before one instant,
/// the spam before another, each alone or both, oldest first; then erased with what hangs on
/// them.
async fn expired_submissions_are_found_by_age_and_by_spam_then_erased(backend: Backend) {
    use contact_client::store::Expiry;
    let db = backend.fresh().unwrap();
    let store = db.store().await;
    let mut ids = Vec::new();
    for (n, created_at) in ["2026-01-01T00:00:00Z", "2026-06-01T00:00:00Z", "2026-11-01T00:00:00Z"].iter().enumerate() {
        ids.push(store.insert_submission(SealedSubmission { created_at: created_at.to_string(), ..sealed(n) }).await.unwrap());
    }
    assert!(store.set_status(ids[1], "spam").await.unwrap());
    assert!(store.add_note(ids[1], "2026-06-02T00:00:00Z", "note-token").await.unwrap());
    let expired = |all_before, spam_before| {
        let store = store.clone();
        async move { store.expired_ids(Expiry { all_before, spam_before }, 100).await.unwrap() }
    };
    assert_eq!(expired(Some("2026-03-01T00:00:00Z"), None).await, [ids[0]]);
    assert_eq!(expired(None, Some("2026-07-01T00:00:00Z")).await, [ids[1]]);
    assert_eq!(expired(Some("2026-03-01T00:00:00Z"), Some("2026-07-01T00:00:00Z")).await, [ids[0], ids[1]]);
    assert_eq!(expired(None, None).await, Vec::<i64>::new());
    assert_eq!(store.erase(&[ids[0], ids[1]]).await.unwrap(), 2);
    assert_eq!(db.number("SELECT count(*) FROM notes").await, 0, "the note went with its submission");
    assert_eq!(db.number("SELECT count(*) FROM submission_email_keys").await, 1);
    assert_eq!(store.status_counts().await.unwrap(), [("new".to_string(), 1)]);
}
}
