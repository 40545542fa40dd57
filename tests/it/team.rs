//! A team of admins: users made through the command line (the test reads each URI from stdout
//! and computes the codes itself), their sign-in, their roles, and the audit naming them.

use std::io::Write;
use std::process::{Output, Stdio};

use rocket::http::{ContentType, Status};
use rocket::local::asynchronous::Client;

use crate::helpers::databases::TestDatabase;
use crate::helpers::*;
use crate::on_both_databases;

/// Runs `contact-client ARGS` on the instance's database, `stdin` as standard input.
fn cli(db: &TestDatabase, args: &[&str], stdin: &str) -> Output {
    let mut child = db
        .command()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

/// A user made with `admin add`: their name, password, TOTP secret and recovery codes.
struct User {
    name: &'static str,
    password: &'static str,
    secret: String,
    recovery: Vec<String>,
}

impl User {
    fn add(db: &TestDatabase, name: &'static str, role: &str) -> User {
        let password = "a-password-long-enough";
        let out = cli(db, &["admin", "add", name, "--role", role], &format!("{password}\n"));
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        enrolment(name, password, &String::from_utf8(out.stdout).unwrap())
    }

    /// A code of this user's authenticator, `steps` time steps from now.
    fn code(&self, steps: i64) -> String {
        totp_code(&self.secret, (unix_now() as i64 + steps * 30) as u64)
    }
}

fn enrolment(name: &'static str, password: &'static str, stdout: &str) -> User {
    let mut lines = stdout.lines();
    let uri = lines.next().expect("the otpauth URI first");
    assert!(uri.starts_with(&format!("otpauth://totp/ContactClient:{name}?secret=")), "{uri}");
    let secret = uri.split("secret=").nth(1).unwrap().split('&').next().unwrap().to_string();
    assert_eq!(lines.next(), Some("recovery codes:"));
    let recovery: Vec<String> = lines.map(str::to_string).collect();
    assert_eq!(recovery.len(), 10);
    User { name, password, secret, recovery }
}

async fn sign_in_as<'c>(
    client: &'c Client,
    user: &User,
    code: &str,
) -> rocket::local::asynchronous::LocalResponse<'c> {
    let page = client.get("/admin/login").dispatch().await.into_string().await.unwrap();
    let token = input_value(&page, "csrf_token").unwrap();
    let fields = [
        ("csrf_token", token),
        ("username", user.name.to_string()),
        ("password", user.password.to_string()),
        ("code", code.to_string()),
    ];
    client.post("/admin/login").header(ContentType::Form).body(encode(&fields)).dispatch().await
}

async fn sign_out(client: &Client) {
    let res = admin_post(client, "/admin/logout", &[]).await;
    assert_eq!(res.status(), Status::SeeOther);
}

async fn status_of(client: &Client, path: &str) -> Status {
    client.get(path.to_string()).dispatch().await.status()
}

async fn notes(db: &TestDatabase) -> i64 {
    db.number("SELECT count(*) FROM notes").await
}

on_both_databases! {
async fn each_role_does_what_it_may_and_nothing_more(backend: Backend) {
    let (client, db) = app_on(backend, &[]).await;
    let c = &client;
    for _ in 0..2 {
        assert_eq!(submit(c, &valid_fields(), false).await.status(), Status::SeeOther);
    }
    let olga = User::add(&db, "olga", "owner");
    let eddie = User::add(&db, "eddie", "editor");
    let vera = User::add(&db, "vera", "viewer");

    assert_eq!(sign_in_as(c, &vera, &vera.code(0)).await.status(), Status::SeeOther);
    let list = c.get("/admin").dispatch().await.into_string().await.unwrap();
    assert!(list.contains("vera · viewer") && !list.contains("Audit log") && !list.contains("Export CSV"));
    let detail = c.get("/admin/submissions/1").dispatch().await.into_string().await.unwrap();
    assert!(
        !detail.contains("/notes\"")
            && !detail.contains("Delete submission")
            && !detail.contains("/status\"")
    );
    for (path, fields) in [
        ("/admin/submissions/1/notes", vec![("body", "a viewer's note")]),
        ("/admin/submissions/1/status", vec![("status", "closed")]),
        ("/admin/submissions/1/delete", vec![]),
        ("/admin/people/erase", vec![("email", "ada@example.com")]),
    ] {
        let res = admin_post(c, path, &fields).await;
        assert_eq!(res.status(), Status::Forbidden, "a viewer's crafted POST to {path}");
        assert!(res.into_string().await.unwrap().contains("Your role does not allow this"));
    }
    for path in ["/admin/export.csv", "/admin/audit", "/admin/people?email=ada%40example.com"] {
        assert_eq!(status_of(c, path).await, Status::Forbidden, "a viewer asks for {path}");
    }
    assert_eq!(notes(&db).await, 0, "nothing changed");
    assert_eq!(status_of(c, "/admin/submissions/1").await, Status::Ok);
    sign_out(c).await;

    assert_eq!(sign_in_as(c, &eddie, &eddie.code(0)).await.status(), Status::SeeOther);
    let detail = c.get("/admin/submissions/1").dispatch().await.into_string().await.unwrap();
    assert!(detail.contains("/notes\"") && !detail.contains("Delete submission"));
    let note = admin_post(c, "/admin/submissions/1/notes", &[("body", "called back")]).await;
    assert_eq!(note.status(), Status::SeeOther);
    assert_eq!(
        admin_post(c, "/admin/submissions/1/status", &[("status", "contacted")]).await.status(),
        Status::SeeOther
    );
    assert_eq!(admin_post(c, "/admin/submissions/2/delete", &[]).await.status(), Status::Forbidden);
    assert_eq!(status_of(c, "/admin/export.csv").await, Status::Forbidden);
    assert_eq!(status_of(c, "/admin/audit").await, Status::Forbidden);
    sign_out(c).await;

    assert_eq!(sign_in_as(c, &olga, &olga.code(0)).await.status(), Status::SeeOther);
    assert_eq!(admin_post(c, "/admin/submissions/2/delete", &[]).await.status(), Status::SeeOther);
    assert_eq!(status_of(c, "/admin/export.csv").await, Status::Ok);
    assert_eq!(status_of(c, "/admin/people?email=ada%40example.com").await, Status::Ok);
    let audit = c.get("/admin/audit?user=eddie").dispatch().await.into_string().await.unwrap();
    assert!(audit.contains("<td data-label=\"Who\">eddie</td>"), "the audit names the actor: {audit}");
    assert!(audit.contains(">note<") && audit.contains(">status<"));
    assert!(!audit.contains(">olga<") && !audit.contains(">delete<"), "filtered to eddie's lines");
    let all = c.get("/admin/audit").dispatch().await.into_string().await.unwrap();
    assert!(all.contains("<td data-label=\"Who\">olga</td>") && all.contains(">delete<"));
    assert_eq!(notes(&db).await, 1);
}
}

on_both_databases! {
async fn a_wrong_password_and_an_unknown_name_answer_alike(backend: Backend) {
    let (client, db) = app_on(backend, &[]).await;
    let olga = User::add(&db, "olga", "owner");
    let wrong_password = User { password: "not-her-password", ..User::add(&db, "otto", "owner") };
    let unknown = User { name: "nobody", ..User::add(&db, "ann", "viewer") };
    let a = sign_in_as(&client, &wrong_password, &wrong_password.code(0)).await;
    let (status_a, body_a) = (a.status(), a.into_string().await.unwrap());
    let b = sign_in_as(&client, &unknown, &unknown.code(0)).await;
    let (status_b, body_b) = (b.status(), b.into_string().await.unwrap());
    let strip =
        |html: &str| input_value(html, "csrf_token").map_or(html.to_string(), |t| html.replace(&t, ""));
    assert_eq!((status_a, strip(&body_a)), (status_b, strip(&body_b)), "same status, same page");
    assert_eq!(status_a, Status::Unauthorized);
    let wrong_code = sign_in_as(&client, &olga, "000000").await;
    assert_eq!(
        (wrong_code.status(), strip(&wrong_code.into_string().await.unwrap())),
        (status_a, strip(&body_a))
    );
}
}

on_both_databases! {
async fn a_code_and_a_recovery_code_each_sign_in_once(backend: Backend) {
    let (client, db) = app_on(backend, &[]).await;
    let c = &client;
    let olga = User::add(&db, "olga", "owner");
    let code = olga.code(0);
    assert_eq!(sign_in_as(c, &olga, &code).await.status(), Status::SeeOther);
    sign_out(c).await;
    assert_eq!(sign_in_as(c, &olga, &code).await.status(), Status::Unauthorized, "a replayed code");
    let recovery = olga.recovery[3].to_uppercase();
    assert_eq!(sign_in_as(c, &olga, &recovery).await.status(), Status::SeeOther, "a recovery code");
    sign_out(c).await;
    assert_eq!(
        sign_in_as(c, &olga, &recovery).await.status(),
        Status::Unauthorized,
        "a replayed recovery code"
    );
    let other = User { name: "olga", ..User::add(&db, "max", "viewer") };
    assert_eq!(
        sign_in_as(c, &olga, &other.recovery[0]).await.status(),
        Status::Unauthorized,
        "another's code"
    );
}
}

on_both_databases! {
async fn removing_or_resetting_a_user_ends_their_session_at_once(backend: Backend) {
    let (client, db) = app_on(backend, &[]).await;
    let c = &client;
    let _olga = User::add(&db, "olga", "owner");
    let eddie = User::add(&db, "eddie", "editor");
    assert_eq!(sign_in_as(c, &eddie, &eddie.code(0)).await.status(), Status::SeeOther);
    assert_eq!(status_of(c, "/admin").await, Status::Ok);
    let out = cli(&db, &["admin", "reset", "eddie"], "");
    assert!(out.status.success());
    let eddie = enrolment("eddie", eddie.password, &String::from_utf8(out.stdout).unwrap());
    assert_eq!(status_of(c, "/admin").await, Status::SeeOther, "reset: back to sign-in");
    assert_eq!(
        sign_in_as(c, &eddie, &eddie.code(0)).await.status(),
        Status::SeeOther,
        "the new secret works"
    );
    assert!(cli(&db, &["admin", "remove", "eddie"], "").status.success());
    assert_eq!(status_of(c, "/admin").await, Status::SeeOther, "removed: back to sign-in");
    assert_eq!(sign_in_as(c, &eddie, &eddie.code(1)).await.status(), Status::Unauthorized);
}
}

on_both_databases! {
async fn the_shared_sign_in_works_until_a_user_exists(backend: Backend) {
    let (client, db) = app_on(backend, &[]).await;
    let c = &client;
    sign_in(c).await;
    assert_eq!(status_of(c, "/admin").await, Status::Ok);
    let olga = User::add(&db, "olga", "owner");
    assert_eq!(status_of(c, "/admin").await, Status::SeeOther, "the shared session ended");
    let page = c.get("/admin/login").dispatch().await.into_string().await.unwrap();
    assert!(page.contains("name=\"username\""), "the sign-in asks for a name");
    let shared = try_sign_in(c, &totp_code(TOTP_SECRET, unix_now() + 30), None).await;
    assert_eq!(shared.status(), Status::Unauthorized, "the shared secret no longer signs in");
    assert_eq!(sign_in_as(c, &olga, &olga.code(0)).await.status(), Status::SeeOther);
}
}

on_both_databases! {
async fn the_command_line_keeps_an_owner_and_checks_what_it_is_given(backend: Backend) {
    let db = backend.fresh().unwrap();
    let d = &db;
    let refused = |args: &[&str], stdin: &str, says: &str| {
        let out = cli(d, args, stdin);
        let err = String::from_utf8_lossy(&out.stderr).to_string();
        assert!(!out.status.success() && err.contains(says), "{args:?}: {err}");
    };
    refused(&["admin", "add", "Olga"], "a-password-long-enough\n", "a-z, 0-9");
    refused(&["admin", "add", "olga"], "short\n", "12 characters");
    refused(
        &["admin", "add", "olga", "--role", "admin"],
        "a-password-long-enough\n",
        "owner, editor or viewer",
    );
    User::add(d, "olga", "owner");
    refused(&["admin", "add", "olga"], "a-password-long-enough\n", "exists already");
    refused(&["admin", "remove", "olga"], "", "last owner");
    refused(&["admin", "role", "olga", "viewer"], "", "last owner");
    refused(&["admin", "reset", "nobody"], "", "no user named nobody");
    User::add(d, "otto", "editor");
    let out = cli(d, &["admin", "role", "otto", "owner"], "");
    assert!(String::from_utf8_lossy(&out.stdout).contains("otto is now owner"));
    assert!(cli(d, &["admin", "remove", "olga"], "").status.success(), "another owner is left");
    let list = String::from_utf8(cli(d, &["admin", "list"], "").stdout).unwrap();
    assert!(list.starts_with("otto\towner\t") && !list.contains("olga"), "{list}");
}
}

/// The secret shown on an enrolment page.
fn shown_secret(html: &str) -> String {
    let at =
        html.find("<code class=\"secret\">").expect("the key is shown") + "<code class=\"secret\">".len();
    html[at..].split('<').next().unwrap().to_string()
}

on_both_databases! {
async fn an_owner_manages_the_team_on_the_users_page(backend: Backend) {
    let (client, db) = app_on(backend, &[]).await;
    let c = &client;
    let olga = User::add(&db, "olga", "owner");
    assert_eq!(sign_in_as(c, &olga, &olga.code(0)).await.status(), Status::SeeOther);
    let page = c.get("/admin/users").dispatch().await.into_string().await.unwrap();
    assert!(page.contains("olga") && page.contains("Add a user"));

    let added = admin_post(
        c,
        "/admin/users",
        &[("name", "nina"), ("role", "editor"), ("password", "ninas-first-password")],
    )
    .await;
    assert_eq!(added.status(), Status::Ok);
    let html = added.into_string().await.unwrap();
    assert!(html.contains("<svg") && html.contains("Recovery codes"), "the QR code and the codes, once");
    let nina = User {
        name: "nina",
        password: "ninas-first-password",
        secret: shown_secret(&html),
        recovery: Vec::new(),
    };
    let other = Client::tracked(rocket::custom(figment_on(&db, &[])).attach(contact_client::fairing()))
        .await
        .unwrap();
    assert_eq!(
        sign_in_as(&other, &nina, &nina.code(0)).await.status(),
        Status::Unauthorized,
        "no sign-in before the first code is confirmed"
    );
    let wrong = admin_post(c, "/admin/users/nina/confirm", &[("code", "000000")]).await;
    assert_eq!(wrong.status(), Status::UnprocessableEntity);
    assert!(wrong.into_string().await.unwrap().contains("That code is not right"));
    let confirmed = admin_post(c, "/admin/users/nina/confirm", &[("code", &nina.code(-1))]).await;
    assert_eq!(confirmed.status(), Status::SeeOther);
    assert_eq!(sign_in_as(&other, &nina, &nina.code(0)).await.status(), Status::SeeOther, "nina signs in");
    assert_eq!(status_of(&other, "/admin/users").await, Status::Forbidden, "an editor manages nobody");

    let taken = admin_post(
        c,
        "/admin/users",
        &[("name", "nina"), ("role", "viewer"), ("password", "another-password!")],
    )
    .await;
    assert_eq!(taken.status(), Status::UnprocessableEntity);
    let demote = admin_post(c, "/admin/users/olga/role", &[("role", "viewer")]).await;
    assert_eq!(demote.status(), Status::UnprocessableEntity);
    assert!(demote.into_string().await.unwrap().contains("last owner"));
    assert_eq!(
        admin_post(c, "/admin/users/nina/role", &[("role", "viewer")]).await.status(),
        Status::SeeOther
    );
    let note = admin_post(&other, "/admin/submissions/1/notes", &[("body", "a viewer's note")]).await;
    assert_eq!(note.status(), Status::Forbidden, "nina is a viewer now, at once");
    assert_eq!(admin_post(c, "/admin/users/nina/remove", &[]).await.status(), Status::SeeOther);
    assert_eq!(status_of(&other, "/admin").await, Status::SeeOther, "removed: her session ended");
    let audit = c.get("/admin/audit?user=olga").dispatch().await.into_string().await.unwrap();
    for action in ["user add", "user confirm", "user role", "user remove"] {
        assert!(audit.contains(action), "{action} audited");
    }
}
}

on_both_databases! {
/// Two owners removing or demoting each other at the same moment (two instances on one
/// PostgreSQL, say): one change goes through, the other is refused, and an owner is left.
async fn two_owners_removing_each_other_at_once_leave_one(backend: Backend) {
    use contact_client::store::{NewUser, UserChange};
    let Some(db) = backend.fresh() else { return };
    let store = db.store().await;
    let owners = async || -> Vec<String> {
        store.users().await.unwrap().into_iter().filter(|u| u.role == "owner").map(|u| u.name).collect()
    };
    for round in 0..40 {
        let (a, b) = (format!("a{round}"), format!("b{round}"));
        for name in [&a, &b] {
            let user = NewUser {
                name,
                role: "owner",
                password_hash: "not-used-here",
                totp_secret: "not-used-here",
                recovery_hashes: &[],
                enrolled: true,
                created_at: "2026-01-01T00:00:00Z",
            };
            assert!(store.add_user(user).await.unwrap());
        }
        // The owner the last round left steps down: exactly two owners race.
        for left in owners().await.into_iter().filter(|n| *n != a && *n != b) {
            assert_eq!(store.set_user_role(&left, "viewer").await.unwrap(), UserChange::Done);
        }
        let (x, y) = if round % 2 == 0 {
            rocket::tokio::join!(store.remove_user(&a), store.remove_user(&b))
        } else {
            rocket::tokio::join!(store.set_user_role(&a, "viewer"), store.set_user_role(&b, "viewer"))
        };
        let mut outcomes = [x.unwrap(), y.unwrap()];
        outcomes.sort_by_key(|o| *o == UserChange::Done);
        assert_eq!(outcomes, [UserChange::LastOwner, UserChange::Done], "round {round}");
        assert_eq!(owners().await.len(), 1, "round {round}");
    }
    store.close().await;
}
}
