//! Signing in as one of the admins: name, password, and a TOTP code or a recovery code. Every
//! wrong part gets the same answer in about the same time: an unknown name still costs a
//! password hash.

use rand::RngCore;
use sha2::{Digest, Sha256};

use super::{code_step, password_matches, totp_of};
use crate::crypto::Vault;
use crate::domain::{Role, UserName};
use crate::keys::TotpSecret;
use crate::store::{Store, StoreError, UserRow};

/// Recovery codes a user gets at enrolment and at each reset.
pub const RECOVERY_CODES: usize = 10;

/// Hashed when the name is unknown, so that it takes as long as a known one (argon2id of a
/// random password, default parameters).
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$D4u68SdkHtOLNhOTOG7kqQ$UMEekYRT784JEwJrVeAOuDE+UJDRNXOdg1zkBmfUgp8";

/// Who is signed in: a user, or the single shared admin of a site without users (an owner).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user: Option<(i64, String)>,
    pub role: Role,
}

impl Actor {
    pub const SHARED: Actor = Actor { user: None, role: Role::Owner };

    pub fn name(&self) -> Option<&str> {
        self.user.as_ref().map(|(_, name)| name.as_str())
    }
}

/// A new user's authenticator secret and recovery codes, shown once.
pub struct Enrolment {
    pub secret: TotpSecret,
    pub uri: String,
    pub recovery_codes: Vec<String>,
}

impl Enrolment {
    pub fn new(name: &UserName) -> Enrolment {
        let secret = TotpSecret::generate();
        let uri = format!(
            "otpauth://totp/ContactClient:{}?secret={}&issuer=ContactClient&algorithm=SHA1&digits=6&period=30",
            name.as_str(),
            secret.base32()
        );
        let recovery_codes = (0..RECOVERY_CODES).map(|_| recovery_code()).collect();
        Enrolment { secret, uri, recovery_codes }
    }

    pub fn recovery_hashes(&self) -> Vec<[u8; 32]> {
        self.recovery_codes.iter().map(|c| recovery_hash(c)).collect()
    }
}

/// 80 random bits as four groups of four base32 letters: `abcd-efgh-ijkl-mnop`.
fn recovery_code() -> String {
    let mut bytes = [0u8; 10];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let text = base32::encode(base32::Alphabet::Rfc4648 { padding: false }, &bytes).to_ascii_lowercase();
    text.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join("-")
}

/// A recovery code as stored: SHA-256 of its letters, whatever the case, spaces and dashes.
pub fn recovery_hash(code: &str) -> [u8; 32] {
    let letters: String =
        code.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_lowercase()).collect();
    Sha256::digest(letters.as_bytes()).into()
}

/// The user, when the name, the password and the code (TOTP, or an unused recovery code) are
/// all right; the code is spent.
pub async fn sign_in(
    store: &Store,
    vault: &Vault,
    name: &str,
    password: &str,
    code: &str,
    unix: u64,
    now: &str,
) -> Result<Option<Actor>, StoreError> {
    let user = match UserName::parse(name) {
        Ok(name) => store.user_by_name(name.as_str()).await?,
        Err(_) => None,
    };
    let hash = user.as_ref().map_or(DUMMY_HASH.to_string(), |u| u.password_hash.clone());
    let password_ok = password_matches(hash, password.to_string()).await;
    // A user added in the admin signs in only after a first code proved their authenticator.
    let Some(user) = user.filter(|u| password_ok && u.enrolled) else {
        return Ok(None);
    };
    if !code_accepted(store, vault, &user, code, unix, now).await? {
        return Ok(None);
    }
    store.user_signed_in(user.id, now).await?;
    let role = Role::parse(&user.role).unwrap_or(Role::Viewer);
    Ok(Some(Actor { user: Some((user.id, user.name)), role }))
}

async fn code_accepted(
    store: &Store,
    vault: &Vault,
    user: &UserRow,
    code: &str,
    unix: u64,
    now: &str,
) -> Result<bool, StoreError> {
    let digits: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_digit()) {
        let Some(secret) = vault.decrypt(&user.totp_secret).ok().and_then(|s| TotpSecret::parse(&s).ok())
        else {
            return Ok(false);
        };
        return match code_step(&totp_of(&secret), &digits, unix) {
            Some(step) => store.spend_user_step(user.id, step as i64, false).await,
            None => Ok(false),
        };
    }
    store.spend_recovery_code(user.id, &recovery_hash(code), now).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovery_codes_are_80_bits_and_hash_whatever_their_case_and_dashes() {
        let code = recovery_code();
        assert_eq!(code.len(), 19, "{code}");
        assert_eq!(recovery_hash(&code), recovery_hash(&code.to_uppercase().replace('-', " ")));
        assert_ne!(recovery_hash(&code), recovery_hash(&recovery_code()));
    }

    #[test]
    fn the_dummy_hash_is_an_argon2id_hash() {
        assert!(crate::keys::PasswordHash::parse(DUMMY_HASH).is_ok());
    }
}
