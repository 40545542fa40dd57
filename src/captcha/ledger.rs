//! What is remembered about challenges: nothing about a challenge until somebody acts on it.
//! The token itself carries its answer (sealed) and its age, so a challenge can't be pushed out
//! by other people's traffic; only what it takes to use one challenge once is stored here:
//! wrong answers at `/captcha/verify`, whether a form spent it, how often its audio was played.
//! Each of those is caused by a request that its own rate limit counts (verify, submit,
//! captcha), so a flood of new challenges stores nothing at all.
//!
//! In this process (a [`TtlMap`] that drops the oldest entry once full: at worst a spent token
//! of somebody else's becomes usable again until it expires, never is a live one lost), or in
//! Redis, where every read-and-change is one script so that instances share one ledger.

use std::sync::Mutex;

use redis::Script;

use super::MAX_WRONG;
use crate::crypto::hex;
use crate::redis_conn::Redis;
use crate::sync::lock;
use crate::ttl_map::TtlMap;

/// A challenge's identity in the ledger: its token's random nonce.
pub type TokenId = [u8; 12];

/// The outcome of checking an answer at `/captcha/verify`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    Right,
    Wrong,
    /// Unknown, expired, spent, or killed by wrong answers.
    Dead,
}

/// At most this many challenges' uses are remembered in memory (about 4 MiB when full; 100,000
/// raised the benchmark's peak by 11 MB). Under the default limits that is the spends of some
/// 2,000 networks submitting as fast as they may for five minutes.
const MAX_IN_MEMORY: usize = 50_000;

#[derive(Default)]
pub struct Uses {
    wrong: u32,
    spent: bool,
    plays: u32,
}

impl Uses {
    fn dead(&self) -> bool {
        self.spent || self.wrong >= MAX_WRONG
    }
}

pub enum Ledger {
    Memory(Mutex<TtlMap<TokenId, Uses>>),
    Redis(RedisLedger),
}

impl Ledger {
    pub fn new(redis: Option<Redis>) -> Ledger {
        match redis {
            None => Ledger::Memory(Mutex::new(TtlMap::new(MAX_IN_MEMORY))),
            Some(redis) => Ledger::Redis(RedisLedger::new(redis)),
        }
    }

    /// Records a check of a live token's answer (`right` or not) and says what it was.
    pub async fn check(
        &self,
        id: &TokenId,
        right: bool,
        expires_ms: u64,
        now_ms: u64,
    ) -> Result<Check, redis::RedisError> {
        match self {
            Ledger::Memory(map) => {
                Ok(with_uses(map, id, expires_ms, now_ms, |uses| match (uses.dead(), right) {
                    (true, _) => Check::Dead,
                    (false, true) => Check::Right,
                    (false, false) => {
                        uses.wrong += 1;
                        Check::Wrong
                    }
                }))
            }
            Ledger::Redis(redis) => redis.check(id, right, expires_ms).await,
        }
    }

    /// Spends a live token: true the first time, false once spent or killed.
    pub async fn spend(&self, id: &TokenId, expires_ms: u64, now_ms: u64) -> Result<bool, redis::RedisError> {
        match self {
            Ledger::Memory(map) => Ok(with_uses(map, id, expires_ms, now_ms, |uses| {
                let was_live = !uses.dead();
                uses.spent = true;
                was_live
            })),
            Ledger::Redis(redis) => redis.spend(id, expires_ms).await,
        }
    }

    /// Whether the token is neither spent nor killed (a read: nothing is remembered).
    pub async fn live(&self, id: &TokenId, now_ms: u64) -> Result<bool, redis::RedisError> {
        match self {
            Ledger::Memory(map) => Ok(!lock(map).get(id, now_ms).is_some_and(Uses::dead)),
            Ledger::Redis(redis) => redis.live(id).await,
        }
    }

    /// Counts one play of a live token's audio: true while it has been played at most `max`
    /// times and the token is neither spent nor killed.
    pub async fn play(
        &self,
        id: &TokenId,
        max: u32,
        expires_ms: u64,
        now_ms: u64,
    ) -> Result<bool, redis::RedisError> {
        match self {
            Ledger::Memory(map) => Ok(with_uses(map, id, expires_ms, now_ms, |uses| {
                uses.plays += 1;
                !uses.dead() && uses.plays <= max
            })),
            Ledger::Redis(redis) => redis.play(id, max, expires_ms).await,
        }
    }
}

/// Changes the uses of a token in memory (remembered from now until `expires_ms`).
fn with_uses<R>(
    map: &Mutex<TtlMap<TokenId, Uses>>,
    id: &TokenId,
    expires_ms: u64,
    now_ms: u64,
    change: impl FnOnce(&mut Uses) -> R,
) -> R {
    change(lock(map).get_or_insert_with(*id, expires_ms, now_ms, Uses::default))
}

/// The ledger as Redis hashes (w: wrong answers, s: spent, p: plays), each expiring with its
/// token.
pub struct RedisLedger {
    redis: Redis,
    check: Script,
    spend: Script,
    play: Script,
}

/// ARGV: right (1/0), max wrong, expiry (unix ms). Returns 1 right, 0 wrong (counted), nil dead.
const CHECK: &str = r#"
local r = redis.call('HMGET', KEYS[1], 's', 'w')
if r[1] or tonumber(r[2] or '0') >= tonumber(ARGV[2]) then return false end
if ARGV[1] == '1' then return 1 end
redis.call('HINCRBY', KEYS[1], 'w', 1)
redis.call('PEXPIREAT', KEYS[1], ARGV[3])
return 0
"#;

/// ARGV: max wrong, expiry. Returns 1 when the token was live (and is spent now), else 0.
const SPEND: &str = r#"
local r = redis.call('HMGET', KEYS[1], 's', 'w')
redis.call('HSET', KEYS[1], 's', 1)
redis.call('PEXPIREAT', KEYS[1], ARGV[2])
if r[1] or tonumber(r[2] or '0') >= tonumber(ARGV[1]) then return 0 end
return 1
"#;

/// ARGV: max wrong, max plays, expiry. Returns 1 when this play is allowed, else 0.
const PLAY: &str = r#"
local plays = redis.call('HINCRBY', KEYS[1], 'p', 1)
redis.call('PEXPIREAT', KEYS[1], ARGV[3])
local r = redis.call('HMGET', KEYS[1], 's', 'w')
if r[1] or tonumber(r[2] or '0') >= tonumber(ARGV[1]) or plays > tonumber(ARGV[2]) then return 0 end
return 1
"#;

impl RedisLedger {
    fn new(redis: Redis) -> RedisLedger {
        RedisLedger { redis, check: Script::new(CHECK), spend: Script::new(SPEND), play: Script::new(PLAY) }
    }

    fn key(&self, id: &TokenId) -> String {
        self.redis.key(&format!("captcha:{}", hex(id)))
    }

    async fn check(&self, id: &TokenId, right: bool, expires_ms: u64) -> Result<Check, redis::RedisError> {
        let outcome: Option<i64> = self
            .check
            .key(self.key(id))
            .arg(u8::from(right))
            .arg(MAX_WRONG)
            .arg(expires_ms)
            .invoke_async(&mut self.redis.conn())
            .await?;
        Ok(match outcome {
            Some(1) => Check::Right,
            Some(_) => Check::Wrong,
            None => Check::Dead,
        })
    }

    async fn live(&self, id: &TokenId) -> Result<bool, redis::RedisError> {
        let (spent, wrong): (Option<u8>, Option<u32>) = redis::cmd("HMGET")
            .arg(self.key(id))
            .arg(&["s", "w"])
            .query_async(&mut self.redis.conn())
            .await?;
        Ok(spent.is_none() && wrong.unwrap_or(0) < MAX_WRONG)
    }

    async fn spend(&self, id: &TokenId, expires_ms: u64) -> Result<bool, redis::RedisError> {
        let live: i64 = self
            .spend
            .key(self.key(id))
            .arg(MAX_WRONG)
            .arg(expires_ms)
            .invoke_async(&mut self.redis.conn())
            .await?;
        Ok(live == 1)
    }

    async fn play(&self, id: &TokenId, max: u32, expires_ms: u64) -> Result<bool, redis::RedisError> {
        let allowed: i64 = self
            .play
            .key(self.key(id))
            .arg(MAX_WRONG)
            .arg(max)
            .arg(expires_ms)
            .invoke_async(&mut self.redis.conn())
            .await?;
        Ok(allowed == 1)
    }
}
