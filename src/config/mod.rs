//! The one validated configuration. Raw values come from a figment (the host's `contact`
//! section, or the appliance's TOML/.env/environment layers); [`Config::from_figment`] turns
//! them into typed values or one error that names the key and never echoes its value.

mod builder;
mod database;
mod listen;
pub mod notify;
mod rate;
pub mod secrets;
pub mod settings;
pub mod sources;
#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};

use figment::value::Value;
use figment::Figment;

pub use builder::ConfigBuilder;
pub use database::Database;
pub use listen::Listen;
pub use rate::Rate;
pub use sources::Sources;

use crate::domain::Phone;
use crate::keys::{BearerToken, FernetKeys, PasswordHash, SecretKey, TotpSecret};
use crate::secret::Secret;

/// Where the system is mounted: `/` or `/a/b` (no trailing slash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BasePath(String);

impl BasePath {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        if !raw.starts_with('/') {
            return Err("must start with /");
        }
        let trimmed = raw.trim_end_matches('/');
        for segment in trimmed.split('/').skip(1) {
            if segment.is_empty() || segment == "." || segment == ".." {
                return Err("must not contain empty, . or .. segments");
            }
            if !segment.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b)) {
                return Err("may only contain letters, digits and - . _ ~ between slashes");
            }
        }
        Ok(BasePath(if trimmed.is_empty() { "/".into() } else { trimmed.into() }))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The path of a route below the base: `join("/thanks")` is `/contact/thanks`.
    pub fn join(&self, path: &str) -> String {
        match self.0.as_str() {
            "/" => path.to_string(),
            base if path == "/" => base.to_string(),
            base => format!("{base}{path}"),
        }
    }

    /// The base as a URI prefix, for `uri!(base.origin(), route)`.
    pub fn origin(&self) -> rocket::http::uri::Origin<'_> {
        rocket::http::uri::Origin::parse(&self.0).unwrap_or(rocket::http::uri::Origin::ROOT)
    }

    /// The base of a part of the site below this one; `path` is one we write ourselves
    /// (`/admin`), so it needs no checking.
    pub fn below(&self, path: &str) -> BasePath {
        BasePath(self.join(path))
    }

    /// Whether a request path falls under this base.
    pub fn contains(&self, path: &str) -> bool {
        self.0 == "/"
            || path == self.0
            || (path.starts_with(&self.0) && path.as_bytes().get(self.0.len()) == Some(&b'/'))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppEnv {
    Production,
    Development,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnError {
    Accept,
    Reject,
}

#[derive(Debug, Clone)]
pub struct NumverifyConfig {
    pub api_key: Option<Secret>,
    pub url: url::Url,
    pub on_error: OnError,
}

/// What passes the form's CAPTCHA.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaptchaMode {
    /// A proof of work, or the image answer.
    Pow,
    /// Only the image answer.
    Image,
}

#[derive(Debug, Clone, Copy)]
pub struct CaptchaConfig {
    pub mode: CaptchaMode,
    /// The base difficulty: the largest secret number of a fresh address's challenge.
    pub pow_maxnumber: u64,
}

impl CaptchaConfig {
    pub const POW_MAXNUMBER: std::ops::RangeInclusive<u64> = 1_000..=10_000_000;

    /// The difficulty for an address over `pressure` tiers: four times more work a tier.
    pub fn pow_maxnumber_at(&self, pressure: u32) -> u64 {
        self.pow_maxnumber.saturating_mul(4u64.saturating_pow(pressure))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LimitStorage {
    Memory,
    Redis(Secret),
}

#[derive(Debug, Clone)]
pub struct RateLimitConfig {
    pub enabled: bool,
    pub storage: LimitStorage,
    pub submit: Rate,
    pub captcha: Rate,
    pub verify: Rate,
    pub login: Rate,
    pub default: Rate,
}

/// How long submissions are kept (days since they came).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetentionPolicy {
    /// Every submission; `None` keeps them until deleted by hand.
    pub days: Option<u32>,
    /// Submissions marked spam.
    pub spam_days: u32,
}

impl RetentionPolicy {
    pub const DAYS: std::ops::RangeInclusive<u32> = 1..=36_500;

    fn parse_days(v: &str) -> Result<u32, &'static str> {
        v.parse()
            .ok()
            .filter(|d| Self::DAYS.contains(d))
            .ok_or("must be a whole number of days from 1 to 36500")
    }
}

/// The validated configuration of one instance: made by [`Config::from_figment`] or
/// [`Config::builder`], so every value in it has passed its check.
#[derive(Debug, Clone)]
pub struct Config {
    pub(crate) secret_key: SecretKey,
    pub(crate) fernet_keys: FernetKeys,
    pub(crate) totp_secret: TotpSecret,
    pub(crate) admin_password_hash: Option<PasswordHash>,
    pub(crate) numverify: NumverifyConfig,
    pub(crate) database: Database,
    pub(crate) ratelimit: RateLimitConfig,
    pub(crate) env: AppEnv,
    pub(crate) base_path: BasePath,
    pub(crate) proxy_ip_header: Option<String>,
    pub(crate) data_dir: PathBuf,
    pub(crate) captcha: CaptchaConfig,
    pub(crate) captcha_test_answer: Option<Secret>,
    pub(crate) phone_default_region: Option<String>,
    /// Bearer token that unlocks `/healthz`'s details (and, later, `/metrics`).
    pub(crate) metrics_token: Option<BearerToken>,
    pub(crate) notify: notify::NotifyConfig,
    pub(crate) retention: RetentionPolicy,
    /// The owner's templates and static files, replacing the embedded ones by name.
    pub(crate) templates_dir: Option<PathBuf>,
    pub(crate) static_dir: Option<PathBuf>,
    /// The zone of a preferred time sent without one.
    pub(crate) default_time_zone: crate::domain::TimeZone,
    /// Other sites that may frame the form and post to it: `scheme://host[:port]` each.
    pub(crate) allowed_origins: Vec<String>,
    /// The languages offered, the default first.
    pub(crate) languages: crate::i18n::Languages,
}

/// A configuration that cannot be used. Its text names the key and what is wrong, never the
/// value.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("configuration error: {key}: {problem}")]
    Invalid { key: String, problem: String },
    #[error("configuration error: {path}: {problem}")]
    Source { path: String, problem: String },
}

impl ConfigError {
    pub fn invalid(key: &str, problem: impl Into<String>) -> Self {
        let key = match sources::env_name(key) {
            Some(env) => format!("{env} (contact.{key})"),
            None => format!("contact.{key}"),
        };
        ConfigError::Invalid { key, problem: problem.into() }
    }

    pub fn source(path: &Path, problem: String) -> Self {
        ConfigError::Source { path: path.display().to_string(), problem }
    }
}

/// Reads keys out of the `contact` section as text, whatever TOML type they were written in.
struct Section<'a>(&'a Figment);

impl Section<'_> {
    fn text(&self, key: &str) -> Result<Option<String>, ConfigError> {
        debug_assert!(settings::setting_of(key).is_some(), "{key} is missing from the settings table");
        let value = match self.0.find_value(key) {
            Ok(value) => value,
            Err(_) => return Ok(None),
        };
        let text = match value {
            Value::String(_, s) => s,
            Value::Char(_, c) => c.to_string(),
            Value::Bool(_, b) => b.to_string(),
            Value::Num(_, n) => match n.to_u128() {
                Some(u) => u.to_string(),
                None => n
                    .to_i128()
                    .map(|i| i.to_string())
                    .or_else(|| n.to_f64().map(|f| f.to_string()))
                    .unwrap_or_default(),
            },
            Value::Empty(..) => String::new(),
            Value::Dict(..) | Value::Array(..) => {
                return Err(ConfigError::invalid(key, "must be a single value, not a table or list"))
            }
        };
        let text = text.trim().to_string();
        Ok(Some(text).filter(|t| !t.is_empty()))
    }

    fn secret(&self, key: &str) -> Result<Option<Secret>, ConfigError> {
        Ok(self.text(key)?.map(Secret::new))
    }

    /// The key's value, or its default from the settings table, parsed.
    fn parsed<T>(
        &self,
        key: &str,
        parse: impl Fn(&str) -> Result<T, &'static str>,
    ) -> Result<T, ConfigError> {
        let default = settings::setting_of(key).map_or("", |s| s.default);
        let raw = self.text(key)?.unwrap_or_else(|| default.to_string());
        parse(&raw).map_err(|problem| ConfigError::invalid(key, problem))
    }

    /// A value that may be unset, parsed into its type when it is set.
    fn optional<T, E: Into<String>>(
        &self,
        key: &str,
        parse: impl Fn(&str) -> Result<T, E>,
    ) -> Result<Option<T>, ConfigError> {
        self.text(key)?
            .map(|raw| parse(&raw).map_err(|problem| ConfigError::invalid(key, problem)))
            .transpose()
    }

    /// A value that must be set, parsed into its type.
    fn required<T, E: Into<String>>(
        &self,
        key: &str,
        parse: impl Fn(&str) -> Result<T, E>,
    ) -> Result<T, ConfigError> {
        let raw = self.text(key)?.ok_or_else(|| {
            ConfigError::invalid(key, "is not set (generate one with `contact-client keygen`)")
        })?;
        parse(&raw).map_err(|problem| ConfigError::invalid(key, problem))
    }
}

impl Config {
    /// Where the system is mounted.
    pub fn base_path(&self) -> &str {
        self.base_path.as_str()
    }

    /// A configuration set in code, validated like a file when it is built.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// Validates the `contact` section of `root` (a figment whose `contact` key holds it).
    pub fn from_figment(root: &Figment) -> Result<Config, ConfigError> {
        let focused = root.focus("contact");
        settings::reject_unknown_keys(&focused)?;
        let s = Section(&focused);

        let secret_key = s.required("secret_key", SecretKey::parse)?;
        let fernet_keys = s.required("fernet_key", FernetKeys::parse)?;
        let totp_secret = s.required("totp_secret", TotpSecret::parse)?;
        let admin_password_hash = s.optional("admin_password_hash", PasswordHash::parse)?;

        let numverify = NumverifyConfig {
            api_key: s.secret("numverify.api_key")?,
            url: s.parsed("numverify.url", |u| match url::Url::parse(u) {
                Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => Ok(url),
                _ => Err("must be an http:// or https:// URL"),
            })?,
            on_error: s.parsed("numverify.on_error", |v| match v {
                "accept" => Ok(OnError::Accept),
                "reject" => Ok(OnError::Reject),
                _ => Err("must be accept or reject"),
            })?,
        };

        let data_dir = s.parsed("data_dir", |d| Ok(PathBuf::from(d)))?;
        let database = match (s.text("database_url")?, s.text("database")?) {
            (Some(url), _) => {
                Database::parse_url(&url).map_err(|p| ConfigError::invalid("database_url", p))?
            }
            (None, Some(raw)) => Database::parse(&raw).map_err(|p| ConfigError::invalid("database", p))?,
            (None, None) => Database::Sqlite(data_dir.join("contact.db")),
        };

        let ratelimit = RateLimitConfig {
            enabled: s.parsed("ratelimit.enabled", parse_bool)?,
            storage: match s.text("ratelimit.storage_url")?.as_deref() {
                None | Some("memory://") | Some("memory") => LimitStorage::Memory,
                Some(url) if url.starts_with("redis://") => LimitStorage::Redis(Secret::new(url)),
                Some(_) => {
                    return Err(ConfigError::invalid(
                        "ratelimit.storage_url",
                        "must be memory:// or redis://host:port[/db] (TLS to Redis is not supported)",
                    ))
                }
            },
            submit: s.parsed("ratelimit.submit", str::parse)?,
            captcha: s.parsed("ratelimit.captcha", str::parse)?,
            verify: s.parsed("ratelimit.verify", str::parse)?,
            login: s.parsed("ratelimit.login", str::parse)?,
            default: s.parsed("ratelimit.default", str::parse)?,
        };

        let env = s.parsed("env", |v| match v.to_ascii_lowercase().as_str() {
            "production" => Ok(AppEnv::Production),
            "development" => Ok(AppEnv::Development),
            _ => Err("must be production or development"),
        })?;
        let base_path = s.parsed("base_path", BasePath::parse)?;
        let proxy_ip_header = match s.text("proxy_ip_header")? {
            Some(h) if h.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') => Some(h),
            Some(_) => {
                return Err(ConfigError::invalid(
                    "proxy_ip_header",
                    "must be a header name such as X-Real-IP",
                ))
            }
            None => None,
        };
        let captcha = CaptchaConfig {
            mode: s.parsed("captcha.mode", |v| match v.to_ascii_lowercase().as_str() {
                "pow" => Ok(CaptchaMode::Pow),
                "image" => Ok(CaptchaMode::Image),
                _ => Err("must be pow or image"),
            })?,
            pow_maxnumber: s.parsed("captcha.pow_maxnumber", |v| {
                v.replace('_', "")
                    .parse()
                    .ok()
                    .filter(|n| CaptchaConfig::POW_MAXNUMBER.contains(n))
                    .ok_or("must be a whole number from 1000 to 10000000")
            })?,
        };
        let captcha_test_answer = match s.secret("captcha.test_answer")? {
            Some(a) if a.expose().chars().count() > 32 || a.expose().chars().any(char::is_control) => {
                return Err(ConfigError::invalid(
                    "captcha.test_answer",
                    "must be at most 32 printable characters",
                ))
            }
            other => other,
        };
        let phone_default_region = match s.text("phone.default_region")? {
            Some(r) if r.len() == 2 && Phone::knows_region(&r) => Some(r.to_ascii_uppercase()),
            Some(_) => {
                return Err(ConfigError::invalid(
                    "phone.default_region",
                    "must be a two-letter region code with numbering rules, such as US",
                ))
            }
            None => None,
        };

        let metrics_token = s.optional("metrics_token", BearerToken::parse)?;
        let notify = notify::NotifyConfig::from_section(&s, env)?;
        let directory = |raw: &str| {
            let path = PathBuf::from(raw);
            if path.is_dir() {
                Ok(path)
            } else {
                Err("must be an existing directory")
            }
        };
        let templates_dir = s.optional("templates_dir", directory)?;
        let static_dir = s.optional("static_dir", directory)?;
        let default_time_zone = s.parsed("default_time_zone", |v| {
            crate::domain::TimeZone::parse(v)
                .map_err(|_| "must be an IANA time zone name such as Europe/Berlin")
        })?;
        let allowed_origins = s
            .optional("allowed_origins", |raw| {
                raw.split(',').map(str::trim).filter(|o| !o.is_empty()).map(origin_of).collect()
            })?
            .unwrap_or_default();
        let languages = s.parsed("languages", crate::i18n::Languages::parse)?;
        let retention = RetentionPolicy {
            days: s.optional("retention.days", RetentionPolicy::parse_days)?,
            spam_days: s.parsed("retention.spam_days", RetentionPolicy::parse_days)?,
        };

        Ok(Config {
            secret_key,
            fernet_keys,
            totp_secret,
            admin_password_hash,
            numverify,
            database,
            ratelimit,
            env,
            base_path,
            proxy_ip_header,
            data_dir,
            captcha,
            captcha_test_answer,
            phone_default_region,
            metrics_token,
            notify,
            retention,
            templates_dir,
            static_dir,
            default_time_zone,
            allowed_origins,
            languages,
        })
    }
}

/// `https://site.example[:port]`, as a browser writes it in `Origin`: a scheme and a host, no path.
fn origin_of(raw: &str) -> Result<String, &'static str> {
    const PROBLEM: &str = "must be origins such as https://site.example, separated by commas";
    let url = url::Url::parse(raw).map_err(|_| PROBLEM)?;
    let bare =
        url.path() == "/" && url.query().is_none() && url.fragment().is_none() && url.username().is_empty();
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() || !bare || raw.ends_with('/') {
        return Err(PROBLEM);
    }
    Ok(url.origin().ascii_serialization())
}

fn parse_bool(v: &str) -> Result<bool, &'static str> {
    match v.to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Ok(true),
        "false" | "0" | "no" | "off" => Ok(false),
        _ => Err("must be true or false"),
    }
}
