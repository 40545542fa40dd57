//! How many CAPTCHA challenges one core draws per second: the image (every refresh and every
//! form a person sees) and the audio (on request). Then the proof of work: what issuing and
//! checking one costs the server, and what a bot pays to solve one at each difficulty step
//! (one core, native code, the salt's hash state reused: the best a bot does without a GPU).

use std::hint::black_box;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use sha2::{Digest, Sha256};

fn challenges(c: &mut Criterion) {
    let mut group = c.benchmark_group("captcha");
    group.throughput(Throughput::Elements(1));
    group.bench_function("image_png", |b| b.iter(|| contact_client::draw_png(black_box("k7m2p"))));
    let voice = contact_client::Voice::load().expect("the letters' recordings");
    group.bench_function("audio_wav", |b| b.iter(|| contact_client::draw_wav(&voice, black_box("k7m2p"))));
    group.finish();
}

/// Far in the future: nothing expires while the benchmark runs.
const EXPIRES: u64 = 4_000_000_000;
const NOW: u64 = 1_800_000_000;

/// The number whose hash is `challenge`, searched from 0 as ALTCHA's solvers do.
fn solve(salt: &str, challenge: &[u8; 32], maxnumber: u64) -> Option<u64> {
    let salted = Sha256::new_with_prefix(salt.as_bytes());
    let mut digits = [0u8; 20];
    (0..=maxnumber).find(|number| {
        let mut hash = salted.clone();
        hash.update(decimal(*number, &mut digits));
        hash.finalize().as_slice() == challenge
    })
}

fn decimal(mut number: u64, buffer: &mut [u8; 20]) -> &[u8] {
    let mut at = buffer.len();
    loop {
        at -= 1;
        buffer[at] = b'0' + (number % 10) as u8;
        number /= 10;
        if number == 0 {
            return &buffer[at..];
        }
    }
}

fn unhex(text: &str) -> [u8; 32] {
    std::array::from_fn(|i| u8::from_str_radix(&text[2 * i..2 * i + 2], 16).unwrap())
}

fn proof_of_work(c: &mut Criterion) {
    let pow = contact_client::Pow::new([7; 32]);
    let mut group = c.benchmark_group("pow");
    group.throughput(Throughput::Elements(1));
    group.bench_function("issue", |b| b.iter(|| pow.issue(black_box(100_000), EXPIRES)));
    let issued = pow.issue(100_000, EXPIRES);
    let number = solve(&issued.salt, &unhex(&issued.challenge), issued.maxnumber).unwrap();
    let payload = STANDARD.encode(
        serde_json::json!({"algorithm": issued.algorithm, "challenge": issued.challenge,
            "number": number, "salt": issued.salt, "signature": issued.signature})
        .to_string(),
    );
    group.bench_function("check", |b| b.iter(|| pow.check(black_box(&payload), NOW).is_ok()));
    group.bench_function("hash", |b| {
        b.iter(|| contact_client::solution_hash(black_box(&issued.salt), black_box(number)))
    });
    group.finish();

    // A whole search costs maxnumber / 2 hashes on average; each step of the adaptive
    // difficulty is four times the one before (the default base, then three pressure tiers).
    let mut group = c.benchmark_group("pow_solve");
    group.sample_size(10);
    for maxnumber in [100_000u64, 400_000, 1_600_000, 6_400_000] {
        // The secret number in the middle of the range: the average search.
        let salt = format!("{}?expires={EXPIRES}&", "5a".repeat(12));
        let challenge = contact_client::solution_hash(&salt, maxnumber / 2);
        group.bench_with_input(BenchmarkId::from_parameter(maxnumber), &maxnumber, |b, &maxnumber| {
            b.iter(|| solve(black_box(&salt), &challenge, maxnumber))
        });
    }
    group.finish();
}

criterion_group!(benches, challenges, proof_of_work);
criterion_main!(benches);
