//! Everything one mounted instance owns. Instances are found by base path, never by type, so
//! two of them in one Rocket app (or one test process) share nothing.

use std::sync::atomic::{AtomicI64, AtomicU64};
use std::sync::{Arc, RwLock};

use crate::assets::Overrides;
use crate::captcha::{CaptchaKeys, Captchas};
use crate::clock::Clock;
use crate::config::{AppEnv, Config, LimitStorage};
use crate::crypto::{derive_key, hex, BlindIndex, CsrfKey, Vault};
use crate::i18n::{Catalogs, Lang};
use crate::logging::LogThrottle;
use crate::metrics::Metrics;
use crate::notify::Notifier;
use crate::phone::PhoneChecker;
use crate::ratelimit::Limiter;
use crate::redis_conn::Redis;
use crate::render::stencil::Periodic;
use crate::render::Renderer;
use crate::retention::Retention;
use crate::sign_in::AdminAuth;
use crate::store::Store;

/// Why an instance could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    #[error(transparent)]
    Keys(#[from] crate::crypto::VaultError),
    #[error(transparent)]
    Redis(#[from] crate::redis_conn::RedisError),
    #[error("NumVerify: no HTTP client ({0})")]
    Numverify(String),
    #[error(transparent)]
    Notify(#[from] crate::notify::NotifyError),
    #[error(transparent)]
    Overrides(#[from] crate::assets::OverrideError),
    #[error(transparent)]
    Template(#[from] crate::render::RenderError),
    #[error("metrics: {0}")]
    Metrics(#[from] prometheus::Error),
}

pub struct ContactState {
    pub config: Config,
    pub clock: Clock,
    pub vault: Arc<Vault>,
    pub email_index: BlindIndex,
    pub admin: AdminAuth,
    pub store: Store,
    pub render: Renderer,
    /// The blank form in each shipped language, rendered once a minute and filled with each
    /// visitor's two tokens.
    pub blank_forms: [Periodic<2>; Lang::SHIPPED.len()],
    pub csrf: CsrfKey,
    pub cookies: CookieNames,
    pub captchas: Captchas,
    pub limiter: Limiter,
    pub phone: PhoneChecker,
    pub notifier: Arc<Notifier>,
    pub retention: Arc<Retention>,
    /// Warnings a failure could repeat, written at most every ten seconds each.
    pub log: Arc<LogThrottle>,
    pub metrics: Metrics,
    /// Submissions that filled the honeypot: answered like a success, never stored.
    pub honeypot_hits: AtomicU64,
    /// The last id a honeypot hit was given, so the next one gets a later id, as stored
    /// submissions do.
    pub last_decoy_id: AtomicI64,
}

impl ContactState {
    pub async fn build(config: Config, clock: Clock) -> Result<ContactState, StartError> {
        let vault = Arc::new(Vault::new(&config.fernet_keys));
        let store = Store::open(&config.database).await?;
        vault.opens(&store.sealed_sample(crate::crypto::KEY_SAMPLE).await?)?;
        let redis = match &config.ratelimit.storage {
            LimitStorage::Memory => None,
            LimitStorage::Redis(url) => {
                let namespace = derive_key(&config.secret_key, "redis-namespace");
                Some(Redis::connect(url, &hex(&namespace[..6])).await?)
            }
        };
        let overrides = Overrides::load(config.templates_dir.as_deref(), config.static_dir.as_deref())?;
        let catalogs = Arc::new(Catalogs::shipped());
        let mut render = Renderer::new(&config.base_path, overrides, catalogs, &config.languages);
        render.allow_parents(&config.allowed_origins);
        render.check_overrides()?;
        let csrf = CsrfKey::new(derive_key(&config.secret_key, "csrf"));
        let cookies = CookieNames::for_base(config.base_path.as_str());
        // Challenges are sealed per base path: two instances in one app (with one SECRET_KEY)
        // keep separate ledgers, so neither may open the other's tokens.
        let base = config.base_path.as_str();
        let captcha_keys = CaptchaKeys {
            answer: derive_key(&config.secret_key, &format!("captcha-answer:{base}")),
            seal: derive_key(&config.secret_key, &format!("captcha-seal:{base}")),
            pow: derive_key(&config.secret_key, &format!("captcha-pow:{base}")),
        };
        let test_answer = config.captcha_test_answer.as_ref().map(|a| a.expose().to_string());
        let captchas = Captchas::new(captcha_keys, test_answer, redis.clone(), clock.clone());
        let log = Arc::new(LogThrottle::default());
        let limiter = Limiter::new(&config.ratelimit, redis.as_ref(), log.clone());
        let phone_key = derive_key(&config.secret_key, "phone-cache");
        let phone = PhoneChecker::new(&config.numverify, phone_key, redis, clock.clone(), log.clone())
            .map_err(|e| StartError::Numverify(e.to_string()))?;
        let email_index = BlindIndex::for_emails(&config.secret_key);
        let admin = AdminAuth::new(&config);
        let notifier = Arc::new(Notifier::new(&config.notify, render.clone())?);
        let retention = Arc::new(Retention::new(config.retention));
        Ok(ContactState {
            config,
            clock,
            vault,
            email_index,
            admin,
            store,
            render,
            blank_forms: Default::default(),
            csrf,
            cookies,
            captchas,
            limiter,
            phone,
            notifier,
            retention,
            log,
            metrics: Metrics::new()?,
            honeypot_hits: AtomicU64::new(0),
            last_decoy_id: AtomicI64::new(0),
        })
    }

    pub fn is_production(&self) -> bool {
        self.config.env == AppEnv::Production
    }
}

/// An instance dropped without a shutdown (a test's client, a host that never launched) still
/// stops its notification worker, which runs on a thread of its own.
impl Drop for ContactState {
    fn drop(&mut self) {
        self.notifier.stop();
        self.retention.stop();
    }
}

/// Cookie names carry the base path, so instances mounted one inside another (`/` and
/// `/contact`) never read each other's cookies.
pub struct CookieNames {
    pub csrf: String,
    pub admin: String,
    /// The language picked with `?lang=`.
    pub lang: String,
}

impl CookieNames {
    fn for_base(base: &str) -> CookieNames {
        let suffix: String = base
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect::<String>()
            .trim_matches('_')
            .to_string();
        let name = |what: &str| {
            if suffix.is_empty() {
                format!("cc_{what}")
            } else {
                format!("cc_{what}_{suffix}")
            }
        };
        CookieNames { csrf: name("csrf"), admin: name("admin"), lang: name("lang") }
    }
}

/// The instances mounted in one Rocket app (managed state; one per app).
#[derive(Default)]
pub struct Instances(RwLock<Vec<Arc<ContactState>>>);

impl Instances {
    pub fn add(&self, state: Arc<ContactState>) {
        self.0.write().unwrap_or_else(|e| e.into_inner()).push(state);
    }

    /// The instance whose base path is the longest prefix of `path`.
    pub fn for_path(&self, path: &str) -> Option<Arc<ContactState>> {
        self.0
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .filter(|s| s.config.base_path.contains(path))
            .max_by_key(|s| s.config.base_path.as_str().len())
            .cloned()
    }

    pub fn all(&self) -> Vec<Arc<ContactState>> {
        self.0.read().unwrap_or_else(|e| e.into_inner()).clone()
    }
}
