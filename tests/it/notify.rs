//! Notifications against real receivers started here: an SMTP server (aiosmtpd: plain on
//! loopback, STARTTLS with AUTH, implicit TLS) and a webhook receiver that verifies the
//! signature with Python's hmac. Store first, then tell: nothing is lost, nothing is sent twice.

use std::time::Duration;

use rocket::http::Status;

use crate::helpers::receivers::{SmtpOptions, SmtpServer, WebhookReceiver, WEBHOOK_SECRET};
use crate::helpers::server::{submit_over_http, Server, KEYED};
use crate::helpers::*;
use crate::on_both_databases;

const WAIT: Duration = Duration::from_secs(15);

/// What a message says, its headers unfolded and its parts decoded enough to search.
fn text_of(mail: &serde_json::Value) -> String {
    let data = mail["data"].as_str().unwrap();
    data.replace("=\r\n", "").replace("=\n", "").replace("\r\n", "\n")
}

fn personal_data_in(text: &str) -> Vec<&'static str> {
    ["Ada Lovelace", "Lovelace", "ada@example.com", "858 6273", "8586273", "the engine"]
        .into_iter()
        .filter(|p| text.contains(p))
        .collect()
}

on_both_databases! {
async fn the_owner_hears_of_each_submission_without_personal_data_by_default(backend: Backend) {
    let Some(smtp) = SmtpServer::start(SmtpOptions::default()) else { return };
    let url = smtp.url();
    let (client, _db) = app_on(backend, &[
        ("notify.email_to", "owner@example.com, partner@example.com"),
        ("notify.smtp_url", &url),
        ("public_url", "https://example.com/contact/"),
        ("metrics_token", METRICS_TOKEN),
    ]).await;
    let res = submit(&client, &valid_fields(), true).await;
    assert_eq!(res.status(), Status::SeeOther);
    let mails = smtp.wait_for(1, WAIT).await;
    assert_eq!(mails.len(), 1);
    let mut to: Vec<&str> =
        mails[0]["rcpt_tos"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    to.sort();
    assert_eq!(to, ["owner@example.com", "partner@example.com"]);
    assert_eq!(mails[0]["mail_from"], "noreply@localhost");
    let text = text_of(&mails[0]);
    assert!(text.contains("Subject: New contact request #1"), "{text}");
    assert!(text.contains("https://example.com/contact/admin/submissions/1"), "{text}");
    assert!(text.contains("text/plain") && text.contains("text/html"), "two parts: {text}");
    assert!(
        personal_data_in(&text).is_empty(),
        "personal data in the default email: {:?}",
        personal_data_in(&text)
    );
    assert!(!text.contains("Reply-To"), "{text}");
    // The server has the mail before the instance has its answer and marks it sent.
    let settled = serde_json::json!({"pending": 0, "failed": 0});
    assert!(
        eventually_async(|| async { operator_health(&client).await["notifications"] == settled }).await,
        "marked sent: {}",
        operator_health(&client).await["notifications"]
    );
}
}

on_both_databases! {
async fn include_details_over_starttls_with_auth(backend: Backend) {
    let options = SmtpOptions { starttls: true, auth: Some(("mailer", "s3cret-pass")), ..Default::default() };
    let Some(smtp) = SmtpServer::start(options) else { return };
    let (url, ca) = (smtp.url(), smtp.ca_file());
    let (client, _db) = app_on(backend, &[
        ("notify.email_to", "owner@example.com"),
        ("notify.smtp_url", &url),
        ("notify.smtp_ca_file", ca.to_str().unwrap()),
        ("notify.include_details", "true"),
        ("notify.email_from", "Contact form <form@example.com>"),
    ]).await;
    assert_eq!(submit(&client, &valid_fields(), true).await.status(), Status::SeeOther);
    let mails = smtp.wait_for(1, WAIT).await;
    assert_eq!(mails.len(), 1);
    assert_eq!((mails[0]["tls"].as_bool(), mails[0]["authenticated"].as_bool()), (Some(true), Some(true)));
    let text = text_of(&mails[0]);
    for expected in ["Ada Lovelace", "ada@example.com", "+14158586273", "Please call me about the engine."] {
        assert!(text.contains(expected), "{expected} missing: {text}");
    }
    assert!(text.contains("Reply-To: \"Ada Lovelace\" <ada@example.com>"), "{text}");
    assert!(text.contains("From: \"Contact form\" <form@example.com>"), "{text}");
}
}

on_both_databases! {
async fn implicit_tls_is_spoken_from_the_first_byte(backend: Backend) {
    let Some(smtp) = SmtpServer::start(SmtpOptions { smtps: true, ..Default::default() }) else { return };
    let (url, ca) = (smtp.url(), smtp.ca_file());
    let (client, _db) = app_on(backend, &[
        ("notify.email_to", "owner@example.com"),
        ("notify.smtp_url", &url),
        ("notify.smtp_ca_file", ca.to_str().unwrap()),
    ]).await;
    assert_eq!(submit(&client, &valid_fields(), true).await.status(), Status::SeeOther);
    let mails = smtp.wait_for(1, WAIT).await;
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0]["tls"].as_bool(), Some(true));
}
}

on_both_databases! {
async fn a_failing_webhook_is_retried_with_the_same_id_until_it_answers_2xx(backend: Backend) {
    let Some(hook) = WebhookReceiver::start(2) else { return };
    let url = hook.url();
    let (client, _db, clock) = clocked_app_on(backend, &[("notify.webhook_url", &url), ("notify.webhook_secret", WEBHOOK_SECRET)]).await;
    assert_eq!(submit(&client, &valid_fields(), true).await.status(), Status::SeeOther);
    assert_eq!(hook.wait_for(1, WAIT).await.len(), 1, "the first attempt comes at once");
    for attempt in 2..=3 {
        clock.advance(std::time::Duration::from_secs(60 * 60));
        assert_eq!(hook.wait_for(attempt, WAIT).await.len(), attempt, "attempt {attempt} after the wait");
    }
    let deliveries = hook.deliveries();
    let answered: Vec<i64> = deliveries.iter().map(|d| d["answered"].as_i64().unwrap()).collect();
    assert_eq!(answered, [500, 500, 204]);
    assert!(deliveries.iter().all(|d| d["valid"] == true), "every signature verifies: {deliveries:?}");
    assert!(deliveries.iter().all(|d| d["id"] == deliveries[0]["id"]), "one webhook-id for every attempt");
    assert!(deliveries[0]["id"].as_str().unwrap().starts_with("msg_"));
    assert_eq!(deliveries[0]["content_type"], "application/json");
    let body: serde_json::Value = serde_json::from_str(deliveries[2]["body"].as_str().unwrap()).unwrap();
    assert_eq!(body["type"], "submission.created");
    let data = &body["data"];
    assert_eq!((data["id"].as_i64(), data["name"].as_str()), (Some(1), Some("Ada Lovelace")));
    assert_eq!(data["email"], "ada@example.com");
    assert_eq!(data["message"], "Please call me about the engine.");
    assert_eq!(data["status"], "new");
    assert_eq!((data["time_zone"].as_str(), data["language"].as_str()), (Some("UTC"), Some("en")));
    // Delivered: nothing more, however long we wait.
    clock.advance(std::time::Duration::from_secs(24 * 3600));
    rocket::tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(hook.deliveries().len(), 3);
}
}

on_both_databases! {
async fn after_three_days_of_failures_it_is_failed_and_the_admin_can_send_it_again(backend: Backend) {
    // 14 waits of growing length, 15 attempts in all; the 16th (after "send again") succeeds.
    let Some(hook) = WebhookReceiver::start(15) else { return };
    let url = hook.url();
    let (client, _db, clock) = clocked_app_on(backend, &[
        ("notify.webhook_url", &url),
        ("notify.webhook_secret", WEBHOOK_SECRET),
        ("metrics_token", METRICS_TOKEN),
    ])
    .await;
    assert_eq!(submit(&client, &valid_fields(), true).await.status(), Status::SeeOther);
    for attempt in 1..=15 {
        assert_eq!(hook.wait_for(attempt, WAIT).await.len(), attempt, "attempt {attempt}");
        clock.advance(std::time::Duration::from_secs(13 * 3600));
    }
    // The code of the instance's clock, days ahead of the wall clock by now.
    let code = totp_code(TOTP_SECRET, clock.now().unix_timestamp() as u64);
    assert_eq!(try_sign_in(&client, &code, None).await.status(), Status::SeeOther);
    assert!(eventually_async(|| async { detail(&client).await.contains("failed") }).await, "shown as failed");
    let html = detail(&client).await;
    assert!(html.contains("the webhook answered 500"), "{html}");
    let health = operator_health(&client).await;
    assert_eq!(health["notifications"]["failed"], 1);
    let resend = extract_action(&html, "/resend").expect("a send-again button");
    let res = admin_post(&client, &resend, &[]).await;
    assert_eq!(res.status(), Status::SeeOther);
    assert_eq!(hook.wait_for(16, WAIT).await.len(), 16);
    assert!(
        eventually_async(|| async { detail(&client).await.contains("delivered") }).await,
        "delivered after sending again"
    );
}
}

async fn detail(client: &rocket::local::asynchronous::Client) -> String {
    client.get("/admin/submissions/1").dispatch().await.into_string().await.unwrap()
}

/// Waits up to 15 s for an async condition.
async fn eventually_async<F: std::future::Future<Output = bool>>(mut ready: impl FnMut() -> F) -> bool {
    for _ in 0..150 {
        if ready().await {
            return true;
        }
        rocket::tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}

/// The `action` of the first form in `html` whose action ends with `suffix`.
fn extract_action(html: &str, suffix: &str) -> Option<String> {
    html.match_indices("action=\"").find_map(|(at, m)| {
        let rest = &html[at + m.len()..];
        let action = &rest[..rest.find('"')?];
        action.ends_with(suffix).then(|| action.replace("&#x2f;", "/"))
    })
}

on_both_databases! {
async fn honeypot_hits_refused_and_deleted_submissions_tell_nobody(backend: Backend) {
    let Some(hook) = WebhookReceiver::start(1000) else { return };
    let url = hook.url();
    let (client, _db) = app_on(backend, &[
        ("notify.webhook_url", &url),
        ("notify.webhook_secret", WEBHOOK_SECRET),
        ("metrics_token", METRICS_TOKEN),
    ])
    .await;
    let trapped = submit(&client, &with(valid_fields(), "website", "http://spam.example"), true).await;
    assert_eq!(trapped.status(), Status::SeeOther);
    let refused = submit(&client, &with(valid_fields(), "email", "not-an-address"), true).await;
    assert_eq!(refused.status(), Status::UnprocessableEntity);
    rocket::tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(hook.deliveries().is_empty(), "nothing was sent for a bot or a refused form");
    assert_eq!(operator_health(&client).await["notifications"]["pending"], 0);

    // A real one fails (the receiver answers 500) and waits to be retried; deleting the
    // submission drops it.
    assert_eq!(submit(&client, &valid_fields(), true).await.status(), Status::SeeOther);
    assert_eq!(hook.wait_for(1, WAIT).await.len(), 1);
    assert_eq!(operator_health(&client).await["notifications"]["pending"], 1);
    sign_in(&client).await;
    let res = admin_post(&client, "/admin/submissions/1/delete", &[]).await;
    assert_eq!(res.status(), Status::SeeOther);
    assert_eq!(
        operator_health(&client).await["notifications"],
        serde_json::json!({"pending": 0, "failed": 0})
    );
}
}

on_both_databases! {
async fn a_visitor_address_gets_one_confirmation_a_day_without_its_message(backend: Backend) {
    let Some(smtp) = SmtpServer::start(SmtpOptions::default()) else { return };
    let url = smtp.url();
    let (client, _db, clock) = clocked_app_on(backend, &[("notify.smtp_url", &url), ("notify.confirm_visitor", "true")]).await;
    for _ in 0..50 {
        let fields = with(valid_fields(), "email", "Target@Example.com");
        assert_eq!(submit(&client, &fields, true).await.status(), Status::SeeOther);
    }
    let mails = smtp.wait_for(1, WAIT).await;
    rocket::tokio::time::sleep(Duration::from_millis(1500)).await;
    let mails = if smtp.mails().len() > mails.len() { smtp.mails() } else { mails };
    assert_eq!(mails.len(), 1, "one confirmation for 50 submissions from one address");
    assert_eq!(mails[0]["rcpt_tos"], serde_json::json!(["Target@Example.com"]));
    let text = text_of(&mails[0]);
    assert!(text.contains("Subject: We received your request"), "{text}");
    assert!(!text.contains("the engine") && !text.contains("Ada"), "no message, no name: {text}");
    assert!(!text.contains("http"), "no link: {text}");

    let other = with(valid_fields(), "email", "someone.else@example.com");
    assert_eq!(submit(&client, &other, true).await.status(), Status::SeeOther);
    assert_eq!(smtp.wait_for(2, WAIT).await.len(), 2, "another address gets its own");
    clock.advance(std::time::Duration::from_secs(25 * 3600));
    let again = with(valid_fields(), "email", "target@example.com");
    assert_eq!(submit(&client, &again, true).await.status(), Status::SeeOther);
    assert_eq!(smtp.wait_for(3, WAIT).await.len(), 3, "a day later, one more");
}
}

on_both_databases! {
async fn two_hundred_submissions_at_full_speed_give_two_hundred_mails_once_each(backend: Backend) {
    let Some(smtp) = SmtpServer::start(SmtpOptions::default()) else { return };
    let url = smtp.url();
    let (client, _db) = app_on(backend, &[("notify.email_to", "owner@example.com"), ("notify.smtp_url", &url)]).await;
    let submissions = (0..200).map(|_| async { submit(&client, &valid_fields(), true).await.status() });
    let statuses = rocket::futures::future::join_all(submissions).await;
    assert!(statuses.iter().all(|s| *s == Status::SeeOther));
    let mails = smtp.wait_for(200, Duration::from_secs(60)).await;
    rocket::tokio::time::sleep(Duration::from_millis(1500)).await;
    let mails = smtp.mails().len().max(mails.len());
    let mut subjects: Vec<String> = smtp
        .mails()
        .iter()
        .filter_map(|m| text_of(m).lines().find(|l| l.starts_with("Subject:")).map(str::to_string))
        .collect();
    subjects.sort();
    subjects.dedup();
    assert_eq!((mails, subjects.len()), (200, 200), "200 mails, no duplicates");
}
}

/// SMTP down, a submission, the server killed with SIGKILL; then both come back: the mail
/// arrives, once.
#[rocket::async_test]
async fn a_mail_pending_when_the_server_is_killed_arrives_once_after_the_restart() {
    let Some(mut smtp) = SmtpServer::on_free_port(SmtpOptions::default()) else { return };
    let dir = tempfile::tempdir().unwrap();
    let url = smtp.url();
    let env =
        [KEYED.as_slice(), &[("NOTIFY_EMAIL_TO", "owner@example.com"), ("SMTP_URL", url.as_str())]].concat();
    let server = Server::start(dir.path(), &env);
    let addr = server.addr.clone();
    let id = rocket::tokio::task::spawn_blocking(move || submit_over_http(&addr, "ada@example.com", "pass"))
        .await
        .unwrap()
        .expect("stored");
    // The first attempt fails (nobody listens); the server dies before its retry.
    rocket::tokio::time::sleep(Duration::from_millis(1500)).await;
    server.kill_hard();
    smtp.run();
    let server = Server::start(dir.path(), &env);
    let mails = smtp.wait_for(1, Duration::from_secs(30)).await;
    rocket::tokio::time::sleep(Duration::from_millis(2000)).await;
    assert_eq!((mails.len(), smtp.mails().len()), (1, 1), "once; log: {}", server.log());
    assert!(text_of(&mails[0]).contains(&format!("New contact request #{id}")));
    server.stop();
}

/// `contact-client notify-test` sends one test email and one test event, and says so.
#[rocket::async_test]
async fn notify_test_checks_the_settings_end_to_end() {
    let Some(smtp) = SmtpServer::start(SmtpOptions::default()) else { return };
    let Some(hook) = WebhookReceiver::start(0) else { return };
    let dir = tempfile::tempdir().unwrap();
    let run = |smtp_url: &str| {
        std::process::Command::new(crate::helpers::server::BIN)
            .current_dir(dir.path())
            .env_clear()
            .env("DATA_DIR", dir.path())
            .envs([("SECRET_KEY", SECRET_KEY), ("FERNET_KEY", FERNET_KEY), ("TOTP_SECRET", TOTP_SECRET)])
            .envs([("NOTIFY_EMAIL_TO", "owner@example.com"), ("SMTP_URL", smtp_url)])
            .envs([("WEBHOOK_URL", hook.url().as_str()), ("WEBHOOK_SECRET", WEBHOOK_SECRET)])
            .arg("notify-test")
            .output()
            .unwrap()
    };
    let out = run(&smtp.url());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("email: sent") && stdout.contains("webhook: sent"), "{stdout}");
    assert_eq!(smtp.mails().len(), 1);
    let deliveries = hook.deliveries();
    assert_eq!(deliveries.len(), 1);
    assert_eq!(deliveries[0]["valid"], true);

    let dead = format!("smtp://mailer:hunter2-secret@127.0.0.1:{}", http::free_port());
    let out = run(&dead);
    let all = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(1), "{all}");
    assert!(all.contains("email: FAILED (the SMTP server cannot be reached)"), "{all}");
    assert!(!all.contains("hunter2"), "the password never shows: {all}");
}
