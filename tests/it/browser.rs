//! The pages as people meet them: Debian's Chromium, headless, driven through chromedriver
//! against the real binary, with JavaScript on and off; axe-core checks accessibility and the
//! screenshots in docs/screenshots are taken here.

use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::helpers::server::Server;
use crate::helpers::tools::require;
use crate::helpers::*;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

const ANSWER: &str = "pass";

/// chromedriver and a Chromium session, both ended on drop.
struct Browser {
    client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    /// chromedriver and every Chromium process it started share a process group: end them all,
    /// even when the test failed half-way.
    fn drop(&mut self) {
        crate::helpers::tools::kill_group(&mut self.driver);
    }
}

impl Browser {
    async fn start(javascript: bool, width: u32) -> Option<Browser> {
        let chromium = require("chromium")?;
        let chromedriver = require("chromedriver")?;
        let port = crate::helpers::http::free_port();
        // The browser lives in Berlin, the server in UTC: the form must send the browser's zone.
        let mut driver = Command::new(chromedriver)
            .process_group(0)
            .env("TZ", BROWSER_ZONE)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let profile = tempfile::tempdir().unwrap();
        let mut options = json!({
            "binary": chromium,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", format!("--user-data-dir={}", profile.path().display()),
                format!("--window-size={width},1000"), "--lang=en-US",
            ],
        });
        if !javascript {
            options["prefs"] = json!({ "profile.managed_default_content_settings.javascript": 2 });
        }
        let mut caps = serde_json::Map::new();
        caps.insert("goog:chromeOptions".into(), options);
        let url = format!("http://127.0.0.1:{port}");
        // chromedriver speaks plain HTTP on loopback: no TLS stack needed. It may accept a
        // connection before it can serve it, so the session is asked for until it comes (10 s).
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let mut attempts = 0;
        let client = loop {
            match ClientBuilder::new(connector.clone()).capabilities(caps.clone()).connect(&url).await {
                Ok(client) => break client,
                Err(_) if attempts < 100 => {
                    attempts += 1;
                    rocket::tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => {
                    crate::helpers::tools::kill_group(&mut driver);
                    panic!("no Chromium session: {e}");
                }
            }
        };
        Some(Browser { client, driver, _profile: profile })
    }
}

/// A browser and a server (in CAPTCHA test mode) on its own data directory. Fields drop in
/// order: the browser, then the server, then its directory.
struct Fixture {
    browser: Browser,
    server: Server,
    dir: tempfile::TempDir,
}

impl Fixture {
    async fn start(javascript: bool, width: u32, extra: &[(&str, &str)]) -> Option<Fixture> {
        let browser = Browser::start(javascript, width).await?;
        let dir = tempfile::tempdir().unwrap();
        let mut env =
            vec![("APP_ENV", "development"), ("CAPTCHA_TEST_ANSWER", ANSWER), ("TOTP_SECRET", TOTP_SECRET)];
        env.extend_from_slice(extra);
        let server = Server::start(dir.path(), &env);
        Some(Fixture { browser, server, dir })
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.server.addr)
    }
}

const BROWSER_ZONE: &str = "Europe/Berlin";

async fn stored(dir: &std::path::Path) -> i64 {
    let url = format!("sqlite://{}/data/contact.db", dir.display());
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    sqlx::query_scalar("SELECT count(*) FROM submissions").fetch_one(&pool).await.unwrap()
}

/// The time zone of every stored submission.
async fn stored_zones(dir: &std::path::Path) -> Vec<String> {
    let url = format!("sqlite://{}/data/contact.db", dir.display());
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    sqlx::query_scalar("SELECT time_zone FROM submissions ORDER BY id").fetch_all(&pool).await.unwrap()
}

async fn type_into(c: &Client, id: &str, text: &str) {
    let field = c.find(Locator::Id(id)).await.unwrap();
    field.clear().await.unwrap();
    field.send_keys(text).await.unwrap();
}

/// datetime-local takes keys in a locale's order; the test sets the value as the picker would.
async fn set_time(c: &Client, value: &str) {
    c.execute(
        "const t = document.getElementById('preferred_time'); t.value = arguments[0]; t.dispatchEvent(new Event('input'));",
        vec![json!(value)],
    )
    .await
    .unwrap();
}

/// Fills the form right as `name` <`email`>, answers the CAPTCHA with `answer`, sends it, and
/// waits for /thanks.
async fn send_form_as(c: &Client, name: &str, email: &str, answer: &str) {
    fill_valid(c).await;
    type_into(c, "name", name).await;
    type_into(c, "email", email).await;
    type_into(c, "captcha_answer", answer).await;
    click(c, "button[type=submit]").await;
    eventually("the thanks page", || async { path(c).await == "/thanks" }).await;
}

async fn send_valid_form(c: &Client, answer: &str) {
    send_form_as(c, "Ada Lovelace", "ada@example.com", answer).await;
}

async fn fill_valid(c: &Client) {
    type_into(c, "name", "Ada Lovelace").await;
    type_into(c, "email", "ada@example.com").await;
    type_into(c, "phone", "+1 415 858 6273").await;
    set_time(c, &in_days(3)).await;
    type_into(c, "message", "Call me about the engine.").await;
}

async fn click(c: &Client, css: &str) {
    c.find(Locator::Css(css)).await.unwrap().click().await.unwrap();
}

async fn text_of(c: &Client, css: &str) -> Option<String> {
    match c.find(Locator::Css(css)).await {
        Ok(el) => el.text().await.ok(),
        Err(_) => None,
    }
}

/// Polls `f` for up to 10 s.
async fn eventually<F, Fut>(what: &str, mut f: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    for _ in 0..100 {
        if f().await {
            return;
        }
        rocket::tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("timed out waiting for: {what}");
}

async fn path(c: &Client) -> String {
    c.current_url().await.unwrap().path().to_string()
}

async fn active_id(c: &Client) -> String {
    c.execute("return document.activeElement.id", vec![])
        .await
        .unwrap()
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// Runs axe-core on the current page; the serious and critical violations.
async fn axe(c: &Client) -> Option<Vec<Value>> {
    let file =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/browser/node_modules/axe-core/axe.min.js");
    let Ok(source) = std::fs::read_to_string(&file) else {
        assert_ne!(
            std::env::var("CONTACT_TEST_STRICT").as_deref(),
            Ok("1"),
            "axe-core is not installed (npm ci in tests/browser)"
        );
        println!("SKIPPED: axe-core not found (npm ci in tests/browser)");
        return None;
    };
    c.execute(&source, vec![]).await.unwrap();
    let result = c
        .execute_async(
            "const done = arguments[arguments.length - 1]; axe.run(document).then(r => done(r.violations), e => done(String(e)));",
            vec![],
        )
        .await
        .unwrap();
    let violations = result.as_array().unwrap_or_else(|| panic!("axe failed: {result}")).clone();
    Some(
        violations
            .into_iter()
            .filter(|v| matches!(v["impact"].as_str(), Some("serious" | "critical")))
            .map(|v| json!({ "id": v["id"], "impact": v["impact"], "nodes": v["nodes"].as_array().map(|n| n.iter().map(|n| n["target"].clone()).collect::<Vec<_>>()) }))
            .collect(),
    )
}

async fn assert_accessible(c: &Client, page: &str) {
    if let Some(violations) = axe(c).await {
        assert!(violations.is_empty(), "{page}: {}", serde_json::to_string_pretty(&violations).unwrap());
    }
}

async fn screenshot(c: &Client, name: &str) {
    let png = c.screenshot().await.unwrap();
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
}

/// The picture puzzle with the page's script: `image` mode, where no proof of work replaces it.
#[rocket::async_test]
async fn the_form_with_javascript() {
    let Some(f) = Fixture::start(true, 1100, &[("CAPTCHA_MODE", "image")]).await else { return };
    let c = &f.browser.client;
    let home = f.url("/");
    c.goto(&home).await.unwrap();
    assert_accessible(c, "form").await;
    screenshot(c, "form").await;

    // An empty submit shows the messages beside the fields, focuses the first, sends nothing.
    click(c, "button[type=submit]").await;
    eventually("the name error", || async {
        text_of(c, "#name-error").await.is_some_and(|t| t.contains("enter your name"))
    })
    .await;
    for id in ["email-error", "phone-error", "preferred_time-error", "captcha_answer-error"] {
        assert!(c.find(Locator::Id(id)).await.is_ok(), "{id}");
    }
    assert_eq!(active_id(c).await, "name");
    assert_eq!(path(c).await, "/");
    let described = c.find(Locator::Id("email")).await.unwrap().attr("aria-describedby").await.unwrap();
    assert_eq!(described.as_deref(), Some("email-error"));
    assert_accessible(c, "form with errors").await;
    screenshot(c, "form-errors").await;

    // A bad email is flagged on leaving the field, before any submit.
    c.goto(&home).await.unwrap();
    type_into(c, "email", "not-an-email").await;
    click(c, "#name").await;
    eventually("the email error", || async {
        text_of(c, "#email-error").await.is_some_and(|t| t.contains("valid email"))
    })
    .await;

    // A wrong CAPTCHA answer is caught by the AJAX check: nothing is sent.
    fill_valid(c).await;
    type_into(c, "captcha_answer", "wrong").await;
    click(c, "button[type=submit]").await;
    eventually("the captcha error", || async {
        text_of(c, "#captcha_answer-error").await.is_some_and(|t| t.contains("did not match"))
    })
    .await;
    assert_eq!(path(c).await, "/");
    assert_eq!(stored(f.dir.path()).await, 0);

    // Refresh changes the picture (and the token) in place.
    let before = c.find(Locator::Css(".captcha-image")).await.unwrap().attr("src").await.unwrap().unwrap();
    let token = c.find(Locator::Css("input[name=captcha_token]")).await.unwrap().prop("value").await.unwrap();
    click(c, "button.captcha-refresh").await;
    eventually("a new picture", || async {
        let src = c
            .find(Locator::Css(".captcha-image"))
            .await
            .unwrap()
            .attr("src")
            .await
            .unwrap()
            .unwrap_or_default();
        src != before && src.starts_with("data:image/png;base64,")
    })
    .await;
    let new_token =
        c.find(Locator::Css("input[name=captcha_token]")).await.unwrap().prop("value").await.unwrap();
    assert_ne!(token, new_token);
    assert!(c.find(Locator::Css("button.captcha-audio")).await.is_ok(), "a play button for the audio");

    // A correct fill lands on the thanks page and the row exists, meant in the browser's zone.
    send_valid_form(c, "PASS").await;
    assert_eq!(stored_zones(f.dir.path()).await, vec![BROWSER_ZONE], "the page sent the browser's zone");
    assert_accessible(c, "thanks").await;
}

#[rocket::async_test]
async fn the_proof_of_work_replaces_the_puzzle() {
    let Some(f) = Fixture::start(true, 1100, &[]).await else { return };
    let c = &f.browser.client;
    c.goto(&f.url("/")).await.unwrap();
    let puzzle_shown = || async {
        c.execute("return !document.querySelector('fieldset.captcha').hidden", vec![]).await.unwrap()
            == json!(true)
    };
    assert!(puzzle_shown().await, "nothing is solved before the visitor starts");
    fill_valid(c).await;
    // The default difficulty on this machine's Chromium: reported, not asserted.
    let mut took = Value::Null;
    for _ in 0..600 {
        took = c.execute("return document.forms[0].dataset.powTook || null", vec![]).await.unwrap();
        if !took.is_null() {
            break;
        }
        rocket::tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let cores = c.execute("return navigator.hardwareConcurrency", vec![]).await.unwrap();
    let number = c
        .execute("return JSON.parse(atob(document.forms[0].elements.altcha.value)).number", vec![])
        .await
        .unwrap();
    println!("proof of work: Chromium found {number} (of up to 100000) in {took} ms with {cores} workers");
    assert!(!took.is_null(), "solved within a minute");
    assert!(!puzzle_shown().await, "the puzzle is hidden once solved");
    let line = text_of(c, ".pow-status").await.unwrap_or_default();
    assert_eq!(line, "Checking you're not a robot… done");
    assert_accessible(c, "form with the check done").await;
    click(c, "button[type=submit]").await;
    eventually("the thanks page", || async { path(c).await == "/thanks" }).await;
    assert_eq!(stored(f.dir.path()).await, 1, "sent with no picture answer typed");
    // Sent before the check is over: the page waits for it, then sends.
    c.goto(&f.url("/")).await.unwrap();
    fill_valid(c).await;
    click(c, "button[type=submit]").await;
    eventually("the thanks page", || async { path(c).await == "/thanks" }).await;
    assert_eq!(stored(f.dir.path()).await, 2);
}

/// The seconds the refresh button says are left ("New picture in 12 s").
async fn countdown(button: &fantoccini::elements::Element) -> u32 {
    let text = button.text().await.unwrap();
    text.trim_start_matches("New picture in ").trim_end_matches(" s").parse().unwrap()
}

#[rocket::async_test]
async fn refresh_counts_down_after_429() {
    // In `image` mode: the proof of work's own challenge would count against the same budget.
    let limits = [("RATELIMIT_CAPTCHA", "2/minute"), ("CAPTCHA_MODE", "image")];
    let Some(f) = Fixture::start(true, 1100, &limits).await else { return };
    let c = &f.browser.client;
    c.goto(&f.url("/")).await.unwrap();
    for _ in 0..2 {
        let before = c.find(Locator::Css(".captcha-image")).await.unwrap().attr("src").await.unwrap();
        click(c, "button.captcha-refresh").await;
        eventually("a new picture", || async {
            c.find(Locator::Css(".captcha-image")).await.unwrap().attr("src").await.unwrap() != before
        })
        .await;
    }
    click(c, "button.captcha-refresh").await;
    eventually("the countdown", || async {
        text_of(c, "button.captcha-refresh").await.is_some_and(|t| t.starts_with("New picture in "))
    })
    .await;
    let button = c.find(Locator::Css("button.captcha-refresh")).await.unwrap();
    assert_eq!(button.prop("disabled").await.unwrap().as_deref(), Some("true"));
    let first = countdown(&button).await;
    assert!(first > 1 && first <= 60, "counts down from Retry-After: {first}");
    rocket::tokio::time::sleep(Duration::from_millis(2200)).await;
    let later = countdown(&button).await;
    assert!(later < first, "{later} < {first}");
}

#[rocket::async_test]
async fn the_form_without_javascript() {
    let Some(f) = Fixture::start(false, 1100, &[]).await else { return };
    let c = &f.browser.client;
    c.goto(&f.url("/")).await.unwrap();
    assert!(
        c.find(Locator::Css("a.captcha-refresh")).await.is_ok(),
        "no script ran: the plain link is there"
    );
    assert!(c.find(Locator::Css("input[name=altcha]")).await.is_err(), "no proof of work without a script");
    click(c, "button[type=submit]").await;
    eventually("the server's error page", || async { text_of(c, "#form-alert").await.is_some() }).await;
    assert!(
        text_of(c, "#name-error").await.unwrap().contains("enter your name"),
        "the server's errors beside the fields"
    );
    send_valid_form(c, ANSWER).await;
    assert_eq!(stored_zones(f.dir.path()).await, vec!["UTC"], "without JavaScript: the list's default");
}

#[rocket::async_test]
async fn the_admin_in_a_browser() {
    // Submissions are made through the picture (`image` mode), typed as a person would.
    let Some(f) = Fixture::start(true, 1200, &[("CAPTCHA_MODE", "image")]).await else { return };
    let c = &f.browser.client;
    let base = f.url("");
    for (name, email) in [
        ("Ada Lovelace", "ada@example.com"),
        ("Grace Hopper", "grace@example.org"),
        ("Alan Turing", "alan@example.net"),
    ] {
        c.goto(&format!("{base}/")).await.unwrap();
        send_form_as(c, name, email, ANSWER).await;
    }

    c.goto(&format!("{base}/admin")).await.unwrap();
    eventually("the sign-in page", || async { path(c).await == "/admin/login" }).await;
    assert_accessible(c, "sign-in").await;
    screenshot(c, "sign-in").await;
    type_into(c, "code", &totp_code(TOTP_SECRET, unix_now())).await;
    click(c, "button[type=submit]").await;
    eventually("the dashboard", || async { path(c).await == "/admin" }).await;
    assert!(text_of(c, "table.submissions").await.unwrap().contains("Grace Hopper"));
    assert_accessible(c, "dashboard").await;
    screenshot(c, "dashboard").await;

    click(c, "a[href='/admin/submissions/2']").await;
    eventually("the detail page", || async { path(c).await == "/admin/submissions/2" }).await;
    assert!(text_of(c, "h1").await.unwrap().contains("Grace Hopper"));
    type_into(c, "body", "Called back; prefers mornings.").await;
    click(c, "form[action$='/notes'] button").await;
    eventually("the note", || async {
        text_of(c, ".note").await.is_some_and(|t| t.contains("prefers mornings"))
    })
    .await;
    c.find(Locator::Id("status")).await.unwrap().select_by_value("contacted").await.unwrap();
    click(c, "form[action$='/status'] button").await;
    eventually("the new status", || async {
        text_of(c, ".detail-head .badge").await.is_some_and(|t| t.to_lowercase() == "contacted")
    })
    .await;
    assert_accessible(c, "detail").await;
    screenshot(c, "detail").await;

    // At phone width the dashboard still reads (rows become cards) and the detail stacks.
    c.set_window_size(390, 900).await.unwrap();
    c.goto(&format!("{base}/admin")).await.unwrap();
    let overflow = c
        .execute("return document.documentElement.scrollWidth > window.innerWidth + 1", vec![])
        .await
        .unwrap();
    assert_eq!(overflow, json!(false), "no sideways scrolling at 390 px");
    screenshot(c, "dashboard-phone").await;
    c.set_window_size(1200, 1000).await.unwrap();

    // One person's data, at the confirmation step of an erasure.
    c.goto(&format!("{base}/admin/people?email=ada%40example.com&confirm=erase")).await.unwrap();
    eventually("the people page", || async { text_of(c, "h1").await.is_some_and(|t| t.contains("person")) })
        .await;
    assert_accessible(c, "people").await;

    click(c, "form[action$='/admin/logout'] button").await;
    eventually("signed out", || async { path(c).await == "/admin/login" }).await;
    c.goto(&format!("{base}/admin")).await.unwrap();
    eventually("sent to sign-in again", || async { path(c).await == "/admin/login" }).await;
}

/// The site's single admin adds the first user on the users page; the new user enrols with the
/// key shown once, confirms a first code, and signs in with name, password and code.
#[rocket::async_test]
async fn a_team_member_is_added_enrols_and_signs_in() {
    let Some(f) = Fixture::start(true, 1200, &[]).await else { return };
    let c = &f.browser.client;
    let base = f.url("");
    c.goto(&format!("{base}/admin/login")).await.unwrap();
    type_into(c, "code", &totp_code(TOTP_SECRET, unix_now())).await;
    click(c, "button[type=submit]").await;
    eventually("the dashboard", || async { path(c).await == "/admin" }).await;

    click(c, "a[href='/admin/users']").await;
    eventually("the users page", || async { path(c).await == "/admin/users" }).await;
    assert_accessible(c, "users").await;
    type_into(c, "new-name", "olga").await;
    c.find(Locator::Id("new-role")).await.unwrap().select_by_value("owner").await.unwrap();
    type_into(c, "new-password", "olgas-own-password").await;
    click(c, "form[action$='/admin/users'] button").await;
    eventually("the enrolment", || async {
        text_of(c, "h1").await.is_some_and(|t| t.contains("Enrol olga"))
    })
    .await;
    assert_accessible(c, "enrolment").await;
    let secret = text_of(c, "code.secret").await.expect("the key is shown");
    type_into(c, "code", &totp_code(&secret, unix_now())).await;
    click(c, "form[action$='/confirm'] button").await;
    // Once olga may sign in, the shared sign-in's session is over.
    eventually("sent to sign in", || async { path(c).await == "/admin/login" }).await;

    type_into(c, "username", "olga").await;
    type_into(c, "password", "olgas-own-password").await;
    type_into(c, "code", &totp_code(&secret, unix_now() + 30)).await;
    click(c, "button[type=submit]").await;
    eventually("olga's dashboard", || async { path(c).await == "/admin" }).await;
    assert!(text_of(c, ".admin-bar").await.unwrap().contains("olga · owner"));
    assert_accessible(c, "dashboard as a user").await;
}

/// A page of another site (a second local server) that shows the form through `/embed.js`.
struct HostPage {
    server: Child,
    _dir: tempfile::TempDir,
    origin: String,
}

impl HostPage {
    fn start(python: &std::path::Path, port: u16, form_base: &str) -> HostPage {
        let dir = tempfile::tempdir().unwrap();
        let page = format!(
            "<!doctype html><html lang=\"en\"><title>A static site</title><h1>Write to us</h1>\
             <div data-contact-client></div><script src=\"{form_base}/embed.js\" async></script>"
        );
        std::fs::write(dir.path().join("index.html"), page).unwrap();
        let server = Command::new(python)
            .process_group(0)
            .args(["-m", "http.server", &port.to_string(), "--bind", "127.0.0.1"])
            .current_dir(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        assert!(
            crate::helpers::http::wait_for(&format!("127.0.0.1:{port}"), "/", 10),
            "the host page serves"
        );
        HostPage { server, _dir: dir, origin: format!("http://127.0.0.1:{port}") }
    }
}

impl Drop for HostPage {
    fn drop(&mut self) {
        crate::helpers::tools::kill_group(&mut self.server);
    }
}

/// The frame's height as the host page set it.
async fn frame_height(c: &Client) -> String {
    let height = c.execute("return document.querySelector('iframe').style.height", vec![]).await.unwrap();
    height.as_str().unwrap_or_default().to_string()
}

/// A static site on another origin shows the form with one `<script>` and a `<div>`: the frame
/// fits its content and the visitor's submission is stored. A site not allowed gets no form.
#[rocket::async_test]
async fn a_static_site_embeds_the_form() {
    let Some(python) = require("python3") else { return };
    let Some(browser) = Browser::start(true, 1100).await else { return };
    let c = &browser.client;
    // The host pages are 127.0.0.1:<port>; the form is reached as localhost: another site.
    let (allowed_port, other_port) = (crate::helpers::http::free_port(), crate::helpers::http::free_port());
    let dir = tempfile::tempdir().unwrap();
    let allowed_origin = format!("http://127.0.0.1:{allowed_port}");
    let env = [
        ("APP_ENV", "development"),
        ("CAPTCHA_TEST_ANSWER", ANSWER),
        ("TOTP_SECRET", TOTP_SECRET),
        ("CAPTCHA_MODE", "image"),
        ("ALLOWED_ORIGINS", allowed_origin.as_str()),
    ];
    let server = Server::start(dir.path(), &env);
    let form_base = format!("http://localhost:{}", server.addr.rsplit(':').next().unwrap());
    let host = HostPage::start(&python, allowed_port, &form_base);

    c.goto(&format!("{}/", host.origin)).await.unwrap();
    eventually("the frame fits the form", || async {
        !matches!(frame_height(c).await.as_str(), "" | "900px")
    })
    .await;
    screenshot(c, "embedded").await;
    c.enter_frame(0).await.unwrap();
    eventually("the form in the frame", || async { text_of(c, "h1").await.is_some() }).await;
    fill_valid(c).await;
    type_into(c, "captcha_answer", ANSWER).await;
    click(c, "button[type=submit]").await;
    eventually("the thanks page in the frame", || async {
        text_of(c, "h1").await.is_some_and(|t| t.contains("Thank"))
    })
    .await;
    assert_eq!(stored(dir.path()).await, 1, "the submission from the framed form is stored");
    c.enter_parent_frame().await.unwrap();

    let other = HostPage::start(&python, other_port, &form_base);
    c.goto(&format!("{}/", other.origin)).await.unwrap();
    rocket::tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(frame_height(c).await, "900px", "a site not allowed: the form does not load in its frame");
    assert_eq!(stored(dir.path()).await, 1);
    drop(server);
}

/// The language menu switches the page; each language's form, its errors (the script's, from
/// the page's words) and its thanks page are in that language and pass axe-core.
#[rocket::async_test]
async fn each_language_in_a_browser() {
    let extra = [("LANGUAGES", "en,de,fr,es"), ("CAPTCHA_MODE", "image")];
    let Some(f) = Fixture::start(true, 1100, &extra).await else { return };
    let c = &f.browser.client;
    let lang = || async {
        let lang = c.execute("return document.documentElement.lang", vec![]).await.unwrap();
        lang.as_str().unwrap_or_default().to_string()
    };
    c.goto(&f.url("/")).await.unwrap();
    click(c, "nav.languages a[lang=de]").await;
    eventually("the German form", || async { lang().await == "de" }).await;
    screenshot(c, "form-de").await;
    let pages = [
        ("de", "Schreiben Sie uns", "Bitte geben Sie Ihren Namen ein.", "Vielen Dank"),
        ("fr", "Prenons contact", "Veuillez saisir votre nom.", "Merci"),
        ("es", "Póngase en contacto", "Escriba su nombre.", "Gracias"),
    ];
    for (code, heading, name_missing, thanks) in pages {
        c.goto(&f.url(&format!("/?lang={code}"))).await.unwrap();
        assert_eq!(lang().await, code);
        assert_eq!(text_of(c, "h1").await.as_deref(), Some(heading));
        assert_accessible(c, &format!("form ({code})")).await;
        click(c, "button[type=submit]").await;
        eventually("the name error", || async { text_of(c, "#name-error").await.is_some() }).await;
        assert!(text_of(c, "#name-error").await.unwrap().contains(name_missing), "{code}");
        assert_accessible(c, &format!("form with errors ({code})")).await;
        fill_valid(c).await;
        type_into(c, "captcha_answer", ANSWER).await;
        click(c, "button[type=submit]").await;
        eventually("the thanks page", || async { path(c).await == "/thanks" }).await;
        assert_eq!(lang().await, code, "the thanks page keeps the language");
        assert_eq!(text_of(c, "h1").await.as_deref(), Some(thanks));
        assert_accessible(c, &format!("thanks ({code})")).await;
    }
    let url = format!("sqlite://{}/data/contact.db", f.dir.path().display());
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    let stored: Vec<String> =
        sqlx::query_scalar("SELECT language FROM submissions ORDER BY id").fetch_all(&pool).await.unwrap();
    assert_eq!(stored, ["de", "fr", "es"], "each submission keeps its language");

    // The admin's pages in each language: accessible, and the longer words still fit a phone.
    c.goto(&f.url("/admin/login?lang=de")).await.unwrap();
    type_into(c, "code", &totp_code(TOTP_SECRET, unix_now())).await;
    click(c, "button[type=submit]").await;
    eventually("the dashboard", || async { path(c).await == "/admin" }).await;
    for (code, heading) in [("de", "Anfragen"), ("fr", "Demandes"), ("es", "Solicitudes")] {
        for page in ["/admin", "/admin/submissions/1"] {
            c.set_window_size(1100, 900).await.unwrap();
            c.goto(&f.url(&format!("{page}?lang={code}"))).await.unwrap();
            assert_eq!(lang().await, code);
            assert_accessible(c, &format!("{page} ({code})")).await;
            c.set_window_size(390, 900).await.unwrap();
            let overflow = c
                .execute("return document.documentElement.scrollWidth > window.innerWidth + 1", vec![])
                .await
                .unwrap();
            assert_eq!(overflow, json!(false), "{page} ({code}): no sideways scrolling at 390 px");
        }
        c.goto(&f.url(&format!("/admin?lang={code}"))).await.unwrap();
        assert_eq!(text_of(c, "h1").await.as_deref(), Some(heading));
    }
}
