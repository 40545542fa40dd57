//! Proof of work in ALTCHA's v1 wire format, so that ALTCHA's own widget and libraries work
//! with it. A challenge is `SHA-256(salt ‖ number)` for a secret number up to `maxnumber`,
//! signed with HMAC-SHA256 so that nothing is stored when one is handed out; the browser finds
//! the number by trying them all. The salt carries its expiry (`?expires=<unix>&`, the closing
//! `&` so that no digits can be spliced onto it), which the hash covers and the signature
//! covers through the hash. Checking a solution is one hash and one HMAC.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use rand::{Rng, RngCore};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::ledger::TokenId;
use crate::crypto::{hex, keyed_hash};

/// The only algorithm offered and accepted.
pub const ALGORITHM: &str = "SHA-256";
/// Longest `altcha` field read (ours are about 300 characters).
const MAX_PAYLOAD: usize = 2048;
const SALT_BYTES: usize = 12;

/// What `GET /captcha/pow` answers.
#[derive(Debug, Clone, Serialize)]
pub struct PowChallenge {
    pub algorithm: &'static str,
    pub challenge: String,
    pub maxnumber: u64,
    pub salt: String,
    pub signature: String,
}

/// The solution a browser sends back (base64 of this JSON, in the `altcha` field). ALTCHA's
/// widget adds fields of its own (`took`), which are ignored.
#[derive(Debug, Deserialize)]
struct Payload {
    algorithm: String,
    challenge: String,
    number: u64,
    salt: String,
    signature: String,
}

/// Why a solution was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PowRefusal {
    #[error("the proof of work is not base64 of an ALTCHA JSON payload")]
    Malformed,
    #[error("the proof of work uses an algorithm other than SHA-256")]
    Algorithm,
    #[error("the proof of work's challenge was not issued here")]
    Signature,
    #[error("the proof of work's number does not solve its challenge")]
    Unsolved,
    #[error("the proof of work's challenge has expired")]
    Expired,
    #[error("the proof of work was used before")]
    Reused,
}

/// A solution that holds: what the ledger needs to spend it once.
pub struct Solved {
    pub id: TokenId,
    pub expires: u64,
}

pub struct Pow {
    key: [u8; 32],
}

impl Pow {
    pub fn new(key: [u8; 32]) -> Pow {
        Pow { key }
    }

    fn sign(&self, challenge: &str) -> [u8; 32] {
        keyed_hash(&self.key, challenge.as_bytes())
    }

    /// A new challenge whose secret number is at most `maxnumber`, good until `expires`.
    pub fn issue(&self, maxnumber: u64, expires: u64) -> PowChallenge {
        let mut rng = rand::thread_rng();
        let mut salt = [0u8; SALT_BYTES];
        rng.fill_bytes(&mut salt);
        let salt = format!("{}?expires={expires}&", hex(&salt));
        let number = rng.gen_range(0..=maxnumber);
        let challenge = hex(&solution_hash(&salt, number));
        let signature = hex(&self.sign(&challenge));
        PowChallenge { algorithm: ALGORITHM, challenge, maxnumber, salt, signature }
    }

    /// Checks a solution at `now` (unix seconds); spending it is the ledger's part.
    pub fn check(&self, altcha: &str, now: u64) -> Result<Solved, PowRefusal> {
        if altcha.len() > MAX_PAYLOAD {
            return Err(PowRefusal::Malformed);
        }
        let json = STANDARD.decode(altcha.trim()).map_err(|_| PowRefusal::Malformed)?;
        let payload: Payload = serde_json::from_slice(&json).map_err(|_| PowRefusal::Malformed)?;
        if payload.algorithm != ALGORITHM {
            return Err(PowRefusal::Algorithm);
        }
        let challenge = unhex32(&payload.challenge).ok_or(PowRefusal::Malformed)?;
        let signature = unhex32(&payload.signature).ok_or(PowRefusal::Malformed)?;
        if !bool::from(self.sign(&payload.challenge).ct_eq(&signature)) {
            return Err(PowRefusal::Signature);
        }
        if !bool::from(solution_hash(&payload.salt, payload.number).ct_eq(&challenge)) {
            return Err(PowRefusal::Unsolved);
        }
        // The salt is now known to be ours, expiry included.
        let expires = expiry(&payload.salt).ok_or(PowRefusal::Malformed)?;
        if now >= expires {
            return Err(PowRefusal::Expired);
        }
        // The challenge is a random hash: its first bytes name it in the ledger.
        let id: TokenId = std::array::from_fn(|i| challenge[i]);
        Ok(Solved { id, expires })
    }
}

/// `SHA-256(salt ‖ decimal number)`.
pub fn solution_hash(salt: &str, number: u64) -> [u8; 32] {
    let mut hash = Sha256::new();
    hash.update(salt.as_bytes());
    hash.update(number.to_string().as_bytes());
    hash.finalize().into()
}

/// The `expires` parameter of a salt (`<random>?expires=<unix>&`).
fn expiry(salt: &str) -> Option<u64> {
    let (_, params) = salt.split_once('?')?;
    params.split('&').find_map(|pair| pair.strip_prefix("expires=")).and_then(|v| v.parse().ok())
}

fn unhex32(text: &str) -> Option<[u8; 32]> {
    let bytes = text.as_bytes();
    if bytes.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, pair) in bytes.chunks_exact(2).enumerate() {
        let digit = |b: u8| (b as char).to_digit(16);
        out[i] = (digit(pair[0])? * 16 + digit(pair[1])?) as u8;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    const NOW: u64 = 1_790_000_000;

    fn solve(c: &PowChallenge) -> u64 {
        (0..=c.maxnumber).find(|n| hex(&solution_hash(&c.salt, *n)) == c.challenge).unwrap()
    }

    fn payload(c: &PowChallenge, number: u64) -> Value {
        json!({"algorithm": c.algorithm, "challenge": c.challenge, "number": number, "salt": c.salt,
               "signature": c.signature, "took": 12})
    }

    fn encode(v: &Value) -> String {
        STANDARD.encode(v.to_string())
    }

    fn solved_pair() -> (Pow, PowChallenge, Value) {
        let pow = Pow::new([7; 32]);
        let c = pow.issue(2_000, NOW + 300);
        let p = payload(&c, solve(&c));
        (pow, c, p)
    }

    #[test]
    fn a_solved_challenge_passes_until_it_expires() {
        let (pow, c, p) = solved_pair();
        assert!(c.salt.ends_with(&format!("?expires={}&", NOW + 300)), "{}", c.salt);
        let solved = pow.check(&encode(&p), NOW).unwrap();
        assert_eq!(solved.expires, NOW + 300);
        assert_eq!(pow.check(&encode(&p), NOW + 300).err(), Some(PowRefusal::Expired));
    }

    #[test]
    fn every_kind_of_forgery_is_refused_with_its_reason() {
        let (pow, c, p) = solved_pair();
        let with = |field: &str, value: Value| {
            let mut p = p.clone();
            p[field] = value;
            pow.check(&encode(&p), NOW).err()
        };
        let number = p["number"].as_u64().unwrap();
        assert_eq!(with("number", json!((number + 1) % 2_001)), Some(PowRefusal::Unsolved));
        let mut other_signature = c.signature.clone().into_bytes();
        other_signature[0] = if other_signature[0] == b'a' { b'b' } else { b'a' };
        assert_eq!(
            with("signature", json!(String::from_utf8(other_signature).unwrap())),
            Some(PowRefusal::Signature)
        );
        let other_key = Pow::new([8; 32]);
        assert_eq!(other_key.check(&encode(&p), NOW).err(), Some(PowRefusal::Signature));
        let later = c.salt.replace(&format!("expires={}", NOW + 300), &format!("expires={}", NOW + 9_999));
        assert_eq!(with("salt", json!(later)), Some(PowRefusal::Unsolved), "the expiry is hashed");
        assert_eq!(with("salt", json!(format!("{}1", c.salt))), Some(PowRefusal::Unsolved));
        assert_eq!(with("algorithm", json!("SHA-1")), Some(PowRefusal::Algorithm));
        assert_eq!(with("challenge", json!("zz")), Some(PowRefusal::Malformed));
        assert_eq!(with("number", json!(-1)), Some(PowRefusal::Malformed));
    }

    #[test]
    fn what_is_not_a_payload_is_malformed_never_a_panic() {
        let pow = Pow::new([7; 32]);
        for junk in
            ["", "%%%", "bm90IGpzb24=", &STANDARD.encode("[1,2]"), &STANDARD.encode("{}"), &"A".repeat(5_000)]
        {
            assert_eq!(pow.check(junk, NOW).err(), Some(PowRefusal::Malformed), "{junk:.20}");
        }
        assert_eq!(unhex32(&"é".repeat(32)), None);
    }

    #[test]
    fn a_signed_salt_without_an_expiry_is_refused() {
        let pow = Pow::new([7; 32]);
        let salt = "00ff";
        let challenge = hex(&solution_hash(salt, 5));
        let p = json!({"algorithm": ALGORITHM, "challenge": challenge, "number": 5, "salt": salt,
                       "signature": hex(&pow.sign(&challenge))});
        assert_eq!(pow.check(&encode(&p), NOW).err(), Some(PowRefusal::Malformed));
    }
}
