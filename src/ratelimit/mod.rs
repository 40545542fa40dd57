//! Rate limits per client address: one GCRA limiter per kind of request, held in this
//! process (governor) or in Redis (a Lua script) so that instances share one budget.
//!
//! When Redis is lost while running, limits fail open (people keep getting through; the error
//! is logged), except sign-in, which fails closed: guessing codes while the limiter is blind
//! is exactly what a limit is for.

mod memory;
mod redis_gcra;

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use crate::config::{Rate, RateLimitConfig};
use crate::logging::LogThrottle;
use crate::redis_conn::Redis;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LimitKind {
    Submit,
    Captcha,
    Verify,
    Login,
    Default,
    /// One of the [`PRESSURE_TIERS`], by index: never refuses a request, only measures.
    Pressure(u8),
}

/// How hard an address pushes, measured by budgets that refuse nothing: the number of these it
/// is over makes its next proof-of-work challenge harder. A person loads the form a few times
/// in ten minutes and stays under all three; a script asking without pause is over all of them
/// within a minute, and falls back a tier for every ten minutes of calm.
const PRESSURE_TIERS: [Rate; 3] = [
    Rate { count: 10, period: Duration::from_secs(600) },
    Rate { count: 30, period: Duration::from_secs(600) },
    Rate { count: 100, period: Duration::from_secs(600) },
];

impl LimitKind {
    const ALL: [LimitKind; 5] =
        [LimitKind::Submit, LimitKind::Captcha, LimitKind::Verify, LimitKind::Login, LimitKind::Default];

    pub fn name(self) -> &'static str {
        match self {
            LimitKind::Submit => "submit",
            LimitKind::Captcha => "captcha",
            LimitKind::Verify => "verify",
            LimitKind::Login => "login",
            LimitKind::Default => "default",
            LimitKind::Pressure(0) => "pressure0",
            LimitKind::Pressure(1) => "pressure1",
            LimitKind::Pressure(_) => "pressure2",
        }
    }

    fn fails_closed(self) -> bool {
        self == LimitKind::Login
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Allowed,
    Limited {
        retry_after: Duration,
    },
    /// The shared store is unreachable and this limit fails closed.
    Unavailable,
}

enum Backend {
    Off,
    Memory(memory::MemoryLimits),
    Redis(redis_gcra::RedisLimits),
}

pub struct Limiter {
    backend: Backend,
    log: Arc<LogThrottle>,
}

fn rate(config: &RateLimitConfig, kind: LimitKind) -> Rate {
    match kind {
        LimitKind::Submit => config.submit,
        LimitKind::Captcha => config.captcha,
        LimitKind::Verify => config.verify,
        LimitKind::Login => config.login,
        LimitKind::Default => config.default,
        LimitKind::Pressure(tier) => PRESSURE_TIERS[usize::from(tier).min(PRESSURE_TIERS.len() - 1)],
    }
}

const PRESSURE_KINDS: [LimitKind; PRESSURE_TIERS.len()] =
    [LimitKind::Pressure(0), LimitKind::Pressure(1), LimitKind::Pressure(2)];

impl Limiter {
    pub fn new(config: &RateLimitConfig, redis: Option<&Redis>, log: Arc<LogThrottle>) -> Limiter {
        let rates: Vec<_> =
            LimitKind::ALL.iter().chain(&PRESSURE_KINDS).map(|&kind| (kind, rate(config, kind))).collect();
        let backend = match (config.enabled, redis) {
            (false, _) => Backend::Off,
            (true, None) => Backend::Memory(memory::MemoryLimits::new(&rates)),
            (true, Some(redis)) => Backend::Redis(redis_gcra::RedisLimits::new(redis.clone(), &rates)),
        };
        Limiter { backend, log }
    }

    /// Counts one request towards `client`'s pressure and says how many tiers it is over (0 to
    /// 3; always 0 with limits off, or while the shared store is unreachable).
    pub async fn pressure(&self, client: IpAddr) -> u32 {
        let mut over = 0;
        for kind in PRESSURE_KINDS {
            if matches!(self.check(kind, client).await, Verdict::Limited { .. }) {
                over += 1;
            }
        }
        over
    }

    /// Counts one request of `kind` from `client` (an address, or an IPv6 /64 as
    /// `ClientIp::limit_key` gives it) and says whether it may go on.
    pub async fn check(&self, kind: LimitKind, client: IpAddr) -> Verdict {
        match &self.backend {
            Backend::Off => Verdict::Allowed,
            Backend::Memory(limits) => limits.check(kind, client),
            Backend::Redis(limits) => match limits.check(kind, client).await {
                Ok(verdict) => verdict,
                Err(e) => {
                    self.log.warn("rate limit store", &e);
                    if kind.fails_closed() {
                        Verdict::Unavailable
                    } else {
                        Verdict::Allowed
                    }
                }
            },
        }
    }
}
