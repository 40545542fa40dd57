use rocket::data::{Data, ToByteUnit};
use rocket::http::{ContentType, Header, Status};
use rocket::response::Responder;
use rocket::serde::json::Json;
use rocket::{get, post, routes, FromForm, Route};
use serde_json::{json, Value};

use crate::captcha::{Check, PowChallenge, LIFETIME};
use crate::config::CaptchaMode;
use crate::errors::WebError;
use crate::guards::client_ip::ClientIp;
use crate::guards::form_body::{read_body, Fields};
use crate::guards::limited::budget;
use crate::guards::App;
use crate::ratelimit::LimitKind;

pub fn routes() -> Vec<Route> {
    let mut all = budget(LimitKind::Captcha, routes![new_challenge, audio, pow_challenge]);
    all.extend(budget(LimitKind::Verify, routes![verify]));
    all.extend(budget(LimitKind::Default, routes![image]));
    all
}

/// A new challenge for the refresh button: the image inline, the audio by URL.
#[get("/captcha")]
async fn new_challenge(app: App) -> Result<Json<Value>, WebError> {
    let token = app.captchas.issue();
    let png =
        app.captchas.image(&token).await?.ok_or(WebError::Internal("a new challenge vanished".into()))?;
    use base64::Engine;
    let image = base64::engine::general_purpose::STANDARD.encode(png);
    Ok(Json(json!({
        "token": token,
        "image": format!("data:image/png;base64,{image}"),
        "audio": app.config.base_path.join(&format!("/captcha/{token}/audio")),
        "expires_in": LIFETIME.as_secs(),
    })))
}

/// A proof-of-work challenge (ALTCHA v1), harder for an address that keeps asking. There is
/// none in `image` mode.
#[get("/captcha/pow")]
async fn pow_challenge(app: App, client: ClientIp) -> Option<NoStore<Json<PowChallenge>>> {
    if app.config.captcha.mode != CaptchaMode::Pow {
        return None;
    }
    let maxnumber = app.config.captcha.pow_maxnumber_at(app.limiter.pressure(client.limit_key()).await);
    Some(NoStore::of(Json(app.captchas.pow_challenge(maxnumber))))
}

/// What the page's script sends to check an answer.
#[derive(FromForm)]
struct VerifyForm {
    token: String,
    answer: String,
}

/// Checks an answer for the page's script without using the token up. Not CSRF-protected: it
/// changes nothing but the challenge's own count of wrong answers.
#[post("/captcha/verify", data = "<body>")]
async fn verify(app: App, body: Data<'_>) -> Result<(Status, Json<Value>), WebError> {
    let raw = match read_body(body, 4.kibibytes()).await {
        Ok(raw) => raw,
        Err(status) => return Ok((status, Json(json!({ "ok": false, "error": "unreadable body" })))),
    };
    // A body that is JSON must be a flat object (serde alone would also take a two-element
    // array): a wrong shape is 422. Anything else is read as a form: no token in it is 400.
    let is_json = serde_json::from_slice::<serde::de::IgnoredAny>(&raw).is_ok();
    let request = Fields::parse(&raw, is_json)
        .ok()
        .and_then(|fields| fields.read::<VerifyForm>().ok())
        .ok_or(if is_json { Status::UnprocessableEntity } else { Status::BadRequest });
    let VerifyForm { token, answer } = match request {
        Ok(form) => form,
        Err(status) => {
            return Ok((status, Json(json!({ "ok": false, "error": "expected {\"token\", \"answer\"}" }))))
        }
    };
    let check = app.captchas.verify(&token, &answer).await?;
    if check != Check::Right {
        app.metrics.captcha_failed("verify");
    }
    Ok((Status::Ok, Json(json!({ "valid": check == Check::Right }))))
}

#[get("/captcha/<token>/image")]
async fn image(app: App, token: &str) -> Result<Option<Media>, WebError> {
    Ok(app.captchas.image(token).await?.map(|bytes| media(bytes, ContentType::PNG)))
}

#[get("/captcha/<token>/audio")]
async fn audio(app: App, token: &str) -> Result<Option<Media>, WebError> {
    let wav = ContentType::new("audio", "wav");
    Ok(app.captchas.audio(token).await?.map(|bytes| media(bytes, wav)))
}

/// A challenge (or its picture or sound): never cached, it is good once.
#[derive(Responder)]
struct NoStore<R> {
    inner: R,
    cache: Header<'static>,
}

impl<R> NoStore<R> {
    fn of(inner: R) -> NoStore<R> {
        NoStore { inner, cache: Header::new("Cache-Control", "no-store") }
    }
}

type Media = NoStore<(ContentType, Vec<u8>)>;

fn media(bytes: Vec<u8>, content_type: ContentType) -> Media {
    NoStore::of((content_type, bytes))
}
