//! The vault: personal data leaves memory only as Fernet tokens, readable by Python's
//! `cryptography.fernet` with the same key. Also the keys derived from `SECRET_KEY`.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use fernet::MultiFernet;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use crate::keys::{FernetKeys, SecretKey};

#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    #[error("a stored token could not be decrypted with any configured key")]
    Undecryptable,
    #[error(
        "FERNET_KEY: none of the configured keys decrypts the stored data ({0} samples tried); \
         configure the key it was written with (a new key first, the old one after it)"
    )]
    ForeignData(usize),
}

/// How many stored ciphertexts are tried at start and by `check`: the keys must open one.
pub const KEY_SAMPLE: u32 = 8;

pub struct Vault {
    keys: MultiFernet,
}

impl Vault {
    pub fn new(keys: &FernetKeys) -> Vault {
        Vault { keys: MultiFernet::new(keys.keys().to_vec()) }
    }

    pub fn encrypt(&self, plaintext: &str) -> String {
        self.keys.encrypt(plaintext.as_bytes())
    }

    /// Whether the keys open stored data: any one of `sample` will do (a sample that mixes
    /// keys is a rotation in progress); an empty sample is a new database.
    pub fn opens(&self, sample: &[String]) -> Result<(), VaultError> {
        if sample.is_empty() || sample.iter().any(|token| self.keys.decrypt(token).is_ok()) {
            Ok(())
        } else {
            Err(VaultError::ForeignData(sample.len()))
        }
    }

    pub fn decrypt(&self, token: &str) -> Result<String, VaultError> {
        let bytes = self.keys.decrypt(token).map_err(|_| VaultError::Undecryptable)?;
        String::from_utf8(bytes).map_err(|_| VaultError::Undecryptable)
    }
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Vault(***)")
    }
}

type HmacSha256 = Hmac<Sha256>;

/// A keyed HMAC of a normalised value, stored beside its ciphertext so an exact match can be
/// found without decrypting (and without the value itself being stored).
pub struct BlindIndex([u8; 32]);

/// One value of a blind index: the first 16 bytes of the HMAC, stored as a BLOB. 128 bits
/// keep collisions out of reach at a quarter of the 64 hex digits once stored; an exact
/// search reads every stored key (migrations/sqlite/0006), so their size is its cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexKey([u8; 16]);

impl IndexKey {
    pub fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }
}

impl BlindIndex {
    pub fn new(key: [u8; 32]) -> BlindIndex {
        BlindIndex(key)
    }

    /// The index of email addresses, keyed from `SECRET_KEY`.
    pub fn for_emails(secret_key: &SecretKey) -> BlindIndex {
        BlindIndex::new(derive_key(secret_key, "email-index"))
    }

    pub fn of(&self, normalised: &str) -> IndexKey {
        let mut key = [0; 16];
        key.copy_from_slice(&keyed_hash(&self.0, normalised.as_bytes())[..16]);
        IndexKey(key)
    }
}

/// The CSRF key: a form's token is the HMAC of its visitor's random cookie value.
pub struct CsrfKey([u8; 32]);

impl CsrfKey {
    pub fn new(key: [u8; 32]) -> CsrfKey {
        CsrfKey(key)
    }

    pub fn token_for(&self, visitor: &str) -> String {
        URL_SAFE_NO_PAD.encode(keyed_hash(&self.0, visitor.as_bytes()))
    }

    /// In constant time.
    pub fn accepts(&self, visitor: &str, token: &str) -> bool {
        self.token_for(visitor).as_bytes().ct_eq(token.as_bytes()).into()
    }
}

/// Lower-case hexadecimal, two digits a byte.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    bytes
        .iter()
        .flat_map(|b| [DIGITS[usize::from(b >> 4)], DIGITS[usize::from(b & 0xf)]])
        .map(char::from)
        .collect()
}

/// A 32-byte key for one purpose (CSRF, sessions, blind index…), derived from `SECRET_KEY` so
/// that one leaked derived key says nothing about the others.
pub fn derive_key(secret_key: &SecretKey, purpose: &str) -> [u8; 32] {
    keyed_hash(secret_key.expose().as_bytes(), format!("contact-client/{purpose}").as_bytes())
}

/// HMAC-SHA256 of `message` under `key`.
pub fn keyed_hash(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(message);
    mac.finalize().into_bytes().into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use fernet::Fernet;

    #[test]
    fn hex_is_two_lower_case_digits_a_byte() {
        let bytes: Vec<u8> = (0..=255).collect();
        let expected: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex(&bytes), expected, "stored blind indexes and Redis keys keep their spelling");
    }

    #[test]
    fn an_index_key_is_the_first_half_of_the_keyed_hash() {
        let index = BlindIndex::new([9; 32]);
        let key = index.of("ada@example.com");
        assert_eq!(key.as_bytes()[..], keyed_hash(&[9; 32], b"ada@example.com")[..16]);
        assert_eq!(key, index.of("ada@example.com"));
        assert_ne!(key, index.of("grace@example.com"));
        assert_ne!(key, BlindIndex::new([8; 32]).of("ada@example.com"), "keyed");
    }

    #[test]
    fn rotation_decrypts_old_tokens_and_encrypts_with_the_first_key() {
        let old = Fernet::generate_key();
        let new = Fernet::generate_key();
        let vault = |keys: &str| Vault::new(&FernetKeys::parse(keys).unwrap());
        let before = vault(&old);
        let token = before.encrypt("Ada Lovelace");
        let after = vault(&format!("{new}, {old}"));
        assert_eq!(after.decrypt(&token).unwrap(), "Ada Lovelace");
        let fresh = after.encrypt("x");
        assert!(vault(&new).decrypt(&fresh).is_ok());
        assert!(before.decrypt(&fresh).is_err());
    }

    #[test]
    fn derived_keys_differ_by_purpose() {
        let s = SecretKey::parse(&"x".repeat(32)).unwrap();
        assert_ne!(derive_key(&s, "csrf"), derive_key(&s, "session"));
        assert_eq!(derive_key(&s, "csrf"), derive_key(&s, "csrf"));
    }
}
