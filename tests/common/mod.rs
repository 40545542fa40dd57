//! Helpers shared by the integration tests: an instance on a temporary data directory with
//! fixed test keys, and the steps of a visitor's form submission.
#![allow(dead_code)] // each test binary uses its own subset

pub mod http;

use figment::Figment;
use rocket::http::{ContentType, Header, Status};
use rocket::local::asynchronous::{Client, LocalResponse};
use tempfile::TempDir;
use time::{Duration, OffsetDateTime};

pub const SECRET_KEY: &str = "test-secret-key-0123456789abcdefghijklmnopqrstuvwxyz";
pub const FERNET_KEY: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
pub const TOTP_SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

pub struct TestApp {
    pub client: Client,
    pub dir: TempDir,
}

/// The figment a host would have: Rocket's defaults and a `contact` section with test keys on
/// a fresh data directory, plus `extra` (dotted keys inside `contact`).
pub fn figment(dir: &TempDir, extra: &[(&str, &str)]) -> Figment {
    let mut fig = Figment::from(rocket::Config::debug_default())
        .merge(("log_level", "critical"))
        .merge(("contact.secret_key", SECRET_KEY))
        .merge(("contact.fernet_key", FERNET_KEY))
        .merge(("contact.totp_secret", TOTP_SECRET))
        .merge(("contact.env", "development"))
        .merge(("contact.data_dir", dir.path().to_str().unwrap()));
    for (key, value) in extra {
        fig = fig.merge((format!("contact.{key}"), *value));
    }
    fig
}

pub async fn app_with(extra: &[(&str, &str)]) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let rocket = rocket::custom(figment(&dir, extra)).attach(contact_client::fairing());
    let client = Client::tracked(rocket).await.expect("the test instance starts");
    TestApp { client, dir }
}

pub async fn app() -> TestApp {
    app_with(&[]).await
}

/// The value of `<input name="NAME" value="…">` in a page.
pub fn input_value(html: &str, name: &str) -> Option<String> {
    let at = html.find(&format!("name=\"{name}\""))?;
    let tag_start = html[..at].rfind('<')?;
    let tag_end = at + html[at..].find('>')?;
    let tag = &html[tag_start..tag_end];
    let v = tag.find("value=\"")? + 7;
    let end = tag[v..].find('"')?;
    Some(tag[v..v + end].to_string())
}

/// A preferred time `days` from now, as the form sends it.
pub fn in_days(days: i64) -> String {
    let t = OffsetDateTime::now_utc() + Duration::days(days);
    format!("{:04}-{:02}-{:02}T{:02}:{:02}", t.year(), t.month() as u8, t.day(), t.hour(), t.minute())
}

/// A valid submission's fields.
pub fn valid_fields() -> Vec<(&'static str, String)> {
    vec![
        ("name", "Ada Lovelace".into()),
        ("email", "ada@example.com".into()),
        ("phone", "+1 415 858 6273".into()),
        ("preferred_time", in_days(7)),
        ("message", "Please call me about the engine.".into()),
    ]
}

pub fn encode(fields: &[(&str, String)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields.iter().map(|(k, v)| (*k, v.as_str())))
        .finish()
}

/// GETs the form (setting the CSRF cookie) and returns its CSRF token.
pub async fn csrf_token(client: &Client, path: &str) -> String {
    let page = client.get(path).dispatch().await;
    assert_eq!(page.status(), Status::Ok);
    input_value(&page.into_string().await.unwrap(), "csrf_token").expect("the form has a csrf_token")
}

/// POSTs the fields with this client's CSRF token.
pub async fn submit<'c>(client: &'c Client, fields: &[(&str, String)], json: bool) -> LocalResponse<'c> {
    let token = csrf_token(client, "/").await;
    let mut all = vec![("csrf_token", token)];
    all.extend(fields.iter().cloned());
    let mut req = client.post("/").header(ContentType::Form).body(encode(&all));
    if json {
        req = req.header(Header::new("Accept", "application/json"));
    }
    req.dispatch().await
}

/// Replaces (or adds) one field of a submission.
pub fn with(
    mut fields: Vec<(&'static str, String)>,
    name: &'static str,
    value: &str,
) -> Vec<(&'static str, String)> {
    fields.retain(|(k, _)| *k != name);
    fields.push((name, value.to_string()));
    fields
}
