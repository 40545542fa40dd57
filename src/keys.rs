//! Key material as types that can only hold a usable value: a configuration built in code
//! goes through the same checks as one read from a file, because there is no other way to
//! make these values. None of them prints its value.

use std::fmt;

use fernet::Fernet;
use subtle::ConstantTimeEq;

use crate::secret::Secret;

/// `SECRET_KEY`: at least 32 characters; every other key of the instance is derived from it.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretKey(Secret);

impl SecretKey {
    pub const MIN_CHARS: usize = 32;

    pub fn parse(raw: &str) -> Result<SecretKey, &'static str> {
        if raw.trim().chars().count() < Self::MIN_CHARS {
            return Err("must be at least 32 characters");
        }
        Ok(SecretKey(Secret::new(raw.trim())))
    }

    pub fn expose(&self) -> &str {
        self.0.expose()
    }
}

/// `FERNET_KEY`: one or more comma-separated Fernet keys; the first encrypts, all decrypt.
#[derive(Clone)]
pub struct FernetKeys {
    text: Secret,
    keys: Vec<Fernet>,
}

impl FernetKeys {
    pub fn parse(raw: &str) -> Result<FernetKeys, String> {
        let keys: Vec<&str> = raw.split(',').map(str::trim).filter(|k| !k.is_empty()).collect();
        if keys.is_empty() {
            return Err("is empty".into());
        }
        keys.iter()
            .enumerate()
            .map(|(i, key)| {
                Fernet::new(key).ok_or_else(|| {
                    format!(
                        "key {} of {} is not a Fernet key (url-safe base64 of 32 bytes)",
                        i + 1,
                        keys.len()
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()
            .map(|parsed| FernetKeys { text: Secret::new(keys.join(",")), keys: parsed })
    }

    /// The keys, newest (the encrypting one) first; never empty.
    pub fn keys(&self) -> &[Fernet] {
        &self.keys
    }

    /// The keys as configured (comma-separated).
    #[cfg(test)]
    pub fn expose(&self) -> &str {
        self.text.expose()
    }
}

/// `WEBHOOK_SECRET`: `whsec_` and the base64 of 24 to 64 random bytes, as Standard Webhooks
/// writes it; the bytes are the HMAC key.
#[derive(Clone)]
pub struct WebhookSecret(Vec<u8>);

impl WebhookSecret {
    pub fn parse(raw: &str) -> Result<WebhookSecret, &'static str> {
        use base64::Engine;
        let encoded = raw.trim().strip_prefix("whsec_").ok_or("must start with whsec_")?;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .map_err(|_| "must be whsec_ followed by base64")?;
        if !(24..=64).contains(&bytes.len()) {
            return Err("must hold 24 to 64 bytes after whsec_");
        }
        Ok(WebhookSecret(bytes))
    }

    /// A fresh secret of 32 random bytes, written as the setting takes it.
    pub fn generate() -> Secret {
        use base64::Engine;
        use rand::RngCore;
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        Secret::new(format!("whsec_{}", base64::engine::general_purpose::STANDARD.encode(bytes)))
    }

    pub fn bytes(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("WebhookSecret(***)")
    }
}

/// `TOTP_SECRET`: base32 of at least 80 bits (RFC 4226 recommends 128; authenticator apps
/// commonly make 80).
#[derive(Clone)]
pub struct TotpSecret {
    bytes: Vec<u8>,
}

impl TotpSecret {
    pub const MIN_BYTES: usize = 10;

    pub fn parse(raw: &str) -> Result<TotpSecret, &'static str> {
        let cleaned: String =
            raw.chars().filter(|c| !c.is_whitespace() && *c != '=').map(|c| c.to_ascii_uppercase()).collect();
        match base32::decode(base32::Alphabet::Rfc4648 { padding: false }, &cleaned) {
            None => Err("is not base32 (letters A-Z and digits 2-7)"),
            Some(bytes) if bytes.len() < Self::MIN_BYTES => {
                Err("is shorter than 80 bits (16 base32 characters)")
            }
            Some(bytes) => Ok(TotpSecret { bytes }),
        }
    }

    /// A fresh secret of 160 random bits (RFC 4226's recommended length).
    pub fn generate() -> TotpSecret {
        use rand::RngCore;
        let mut bytes = vec![0u8; 20];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        TotpSecret { bytes }
    }

    /// Upper-case base32 without padding, as an `otpauth://` URI carries it.
    pub fn base32(&self) -> String {
        base32::encode(base32::Alphabet::Rfc4648 { padding: false }, &self.bytes)
    }

    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }
}

/// `ADMIN_PASSWORD_HASH`: an argon2id PHC string.
#[derive(Clone)]
pub struct PasswordHash(Secret);

impl PasswordHash {
    pub fn parse(raw: &str) -> Result<PasswordHash, &'static str> {
        let argon2id =
            argon2::PasswordHash::new(raw.trim()).is_ok_and(|h| h.algorithm.as_str() == "argon2id");
        if !argon2id {
            return Err("must be an argon2id PHC string ($argon2id$…)");
        }
        Ok(PasswordHash(Secret::new(raw.trim())))
    }

    pub fn phc(&self) -> &str {
        self.0.expose()
    }
}

/// `METRICS_TOKEN`: 16 or more characters without spaces, compared in constant time.
#[derive(Clone)]
pub struct BearerToken(Secret);

impl BearerToken {
    pub fn parse(raw: &str) -> Result<BearerToken, &'static str> {
        if raw.chars().count() < 16 || raw.contains(char::is_whitespace) {
            return Err("must be at least 16 characters without spaces");
        }
        Ok(BearerToken(Secret::new(raw)))
    }

    /// Whether `given` (what followed `Bearer `) is this token.
    pub fn accepts(&self, given: &str) -> bool {
        self.0.expose().as_bytes().ct_eq(given.as_bytes()).into()
    }
}

impl PartialEq for FernetKeys {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl PartialEq for TotpSecret {
    fn eq(&self, other: &Self) -> bool {
        self.bytes == other.bytes
    }
}

macro_rules! redacted_debug {
    ($($name:ident),*) => {$(
        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($name), "(***)"))
            }
        }
    )*};
}

redacted_debug!(SecretKey, FernetKeys, TotpSecret, PasswordHash, BearerToken);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_or_empty_key_material_cannot_be_made() {
        assert!(SecretKey::parse("").is_err());
        assert!(SecretKey::parse(&"x".repeat(31)).is_err());
        assert!(SecretKey::parse(&format!("  {}  ", "x".repeat(31))).is_err(), "spaces are not key");
        assert!(SecretKey::parse(&"x".repeat(32)).is_ok());

        assert!(TotpSecret::parse("").is_err(), "an empty secret would let anyone compute codes");
        assert!(TotpSecret::parse("!!!!").is_err());
        assert!(TotpSecret::parse("JBSWY3DP").is_err(), "40 bits");
        let secret = TotpSecret::parse("jbsw y3dp ehpk 3pxp").unwrap();
        assert_eq!(secret.base32(), "JBSWY3DPEHPK3PXP");
        assert_eq!(secret.bytes().len(), 10);

        assert!(FernetKeys::parse("").is_err());
        assert!(FernetKeys::parse(" , ").is_err());
        let good = Fernet::generate_key();
        assert_eq!(
            FernetKeys::parse(&format!("{good}, nope")).unwrap_err(),
            "key 2 of 2 is not a Fernet key (url-safe base64 of 32 bytes)"
        );
        assert_eq!(FernetKeys::parse(&format!("{good},{good}")).unwrap().keys().len(), 2);
    }

    #[test]
    fn a_bearer_token_is_long_and_compared_whole() {
        assert!(BearerToken::parse("short").is_err());
        assert!(BearerToken::parse("sixteen chars ok").is_err(), "no spaces");
        let token = BearerToken::parse("a-long-enough-token").unwrap();
        assert!(token.accepts("a-long-enough-token"));
        assert!(!token.accepts("a-long-enough-toke") && !token.accepts(""));
    }

    #[test]
    fn debug_never_shows_the_value() {
        let key = SecretKey::parse(&"s".repeat(40)).unwrap();
        let totp = TotpSecret::parse("JBSWY3DPEHPK3PXP").unwrap();
        assert_eq!(format!("{key:?} {totp:?}"), "SecretKey(***) TotpSecret(***)");
    }
}
