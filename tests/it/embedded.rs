//! ContactClient mounted in a host Rocket app (examples/host_app.rs): the host's own routes and
//! templates keep working, ours live under /contact, and two instances in one app stay apart.

#[path = "../../examples/host_app.rs"]
mod host_app;

use crate::helpers::*;
use rocket::http::{ContentType, Header, Status};
use rocket::local::asynchronous::Client;

async fn host_client(dir: &tempfile::TempDir) -> Client {
    let figment = figment(dir, &[("base_path", "/contact")])
        .merge(("template_dir", concat!(env!("CARGO_MANIFEST_DIR"), "/examples/host_templates")));
    Client::tracked(host_app::host(figment)).await.expect("the host ignites with ContactClient attached")
}

#[rocket::async_test]
async fn the_host_keeps_its_pages_and_templates() {
    let dir = tempfile::tempdir().unwrap();
    let client = host_client(&dir).await;
    let home = client.get("/").dispatch().await;
    assert_eq!(home.status(), Status::Ok);
    assert!(home.headers().get_one("Content-Security-Policy").is_none(), "our headers stay under /contact");
    assert!(home.into_string().await.unwrap().contains("Acme Widgets"));
    assert_eq!(
        client.get("/about").dispatch().await.into_string().await.unwrap(),
        "Acme Widgets: fine widgets since 1999."
    );
    let missing = client.get("/nope").dispatch().await;
    assert_eq!(missing.status(), Status::NotFound);
    assert!(!missing.into_string().await.unwrap().contains("Back to the form"), "the host's 404, not ours");
    let ours = client.get("/contact/nope").dispatch().await;
    assert_eq!(ours.status(), Status::NotFound);
    assert!(ours.headers().get_one("Content-Security-Policy").is_some());
    assert!(ours.into_string().await.unwrap().contains("Back to the form"));
}

#[rocket::async_test]
async fn the_form_and_the_admin_work_under_the_mount_point() {
    let dir = tempfile::tempdir().unwrap();
    let client = host_client(&dir).await;
    let page = client.get("/contact").dispatch().await;
    assert_eq!(page.status(), Status::Ok);
    let html = page.into_string().await.unwrap();
    assert!(html.contains("action=\"/contact/\"") && html.contains("/contact/static/style.css?v="));
    let mut fields = valid_fields();
    fields.push(("csrf_token", input_value(&html, "csrf_token").unwrap()));
    fields.push(("captcha_token", input_value(&html, "captcha_token").unwrap()));
    fields.push(("captcha_answer", CAPTCHA_ANSWER.into()));
    let res = client.post("/contact").header(ContentType::Form).body(encode(&fields)).dispatch().await;
    assert_eq!(res.status(), Status::SeeOther);
    assert_eq!(res.headers().get_one("Location"), Some("/contact/thanks"));
    assert_eq!(client.get("/contact/thanks").dispatch().await.status(), Status::Ok);
    assert_eq!(client.get("/contact/static/style.css").dispatch().await.status(), Status::Ok);
    assert_eq!(client.get("/contact/healthz").dispatch().await.status(), Status::Ok);

    let res = client.get("/contact/admin").dispatch().await;
    assert_eq!(res.headers().get_one("Location"), Some("/contact/admin/login"));
    let login = client.get("/contact/admin/login").dispatch().await.into_string().await.unwrap();
    let body = encode(&[
        ("csrf_token", input_value(&login, "csrf_token").unwrap()),
        ("code", totp_code(TOTP_SECRET, unix_now())),
    ]);
    let res = client.post("/contact/admin/login").header(ContentType::Form).body(body).dispatch().await;
    assert_eq!(res.status(), Status::SeeOther);
    assert_eq!(res.headers().get_one("Location"), Some("/contact/admin"));
    assert!(res.cookies().get("cc_admin_contact").is_some_and(|c| c.path() == Some("/contact")));
    let list = client.get("/contact/admin").dispatch().await.into_string().await.unwrap();
    assert!(list.contains("Ada Lovelace") && list.contains("href=\"/contact/admin/submissions/1\""));
}

#[rocket::async_test]
async fn two_instances_in_one_app_share_nothing() {
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let config = |dir: &tempfile::TempDir, base: &str| {
        contact_client::Config::from_figment(&figment(
            dir,
            &[("base_path", base), ("ratelimit.submit", "3/minute")],
        ))
        .unwrap()
    };
    let rocket = rocket::custom(figment(&dir_a, &[]))
        .attach(contact_client::ContactClient::from_config(config(&dir_a, "/a")))
        .attach(contact_client::ContactClient::from_config(config(&dir_b, "/b")));
    let client = Client::tracked(rocket).await.unwrap();

    let form = |base: &'static str| {
        let client = &client;
        async move {
            let html = client.get(base).dispatch().await.into_string().await.unwrap();
            (input_value(&html, "csrf_token").unwrap(), input_value(&html, "captcha_token").unwrap())
        }
    };
    let post = |base: &'static str, csrf: String, captcha: String| {
        let client = &client;
        async move {
            let mut fields = valid_fields();
            fields.extend([
                ("csrf_token", csrf),
                ("captcha_token", captcha),
                ("captcha_answer", CAPTCHA_ANSWER.into()),
            ]);
            let res = client
                .post(base)
                .header(ContentType::Form)
                .header(Header::new("Accept", "application/json"))
                .body(encode(&fields))
                .dispatch()
                .await;
            res.status()
        }
    };
    // A's tokens are worthless on B (its own cookies, keys and challenge store).
    let (csrf_a, captcha_a) = form("/a").await;
    let (csrf_b, captcha_b) = form("/b").await;
    assert_ne!(csrf_a, csrf_b);
    assert_eq!(post("/b", csrf_a.clone(), captcha_b.clone()).await, Status::Forbidden);
    assert_eq!(post("/b", csrf_b.clone(), captcha_a.clone()).await, Status::UnprocessableEntity);
    // Budgets are apart (3 a minute each; B has used 2 on the refused posts above).
    assert_eq!(post("/a", csrf_a.clone(), captcha_a).await, Status::SeeOther);
    for _ in 0..2 {
        let (csrf, captcha) = form("/a").await;
        assert_eq!(post("/a", csrf, captcha).await, Status::SeeOther);
    }
    let (csrf_a4, captcha_a4) = form("/a").await;
    assert_eq!(post("/a", csrf_a4, captcha_a4).await, Status::TooManyRequests);
    let (csrf_b2, captcha_b2) = form("/b").await;
    assert_eq!(post("/b", csrf_b2, captcha_b2).await, Status::SeeOther, "B's budget is its own");
    // And the data: each database has what was sent to it.
    for (dir, expected) in [(&dir_a, 3), (&dir_b, 1)] {
        let pool =
            sqlx::SqlitePool::connect(&format!("sqlite://{}", dir.path().join("contact.db").display()))
                .await
                .unwrap();
        let n: i64 = sqlx::query_scalar("SELECT count(*) FROM submissions").fetch_one(&pool).await.unwrap();
        assert_eq!(n, expected);
    }
}

#[rocket::async_test]
async fn a_host_can_ask_for_generated_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let figment = rocket::Config::figment()
        .merge(("log_level", "critical"))
        .merge(("contact.data_dir", dir.path().to_str().unwrap()))
        .merge(("contact.base_path", "/contact"))
        .merge(("template_dir", concat!(env!("CARGO_MANIFEST_DIR"), "/examples/host_templates")));
    let client = Client::tracked(host_app::host(figment)).await.expect("starts without configured secrets");
    assert_eq!(client.get("/contact").dispatch().await.status(), Status::Ok);
    assert!(dir.path().join("secrets.env").is_file());
    let plain = rocket::custom(crate::helpers::figment(&dir, &[]).merge(("contact.secret_key", "")))
        .attach(contact_client::fairing());
    assert!(
        plain.ignite().await.is_err_and(|e| matches!(e.kind(), rocket::error::ErrorKind::FailedFairings(_))),
        "without asking, no secrets are made"
    );
}
#[rocket::async_test]
async fn the_embedded_fairing_refuses_bad_config_at_ignite() {
    let dir = tempfile::tempdir().unwrap();
    let rocket = rocket::custom(crate::helpers::figment(&dir, &[("base_path", "no-slash")]))
        .attach(contact_client::fairing());
    let err = rocket.ignite().await.expect_err("ignite fails");
    assert!(
        matches!(err.kind(), rocket::error::ErrorKind::FailedFairings(f) if f[0].name == "ContactClient")
    );
}
