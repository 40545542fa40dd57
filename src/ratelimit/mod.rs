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
}

impl LimitKind {
    const ALL: [LimitKind; 5] =
        [LimitKind::Submit, LimitKind::Captcha, LimitKind::Verify, LimitKind::Login, LimitKind::Default];

    fn name(self) -> &'static str {
        match self {
            LimitKind::Submit => "submit",
            LimitKind::Captcha => "captcha",
            LimitKind::Verify => "verify",
            LimitKind::Login => "login",
            LimitKind::Default => "default",
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
    }
}

impl Limiter {
    pub fn new(config: &RateLimitConfig, redis: Option<&Redis>, log: Arc<LogThrottle>) -> Limiter {
        let rates = LimitKind::ALL.map(|kind| (kind, rate(config, kind)));
        let backend = match (config.enabled, redis) {
            (false, _) => Backend::Off,
            (true, None) => Backend::Memory(memory::MemoryLimits::new(&rates)),
            (true, Some(redis)) => Backend::Redis(redis_gcra::RedisLimits::new(redis.clone(), &rates)),
        };
        Limiter { backend, log }
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
