//! NumVerify verdicts, remembered for a day so one number costs one look-up: in memory
//! (bounded), or in Redis when the instance uses Redis. Keyed by a keyed hash of the number,
//! never the number itself.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use redis::AsyncCommands;

use super::numverify::Lookup;
use crate::crypto::hex;
use crate::redis_conn::Redis;
use crate::sync::lock;

pub const KEEP: Duration = Duration::from_secs(24 * 3600);
const MAX_IN_MEMORY: usize = 10_000;

pub enum VerdictCache {
    Memory(Mutex<HashMap<[u8; 32], (Lookup, u64)>>),
    Redis(Redis),
}

impl VerdictCache {
    pub fn new(redis: Option<Redis>) -> VerdictCache {
        match redis {
            None => VerdictCache::Memory(Mutex::new(HashMap::new())),
            Some(redis) => VerdictCache::Redis(redis),
        }
    }

    /// A remembered verdict; an unreachable Redis counts as a miss.
    pub async fn get(&self, key: &[u8; 32], now_ms: u64) -> Option<Lookup> {
        match self {
            VerdictCache::Memory(map) => {
                let map = lock(map);
                map.get(key).filter(|(_, expires)| now_ms < *expires).map(|(lookup, _)| lookup.clone())
            }
            VerdictCache::Redis(redis) => {
                let found: Result<Option<String>, _> = redis.conn().get(redis_key(redis, key)).await;
                match found {
                    Ok(json) => json.and_then(|j| serde_json::from_str(&j).ok()),
                    Err(e) => {
                        crate::logging::warn_throttled("phone verdict cache", &e);
                        None
                    }
                }
            }
        }
    }

    pub async fn put(&self, key: &[u8; 32], lookup: &Lookup, now_ms: u64) {
        match self {
            VerdictCache::Memory(map) => {
                let mut map = lock(map);
                if map.len() >= MAX_IN_MEMORY {
                    map.retain(|_, (_, expires)| now_ms < *expires);
                    if map.len() >= MAX_IN_MEMORY {
                        let oldest = map.iter().min_by_key(|(_, (_, expires))| *expires).map(|(k, _)| *k);
                        oldest.map(|k| map.remove(&k));
                    }
                }
                map.insert(*key, (lookup.clone(), now_ms + KEEP.as_millis() as u64));
            }
            VerdictCache::Redis(redis) => {
                let json = serde_json::to_string(lookup).unwrap_or_default();
                let stored: Result<(), _> =
                    redis.conn().set_ex(redis_key(redis, key), json, KEEP.as_secs()).await;
                if let Err(e) = stored {
                    crate::logging::warn_throttled("phone verdict cache", &e);
                }
            }
        }
    }
}

fn redis_key(redis: &Redis, key: &[u8; 32]) -> String {
    redis.key(&format!("phone:{}", hex(&key[..16])))
}
