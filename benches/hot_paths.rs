//! The work every submission and every admin page does, one core: sealing and opening a
//! submission with the vault, parsing a form into domain values, the email blind index.

use contact_client::crypto::{BlindIndex, Vault};
use contact_client::domain::{ContactInput, ParseRules, Phone, TimeZone};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;

const KEY: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

fn vault(c: &mut Criterion) {
    let vault = Vault::new(&contact_client::keys::FernetKeys::parse(KEY).unwrap());
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
        time_zone: "Europe/Berlin",
        message: "Please call me about the analytical engine.",
    };
    let utc = TimeZone::parse("UTC").expect("UTC is a zone");
    let rules = ParseRules { now, phone_default_region: None, default_zone: &utc };
    let mut group = c.benchmark_group("form");
    group.throughput(Throughput::Elements(1));
    group.bench_function("parse_into_domain_types", |b| b.iter(|| black_box(&input).parse(&rules).unwrap()));
    // A flood from many countries: each country's rules are different regexes.
    let mut numbers = WORLD_NUMBERS.iter().cycle();
    group.bench_function("phone_of_30_countries_in_turn", |b| {
        b.iter(|| Phone::parse(black_box(numbers.next().unwrap()), None).unwrap())
    });
    group.finish();
}

const WORLD_NUMBERS: [&str; 30] = [
    "+1 415 858 6273",
    "+44 20 7946 0958",
    "+49 30 901820",
    "+33 1 42 68 53 00",
    "+81 3-3224-9999",
    "+86 10 6552 9988",
    "+91 11 2301 2345",
    "+61 2 9374 4000",
    "+55 11 3113-4000",
    "+7 495 123-45-67",
    "+34 912 34 56 78",
    "+39 06 6988 3333",
    "+31 20 624 1111",
    "+46 8 123 456 78",
    "+47 22 24 90 90",
    "+48 22 123 45 67",
    "+90 212 123 45 67",
    "+27 21 123 4567",
    "+52 55 1234 5678",
    "+54 11 4123-4567",
    "+82 2-312-3456",
    "+65 6123 4567",
    "+62 21 1234567",
    "+63 2 8123 4567",
    "+64 21 123 4567",
    "+20 2 21234567",
    "+234 803 123 4567",
    "+254 20 1234567",
    "+972 2-123-4567",
    "+971 50 123 4567",
];

fn blind_index(c: &mut Criterion) {
    let index = BlindIndex::new([7; 32]);
    let mut group = c.benchmark_group("blind_index");
    group.throughput(Throughput::Elements(1));
    group.bench_function("email_lookup_key", |b| b.iter(|| index.of(black_box("ada@example.com"))));
    group.finish();
}

criterion_group!(benches, vault, parsing, blind_index);
criterion_main!(benches);
