//! Property tests for every parser of outside input: whatever arrives, none panics, and what
//! parses parses again to itself. Bounded case counts keep them quick in a debug build; a case
//! proptest shrinks to is kept below as a plain test.

use proptest::prelude::*;
use time::OffsetDateTime;

use crate::back_office::export;
use base64::Engine;

use crate::captcha::{CaptchaKeys, Captchas};
use crate::clock::Clock;
use crate::config::{BasePath, Rate};
use crate::crypto::Vault;
use crate::domain::{Email, Message, Name, Phone, PreferredTime, TimeZone};
use crate::guards::form_body::Fields;
use crate::i18n::Languages;
use crate::keys::{FernetKeys, SecretKey, TotpSecret};

fn config() -> ProptestConfig {
    ProptestConfig { cases: 128, failure_persistence: None, ..ProptestConfig::default() }
}

/// Any JSON value, nested a few levels.
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::Bool),
        any::<i64>().prop_map(|n| serde_json::json!(n)),
        ".{0,12}".prop_map(serde_json::Value::String),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::Array),
            prop::collection::btree_map(".{0,8}", inner, 0..6)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn form_bodies_of_any_bytes_parse_or_are_refused(body in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = Fields::parse(&body, false);
        let _ = Fields::parse(&body, true);
    }

    #[test]
    fn json_bodies_of_any_shape_parse_or_are_refused(value in json_value()) {
        let body = value.to_string();
        let parsed = Fields::parse(body.as_bytes(), true);
        let flat = value.as_object().is_some_and(|o| o.values().all(|v| !v.is_array() && !v.is_object()));
        prop_assert_eq!(parsed.is_ok(), flat, "{}", body);
    }

    #[test]
    fn form_fields_come_back_as_they_were_sent(pairs in prop::collection::vec(("[a-z_]{1,8}", ".{0,20}"), 0..8)) {
        let body = form_urlencoded::Serializer::new(String::new()).extend_pairs(&pairs).finish();
        let fields = Fields::parse(body.as_bytes(), false).unwrap();
        for (name, value) in &pairs {
            let first = pairs.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str());
            prop_assert_eq!(fields.get(name), first, "{} = {}", name, value);
        }
    }

    #[test]
    fn domain_values_reparse_to_themselves(raw in ".{0,300}") {
        if let Ok(name) = Name::parse(&raw) {
            prop_assert_eq!(Name::parse(name.as_str()), Ok(name.clone()));
        }
        if let Ok(email) = Email::parse(&raw) {
            prop_assert_eq!(Email::parse(email.as_str()), Ok(email.clone()));
        }
        if let Ok(message) = Message::parse(&raw) {
            prop_assert_eq!(Message::parse(message.as_str()), Ok(message.clone()));
        }
        if let Ok(phone) = Phone::parse(&raw, Some("US")) {
            prop_assert_eq!(Phone::parse(phone.as_str(), None), Ok(phone.clone()));
        }
        let now = OffsetDateTime::UNIX_EPOCH + time::Duration::days(20_000);
        for zone in ["UTC", "Europe/Berlin", "America/New_York"] {
            let zone = TimeZone::parse(zone).unwrap();
            if let Ok(when) = PreferredTime::parse(&raw, &zone, now) {
                prop_assert_eq!(PreferredTime::parse(&when.to_form_value(), &zone, now), Ok(when));
            }
        }
        let _ = TimeZone::parse(&raw);
    }

    #[test]
    fn phone_like_input_never_panics(raw in "[+0-9 ()x.-]{0,40}", region in "[A-Z]{2}") {
        let _ = Phone::parse(&raw, Some(&region));
    }

    #[test]
    fn any_string_is_no_fernet_token_but_every_sealed_text_opens(raw in ".{0,200}") {
        let vault = Vault::new(&FernetKeys::parse("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=").unwrap());
        prop_assert!(vault.decrypt(&raw).is_err());
        prop_assert_eq!(vault.decrypt(&vault.encrypt(&raw)).unwrap(), raw);
    }

    #[test]
    fn no_csv_cell_starts_a_formula(cell in "[\u{200B}\u{FEFF}\u{202E} \t\r=+@a-z0-9-]{0,12}") {
        let out = export::neutralise(&cell);
        let visible = out.trim_start_matches(export::invisible);
        let plain_number = {
            let digits = cell.strip_prefix(['+', '-']).unwrap_or(&cell);
            !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
        };
        prop_assert!(out.starts_with('\'') || plain_number || !visible.starts_with(['=', '+', '-', '@', '\t', '\r']), "{:?}", out);
    }

    #[test]
    fn configuration_values_parse_or_are_refused(raw in ".{0,40}") {
        if let Ok(rate) = raw.parse::<Rate>() {
            prop_assert!(rate.count >= 1 && rate.period.as_secs() >= 1);
        }
        if let Ok(base) = BasePath::parse(&raw) {
            prop_assert_eq!(BasePath::parse(base.as_str()), Ok(base.clone()));
        }
        let _ = SecretKey::parse(&raw);
        if let Ok(totp) = TotpSecret::parse(&raw) {
            prop_assert!(totp.bytes().len() >= TotpSecret::MIN_BYTES);
            prop_assert!(TotpSecret::parse(&totp.base32()).is_ok());
        }
        let _ = FernetKeys::parse(&raw);
        if let Ok(languages) = Languages::parse(&raw) {
            let codes: Vec<&str> = languages.offered().iter().map(|l| l.code()).collect();
            prop_assert_eq!(Languages::parse(&codes.join(",")), Ok(languages.clone()));
        }
    }

    #[test]
    fn any_accept_language_picks_an_offered_language(
        header in "[a-zA-Z*;=q0-9., -]{0,80}",
        offered in prop::sample::subsequence(vec!["en", "de", "fr", "es"], 1..=4),
    ) {
        let languages = Languages::parse(&offered.join(",")).unwrap();
        let picked = languages.negotiate(Some(&header));
        prop_assert!(languages.offered().contains(&picked), "{} from {:?}", picked.code(), header);
        for lang in languages.offered() {
            // Asked for first and alone, an offered language is always the one picked.
            prop_assert_eq!(languages.negotiate(Some(&format!("{}, {header}", lang.code()))), *lang);
        }
    }

    #[test]
    fn captcha_tokens_of_any_text_open_to_nothing(raw in "[A-Za-z0-9_=-]{0,120}") {
        let captchas = Captchas::new(CaptchaKeys { answer: [1; 32], seal: [2; 32], pow: [3; 32] }, None, None, Clock::system());
        prop_assert!(captchas.open(&raw).is_none());
    }

    #[test]
    fn proof_of_work_payloads_of_any_text_are_refused(raw in "[A-Za-z0-9+/=]{0,400}", json in "\\{.{0,200}\\}") {
        let captchas = Captchas::new(CaptchaKeys { answer: [1; 32], seal: [2; 32], pow: [3; 32] }, None, None, Clock::system());
        let encoded = base64::engine::general_purpose::STANDARD.encode(json);
        for payload in [raw, encoded] {
            let spent = rocket::tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(captchas.spend_pow(&payload));
            prop_assert!(matches!(spent, Ok(Err(_))));
        }
    }
}
