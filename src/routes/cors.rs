//! The browser's question before another site's page fetches the form or a challenge with
//! JSON (the CORS preflight): yes for the origins of `ALLOWED_ORIGINS`, no for the rest. The
//! answers themselves carry `Access-Control-Allow-Origin` from the fairing.

use rocket::http::Status;
use rocket::request::{FromRequest, Outcome, Request};
use rocket::{options, routes, Responder, Route};

use crate::guards::limited::budget;
use crate::guards::App;
use crate::ratelimit::LimitKind;

pub fn routes() -> Vec<Route> {
    budget(LimitKind::Default, routes![form, captcha, captcha_path])
}

/// The request's `Origin`, when it is one of `ALLOWED_ORIGINS`.
struct AllowedOrigin;

#[rocket::async_trait]
impl<'r> FromRequest<'r> for AllowedOrigin {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, ()> {
        let app = rocket::outcome::try_outcome!(req.guard::<App>().await);
        let origin = req.headers().get_one("Origin");
        match origin.filter(|o| app.config.allowed_origins.iter().any(|a| a == o)) {
            Some(_) => Outcome::Success(AllowedOrigin),
            None => Outcome::Error((Status::Forbidden, ())),
        }
    }
}

#[derive(Responder)]
#[response(status = 204)]
struct Preflight {
    body: (),
    methods: rocket::http::Header<'static>,
    headers: rocket::http::Header<'static>,
    max_age: rocket::http::Header<'static>,
}

fn yes() -> Preflight {
    Preflight {
        body: (),
        methods: rocket::http::Header::new("Access-Control-Allow-Methods", "GET, POST"),
        headers: rocket::http::Header::new("Access-Control-Allow-Headers", "Content-Type, Accept"),
        max_age: rocket::http::Header::new("Access-Control-Max-Age", "600"),
    }
}

#[options("/")]
fn form(_origin: AllowedOrigin) -> Preflight {
    yes()
}

#[options("/captcha")]
fn captcha(_origin: AllowedOrigin) -> Preflight {
    yes()
}

#[options("/captcha/<_..>")]
fn captcha_path(_origin: AllowedOrigin) -> Preflight {
    yes()
}
