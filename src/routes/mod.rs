//! Route handlers, grouped by area. Handlers stay thin: guards admit the request, services do
//! the work, `errors` answers failures.

mod admin;
mod captcha;
mod cors;
mod fallback;
mod health;
mod people;
mod public;
mod static_files;
mod users;

use rocket::Route;

pub use admin::catchers as admin_catchers;

pub fn routes() -> Vec<Route> {
    let mut all = public::routes();
    all.extend(admin::routes());
    all.extend(people::routes());
    all.extend(users::routes());
    all.extend(captcha::routes());
    all.extend(cors::routes());
    all.extend(health::routes());
    all.extend(static_files::routes());
    all.extend(fallback::routes());
    all
}
