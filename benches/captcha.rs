//! How many CAPTCHA challenges one core draws per second: the image (every refresh and every
//! form a person sees) and the audio (on request).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn challenges(c: &mut Criterion) {
    let mut group = c.benchmark_group("captcha");
    group.throughput(Throughput::Elements(1));
    group.bench_function("image_png", |b| b.iter(|| contact_client::draw_png(std::hint::black_box("k7m2p"))));
    let voice = contact_client::Voice::load().expect("the letters' recordings");
    group.bench_function("audio_wav", |b| {
        b.iter(|| contact_client::draw_wav(&voice, std::hint::black_box("k7m2p")))
    });
    group.finish();
}

criterion_group!(benches, challenges);
criterion_main!(benches);
