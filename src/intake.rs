//! What happens to a submitted form, in order: parse every field into domain values, check
//! the phone, seal the personal fields with the vault, store. The route handler only
//! translates HTTP to this and back.

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use crate::domain::{ContactDetails, ContactInput, FieldErrors, ParseRules};
use crate::state::ContactState;
use crate::store::{PhoneVerdict, SealedSubmission, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum IntakeError {
    #[error("the submission has invalid fields")]
    Invalid(FieldErrors),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Stores a valid submission and returns its id.
pub async fn accept(state: &ContactState, input: ContactInput<'_>) -> Result<i64, IntakeError> {
    let now = OffsetDateTime::now_utc();
    let rules = ParseRules { now, phone_default_region: state.config.phone_default_region.as_deref() };
    let details = input.parse(&rules).map_err(IntakeError::Invalid)?;
    let sealed = seal(state, &details, PhoneVerdict::NotChecked, now);
    Ok(state.store.insert_submission(&sealed).await?)
}

fn seal(
    state: &ContactState,
    d: &ContactDetails,
    verdict: PhoneVerdict,
    now: OffsetDateTime,
) -> SealedSubmission {
    let vault = &state.vault;
    SealedSubmission {
        created_at: now.replace_nanosecond(0).unwrap_or(now).format(&Rfc3339).unwrap_or_default(),
        name: vault.encrypt(d.name.as_str()),
        email: vault.encrypt(d.email.as_str()),
        phone: vault.encrypt(d.phone.as_str()),
        preferred_time: d.preferred_time.to_form_value(),
        message: vault.encrypt(d.message.as_str()),
        phone_verdict: verdict,
        phone_country: None,
        phone_line_type: None,
        phone_carrier: None,
    }
}
