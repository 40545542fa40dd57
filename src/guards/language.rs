//! The language a request is answered in, among the instance's: `?lang=` (remembered in a
//! cookie, so the admin's pages keep it), else that cookie, else `Accept-Language`, else the
//! first offered. Error pages ask too, so they come in the same language as the page before.

use rocket::http::{Cookie, SameSite};
use rocket::request::{FromRequest, Outcome, Request};
use rocket::time::Duration;

use super::csrf::secure_cookies;
use super::App;
use crate::i18n::Lang;

/// The request's language, as a guard.
pub struct Language(pub Lang);

/// Chosen once per request.
struct Chosen(Lang);

pub fn language_of(req: &Request<'_>) -> Lang {
    req.local_cache(|| Chosen(choose(req))).0
}

fn choose(req: &Request<'_>) -> Lang {
    let Some(app) = App::of(req) else {
        return Lang::En;
    };
    let offered = app.render.languages();
    if !offered.several() {
        return offered.default_lang();
    }
    let asked = req.query_value::<&str>("lang").and_then(Result::ok).and_then(|code| offered.find(code));
    if let Some(lang) = asked {
        let cookie = Cookie::build((app.cookies.lang.clone(), lang.code()))
            .path(app.config.base_path.as_str().to_string())
            .http_only(true)
            .same_site(SameSite::Lax)
            .max_age(Duration::days(365))
            .secure(secure_cookies(req, &app));
        req.cookies().add(cookie);
        return lang;
    }
    let remembered = req.cookies().get(&app.cookies.lang).and_then(|c| offered.find(c.value()));
    remembered.unwrap_or_else(|| offered.negotiate(req.headers().get_one("Accept-Language")))
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Language {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, ()> {
        Outcome::Success(Language(language_of(req)))
    }
}
