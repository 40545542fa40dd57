//! NumVerify verdicts, remembered for a day so one number costs one look-up: in memory
//! (bounded), or in Redis when the instance uses Redis. Keyed by a keyed hash of the number,
//! never the number itself.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use redis::AsyncCommands;

use super::numverify::Lookup;
use crate::crypto::hex;
use crate::logging::LogThrottle;
use crate::redis_conn::Redis;
use crate::sync::lock;
use crate::ttl_map::TtlMap;

pub const KEEP: Duration = Duration::from_secs(24 * 3600);
const MAX_IN_MEMORY: usize = 10_000;

pub enum VerdictCache {
    Memory(Mutex<TtlMap<[u8; 32], Lookup>>),
    Redis(Redis, Arc<LogThrottle>),
}

impl VerdictCache {
    pub fn new(redis: Option<Redis>, log: Arc<LogThrottle>) -> VerdictCache {
        match redis {
            None => VerdictCache::Memory(Mutex::new(TtlMap::new(MAX_IN_MEMORY))),
            Some(redis) => VerdictCache::Redis(redis, log),
        }
    }

    /// A remembered verdict; an unreachable Redis counts as a miss.
    pub async fn get(&self, key: &[u8; 32], now_ms: u64) -> Option<Lookup> {
        match self {
            VerdictCache::Memory(map) => lock(map).get(key, now_ms).cloned(),
            VerdictCache::Redis(redis, log) => {
                let found: Result<Option<String>, _> = redis.conn().get(redis_key(redis, key)).await;
                match found {
                    Ok(json) => json.and_then(|j| serde_json::from_str(&j).ok()),
                    Err(e) => {
                        log.warn("phone verdict cache", &e);
                        None
                    }
                }
            }
        }
    }

    pub async fn put(&self, key: &[u8; 32], lookup: &Lookup, now_ms: u64) {
        match self {
            VerdictCache::Memory(map) => {
                lock(map).insert(*key, lookup.clone(), now_ms + KEEP.as_millis() as u64, now_ms);
            }
            VerdictCache::Redis(redis, log) => {
                let json = serde_json::to_string(lookup).unwrap_or_default();
                let stored: Result<(), _> =
                    redis.conn().set_ex(redis_key(redis, key), json, KEEP.as_secs()).await;
                if let Err(e) = stored {
                    log.warn("phone verdict cache", &e);
                }
            }
        }
    }
}

fn redis_key(redis: &Redis, key: &[u8; 32]) -> String {
    redis.key(&format!("phone:{}", hex(&key[..16])))
}
