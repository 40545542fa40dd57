//! The owner's templates and static files replace the embedded ones by name; a template that
//! does not compile stops the start, naming its file.

use std::process::Command;
use std::time::{Duration, Instant};

use rocket::http::Status;

use crate::helpers::server::BIN;
use crate::helpers::*;

#[rocket::async_test]
async fn an_owners_template_and_static_files_take_effect() {
    let files = tempfile::tempdir().unwrap();
    let (templates, statics) = (files.path().join("templates"), files.path().join("static"));
    std::fs::create_dir_all(templates.join("email")).unwrap();
    std::fs::create_dir_all(&statics).unwrap();
    std::fs::write(
        templates.join("thanks.html"),
        "{% extends \"contact/base.html\" %}{% block content %}<h1>Merci, à bientôt</h1>{% endblock %}",
    )
    .unwrap();
    std::fs::write(statics.join("style.css"), "body { color: rebeccapurple; }").unwrap();
    std::fs::write(statics.join("logo.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>").unwrap();
    let app = app_with(&[
        ("templates_dir", templates.to_str().unwrap()),
        ("static_dir", statics.to_str().unwrap()),
    ])
    .await;
    let c = &app.client;

    let thanks = c.get("/thanks").dispatch().await;
    assert_eq!(thanks.status(), Status::Ok);
    let html = thanks.into_string().await.unwrap();
    assert!(html.contains("Merci, à bientôt"), "{html}");
    assert!(html.contains("/static/style.css?v="), "the owner's template still has the helpers");

    let css = c.get("/static/style.css").dispatch().await.into_string().await.unwrap();
    assert_eq!(css, "body { color: rebeccapurple; }");
    let form = c.get("/").dispatch().await.into_string().await.unwrap();
    let link = form.split("/static/style.css?v=").nth(1).unwrap().split('"').next().unwrap().to_string();
    let versioned = c.get(format!("/static/style.css?v={link}")).dispatch().await;
    assert_eq!(
        versioned.headers().get_one("Cache-Control"),
        Some("public, max-age=31536000, immutable"),
        "the form links the owner's file by its own fingerprint"
    );
    assert_eq!(c.get("/static/logo.svg").dispatch().await.status(), Status::Ok, "a file of the owner's own");
    assert!(
        c.get("/static/form.js").dispatch().await.into_string().await.unwrap().contains("function"),
        "the rest stays embedded"
    );
}

/// Starts the binary with `env` and returns its exit status and output, or None when it was
/// still running after 20 s.
fn start_fails(dir: &std::path::Path, env: &[(&str, &str)]) -> Option<(bool, String)> {
    let mut child = Command::new(BIN)
        .current_dir(dir)
        .env_clear()
        .env("DATA_DIR", dir.join("data"))
        .env("SECRET_KEY", SECRET_KEY)
        .env("FERNET_KEY", FERNET_KEY)
        .env("TOTP_SECRET", TOTP_SECRET)
        .env("PORT", crate::helpers::http::free_port().to_string())
        .envs(env.iter().copied())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(20) {
        if let Some(status) = child.try_wait().unwrap() {
            let out = child.wait_with_output().unwrap();
            let text =
                String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
            return Some((status.success(), text));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

#[test]
fn a_broken_template_or_a_missing_directory_stops_the_start_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("templates");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(templates.join("thanks.html"), "{% if %}never closed").unwrap();
    let (ok, out) =
        start_fails(dir.path(), &[("TEMPLATES_DIR", templates.to_str().unwrap())]).expect("it stops");
    assert!(!ok);
    assert!(out.contains("TEMPLATES_DIR/thanks.html"), "names the file: {out}");

    let missing = dir.path().join("no-such-dir");
    let (ok, out) = start_fails(dir.path(), &[("STATIC_DIR", missing.to_str().unwrap())]).expect("it stops");
    assert!(!ok);
    assert!(out.contains("STATIC_DIR (contact.static_dir): must be an existing directory"), "{out}");
}
