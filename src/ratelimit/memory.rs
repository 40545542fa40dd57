use std::collections::HashMap;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use super::{LimitKind, Verdict};
use crate::config::Rate;

/// One keyed GCRA limiter per kind, owned by this instance (never a global registry).
pub struct MemoryLimits {
    limiters: HashMap<LimitKind, DefaultKeyedRateLimiter<IpAddr>>,
    clock: DefaultClock,
    checks: AtomicU64,
}

/// How many checks pass between purges of addresses whose budget is full again.
const PURGE_EVERY: u64 = 4096;

impl MemoryLimits {
    pub fn new(rates: &[(LimitKind, Rate)]) -> MemoryLimits {
        let limiters = rates
            .iter()
            .map(|(kind, rate)| {
                let burst = NonZeroU32::new(rate.count).unwrap_or(NonZeroU32::MIN);
                let quota = Quota::with_period(rate.period / rate.count.max(1))
                    .unwrap_or_else(|| Quota::per_second(burst))
                    .allow_burst(burst);
                (*kind, RateLimiter::keyed(quota))
            })
            .collect();
        MemoryLimits { limiters, clock: DefaultClock::default(), checks: AtomicU64::new(0) }
    }

    pub fn check(&self, kind: LimitKind, client: IpAddr) -> Verdict {
        let Some(limiter) = self.limiters.get(&kind) else {
            return Verdict::Allowed;
        };
        if self.checks.fetch_add(1, Ordering::Relaxed) % PURGE_EVERY == PURGE_EVERY - 1 {
            for limiter in self.limiters.values() {
                limiter.retain_recent();
                limiter.shrink_to_fit();
            }
        }
        match limiter.check_key(&client) {
            Ok(()) => Verdict::Allowed,
            Err(not_until) => Verdict::Limited { retry_after: not_until.wait_time_from(self.clock.now()) },
        }
    }
}
