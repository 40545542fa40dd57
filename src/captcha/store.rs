use std::collections::{HashMap, VecDeque};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Mutex;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use redis::Script;
use subtle::ConstantTimeEq;

use super::{LIFETIME, MAX_WRONG};
use crate::crypto::hex;
use crate::redis_conn::Redis;
use crate::sync::lock;

/// What is kept of a challenge.
#[derive(Debug, Clone)]
pub struct Record {
    pub answer_hash: [u8; 32],
    /// Kept to draw the picture and speak the sound on demand. In this process's memory it is
    /// as safe as the hash key; in Redis it is sealed (see [`RedisChallenges`]).
    pub answer: Box<str>,
    pub expires_ms: u64,
    pub wrong: u32,
}

/// Tokens are 32 random bytes made here, so their first 8 bytes are already a good hash.
#[derive(Default)]
pub struct TokenHasher(u64);

impl Hasher for TokenHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8).take(1) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 ^= u64::from_le_bytes(word);
        }
    }
}

/// A challenge in memory is found by the first 16 of its token's 32 random bytes: 128 bits
/// nobody can guess, in half the room (the map and the queue each hold one per challenge).
type Key = [u8; 16];

/// Challenges in memory, and their tokens in the order they were made. Every challenge lives
/// the same 300 s, so that order is also the order they expire in: expired and (past the cap)
/// oldest ones leave from the front in O(1), whatever the load.
pub struct Challenges {
    by_token: HashMap<Key, Record, BuildHasherDefault<TokenHasher>>,
    made: VecDeque<(Key, u64)>,
}

impl Default for Challenges {
    /// Room for the cap from the start: growing by doubling would, at the moment of each
    /// rehash, hold the old table and the new one (megabytes at the peak of a flood). Pages
    /// that are never written to cost no memory.
    fn default() -> Challenges {
        Challenges {
            by_token: HashMap::with_capacity_and_hasher(MAX_IN_MEMORY, Default::default()),
            made: VecDeque::with_capacity(MAX_IN_MEMORY),
        }
    }
}

impl Challenges {
    fn insert(&mut self, key: Key, record: Record, now_ms: u64) {
        // Tokens already spent are still in `made`; they leave it here like the others.
        while let Some(&(oldest, expires_ms)) = self.made.front() {
            if expires_ms > now_ms && self.made.len() < MAX_IN_MEMORY {
                break;
            }
            self.made.pop_front();
            self.by_token.remove(&oldest);
        }
        self.made.push_back((key, record.expires_ms));
        self.by_token.insert(key, record);
    }
}

/// The key of a token of 32 bytes (tokens that don't decode to 32 bytes were refused before).
fn key(token: &str) -> Key {
    let mut key = Key::default();
    if let Ok(bytes) = URL_SAFE_NO_PAD.decode(token) {
        if bytes.len() == 32 {
            key.copy_from_slice(&bytes[..size_of::<Key>()]);
        }
    }
    key
}

impl Record {
    fn live(&self, now_ms: u64) -> bool {
        now_ms < self.expires_ms && self.wrong < MAX_WRONG
    }
}

/// The outcome of checking an answer at `/captcha/verify`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    Right,
    Wrong,
    /// Unknown, expired, spent, or killed by wrong answers.
    Dead,
}

/// At most this many challenges are kept in memory (about 7 MiB); past it, the oldest go first.
/// With the default limit of 120 pages a minute per address, that is 400 addresses' worth of
/// unsolved forms in the 300 s a challenge lives.
const MAX_IN_MEMORY: usize = 50_000;

pub enum ChallengeStore {
    Memory(Mutex<Challenges>),
    Redis(RedisChallenges),
}

impl ChallengeStore {
    pub fn new(redis: Option<Redis>, seal_key: [u8; 32]) -> ChallengeStore {
        match redis {
            None => ChallengeStore::Memory(Mutex::new(Challenges::default())),
            Some(redis) => ChallengeStore::Redis(RedisChallenges::new(redis, seal_key)),
        }
    }

    pub async fn put(&self, token: &str, record: Record) -> Result<(), redis::RedisError> {
        match self {
            ChallengeStore::Memory(map) => {
                let now_ms = record.expires_ms - LIFETIME.as_millis() as u64;
                lock(map).insert(key(token), record, now_ms);
                Ok(())
            }
            ChallengeStore::Redis(redis) => redis.put(token, &record).await,
        }
    }

    pub async fn verify(
        &self,
        token: &str,
        answer_hash: &[u8; 32],
        now_ms: u64,
    ) -> Result<Check, redis::RedisError> {
        match self {
            ChallengeStore::Memory(map) => {
                let mut map = lock(map);
                let Some(record) = map.by_token.get_mut(&key(token)).filter(|r| r.live(now_ms)) else {
                    return Ok(Check::Dead);
                };
                if bool::from(record.answer_hash.ct_eq(answer_hash)) {
                    Ok(Check::Right)
                } else {
                    record.wrong += 1;
                    Ok(Check::Wrong)
                }
            }
            ChallengeStore::Redis(redis) => redis.verify(token, answer_hash, now_ms).await,
        }
    }

    /// Removes the challenge; returns its answer hash when it was live.
    pub async fn take(&self, token: &str, now_ms: u64) -> Result<Option<[u8; 32]>, redis::RedisError> {
        match self {
            ChallengeStore::Memory(map) => {
                let mut map = lock(map);
                Ok(map.by_token.remove(&key(token)).filter(|r| r.live(now_ms)).map(|r| r.answer_hash))
            }
            ChallengeStore::Redis(redis) => redis.take(token, now_ms).await,
        }
    }

    /// The answer of a live challenge (to draw or speak it).
    pub async fn answer(&self, token: &str, now_ms: u64) -> Result<Option<String>, redis::RedisError> {
        match self {
            ChallengeStore::Memory(map) => {
                let map = lock(map);
                Ok(map.by_token.get(&key(token)).filter(|r| r.live(now_ms)).map(|r| r.answer.to_string()))
            }
            ChallengeStore::Redis(redis) => redis.answer(token, now_ms).await,
        }
    }
}

/// Challenges as Redis hashes (h: answer hash, s: sealed answer, e: expiry ms, w: wrong
/// answers), keyed by a hash of the token, with a TTL so they clean themselves up. Every
/// read-and-change is one script, so two instances can't both spend one token.
pub struct RedisChallenges {
    redis: Redis,
    verify: Script,
    take: Script,
    /// Answers are sealed before they go to Redis: a dump of it solves no challenge.
    seal: fernet::Fernet,
}

/// Returns 1 (right), 0 (wrong, counted) or nil (dead). ARGV: now ms, max wrong, answer hash.
const VERIFY: &str = r#"
local r = redis.call('HMGET', KEYS[1], 'h', 'e', 'w')
if not r[1] or tonumber(r[2]) <= tonumber(ARGV[1]) or tonumber(r[3]) >= tonumber(ARGV[2]) then
  return false
end
if r[1] == ARGV[3] then return 1 end
redis.call('HINCRBY', KEYS[1], 'w', 1)
return 0
"#;

/// Deletes the challenge; returns its answer hash when it was live, else nil.
const TAKE: &str = r#"
local r = redis.call('HMGET', KEYS[1], 'h', 'e', 'w')
redis.call('DEL', KEYS[1])
if not r[1] or tonumber(r[2]) <= tonumber(ARGV[1]) or tonumber(r[3]) >= tonumber(ARGV[2]) then
  return false
end
return r[1]
"#;

impl RedisChallenges {
    fn new(redis: Redis, seal_key: [u8; 32]) -> RedisChallenges {
        let seal =
            fernet::Fernet::new(&URL_SAFE_NO_PAD.encode(seal_key)).expect("32 bytes make a Fernet key");
        RedisChallenges { redis, verify: Script::new(VERIFY), take: Script::new(TAKE), seal }
    }

    fn key(&self, token: &str) -> String {
        let digest = crate::crypto::keyed_hash(b"captcha-token", token.as_bytes());
        self.redis.key(&format!("captcha:{}", hex(&digest[..16])))
    }

    async fn put(&self, token: &str, record: &Record) -> Result<(), redis::RedisError> {
        let key = self.key(token);
        redis::pipe()
            .atomic()
            .hset_multiple(
                &key,
                &[
                    ("h", hex(&record.answer_hash)),
                    ("s", self.seal.encrypt(record.answer.as_bytes())),
                    ("e", record.expires_ms.to_string()),
                    ("w", record.wrong.to_string()),
                ],
            )
            .ignore()
            .pexpire(&key, LIFETIME.as_millis() as i64 + 60_000)
            .ignore()
            .query_async::<()>(&mut self.redis.conn())
            .await
    }

    async fn verify(
        &self,
        token: &str,
        answer_hash: &[u8; 32],
        now_ms: u64,
    ) -> Result<Check, redis::RedisError> {
        let outcome: Option<i64> = self
            .verify
            .key(self.key(token))
            .arg(now_ms)
            .arg(MAX_WRONG)
            .arg(hex(answer_hash))
            .invoke_async(&mut self.redis.conn())
            .await?;
        Ok(match outcome {
            Some(1) => Check::Right,
            Some(_) => Check::Wrong,
            None => Check::Dead,
        })
    }

    async fn take(&self, token: &str, now_ms: u64) -> Result<Option<[u8; 32]>, redis::RedisError> {
        let found: Option<String> = self
            .take
            .key(self.key(token))
            .arg(now_ms)
            .arg(MAX_WRONG)
            .invoke_async(&mut self.redis.conn())
            .await?;
        Ok(found.as_deref().and_then(unhex))
    }

    async fn answer(&self, token: &str, now_ms: u64) -> Result<Option<String>, redis::RedisError> {
        let (hash, sealed, expires, wrong): (Option<String>, Option<String>, Option<u64>, Option<u32>) =
            redis::cmd("HMGET")
                .arg(self.key(token))
                .arg(&["h", "s", "e", "w"])
                .query_async(&mut self.redis.conn())
                .await?;
        let live =
            hash.is_some() && expires.is_some_and(|e| now_ms < e) && wrong.is_some_and(|w| w < MAX_WRONG);
        let opened = sealed.filter(|_| live).and_then(|s| self.seal.decrypt(&s).ok());
        Ok(opened.and_then(|bytes| String::from_utf8(bytes).ok()))
    }
}

fn unhex(text: &str) -> Option<[u8; 32]> {
    let bytes: Vec<u8> = (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect::<Option<_>>()?;
    bytes.try_into().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(expires_ms: u64) -> Record {
        Record { answer_hash: [0; 32], answer: "x".into(), expires_ms, wrong: 0 }
    }

    fn token(i: u32) -> Key {
        let mut key = Key::default();
        key[..4].copy_from_slice(&i.to_le_bytes());
        key
    }

    #[test]
    fn expired_and_oldest_challenges_leave_first_and_the_cap_holds() {
        let mut challenges = Challenges::default();
        for i in 0..10 {
            challenges.insert(token(i), record(1_000), 0);
        }
        challenges.by_token.remove(&token(3));
        challenges.insert(token(100), record(2_000), 1_500);
        assert_eq!(challenges.by_token.len(), 1, "the ten expired ones are gone, spent ones too");
        assert_eq!(challenges.made.len(), 1);

        for i in 0..(MAX_IN_MEMORY as u32 + 5) {
            challenges.insert(token(1_000 + i), record(10_000), 2_000);
        }
        assert_eq!(challenges.by_token.len(), MAX_IN_MEMORY);
        assert!(challenges.made.len() <= MAX_IN_MEMORY);
        assert!(!challenges.by_token.contains_key(&token(1_000)), "the oldest went first");
        assert!(challenges.by_token.contains_key(&token(1_000 + MAX_IN_MEMORY as u32 + 4)));
    }
}
