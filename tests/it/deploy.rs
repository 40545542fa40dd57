//! The deployment files, run for real: the static binary, NGINX with TLS in front of the app
//! (Debian's nginx, started here with a temp prefix and a self-signed certificate), the systemd
//! unit, and the container files.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

use crate::helpers::http::{self, free_port};
use crate::helpers::nginx::{browser, cookies_of, sign_in_over_http, Nginx};
use crate::helpers::server::{Server, BIN};
use crate::helpers::tools::{find, require, CORES};
use crate::helpers::*;

const REPO: &str = env!("CARGO_MANIFEST_DIR");

/// Runs scripts/build-static.sh once per test run; the binary's path. A fat-LTO build takes
/// minutes, so only when asked: CI asks (`CONTACT_TEST_STRICT=1`), and so does
/// `CONTACT_TEST_STATIC=1`; otherwise the test says how to run it and passes.
fn static_binary() -> Option<&'static Path> {
    let asked = |var: &str| std::env::var(var).as_deref() == Ok("1");
    if !asked("CONTACT_TEST_STRICT") && !asked("CONTACT_TEST_STATIC") {
        println!("SKIPPED: the static binary is built only on request: CONTACT_TEST_STATIC=1 cargo test static_binary");
        return None;
    }
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    Some(BUILT.get_or_init(|| {
        // A clean environment: the variables cargo sets for tests would make it rebuild.
        let keep = ["PATH", "HOME", "CARGO_HOME", "RUSTUP_HOME", "RUSTUP_TOOLCHAIN"];
        let _cores = CORES.blocking_lock();
        let out = Command::new(format!("{REPO}/scripts/build-static.sh"))
            .env_clear()
            .envs(std::env::vars().filter(|(k, _)| keep.contains(&k.as_str())))
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        PathBuf::from(format!("{REPO}/target/static/x86_64-unknown-linux-gnu/release/contact-client"))
    }))
}

#[test]
fn the_static_binary_needs_nothing_but_itself() {
    let Some(binary) = static_binary() else { return };
    let ldd = Command::new("ldd").arg(binary).output().unwrap();
    let said = String::from_utf8_lossy(&ldd.stdout).to_string() + &String::from_utf8_lossy(&ldd.stderr);
    assert!(said.contains("not a dynamic executable") || said.contains("statically linked"), "ldd: {said}");
    if let Some(file) = find("file") {
        let out = String::from_utf8(Command::new(file).arg(binary).output().unwrap().stdout).unwrap();
        let statically = out.contains("statically linked") || out.contains("static-pie linked");
        assert!(statically && out.contains("stripped") && !out.contains("not stripped"), "{out}");
    }
    let size = std::fs::metadata(binary).unwrap().len();
    println!("static binary: {size} bytes");

    // Started from an empty directory with nothing configured, it serves everything it has.
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut child = Command::new(binary)
        .current_dir(dir.path())
        .env_clear()
        .env("PORT", port.to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let addr = format!("127.0.0.1:{port}");
    let up = http::wait_for(&addr, "/healthz", 30);
    let form = http::get(&addr, "/");
    let css = http::get(&addr, "/static/style.css");
    let healthcheck = Command::new(binary)
        .current_dir(dir.path())
        .env_clear()
        .env("PORT", port.to_string())
        .arg("healthcheck")
        .output();
    let _ = child.kill();
    let _ = child.wait();
    assert!(up, "healthz answered");
    assert!(form.unwrap().text().contains("Get in touch"));
    assert!(css.unwrap().text().contains(".contact-form"));
    assert!(healthcheck.unwrap().status.success(), "its own healthcheck passes");
}

/// NGINX started from a temp prefix with the repository's config, rendered for loopback ports.
#[rocket::async_test]
async fn behind_nginx_with_tls() {
    let Some(nginx_bin) = require("nginx") else { return };
    require("openssl").expect("openssl makes the test certificate");
    let app_dir = tempfile::tempdir().unwrap();
    let env =
        [("PROXY_IP_HEADER", "X-Real-IP"), ("CAPTCHA_TEST_ANSWER", "pass"), ("TOTP_SECRET", TOTP_SECRET)];
    let app = Server::start(app_dir.path(), &env);
    let app_port: u16 = app.addr.rsplit(':').next().unwrap().parse().unwrap();
    let nginx = Nginx::start(&nginx_bin, &[app_port]);
    let client = browser(&nginx);
    let site = format!("https://contact.example.com:{}", nginx.https_port);

    // A submission over HTTPS lands.
    let page = client.get(format!("{site}/")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.headers().get("strict-transport-security").is_some(), "HSTS");
    let cookie = cookies_of(&page);
    assert!(
        page.headers().get_all("set-cookie").iter().all(|c| c.to_str().unwrap().contains("Secure")),
        "Secure cookies"
    );
    let html = page.text().await.unwrap();
    let mut fields = valid_fields();
    fields.push(("csrf_token", input_value(&html, "csrf_token").unwrap()));
    fields.push(("captcha_token", input_value(&html, "captcha_token").unwrap()));
    fields.push(("captcha_answer", "pass".into()));
    let posted = client
        .post(format!("{site}/"))
        .header("Cookie", &cookie)
        .header("Origin", "https://contact.example.com")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(encode(&fields))
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status(), 303, "{:?}", posted.text().await);
    let db = sqlx::SqlitePool::connect(&format!("sqlite://{}/data/contact.db", app_dir.path().display()))
        .await
        .unwrap();
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM submissions").fetch_one(&db).await.unwrap();
    assert_eq!(stored, 1);

    // The app sees the visitor's address from X-Real-IP (the audit log records a failed sign-in).
    let failed = sign_in_over_http(&client, &site, "000000").await;
    assert_eq!(failed.status(), 401);
    let ip: String = sqlx::query_scalar("SELECT ip FROM audit").fetch_one(&db).await.unwrap();
    assert_eq!(ip, "127.0.0.2");

    // HTTP redirects to HTTPS.
    let plain =
        http::request(&format!("127.0.0.1:{}", nginx.http_port), "GET", "/admin?x=1", &[], b"").unwrap();
    assert_eq!(plain.status, 301);
    assert!(plain.header("location").unwrap().starts_with("https://"), "{:?}", plain.header("location"));

    // NGINX refuses a 100 KiB body before the app sees it.
    let big = client
        .post(format!("{site}/"))
        .header("Cookie", &cookie)
        .body(vec![b'x'; 100 * 1024])
        .send()
        .await
        .unwrap();
    assert_eq!(big.status(), 413);
    assert_eq!(
        big.headers().get("server").and_then(|s| s.to_str().ok()).map(|s| s.starts_with("nginx")),
        Some(true)
    );

    // Static files get a year of caching.
    let css = client.get(format!("{site}/static/style.css")).send().await.unwrap();
    assert_eq!(css.status(), 200);
    let cache = css.headers().get("cache-control").unwrap().to_str().unwrap().to_string();
    assert!(cache.contains("max-age=31536000"), "{cache}");
    drop(app);
}

#[test]
fn the_systemd_unit_verifies() {
    let Some(analyze) = find("systemd-analyze") else {
        println!("SKIPPED: systemd-analyze not found");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let unit = std::fs::read_to_string(format!("{REPO}/systemd/contact-client.service"))
        .unwrap()
        .replace("/usr/local/bin/contact-client", BIN);
    let path = dir.path().join("contact-client.service");
    std::fs::write(&path, unit).unwrap();
    let out = Command::new(&analyze).arg("verify").arg(&path).output().unwrap();
    let said = String::from_utf8_lossy(&out.stderr).to_string();
    let problems: Vec<&str> = said.lines().filter(|l| l.contains("contact-client.service")).collect();
    assert!(problems.is_empty(), "systemd-analyze verify: {said}");
    let security = Command::new(&analyze).args(["security", "--offline=true"]).arg(&path).output().unwrap();
    let report = String::from_utf8_lossy(&security.stdout);
    let score = report.lines().find(|l| l.contains("Overall exposure level")).unwrap_or_default().to_string();
    println!("systemd-analyze security: {score}");
    let value: f64 = score.split_whitespace().find_map(|w| w.parse().ok()).unwrap_or(10.0);
    assert!(value <= 2.0, "exposure {score}");
}

/// A compose file of the repository as JSON; None (after SKIPPED) without Python's yaml.
fn compose_file(name: &str) -> Option<serde_json::Value> {
    let compose = std::fs::read_to_string(format!("{REPO}/{name}")).unwrap();
    let python = crate::helpers::tools::python_with("yaml")?;
    let script = "import json, sys, yaml; print(json.dumps(yaml.safe_load(sys.stdin)))";
    let mut child = Command::new(python)
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(compose.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{name} is not valid YAML: {}", String::from_utf8_lossy(&out.stderr));
    Some(serde_json::from_slice(&out.stdout).unwrap())
}

/// The scaled variant adds PostgreSQL and Redis, reachable only inside the compose network,
/// and gives every instance the same keys and the shared database.
#[test]
fn the_scaled_compose_variant_shares_postgres_and_redis() {
    let Some(doc) = compose_file("docker-compose.scaled.yml") else { return };
    let app = &doc["services"]["contact-client"]["environment"];
    assert!(app["DATABASE_URL"].as_str().unwrap().starts_with("postgres://contact:${POSTGRES_PASSWORD"));
    assert!(app["DATABASE_URL"].as_str().unwrap().ends_with("@postgres:5432/contact"));
    assert_eq!(app["REDIS_URL"], "redis://redis:6379/0");
    for key in ["SECRET_KEY", "FERNET_KEY", "TOTP_SECRET"] {
        assert!(
            app[key].as_str().unwrap().starts_with(&format!("${{{key}:?")),
            "{key} must be set, the same for all"
        );
    }
    for service in ["postgres", "redis"] {
        let s = &doc["services"][service];
        assert!(s.get("ports").is_none(), "{service} is not published");
        assert!(s["healthcheck"]["test"].is_array(), "{service} has a health check");
        assert_eq!(doc["services"]["contact-client"]["depends_on"][service]["condition"], "service_healthy");
    }
    assert_eq!(doc["services"]["postgres"]["environment"]["POSTGRES_DB"], "contact");
    assert!(doc["volumes"].get("postgres-data").is_some(), "the data on a volume");
    let readme = std::fs::read_to_string(format!("{REPO}/README.md")).unwrap();
    assert!(readme.contains(
        "docker compose -f docker-compose.yml -f docker-compose.scaled.yml up -d --scale contact-client=2"
    ));
}

#[test]
fn the_compose_file_and_dockerfile_are_what_the_readme_says() {
    let Some(doc) = compose_file("docker-compose.yml") else { return };
    let app = &doc["services"]["contact-client"];
    assert!(app.get("ports").is_none(), "the app is reachable only through nginx");
    assert_eq!(app["env_file"], ".env");
    assert_eq!(app["environment"]["PROXY_IP_HEADER"], "X-Real-IP");
    assert!(app["volumes"][0].as_str().unwrap().ends_with(":/data"));
    let nginx = &doc["services"]["nginx"];
    assert_eq!(nginx["ports"], serde_json::json!(["80:80", "443:443"]));
    let mounts: Vec<&str> = nginx["volumes"].as_array().unwrap().iter().filter_map(|v| v.as_str()).collect();
    assert!(mounts.iter().any(|m| m.starts_with("./nginx/contact-client.conf:")));
    assert!(mounts.iter().any(|m| m.starts_with("letsencrypt:")), "certificates on a volume");

    let dockerfile = std::fs::read_to_string(format!("{REPO}/Dockerfile")).unwrap();
    let last_from = dockerfile.lines().rfind(|l| l.starts_with("FROM ")).unwrap();
    assert_eq!(last_from, "FROM scratch");
    assert!(dockerfile.contains("scripts/build-static.sh"), "the same build as the tested static binary");
    assert!(dockerfile.contains("USER 65532:65532"));
    assert!(dockerfile.contains("HEALTHCHECK") && dockerfile.contains("\"healthcheck\""));
    assert!(dockerfile.contains("VOLUME [\"/data\"]"));
}

/// Sends `head` and nothing more; how long until the other side closes (or answers), and what
/// it said.
fn hold_open(addr: &str, head: &str) -> (Duration, String) {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let started = std::time::Instant::now();
    stream.write_all(head.as_bytes()).unwrap();
    let mut said = Vec::new();
    let _ = stream.read_to_end(&mut said);
    (started.elapsed(), String::from_utf8_lossy(&said).to_string())
}

#[test]
fn nginx_closes_a_connection_that_never_finishes_its_headers() {
    let Some(nginx_bin) = require("nginx") else { return };
    require("openssl").expect("openssl makes the test certificate");
    let app_dir = tempfile::tempdir().unwrap();
    let app = Server::start(app_dir.path(), &[("PROXY_IP_HEADER", "X-Real-IP")]);
    let app_port: u16 = app.addr.rsplit(':').next().unwrap().parse().unwrap();
    let nginx = Nginx::start(&nginx_bin, &[app_port]);
    let front = format!("127.0.0.1:{}", nginx.http_port);
    // A body that stops before its 14th byte: Rocket waits for those without end (it peeks for
    // a `_method` field before routing), so NGINX must be the one to give up.
    let slow_body = {
        let front = front.clone();
        std::thread::spawn(move || {
            hold_open(
                &front,
                "POST / HTTP/1.1\r\nHost: contact.example.com\r\n\
                 Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nname=slow",
            )
        })
    };
    let (held, _) = hold_open(&front, "GET / HTTP/1.1\r\nHost: contact.example.com\r\n");
    assert!(held < Duration::from_secs(15), "NGINX closed the slow client after {held:?}");
    assert!(held >= Duration::from_secs(9), "after client_header_timeout, not at once: {held:?}");
    let (held, _) = slow_body.join().unwrap();
    assert!(held < Duration::from_secs(15), "NGINX closed the slow body after {held:?}");
}

#[test]
fn a_json_body_that_never_arrives_ends_with_408() {
    let dir = tempfile::tempdir().unwrap();
    let app = Server::start(dir.path(), &[]);
    // Rocket awaits the first 14 bytes of any body (looking for a `_method` field) with no
    // deadline; after those, the app's own deadline holds.
    let head = "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
                Content-Length: 1000\r\n\r\n{\"name\": \"Ada Lovelace";
    let (held, said) = hold_open(&app.addr, head);
    assert!(said.starts_with("HTTP/1.1 408"), "{said}");
    assert!(held < Duration::from_secs(15), "{held:?}");
}
