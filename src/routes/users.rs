//! The users page, for owners: the team with their roles and last sign-in; add a user (their
//! enrolment shown once, then a first code from their app before the account works), change
//! a role, reset, remove. Every change is audited with the acting owner's name.

use minijinja::context;
use rocket::http::Status;
use rocket::response::content::RawHtml;
use rocket::response::Redirect;
use rocket::{get, post, routes, uri, FromForm, Route};

use super::admin::audit;
use crate::domain::Role;
use crate::errors::WebError;
use crate::guards::client_ip::ClientIp;
use crate::guards::form_body::CsrfChecked;
use crate::guards::limited::budget;
use crate::guards::session::OwnerSession;
use crate::guards::{App, CheckedForm, CsrfToken};
use crate::i18n::Phrase;
use crate::ratelimit::LimitKind;
use crate::sign_in::team::{Team, TeamError, UserEnrolment, MIN_PASSWORD_CHARS};

pub fn routes() -> Vec<Route> {
    budget(LimitKind::Default, routes![users_page, add_user, confirm_user, set_role, reset_user, remove_user])
}

fn team(app: &App) -> Team<'_> {
    Team { store: &app.store, vault: &app.vault }
}

/// The page as it answers a refused change: 422 with the reason above the list.
type Page = Result<(Status, RawHtml<String>), WebError>;

async fn page(
    app: &App,
    admin: &OwnerSession,
    csrf: &CsrfToken,
    status: Status,
    error: Option<&Phrase>,
) -> Page {
    let users: Vec<_> = app
        .store
        .users()
        .await?
        .into_iter()
        .map(|u| {
            context! {
                name => u.name, role => u.role, created_at => u.created_at,
                last_sign_in => u.last_sign_in, enrolled => u.enrolled,
            }
        })
        .collect();
    let roles = Role::ALL.map(Role::as_str);
    let error = error.map(|phrase| app.render.catalogs().phrase(admin.lang(), phrase));
    let html = app.render.render(
        "contact/admin_users.html",
        admin.lang(),
        context! {
            users, roles, error,
            min_password => MIN_PASSWORD_CHARS,
            admin => admin.view(),
            section => "users",
            csrf_token => &csrf.0,
        },
    )?;
    Ok((status, RawHtml(html)))
}

/// The enrolment of a user just added or reset, shown once, with the form for their first code.
fn enrolment_page(
    app: &App,
    admin: &OwnerSession,
    csrf: &CsrfToken,
    enrolment: &UserEnrolment,
) -> Result<RawHtml<String>, WebError> {
    Ok(RawHtml(app.render.render(
        "contact/admin_enrol.html",
        admin.lang(),
        context! {
            name => &enrolment.name,
            uri => &enrolment.uri,
            secret => &enrolment.secret,
            qr => enrolment.qr_svg(),
            recovery_codes => &enrolment.recovery_codes,
            admin => admin.view(),
            section => "users",
            csrf_token => &csrf.0,
        },
    )?))
}

/// What a change answers: the next page once it is made (and audited), or the users page again
/// with the reason it was refused (422).
type Answer<T> = Result<Result<T, (Status, RawHtml<String>)>, WebError>;

async fn answer<T, U>(
    app: &App,
    admin: &OwnerSession,
    (csrf, ip): (&CsrfToken, ClientIp),
    action: &str,
    result: Result<T, TeamError>,
    next: impl FnOnce(T) -> Result<U, WebError>,
) -> Answer<U> {
    match result {
        Ok(done) => {
            audit(app, admin.actor().name(), action, ip, None).await?;
            next(done).map(Ok)
        }
        Err(TeamError::Refused(reason)) => {
            page(app, admin, csrf, Status::UnprocessableEntity, Some(&reason)).await.map(Err)
        }
        Err(TeamError::Store(e)) => Err(e.into()),
    }
}

/// Back to the list after a change.
fn to_list(app: &App) -> impl FnOnce(()) -> Result<Redirect, WebError> + '_ {
    move |()| Ok(Redirect::to(uri!(app.config.base_path.origin(), users_page).to_string()))
}

#[get("/admin/users")]
async fn users_page(app: App, admin: OwnerSession, csrf: CsrfToken) -> Page {
    page(&app, &admin, &csrf, Status::Ok, None).await
}

#[derive(FromForm)]
struct NewUserForm {
    #[field(default = String::new())]
    name: String,
    #[field(default = String::new())]
    role: String,
    #[field(default = String::new())]
    password: String,
}

#[post("/admin/users", data = "<form>")]
async fn add_user(
    app: App,
    admin: OwnerSession,
    ip: ClientIp,
    csrf: CsrfToken,
    form: CsrfChecked<NewUserForm>,
) -> Answer<RawHtml<String>> {
    let f = form.0;
    let added = team(&app).add(&f.name, &f.role, &f.password, false, &app.clock.now_rfc3339()).await;
    answer(&app, &admin, (&csrf, ip), "user_add", added, |e| enrolment_page(&app, &admin, &csrf, &e)).await
}

#[derive(FromForm)]
struct CodeForm {
    #[field(default = String::new())]
    code: String,
}

#[post("/admin/users/<name>/confirm", data = "<form>")]
async fn confirm_user(
    app: App,
    admin: OwnerSession,
    ip: ClientIp,
    csrf: CsrfToken,
    name: &str,
    form: CsrfChecked<CodeForm>,
) -> Answer<Redirect> {
    let unix = app.clock.now().unix_timestamp() as u64;
    let confirmed = team(&app).confirm(name, &form.0.code, unix).await;
    answer(&app, &admin, (&csrf, ip), "user_confirm", confirmed, to_list(&app)).await
}

#[derive(FromForm)]
struct RoleForm {
    #[field(default = String::new())]
    role: String,
}

#[post("/admin/users/<name>/role", data = "<form>")]
async fn set_role(
    app: App,
    admin: OwnerSession,
    ip: ClientIp,
    csrf: CsrfToken,
    name: &str,
    form: CsrfChecked<RoleForm>,
) -> Answer<Redirect> {
    let changed = team(&app).set_role(name, &form.0.role).await;
    answer(&app, &admin, (&csrf, ip), "user_role", changed, to_list(&app)).await
}

#[post("/admin/users/<name>/reset", data = "<_form>")]
async fn reset_user(
    app: App,
    admin: OwnerSession,
    ip: ClientIp,
    csrf: CsrfToken,
    name: &str,
    _form: CheckedForm,
) -> Answer<RawHtml<String>> {
    let reset = team(&app).reset(name, false).await;
    answer(&app, &admin, (&csrf, ip), "user_reset", reset, |e| enrolment_page(&app, &admin, &csrf, &e)).await
}

#[post("/admin/users/<name>/remove", data = "<_form>")]
async fn remove_user(
    app: App,
    admin: OwnerSession,
    ip: ClientIp,
    csrf: CsrfToken,
    name: &str,
    _form: CheckedForm,
) -> Answer<Redirect> {
    let removed = team(&app).remove(name).await;
    answer(&app, &admin, (&csrf, ip), "user_remove", removed, to_list(&app)).await
}
