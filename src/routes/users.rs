//! The users page, for owners: the team with their roles and last sign-in; add a user (their
//! enrolment shown once, then a first code from their app before the account works), change
//! a role, reset, remove. Every change is audited with the acting owner's name.

use minijinja::context;
use rocket::http::Status;
use rocket::response::content::RawHtml;
use rocket::response::Redirect;
use rocket::{get, post, routes, uri, FromForm, Route};

use super::admin::audit_user;
use crate::domain::Role;
use crate::errors::WebError;
use crate::guards::client_ip::ClientIp;
use crate::guards::form_body::CsrfChecked;
use crate::guards::limited::budget;
use crate::guards::session::OwnerSession;
use crate::guards::{App, CheckedForm, CsrfToken};
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
    error: Option<&str>,
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
    let html = app.render.render(
        "contact/admin_users.html",
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
    error: Option<&str>,
) -> Result<String, WebError> {
    Ok(app.render.render(
        "contact/admin_enrol.html",
        context! {
            name => &enrolment.name,
            uri => &enrolment.uri,
            secret => &enrolment.secret,
            qr => enrolment.qr_svg(),
            recovery_codes => &enrolment.recovery_codes,
            error,
            admin => admin.view(),
            section => "users",
            csrf_token => &csrf.0,
        },
    )?)
}

/// A refused change answers the page again with the reason; anything else is an error.
async fn refused(app: &App, admin: &OwnerSession, csrf: &CsrfToken, e: TeamError) -> Page {
    match e {
        TeamError::Refused(reason) => {
            page(app, admin, csrf, Status::UnprocessableEntity, Some(&reason)).await
        }
        TeamError::Store(e) => Err(e.into()),
    }
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
) -> Result<Result<RawHtml<String>, (Status, RawHtml<String>)>, WebError> {
    let f = form.0;
    match team(&app).add(&f.name, &f.role, &f.password, false, &app.clock.now_rfc3339()).await {
        Ok(enrolment) => {
            audit_user(&app, &admin, "user_add", ip).await?;
            Ok(Ok(RawHtml(enrolment_page(&app, &admin, &csrf, &enrolment, None)?)))
        }
        Err(e) => refused(&app, &admin, &csrf, e).await.map(Err),
    }
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
) -> Result<Result<Redirect, (Status, RawHtml<String>)>, WebError> {
    let unix = app.clock.now().unix_timestamp() as u64;
    match team(&app).confirm(name, &form.0.code, unix).await {
        Ok(()) => {
            audit_user(&app, &admin, "user_confirm", ip).await?;
            Ok(Ok(Redirect::to(uri!(app.config.base_path.origin(), users_page).to_string())))
        }
        Err(e) => refused(&app, &admin, &csrf, e).await.map(Err),
    }
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
) -> Result<Result<Redirect, (Status, RawHtml<String>)>, WebError> {
    match team(&app).set_role(name, &form.0.role).await {
        Ok(()) => {
            audit_user(&app, &admin, "user_role", ip).await?;
            Ok(Ok(Redirect::to(uri!(app.config.base_path.origin(), users_page).to_string())))
        }
        Err(e) => refused(&app, &admin, &csrf, e).await.map(Err),
    }
}

#[post("/admin/users/<name>/reset", data = "<_form>")]
async fn reset_user(
    app: App,
    admin: OwnerSession,
    ip: ClientIp,
    csrf: CsrfToken,
    name: &str,
    _form: CheckedForm,
) -> Result<Result<RawHtml<String>, (Status, RawHtml<String>)>, WebError> {
    match team(&app).reset(name, false).await {
        Ok(enrolment) => {
            audit_user(&app, &admin, "user_reset", ip).await?;
            Ok(Ok(RawHtml(enrolment_page(&app, &admin, &csrf, &enrolment, None)?)))
        }
        Err(e) => refused(&app, &admin, &csrf, e).await.map(Err),
    }
}

#[post("/admin/users/<name>/remove", data = "<_form>")]
async fn remove_user(
    app: App,
    admin: OwnerSession,
    ip: ClientIp,
    csrf: CsrfToken,
    name: &str,
    _form: CheckedForm,
) -> Result<Result<Redirect, (Status, RawHtml<String>)>, WebError> {
    match team(&app).remove(name).await {
        Ok(()) => {
            audit_user(&app, &admin, "user_remove", ip).await?;
            Ok(Ok(Redirect::to(uri!(app.config.base_path.origin(), users_page).to_string())))
        }
        Err(e) => refused(&app, &admin, &csrf, e).await.map(Err),
    }
}
