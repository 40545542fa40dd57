//! Rate limits by policy: every route is mounted through [`budget`], which wraps its handler so
//! that the request is counted against a budget of the client's address before any guard or
//! handler runs, and answered 429 (with `Retry-After`) past it. A route can't forget its limit:
//! the routes table gives each one a budget, and a test walks every mounted route.
//!
//! Sign-in has a second budget, counted by [`SignInAttempt`] only once the form passed its CSRF
//! and Origin checks: a cross-site page must not be able to lock the admin out.

use std::sync::atomic::{AtomicBool, Ordering};

use rocket::data::{self, Data, FromData};
use rocket::http::Status;
use rocket::request::Request;
use rocket::route::{self, Handler, Route};

use super::client_ip::ClientIp;
use rocket::FromForm;

use super::form_body::{BodyError, CsrfChecked};
use super::App;
use crate::ratelimit::{LimitKind, Verdict};

/// Seconds until the client may try again, left for the 429 catcher.
pub struct RetryAfter(pub u64);

/// Counts one request of `kind`; the error status when it may not go on.
async fn admit(req: &Request<'_>, kind: LimitKind) -> Result<(), Status> {
    let app = App::of(req).ok_or(Status::InternalServerError)?;
    let client = ClientIp::of(req, app.config.proxy_ip_header.as_deref()).limit_key();
    match app.limiter.check(kind, client).await {
        Verdict::Allowed => Ok(()),
        Verdict::Limited { retry_after } => {
            app.metrics.rate_limited(kind.name());
            let secs = retry_after.as_secs() + u64::from(retry_after.subsec_nanos() > 0);
            req.local_cache(|| RetryAfter(secs.max(1)));
            Err(Status::TooManyRequests)
        }
        Verdict::Unavailable => Err(Status::ServiceUnavailable),
    }
}

/// Whether this request was counted by a route's budget already (a request that one route
/// forwards to the next is still one request).
struct Counted(AtomicBool);

/// A route's handler behind its budget.
#[derive(Clone)]
struct Budgeted {
    kind: LimitKind,
    inner: Box<dyn Handler>,
}

#[rocket::async_trait]
impl Handler for Budgeted {
    async fn handle<'r>(&self, req: &'r Request<'_>, data: Data<'r>) -> route::Outcome<'r> {
        let counted = req.local_cache(|| Counted(AtomicBool::new(false)));
        if !counted.0.swap(true, Ordering::Relaxed) {
            if let Err(status) = admit(req, self.kind).await {
                return route::Outcome::Error(status);
            }
        }
        self.inner.handle(req, data).await
    }
}

/// `routes`, each counted against the `kind` budget of the client's address.
pub fn budget(kind: LimitKind, routes: Vec<Route>) -> Vec<Route> {
    routes
        .into_iter()
        .map(|mut route| {
            route.handler = Box::new(Budgeted { kind, inner: route.handler });
            route
        })
        .collect()
}

/// A sign-in form that passed the CSRF and Origin checks and then the sign-in budget of its
/// address.
pub struct SignInAttempt(pub SignInForm);

/// What a sign-in sends (the password when one is configured or users exist).
#[derive(FromForm)]
pub struct SignInForm {
    /// Empty on a site without users.
    #[field(default = String::new())]
    pub username: String,
    #[field(default = String::new())]
    pub code: String,
    #[field(default = String::new())]
    pub password: String,
}

#[rocket::async_trait]
impl<'r> FromData<'r> for SignInAttempt {
    type Error = BodyError;

    async fn from_data(req: &'r Request<'_>, data: Data<'r>) -> data::Outcome<'r, Self> {
        let CsrfChecked(form) = rocket::outcome::try_outcome!(CsrfChecked::from_data(req, data).await);
        match admit(req, LimitKind::Login).await {
            Ok(()) => data::Outcome::Success(SignInAttempt(form)),
            Err(status) => data::Outcome::Error((status, BodyError::Limited)),
        }
    }
}
