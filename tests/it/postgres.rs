//! The PostgreSQL the tests start for themselves (Debian's `postgresql`, as Redis and NGINX):
//! a cluster of its own in a temporary directory, on a free port, gone after the test; and
//! `copy-db`, which moves an instance's SQLite data into it.

use crate::helpers::databases::{sealed, Backend, TestDatabase};
use crate::helpers::tools::PostgresServer;
use crate::helpers::*;
use contact_client::config::Database;
use contact_client::crypto::Vault;
use contact_client::store::{NewNotifications, SealedSubmission};
use rocket::futures::future::join_all;
use rocket::http::Status;
use rocket::local::asynchronous::Client;

#[test]
fn a_throwaway_postgres_starts_answers_and_is_gone_after() {
    let Some(server) = PostgresServer::start() else { return };
    assert_eq!(server.psql("postgres", "CREATE DATABASE contact").as_deref(), Ok(""));
    let answer = server
        .psql("contact", "CREATE TABLE t (n int); INSERT INTO t VALUES (41), (1); SELECT sum(n) FROM t");
    assert_eq!(answer.as_deref(), Ok("42"));
    assert!(server.url("contact").starts_with("postgres://contact@127.0.0.1:"));
    let (data, port) = (server.data_dir(), server.port);
    assert!(data.join("PG_VERSION").is_file());
    drop(server);
    assert!(!data.exists(), "the cluster's directory is removed");
    assert!(std::net::TcpStream::connect(("127.0.0.1", port)).is_err(), "the server is stopped");
}

/// What an instance on SQLite holds, moved by the binary into an empty PostgreSQL: 10,000
/// submissions (real Fernet tokens) with notes, statuses, notifications, a session and the
/// audit log. Every table's count matches, every token is the same text, the key opens them
/// there, ids go on after the copied ones, and a second copy into the same database is refused.
#[rocket::async_test]
async fn copy_db_moves_10000_submissions_into_postgresql_as_they_are() {
    const ROWS: usize = 10_000;
    let Some(server) = PostgresServer::shared() else { return };
    let dir = tempfile::tempdir().unwrap();
    let client =
        Client::tracked(rocket::custom(figment(&dir, &[])).attach(contact_client::fairing())).await.unwrap();
    let fields = with(valid_fields(), "name", "Ada Lovelace");
    assert_eq!(submit(&client, &fields, false).await.status(), Status::SeeOther);
    sign_in(&client).await;
    admin_post(&client, "/admin/submissions/1/notes", &[("body", "called back")]).await;
    admin_post(&client, "/admin/submissions/1/status", &[("status", "contacted")]).await;
    drop(client);

    let sqlite = TestDatabase { database: Database::Sqlite(dir.path().join("contact.db")), dir };
    let store = sqlite.store().await;
    let vault = Vault::new(&contact_client::keys::FernetKeys::parse(FERNET_KEY).unwrap());
    for start in (1..ROWS).step_by(500) {
        let rows = (start..(start + 500).min(ROWS)).map(|n| {
            let notify = NewNotifications { email: n % 3 == 0, webhook: false, confirmation: false, now: 1 };
            SealedSubmission { name: vault.encrypt(&format!("Person {n}")), notify, ..sealed(n) }
        });
        for stored in join_all(rows.map(|row| store.insert_submission(row))).await {
            stored.unwrap();
        }
    }
    for id in (2..200).step_by(7) {
        assert!(store.set_status(id, "spam").await.unwrap());
    }
    store.close().await;

    let url = server.fresh_database();
    let copy = |url: &str| sqlite.command().args(["copy-db", "--to", url]).output().unwrap();
    let out = copy(&url);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}{stdout}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("submissions") && stdout.contains("10000 rows"), "{stdout}");
    assert!(stdout.contains("every table's count matches"), "{stdout}");
    assert!(!stdout.contains("contact@"), "the URL's user and password are not printed: {stdout}");

    let postgres =
        TestDatabase { database: Database::parse(&url).unwrap(), dir: tempfile::tempdir().unwrap() };
    let audited = "SELECT action || ' ' || CAST(count AS TEXT) FROM audit ORDER BY id DESC LIMIT 1";
    assert_eq!(sqlite.column(audited).await, ["copy_db 10000"], "the copy is in the source's audit log");
    assert_eq!(
        postgres.number("SELECT count(*) FROM audit").await,
        sqlite.number("SELECT count(*) FROM audit").await - 1,
        "the audit log as it was before its last line"
    );
    for table in ["submissions", "submission_email_keys", "notes", "notifications", "admin_sessions"] {
        let sql = format!("SELECT count(*) FROM {table}");
        let here = sqlite.number(&sql).await;
        assert!(here > 0, "{table} has rows to copy");
        assert_eq!(postgres.number(&sql).await, here, "{table}");
    }
    assert_eq!(postgres.number("SELECT count(*) FROM submissions").await, ROWS as i64);
    let tokens = "SELECT name || email || phone || message || status FROM submissions ORDER BY id";
    assert_eq!(postgres.column(tokens).await, sqlite.column(tokens).await, "ciphertexts as they were");
    let first = postgres.column("SELECT name FROM submissions WHERE id = 1").await.remove(0);
    assert_eq!(vault.decrypt(&first).unwrap(), "Ada Lovelace");
    let counts = "SELECT status || '=' || CAST(n AS TEXT) FROM status_counts ORDER BY status";
    assert_eq!(postgres.column(counts).await, sqlite.column(counts).await);

    let on_postgres =
        Client::tracked(rocket::custom(figment_on(&postgres, &[])).attach(contact_client::fairing()))
            .await
            .unwrap();
    assert_eq!(submit(&on_postgres, &valid_fields(), false).await.status(), Status::SeeOther);
    assert_eq!(postgres.number("SELECT max(id) FROM submissions").await, ROWS as i64 + 1, "ids go on");

    let again = copy(&url);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("not empty"), "{again:?}");
}

/// `contact-client check` with `DATABASE_URL=url`, in a data directory of its own.
fn check_on(url: &str) -> std::process::Output {
    let db = TestDatabase { database: Database::parse(url).unwrap(), dir: tempfile::tempdir().unwrap() };
    db.command().arg("check").output().unwrap()
}

/// `contact-client check` on PostgreSQL: the database answers and the URL is shown without
/// its user and password.
#[test]
fn check_names_the_database_but_never_its_password() {
    let Some(server) = PostgresServer::shared() else { return };
    let url = server.fresh_database().replace("//contact@", "//contact:pw-never-shown@");
    let out = check_on(&url);
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{stdout}{stderr}");
    let shown =
        format!("database: postgres://127.0.0.1:{}/{} ok", server.port, url.rsplit('/').next().unwrap());
    assert!(stdout.contains(&shown), "{stdout}");
    assert!(!format!("{stdout}{stderr}").contains("pw-never-shown"));
}

/// A PostgreSQL that does not answer stops the start (here `check`) at once, with the reason
/// and without the URL's password.
#[test]
fn an_unreachable_postgres_is_one_clear_line() {
    let out = check_on("postgres://contact:pw-never-shown@127.0.0.1:1/contact");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("Connection refused") && !stderr.contains("pw-never-shown"), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
}

/// Both migration sets build the same tables with the same columns: what one database keeps,
/// the other does too, and `copy-db` (which names every column of SQLite's schema) misses
/// nothing on the way.
#[rocket::async_test]
async fn both_databases_have_the_same_tables_and_columns() {
    let (Some(sqlite), Some(postgres)) = (Backend::Sqlite.fresh(), Backend::Postgres.fresh()) else { return };
    sqlite.store().await.close().await;
    postgres.store().await.close().await;
    let mut on_sqlite = sqlite
        .column(
            "SELECT t.name || '.' || c.name FROM sqlite_master t, pragma_table_info(t.name) c
             WHERE t.type = 'table' AND t.name NOT LIKE 'sqlite_%'",
        )
        .await;
    let mut on_postgres = postgres
        .column(
            "SELECT table_name || '.' || column_name FROM information_schema.columns
             WHERE table_schema = current_schema()",
        )
        .await;
    // Sorted here: the two databases may collate '_' and '.' differently.
    on_sqlite.sort();
    on_postgres.sort();
    assert!(on_sqlite.len() > 50, "{on_sqlite:?}");
    assert_eq!(on_postgres, on_sqlite);
}
