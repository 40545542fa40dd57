//! What the `contact-client` binary needs from the library besides the fairing: where its
//! configuration comes from, first-run secrets, the listen address, the logger, and the work it
//! does on the database outside a running server.

pub use crate::config::secrets::{bootstrap, fresh_env_lines, otpauth_uri, Bootstrap, Mode};
pub use crate::config::{Listen, Sources};
pub use crate::logging::{LogFormat, Logger};
pub use crate::maintenance::{ExportFormat, Maintenance, MaintenanceError};
pub use crate::secret::Secret;
pub use crate::sign_in::hash_password;
pub use crate::sign_in::team::UserEnrolment;
pub use crate::store::{Copied, UserRow};

use crate::assets::Overrides;
use crate::clock::Clock;
use crate::config::Config;
use crate::notify::Notifier;
use crate::render::Renderer;

/// What `contact-client notify-test` does: a test email to the owners and a test event to the
/// webhook, with the configured settings; each receiver with what happened. Empty when
/// nothing is configured.
pub async fn notify_test(config: &Config) -> Result<Vec<(&'static str, Result<(), String>)>, String> {
    let overrides = Overrides::load(config.templates_dir.as_deref(), config.static_dir.as_deref())
        .map_err(|e| e.to_string())?;
    let catalogs = std::sync::Arc::new(crate::i18n::Catalogs::shipped());
    let render = Renderer::new(&config.base_path, overrides, catalogs, &config.languages);
    render.check_overrides().map_err(|e| e.to_string())?;
    let notifier = Notifier::new(&config.notify, render).map_err(|e| e.to_string())?;
    let results = notifier.test(&Clock::system()).await;
    Ok(results.into_iter().map(|(receiver, result)| (receiver, result.map_err(|e| e.to_string()))).collect())
}

/// What `contact-client check` prints about a configuration: no secret, only whether it is set.
pub fn describe(config: &Config, listen: &Listen) -> String {
    let mut lines = vec![
        format!("  listen:        {}:{}", listen.address, listen.port),
        format!("  base path:     {}", config.base_path.as_str()),
        format!("  environment:   {:?}", config.env),
        format!("  data dir:      {}", config.data_dir.display()),
        format!("  fernet keys:   {}", config.fernet_keys.keys().len()),
        format!(
            "  admin password: {}",
            if config.admin_password_hash.is_some() { "required" } else { "not set (TOTP code only)" }
        ),
        format!(
            "  numverify:     {}",
            if config.numverify.api_key.is_some() { "on" } else { "off (local phone validation)" }
        ),
        format!("  rate limits:   {}", if config.ratelimit.enabled { "on" } else { "OFF" }),
        format!(
            "  languages:     {}",
            config.languages.offered().iter().map(|l| l.code()).collect::<Vec<_>>().join(", ")
        ),
        format!("  metrics:       {}", if config.metrics_token.is_some() { "on (/metrics)" } else { "off" }),
        format!("  log format:    {}", listen.log_format.name()),
    ];
    if config.captcha_test_answer.is_some() {
        lines.push("  captcha:       TEST MODE (CAPTCHA_TEST_ANSWER is set)".into());
    }
    lines.join("\n")
}

/// The database the configuration names.
pub fn database(config: &Config) -> &crate::config::Database {
    &config.database
}
