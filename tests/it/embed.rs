//! Another site shows the form in a frame (`/embed.js`) or posts to it from its own page: only
//! the origins of `ALLOWED_ORIGINS`, and never without the bot check.

use rocket::http::{ContentType, Header, Status};
use rocket::local::asynchronous::Client;

use crate::helpers::*;

const SITE: &str = "https://site.example";

async fn untracked(extra: &[(&str, &str)]) -> (Client, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let rocket = rocket::custom(figment(&dir, extra)).attach(contact_client::fairing());
    (Client::untracked(rocket).await.unwrap(), dir)
}

/// A submission as JSON from a page of `origin` to this server (`Host: localhost`), with no
/// cookie of ours.
async fn post_from(client: &Client, origin: &str, answer: &str) -> (Status, Option<String>, String) {
    let page = client.get("/").dispatch().await.into_string().await.unwrap();
    let token = input_value(&page, "captcha_token").unwrap();
    let mut body: serde_json::Map<String, serde_json::Value> =
        valid_fields().into_iter().map(|(k, v)| (k.to_string(), v.into())).collect();
    body.insert("captcha_token".into(), token.into());
    body.insert("captcha_answer".into(), answer.into());
    let res = client
        .post("/")
        .header(ContentType::JSON)
        .header(Header::new("Accept", "application/json"))
        .header(Header::new("Origin", origin.to_string()))
        .header(Header::new("Host", "localhost"))
        .body(serde_json::Value::Object(body).to_string())
        .dispatch()
        .await;
    let allow = res.headers().get_one("Access-Control-Allow-Origin").map(str::to_string);
    (res.status(), allow, res.into_string().await.unwrap_or_default())
}

#[rocket::async_test]
async fn without_allowed_origins_nothing_changes() {
    let (client, _dir) = untracked(&[]).await;
    let page = client.get("/").dispatch().await;
    assert_eq!(page.headers().get_one("X-Frame-Options"), Some("DENY"));
    assert!(page.headers().get_one("Content-Security-Policy").unwrap().ends_with("frame-ancestors 'none'"));
    assert_eq!(post_from(&client, SITE, CAPTCHA_ANSWER).await.0, Status::Forbidden);
    let preflight = client.options("/").header(Header::new("Origin", SITE)).dispatch().await;
    assert_eq!(preflight.status(), Status::Forbidden);
}

#[rocket::async_test]
async fn an_allowed_site_frames_the_form_and_posts_to_it_and_no_other() {
    let (client, _dir) =
        untracked(&[("allowed_origins", "https://site.example, http://localhost:4000")]).await;
    let page = client.get("/").header(Header::new("Origin", SITE)).dispatch().await;
    let csp = page.headers().get_one("Content-Security-Policy").unwrap().to_string();
    assert!(csp.ends_with("frame-ancestors 'self' https://site.example http://localhost:4000"), "{csp}");
    assert_eq!(page.headers().get_one("X-Frame-Options"), None);
    assert_eq!(page.headers().get_one("Access-Control-Allow-Origin"), Some(SITE));
    let html = page.into_string().await.unwrap().replace("&#x2f;", "/");
    assert!(
        html.contains("data-parents=\"https://site.example http://localhost:4000\""),
        "the frame tells its height"
    );
    let admin = client.get("/admin/login").dispatch().await;
    assert_eq!(admin.headers().get_one("X-Frame-Options"), Some("DENY"), "the admin is never framed");
    let other = client.get("/").header(Header::new("Origin", "https://evil.example")).dispatch().await;
    assert_eq!(other.headers().get_one("Access-Control-Allow-Origin"), None);

    for path in ["/", "/captcha/pow"] {
        let yes = client.options(path).header(Header::new("Origin", SITE)).dispatch().await;
        assert_eq!(yes.status(), Status::NoContent, "{path}");
        assert_eq!(yes.headers().get_one("Access-Control-Allow-Origin"), Some(SITE));
        assert_eq!(yes.headers().get_one("Access-Control-Allow-Methods"), Some("GET, POST"));
        let no = client.options(path).header(Header::new("Origin", "https://evil.example")).dispatch().await;
        assert_eq!(no.status(), Status::Forbidden, "{path}");
    }

    let (status, allow, body) = post_from(&client, SITE, CAPTCHA_ANSWER).await;
    assert_eq!((status, allow.as_deref()), (Status::SeeOther, Some(SITE)), "{body}");
    assert!(body.contains("\"ok\":true"));
    let (status, _, body) = post_from(&client, SITE, "wrong").await;
    assert_eq!(status, Status::UnprocessableEntity, "the bot check still applies: {body}");
    assert_eq!(post_from(&client, "https://evil.example", CAPTCHA_ANSWER).await.0, Status::Forbidden);
    let own = client.get("/").dispatch().await.into_string().await.unwrap();
    let framed_post = post_from(&client, "http://localhost", CAPTCHA_ANSWER).await.0;
    assert_eq!(
        framed_post,
        Status::SeeOther,
        "the form in a frame posts as its own origin, without a cookie"
    );
    assert!(own.contains("frame.js"));

    let script = client.get("/embed.js").dispatch().await;
    assert_eq!(script.status(), Status::Ok);
    assert_eq!(script.content_type(), Some(ContentType::JavaScript));
    assert!(script.into_string().await.unwrap().contains("contactClientHeight"));
}
