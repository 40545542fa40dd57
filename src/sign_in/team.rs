//! Managing the admins, for the command line and the users page alike: add, reset, confirm,
//! change role, remove. An owner always remains.

use super::users::{Enrolment, RECOVERY_CODES};
use super::{code_step, hash_password, totp_of};
use crate::crypto::Vault;
use crate::domain::{Role, UserName};
use crate::i18n::{Msg, Phrase};
use crate::keys::TotpSecret;
use crate::store::{NewUser, Store, StoreError, UserChange};

/// Passwords shorter than this are refused.
pub const MIN_PASSWORD_CHARS: usize = 12;

#[derive(Debug, thiserror::Error)]
pub enum TeamError {
    /// What was given can't be used; the phrase says why, for the person who gave it.
    #[error("refused: {}", .0.msg.id())]
    Refused(Phrase),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A new or reset user's sign-in, shown once.
pub struct UserEnrolment {
    pub name: String,
    pub uri: String,
    /// The secret as base32, for typing into an app that can't scan.
    pub secret: String,
    pub recovery_codes: Vec<String>,
}

impl UserEnrolment {
    /// The `otpauth://` URI as an SVG QR code.
    pub fn qr_svg(&self) -> Option<String> {
        let code = qrcode::QrCode::new(self.uri.as_bytes()).ok()?;
        Some(code.render::<qrcode::render::svg::Color<'_>>().min_dimensions(200, 200).build())
    }
}

pub struct Team<'a> {
    pub store: &'a Store,
    pub vault: &'a Vault,
}

fn name_of(raw: &str) -> Result<UserName, TeamError> {
    UserName::parse(raw).map_err(|e| TeamError::Refused(e.into()))
}

fn role_of(raw: &str) -> Result<Role, TeamError> {
    Role::parse(raw).ok_or_else(|| TeamError::Refused(Msg("users-role-rule").into()))
}

fn no_such_user(name: &UserName) -> TeamError {
    TeamError::Refused(Phrase::from(Msg("users-unknown")).with("name", name.as_str()))
}

fn changed(name: &UserName, change: UserChange) -> Result<(), TeamError> {
    match change {
        UserChange::Done => Ok(()),
        UserChange::NoSuchUser => Err(no_such_user(name)),
        UserChange::LastOwner => {
            Err(TeamError::Refused(Phrase::from(Msg("users-last-owner")).with("name", name.as_str())))
        }
    }
}

impl Team<'_> {
    fn enrolment(&self, name: &UserName) -> (Enrolment, String) {
        let enrolment = Enrolment::new(name);
        let sealed = self.vault.encrypt(&enrolment.secret.base32());
        (enrolment, sealed)
    }

    /// Adds a user. `enrolled`: they may sign in at once (the command line); otherwise a first
    /// code must prove their authenticator ([`Team::confirm`]).
    pub async fn add(
        &self,
        name: &str,
        role: &str,
        password: &str,
        enrolled: bool,
        now: &str,
    ) -> Result<UserEnrolment, TeamError> {
        let name = name_of(name)?;
        let role = role_of(role)?;
        if password.chars().count() < MIN_PASSWORD_CHARS {
            let short = Phrase::from(Msg("users-password-short")).with("min", MIN_PASSWORD_CHARS);
            return Err(TeamError::Refused(short));
        }
        let password_hash =
            hash_password(password).map_err(|_| TeamError::Refused(Msg("users-password-unusable").into()))?;
        let (enrolment, sealed) = self.enrolment(&name);
        let added = self
            .store
            .add_user(NewUser {
                name: name.as_str(),
                role: role.as_str(),
                password_hash: &password_hash,
                totp_secret: &sealed,
                recovery_hashes: &enrolment.recovery_hashes(),
                enrolled,
                created_at: now,
            })
            .await?;
        if !added {
            return Err(TeamError::Refused(Phrase::from(Msg("users-exists")).with("name", name.as_str())));
        }
        Ok(shown(&name, enrolment))
    }

    /// A new authenticator secret and recovery codes; the user's sessions end.
    pub async fn reset(&self, name: &str, enrolled: bool) -> Result<UserEnrolment, TeamError> {
        let name = name_of(name)?;
        let (enrolment, sealed) = self.enrolment(&name);
        if !self.store.reset_user(name.as_str(), &sealed, &enrolment.recovery_hashes(), enrolled).await? {
            return Err(no_such_user(&name));
        }
        Ok(shown(&name, enrolment))
    }

    /// A first code from the user's authenticator: from now on they may sign in.
    pub async fn confirm(&self, name: &str, code: &str, unix: u64) -> Result<(), TeamError> {
        let name = name_of(name)?;
        let wrong = || TeamError::Refused(Msg("users-code-wrong").into());
        let user = self.store.user_by_name(name.as_str()).await?.ok_or_else(wrong)?;
        let secret = self
            .vault
            .decrypt(&user.totp_secret)
            .ok()
            .and_then(|s| TotpSecret::parse(&s).ok())
            .ok_or_else(wrong)?;
        let step = code_step(&totp_of(&secret), code, unix).ok_or_else(wrong)?;
        if !self.store.spend_user_step(user.id, step as i64, true).await? {
            return Err(wrong());
        }
        Ok(())
    }

    pub async fn set_role(&self, name: &str, role: &str) -> Result<(), TeamError> {
        let name = name_of(name)?;
        let role = role_of(role)?;
        changed(&name, self.store.set_user_role(name.as_str(), role.as_str()).await?)
    }

    /// Removes the user; their sessions end.
    pub async fn remove(&self, name: &str) -> Result<(), TeamError> {
        let name = name_of(name)?;
        changed(&name, self.store.remove_user(name.as_str()).await?)
    }
}

fn shown(name: &UserName, enrolment: Enrolment) -> UserEnrolment {
    debug_assert_eq!(enrolment.recovery_codes.len(), RECOVERY_CODES);
    UserEnrolment {
        name: name.as_str().to_string(),
        secret: enrolment.secret.base32(),
        uri: enrolment.uri,
        recovery_codes: enrolment.recovery_codes,
    }
}
