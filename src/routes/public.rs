use minijinja::context;
use rocket::http::Header;
use rocket::response::content::RawHtml;
use rocket::response::{Redirect, Responder};
use rocket::{get, post, routes, uri, Route};
use time::{Duration, OffsetDateTime};

use crate::domain::{ContactInput, FieldErrors, FIELDS};
use crate::errors::WebError;
use crate::guards::form_body::Fields;
use crate::guards::limited::budget;
use crate::guards::{App, CheckedForm, CsrfToken, Wants};
use crate::intake::{self, CaptchaAnswer, IntakeError};
use crate::ratelimit::LimitKind;
use crate::render::stencil::{slot, Stencil};

pub fn routes() -> Vec<Route> {
    let mut all = budget(LimitKind::Default, routes![form, thanks]);
    all.extend(budget(LimitKind::Submit, routes![submit]));
    all
}

/// The hidden field people never fill; bots that fill every field do.
const HONEYPOT: &str = "website";

#[get("/")]
async fn form(app: App, csrf: CsrfToken) -> Result<RawHtml<String>, WebError> {
    let captcha_token = app.captchas.issue();
    let now = app.clock.now();
    let blank = app.blank_form.get(now.unix_timestamp().div_euclid(60), || {
        let page = render_form(&app, &Fields::default(), &FieldErrors::new(), &slot(0), &slot(1), now)?;
        Ok::<_, WebError>(Stencil::cut(&page))
    })?;
    Ok(RawHtml(blank.fill([&csrf.0, &captcha_token])))
}

#[post("/", data = "<form>")]
async fn submit(app: App, wants: Wants, csrf: CsrfToken, form: CheckedForm) -> Result<Submitted, WebError> {
    let fields = form.0;
    let thanks = uri!(app.config.base_path.origin(), thanks).to_string();
    let input = ContactInput {
        name: fields.text("name"),
        email: fields.text("email"),
        phone: fields.text("phone"),
        preferred_time: fields.text("preferred_time"),
        message: fields.text("message"),
    };
    let captcha =
        CaptchaAnswer { token: fields.text("captcha_token"), answer: fields.text("captcha_answer") };
    let trapped = !fields.text(HONEYPOT).is_empty();
    match intake::accept(&app, input, captcha, trapped).await {
        Ok(id) => Ok(Submitted::new(id, wants, thanks)),
        Err(IntakeError::Invalid(errors)) => {
            let page = match wants {
                Wants::Html => Some(form_page(&app, &csrf, &fields, &errors).await?),
                Wants::Json => None,
            };
            Err(WebError::Invalid { errors, page })
        }
        Err(e) => Err(e.into()),
    }
}

#[get("/thanks")]
fn thanks(app: App) -> Result<RawHtml<String>, WebError> {
    Ok(RawHtml(app.render.render("contact/thanks.html", context! {})?))
}

/// The form with a fresh challenge, what was typed (never the captcha answer) and each error
/// beside its field.
async fn form_page(
    app: &App,
    csrf: &CsrfToken,
    fields: &Fields,
    errors: &FieldErrors,
) -> Result<String, WebError> {
    let captcha_token = app.captchas.issue();
    render_form(app, fields, errors, &csrf.0, &captcha_token, app.clock.now())
}

/// The form page itself; the blank one is rendered with slot markers for the two tokens.
fn render_form(
    app: &App,
    fields: &Fields,
    errors: &FieldErrors,
    csrf_token: &str,
    captcha_token: &str,
    now: OffsetDateTime,
) -> Result<String, WebError> {
    let values: std::collections::BTreeMap<&str, &str> =
        FIELDS.iter().map(|f| (*f, fields.text(f))).collect();
    let minute = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]");
    Ok(app.render.render(
        "contact/form.html",
        context! {
            values,
            errors,
            csrf_token,
            captcha_token,
            min_time => now.format(&minute).unwrap_or_default(),
            max_time => (now + Duration::days(365)).format(&minute).unwrap_or_default(),
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
