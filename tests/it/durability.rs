//! No acknowledged submission is lost when the server is killed: submissions run at full speed
//! from several clients, the server gets SIGKILL mid-run, and after a restart every submission
//! that got its 303 is in the database and decrypts, and the database passes integrity_check.
//!
//! Short here; `scripts/crash-test.sh` runs it longer against the release binary
//! (CRASH_TEST_SECONDS, CRASH_TEST_BINARY).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::helpers::server::{submit_over_http, Server};
use crate::helpers::*;
use sqlx::{self, Row};

/// One visitor's loop: submit over HTTP, remember (id, email) of every 303.
fn visitor(addr: String, n: usize, stop: Arc<AtomicBool>, acked: Arc<Mutex<Vec<(i64, String)>>>) {
    let mut i = 0;
    while !stop.load(Ordering::Relaxed) {
        i += 1;
        let email = format!("crash-{n}-{i}@example.com");
        if let Some(id) = submit_over_http(&addr, &email, "pass") {
            acked.lock().unwrap().push((id, email));
        }
    }
}

#[rocket::async_test]
async fn acknowledged_submissions_survive_kill_9() {
    let seconds: f64 = std::env::var("CRASH_TEST_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(1.5);
    let binary = std::env::var("CRASH_TEST_BINARY").ok();
    let dir = tempfile::tempdir().unwrap();
    let env = [
        ("APP_ENV", "development"),
        ("CAPTCHA_TEST_ANSWER", "pass"),
        ("RATELIMIT_ENABLED", "false"),
        ("FERNET_KEY", FERNET_KEY),
        ("SECRET_KEY", SECRET_KEY),
        ("TOTP_SECRET", TOTP_SECRET),
    ];
    let server = Server::start_binary(binary.as_deref(), dir.path(), &env);
    let stop = Arc::new(AtomicBool::new(false));
    let acked = Arc::new(Mutex::new(Vec::new()));
    let visitors: Vec<_> = (0..8)
        .map(|n| {
            let (addr, stop, acked) = (server.addr.clone(), stop.clone(), acked.clone());
            std::thread::spawn(move || visitor(addr, n, stop, acked))
        })
        .collect();
    std::thread::sleep(Duration::from_secs_f64(seconds));
    server.kill_hard();
    stop.store(true, Ordering::Relaxed);
    for v in visitors {
        v.join().unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(acked.len() > 20, "the load ran: {} acknowledged", acked.len());

    // Restart on the same data: the server recovers the WAL and serves again.
    let again = Server::start_binary(binary.as_deref(), dir.path(), &env);
    assert_eq!(http::get(&again.addr, "/healthz").unwrap().status, 200);
    let db = sqlx::SqlitePool::connect(&format!("sqlite://{}/data/contact.db", dir.path().display()))
        .await
        .unwrap();
    let check: String = sqlx::query_scalar("PRAGMA integrity_check").fetch_one(&db).await.unwrap();
    assert_eq!(check, "ok");
    let vault =
        contact_client::crypto::Vault::new(&contact_client::keys::FernetKeys::parse(FERNET_KEY).unwrap());
    for (id, email) in &acked {
        let row = sqlx::query("SELECT email FROM submissions WHERE id = ?")
            .bind(id)
            .fetch_optional(&db)
            .await
            .unwrap();
        let row = row.unwrap_or_else(|| panic!("acknowledged submission {id} is lost"));
        assert_eq!(&vault.decrypt(row.get(0)).unwrap(), email, "submission {id} decrypts to what was sent");
    }
    println!("{} acknowledged submissions, all present after kill -9", acked.len());
}
