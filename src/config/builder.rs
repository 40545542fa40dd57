//! A configuration set in code by a host that keeps none in a figment. The values are the text a
//! TOML file or the environment would hold, and [`ConfigBuilder::build`] runs them through the
//! same validation, so a built configuration is never looser than a file.

use figment::providers::Serialized;
use figment::Figment;

use super::{Config, ConfigError};

/// ```
/// let config = contact_client::Config::builder()
///     .set("secret_key", "a-secret-of-at-least-thirty-two-characters")
///     .set("fernet_key", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")
///     .set("totp_secret", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
///     .set("base_path", "/contact")
///     .build()
///     .expect("a valid configuration");
/// # let _ = contact_client::ContactClient::from_config(config);
/// ```
#[derive(Clone, Default)]
pub struct ConfigBuilder {
    values: Vec<(String, String)>,
}

impl ConfigBuilder {
    /// Sets a key of the `contact` section (`base_path`, `ratelimit.submit`, …), as
    /// `docs/configuration.md` lists them; a later value for the same key wins.
    pub fn set(mut self, key: &str, value: impl Into<String>) -> ConfigBuilder {
        self.values.push((key.to_string(), value.into()));
        self
    }

    /// Validates every value; the error names the first bad key, never its value.
    pub fn build(self) -> Result<Config, ConfigError> {
        let figment = self.values.iter().fold(Figment::new(), |fig, (key, value)| {
            fig.merge(Serialized::default(&format!("contact.{key}"), value))
        });
        Config::from_figment(&figment)
    }
}
