use std::collections::HashMap;
use std::net::IpAddr;
use std::time::Duration;

use redis::Script;

use super::{LimitKind, Verdict};
use crate::config::Rate;
use crate::redis_conn::Redis;

/// GCRA in one atomic script, on Redis's own clock so that every instance agrees on the time.
/// Stores the theoretical arrival time (ms) under the key; returns 0 when allowed, else the
/// milliseconds until the next request would be.
const GCRA: &str = r#"
local interval = tonumber(ARGV[1])
local period = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local new_tat = tat + interval
local allow_at = new_tat - period
if now < allow_at then
  return allow_at - now
end
redis.call('SET', KEYS[1], new_tat, 'PX', new_tat - now)
return 0
"#;

pub struct RedisLimits {
    redis: Redis,
    script: Script,
    rates: HashMap<LimitKind, Rate>,
}

impl RedisLimits {
    pub fn new(redis: Redis, rates: &[(LimitKind, Rate)]) -> RedisLimits {
        RedisLimits { redis, script: Script::new(GCRA), rates: rates.iter().copied().collect() }
    }

    pub async fn check(&self, kind: LimitKind, client: IpAddr) -> Result<Verdict, redis::RedisError> {
        let Some(rate) = self.rates.get(&kind) else {
            return Ok(Verdict::Allowed);
        };
        let period_ms = rate.period.as_millis() as u64;
        let interval_ms = (period_ms / u64::from(rate.count.max(1))).max(1);
        let key = self.redis.key(&format!("rl:{}:{}", kind.name(), client));
        let wait_ms: u64 =
            self.script.key(key).arg(interval_ms).arg(period_ms).invoke_async(&mut self.redis.conn()).await?;
        Ok(if wait_ms == 0 {
            Verdict::Allowed
        } else {
            Verdict::Limited { retry_after: Duration::from_millis(wait_ms) }
        })
    }
}
