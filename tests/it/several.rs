//! Several instances on one PostgreSQL and one Redis behind NGINX (the repository's
//! configuration, an upstream of two), all real processes: they act as one. A submission made
//! through NGINX is on both; a session made on one works on the other; a TOTP code used on one
//! is refused on the other; and with one instance killed (SIGKILL) while eight visitors submit,
//! every acknowledged submission is stored and its webhook goes out once.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use crate::helpers::databases::{Backend, TestDatabase};
use crate::helpers::nginx::{browser_from, cookies_of, sign_in_over_http, site, Nginx};
use crate::helpers::receivers::{eventually, WebhookReceiver, WEBHOOK_SECRET};
use crate::helpers::server::{Server, KEYED};
use crate::helpers::tools::{require, PostgresServer, RedisServer};
use crate::helpers::*;

/// A visitor's submission through NGINX: the form, then the post (JSON answer). The id, or
/// None when it was not acknowledged.
async fn submit_through(client: &reqwest::Client, site: &str, email: &str) -> Option<i64> {
    let page = client.get(format!("{site}/")).send().await.ok()?;
    if page.status() != 200 {
        return None;
    }
    let cookie = cookies_of(&page);
    let html = page.text().await.ok()?;
    let mut fields = with(valid_fields(), "email", email);
    fields.push(("csrf_token", input_value(&html, "csrf_token")?));
    fields.push(("captcha_token", input_value(&html, "captcha_token")?));
    fields.push(("captcha_answer", "pass".into()));
    let posted = client
        .post(format!("{site}/"))
        .header("Cookie", cookie)
        .header("Origin", "https://contact.example.com")
        .header("Accept", "application/json")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(encode(&fields))
        .send()
        .await
        .ok()?;
    if posted.status() != 303 {
        return None;
    }
    serde_json::from_str::<serde_json::Value>(&posted.text().await.ok()?).ok()?["id"].as_i64()
}

/// Signs in on one instance (plain HTTP, straight to it) with `code`: the session cookie.
async fn sign_in_on(http: &reqwest::Client, addr: &str, code: &str) -> Option<String> {
    let signed_in = sign_in_over_http(http, &format!("http://{addr}"), code).await;
    (signed_in.status() == 303).then(|| cookies_of(&signed_in))
}

async fn status_of(http: &reqwest::Client, addr: &str, path: &str, cookie: &str) -> u16 {
    http.get(format!("http://{addr}{path}")).header("Cookie", cookie).send().await.unwrap().status().as_u16()
}

/// `webhook-id` → the submission ids its deliveries carried.
fn webhooks_by_id(hook: &WebhookReceiver) -> BTreeMap<String, BTreeSet<i64>> {
    let mut by_id: BTreeMap<String, BTreeSet<i64>> = BTreeMap::new();
    for delivery in hook.deliveries() {
        assert_eq!(delivery["valid"], true, "a signature that verifies");
        let body: serde_json::Value = serde_json::from_str(delivery["body"].as_str().unwrap()).unwrap();
        let id = body["data"]["id"].as_i64().unwrap();
        by_id.entry(delivery["id"].as_str().unwrap().to_string()).or_default().insert(id);
    }
    by_id
}

#[rocket::async_test]
async fn two_instances_behind_nginx_act_as_one_and_lose_nothing_when_one_is_killed() {
    let Some(nginx_bin) = require("nginx") else { return };
    let Some(_) = PostgresServer::shared() else { return };
    let Some(redis) = RedisServer::start() else { return };
    let Some(hook) = WebhookReceiver::start(0) else { return };
    let db: TestDatabase = Backend::Postgres.fresh().unwrap();
    let database_url = match &db.database {
        contact_client::config::Database::Postgres(url) => url.expose().to_string(),
        other => panic!("{other:?}"),
    };
    let (redis_url, hook_url) = (redis.url(), hook.url());
    let env = [
        KEYED.as_slice(),
        &[
            ("DATABASE_URL", database_url.as_str()),
            ("REDIS_URL", redis_url.as_str()),
            ("PROXY_IP_HEADER", "X-Real-IP"),
            ("RATELIMIT_SUBMIT", "10000/minute"),
            ("RATELIMIT_CAPTCHA", "10000/minute"),
            ("RATELIMIT_DEFAULT", "10000/minute"),
            ("WEBHOOK_URL", hook_url.as_str()),
            ("WEBHOOK_SECRET", WEBHOOK_SECRET),
        ],
    ]
    .concat();
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let a = Server::start(dir_a.path(), &env);
    let b = Server::start(dir_b.path(), &env);
    let port = |s: &Server| s.addr.rsplit(':').next().unwrap().parse::<u16>().unwrap();
    let nginx = Nginx::start(&nginx_bin, &[port(&a), port(&b)]);
    let site = site(&nginx);
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();

    // Through NGINX (round robin), then one on each instance straight: all on both.
    let visitor = browser_from(&nginx, [127, 0, 0, 2]);
    let mut ids = Vec::new();
    for n in 0..4 {
        ids.push(
            submit_through(&visitor, &site, &format!("visitor{n}@example.com")).await.expect("acknowledged"),
        );
    }
    for server in [&a, &b] {
        let addr = server.addr.clone();
        let id = rocket::tokio::task::spawn_blocking(move || {
            crate::helpers::server::submit_over_http(&addr, "direct@example.com", "pass")
        });
        ids.push(id.await.unwrap().expect("acknowledged"));
    }
    assert_eq!(ids.iter().collect::<BTreeSet<_>>().len(), 6, "six ids, none given twice: {ids:?}");

    // A session made on A works on B; the code A accepted is refused on B.
    let code = totp_code(TOTP_SECRET, unix_now());
    let session = sign_in_on(&http, &a.addr, &code).await.expect("signed in on A");
    for id in &ids {
        for server in [&a, &b] {
            let path = format!("/admin/submissions/{id}");
            assert_eq!(
                status_of(&http, &server.addr, &path, &session).await,
                200,
                "{path} on {}",
                server.addr
            );
        }
    }
    assert!(sign_in_on(&http, &b.addr, &code).await.is_none(), "a code works once, on every instance");
    assert_eq!(
        db.column("SELECT action FROM audit ORDER BY id").await.iter().filter(|a| *a == "sign_in").count(),
        1
    );
    assert!(eventually(Duration::from_secs(20), || webhooks_by_id(&hook).len() >= 6).await);

    // Eight visitors from eight addresses, as fast as NGINX's per-address limit lets them;
    // A is killed in the middle.
    let visitors = (0..8u8).map(|v| {
        let (client, site) = (browser_from(&nginx, [127, 0, 0, 10 + v]), site.clone());
        rocket::tokio::spawn(async move {
            let mut acknowledged = Vec::new();
            for n in 0..15 {
                if let Some(id) = submit_through(&client, &site, &format!("v{v}-{n}@example.com")).await {
                    acknowledged.push(id);
                }
                rocket::tokio::time::sleep(Duration::from_millis(150)).await;
            }
            acknowledged
        })
    });
    let visitors: Vec<_> = visitors.collect();
    rocket::tokio::time::sleep(Duration::from_millis(1200)).await;
    a.kill_hard();
    let mut acknowledged: BTreeSet<i64> = ids.into_iter().collect();
    for visitor in visitors {
        acknowledged.extend(visitor.await.unwrap());
    }
    assert!(
        acknowledged.len() > 6 + 8 * 15 * 3 / 4,
        "B took the visitors on: {} acknowledged",
        acknowledged.len()
    );

    let stored: BTreeSet<i64> =
        db.column("SELECT id FROM submissions").await.iter().map(|id| id.parse().unwrap()).collect();
    println!("{} acknowledged, {} stored (A was killed mid-stream)", acknowledged.len(), stored.len());
    let lost: Vec<_> = acknowledged.difference(&stored).collect();
    assert!(lost.is_empty(), "acknowledged but not stored: {lost:?}");

    // A row A had claimed when it died goes out once its lease runs out (two minutes).
    let all_sent = eventually(Duration::from_secs(180), || {
        let sent: BTreeSet<i64> = webhooks_by_id(&hook).into_values().flatten().collect();
        stored.is_subset(&sent)
    })
    .await;
    assert!(all_sent, "every stored submission's webhook went out; B's log: {}", b.log());
    let by_id = webhooks_by_id(&hook);
    assert!(by_id.values().all(|ids| ids.len() == 1), "one webhook-id, one submission");
    assert_eq!(by_id.len(), stored.len(), "one webhook-id per submission: sent once");
    b.stop();
}
