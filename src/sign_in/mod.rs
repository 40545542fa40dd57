//! Who may sign in to the admin: a TOTP code, and a password when one is configured; and how
//! often one account may be tried. The session that follows is a guard (`guards::session`).

pub mod team;
pub mod throttle;
pub mod users;

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use totp_rs::{Builder, Totp};

use crate::config::Config;
use crate::keys::{PasswordHash as StoredHash, TotpSecret};

pub struct AdminAuth {
    totp: Totp,
    password_hash: Option<StoredHash>,
}

impl AdminAuth {
    pub fn new(config: &Config) -> AdminAuth {
        AdminAuth { totp: totp_of(&config.totp_secret), password_hash: config.admin_password_hash.clone() }
    }

    pub fn requires_password(&self) -> bool {
        self.password_hash.is_some()
    }

    /// The time step a code belongs to (now, or one step either side), if it is right.
    pub fn code_step(&self, code: &str, unix_secs: u64) -> Option<u64> {
        code_step(&self.totp, code, unix_secs)
    }

    /// Whether the password is right (true when none is configured). Argon2 is slow on
    /// purpose: it runs on the blocking pool.
    pub async fn password_ok(&self, password: &str) -> bool {
        match self.password_hash.as_ref() {
            Some(hash) => password_matches(hash.phc().to_string(), password.to_string()).await,
            None => true,
        }
    }
}

/// RFC 6238 defaults: SHA-1, 6 digits, 30 s; one step of drift either way. Secrets of 80 bits
/// (common in authenticator apps) are accepted, hence "non-compliant" (RFC 4226 only
/// recommends 128).
fn totp_of(secret: &TotpSecret) -> Totp {
    Builder::new().with_secret(secret.bytes().to_vec()).with_skew(1).build_noncompliant()
}

/// The time step a 6-digit code belongs to (now, or one step either side), if it is right.
fn code_step(totp: &Totp, code: &str, unix_secs: u64) -> Option<u64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    totp.check(&code, unix_secs)
}

/// Whether the password matches the argon2id hash. Argon2 is slow on purpose: it runs on the
/// blocking pool.
async fn password_matches(hash: String, password: String) -> bool {
    rocket::tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash)
            .is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
    })
    .await
    .unwrap_or(false)
}

/// An argon2id PHC string for `ADMIN_PASSWORD_HASH`.
pub fn hash_password(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(Argon2::default().hash_password(password.as_bytes(), &salt)?.to_string())
}
