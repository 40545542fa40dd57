//! Helpers shared by the integration tests: an instance on a temporary data directory with
//! fixed test keys, and the steps of a visitor's form submission.

pub mod databases;
pub mod fake_numverify;
pub mod http;
pub mod nginx;
pub mod receivers;
pub mod server;
pub mod tools;

use figment::Figment;
use rocket::http::{ContentType, Header, Status};
use rocket::local::asynchronous::{Client, LocalResponse};
use tempfile::TempDir;
use time::{Duration, OffsetDateTime};

pub const SECRET_KEY: &str = "test-secret-key-0123456789abcdefghijklmnopqrstuvwxyz";
pub const FERNET_KEY: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
pub const TOTP_SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
/// `METRICS_TOKEN` where a test sets one.
pub const METRICS_TOKEN: &str = "metrics-token-for-tests-0123456789";
/// Every test instance runs in CAPTCHA test mode with this answer.
pub const CAPTCHA_ANSWER: &str = "letmein";

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
        .merge(("contact.captcha.test_answer", CAPTCHA_ANSWER))
        // Generous limits: tests submit far more than a person would; rate-limit tests set their own.
        .merge(("contact.ratelimit.submit", "10000/minute"))
        .merge(("contact.ratelimit.captcha", "10000/minute"))
        .merge(("contact.ratelimit.verify", "10000/minute"))
        .merge(("contact.ratelimit.default", "10000/minute"))
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

/// [`figment`] for an instance on `db`.
pub fn figment_on(db: &databases::TestDatabase, extra: &[(&str, &str)]) -> Figment {
    db.settings()
        .into_iter()
        .fold(figment(&db.dir, extra), |fig, (key, value)| fig.merge((format!("contact.{key}"), value)))
}

/// An instance on a fresh database of `backend`, with `extra` settings.
pub async fn app_on(
    backend: databases::Backend,
    extra: &[(&str, &str)],
) -> (Client, databases::TestDatabase) {
    let (client, db, _) = clocked_app_on(backend, extra).await;
    (client, db)
}

/// [`app_on`], on a clock the test moves forward.
pub async fn clocked_app_on(
    backend: databases::Backend,
    extra: &[(&str, &str)],
) -> (Client, databases::TestDatabase, contact_client::Clock) {
    let db = backend.fresh().expect("a fresh database");
    let clock = contact_client::Clock::system();
    let rocket =
        rocket::custom(figment_on(&db, extra)).attach(contact_client::fairing().with_clock(clock.clone()));
    (Client::tracked(rocket).await.expect("the test instance starts"), db, clock)
}

pub async fn app() -> TestApp {
    app_with(&[]).await
}

/// An instance on a clock the test moves forward instead of sleeping.
pub async fn clocked_app(extra: &[(&str, &str)]) -> (Client, TempDir, contact_client::Clock) {
    let dir = tempfile::tempdir().unwrap();
    let clock = contact_client::Clock::system();
    let rocket =
        rocket::custom(figment(&dir, extra)).attach(contact_client::fairing().with_clock(clock.clone()));
    (Client::tracked(rocket).await.unwrap(), dir, clock)
}

/// `/healthz` as an operator sees it (with `METRICS_TOKEN`).
pub async fn operator_health(client: &Client) -> serde_json::Value {
    let res = client
        .get("/healthz")
        .header(Header::new("Authorization", format!("Bearer {METRICS_TOKEN}")))
        .dispatch()
        .await;
    serde_json::from_str(&res.into_string().await.unwrap()).unwrap()
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

/// The tokens a form page hands out.
pub struct FormTokens {
    pub csrf: String,
    pub captcha: String,
}

/// GETs the form (setting the CSRF cookie) and returns its tokens.
pub async fn form_tokens(client: &Client, path: &str) -> FormTokens {
    let page = client.get(path).dispatch().await;
    assert_eq!(page.status(), Status::Ok);
    let html = page.into_string().await.unwrap();
    FormTokens {
        csrf: input_value(&html, "csrf_token").expect("the form has a csrf_token"),
        captcha: input_value(&html, "captcha_token").expect("the form has a captcha_token"),
    }
}

/// GETs the form and returns its CSRF token.
pub async fn csrf_token(client: &Client, path: &str) -> String {
    form_tokens(client, path).await.csrf
}

/// POSTs the fields with this client's tokens and the test-mode CAPTCHA answer (fields given
/// in `fields` win over those).
pub async fn submit<'c>(client: &'c Client, fields: &[(&str, String)], json: bool) -> LocalResponse<'c> {
    let tokens = form_tokens(client, "/").await;
    let mut all: Vec<(&str, String)> = fields.to_vec();
    for (name, value) in [
        ("csrf_token", tokens.csrf),
        ("captcha_token", tokens.captcha),
        ("captcha_answer", CAPTCHA_ANSWER.into()),
    ] {
        if !all.iter().any(|(k, _)| *k == name) {
            all.push((name, value));
        }
    }
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

/// RFC 6238 (HMAC-SHA-1, 6 digits, 30 s steps), written here from the RFC so that the server's
/// implementation is checked against an independent one.
pub fn totp_code(secret_base32: &str, unix_secs: u64) -> String {
    use hmac::{Hmac, Mac};
    let key = base32::decode(base32::Alphabet::Rfc4648 { padding: false }, secret_base32).unwrap();
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(&key).unwrap();
    mac.update(&(unix_secs / 30).to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = (digest[19] & 0x0f) as usize;
    let bin = u32::from_be_bytes(digest[offset..offset + 4].try_into().unwrap()) & 0x7fff_ffff;
    format!("{:06}", bin % 1_000_000)
}

pub fn unix_now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs()
}

/// POSTs a sign-in with `code` (and `password` when given); returns the response.
pub async fn try_sign_in<'c>(client: &'c Client, code: &str, password: Option<&str>) -> LocalResponse<'c> {
    let token =
        input_value(&client.get("/admin/login").dispatch().await.into_string().await.unwrap(), "csrf_token")
            .expect("the sign-in form has a csrf_token");
    let mut fields = vec![("csrf_token", token), ("code", code.to_string())];
    if let Some(password) = password {
        fields.push(("password", password.to_string()));
    }
    client.post("/admin/login").header(ContentType::Form).body(encode(&fields)).dispatch().await
}

/// Signs in with the current code.
pub async fn sign_in(client: &Client) {
    let res = try_sign_in(client, &totp_code(TOTP_SECRET, unix_now()), None).await;
    assert_eq!(res.status(), Status::SeeOther, "signed in");
}

/// POSTs an admin form (with this client's CSRF token) to `path`.
pub async fn admin_post<'c>(client: &'c Client, path: &str, fields: &[(&str, &str)]) -> LocalResponse<'c> {
    let token = csrf_token(client, "/").await;
    let mut all = vec![("csrf_token", token)];
    all.extend(fields.iter().map(|(k, v)| (*k, v.to_string())));
    client.post(path.to_string()).header(ContentType::Form).body(encode(&all)).dispatch().await
}

/// Asks `/captcha/verify` whether `answer` solves `token`.
pub async fn verify(client: &Client, token: &str, answer: &str) -> bool {
    let res = client
        .post("/captcha/verify")
        .header(ContentType::JSON)
        .body(serde_json::json!({ "token": token, "answer": answer }).to_string())
        .dispatch()
        .await;
    assert_eq!(res.status(), Status::Ok);
    let body: serde_json::Value = serde_json::from_str(&res.into_string().await.unwrap()).unwrap();
    body["valid"].as_bool().unwrap()
}
