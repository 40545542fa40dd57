//! The web layer's one error type and the one place that turns errors (and Rocket's own
//! failures, through the catchers) into pages or JSON. Nothing here shows a stack trace,
//! a secret or what a visitor typed.

use std::collections::BTreeMap;
use std::io::Cursor;

use minijinja::context;
use rocket::http::{ContentType, Status};
use rocket::request::Request;
use rocket::response::{self, Responder, Response};
use rocket::{catch, catchers, Catcher};

use crate::captcha::CaptchaError;
use crate::domain::FieldErrors;
use crate::guards::language::language_of;
use crate::guards::limited::RetryAfter;
use crate::guards::session::Refusal;
use crate::guards::{App, Wants};
use crate::i18n::{Args, Catalogs, Lang};
use crate::intake::IntakeError;
use crate::render::RenderError;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// A form with field errors: JSON lists them, HTML shows the pre-rendered form page.
    #[error("the form has errors")]
    Invalid { errors: FieldErrors, page: Option<String> },
    /// Over a limit that is not a route's budget (an account's sign-in throttle): 429.
    #[error("too many requests")]
    TooMany { retry_after: u64 },
    /// A service we depend on (the shared Redis) is down: 503, logged.
    #[error("unavailable: {0}")]
    Unavailable(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StoreError> for WebError {
    fn from(e: StoreError) -> Self {
        WebError::Internal(e.to_string())
    }
}

impl From<CaptchaError> for WebError {
    fn from(e: CaptchaError) -> Self {
        match e {
            CaptchaError::Store(_) => WebError::Unavailable(e.to_string()),
            CaptchaError::Render => WebError::Internal(e.to_string()),
        }
    }
}

impl From<RenderError> for WebError {
    fn from(e: RenderError) -> Self {
        WebError::Internal(e.to_string())
    }
}

impl From<IntakeError> for WebError {
    fn from(e: IntakeError) -> Self {
        match e {
            IntakeError::Invalid(errors) => WebError::Invalid { errors, page: None },
            IntakeError::Store(e) => e.into(),
            IntakeError::Captcha(e) => e.into(),
        }
    }
}

impl<'r> Responder<'r, 'static> for WebError {
    fn respond_to(self, req: &'r Request<'_>) -> response::Result<'static> {
        match self {
            WebError::Invalid { errors, page } => match (Wants::of(req), page) {
                (Wants::Html, Some(page)) => secured(Status::UnprocessableEntity, ContentType::HTML, page),
                _ => {
                    let errors = App::of(req)
                        .map(|app| worded(app.render.catalogs(), language_of(req), &errors))
                        .unwrap_or_default();
                    json(Status::UnprocessableEntity, &serde_json::json!({ "ok": false, "errors": errors }))
                }
            },
            WebError::TooMany { retry_after } => {
                req.local_cache(|| RetryAfter(retry_after.max(1)));
                error_response(req, Status::TooManyRequests)
            }
            WebError::Unavailable(detail) => {
                match App::of(req) {
                    Some(app) => app.log.warn("unavailable", &detail),
                    None => log::warn!("unavailable: {detail}"),
                }
                error_response(req, Status::ServiceUnavailable)
            }
            WebError::Internal(detail) => {
                log::error!("{} {}: {detail}", req.method(), req.uri().path());
                error_response(req, Status::InternalServerError)
            }
        }
    }
}

/// Each field's error in the reader's language.
pub fn worded(catalogs: &Catalogs, lang: Lang, errors: &FieldErrors) -> BTreeMap<&'static str, String> {
    errors.iter().map(|(field, msg)| (*field, catalogs.text(lang, *msg))).collect()
}

/// The status whose title and explanation the catalogs give (`error-title`, `error-explain`):
/// every server error but 503 reads as 500; other codes read as "other".
fn explained(status: Status) -> i64 {
    match status.code {
        c @ (400 | 401 | 403 | 404 | 405 | 413 | 422 | 429 | 503) => i64::from(c),
        c if c >= 500 => 500,
        _ => 0,
    }
}

pub fn json(status: Status, body: &serde_json::Value) -> response::Result<'static> {
    secured(status, ContentType::JSON, body.to_string())
}

/// A response with the security headers set here: error responses may leave through Rocket's
/// catchers without passing any fairing.
fn secured(status: Status, content_type: ContentType, body: String) -> response::Result<'static> {
    let mut response = Response::build()
        .status(status)
        .header(content_type)
        .sized_body(body.len(), Cursor::new(body))
        .finalize();
    crate::headers::secure(&mut response);
    Ok(response)
}

/// The error page (or JSON object) for `status`; a 429 says when to come back.
pub fn error_response(req: &Request<'_>, status: Status) -> response::Result<'static> {
    let mut response = error_body(req, status)?;
    if status == Status::TooManyRequests {
        let RetryAfter(secs) = req.local_cache(|| RetryAfter(60));
        response.set_raw_header("Retry-After", secs.to_string());
    }
    Ok(response)
}

fn error_body(req: &Request<'_>, status: Status) -> response::Result<'static> {
    let Some(app) = App::of(req) else {
        // Outside every instance there is no catalog, nor a page to render.
        let body =
            format!("<!doctype html><title>{0}</title><p>{0} {1}</p>", status.code, status.reason_lossy());
        return secured(status, ContentType::HTML, body);
    };
    let (catalogs, lang) = (app.render.catalogs(), language_of(req));
    let mut args = Args::new();
    args.set("status", explained(status));
    let message = match req.local_cache(|| Refusal(None)).0 {
        Some(refusal) => catalogs.text(lang, refusal),
        None => catalogs.format(lang, "error-explain", Some(&args)),
    };
    if Wants::of(req) == Wants::Json {
        return json(status, &serde_json::json!({ "ok": false, "error": message }));
    }
    let reason = catalogs.format(lang, "error-title", Some(&args));
    let page = app
        .render
        .render("contact/error.html", lang, context! { status => status.code, reason, message })
        .map_err(|e| log::error!("{e}"))
        .unwrap_or_else(|_| format!("<!doctype html><title>{0}</title><p>{message}</p>", status.code));
    secured(status, ContentType::HTML, page)
}

/// An answer for every status Rocket produces under our base path.
struct Caught(Status);

impl<'r> Responder<'r, 'static> for Caught {
    fn respond_to(self, req: &'r Request<'_>) -> response::Result<'static> {
        error_response(req, self.0)
    }
}

#[catch(default)]
fn any_status(status: Status, _req: &Request<'_>) -> Caught {
    Caught(status)
}

pub fn catchers() -> Vec<Catcher> {
    catchers![any_status]
}
