//! The work every submission and every admin page does, one core: sealing and opening a
//! submission with the vault, parsing a form into domain values, the email blind index.

use contact_client::crypto::{BlindIndex, Vault};
use contact_client::domain::{ContactInput, ParseRules};
use contact_client::secret::Secret;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;

const KEY: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

fn vault(c: &mut Criterion) {
    let vault = Vault::from_keys(&Secret::new(KEY)).unwrap();
    let fields =
        ["Ada Lovelace", "ada@example.com", "+14158586273", "Please call me about the analytical engine."];
    let mut group = c.benchmark_group("vault");
    group.throughput(Throughput::Elements(1));
    group.bench_function("seal_submission_4_fields", |b| {
        b.iter(|| fields.map(|f| vault.encrypt(black_box(f))));
    });
    let tokens = fields.map(|f| vault.encrypt(f));
    group.bench_function("open_submission_4_fields", |b| {
        b.iter(|| tokens.each_ref().map(|t| vault.decrypt(black_box(t)).unwrap()));
    });
    group.finish();
}

fn parsing(c: &mut Criterion) {
    let now = time::OffsetDateTime::now_utc();
    let when = (now + time::Duration::days(3))
        .format(&time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]"))
        .unwrap();
    let input = ContactInput {
        name: "Ada Lovelace",
        email: "ada@example.com",
        phone: "+1 415 858 6273",
        preferred_time: &when,
        message: "Please call me about the analytical engine.",
    };
    let rules = ParseRules { now, phone_default_region: None };
    let mut group = c.benchmark_group("form");
    group.throughput(Throughput::Elements(1));
    group.bench_function("parse_into_domain_types", |b| b.iter(|| black_box(&input).parse(&rules).unwrap()));
    group.finish();
}

fn blind_index(c: &mut Criterion) {
    let index = BlindIndex::new([7; 32]);
    let mut group = c.benchmark_group("blind_index");
    group.throughput(Throughput::Elements(1));
    group.bench_function("email_lookup_key", |b| b.iter(|| index.of(black_box("ada@example.com"))));
    group.finish();
}

criterion_group!(benches, vault, parsing, blind_index);
criterion_main!(benches);
