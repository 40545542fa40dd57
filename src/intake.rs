//! What happens to a submitted form, in order: parse every field into domain values, spend
//! the CAPTCHA challenge (always, so a token is good once), check the phone (last, so that no
//! bot and no typo costs a NumVerify look-up), seal the personal fields with the vault, store.
//! The route handler only translates HTTP to this and back.

use std::sync::atomic::Ordering;

use time::OffsetDateTime;

use crate::captcha::CaptchaError;
use crate::clock;
use crate::config::CaptchaMode;
use crate::domain::PhoneVerdict;
use crate::domain::{ContactDetails, ContactInput, FieldErrors, ParseRules};
use crate::i18n::{Lang, Msg};
use crate::phone::{Details, PhoneOutcome};
use crate::state::ContactState;
use crate::store::{SealedSubmission, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum IntakeError {
    #[error("the submission has invalid fields")]
    Invalid(FieldErrors),
    #[error(transparent)]
    Captcha(#[from] CaptchaError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The CAPTCHA part of a submission.
#[derive(Debug, Clone, Copy)]
pub struct CaptchaAnswer<'a> {
    pub token: &'a str,
    pub answer: &'a str,
    /// A proof-of-work solution (ALTCHA payload), empty when the browser sent none.
    pub altcha: &'a str,
}

/// Whether the CAPTCHA part passes, else what the visitor is told. A proof of work that holds
/// is enough (in `pow` mode) and leaves the image token unspent: it dies on its own in five
/// minutes and is worth nothing without its answer. Otherwise the image token is spent, right
/// or wrong, so that it is good once.
async fn captcha_passes(
    state: &ContactState,
    captcha: CaptchaAnswer<'_>,
) -> Result<Result<(), Msg>, CaptchaError> {
    let pow = match state.config.captcha.mode {
        CaptchaMode::Pow if !captcha.altcha.trim().is_empty() => {
            Some(state.captchas.spend_pow(captcha.altcha).await?)
        }
        _ => None,
    };
    if pow == Some(Ok(())) || state.captchas.spend(captcha.token, captcha.answer).await? {
        return Ok(Ok(()));
    }
    Ok(Err(match (pow, captcha.answer.trim().is_empty()) {
        (Some(_), true) => Msg("field-captcha-pow-failed"),
        (None, true) => Msg("field-captcha-missing"),
        (_, false) => Msg("field-captcha-wrong"),
    }))
}

/// Stores a valid submission and returns its id. A submission caught by the honeypot
/// (`trapped`) goes through the same checks, so its answers can't be told apart (an invalid one
/// is 422 like any other), and is then answered with an id a stored one would have had.
pub async fn accept(
    state: &ContactState,
    input: ContactInput<'_>,
    captcha: CaptchaAnswer<'_>,
    trapped: bool,
    lang: Lang,
) -> Result<i64, IntakeError> {
    let now = state.clock.now();
    let rules = ParseRules {
        now,
        phone_default_region: state.config.phone_default_region.as_deref(),
        default_zone: &state.config.default_time_zone,
    };
    let parsed = input.parse(&rules);
    let solved = captcha_passes(state, captcha).await?;
    let details = match (parsed, solved) {
        (Ok(details), Ok(())) => details,
        (parsed, solved) => {
            let mut errors = parsed.err().unwrap_or_default();
            if let Err(problem) = solved {
                state.metrics.captcha_failed("submit");
                errors.insert("captcha_answer", problem);
            }
            return Err(IntakeError::Invalid(errors));
        }
    };
    if trapped {
        // No NumVerify look-up and nothing stored: bots spend no quota and no row.
        state.honeypot_hits.fetch_add(1, Ordering::Relaxed);
        let last_stored = state.store.last_id().await?;
        let after = |last_decoy: i64| last_decoy.max(last_stored) + 1;
        let previous = state
            .last_decoy_id
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |last| Some(after(last)))
            .unwrap_or_else(|last| last);
        return Ok(after(previous));
    }
    let (verdict, phone) = match state.phone.check(&details.phone).await {
        PhoneOutcome::Accepted { verdict, details } => (verdict, details),
        PhoneOutcome::DoesNotExist => {
            return Err(IntakeError::Invalid(FieldErrors::from([("phone", Msg("field-phone-not-found"))])))
        }
        PhoneOutcome::Unchecked => {
            return Err(IntakeError::Invalid(FieldErrors::from([("phone", Msg("field-phone-unchecked"))])))
        }
    };
    let sealed = seal(state, &details, verdict, phone, now, lang);
    let notify = sealed.notify.any();
    let id = state.store.insert_submission(sealed).await?;
    state.metrics.submission_stored();
    if notify {
        state.notifier.submission_stored();
    }
    Ok(id)
}

fn seal(
    state: &ContactState,
    d: &ContactDetails,
    verdict: PhoneVerdict,
    phone: Details,
    now: OffsetDateTime,
    lang: Lang,
) -> SealedSubmission {
    let vault = &state.vault;
    SealedSubmission {
        created_at: clock::to_the_second(now),
        name: vault.encrypt(d.name.as_str()),
        email: vault.encrypt(d.email.as_str()),
        email_index: state.email_index.of(&d.email.normalized()),
        phone: vault.encrypt(d.phone.as_str()),
        preferred_time: d.preferred_time.to_utc_value(),
        time_zone: d.time_zone.name().to_string(),
        language: lang.code(),
        message: vault.encrypt(d.message.as_str()),
        phone_verdict: verdict,
        phone_country: phone.country,
        phone_line_type: phone.line_type,
        phone_carrier: phone.carrier,
        notify: state.notifier.for_new_submission(now.unix_timestamp()),
    }
}
