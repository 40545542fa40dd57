//! Where configuration comes from, lowest to highest precedence: built-in defaults (applied
//! by validation) → TOML (`[contact]` table) → `.env` file → process environment.
//!
//! The environment names are the seed application's, so an existing `.env` moves over
//! unchanged. Both `.env` and the environment are read into plain maps and merged as figment
//! layers: the process environment is never modified (the library may be embedded).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use figment::providers::{Format, Serialized, Toml};
use figment::Figment;

use super::ConfigError;

/// Environment name → dotted key inside the `contact` section. Where two names map to the same
/// key the later one wins (`APP_ENV` over the seed's `FLASK_ENV`).
pub const ENV_NAMES: &[(&str, &str)] = &[
    ("SECRET_KEY", "secret_key"),
    ("FERNET_KEY", "fernet_key"),
    ("TOTP_SECRET", "totp_secret"),
    ("ADMIN_PASSWORD_HASH", "admin_password_hash"),
    ("NUMVERIFY_API_KEY", "numverify.api_key"),
    ("NUMVERIFY_URL", "numverify.url"),
    ("NUMVERIFY_ON_ERROR", "numverify.on_error"),
    ("DB_NAME", "database"),
    // The seed's name, kept; REDIS_URL (later, so it wins) says what it holds: limits, CAPTCHA
    // uses and phone verdicts.
    ("RATELIMIT_STORAGE_URL", "ratelimit.storage_url"),
    ("REDIS_URL", "ratelimit.storage_url"),
    ("RATELIMIT_ENABLED", "ratelimit.enabled"),
    ("RATELIMIT_SUBMIT", "ratelimit.submit"),
    ("RATELIMIT_CAPTCHA", "ratelimit.captcha"),
    ("RATELIMIT_VERIFY", "ratelimit.verify"),
    ("RATELIMIT_LOGIN", "ratelimit.login"),
    ("RATELIMIT_DEFAULT", "ratelimit.default"),
    ("FLASK_ENV", "env"),
    ("APP_ENV", "env"),
    ("ADDRESS", "address"),
    ("PORT", "port"),
    ("BASE_PATH", "base_path"),
    ("PROXY_IP_HEADER", "proxy_ip_header"),
    ("DATA_DIR", "data_dir"),
    ("CAPTCHA_TEST_ANSWER", "captcha.test_answer"),
    ("PHONE_DEFAULT_REGION", "phone.default_region"),
    ("METRICS_TOKEN", "metrics_token"),
];

/// The environment names of a dotted key, as one label a `.env` user recognises
/// (`REDIS_URL / RATELIMIT_STORAGE_URL`), the one that wins first.
pub fn env_name(key: &str) -> Option<String> {
    let names: Vec<&str> = ENV_NAMES.iter().rev().filter(|(_, k)| *k == key).map(|(name, _)| *name).collect();
    (!names.is_empty()).then(|| names.join(" / "))
}

/// A figment layer holding, under `contact`, the variables named as in [`ENV_NAMES`].
/// Empty values count as unset, as in the seed application.
pub fn env_layer<I, K, V>(vars: I) -> Figment
where
    I: IntoIterator<Item = (K, V)>,
    K: AsRef<str>,
    V: Into<String>,
{
    let vars: BTreeMap<String, String> = vars
        .into_iter()
        .map(|(k, v)| (k.as_ref().to_string(), v.into()))
        .filter(|(k, v)| !v.is_empty() && env_name_known(k))
        .collect();
    ENV_NAMES
        .iter()
        .filter_map(|(name, key)| vars.get(*name).map(|value| (*key, value.clone())))
        .fold(Figment::new(), |fig, (key, value)| {
            fig.merge(Serialized::default(&format!("contact.{key}"), value))
        })
}

fn env_name_known(name: &str) -> bool {
    ENV_NAMES.iter().any(|(n, _)| *n == name)
}

/// Reads a `.env` file into name/value pairs without touching the process environment.
pub fn read_env_file(path: &Path) -> Result<Vec<(String, String)>, ConfigError> {
    let iter = dotenvy::from_path_iter(path)
        .map_err(|e| ConfigError::source(path, format!("cannot be read ({})", redacted_dotenv_error(&e))))?;
    iter.map(|item| {
        item.map_err(|e| {
            ConfigError::source(path, format!("is not a valid .env file ({})", redacted_dotenv_error(&e)))
        })
    })
    .collect()
}

/// dotenvy's parse errors quote the offending line, which may hold a secret: keep only the
/// position.
fn redacted_dotenv_error(err: &dotenvy::Error) -> String {
    match err {
        dotenvy::Error::LineParse(_, index) => format!("syntax error at character {index}"),
        dotenvy::Error::Io(io) => io.kind().to_string(),
        _ => "unreadable".to_string(),
    }
}

/// The files the appliance reads, as chosen on the command line or by default.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// `--config FILE` / `CONTACT_CONFIG`; else `contact-client.toml` when it exists.
    pub toml: Option<PathBuf>,
    /// `--env-file FILE`; else `.env` when it exists.
    pub env_file: Option<PathBuf>,
}

impl Sources {
    /// Layers TOML < `.env` < `process_env` into a figment whose root holds a `contact` table.
    pub fn figment<I>(&self, process_env: I) -> Result<Figment, ConfigError>
    where
        I: IntoIterator<Item = (String, String)>,
    {
        let process_env: Vec<(String, String)> = process_env.into_iter().collect();
        let mut fig = Figment::new();

        let named_toml = self.toml.clone().or_else(|| {
            process_env
                .iter()
                .find(|(k, v)| k == "CONTACT_CONFIG" && !v.is_empty())
                .map(|(_, v)| PathBuf::from(v))
        });
        let toml = match named_toml {
            Some(path) if !path.is_file() => {
                return Err(ConfigError::source(&path, "does not exist".to_string()))
            }
            Some(path) => Some(path),
            None => Some(PathBuf::from("contact-client.toml")).filter(|p| p.is_file()),
        };
        if let Some(path) = toml {
            fig = fig.merge(toml_layer(&path)?);
        }

        let env_file = match &self.env_file {
            Some(path) if !path.is_file() => {
                return Err(ConfigError::source(path, "does not exist".to_string()))
            }
            Some(path) => Some(path.clone()),
            None => Some(PathBuf::from(".env")).filter(|p| p.is_file()),
        };
        if let Some(path) = env_file {
            fig = fig.merge(env_layer(read_env_file(&path)?));
        }
        Ok(fig.merge(env_layer(process_env)))
    }
}

/// Parses the TOML file up front: figment's own parse errors quote the offending line, which
/// may hold a secret, so only the line number is reported.
fn toml_layer(path: &Path) -> Result<Figment, ConfigError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| ConfigError::source(path, format!("cannot be read ({})", e.kind())))?;
    match toml::from_str::<toml::Table>(&text) {
        Ok(_) => Ok(Figment::from(Toml::string(&text))),
        Err(err) => {
            let line = err.span().map(|s| text[..s.start].lines().count().max(1));
            let at = line.map(|l| format!(" at line {l}")).unwrap_or_default();
            Err(ConfigError::source(path, format!("is not valid TOML{at}")))
        }
    }
}
