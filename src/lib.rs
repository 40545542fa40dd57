//! ContactClient: a secure contact form for Rocket.
//!
//! ```no_run
//! #[rocket::launch]
//! fn rocket() -> _ {
//!     rocket::build().attach(contact_client::fairing())
//! }
//! ```
//!
//! The fairing reads the `contact` section of the host's figment (`[default.contact]` in
//! Rocket.toml) and mounts the form, CAPTCHA, health check and admin under `base_path`.

/// Modules this crate's own tests and benchmarks reach into (feature `internals`, which only
/// the crate's dev-dependency on itself turns on); for every other user they are private.
macro_rules! internal {
    ($($module:ident),* $(,)?) => {$(
        #[cfg(feature = "internals")]
        pub mod $module;
        #[cfg(not(feature = "internals"))]
        mod $module;
    )*};
}

pub mod appliance;
mod assets;
mod back_office;
mod captcha;
mod clock;
pub mod config;
mod errors;
mod fairing;
mod files;
mod guards;
mod headers;
mod i18n;
mod intake;
mod logging;
mod maintenance;
mod metrics;
mod notify;
mod phone;
#[cfg(test)]
mod properties;
mod ratelimit;
mod redis_conn;
mod render;
mod retention;
mod routes;
mod sign_in;
mod state;
mod sync;
mod ttl_map;
internal!(crypto, domain, keys, secret, store);

/// Drawing a CAPTCHA answer as a PNG and speaking it as a WAV, for the benchmarks.
#[cfg(feature = "internals")]
pub use captcha::{draw_png, draw_wav, solution_hash, Pow, Voice};
pub use clock::Clock;
pub use config::{Config, ConfigBuilder, ConfigError};
pub use fairing::{fairing, ContactClient};
pub use state::StartError;

#[cfg(feature = "dyn-templates")]
pub mod dyn_templates {
    use crate::config::BasePath;

    #[derive(Debug, thiserror::Error)]
    pub enum RegisterError {
        #[error("base path: {0}")]
        BasePath(&'static str),
        #[error(transparent)]
        Template(#[from] minijinja::Error),
    }

    /// Registers every ContactClient template as `contact/<file>` (with the `contact_base` and
    /// `contact_asset` helpers for an instance mounted at `base_path`) into the host's minijinja
    /// engine. Call it from `Template::custom(|engines| …)`.
    pub fn register(
        engines: &mut rocket_dyn_templates::Engines,
        base_path: &str,
    ) -> Result<(), RegisterError> {
        let base = BasePath::parse(base_path).map_err(RegisterError::BasePath)?;
        crate::render::register_into(&mut engines.minijinja, &base)?;
        Ok(())
    }
}
