//! CAPTCHA challenges. A challenge is a random token mapped, server-side, to the hash of its
//! answer, the answer sealed (to draw the image and speak the audio on demand), an expiry
//! (300 s) and a count of wrong answers. `/captcha/verify` checks without using the token up
//! and kills it after three wrong answers; a form submission spends it, right or wrong.
//!
//! Images and audio are drawn only when asked for, on the blocking pool behind a semaphore,
//! so a flood of refreshes queues there instead of stalling the async workers.

mod render;
mod store;

use std::sync::Arc;
use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::{Rng, RngCore};
use subtle::ConstantTimeEq;
use rocket::tokio::sync::Semaphore;

use crate::clock::Clock;
use crate::crypto::keyed_hash;
use crate::redis_conn::Redis;
use store::{ChallengeStore, Record};

pub use store::Check;

/// How long a challenge lives.
pub const LIFETIME: Duration = Duration::from_secs(300);
/// Wrong answers at `/captcha/verify` before a challenge is dead.
pub const MAX_WRONG: u32 = 3;
/// Characters that can't be mistaken for one another, drawn by the font and spoken by the audio.
const ALPHABET: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyz";
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
    seal: fernet::Fernet,
    test_answer: Option<String>,
    drawing: Arc<Semaphore>,
}

impl Captchas {
    /// `keys` is 64 bytes derived from SECRET_KEY: the answer-hash key, then the sealing key.
    pub fn new(keys: ([u8; 32], [u8; 32]), test_answer: Option<String>, redis: Option<Redis>, clock: Clock) -> Captchas {
        let (answer_key, seal_key) = keys;
        let seal = fernet::Fernet::new(&URL_SAFE_NO_PAD.encode(seal_key)).expect("32 bytes make a Fernet key");
        let parallel = std::thread::available_parallelism().map_or(2, |n| n.get());
        Captchas {
            store: ChallengeStore::new(redis),
            clock,
            answer_key,
            seal,
            test_answer,
            drawing: Arc::new(Semaphore::new(parallel * 2)),
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
                let mut rng = rand::rngs::OsRng;
                (0..ANSWER_LEN).map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char).collect()
            }
        };
        let mut raw = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut raw);
        let token = URL_SAFE_NO_PAD.encode(raw);
        let record = Record {
            answer_hash: self.hash(&answer),
            sealed_answer: self.seal.encrypt(answer.as_bytes()),
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

    async fn draw(&self, token: &str, draw: fn(&str) -> Option<Vec<u8>>) -> Result<Option<Vec<u8>>, CaptchaError> {
        if !plausible_token(token) {
            return Ok(None);
        }
        let Some(sealed) = self.store.sealed_answer(token, self.clock.now_ms()).await? else {
            return Ok(None);
        };
        let answer = self.seal.decrypt(&sealed).map_err(|_| CaptchaError::Render)?;
        let answer = String::from_utf8(answer).map_err(|_| CaptchaError::Render)?;
        let _permit = self.drawing.acquire().await.map_err(|_| CaptchaError::Render)?;
        let drawn = rocket::tokio::task::spawn_blocking(move || draw(&answer)).await.map_err(|_| CaptchaError::Render)?;
        drawn.map(Some).ok_or(CaptchaError::Render)
    }
}

fn plausible_token(token: &str) -> bool {
    token.len() == 43 && token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}
