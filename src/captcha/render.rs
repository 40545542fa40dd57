//! Drawing and speaking an answer. CPU work: called on the drawing threads only.
//!
//! The spoken answer is made anew for every play, so that no two renderings of a letter are
//! alike and no pause cuts the letters apart: each letter at its own speed and pitch (one
//! resampling), its own loudness and place in time, over a continuous bed of babble (other
//! letters, some reversed, quieter, at other speeds) and noise. A recording of a known answer
//! is then no template for a live one: a matcher that cut at silences and compared waveforms
//! solved every challenge of the plain concatenation and solves almost none of these
//! (`tests::a_template_matcher_solves_at_most_one_in_twenty`).

use std::collections::HashMap;
use std::io::Cursor;

use captcha::filters::{Dots, Noise, Wave};
use captcha::Captcha;
use rand::Rng;

/// Characters the font can't draw (only possible with a test answer) are left out.
fn captcha_of(answer: &str) -> Captcha {
    let mut captcha = Captcha::new();
    let supported = captcha.supported_chars();
    for c in answer.chars().filter(|c| supported.contains(c)) {
        captcha.set_chars(&[c]);
        captcha.add_char();
    }
    captcha
}

pub fn png(answer: &str) -> Option<Vec<u8>> {
    let mut captcha = captcha_of(answer);
    captcha
        .apply_filter(Noise::new(0.2))
        .apply_filter(Wave::new(2.0, 8.0))
        .view(240, 90)
        .apply_filter(Dots::new(8))
        .set_color([47, 91, 211]);
    captcha.as_png()
}

/// The recordings of every letter the captcha crate can speak, at its rate, trimmed of the
/// padding around the speech. Loaded once per instance, on the first audio request.
pub struct Voice {
    letters: HashMap<char, Vec<i16>>,
}

/// The crate's recordings' rate, and ours (speech needs no more than 8 kHz of bandwidth).
const SOURCE_RATE: f32 = 22_050.0;
pub const RATE: u32 = 16_000;

impl Voice {
    pub fn load() -> Option<Voice> {
        let symbols: Vec<char> = Captcha::new().supported_chars();
        let text: String = symbols.iter().collect();
        let clips = captcha_of(&text).as_wav();
        let mut letters = HashMap::new();
        for (symbol, clip) in symbols.into_iter().zip(clips) {
            let Some(clip) = clip else { continue };
            let samples: Vec<i16> = hound::WavReader::new(Cursor::new(clip))
                .ok()?
                .into_samples()
                .collect::<Result<_, _>>()
                .ok()?;
            letters.insert(symbol, trim(&samples));
        }
        (!letters.is_empty()).then_some(Voice { letters })
    }

    fn letter(&self, c: char) -> Option<&[i16]> {
        self.letters.get(&c).map(Vec::as_slice)
    }
}

/// The speech in a recording: from the first to the last 10 ms frame louder than the crate's
/// own noise floor (uniform ±3000, an RMS of ~1,700).
fn trim(samples: &[i16]) -> Vec<i16> {
    const FRAME: usize = 220;
    let loud = |frame: &[i16]| {
        let energy: f64 = frame.iter().map(|s| f64::from(*s).powi(2)).sum::<f64>() / frame.len() as f64;
        energy.sqrt() > 2_600.0
    };
    let frames: Vec<&[i16]> = samples.chunks(FRAME).collect();
    let first = frames.iter().position(|f| loud(f)).unwrap_or(0);
    let last = frames.iter().rposition(|f| loud(f)).map_or(frames.len(), |l| l + 1);
    samples[(first * FRAME).min(samples.len())..(last * FRAME).min(samples.len())].to_vec()
}

/// `clip` at our rate, `speed` times faster (and higher), by linear interpolation.
fn resample(clip: &[i16], speed: f32) -> Vec<f32> {
    let step = SOURCE_RATE / RATE as f32 * speed;
    let len = (clip.len() as f32 / step) as usize;
    (0..len)
        .map(|i| {
            let at = i as f32 * step;
            let j = at as usize;
            let frac = at - j as f32;
            let a = f32::from(clip[j]);
            let b = f32::from(*clip.get(j + 1).unwrap_or(&clip[j]));
            (a + (b - a) * frac) / 32_768.0
        })
        .collect()
}

fn mix(into: &mut Vec<f32>, at: usize, sound: &[f32], gain: f32) {
    if into.len() < at + sound.len() {
        into.resize(at + sound.len(), 0.0);
    }
    for (out, s) in into[at..].iter_mut().zip(sound) {
        *out += s * gain;
    }
}

fn seconds(s: f32) -> usize {
    (s * RATE as f32) as usize
}

/// An answer spoken: the letters' track, the murmur under it, and where each letter stands.
struct Speech {
    letters: Vec<f32>,
    murmur: Vec<f32>,
    /// Kept for the tests, which check the answer is all there and audible.
    #[cfg(test)]
    placed: Vec<(char, std::ops::Range<usize>)>,
}

/// Each letter of `answer` at its own speed, loudness and place, over babble and noise.
fn speak(voice: &Voice, answer: &str, rng: &mut impl Rng) -> Speech {
    let mut letters: Vec<f32> = Vec::new();
    #[cfg(test)]
    let mut placed = Vec::new();
    let mut at = seconds(rng.gen_range(0.3..0.9));
    for c in answer.chars() {
        let Some(clip) = voice.letter(c) else { continue };
        let spoken = resample(clip, rng.gen_range(0.84..1.2));
        mix(&mut letters, at, &spoken, rng.gen_range(0.85..1.0));
        #[cfg(test)]
        placed.push((c, at..at + spoken.len()));
        at += spoken.len() + seconds(rng.gen_range(0.15..0.6));
    }
    let total = at + seconds(rng.gen_range(0.2..0.7));
    letters.resize(total, 0.0);

    let others: Vec<&[i16]> = voice.letters.values().map(Vec::as_slice).collect();
    let mut murmur = vec![0.0; total];
    let mut place = 0;
    while place < total {
        let mut other = resample(others[rng.gen_range(0..others.len())], rng.gen_range(0.7..1.35));
        if rng.gen_bool(0.5) {
            other.reverse();
        }
        let end = (place + other.len()).min(total);
        mix(&mut murmur, place, &other[..end - place], rng.gen_range(0.1..0.18));
        place += seconds(rng.gen_range(0.12..0.35));
    }
    for s in murmur.iter_mut() {
        *s += rng.gen_range(-0.02..0.02);
    }
    Speech {
        letters,
        murmur,
        #[cfg(test)]
        placed,
    }
}

/// The answer spoken over babble, as one 16-bit mono WAV at [`RATE`].
pub fn wav(voice: &Voice, answer: &str) -> Option<Vec<u8>> {
    let speech = speak(voice, answer, &mut rand::thread_rng());
    let out: Vec<f32> = speech.letters.iter().zip(&speech.murmur).map(|(l, m)| l + m).collect();
    let peak = out.iter().fold(0.0f32, |m, s| m.max(s.abs())).max(1e-3);
    let scale = 0.9 / peak * 32_767.0;
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: RATE,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut bytes = Cursor::new(Vec::with_capacity(out.len() * 2 + 44));
    let mut writer = hound::WavWriter::new(&mut bytes, spec).ok()?;
    for s in out {
        writer.write_sample((s * scale) as i16).ok()?;
    }
    writer.finalize().ok()?;
    Some(bytes.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_a_png_and_speaks_every_letter_with_no_silence() {
        let image = png("ab3de").unwrap();
        assert!(image.starts_with(b"\x89PNG"));
        let voice = Voice::load().unwrap();
        let audio = wav(&voice, "hk7m2").unwrap();
        let reader = hound::WavReader::new(Cursor::new(audio)).unwrap();
        let seconds = reader.duration() as f64 / f64::from(reader.spec().sample_rate);
        assert!((3.0..12.0).contains(&seconds), "five letters and their gaps: {seconds} s");
        let samples: Vec<i16> = reader.into_samples().map(Result::unwrap).collect();
        let quietest = samples
            .chunks(RATE as usize / 20)
            .map(|f| (f.iter().map(|s| f64::from(*s).powi(2)).sum::<f64>() / f.len() as f64).sqrt())
            .fold(f64::MAX, f64::min);
        assert!(quietest > 300.0, "no 50 ms stretch is silent: {quietest}");
    }

    /// The attack that solved the plain audio: reference recordings of every letter, then each
    /// live recording cut into letters (at silences where there are any, else by loudness) and
    /// each piece matched to the reference of the nearest length, correlation breaking ties.
    struct Attacker {
        references: Vec<(char, Vec<f64>)>,
    }

    fn samples(wav: &[u8]) -> Vec<f64> {
        hound::WavReader::new(Cursor::new(wav))
            .unwrap()
            .into_samples::<i16>()
            .map(|s| f64::from(s.unwrap()))
            .collect()
    }

    /// Pieces of sound between pauses: at runs of exact silence (a tenth of a second or more)
    /// where there are any, to the sample; else at 10 ms frames below a loudness threshold
    /// between the quiet and the loud end of the recording.
    fn pieces(audio: &[f64], rate: usize) -> Vec<&[f64]> {
        let split = |quiet: &dyn Fn(usize) -> bool, unit: usize, min_gap: usize| {
            let units = audio.len().div_ceil(unit);
            let mut found = Vec::new();
            let (mut start, mut gap) = (None, 0);
            for i in 0..=units {
                if i < units && !quiet(i) {
                    start.get_or_insert(i);
                    gap = 0;
                    continue;
                }
                gap += 1;
                if let Some(s) = start.filter(|_| gap > min_gap || i == units) {
                    let end = (i + 1 - gap.min(i + 1 - s)).max(s + 1);
                    if end - s > min_gap {
                        found.push(&audio[s * unit..(end * unit).min(audio.len())]);
                    }
                    start = None;
                }
            }
            found
        };
        let silent = audio.windows(rate / 10).step_by(rate / 100).any(|w| w.iter().all(|x| *x == 0.0));
        if silent {
            return split(&|i| audio[i] == 0.0, 1, rate / 10);
        }
        let frame = rate / 100;
        let energy: Vec<f64> =
            audio.chunks(frame).map(|f| f.iter().map(|x| x * x).sum::<f64>() / f.len() as f64).collect();
        let mut sorted = energy.clone();
        sorted.sort_by(f64::total_cmp);
        let (quiet, loud) = (sorted[sorted.len() / 5], sorted[sorted.len() * 95 / 100]);
        let threshold = quiet + 0.3 * (loud - quiet);
        split(&|i| energy[i] <= threshold, frame, 8)
    }

    fn correlation(a: &[f64], b: &[f64]) -> f64 {
        let n = a.len().min(b.len());
        let dot: f64 = a[..n].iter().zip(&b[..n]).map(|(x, y)| x * y).sum();
        let norm = |v: &[f64]| v.iter().map(|x| x * x).sum::<f64>().sqrt();
        dot / (norm(&a[..n]) * norm(&b[..n]) + 1.0)
    }

    impl Attacker {
        /// References from recordings of known answers: each symbol alone, its longest piece.
        fn learn(render: impl Fn(&str) -> Vec<u8>, rate: usize) -> Attacker {
            let references = crate::captcha::ALPHABET
                .iter()
                .map(|&c| {
                    let audio = samples(&render(&(c as char).to_string()));
                    let longest =
                        pieces(&audio, rate).into_iter().max_by_key(|p| p.len()).unwrap_or(&[]).to_vec();
                    (c as char, longest)
                })
                .collect();
            Attacker { references }
        }

        fn transcribe(&self, wav: &[u8], rate: usize) -> String {
            let audio = samples(wav);
            let mut found = pieces(&audio, rate);
            // Five letters are expected: keep the five longest pieces, in order.
            while found.len() > 5 {
                let shortest = (0..found.len()).min_by_key(|i| found[*i].len()).unwrap();
                found.remove(shortest);
            }
            found
                .iter()
                .map(|piece| {
                    // Lengths within 50 ms count as the same length.
                    let by_length = |r: &[f64]| r.len().abs_diff(piece.len()) / (rate / 20);
                    self.references
                        .iter()
                        .min_by(|(_, a), (_, b)| {
                            by_length(a)
                                .cmp(&by_length(b))
                                .then(correlation(piece, b).total_cmp(&correlation(piece, a)))
                        })
                        .map(|(c, _)| *c)
                        .unwrap_or('?')
                })
                .collect()
        }
    }

    fn random_answer() -> String {
        let mut rng = rand::thread_rng();
        (0..5).map(|_| crate::captcha::ALPHABET[rng.gen_range(0..16)] as char).collect()
    }

    /// The plain concatenation this module used to serve: each letter as recorded, then 0.4 s
    /// of silence.
    fn plain_wav(answer: &str) -> Vec<u8> {
        let spec = hound::WavSpec {
            channels: 1,
            sample_rate: 22_050,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let mut bytes = Cursor::new(Vec::new());
        let mut writer = hound::WavWriter::new(&mut bytes, spec).unwrap();
        for letter in captcha_of(answer).as_wav() {
            for s in hound::WavReader::new(Cursor::new(letter.unwrap())).unwrap().into_samples::<i16>() {
                writer.write_sample(s.unwrap()).unwrap();
            }
            for _ in 0..22_050 * 4 / 10 {
                writer.write_sample(0i16).unwrap();
            }
        }
        writer.finalize().unwrap();
        bytes.into_inner()
    }

    #[test]
    fn a_template_matcher_solves_at_most_one_in_twenty() {
        let plain = Attacker::learn(plain_wav, 22_050);
        let solved_plain = (0..20)
            .filter(|_| {
                let answer = random_answer();
                plain.transcribe(&plain_wav(&answer), 22_050) == answer
            })
            .count();
        assert!(solved_plain >= 18, "the attacker is competent: {solved_plain} of 20 plain challenges");

        let voice = Voice::load().unwrap();
        let live = Attacker::learn(|a| wav(&voice, a).unwrap(), RATE as usize);
        let solved = (0..20)
            .filter(|_| {
                let answer = random_answer();
                live.transcribe(&wav(&voice, &answer).unwrap(), RATE as usize) == answer
            })
            .count();
        eprintln!("template matcher: {solved_plain} of 20 plain, {solved} of 20 live challenges solved");
        assert!(solved <= 1, "{solved} of 20 live challenges solved");
    }

    #[test]
    fn the_audio_speaks_the_answer_above_the_murmur() {
        let voice = Voice::load().unwrap();
        let rms = |v: &[f32]| (v.iter().map(|x| x * x).sum::<f32>() / v.len().max(1) as f32).sqrt();
        for answer in ["hk7m2", "23456", "789qr", "wxy2h"] {
            let speech = speak(&voice, answer, &mut rand::thread_rng());
            let spoken: String = speech.placed.iter().map(|(c, _)| *c).collect();
            assert_eq!(spoken, answer, "every letter, in order");
            for (c, range) in &speech.placed {
                let (letter, murmur) =
                    (rms(&speech.letters[range.clone()]), rms(&speech.murmur[range.clone()]));
                assert!(letter > 2.0 * murmur, "{c} stands 6 dB above the murmur: {letter} against {murmur}");
            }
            assert!(speech.placed.windows(2).all(|w| w[0].1.end <= w[1].1.start), "letters do not overlap");
        }
    }

    #[test]
    fn no_two_renderings_are_alike() {
        let voice = Voice::load().unwrap();
        assert_ne!(wav(&voice, "hk7m2"), wav(&voice, "hk7m2"));
    }
}
