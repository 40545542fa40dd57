//! The body of a POST, read once (at most 64 KiB), parsed from `application/x-www-form-urlencoded`
//! or a JSON object, and admitted only with a valid CSRF token.

use std::time::Duration;

use rocket::data::{ByteUnit, Data, FromData, Outcome, ToByteUnit};
use rocket::form::{Form, FromForm, ValueField};
use rocket::http::Status;
use rocket::request::Request;

use super::{csrf, App};

/// Bodies above this are refused with 413 before any parsing.
pub const MAX_BODY: u64 = 64 * 1024;

/// How long a body may take to arrive. Rocket has no timeout of its own for reading one, so a
/// client that trickles a body (or sends none after promising one) would hold its connection
/// and a worker's attention for as long as it likes.
pub const BODY_DEADLINE: Duration = Duration::from_secs(10);

/// Reads at most `limit` bytes of body within [`BODY_DEADLINE`]: the bytes, or the status to
/// answer (413 too large, 408 too slow, 400 unreadable).
pub async fn read_body(data: Data<'_>, limit: ByteUnit) -> Result<Vec<u8>, Status> {
    match rocket::tokio::time::timeout(BODY_DEADLINE, data.open(limit).into_bytes()).await {
        Ok(Ok(body)) if body.is_complete() => Ok(body.into_inner()),
        Ok(Ok(_)) => Err(Status::PayloadTooLarge),
        Ok(Err(_)) => Err(Status::BadRequest),
        Err(_) => Err(Status::RequestTimeout),
    }
}

/// Why a body was not admitted. Carries no part of the body: Rocket logs it.
#[derive(Debug, thiserror::Error)]
pub enum BodyError {
    #[error("the body is larger than 64 KiB")]
    TooLarge,
    #[error("the body could not be read or parsed")]
    Malformed,
    #[error("the CSRF token is missing or wrong")]
    Csrf,
    #[error("over the sign-in limit")]
    Limited,
}

/// Form fields by name; the first occurrence of a name counts.
#[derive(Debug, Default)]
pub struct Fields(Vec<(String, String)>);

impl Fields {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    pub(crate) fn parse(body: &[u8], json: bool) -> Result<Fields, BodyError> {
        if !json {
            return Ok(Fields(
                form_urlencoded::parse(body).map(|(k, v)| (k.into_owned(), v.into_owned())).collect(),
            ));
        }
        let object: serde_json::Map<String, serde_json::Value> =
            serde_json::from_slice(body).map_err(|_| BodyError::Malformed)?;
        object
            .into_iter()
            .map(|(k, v)| {
                let text = match v {
                    serde_json::Value::String(s) => s,
                    serde_json::Value::Null => String::new(),
                    serde_json::Value::Bool(b) => b.to_string(),
                    serde_json::Value::Number(n) => n.to_string(),
                    _ => return Err(BodyError::Malformed),
                };
                Ok((k, text))
            })
            .collect::<Result<_, _>>()
            .map(Fields)
    }
}

impl Fields {
    /// The fields read into `T` by Rocket's form machinery (lenient: unknown names are ignored).
    pub fn read<T: for<'a> FromForm<'a>>(&self) -> Result<T, rocket::form::Errors<'_>> {
        Form::<T>::parse_iter(self.0.iter().map(|(k, v)| ValueField::from((k.as_str(), v.as_str()))))
    }
}

/// A POSTed form that passed the CSRF check.
pub struct CheckedForm(pub Fields);

/// A POSTed form that passed the CSRF check, read into `T`; a body that does not fit `T` is 422.
pub struct CsrfChecked<T>(pub T);

/// The contact form's POST: it passed the CSRF check or, when other sites may post to it, its
/// browser-set `Origin` is this site or one of those (see [`csrf::verify_site_post`]); read
/// into `T`.
pub struct SitePost<T>(pub T);

#[rocket::async_trait]
impl<'r, T: for<'a> FromForm<'a> + Send + 'static> FromData<'r> for CsrfChecked<T> {
    type Error = BodyError;

    async fn from_data(req: &'r Request<'_>, data: Data<'r>) -> Outcome<'r, Self> {
        checked_form(req, data, csrf::verify)
            .await
            .map(CsrfChecked)
            .map_or_else(Outcome::Error, Outcome::Success)
    }
}

#[rocket::async_trait]
impl<'r, T: for<'a> FromForm<'a> + Send + 'static> FromData<'r> for SitePost<T> {
    type Error = BodyError;

    async fn from_data(req: &'r Request<'_>, data: Data<'r>) -> Outcome<'r, Self> {
        checked_form(req, data, csrf::verify_site_post)
            .await
            .map(SitePost)
            .map_or_else(Outcome::Error, Outcome::Success)
    }
}

#[rocket::async_trait]
impl<'r> FromData<'r> for CheckedForm {
    type Error = BodyError;

    async fn from_data(req: &'r Request<'_>, data: Data<'r>) -> Outcome<'r, Self> {
        checked_fields(req, data, csrf::verify).await
    }
}

/// The checked body read into `T`; a body that does not fit `T` is 422.
async fn checked_form<'r, T: for<'a> FromForm<'a>>(
    req: &'r Request<'_>,
    data: Data<'r>,
    passes: fn(&Request<'_>, &App, Option<&str>) -> bool,
) -> Result<T, (Status, BodyError)> {
    match checked_fields(req, data, passes).await {
        Outcome::Success(CheckedForm(fields)) => {
            fields.read::<T>().map_err(|_| (Status::UnprocessableEntity, BodyError::Malformed))
        }
        Outcome::Error(failure) => Err(failure),
        Outcome::Forward(_) => Err((Status::BadRequest, BodyError::Malformed)),
    }
}

/// The body's fields, within the size limit, once `passes` accepts the request with its token.
async fn checked_fields<'r>(
    req: &'r Request<'_>,
    data: Data<'r>,
    passes: fn(&Request<'_>, &App, Option<&str>) -> bool,
) -> Outcome<'r, CheckedForm> {
    let Some(app) = App::of(req) else {
        return Outcome::Error((Status::InternalServerError, BodyError::Malformed));
    };
    let body = match read_body(data, MAX_BODY.bytes()).await {
        Ok(body) => body,
        Err(status) if status == Status::PayloadTooLarge => {
            return Outcome::Error((status, BodyError::TooLarge))
        }
        Err(status) => return Outcome::Error((status, BodyError::Malformed)),
    };
    let json = req.content_type().is_some_and(|ct| ct.is_json());
    let fields = match Fields::parse(&body, json) {
        Ok(fields) => fields,
        Err(e) => return Outcome::Error((Status::BadRequest, e)),
    };
    let token = fields.get("csrf_token").or_else(|| req.headers().get_one("X-CSRF-Token"));
    if !passes(req, &app, token) {
        return Outcome::Error((Status::Forbidden, BodyError::Csrf));
    }
    Outcome::Success(CheckedForm(fields))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(FromForm, Debug, PartialEq)]
    struct Note {
        #[field(default = String::new())]
        body: String,
    }

    #[test]
    fn fields_read_into_a_form_type_ignore_unknown_names_and_default_missing_ones() {
        let sent = Fields::parse(b"csrf_token=t&body=called+back&extra=1", false).unwrap();
        assert_eq!(sent.read::<Note>().unwrap(), Note { body: "called back".into() });
        let json = Fields::parse(br#"{"body":"from JSON","csrf_token":"t"}"#, true).unwrap();
        assert_eq!(json.read::<Note>().unwrap().body, "from JSON");
        let missing = Fields::parse(b"csrf_token=t", false).unwrap();
        assert_eq!(missing.read::<Note>().unwrap().body, "");
    }
}
