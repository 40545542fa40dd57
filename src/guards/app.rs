use std::ops::Deref;
use std::sync::Arc;

use rocket::http::Status;
use rocket::request::{FromRequest, Outcome, Request};

use crate::state::{ContactState, Instances};

/// The instance that serves this request.
pub struct App(Arc<ContactState>);

impl App {
    pub fn of(req: &Request<'_>) -> Option<App> {
        req.local_cache(|| {
            req.rocket().state::<Instances>().and_then(|i| i.for_path(req.uri().path().as_str()))
        })
        .clone()
        .map(App)
    }
}

impl Deref for App {
    type Target = ContactState;

    fn deref(&self) -> &ContactState {
        &self.0
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for App {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, ()> {
        match App::of(req) {
            Some(app) => Outcome::Success(app),
            None => Outcome::Error((Status::InternalServerError, ())),
        }
    }
}
