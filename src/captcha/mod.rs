//! CAPTCHA challenges. A challenge is a random token mapped, server-side, to the hash of its
//! answer, the answer itself (to draw the image and speak the audio on demand), an expiry
//! (300 s) and a count of wrong answers. `/captcha/verify` checks without using the token up
//! and kills it after three wrong answers; a form submission spends it, right or wrong.
//!
//! Images and audio are drawn only when asked for, on a few threads of their own (one per
//! core), so a flood of refreshes queues there instead of stalling the async workers.

mod drawers;
mod render;
mod store;

use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::{Rng, RngCore};
use subtle::ConstantTimeEq;

use crate::clock::Clock;
use crate::crypto::keyed_hash;
use crate::redis_conn::Redis;
use drawers::Drawers;
use store::{ChallengeStore, Record};

pub use render::{png as draw_png, wav as draw_wav};
pub use store::Check;

/// How long a challenge lives.
pub const LIFETIME: Duration = Duration::from_secs(300);
/// Wrong answers at `/captcha/verify` before a challenge is dead.
pub const MAX_WRONG: u32 = 3;
/// Symbols that can't be mistaken for one another, neither seen nor heard: no 0/o, 1/l/i, and
/// none of the letters whose names rhyme ("bee"/"dee"/"tee", "eff"/"ess", "em"/"en").
const ALPHABET: &[u8] = b"23456789hkmqrwxy";
const ANSWER_LEN: usize = 5;

#[derive(Debug, thiserror::Error)]
pub enum CaptchaError {
    #[error("challenge store unavailable: {0}")]
    Store(#[from] redis::RedisError),
    #[error("the challenge could not be drawn")]
    Render,
}

pub struct Captchas {
    store: ChallengeStore,
    clock: Clock,
    answer_key: [u8; 32],
    test_answer: Option<String>,
    drawers: Drawers,
}

impl Captchas {
    /// `keys` is 64 bytes derived from SECRET_KEY: the answer-hash key, then the sealing key.
    pub fn new(
        keys: ([u8; 32], [u8; 32]),
        test_answer: Option<String>,
        redis: Option<Redis>,
        clock: Clock,
    ) -> Captchas {
        let (answer_key, seal_key) = keys;
        let parallel = std::thread::available_parallelism().map_or(2, |n| n.get());
        Captchas {
            store: ChallengeStore::new(redis, seal_key),
            clock,
            answer_key,
            test_answer,
            drawers: Drawers::start(parallel),
        }
    }

    fn hash(&self, answer: &str) -> [u8; 32] {
        keyed_hash(&self.answer_key, answer.trim().to_lowercase().as_bytes())
    }

    /// A new challenge's token.
    pub async fn issue(&self) -> Result<String, CaptchaError> {
        let answer = match &self.test_answer {
            Some(fixed) => fixed.clone(),
            None => {
                // A CSPRNG seeded from the OS: no system call per challenge.
                let mut rng = rand::thread_rng();
                (0..ANSWER_LEN).map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char).collect()
            }
        };
        let mut raw = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut raw);
        let token = URL_SAFE_NO_PAD.encode(raw);
        let record = Record {
            answer_hash: self.hash(&answer),
            answer: answer.into_boxed_str(),
            expires_ms: self.clock.now_ms() + LIFETIME.as_millis() as u64,
            wrong: 0,
        };
        self.store.put(&token, record).await?;
        Ok(token)
    }

    /// Checks an answer without using the token up; a wrong one counts towards [`MAX_WRONG`].
    pub async fn verify(&self, token: &str, answer: &str) -> Result<Check, CaptchaError> {
        if !plausible_token(token) {
            return Ok(Check::Dead);
        }
        Ok(self.store.verify(token, &self.hash(answer), self.clock.now_ms()).await?)
    }

    /// Uses the token up; true when it was live and the answer right.
    pub async fn spend(&self, token: &str, answer: &str) -> Result<bool, CaptchaError> {
        if !plausible_token(token) {
            return Ok(false);
        }
        let Some(answer_hash) = self.store.take(token, self.clock.now_ms()).await? else {
            return Ok(false);
        };
        Ok(answer_hash.ct_eq(&self.hash(answer)).into())
    }

    /// The PNG of a live challenge.
    pub async fn image(&self, token: &str) -> Result<Option<Vec<u8>>, CaptchaError> {
        self.draw(token, render::png).await
    }

    /// The WAV of a live challenge: the same answer, spoken.
    pub async fn audio(&self, token: &str) -> Result<Option<Vec<u8>>, CaptchaError> {
        self.draw(token, render::wav).await
    }

    async fn draw(
        &self,
        token: &str,
        draw: fn(&str) -> Option<Vec<u8>>,
    ) -> Result<Option<Vec<u8>>, CaptchaError> {
        if !plausible_token(token) {
            return Ok(None);
        }
        let Some(answer) = self.store.answer(token, self.clock.now_ms()).await? else {
            return Ok(None);
        };
        let drawn = self.drawers.run(move || draw(&answer)).await.flatten();
        drawn.map(Some).ok_or(CaptchaError::Render)
    }
}

fn plausible_token(token: &str) -> bool {
    token.len() == 43 && token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    /// The audio's letters, recognised against a reference recording of every letter of the
    /// alphabet: segments are split at the silent pauses; a recording's length identifies its
    /// letter (noise never makes a silent run), and correlation breaks ties.
    fn transcribe(wav: &[u8]) -> String {
        let samples = |bytes: &[u8]| -> Vec<f64> {
            hound::WavReader::new(Cursor::new(bytes.to_vec()))
                .unwrap()
                .into_samples::<i16>()
                .map(|s| f64::from(s.unwrap()))
                .collect()
        };
        let references: Vec<(char, Vec<f64>)> = ALPHABET
            .iter()
            .map(|&c| (c as char, samples(&render::wav(&(c as char).to_string()).unwrap())))
            .collect();
        let audio = samples(wav);
        let pause = 22050 * 4 / 10;
        let mut segments = Vec::new();
        let (mut start, mut zeros) = (None, 0);
        for (i, s) in audio.iter().enumerate() {
            if *s == 0.0 {
                zeros += 1;
                if zeros >= pause / 2 {
                    if let Some(st) = start.take() {
                        segments.push(&audio[st..i + 1 - zeros]);
                    }
                }
            } else {
                zeros = 0;
                start.get_or_insert(i);
            }
        }
        let score = |a: &[f64], b: &[f64]| {
            let n = a.len().min(b.len());
            let dot: f64 = a[..n].iter().zip(&b[..n]).map(|(x, y)| x * y).sum();
            let norm = |v: &[f64]| v.iter().map(|x| x * x).sum::<f64>().sqrt();
            dot / (norm(&a[..n]) * norm(&b[..n]) + 1.0)
        };
        segments
            .iter()
            .map(|seg| {
                let speech = |r: &[f64]| r.len() - pause;
                references
                    .iter()
                    .min_by(|(_, a), (_, b)| {
                        let by_length = speech(a).abs_diff(seg.len()).cmp(&speech(b).abs_diff(seg.len()));
                        by_length.then(score(seg, b).total_cmp(&score(seg, a)))
                    })
                    .map(|(c, _)| *c)
                    .unwrap()
            })
            .collect()
    }

    #[rocket::async_test]
    async fn the_audio_speaks_the_answer_the_image_shows() {
        let captchas = Captchas::new(([1; 32], [2; 32]), None, None, Clock::system());
        for _ in 0..3 {
            let token = captchas.issue().await.unwrap();
            let answer = captchas.store.answer(&token, captchas.clock.now_ms()).await.unwrap().unwrap();
            assert!(
                captchas.image(&token).await.unwrap().is_some(),
                "the image is drawn from the stored answer"
            );
            let audio = captchas.audio(&token).await.unwrap().unwrap();
            assert_eq!(transcribe(&audio), answer);
            assert_eq!(captchas.verify(&token, &answer).await.unwrap(), Check::Right);
        }
    }
}
