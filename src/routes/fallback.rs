//! Requests no other route takes, for every method: a 404 from our catcher, counted against the
//! default budget like any route. Without them Rocket answers itself and logs "No matching
//! routes for" with the whole URI, query string and all (an email address in `?email=`).

use rocket::http::Status;
use rocket::{delete, get, options, patch, post, put, routes, Route};

use crate::guards::limited::budget;
use crate::ratelimit::LimitKind;

/// Ranked below every other route (100), so a route that forwards still reaches the next one.
pub fn routes() -> Vec<Route> {
    budget(LimitKind::Default, routes![get_any, post_any, put_any, delete_any, patch_any, options_any])
}

#[get("/<_..>", rank = 100)]
fn get_any() -> Status {
    Status::NotFound
}

#[post("/<_..>", rank = 100)]
fn post_any() -> Status {
    Status::NotFound
}

#[put("/<_..>", rank = 100)]
fn put_any() -> Status {
    Status::NotFound
}

#[delete("/<_..>", rank = 100)]
fn delete_any() -> Status {
    Status::NotFound
}

#[patch("/<_..>", rank = 100)]
fn patch_any() -> Status {
    Status::NotFound
}

#[options("/<_..>", rank = 100)]
fn options_any() -> Status {
    Status::NotFound
}
