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

mod assets;
mod back_office;
mod captcha;
pub mod clock;
pub mod config;
pub mod crypto;
pub mod domain;
mod errors;
mod fairing;
mod files;
mod guards;
mod headers;
mod intake;
pub mod keys;
pub mod logging;
pub mod maintenance;
mod phone;
#[cfg(test)]
mod properties;
mod ratelimit;
mod redis_conn;
mod render;
mod routes;
pub mod secret;
pub mod sign_in;
mod state;
pub mod store;
mod sync;
mod ttl_map;

/// Drawing a CAPTCHA answer as a PNG and speaking it as a WAV (with the letters' recordings
/// that [`Voice::load`] decodes): what `/captcha/<token>/image` and `/captcha/<token>/audio`
/// serve.
pub use captcha::{draw_png, draw_wav, Voice};
pub use clock::Clock;
pub use config::Config;
pub use fairing::{fairing, ContactClient};
pub use state::StartError;

/// For hosts that use rocket_dyn_templates (feature `dyn-templates`): our templates in their
/// engine, to `{% include %}` or `{% extends %}` from their own pages.
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
