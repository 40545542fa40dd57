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
pub mod config;
pub mod crypto;
pub mod domain;
mod errors;
mod fairing;
mod guards;
mod intake;
mod render;
mod routes;
pub mod secret;
mod state;
pub mod store;

pub use config::Config;
pub use fairing::{fairing, ContactClient};

/// Why an instance could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Config(#[from] config::ConfigError),
    #[error("FERNET_KEY: {0}")]
    Vault(#[from] crypto::VaultError),
    #[error(transparent)]
    Store(#[from] store::StoreError),
}
