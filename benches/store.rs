//! Storing submissions: the group commit, one at a time and with a crowd
//! waiting (as under load, when a batch carries many rows). Rows are sealed beforehand: this
//! measures SQLite and the hand-off only. Their email index keys are real HMACs, so each row
//! lands on a random leaf of the index as a visitor's would.

use contact_client::crypto::BlindIndex;
use contact_client::store::{PhoneVerdict, SealedSubmission, Store};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use rocket::futures::future::join_all;

fn row(n: usize) -> SealedSubmission {
    let token = |what: &str| format!("gAAAAAB{what}{n:0>200}");
    SealedSubmission {
        created_at: "2026-11-25T10:00:00Z".into(),
        name: token("name"),
        email: token("email"),
        email_index: BlindIndex::new([7; 32]).of(&format!("person-{n}@example.com")),
        phone: token("phone"),
        preferred_time: "2026-12-01T09:30".into(),
        message: token("message"),
        phone_verdict: PhoneVerdict::NotChecked,
        phone_country: None,
        phone_line_type: None,
        phone_carrier: None,
    }
}

fn inserts(c: &mut Criterion) {
    let runtime = rocket::tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = runtime.block_on(Store::open(&dir.path().join("bench.db"))).unwrap();
    let mut group = c.benchmark_group("store");
    for waiting in [1, 32] {
        group.throughput(Throughput::Elements(waiting as u64));
        group.bench_function(format!("insert_{waiting}_at_once"), |b| {
            let mut n = 0;
            b.iter_batched(
                || {
                    n += waiting;
                    (n..n + waiting).map(row).collect::<Vec<_>>()
                },
                |rows| runtime.block_on(join_all(rows.into_iter().map(|r| store.insert_submission(r)))),
                BatchSize::SmallInput,
            )
        });
    }
    group.finish();
}

criterion_group!(benches, inserts);
criterion_main!(benches);
