//! The maintenance commands, run as the binary on a database filled through the real form:
//! export, rotate-key (then the old key removed still reads everything), backup, hash-password.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use crate::helpers::databases::{Backend, TestDatabase};
use crate::helpers::server::BIN;
use crate::helpers::*;
use crate::on_both_databases;
use rocket::http::Status;
use sqlx::{self, Row};

const NEW_KEY: &str = "ISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0-P0A=";

/// A database holding two submissions and a note, sealed with the test FERNET_KEY.
async fn filled(backend: Backend) -> TestDatabase {
    let (client, db) = app_on(backend, &[]).await;
    for (name, email) in [("Ada Lovelace", "Ada@Example.com"), ("Grace Hopper", "grace@example.org")] {
        let fields = with(with(valid_fields(), "name", name), "email", email);
        assert_eq!(submit(&client, &fields, false).await.status(), Status::SeeOther);
    }
    sign_in(&client).await;
    admin_post(&client, "/admin/submissions/1/notes", &[("body", "called back on Tuesday")]).await;
    db
}

fn run(db: &TestDatabase, fernet_key: &str, args: &[&str]) -> Output {
    run_with_secret(db, SECRET_KEY, fernet_key, args)
}

/// The binary on `db` (its data directory, and its database's settings).
fn run_with_secret(db: &TestDatabase, secret_key: &str, fernet_key: &str, args: &[&str]) -> Output {
    db.command().env("SECRET_KEY", secret_key).env("FERNET_KEY", fernet_key).args(args).output().unwrap()
}

fn stdout(out: &Output) -> String {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout.clone()).unwrap()
}

on_both_databases! {
async fn export_writes_decrypted_csv_and_json(backend: Backend) {
    let db = filled(backend).await;
    let csv = stdout(&run(&db, FERNET_KEY, &["export", "--format", "csv"]));
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("id,created_at,name,email,phone,preferred_time,message,status,time_zone"));
    assert!(csv.contains("Ada Lovelace,Ada@Example.com,+14158586273,"));
    assert!(csv.contains("Grace Hopper"));

    let out = db.dir.path().join("export.json");
    stdout(&run(&db, FERNET_KEY, &["export", "--format", "json", "--output", out.to_str().unwrap()]));
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(std::fs::metadata(&out).unwrap().permissions().mode() & 0o777, 0o600);
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 2);
    assert_eq!(json[1]["name"], "Grace Hopper");
    assert_eq!(json[0]["phone_verdict"], "not_checked");
    let again =
        run(&db, FERNET_KEY, &["export", "--format", "json", "--output", out.to_str().unwrap()]);
    assert!(!again.status.success(), "an existing file is not overwritten");
}
}

on_both_databases! {
async fn rotate_key_then_the_old_key_can_go(backend: Backend) {
    let db = filled(backend).await;
    let both = format!("{NEW_KEY},{FERNET_KEY}");
    let out = stdout(&run(&db, &both, &["rotate-key"]));
    assert!(out.contains("re-encrypted 9 values"), "{out}");
    stdout(&run(&db, &both, &["rotate-key"]));
    let csv = stdout(&run(&db, NEW_KEY, &["export"]));
    assert!(csv.contains("Ada Lovelace") && csv.contains("grace@example.org"), "{csv}");
    assert!(!csv.contains("cannot be decrypted"));

    let old =
        contact_client::crypto::Vault::new(&contact_client::keys::FernetKeys::parse(FERNET_KEY).unwrap());
    let new = contact_client::crypto::Vault::new(&contact_client::keys::FernetKeys::parse(NEW_KEY).unwrap());
    let note = db.column("SELECT body FROM notes").await.remove(0);
    assert!(old.decrypt(&note).is_err() && new.decrypt(&note).unwrap() == "called back on Tuesday");

    // The dashboard still finds an email exactly with only the new key configured.
    let rocket = rocket::custom(figment_on(&db, &[("fernet_key", NEW_KEY)])).attach(contact_client::fairing());
    let client = rocket::local::asynchronous::Client::tracked(rocket).await.unwrap();
    // This step's code was used by `filled`; the next step's is within the drift.
    let res = try_sign_in(&client, &totp_code(TOTP_SECRET, unix_now() + 30), None).await;
    assert_eq!(res.status(), Status::SeeOther);
    let hits = client.get("/admin?q=ada%40example.com").dispatch().await.into_string().await.unwrap();
    assert!(hits.contains("Ada Lovelace"));
    let note_page = client.get("/admin/submissions/1").dispatch().await.into_string().await.unwrap();
    assert!(note_page.contains("called back on Tuesday"));
}
}

on_both_databases! {
/// The email index is keyed from SECRET_KEY: after a new one, rotate-key recomputes every key
/// so that the dashboard, run with the new secret, still finds an address.
async fn rotate_key_rebuilds_the_email_index_under_a_new_secret_key(backend: Backend) {
    const NEW_SECRET: &str = "another-secret-key-0123456789abcdefghijklmnopqrstuvwxyz";
    let db = filled(backend).await;
    stdout(&run_with_secret(&db, NEW_SECRET, FERNET_KEY, &["rotate-key"]));

    let rocket =
        rocket::custom(figment_on(&db, &[("secret_key", NEW_SECRET)])).attach(contact_client::fairing());
    let client = rocket::local::asynchronous::Client::tracked(rocket).await.unwrap();
    let res = try_sign_in(&client, &totp_code(TOTP_SECRET, unix_now() + 30), None).await;
    assert_eq!(res.status(), Status::SeeOther);
    let hits = client.get("/admin?q=ada%40example.com").dispatch().await.into_string().await.unwrap();
    assert!(hits.contains("Ada Lovelace") && !hits.contains("Grace Hopper"));
}
}

on_both_databases! {
async fn rotate_key_refuses_when_a_value_cannot_be_read(backend: Backend) {
    let db = filled(backend).await;
    let out = run(&db, NEW_KEY, &["rotate-key"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing was changed"));
    let csv = stdout(&run(&db, FERNET_KEY, &["export"]));
    assert!(csv.contains("Ada Lovelace"), "the old key still reads everything");
}
}

#[rocket::async_test]
async fn backup_is_a_consistent_copy_that_decrypts() {
    let db = filled(Backend::Sqlite).await;
    let target = db.dir.path().join("backup.db");
    stdout(&run(&db, FERNET_KEY, &["backup", target.to_str().unwrap()]));
    let copy = sqlx::SqlitePool::connect(&format!("sqlite://{}", target.display())).await.unwrap();
    let check: String = sqlx::query_scalar("PRAGMA integrity_check").fetch_one(&copy).await.unwrap();
    assert_eq!(check, "ok");
    let rows = sqlx::query("SELECT name FROM submissions ORDER BY id").fetch_all(&copy).await.unwrap();
    let vault =
        contact_client::crypto::Vault::new(&contact_client::keys::FernetKeys::parse(FERNET_KEY).unwrap());
    let names: Vec<String> = rows.iter().map(|r| vault.decrypt(r.get(0)).unwrap()).collect();
    assert_eq!(names, ["Ada Lovelace", "Grace Hopper"]);
    let again = run(&db, FERNET_KEY, &["backup", target.to_str().unwrap()]);
    assert!(!again.status.success() && String::from_utf8_lossy(&again.stderr).contains("already exists"));
}

#[test]
fn maintenance_needs_existing_keys() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(BIN).current_dir(dir.path()).env_clear().args(["export"]).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing to decrypt with"));
}

#[test]
fn hash_password_reads_stdin_and_prints_an_argon2id_hash() {
    let mut child =
        Command::new(BIN).arg("hash-password").stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(b"correct horse battery staple\n").unwrap();
    let out = child.wait_with_output().unwrap();
    let hash = stdout(&out).trim().to_string();
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    use argon2::password_hash::{PasswordHash, PasswordVerifier};
    let parsed = PasswordHash::new(&hash).unwrap();
    assert!(argon2::Argon2::default().verify_password(b"correct horse battery staple", &parsed).is_ok());
    assert!(argon2::Argon2::default().verify_password(b"wrong", &parsed).is_err());
}

#[rocket::async_test]
async fn a_wrong_fernet_key_stops_the_start_and_check() {
    let db = filled(Backend::Sqlite).await;
    let checked = run(&db, NEW_KEY, &["check"]);
    assert!(!checked.status.success(), "check with a key that opens nothing");
    let said = String::from_utf8_lossy(&checked.stderr);
    assert!(said.contains("FERNET_KEY") && !said.contains(NEW_KEY), "{said}");
    assert_eq!(said.trim().lines().count(), 1, "one line: {said}");

    let served = db
        .command()
        .env("FERNET_KEY", NEW_KEY)
        .env("PORT", crate::helpers::http::free_port().to_string())
        .output()
        .unwrap();
    assert!(!served.status.success(), "the server does not start");
    assert!(String::from_utf8_lossy(&served.stderr).contains("FERNET_KEY"));

    // The new key in front of the old one is a rotation in progress: fine.
    stdout(&run(&db, &format!("{NEW_KEY},{FERNET_KEY}"), &["check"]));
}

#[test]
fn admin_unlock_clears_the_sign_in_throttle() {
    let db = Backend::Sqlite.fresh().unwrap();
    let out = stdout(&run(&db, FERNET_KEY, &["admin", "unlock"]));
    assert!(out.contains("sign-in unlocked (0 throttled accounts)"), "{out}");
}

on_both_databases! {
async fn person_export_and_erase_answer_a_request_from_the_command_line(backend: Backend) {
    let db = filled(backend).await;
    let d = &db;
    let out = d.dir.path().join("ada.json");
    let export = run(
        d,
        FERNET_KEY,
        &["person", "export", "--email", "ada@EXAMPLE.com", "--output", out.to_str().unwrap()],
    );
    stdout(&export);
    assert!(String::from_utf8_lossy(&export.stderr).contains("1 submission from this address"));
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(std::fs::metadata(&out).unwrap().permissions().mode() & 0o777, 0o600);
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(json["submissions"][0]["name"], "Ada Lovelace");
    assert_eq!(json["submissions"][0]["notes"][0]["body"], "called back on Tuesday");
    let again = run(
        d,
        FERNET_KEY,
        &["person", "export", "--email", "ada@example.com", "--output", out.to_str().unwrap()],
    );
    assert!(!again.status.success(), "an existing file is not overwritten");

    let unconfirmed = run(d, FERNET_KEY, &["person", "erase", "--email", "ada@example.com"]);
    assert_eq!(unconfirmed.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unconfirmed.stderr).contains("add --yes"));
    let bad = run(d, FERNET_KEY, &["person", "erase", "--email", "not an address", "--yes"]);
    assert!(!bad.status.success());
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("--email: "),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );
    let nobody = stdout(&run(d, FERNET_KEY, &["person", "erase", "--email", "nobody@example.com", "--yes"]));
    assert!(nobody.contains("erased 0 submissions"), "{nobody}");

    let erased = stdout(&run(d, FERNET_KEY, &["person", "erase", "--email", "ADA@example.COM", "--yes"]));
    assert!(erased.contains("erased 1 submission of this address"), "{erased}");
    let left = stdout(&run(d, FERNET_KEY, &["export", "--format", "csv"]));
    assert!(!left.contains("Ada") && left.contains("Grace Hopper"), "only the other person is left: {left}");
    let audited =
        db.column("SELECT action || ' ' || CAST(count AS TEXT) FROM audit WHERE action LIKE 'person_%' ORDER BY id").await;
    assert_eq!(audited, ["person_export 1", "person_erase 0", "person_erase 1"]);
}
}
