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
use super::language::language_of;
use super::App;
use crate::crypto::hex;
use crate::domain::Role;
use crate::i18n::{Lang, Msg};
use crate::sign_in::users::Actor;
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

/// Starts a session of `actor` with a fresh id and sets its cookie.
pub async fn start(
    cookies: &CookieJar<'_>,
    app: &App,
    secure: SecureCookies,
    actor: &Actor,
) -> Result<(), StoreError> {
    let mut raw = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut raw);
    let id = URL_SAFE_NO_PAD.encode(raw);
    let user_id = actor.user.as_ref().map(|(id, _)| *id);
    app.store.create_session(&hash(&id), user_id, now(app), IDLE_SECS, ABSOLUTE_SECS).await?;
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

/// A signed-in admin: who, with which role, and the language their pages are in. Without
/// one, pages answer 401, which HTML clients see as a redirect to the sign-in page.
pub struct AdminSession(pub Actor, pub Lang);

impl AdminSession {
    pub fn actor(&self) -> &Actor {
        &self.0
    }

    pub fn lang(&self) -> Lang {
        self.1
    }

    /// What the pages offer this admin: only what their role may do.
    pub fn view(&self) -> serde_json::Value {
        serde_json::json!({
            "name": self.0.name(),
            "role": self.0.role.as_str(),
            "can_edit": self.0.role >= Role::Editor,
            "can_own": self.0.role >= Role::Owner,
        })
    }
}

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
            Ok(Some(user)) => {
                let actor = match user {
                    Some(u) => Actor {
                        role: Role::parse(&u.role).unwrap_or(Role::Viewer),
                        user: Some((u.id, u.name)),
                    },
                    None => Actor::SHARED,
                };
                Outcome::Success(AdminSession(actor, language_of(req)))
            }
            Ok(None) => Outcome::Error((Status::Unauthorized, ())),
            Err(e) => {
                log::error!("admin session check: {e}");
                Outcome::Error((Status::ServiceUnavailable, ()))
            }
        }
    }
}

/// Why a request was refused, when a guard knows better than the status alone; the error page
/// says it.
pub struct Refusal(pub Option<Msg>);

/// An admin whose role is at least `editor`; others get 403.
pub struct EditorSession(pub AdminSession);

/// An admin whose role is `owner`; others get 403.
pub struct OwnerSession(pub AdminSession);

async fn with_role(req: &Request<'_>, least: Role) -> Outcome<AdminSession, ()> {
    let admin = rocket::outcome::try_outcome!(req.guard::<AdminSession>().await);
    if admin.0.role >= least {
        return Outcome::Success(admin);
    }
    req.local_cache(|| Refusal(Some(Msg("error-role"))));
    Outcome::Error((Status::Forbidden, ()))
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for EditorSession {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, ()> {
        with_role(req, Role::Editor).await.map(EditorSession)
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for OwnerSession {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, ()> {
        with_role(req, Role::Owner).await.map(OwnerSession)
    }
}

impl std::ops::Deref for EditorSession {
    type Target = AdminSession;

    fn deref(&self) -> &AdminSession {
        &self.0
    }
}

impl std::ops::Deref for OwnerSession {
    type Target = AdminSession;

    fn deref(&self) -> &AdminSession {
        &self.0
    }
}
