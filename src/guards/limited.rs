//! The rate-limit guard: `Limited<Submit>` in a handler's arguments counts the request against
//! the submit budget of the client's address, and answers 429 (with `Retry-After`) past it.

use std::marker::PhantomData;

use rocket::http::Status;
use rocket::request::{FromRequest, Outcome, Request};

use super::client_ip::ClientIp;
use super::App;
use crate::ratelimit::{LimitKind, Verdict};

/// Which budget a route draws on.
pub trait Budget: Send + Sync + 'static {
    const KIND: LimitKind;
}

macro_rules! budgets {
    ($($name:ident => $kind:ident),* $(,)?) => {$(
        pub struct $name;
        impl Budget for $name {
            const KIND: LimitKind = LimitKind::$kind;
        }
    )*};
}

budgets! {
    SubmitBudget => Submit,
    CaptchaBudget => Captcha,
    VerifyBudget => Verify,
    LoginBudget => Login,
    DefaultBudget => Default,
}

/// Seconds until the client may try again, left for the 429 catcher.
pub struct RetryAfter(pub u64);

pub struct Limited<B: Budget>(PhantomData<B>);

#[rocket::async_trait]
impl<'r, B: Budget> FromRequest<'r> for Limited<B> {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, ()> {
        let app = rocket::outcome::try_outcome!(req.guard::<App>().await);
        let ip = ClientIp::of(req, app.config.proxy_ip_header.as_deref());
        match app.limiter.check(B::KIND, ip).await {
            Verdict::Allowed => Outcome::Success(Limited(PhantomData)),
            Verdict::Limited { retry_after } => {
                let secs = retry_after.as_secs() + u64::from(retry_after.subsec_nanos() > 0);
                req.local_cache(|| RetryAfter(secs.max(1)));
                Outcome::Error((Status::TooManyRequests, ()))
            }
            Verdict::Unavailable => Outcome::Error((Status::ServiceUnavailable, ())),
        }
    }
}
