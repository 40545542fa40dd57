//! Admin sessions live on the server: a random 256-bit id in an HttpOnly, SameSite=Strict
//! cookie; only its SHA-256 is stored. 15 minutes idle, 8 hours at most; signing out deletes
//! the row, so the old cookie is worthless.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use rocket::http::{Cookie, CookieJar, SameSite, Status};
use rocket::request::{FromRequest, Outcome, Request};
use sha2::{Digest, Sha256};

use super::csrf::SecureCookies;
use super::App;
use crate::crypto::hex;
use crate::store::StoreError;

pub const IDLE_SECS: i64 = 15 * 60;
pub const ABSOLUTE_SECS: i64 = 8 * 3600;
/// A session's last-seen time is rewritten at most this often.
const TOUCH_EVERY_SECS: i64 = 30;

fn hash(id: &str) -> String {
    hex(&Sha256::digest(id.as_bytes()))
}

fn now(app: &App) -> i64 {
    (app.clock.now_ms() / 1000) as i64
}

/// Starts a session with a fresh id and sets its cookie.
pub async fn start(cookies: &CookieJar<'_>, app: &App, secure: SecureCookies) -> Result<(), StoreError> {
    let mut raw = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut raw);
    let id = URL_SAFE_NO_PAD.encode(raw);
    app.store.create_session(&hash(&id), now(app), IDLE_SECS, ABSOLUTE_SECS).await?;
    let cookie = Cookie::build((app.cookies.admin.clone(), id))
        .path(app.config.base_path.as_str().to_string())
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(secure.0);
    cookies.add(cookie);
    Ok(())
}

/// Deletes the session (if any) and its cookie.
pub async fn end(cookies: &CookieJar<'_>, app: &App) -> Result<(), StoreError> {
    if let Some(cookie) = cookies.get(&app.cookies.admin) {
        app.store.delete_session(&hash(cookie.value())).await?;
    }
    cookies.remove(Cookie::build(app.cookies.admin.clone()).path(app.config.base_path.as_str().to_string()));
    Ok(())
}

/// A signed-in admin. Without one, pages answer 401, which HTML clients see as a redirect to
/// the sign-in page.
pub struct AdminSession;

#[rocket::async_trait]
impl<'r> FromRequest<'r> for AdminSession {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, ()> {
        let app = rocket::outcome::try_outcome!(req.guard::<App>().await);
        let Some(cookie) = req.cookies().get(&app.cookies.admin) else {
            return Outcome::Error((Status::Unauthorized, ()));
        };
        match app
            .store
            .touch_session(&hash(cookie.value()), now(&app), IDLE_SECS, ABSOLUTE_SECS, TOUCH_EVERY_SECS)
            .await
        {
            Ok(true) => Outcome::Success(AdminSession),
            Ok(false) => Outcome::Error((Status::Unauthorized, ())),
            Err(e) => {
                log::error!("admin session check: {e}");
                Outcome::Error((Status::ServiceUnavailable, ()))
            }
        }
    }
}
