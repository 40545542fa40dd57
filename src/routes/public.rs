use std::collections::BTreeMap;

use minijinja::context;
use rocket::http::Header;
use rocket::response::content::RawHtml;
use rocket::response::{Redirect, Responder};
use rocket::{get, post, routes, uri, FromForm, Route};
use time::{Duration, OffsetDateTime};

use crate::config::CaptchaMode;
use crate::domain::{ContactInput, FieldErrors};
use crate::errors::{worded, WebError};
use crate::guards::client_ip::ClientIp;
use crate::guards::form_body::SitePost;
use crate::guards::limited::budget;
use crate::guards::{App, CsrfToken, Language, Wants};
use crate::i18n::Lang;
use crate::intake::{self, CaptchaAnswer, IntakeError};
use crate::ratelimit::LimitKind;
use crate::render::stencil::{slot, Stencil};

pub fn routes() -> Vec<Route> {
    let mut all = budget(LimitKind::Default, routes![form, thanks]);
    all.extend(budget(LimitKind::Submit, routes![submit]));
    all
}

/// What the contact form sends (form-encoded or a JSON object); a missing field is empty.
#[derive(FromForm, Default)]
struct ContactForm {
    #[field(default = String::new())]
    name: String,
    #[field(default = String::new())]
    email: String,
    #[field(default = String::new())]
    phone: String,
    #[field(default = String::new())]
    preferred_time: String,
    /// The IANA zone of `preferred_time` (the page's script sets the browser's).
    #[field(default = String::new())]
    time_zone: String,
    #[field(default = String::new())]
    message: String,
    /// The hidden field people never fill; bots that fill every field do.
    #[field(default = String::new())]
    website: String,
    #[field(default = String::new())]
    captcha_token: String,
    #[field(default = String::new())]
    captcha_answer: String,
    /// The proof of work the page's script solved (an ALTCHA payload).
    #[field(default = String::new())]
    altcha: String,
}

impl ContactForm {
    fn input(&self) -> ContactInput<'_> {
        ContactInput {
            name: &self.name,
            email: &self.email,
            phone: &self.phone,
            preferred_time: &self.preferred_time,
            time_zone: &self.time_zone,
            message: &self.message,
        }
    }

    /// What was typed, to show again beside the errors (never the CAPTCHA answer).
    fn values(&self) -> BTreeMap<&'static str, &str> {
        let input = self.input();
        BTreeMap::from([
            ("name", input.name),
            ("email", input.email),
            ("phone", input.phone),
            ("preferred_time", input.preferred_time),
            ("time_zone", input.time_zone),
            ("message", input.message),
        ])
    }
}

#[get("/")]
async fn form(app: App, lang: Language, csrf: CsrfToken) -> Result<RawHtml<String>, WebError> {
    let Language(lang) = lang;
    let captcha_token = app.captchas.issue();
    let now = app.clock.now();
    let blank = app.blank_forms[lang.index()].get(now.unix_timestamp().div_euclid(60), || {
        let blank = (&ContactForm::default(), &FieldErrors::new());
        let page = render_form(&app, lang, blank, &slot(0), &slot(1), now)?;
        Ok::<_, WebError>(Stencil::cut(&page))
    })?;
    Ok(RawHtml(blank.fill([&csrf.0, &captcha_token])))
}

#[post("/", data = "<form>")]
async fn submit(
    app: App,
    lang: Language,
    wants: Wants,
    csrf: CsrfToken,
    client: ClientIp,
    form: SitePost<ContactForm>,
) -> Result<Submitted, WebError> {
    let (SitePost(form), Language(lang)) = (form, lang);
    if app.config.captcha.mode == CaptchaMode::Pow {
        // Posting counts towards the address's pressure: its next challenge is harder.
        app.limiter.pressure(client.limit_key()).await;
    }
    let thanks = format!("{}{}", uri!(app.config.base_path.origin(), thanks), app.render.lang_query(lang));
    let captcha =
        CaptchaAnswer { token: &form.captcha_token, answer: &form.captcha_answer, altcha: &form.altcha };
    let trapped = !form.website.is_empty();
    match intake::accept(&app, form.input(), captcha, trapped, lang).await {
        Ok(id) => Ok(Submitted::new(id, wants, thanks)),
        Err(IntakeError::Invalid(errors)) => {
            let page = match wants {
                Wants::Html => Some(form_page(&app, lang, &csrf, &form, &errors).await?),
                Wants::Json => None,
            };
            Err(WebError::Invalid { errors, page })
        }
        Err(e) => Err(e.into()),
    }
}

#[get("/thanks")]
fn thanks(app: App, lang: Language) -> Result<RawHtml<String>, WebError> {
    Ok(RawHtml(app.render.render("contact/thanks.html", lang.0, context! {})?))
}

/// The form with a fresh challenge, what was typed (never the captcha answer) and each error
/// beside its field.
async fn form_page(
    app: &App,
    lang: Lang,
    csrf: &CsrfToken,
    form: &ContactForm,
    errors: &FieldErrors,
) -> Result<String, WebError> {
    let captcha_token = app.captchas.issue();
    render_form(app, lang, (form, errors), &csrf.0, &captcha_token, app.clock.now())
}

/// The zones offered without the page's script (which picks the browser's own, any of them).
const COMMON_ZONES: [&str; 24] = [
    "UTC",
    "Europe/London",
    "Europe/Lisbon",
    "Europe/Berlin",
    "Europe/Paris",
    "Europe/Madrid",
    "Europe/Rome",
    "Europe/Athens",
    "Europe/Istanbul",
    "Europe/Moscow",
    "Africa/Lagos",
    "Africa/Johannesburg",
    "Asia/Dubai",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Pacific/Auckland",
    "America/Sao_Paulo",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
];

/// The form page itself, with what was typed and what is wrong with it; the blank one is
/// rendered with slot markers for the two tokens.
fn render_form(
    app: &App,
    lang: Lang,
    (form, errors): (&ContactForm, &FieldErrors),
    csrf_token: &str,
    captcha_token: &str,
    now: OffsetDateTime,
) -> Result<String, WebError> {
    let values = form.values();
    let minute = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]");
    let default_zone = app.config.default_time_zone.name();
    let chosen = Some(form.time_zone.trim()).filter(|z| !z.is_empty()).unwrap_or(default_zone);
    let mut zones: Vec<&str> = COMMON_ZONES.to_vec();
    for zone in [default_zone, chosen] {
        if !zones.contains(&zone) {
            zones.insert(0, zone);
        }
    }
    // The picker's limits are a hint in the visitor's own clock, which the server doesn't know
    // without the page's script (that sets them exactly): wide enough for every zone, checked
    // exactly on the server.
    let widest = Duration::hours(14);
    Ok(app.render.render(
        "contact/form.html",
        lang,
        context! {
            values,
            errors => worded(app.render.catalogs(), lang, errors),
            csrf_token,
            captcha_token,
            zones,
            time_zone => chosen,
            pow => app.config.captcha.mode == CaptchaMode::Pow,
            min_time => (now - widest).format(&minute).unwrap_or_default(),
            max_time => (now + Duration::days(365) + widest).format(&minute).unwrap_or_default(),
        },
    )?)
}

/// A stored submission: 303 to the thanks page, with `{"ok":true,"id":N}` for JSON clients.
#[derive(Responder)]
enum Submitted {
    Page(Redirect),
    #[response(status = 303, content_type = "json")]
    Json(String, Header<'static>),
}

impl Submitted {
    fn new(id: i64, wants: Wants, thanks: String) -> Submitted {
        match wants {
            Wants::Html => Submitted::Page(Redirect::to(thanks)),
            Wants::Json => Submitted::Json(
                serde_json::json!({ "ok": true, "id": id }).to_string(),
                Header::new("Location", thanks),
            ),
        }
    }
}
