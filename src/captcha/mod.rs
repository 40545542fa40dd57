//! CAPTCHA challenges. A challenge is its token: the answer sealed (ChaCha20-Poly1305, under a
//! key derived from `SECRET_KEY`) with the time it was made, so nothing is stored when one is handed out
//! and no amount of other people's traffic can make one vanish. It lives 300 s. The
//! [`Ledger`](ledger::Ledger) remembers how each token was used: `/captcha/verify` checks
//! without using it up and kills it after three wrong answers; a form submission spends it,
//! right or wrong; its audio is played a few times at most.
//!
//! Images and audio are drawn only when asked for, on a few threads of their own (one per
//! core), so a flood of refreshes queues there instead of stalling the async workers.

mod drawers;
mod ledger;
mod pow;
mod render;

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chacha20poly1305::aead::{Aead, Payload};
use chacha20poly1305::{ChaCha20Poly1305, KeyInit};
use rand::{Rng, RngCore};
use subtle::ConstantTimeEq;

use crate::clock::Clock;
use crate::crypto::keyed_hash;
use crate::redis_conn::Redis;
use drawers::Drawers;
use ledger::{Ledger, TokenId};

pub use ledger::Check;
#[cfg(feature = "internals")]
pub use pow::{solution_hash, Pow};
pub use pow::{PowChallenge, PowRefusal};
pub use render::Voice;
#[cfg(feature = "internals")]
pub use render::{png as draw_png, wav as draw_wav};

/// How long a challenge lives.
pub const LIFETIME: Duration = Duration::from_secs(300);
/// Wrong answers at `/captcha/verify` before a challenge is dead.
pub const MAX_WRONG: u32 = 3;
/// Times one challenge's audio is served: enough to listen again, not an amplifier (each
/// rendering is ~10 ms of CPU and half a megabyte).
pub const MAX_PLAYS: u32 = 3;
/// Symbols that can't be mistaken for one another, neither seen nor heard: no 0/o, 1/l/i, and
/// none of the letters whose names rhyme ("bee"/"dee"/"tee", "eff"/"ess", "em"/"en").
const ALPHABET: &[u8] = b"23456789hkmqrwxy";
const ANSWER_LEN: usize = 5;
/// How far ahead of this clock a token's time may be (instances a little apart).
const CLOCK_SKEW_MS: u64 = 60_000;

#[derive(Debug, thiserror::Error)]
pub enum CaptchaError {
    #[error("challenge store unavailable: {0}")]
    Store(#[from] redis::RedisError),
    #[error("the challenge could not be drawn")]
    Render,
}

/// The keys of one instance's challenges, each derived from `SECRET_KEY`.
pub struct CaptchaKeys {
    /// Hashes answers before they are compared.
    pub answer: [u8; 32],
    /// Seals the answer into the image challenge's token.
    pub seal: [u8; 32],
    /// Signs proof-of-work challenges.
    pub pow: [u8; 32],
}

pub struct Captchas {
    seal: ChaCha20Poly1305,
    answer_key: [u8; 32],
    pow: pow::Pow,
    ledger: Ledger,
    clock: Clock,
    test_answer: Option<String>,
    drawers: Drawers,
    /// The letters' recordings, decoded on the first audio request.
    voice: Arc<OnceLock<Option<Voice>>>,
}

/// A token opened: its answer, and where and until when the ledger keeps its uses.
pub(crate) struct Opened {
    answer: String,
    id: TokenId,
    keep_until_ms: u64,
}

/// A token is base64url of: the second it was made (8 bytes, big-endian, authenticated), a
/// random nonce (12 bytes, also its id in the ledger), and the answer sealed with
/// ChaCha20-Poly1305 (its length + 16).
const MADE_LEN: usize = 8;
const NONCE_LEN: usize = 12;

impl Captchas {
    pub fn new(
        keys: CaptchaKeys,
        test_answer: Option<String>,
        redis: Option<Redis>,
        clock: Clock,
    ) -> Captchas {
        let parallel = std::thread::available_parallelism().map_or(2, |n| n.get());
        Captchas {
            seal: ChaCha20Poly1305::new(&keys.seal.into()),
            answer_key: keys.answer,
            pow: pow::Pow::new(keys.pow),
            ledger: Ledger::new(redis),
            clock,
            test_answer,
            drawers: Drawers::start(parallel),
            voice: Arc::default(),
        }
    }

    fn hash(&self, answer: &str) -> [u8; 32] {
        keyed_hash(&self.answer_key, answer.trim().to_lowercase().as_bytes())
    }

    /// A new challenge's token. Nothing is stored.
    pub fn issue(&self) -> String {
        // A CSPRNG seeded from the OS: no system call per challenge.
        let mut rng = rand::thread_rng();
        let answer: String = match &self.test_answer {
            Some(fixed) => fixed.clone(),
            None => (0..ANSWER_LEN).map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char).collect(),
        };
        let made = (self.clock.now_ms() / 1000).to_be_bytes();
        let mut nonce = [0u8; NONCE_LEN];
        rng.fill_bytes(&mut nonce);
        let mut token = Vec::with_capacity(MADE_LEN + NONCE_LEN + answer.len() + 16);
        token.extend_from_slice(&made);
        token.extend_from_slice(&nonce);
        let sealed = self.seal.encrypt(&nonce.into(), Payload { msg: answer.as_bytes(), aad: &made });
        // Sealing a few bytes in memory cannot fail; a token without its answer would never pass.
        token.extend_from_slice(&sealed.unwrap_or_default());
        URL_SAFE_NO_PAD.encode(token)
    }

    /// The token's answer while it lives.
    pub(crate) fn open(&self, token: &str) -> Option<Opened> {
        if !plausible_token(token) {
            return None;
        }
        let bytes = URL_SAFE_NO_PAD.decode(token).ok()?;
        let (made, rest) = bytes.split_at_checked(MADE_LEN)?;
        let (nonce, sealed) = rest.split_at_checked(NONCE_LEN)?;
        let made_ms = u64::from_be_bytes(made.try_into().ok()?).checked_mul(1000)?;
        let now_ms = self.clock.now_ms();
        if made_ms > now_ms + CLOCK_SKEW_MS || now_ms >= made_ms + LIFETIME.as_millis() as u64 {
            return None;
        }
        let answer = self.seal.decrypt(nonce.into(), Payload { msg: sealed, aad: made }).ok()?;
        Some(Opened {
            answer: String::from_utf8(answer).ok()?,
            id: nonce.try_into().ok()?,
            keep_until_ms: made_ms + LIFETIME.as_millis() as u64 + CLOCK_SKEW_MS,
        })
    }

    fn right(&self, opened: &Opened, answer: &str) -> bool {
        self.hash(&opened.answer).ct_eq(&self.hash(answer)).into()
    }

    /// Checks an answer without using the token up; a wrong one counts towards [`MAX_WRONG`].
    pub async fn verify(&self, token: &str, answer: &str) -> Result<Check, CaptchaError> {
        let Some(opened) = self.open(token) else {
            return Ok(Check::Dead);
        };
        let right = self.right(&opened, answer);
        Ok(self.ledger.check(&opened.id, right, opened.keep_until_ms, self.clock.now_ms()).await?)
    }

    /// Uses the token up; true when it was live and the answer right.
    pub async fn spend(&self, token: &str, answer: &str) -> Result<bool, CaptchaError> {
        let Some(opened) = self.open(token) else {
            return Ok(false);
        };
        let live = self.ledger.spend(&opened.id, opened.keep_until_ms, self.clock.now_ms()).await?;
        Ok(live && self.right(&opened, answer))
    }

    /// The PNG of a live challenge.
    pub async fn image(&self, token: &str) -> Result<Option<Vec<u8>>, CaptchaError> {
        let Some(opened) = self.open(token) else {
            return Ok(None);
        };
        if !self.ledger.live(&opened.id, self.clock.now_ms()).await? {
            return Ok(None);
        }
        let answer = opened.answer;
        self.draw(move || render::png(&answer)).await.map(Some)
    }

    /// The WAV of a live challenge: the same answer, spoken; at most [`MAX_PLAYS`] times.
    pub async fn audio(&self, token: &str) -> Result<Option<Vec<u8>>, CaptchaError> {
        let Some(opened) = self.open(token) else {
            return Ok(None);
        };
        if !self.ledger.play(&opened.id, MAX_PLAYS, opened.keep_until_ms, self.clock.now_ms()).await? {
            return Ok(None);
        }
        let (answer, voice) = (opened.answer, self.voice.clone());
        self.draw(move || render::wav(voice.get_or_init(Voice::load).as_ref()?, &answer)).await.map(Some)
    }

    /// A new proof-of-work challenge with a secret number up to `maxnumber`, living as long as
    /// an image challenge. Nothing is stored.
    pub fn pow_challenge(&self, maxnumber: u64) -> PowChallenge {
        self.pow.issue(maxnumber, self.clock.now_ms() / 1000 + LIFETIME.as_secs())
    }

    /// Checks a proof-of-work solution (the `altcha` field) and uses it up: it passes once.
    pub async fn spend_pow(&self, altcha: &str) -> Result<Result<(), PowRefusal>, CaptchaError> {
        let now_ms = self.clock.now_ms();
        let solved = match self.pow.check(altcha, now_ms / 1000) {
            Ok(solved) => solved,
            Err(refusal) => return Ok(Err(refusal)),
        };
        let keep_until_ms = solved.expires * 1000 + CLOCK_SKEW_MS;
        let first = self.ledger.spend(&solved.id, keep_until_ms, now_ms).await?;
        Ok(if first { Ok(()) } else { Err(PowRefusal::Reused) })
    }

    async fn draw(
        &self,
        work: impl FnOnce() -> Option<Vec<u8>> + Send + 'static,
    ) -> Result<Vec<u8>, CaptchaError> {
        self.drawers.run(work).await.flatten().ok_or(CaptchaError::Render)
    }
}

/// Url-safe base64 of a token with an answer of at most 32 bytes.
fn plausible_token(token: &str) -> bool {
    (48..=96).contains(&token.len())
        && token.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(seal: u8) -> CaptchaKeys {
        CaptchaKeys { answer: [1; 32], seal: [seal; 32], pow: [4; 32] }
    }

    fn instance(clock: Clock) -> Captchas {
        Captchas::new(keys(2), None, None, clock)
    }

    #[rocket::async_test]
    async fn a_token_carries_its_answer_and_is_spent_once() {
        let captchas = instance(Clock::system());
        let token = captchas.issue();
        let answer = captchas.open(&token).unwrap().answer;
        assert!(captchas.image(&token).await.unwrap().is_some(), "drawn from the sealed answer");
        assert_eq!(captchas.verify(&token, "wrong").await.unwrap(), Check::Wrong);
        assert_eq!(captchas.verify(&token, &answer.to_uppercase()).await.unwrap(), Check::Right);
        assert!(captchas.spend(&token, &answer).await.unwrap());
        assert!(!captchas.spend(&token, &answer).await.unwrap(), "good once");
        assert_eq!(captchas.verify(&token, &answer).await.unwrap(), Check::Dead);
        let other = Captchas::new(keys(3), None, None, Clock::system());
        assert!(other.open(&token).is_none(), "sealed under this instance's key");
    }

    #[test]
    fn a_token_whose_time_was_changed_does_not_open() {
        let captchas = instance(Clock::system());
        let mut bytes = URL_SAFE_NO_PAD.decode(captchas.issue()).unwrap();
        bytes[7] ^= 1;
        assert!(captchas.open(&URL_SAFE_NO_PAD.encode(&bytes)).is_none(), "the time is authenticated");
        assert!(captchas.open(&"A".repeat(60)).is_none());
    }

    #[rocket::async_test]
    async fn a_flood_of_new_challenges_evicts_nobody() {
        let clock = Clock::system();
        let captchas = instance(clock.clone());
        let visitor = captchas.issue();
        let answer = captchas.open(&visitor).unwrap().answer;
        // More than the old in-memory store held (50,000), as ~420 networks could ask in a second.
        for _ in 0..60_000 {
            captchas.issue();
        }
        // Others spending their own challenges are remembered; the visitor's is not touched.
        for _ in 0..1_000 {
            assert!(!captchas.spend(&captchas.issue(), "nope").await.unwrap());
        }
        clock.advance(Duration::from_secs(240));
        assert!(captchas.spend(&visitor, &answer).await.unwrap(), "the visitor's challenge survived");
    }

    #[rocket::async_test]
    async fn a_proof_of_work_passes_once_and_not_after_its_challenge_expired() {
        use base64::engine::general_purpose::STANDARD;
        let clock = Clock::system();
        let captchas = instance(clock.clone());
        let solve = |c: &PowChallenge| {
            let number = (0..=c.maxnumber)
                .find(|n| crate::crypto::hex(&pow::solution_hash(&c.salt, *n)) == c.challenge);
            let json = serde_json::json!({"algorithm": c.algorithm, "challenge": c.challenge,
                "number": number, "salt": c.salt, "signature": c.signature});
            STANDARD.encode(json.to_string())
        };
        let altcha = solve(&captchas.pow_challenge(1_000));
        assert_eq!(captchas.spend_pow(&altcha).await.unwrap(), Ok(()));
        assert_eq!(captchas.spend_pow(&altcha).await.unwrap(), Err(PowRefusal::Reused));
        let late = solve(&captchas.pow_challenge(1_000));
        clock.advance(LIFETIME);
        assert_eq!(captchas.spend_pow(&late).await.unwrap(), Err(PowRefusal::Expired));
    }

    #[rocket::async_test]
    async fn a_challenge_expires_after_300_seconds() {
        let clock = Clock::system();
        let captchas = instance(clock.clone());
        let token = captchas.issue();
        let answer = captchas.open(&token).unwrap().answer;
        clock.advance(Duration::from_secs(301));
        assert_eq!(captchas.verify(&token, &answer).await.unwrap(), Check::Dead);
        assert!(captchas.image(&token).await.unwrap().is_none());
    }

    #[rocket::async_test]
    async fn one_challenge_is_heard_three_times_at_most() {
        let captchas = instance(Clock::system());
        let token = captchas.issue();
        for play in 1..=MAX_PLAYS {
            assert!(captchas.audio(&token).await.unwrap().is_some(), "play {play}");
        }
        assert!(captchas.audio(&token).await.unwrap().is_none(), "not an amplifier");
        assert!(captchas.image(&token).await.unwrap().is_some(), "the picture is still there");
    }
}
