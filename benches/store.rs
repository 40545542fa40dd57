//! Storing submissions: the group commit, one at a time and with a crowd
//! waiting (as under load, when a batch carries many rows). Rows are sealed beforehand: this
//! measures SQLite and the hand-off only. Their email keys are real HMACs, as a visitor's
//! would be. Then the dashboard's exact email search, which scans the stored keys.

use contact_client::config::Database;
use contact_client::crypto::BlindIndex;
use contact_client::domain::PhoneVerdict;
use contact_client::store::{Filter, NewNotifications, SealedSubmission, Store};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use rocket::futures::future::join_all;

fn row(n: usize, notify: NewNotifications) -> SealedSubmission {
    let token = |what: &str| format!("gAAAAAB{what}{n:0>200}");
    SealedSubmission {
        created_at: "2026-11-25T10:00:00Z".into(),
        name: token("name"),
        email: token("email"),
        email_index: email_key(n),
        phone: token("phone"),
        preferred_time: "2026-12-01T09:30".into(),
        time_zone: "UTC".into(),
        language: "en",
        message: token("message"),
        phone_verdict: PhoneVerdict::NotChecked,
        phone_country: None,
        phone_line_type: None,
        phone_carrier: None,
        notify,
    }
}

fn email_key(n: usize) -> contact_client::crypto::IndexKey {
    BlindIndex::new([7; 32]).of(&format!("person-{n}@example.com"))
}

fn inserts(c: &mut Criterion) {
    let runtime = rocket::tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = runtime.block_on(Store::open(&Database::Sqlite(dir.path().join("bench.db")))).unwrap();
    let mut group = c.benchmark_group("store");
    // With the owner's email and the webhook on, each row brings two notifications.
    let notifying = NewNotifications { email: true, webhook: true, confirmation: false, now: 1_790_000_000 };
    let mut n = 0;
    for (waiting, notify, name) in [
        (1, NewNotifications::default(), ""),
        (32, NewNotifications::default(), ""),
        (32, notifying, "_notifying"),
    ] {
        group.throughput(Throughput::Elements(waiting as u64));
        group.bench_function(format!("insert_{waiting}_at_once{name}"), |b| {
            b.iter_batched(
                || {
                    n += waiting;
                    (n..n + waiting).map(|n| row(n, notify)).collect::<Vec<_>>()
                },
                |rows| runtime.block_on(join_all(rows.into_iter().map(|r| store.insert_submission(r)))),
                BatchSize::SmallInput,
            )
        });
    }
    group.finish();
}

/// One page of results and their count, as `/admin?q=<email>` asks, among 10,000 submissions.
fn email_search(c: &mut Criterion) {
    const ROWS: usize = 10_000;
    let runtime = rocket::tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = runtime.block_on(Store::open(&Database::Sqlite(dir.path().join("bench.db")))).unwrap();
    for start in (0..ROWS).step_by(100) {
        for stored in runtime.block_on(join_all(
            (start..start + 100).map(|n| store.insert_submission(row(n, NewNotifications::default()))),
        )) {
            stored.unwrap();
        }
    }
    let filter = Filter { status: None, email_index: Some(email_key(ROWS / 2)) };
    c.bench_function("store/find_email_among_10000", |b| {
        b.iter(|| {
            let (rows, total) = runtime.block_on(store.list(&filter, 25, 0, None)).unwrap();
            assert_eq!((rows.len(), total), (1, 1));
        })
    });
}

/// One page of the admin's list (25 rows of 10,000, newest first, the count known) through
/// the store: sqlx, its pool and its worker thread.
fn list_page(c: &mut Criterion) {
    const ROWS: usize = 10_000;
    let runtime = rocket::tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bench.db");
    let store = runtime.block_on(Store::open(&Database::Sqlite(path.clone()))).unwrap();
    for start in (0..ROWS).step_by(100) {
        for stored in runtime.block_on(join_all(
            (start..start + 100).map(|n| store.insert_submission(row(n, NewNotifications::default()))),
        )) {
            stored.unwrap();
        }
    }
    c.bench_function("store/list_page_of_10000", |b| {
        b.iter(|| {
            let (rows, _) =
                runtime.block_on(store.list(&Filter::default(), 25, 100, Some(ROWS as i64))).unwrap();
            assert_eq!(rows.len(), 25);
        })
    });
    runtime.block_on(store.close());
}

criterion_group!(benches, inserts, email_search, list_page);
criterion_main!(benches);
