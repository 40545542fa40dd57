use std::collections::BTreeMap;

use minijinja::context;
use rocket::http::uri::Origin;
use rocket::http::{ContentType, CookieJar, Header, Status};
use rocket::request::Request;
use rocket::response;
use rocket::response::content::RawHtml;
use rocket::response::{Redirect, Responder};
use rocket::{catch, catchers, get, post, routes, uri, Catcher, FromForm, Route};

use crate::back_office::export;
use crate::back_office::listing::{self, Shelf, PAGE_SIZE};
use crate::back_office::view::{NoteView, NotificationView, SubmissionView};
use crate::domain::{FieldErrors, Message, Status as TriageStatus, UserName};
use crate::errors::{self, worded, WebError};
use crate::guards::client_ip::ClientIp;
use crate::guards::csrf::SecureCookies;
use crate::guards::form_body::CsrfChecked;
use crate::guards::limited::{budget, SignInAttempt};
use crate::guards::session::{self, AdminSession, EditorSession, OwnerSession};
use crate::guards::{App, CheckedForm, CsrfToken, Language, Wants};
use crate::i18n::{Lang, Msg};
use crate::ratelimit::LimitKind;
use crate::sign_in;
use crate::sign_in::throttle::{self, SHARED_ACCOUNT};
use crate::sign_in::users::Actor;
use crate::store::AuditEntry;

/// Catchers for the admin's paths: without a session, a browser is sent to sign in.
pub fn catchers() -> Vec<Catcher> {
    catchers![sign_in_first]
}

/// A page that needs a session, asked for without one: the sign-in page for a browser, 401 for
/// a JSON client.
struct SignInFirst;

impl<'r> Responder<'r, 'static> for SignInFirst {
    fn respond_to(self, req: &'r Request<'_>) -> response::Result<'static> {
        match App::of(req).filter(|_| Wants::of(req) == Wants::Html) {
            Some(app) => {
                Redirect::to(uri!(app.config.base_path.origin(), login_page).to_string()).respond_to(req)
            }
            None => errors::error_response(req, Status::Unauthorized),
        }
    }
}

#[catch(401)]
fn sign_in_first() -> SignInFirst {
    SignInFirst
}

pub fn routes() -> Vec<Route> {
    budget(
        LimitKind::Default,
        routes![
            login_page,
            login,
            logout,
            dashboard,
            detail,
            add_note,
            set_status,
            delete,
            resend_notification,
            export_csv,
            audit_log
        ],
    )
}

/// An audit line: what `who` (a user's name; none for the shared sign-in) did, from where.
pub(super) async fn audit(
    app: &App,
    who: Option<&str>,
    action: &str,
    ip: ClientIp,
    submission: Option<i64>,
) -> Result<(), WebError> {
    audit_entry(app, who, action, ip, submission, None).await
}

/// An action on several submissions: how many, never whose.
pub(super) async fn audit_count(
    app: &App,
    who: Option<&str>,
    action: &str,
    ip: ClientIp,
    count: u64,
) -> Result<(), WebError> {
    audit_entry(app, who, action, ip, None, i64::try_from(count).ok()).await
}

async fn audit_entry(
    app: &App,
    actor: Option<&str>,
    action: &str,
    ip: ClientIp,
    submission_id: Option<i64>,
    count: Option<i64>,
) -> Result<(), WebError> {
    let (at, ip) = (app.clock.now_rfc3339(), ip.0.to_string());
    Ok(app.store.audit(AuditEntry { at: &at, action, ip: &ip, submission_id, count, actor }).await?)
}

/// What the admin's pages read from, with the days of the week in the admin's language.
pub(super) fn shelf<'a>(app: &'a App, admin: &AdminSession) -> Shelf<'a> {
    let weekdays = app.render.catalogs().weekdays(admin.lang());
    Shelf { store: &app.store, vault: &app.vault, email_index: &app.email_index, weekdays }
}

/// `?page=` as a page number: 1 when it is missing or nonsense.
fn page_number(raw: Option<&str>) -> u32 {
    raw.and_then(|p| p.parse::<u32>().ok()).filter(|p| *p > 0).unwrap_or(1)
}

/// How many pages `total` rows fill; an empty list is still one page.
fn page_count(total: i64, per_page: u32) -> i64 {
    ((total + i64::from(per_page) - 1) / i64::from(per_page)).max(1)
}

fn login_form(
    app: &App,
    lang: Lang,
    csrf: &CsrfToken,
    users: bool,
    failed: bool,
) -> Result<String, WebError> {
    Ok(app.render.render(
        "contact/admin_login.html",
        lang,
        context! {
            csrf_token => &csrf.0,
            error => failed.then(|| app.render.catalogs().text(lang, Msg("login-failed"))),
            users,
            needs_password => users || app.admin.requires_password(),
        },
    )?)
}

#[get("/admin/login")]
async fn login_page(app: App, lang: Language, csrf: CsrfToken) -> Result<RawHtml<String>, WebError> {
    let users = app.store.enrolled_users().await? > 0;
    Ok(RawHtml(login_form(&app, lang.0, &csrf, users, false)?))
}

/// Right name, password and code: a new session. Wrong: 401 and one message that does not say
/// which part was wrong. Every try that passed the CSRF check counts against the sign-in limit
/// of its account (the shared one, or the user name tried).
#[post("/admin/login", data = "<form>")]
async fn login(
    app: App,
    lang: Language,
    csrf: CsrfToken,
    ip: ClientIp,
    secure: SecureCookies,
    cookies: &CookieJar<'_>,
    form: SignInAttempt,
) -> Result<Result<Redirect, (Status, RawHtml<String>)>, WebError> {
    let SignInAttempt(form) = form;
    let now = (app.clock.now_ms() / 1000) as i64;
    let users = app.store.enrolled_users().await? > 0;
    let account = match (users, UserName::parse(&form.username)) {
        (false, _) => SHARED_ACCOUNT.to_string(),
        (true, Ok(name)) => format!("user:{}", name.as_str()),
        (true, Err(_)) => "user:".to_string(),
    };
    if let Err(wait) = app.store.reserve_sign_in(&account, |t| throttle::count_try(t, now)).await? {
        app.metrics.rate_limited("account");
        return Err(WebError::TooMany { retry_after: wait });
    }
    let actor = if users {
        let at = app.clock.now_rfc3339();
        sign_in::users::sign_in(
            &app.store,
            &app.vault,
            &form.username,
            &form.password,
            &form.code,
            now as u64,
            &at,
        )
        .await?
    } else {
        shared_sign_in(&app, &form.password, &form.code, now).await?
    };
    let Some(actor) = actor else {
        audit(&app, None, "sign_in_failed", ip, None).await?;
        return Ok(Err((Status::Unauthorized, RawHtml(login_form(&app, lang.0, &csrf, users, true)?))));
    };
    app.store.clear_sign_in_failures(Some(&account)).await?;
    session::start(cookies, &app, secure, &actor).await?;
    audit(&app, actor.name(), "sign_in", ip, None).await?;
    Ok(Ok(Redirect::to(uri!(app.config.base_path.origin(), dashboard(_, _, _)).to_string())))
}

/// The single admin of a site without users: `TOTP_SECRET`'s code, and `ADMIN_PASSWORD_HASH`'s
/// password when one is set; each code is accepted once.
async fn shared_sign_in(app: &App, password: &str, code: &str, now: i64) -> Result<Option<Actor>, WebError> {
    let password_ok = app.admin.password_ok(password).await;
    let accepted = match (password_ok, app.admin.code_step(code, now as u64)) {
        (true, Some(step)) => app.store.accept_totp_step(step as i64).await?,
        _ => false,
    };
    Ok(accepted.then_some(Actor::SHARED))
}

#[post("/admin/logout", data = "<_form>")]
async fn logout(app: App, cookies: &CookieJar<'_>, _form: CheckedForm) -> Result<Redirect, WebError> {
    session::end(cookies, &app).await?;
    Ok(Redirect::to(uri!(app.config.base_path.origin(), login_page).to_string()))
}

#[get("/admin?<q>&<status>&<page>")]
async fn dashboard(
    app: App,
    admin: AdminSession,
    csrf: CsrfToken,
    q: Option<&str>,
    status: Option<&str>,
    page: Option<&str>,
) -> Result<RawHtml<String>, WebError> {
    let q = q.unwrap_or_default().trim();
    let status = status.and_then(TriageStatus::parse);
    let page = page_number(page);
    let counts: BTreeMap<String, i64> = app.store.status_counts().await?.into_iter().collect();
    let listing = listing::list(shelf(&app, &admin), q, status, page, &counts).await?;
    let all: i64 = counts.values().sum();
    let pages = page_count(listing.total, PAGE_SIZE);
    let statuses = TriageStatus::ALL.map(TriageStatus::as_str);
    Ok(RawHtml(app.render.render(
        "contact/admin_list.html",
        admin.lang(),
        context! {
            items => listing.items,
            total => listing.total,
            counts, all, statuses, q,
            status => status.map(TriageStatus::as_str),
            page, pages,
            admin => admin.view(),
            retention_days => app.retention.policy().days,
            retention_spam_days => app.retention.policy().spam_days,
            section => "list",
            csrf_token => &csrf.0,
        },
    )?))
}

/// The detail page, with `errors` beside the forms that caused them.
async fn detail_page(
    app: &App,
    admin: &AdminSession,
    id: i64,
    csrf: &CsrfToken,
    errors: &FieldErrors,
) -> Result<Option<String>, WebError> {
    let Some(row) = app.store.get(id).await? else {
        return Ok(None);
    };
    let item = SubmissionView::open(row, &app.vault, app.render.catalogs().weekdays(admin.lang()));
    let notes: Vec<NoteView> =
        app.store.notes(id).await?.into_iter().map(|n| NoteView::open(n, &app.vault)).collect();
    let notifications: Vec<NotificationView> =
        app.store.notifications_of(id).await?.into_iter().map(NotificationView::from).collect();
    let statuses = TriageStatus::ALL.map(TriageStatus::as_str);
    Ok(Some(app.render.render(
        "contact/admin_detail.html",
        admin.lang(),
        context! {
            item, notes, notifications, statuses,
            errors => worded(app.render.catalogs(), admin.lang(), errors),
            admin => admin.view(),
            section => "list",
            csrf_token => &csrf.0,
        },
    )?))
}

#[get("/admin/submissions/<id>")]
async fn detail(
    app: App,
    admin: AdminSession,
    ip: ClientIp,
    csrf: CsrfToken,
    id: i64,
) -> Result<Option<RawHtml<String>>, WebError> {
    let page = detail_page(&app, &admin, id, &csrf, &FieldErrors::new()).await?;
    if page.is_some() {
        audit(&app, admin.actor().name(), "view", ip, Some(id)).await?;
    }
    Ok(page.map(RawHtml))
}

/// After a change to submission `id`: 404 when there was nothing to change, else the audit
/// line and a redirect to `to`.
async fn changed(
    app: &App,
    admin: &AdminSession,
    ip: ClientIp,
    action: &str,
    id: i64,
    done: bool,
    to: Origin<'_>,
) -> Result<Option<Redirect>, WebError> {
    if !done {
        return Ok(None);
    }
    audit(app, admin.actor().name(), action, ip, Some(id)).await?;
    Ok(Some(Redirect::to(to.to_string())))
}

/// 422 with the detail page showing `field`'s error.
async fn refused(
    app: &App,
    admin: &AdminSession,
    id: i64,
    csrf: &CsrfToken,
    field: &'static str,
    message: Msg,
) -> WebError {
    let errors = FieldErrors::from([(field, message)]);
    match detail_page(app, admin, id, csrf, &errors).await {
        Ok(page) => WebError::Invalid { errors, page },
        Err(e) => e,
    }
}

/// A note's text.
#[derive(FromForm)]
struct NoteForm {
    #[field(default = String::new())]
    body: String,
}

/// A new triage status.
#[derive(FromForm)]
struct StatusForm {
    #[field(default = String::new())]
    status: String,
}

#[post("/admin/submissions/<id>/notes", data = "<form>")]
async fn add_note(
    app: App,
    admin: EditorSession,
    ip: ClientIp,
    csrf: CsrfToken,
    id: i64,
    form: CsrfChecked<NoteForm>,
) -> Result<Option<Redirect>, WebError> {
    let body = match Message::parse(&form.0.body) {
        Ok(body) if !body.as_str().is_empty() => body,
        Ok(_) => return Err(refused(&app, &admin, id, &csrf, "body", Msg("field-note-empty")).await),
        Err(message) => return Err(refused(&app, &admin, id, &csrf, "body", message).await),
    };
    let done = app.store.add_note(id, &app.clock.now_rfc3339(), &app.vault.encrypt(body.as_str())).await?;
    changed(&app, &admin, ip, "note", id, done, uri!(app.config.base_path.origin(), detail(id))).await
}

#[post("/admin/submissions/<id>/status", data = "<form>")]
async fn set_status(
    app: App,
    admin: EditorSession,
    ip: ClientIp,
    csrf: CsrfToken,
    id: i64,
    form: CsrfChecked<StatusForm>,
) -> Result<Option<Redirect>, WebError> {
    let Some(status) = TriageStatus::parse(&form.0.status) else {
        return Err(refused(&app, &admin, id, &csrf, "status", Msg("field-status-unknown")).await);
    };
    let done = app.store.set_status(id, status.as_str()).await?;
    changed(&app, &admin, ip, "status", id, done, uri!(app.config.base_path.origin(), detail(id))).await
}

#[post("/admin/submissions/<id>/delete", data = "<_form>")]
async fn delete(
    app: App,
    admin: OwnerSession,
    ip: ClientIp,
    id: i64,
    _form: CheckedForm,
) -> Result<Option<Redirect>, WebError> {
    let done = app.store.delete(id).await?;
    changed(&app, &admin, ip, "delete", id, done, uri!(app.config.base_path.origin(), dashboard(_, _, _)))
        .await
}

/// A notification that was given up is tried again, with a fresh run of retries.
#[post("/admin/submissions/<id>/notifications/<notification>/resend", data = "<_form>")]
async fn resend_notification(
    app: App,
    admin: OwnerSession,
    ip: ClientIp,
    id: i64,
    notification: i64,
    _form: CheckedForm,
) -> Result<Option<Redirect>, WebError> {
    let done = app.store.resend_notification(id, notification, app.clock.now().unix_timestamp()).await?;
    if done {
        app.notifier.wake();
    }
    changed(
        &app,
        &admin,
        ip,
        "notification_resend",
        id,
        done,
        uri!(app.config.base_path.origin(), detail(id)),
    )
    .await
}

#[get("/admin/export.csv")]
async fn export_csv(app: App, admin: OwnerSession, ip: ClientIp) -> Result<Download, WebError> {
    let weekdays = app.render.catalogs().weekdays(admin.lang());
    let items: Vec<SubmissionView> =
        app.store.all().await?.into_iter().map(|r| SubmissionView::open(r, &app.vault, weekdays)).collect();
    audit(&app, admin.actor().name(), "export", ip, None).await?;
    Ok(Download::attachment(export::csv(&items), ContentType::new("text", "csv"), "submissions.csv"))
}

/// An export as a download.
#[derive(Responder)]
pub(super) struct Download {
    body: String,
    content_type: ContentType,
    disposition: Header<'static>,
}

impl Download {
    pub(super) fn attachment(body: String, kind: ContentType, file_name: &'static str) -> Download {
        Download {
            body,
            content_type: kind.with_params(("charset", "utf-8")),
            disposition: Header::new("Content-Disposition", format!("attachment; filename=\"{file_name}\"")),
        }
    }
}

#[get("/admin/audit?<page>&<user>")]
async fn audit_log(
    app: App,
    admin: OwnerSession,
    csrf: CsrfToken,
    page: Option<&str>,
    user: Option<&str>,
) -> Result<RawHtml<String>, WebError> {
    const PER_PAGE: u32 = 50;
    let page = page_number(page);
    let user = user.map(str::trim).filter(|u| !u.is_empty());
    let (rows, total) = app.store.audit_page(PER_PAGE, (page - 1).saturating_mul(PER_PAGE), user).await?;
    let entries: Vec<_> = rows
        .into_iter()
        .map(|r| {
            context! {
                at => r.at, action => r.action, ip => r.ip, submission_id => r.submission_id,
                count => r.count, actor => r.actor,
            }
        })
        .collect();
    let pages = page_count(total, PER_PAGE);
    Ok(RawHtml(app.render.render(
        "contact/admin_audit.html",
        admin.lang(),
        context! { entries, page, pages, total, user, admin => admin.view(), section => "audit", csrf_token => &csrf.0 },
    )?))
}
