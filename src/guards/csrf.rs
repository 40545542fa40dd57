//! CSRF protection, synchronizer-token style: each visitor gets a random id in a cookie, and
//! every form carries HMAC(key, id). A POST passes only with the token of its own cookie
//! (compared in constant time) and, when the browser names one, an `Origin` of this host.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use rocket::http::{Cookie, SameSite};
use rocket::request::{FromRequest, Outcome, Request};

use super::App;

/// The CSRF token for this visitor's forms; sets the visitor cookie when it is missing.
pub struct CsrfToken(pub String);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for CsrfToken {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, ()> {
        let app = rocket::outcome::try_outcome!(req.guard::<App>().await);
        let visitor = match req.cookies().get(&app.cookies.csrf) {
            Some(cookie) if valid_visitor_id(cookie.value()) => cookie.value().to_string(),
            _ => {
                let mut id = [0u8; 32];
                rand::rngs::OsRng.fill_bytes(&mut id);
                let id = URL_SAFE_NO_PAD.encode(id);
                let cookie = Cookie::build((app.cookies.csrf.clone(), id.clone()))
                    .path(app.config.base_path.as_str().to_string())
                    .http_only(true)
                    .same_site(SameSite::Lax)
                    .secure(secure_cookies(req, &app));
                req.cookies().add(cookie);
                id
            }
        };
        Outcome::Success(CsrfToken(app.csrf.token_for(&visitor)))
    }
}

fn valid_visitor_id(id: &str) -> bool {
    id.len() == 43 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Whether a POST carries the token of its own visitor cookie and comes from this site.
pub fn verify(req: &Request<'_>, app: &App, submitted: Option<&str>) -> bool {
    let (Some(cookie), Some(token)) = (req.cookies().get(&app.cookies.csrf), submitted) else {
        return false;
    };
    same_origin(req) && app.csrf.accepts(cookie.value(), token)
}

/// [`verify`], or, when other sites may post to the form (`ALLOWED_ORIGINS`), a POST whose
/// browser-set `Origin` is this site or one of them: a form in another site's frame gets no
/// cookie of ours (a third-party context), and a site's own form posts without one. A page of
/// any other site can't send such an `Origin`; the bot check still applies to every post.
pub fn verify_site_post(req: &Request<'_>, app: &App, submitted: Option<&str>) -> bool {
    if verify(req, app, submitted) {
        return true;
    }
    let allowed = &app.config.allowed_origins;
    match req.headers().get_one("Origin") {
        Some(origin) if !allowed.is_empty() => same_origin(req) || allowed.iter().any(|a| a == origin),
        _ => false,
    }
}

/// Browsers name the page a POST comes from; a foreign `Origin` is refused even with a token.
fn same_origin(req: &Request<'_>) -> bool {
    let Some(origin) = req.headers().get_one("Origin") else {
        return true;
    };
    let Some(host) = req.headers().get_one("Host") else {
        return false;
    };
    let origin_host = origin.split_once("://").map_or(origin, |(_, rest)| rest);
    origin_host.eq_ignore_ascii_case(host)
}

/// Cookies are `Secure` in production, except when the browser talks to the server directly
/// on a loopback address (`cargo run`, a local test): there plain HTTP never leaves the machine
/// and a `Secure` cookie would not come back. Behind a proxy the public host name is used.
pub fn secure_cookies(req: &Request<'_>, app: &App) -> bool {
    if !app.is_production() {
        return false;
    }
    if app.config.proxy_ip_header.is_some() {
        return true;
    }
    let host = req.headers().get_one("Host").unwrap_or_default();
    let name = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => host.split(':').next().unwrap_or_default(),
    };
    !matches!(name, "localhost" | "127.0.0.1" | "::1")
}

/// Whether cookies set by this response should be `Secure` (see [`secure_cookies`]).
pub struct SecureCookies(pub bool);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for SecureCookies {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, ()> {
        let app = rocket::outcome::try_outcome!(req.guard::<App>().await);
        Outcome::Success(SecureCookies(secure_cookies(req, &app)))
    }
}
