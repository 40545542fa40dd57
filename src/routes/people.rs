//! One person's data for the admin: find it by their exact email, download all of it, erase
//! all of it (after a confirmation step). Each is audited with a count, never the address.

use minijinja::context;
use rocket::http::ContentType;
use rocket::response::content::RawHtml;
use rocket::{get, post, routes, FromForm, Route};

use super::admin::{audit_count, shelf, Download};
use crate::back_office::people;
use crate::back_office::view::SubmissionView;
use crate::domain::{Email, FieldErrors};
use crate::errors::{worded, WebError};
use crate::guards::client_ip::ClientIp;
use crate::guards::form_body::CsrfChecked;
use crate::guards::limited::budget;
use crate::guards::session::{AdminSession, OwnerSession};
use crate::guards::{App, CsrfToken};
use crate::ratelimit::LimitKind;

pub fn routes() -> Vec<Route> {
    budget(LimitKind::Default, routes![people_page, export_json, erase])
}

/// What the page shows: the search, and for a found address its submissions.
#[derive(Default)]
struct PersonPage<'a> {
    email: &'a str,
    found: Option<Vec<SubmissionView>>,
    confirm: bool,
    erased: Option<u64>,
}

fn render(
    app: &App,
    admin: &AdminSession,
    csrf: &CsrfToken,
    page: PersonPage<'_>,
    errors: &FieldErrors,
) -> Result<String, WebError> {
    let policy = app.retention.policy();
    Ok(app.render.render(
        "contact/admin_people.html",
        admin.lang(),
        context! {
            email => page.email,
            found => page.found.is_some(),
            items => page.found.unwrap_or_default(),
            confirm => page.confirm,
            erased => page.erased,
            errors => worded(app.render.catalogs(), admin.lang(), errors),
            retention_days => policy.days,
            retention_spam_days => policy.spam_days,
            admin => admin.view(),
            section => "people",
            csrf_token => &csrf.0,
        },
    )?)
}

/// The address, or a 422 naming what is wrong with it (the page again for a browser).
fn address(app: &App, admin: &AdminSession, csrf: &CsrfToken, raw: &str) -> Result<Email, WebError> {
    Email::parse(raw).map_err(|message| {
        let errors = FieldErrors::from([("email", message)]);
        let page = render(app, admin, csrf, PersonPage { email: raw, ..PersonPage::default() }, &errors).ok();
        WebError::Invalid { errors, page }
    })
}

#[get("/admin/people?<email>&<confirm>")]
async fn people_page(
    app: App,
    admin: OwnerSession,
    ip: ClientIp,
    csrf: CsrfToken,
    email: Option<&str>,
    confirm: Option<&str>,
) -> Result<RawHtml<String>, WebError> {
    let Some(raw) = email.map(str::trim).filter(|e| !e.is_empty()) else {
        return Ok(RawHtml(render(&app, &admin, &csrf, PersonPage::default(), &FieldErrors::new())?));
    };
    let email = address(&app, &admin, &csrf, raw)?;
    let found = people::submissions_of(&shelf(&app, &admin), &email).await?;
    audit_count(&app, admin.actor().name(), "person_view", ip, found.len() as u64).await?;
    let page = PersonPage { email: raw, confirm: confirm == Some("erase"), found: Some(found), erased: None };
    Ok(RawHtml(render(&app, &admin, &csrf, page, &FieldErrors::new())?))
}

#[get("/admin/people/export.json?<email>")]
async fn export_json(
    app: App,
    admin: OwnerSession,
    ip: ClientIp,
    csrf: CsrfToken,
    email: Option<&str>,
) -> Result<Download, WebError> {
    let email = address(&app, &admin, &csrf, email.unwrap_or_default())?;
    let export = people::export(&shelf(&app, &admin), &email, app.clock.now_rfc3339()).await?;
    audit_count(&app, admin.actor().name(), "person_export", ip, export.submissions.len() as u64).await?;
    let body = serde_json::to_string_pretty(&export).map_err(|e| WebError::Internal(e.to_string()))?;
    Ok(Download::attachment(body, ContentType::JSON, "person.json"))
}

#[derive(FromForm)]
struct EraseForm {
    #[field(default = String::new())]
    email: String,
}

#[post("/admin/people/erase", data = "<form>")]
async fn erase(
    app: App,
    admin: OwnerSession,
    ip: ClientIp,
    csrf: CsrfToken,
    form: CsrfChecked<EraseForm>,
) -> Result<RawHtml<String>, WebError> {
    let raw = form.0.email.trim();
    let email = address(&app, &admin, &csrf, raw)?;
    let erased = people::erase(&shelf(&app, &admin), &email).await?;
    audit_count(&app, admin.actor().name(), "person_erase", ip, erased).await?;
    let page = PersonPage { email: raw, found: Some(Vec::new()), confirm: false, erased: Some(erased) };
    Ok(RawHtml(render(&app, &admin, &csrf, page, &FieldErrors::new())?))
}
