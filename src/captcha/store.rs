use std::collections::HashMap;
use std::sync::Mutex;

use redis::Script;
use subtle::ConstantTimeEq;

use super::{LIFETIME, MAX_WRONG};
use crate::redis_conn::Redis;

/// What is kept of a challenge.
#[derive(Debug, Clone)]
pub struct Record {
    pub answer_hash: [u8; 32],
    pub sealed_answer: String,
    pub expires_ms: u64,
    pub wrong: u32,
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

/// At most this many challenges are kept in memory; past it, the oldest go first.
const MAX_IN_MEMORY: usize = 100_000;

pub enum ChallengeStore {
    Memory(Mutex<HashMap<String, Record>>),
    Redis(RedisChallenges),
}

impl ChallengeStore {
    pub fn new(redis: Option<Redis>) -> ChallengeStore {
        match redis {
            None => ChallengeStore::Memory(Mutex::new(HashMap::new())),
            Some(redis) => ChallengeStore::Redis(RedisChallenges::new(redis)),
        }
    }

    pub async fn put(&self, token: &str, record: Record) -> Result<(), redis::RedisError> {
        match self {
            ChallengeStore::Memory(map) => {
                let mut map = map.lock().unwrap_or_else(|e| e.into_inner());
                if map.len() >= MAX_IN_MEMORY {
                    let now = record.expires_ms - LIFETIME.as_millis() as u64;
                    map.retain(|_, r| r.live(now));
                    while map.len() >= MAX_IN_MEMORY {
                        let oldest = map.iter().min_by_key(|(_, r)| r.expires_ms).map(|(k, _)| k.clone());
                        match oldest {
                            Some(key) => map.remove(&key),
                            None => break,
                        };
                    }
                }
                map.insert(token.to_string(), record);
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
                let mut map = map.lock().unwrap_or_else(|e| e.into_inner());
                let Some(record) = map.get_mut(token).filter(|r| r.live(now_ms)) else {
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
                let mut map = map.lock().unwrap_or_else(|e| e.into_inner());
                Ok(map.remove(token).filter(|r| r.live(now_ms)).map(|r| r.answer_hash))
            }
            ChallengeStore::Redis(redis) => redis.take(token, now_ms).await,
        }
    }

    pub async fn sealed_answer(&self, token: &str, now_ms: u64) -> Result<Option<String>, redis::RedisError> {
        match self {
            ChallengeStore::Memory(map) => {
                let map = map.lock().unwrap_or_else(|e| e.into_inner());
                Ok(map.get(token).filter(|r| r.live(now_ms)).map(|r| r.sealed_answer.clone()))
            }
            ChallengeStore::Redis(redis) => redis.sealed_answer(token, now_ms).await,
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
    fn new(redis: Redis) -> RedisChallenges {
        RedisChallenges { redis, verify: Script::new(VERIFY), take: Script::new(TAKE) }
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
                    ("s", record.sealed_answer.clone()),
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

    async fn sealed_answer(&self, token: &str, now_ms: u64) -> Result<Option<String>, redis::RedisError> {
        let (hash, sealed, expires, wrong): (Option<String>, Option<String>, Option<u64>, Option<u32>) =
            redis::cmd("HMGET")
                .arg(self.key(token))
                .arg(&["h", "s", "e", "w"])
                .query_async(&mut self.redis.conn())
                .await?;
        let live =
            hash.is_some() && expires.is_some_and(|e| now_ms < e) && wrong.is_some_and(|w| w < MAX_WRONG);
        Ok(sealed.filter(|_| live))
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<[u8; 32]> {
    let bytes: Vec<u8> = (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect::<Option<_>>()?;
    bytes.try_into().ok()
}
