//! Making a phone number trustworthy without burning the site owner's NumVerify quota: the
//! number was already parsed locally (a locally invalid number never gets here); with a key it
//! is then checked against NumVerify, at most once a day per number.

mod cache;
mod numverify;

use std::sync::Arc;

use crate::clock::Clock;
use crate::config::{NumverifyConfig, OnError};
use crate::crypto::keyed_hash;
use crate::domain::Phone;
use crate::domain::PhoneVerdict;
use crate::logging::LogThrottle;
use crate::redis_conn::Redis;
use cache::VerdictCache;
use numverify::{Lookup, Numverify};

pub use numverify::Details;

/// What the phone check concluded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PhoneOutcome {
    /// Keep the submission with this verdict.
    Accepted { verdict: PhoneVerdict, details: Details },
    /// NumVerify says the number does not exist.
    DoesNotExist,
    /// NumVerify could not be asked and the policy is to refuse.
    Unchecked,
}

pub struct PhoneChecker {
    numverify: Option<Numverify>,
    cache: VerdictCache,
    cache_key: [u8; 32],
    on_error: OnError,
    clock: Clock,
    log: Arc<LogThrottle>,
}

impl PhoneChecker {
    pub fn new(
        config: &NumverifyConfig,
        cache_key: [u8; 32],
        redis: Option<Redis>,
        clock: Clock,
        log: Arc<LogThrottle>,
    ) -> Result<PhoneChecker, reqwest::Error> {
        Ok(PhoneChecker {
            numverify: config.api_key.clone().map(|key| Numverify::new(&config.url, key)).transpose()?,
            cache: VerdictCache::new(redis, log.clone()),
            cache_key,
            on_error: config.on_error,
            clock,
            log,
        })
    }

    pub async fn check(&self, phone: &Phone) -> PhoneOutcome {
        let Some(numverify) = &self.numverify else {
            return PhoneOutcome::Accepted { verdict: PhoneVerdict::NotChecked, details: Details::default() };
        };
        let key = keyed_hash(&self.cache_key, phone.as_str().as_bytes());
        let lookup = match self.cache.get(&key, self.clock.now_ms()).await {
            Some(remembered) => Ok(remembered),
            None => {
                let fresh = numverify.lookup(phone.as_str()).await;
                if let Ok(lookup) = &fresh {
                    self.cache.put(&key, lookup, self.clock.now_ms()).await;
                }
                fresh
            }
        };
        match (lookup, self.on_error) {
            (Ok(Lookup::Valid(details)), _) => {
                PhoneOutcome::Accepted { verdict: PhoneVerdict::Verified, details }
            }
            (Ok(Lookup::Invalid), _) => PhoneOutcome::DoesNotExist,
            (Err(e), policy) => {
                self.log.warn("phone check", &e);
                match policy {
                    OnError::Accept => PhoneOutcome::Accepted {
                        verdict: PhoneVerdict::Unverified,
                        details: Details::default(),
                    },
                    OnError::Reject => PhoneOutcome::Unchecked,
                }
            }
        }
    }
}
