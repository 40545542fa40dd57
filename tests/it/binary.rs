//! The appliance binary as a person runs it: from an empty directory, with no configuration.

use std::process::Command;

use crate::helpers::http;
use crate::helpers::server::{Server, BIN};

#[test]
fn serves_form_assets_and_healthz_from_an_empty_directory() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    let form = http::get(&server.addr, "/").unwrap();
    assert_eq!(form.status, 200);
    let html = form.text();
    assert!(html.contains("name=\"csrf_token\"") && html.contains("Get in touch"));
    let css_at = html.find("/static/style.css").unwrap();
    let css_url = &html[css_at..css_at + html[css_at..].find('"').unwrap()];
    let css = http::get(&server.addr, css_url).unwrap();
    assert_eq!(css.status, 200);
    assert!(css.header("content-type").unwrap().starts_with("text/css"));
    assert!(css.text().contains(".contact-form"));
    let js = http::get(&server.addr, "/static/form.js").unwrap();
    assert_eq!(js.status, 200);
    let health = http::get(&server.addr, "/healthz").unwrap();
    assert_eq!(health.status, 200);
    assert!(health.text().contains("\"status\":\"ok\""));

    let secrets = dir.path().join("data/secrets.env");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(std::fs::metadata(&secrets).unwrap().permissions().mode() & 0o777, 0o600);
    let log = server.stop();
    assert!(log.contains("generated SECRET_KEY, FERNET_KEY, TOTP_SECRET"), "{log}");
    assert!(log.contains("otpauth://totp/"), "the enrolment is shown on first start");
}

#[test]
fn a_submission_over_http_lands_and_no_personal_data_reaches_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[("APP_ENV", "development"), ("CAPTCHA_TEST_ANSWER", "pass")]);
    let form = http::get(&server.addr, "/").unwrap();
    let cookie = form.cookies();
    let token = crate::helpers::input_value(&form.text(), "csrf_token").unwrap();
    let captcha = crate::helpers::input_value(&form.text(), "captcha_token").unwrap();
    let mut fields =
        vec![("csrf_token", token), ("captcha_token", captcha), ("captcha_answer", "PASS".to_string())];
    fields.extend(crate::helpers::with(crate::helpers::valid_fields(), "email", "log-probe@example.com"));
    let body = crate::helpers::encode(&fields);
    let reply = http::request(
        &server.addr,
        "POST",
        "/",
        &[("Content-Type", "application/x-www-form-urlencoded"), ("Cookie", &cookie)],
        body.as_bytes(),
    )
    .unwrap();
    assert_eq!(reply.status, 303, "{}", reply.text());
    assert_eq!(reply.header("location"), Some("/thanks"));
    let log = server.stop();
    for plain in ["log-probe", "Ada Lovelace", "4158586273", "about the engine"] {
        assert!(!log.contains(plain), "{plain} is in the log");
    }
}

#[test]
fn a_second_start_reuses_the_secrets_and_shows_no_enrolment() {
    let dir = tempfile::tempdir().unwrap();
    Server::start(dir.path(), &[]).stop();
    let secrets_before = std::fs::read_to_string(dir.path().join("data/secrets.env")).unwrap();

    let log = Server::start(dir.path(), &[]).stop();
    assert!(!log.contains("otpauth://") && !log.contains("generated"), "{log}");
    assert_eq!(std::fs::read_to_string(dir.path().join("data/secrets.env")).unwrap(), secrets_before);

    let out = Command::new(BIN).current_dir(dir.path()).env_clear().arg("check").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("configuration: ok") && stdout.contains("database:"), "{stdout}");
    assert!(!stdout.contains("will generate"), "the secrets file is reused: {stdout}");
}

#[test]
fn bad_configuration_stops_the_start_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(BIN)
        .current_dir(dir.path())
        .env_clear()
        .env("SECRET_KEY", "too-short-secret")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(stderr.contains("SECRET_KEY") && stderr.contains("at least 32"), "{stderr}");
    assert!(!stderr.contains("too-short-secret"));
}

#[test]
fn keygen_prints_a_usable_env_file() {
    let out = Command::new(BIN).arg("keygen").output().unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".env"), &stdout).unwrap();
    for name in ["SECRET_KEY=", "FERNET_KEY=", "TOTP_SECRET="] {
        assert!(stdout.contains(name), "{stdout}");
    }
    assert!(String::from_utf8_lossy(&out.stderr).contains("otpauth://totp/ContactClient:admin?secret="));
    let check = Command::new(BIN).current_dir(dir.path()).env_clear().arg("check").output().unwrap();
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
    let summary = String::from_utf8_lossy(&check.stdout);
    for line in ["  languages:     en", "  metrics:       off", "  log format:    text"] {
        assert!(summary.contains(line), "{summary}");
    }
    for line in stdout.lines() {
        let value = line.split_once('=').unwrap().1;
        assert!(!summary.contains(value), "check printed a secret");
    }
}

#[test]
fn help_and_version() {
    let out = Command::new(BIN).arg("--version").output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains(env!("CARGO_PKG_VERSION")));
    let out = Command::new(BIN).arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    for cmd in ["serve", "keygen", "check"] {
        assert!(help.contains(cmd), "{help}");
    }
}

#[test]
fn healthcheck_asks_the_running_server() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[("BASE_PATH", "/contact")]);
    let port = server.addr.rsplit(':').next().unwrap().to_string();
    let run = |port: &str| {
        Command::new(BIN)
            .current_dir(dir.path())
            .env_clear()
            .env("PORT", port)
            .env("BASE_PATH", "/contact")
            .arg("healthcheck")
            .output()
            .unwrap()
    };
    let healthy = run(&port);
    assert!(healthy.status.success(), "{}", String::from_utf8_lossy(&healthy.stderr));
    assert!(String::from_utf8_lossy(&healthy.stdout).contains("/contact/healthz"));
    drop(server);
    let down = run(&port);
    assert_eq!(down.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&down.stderr).contains("unhealthy"));
}

#[test]
fn no_query_header_or_form_value_reaches_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[("RATELIMIT_DEFAULT", "12/minute")]);
    let probe = "probe-7Q3@example.com";
    // Method, path, headers, body.
    type Request<'a> = (&'a str, String, Vec<(&'a str, String)>, String);
    let hostile: [Request; 7] = [
        ("GET", format!("/nowhere?email={probe}"), vec![], String::new()),
        (
            "POST",
            format!("/nowhere?email={probe}"),
            vec![("Content-Type", "text/plain".into())],
            probe.into(),
        ),
        ("FOO", format!("/?email={probe}"), vec![], String::new()),
        (
            "GET",
            format!("/admin?q={probe}"),
            vec![("X-Real-IP", probe.into()), ("Referer", probe.into())],
            String::new(),
        ),
        (
            "GET",
            "/".into(),
            vec![("X-Forwarded-For", probe.into()), ("Cookie", format!("cc_csrf={probe}"))],
            String::new(),
        ),
        (
            "POST",
            "/".into(),
            vec![("Content-Type", "application/x-www-form-urlencoded".into())],
            format!("email={probe}&name=x"),
        ),
        (
            "POST",
            "/captcha/verify".into(),
            vec![("Content-Type", "application/json".into())],
            format!("{{\"token\":\"{probe}\"}}"),
        ),
    ];
    for (method, path, headers, body) in &hostile {
        let headers: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let reply = http::request(&server.addr, method, path, &headers, body.as_bytes()).unwrap();
        assert!(reply.status < 500, "{method} {path}: {}", reply.status);
    }
    // Unmatched paths count against the default budget like any route.
    let statuses: Vec<u16> = (0..15).map(|_| http::get(&server.addr, "/nowhere").unwrap().status).collect();
    assert!(statuses[0] == 404 && statuses.last() == Some(&429), "{statuses:?}");
    let log = server.stop();
    assert!(!log.contains("probe-7Q3"), "{log}");
    assert!(!log.contains("Shield"), "no warning per response: {log}");
}

#[test]
fn an_unknown_method_gets_our_error_page_and_headers() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    let reply = http::request(&server.addr, "FOO", "/", &[], b"").unwrap();
    assert_eq!(reply.status, 400);
    assert_eq!(reply.header("x-frame-options"), Some("DENY"));
    assert!(reply.header("content-security-policy").is_some_and(|c| c.contains("default-src 'none'")));
    assert!(reply.text().contains("could not be understood"), "{}", reply.text());
}

/// A valid submission over HTTP to a server in CAPTCHA test mode (answer `pass`); the status.
fn submit_over_http(addr: &str, email: &str) -> u16 {
    let form = http::get(addr, "/").unwrap();
    let cookie = form.cookies();
    let html = form.text();
    let mut fields = vec![
        ("csrf_token", crate::helpers::input_value(&html, "csrf_token").unwrap()),
        ("captcha_token", crate::helpers::input_value(&html, "captcha_token").unwrap()),
        ("captcha_answer", "pass".to_string()),
    ];
    fields.extend(crate::helpers::with(crate::helpers::valid_fields(), "email", email));
    let body = crate::helpers::encode(&fields);
    let headers = [("Content-Type", "application/x-www-form-urlencoded"), ("Cookie", cookie.as_str())];
    http::request(addr, "POST", "/", &headers, body.as_bytes()).unwrap().status
}

/// Rows a second process (the export command) finds in the server's database.
fn exported_rows(dir: &std::path::Path) -> usize {
    let out =
        Command::new(BIN).current_dir(dir).env_clear().args(["export", "--format", "json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice::<Vec<serde_json::Value>>(&out.stdout).unwrap().len()
}

/// The server checks its database file's header by a descriptor of its own; closing such a
/// descriptor would drop SQLite's locks, and the next process to close the database would take
/// the WAL, and every row written after, away.
#[test]
fn another_process_reading_the_database_takes_nothing_away() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[("APP_ENV", "development"), ("CAPTCHA_TEST_ANSWER", "pass")]);
    for n in 0..3 {
        assert_eq!(submit_over_http(&server.addr, &format!("first{n}@example.com")), 303);
        assert_eq!(http::get(&server.addr, "/healthz").unwrap().status, 200);
    }
    assert_eq!(exported_rows(dir.path()), 3);
    assert_eq!(submit_over_http(&server.addr, "after@example.com"), 303);
    assert_eq!(http::get(&server.addr, "/healthz").unwrap().status, 200);
    assert_eq!(exported_rows(dir.path()), 4, "the row written after another process read is kept");
    drop(server);
    assert_eq!(exported_rows(dir.path()), 4);
}

/// `LOG_FORMAT=json`: every line the server writes is one JSON object, with the same care for
/// personal data as the text lines; the first start's enrolment link is one such line.
#[test]
fn json_logs_are_one_object_a_line() {
    let dir = tempfile::tempdir().unwrap();
    let env = [("APP_ENV", "development"), ("CAPTCHA_TEST_ANSWER", "pass"), ("LOG_FORMAT", "json")];
    let server = Server::start(dir.path(), &env);
    assert_eq!(submit_over_http(&server.addr, "json-probe@example.com"), 303);
    http::get(&server.addr, "/nowhere?email=json-probe@example.com").unwrap();
    let log = server.stop();
    let lines: Vec<serde_json::Value> = log
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|_| panic!("not a JSON line: {l}")))
        .collect();
    assert!(lines.len() >= 2, "{log}");
    assert!(lines
        .iter()
        .all(|l| l["level"].is_string() && l["message"].is_string() && l["time"].is_string()));
    let said = |text: &str| lines.iter().any(|l| l["message"].as_str().unwrap_or_default().contains(text));
    assert!(said("CAPTCHA_TEST_ANSWER") && said("otpauth://totp/"), "{log}");
    assert!(!log.contains("json-probe"), "{log}");
}
