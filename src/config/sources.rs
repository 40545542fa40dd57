//! Where configuration comes from, lowest to highest precedence: built-in defaults (applied
//! by validation) → TOML (`[contact]` table) → `.env` file → process environment.
//!
//! The environment names (in the settings table) are the seed application's, so an existing
//! `.env` moves over unchanged. Both `.env` and the environment are read into plain maps and merged as figment
//! layers: the process environment is never modified (the library may be embedded).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use figment::providers::{Format, Serialized, Toml};
use figment::Figment;

use super::settings::{setting_of, SETTINGS};
use super::ConfigError;

/// The environment names of a dotted key, as one label a `.env` user recognises
/// (`REDIS_URL / RATELIMIT_STORAGE_URL`), the one that wins first.
pub fn env_name(key: &str) -> Option<String> {
    let names: Vec<&str> = setting_of(key)?.env.iter().rev().copied().collect();
    (!names.is_empty()).then(|| names.join(" / "))
}

/// A figment layer holding, under `contact`, the variables the settings table names.
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
        .filter(|(_, v)| !v.is_empty())
        .collect();
    SETTINGS
        .iter()
        .flat_map(|s| s.env.iter().filter_map(|name| vars.get(*name).map(|value| (s.key, value.clone()))))
        .fold(Figment::new(), |fig, (key, value)| {
            fig.merge(Serialized::default(&format!("contact.{key}"), value))
        })
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
