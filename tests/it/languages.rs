//! Every page, error and email in the visitor's language: `Accept-Language` among `LANGUAGES`,
//! `?lang=` to switch (kept in a cookie, and in the public pages' links), `<html lang>`.

use std::time::Duration;

use rocket::http::{ContentType, Cookie, Header, Status};
use rocket::local::asynchronous::{Client, LocalResponse};

use crate::helpers::receivers::{SmtpOptions, SmtpServer};
use crate::helpers::*;

const ALL: (&str, &str) = ("languages", "en,de,fr,es");

async fn page(client: &Client, path: &str, accept: Option<&str>) -> (Status, String) {
    let mut req = client.get(path.to_string());
    if let Some(accept) = accept {
        req = req.header(Header::new("Accept-Language", accept.to_string()));
    }
    let res = req.dispatch().await;
    (res.status(), res.into_string().await.unwrap_or_default())
}

/// Posts `fields` from the form page shown in `lang`, with its tokens and `answer` to the CAPTCHA.
async fn post_in<'c>(
    c: &'c Client,
    lang: &str,
    mut fields: Vec<(&'static str, String)>,
    answer: &str,
) -> LocalResponse<'c> {
    let path = format!("/?lang={lang}");
    let tokens = form_tokens(c, &path).await;
    fields.extend([
        ("csrf_token", tokens.csrf),
        ("captcha_token", tokens.captcha),
        ("captcha_answer", answer.into()),
    ]);
    c.post(path).header(ContentType::Form).body(encode(&fields)).dispatch().await
}

fn html_lang(html: &str) -> &str {
    let at = html.find("<html lang=\"").expect("an html element with lang") + "<html lang=\"".len();
    &html[at..at + html[at..].find('"').unwrap()]
}

#[rocket::async_test]
async fn the_browser_s_language_is_picked_among_those_offered() {
    let app = app_with(&[ALL]).await;
    let c = &app.client;
    for (accept, lang, heading) in [
        (Some("de-DE,de;q=0.9,en;q=0.5"), "de", "Schreiben Sie uns"),
        (Some("fr-CA"), "fr", "Prenons contact"),
        (Some("es;q=0.9, ja"), "es", "Póngase en contacto"),
        (Some("ja, en-GB;q=0.3"), "en", "Get in touch"),
        (None, "en", "Get in touch"),
    ] {
        let (status, html) = page(c, "/", accept).await;
        assert_eq!(status, Status::Ok);
        assert_eq!(html_lang(&html), lang, "{accept:?}");
        assert!(html.contains(heading), "{accept:?}: {heading}");
    }
    let (_, html) = page(c, "/", Some("de")).await;
    for (code, name) in [("en", "English"), ("de", "Deutsch"), ("fr", "Français"), ("es", "Español")] {
        let link = format!("<a href=\"?lang={code}\" lang=\"{code}\" hreflang=\"{code}\"");
        assert!(html.contains(&link) && html.contains(name), "the menu offers {code}");
    }
    assert!(html.contains("aria-current=\"true\">Deutsch</a>"), "the menu marks the page's language");
}

#[rocket::async_test]
async fn only_the_offered_languages_are_used_and_one_language_shows_no_menu() {
    let app = app_with(&[("languages", "es,fr")]).await;
    let (_, html) = page(&app.client, "/", Some("de, en")).await;
    assert_eq!(html_lang(&html), "es", "none offered is asked for: the first offered");
    let (_, html) = page(&app.client, "/?lang=de", Some("fr")).await;
    assert_eq!(html_lang(&html), "fr", "?lang= of a language not offered is ignored");

    let single = crate::helpers::app().await;
    let (_, html) = page(&single.client, "/?lang=de", Some("de")).await;
    assert_eq!(html_lang(&html), "en");
    assert!(!html.contains("class=\"languages\""), "no menu for one language");
    assert!(html.contains("action=\"/\""), "links name no language");
}

#[rocket::async_test]
async fn lang_in_the_address_wins_and_is_kept() {
    let app = app_with(&[ALL]).await;
    let c = &app.client;
    let res = c.get("/?lang=fr").header(Header::new("Accept-Language", "de")).dispatch().await;
    let cookie = res.cookies().get("cc_lang").map(|c| c.value().to_string());
    assert_eq!(cookie.as_deref(), Some("fr"), "the choice is remembered");
    let html = res.into_string().await.unwrap();
    assert_eq!(html_lang(&html), "fr");
    assert!(html.contains("action=\"/?lang=fr\""), "the form posts in the page's language");
    let (_, html) = page(c, "/thanks", Some("de")).await;
    assert_eq!(html_lang(&html), "fr", "the cookie wins over Accept-Language");
    assert!(html.contains("Merci") && html.contains("href=\"/?lang=fr\""));
    let (_, login) = page(c, "/admin/login", Some("de")).await;
    assert!(login.contains("<h1>Se connecter</h1>"), "the admin's pages keep it too");
    assert!(login.contains("<a href=\"?lang=de\" lang=\"de\""), "the admin's bar has the menu");
    let res = c.get("/thanks").dispatch().await;
    assert_eq!(res.headers().get_one("Content-Language"), Some("fr"));
    let (_, html) = page(c, "/?lang=es", None).await;
    assert_eq!(html_lang(&html), "es", "a new choice replaces it");
}

#[rocket::async_test]
async fn field_errors_come_in_the_page_s_language_as_html_and_json() {
    let app = app_with(&[ALL]).await;
    let c = &app.client;
    let res = post_in(c, "de", with(valid_fields(), "email", "not-an-address"), "wrong").await;
    assert_eq!(res.status(), Status::UnprocessableEntity);
    let html = res.into_string().await.unwrap();
    assert_eq!(html_lang(&html), "de");
    assert!(html.contains("Bitte prüfen Sie diese 2 Felder"), "{html}");
    assert!(html.contains("Bitte geben Sie eine gültige E-Mail-Adresse ein, etwa name@example.com."));
    assert!(html.contains("Das passte nicht zum Bild"));
    // The scripts' words: a file of the page's language, kept by the browser.
    let words = html.split("src=\"").find(|s| s.starts_with("/static/words-de.js?v=")).expect("the words");
    let words = c.get(words.split('"').next().unwrap().to_string()).dispatch().await;
    assert_eq!(words.content_type(), Some(ContentType::JavaScript));
    let words = words.into_string().await.unwrap();
    assert!(words.contains("\"field-name-missing\":\"Bitte geben Sie Ihren Namen ein.\""), "{words}");

    // A JSON client of its own (no language cookie): its Accept-Language decides.
    let json_app = app_with(&[ALL]).await;
    let c = &json_app.client;
    let tokens = form_tokens(c, "/").await;
    let mut fields = with(valid_fields(), "name", "");
    fields.extend([("csrf_token", tokens.csrf), ("captcha_token", tokens.captcha)]);
    let res = c
        .post("/")
        .header(ContentType::Form)
        .header(Header::new("Accept", "application/json"))
        .header(Header::new("Accept-Language", "es-MX"))
        .body(encode(&fields))
        .dispatch()
        .await;
    let body: serde_json::Value = serde_json::from_str(&res.into_string().await.unwrap()).unwrap();
    assert_eq!(body["errors"]["name"], "Escriba su nombre.");
    assert_eq!(body["errors"]["captcha_answer"], "Escriba los caracteres de la imagen.");
}

#[rocket::async_test]
async fn error_pages_and_json_errors_speak_the_language() {
    let app = app_with(&[ALL]).await;
    let c = &app.client;
    let (status, html) = page(c, "/no-such-page", Some("fr")).await;
    assert_eq!(status, Status::NotFound);
    assert_eq!(html_lang(&html), "fr");
    assert!(html.contains("<h1>Introuvable</h1>") && html.contains("Il n’y a rien à cette adresse."));
    let res = c
        .get("/no-such-page")
        .header(Header::new("Accept", "application/json"))
        .header(Header::new("Accept-Language", "de"))
        .dispatch()
        .await;
    let body: serde_json::Value = serde_json::from_str(&res.into_string().await.unwrap()).unwrap();
    assert_eq!(body["error"], "Unter dieser Adresse gibt es nichts.");
    let res = c
        .get("/admin")
        .header(Header::new("Accept", "application/json"))
        .header(Header::new("Accept-Language", "es"))
        .dispatch()
        .await;
    assert_eq!(res.status(), Status::Unauthorized);
    let body: serde_json::Value = serde_json::from_str(&res.into_string().await.unwrap()).unwrap();
    assert_eq!(body["error"], "Inicie sesión primero.");
}

#[rocket::async_test]
async fn a_submission_keeps_its_language_through_thanks_admin_and_export() {
    let app = app_with(&[ALL]).await;
    let c = &app.client;
    let res = post_in(c, "de", valid_fields(), CAPTCHA_ANSWER).await;
    assert_eq!(res.status(), Status::SeeOther);
    assert_eq!(res.headers().get_one("Location"), Some("/thanks?lang=de"));
    let (_, thanks) = page(c, "/thanks?lang=de", None).await;
    assert!(thanks.contains("<h1>Vielen Dank</h1>"));

    c.cookies().add(Cookie::new("cc_lang", "de"));
    sign_in(c).await;
    let (_, list) = page(c, "/admin", None).await;
    assert_eq!(html_lang(&list), "de");
    for word in ["<h1>Anfragen</h1>", "Abmelden", ">neu</span>", "Gewünschte Zeit"] {
        assert!(list.contains(word), "{word}");
    }
    let (_, detail) = page(c, "/admin/submissions/1", None).await;
    assert!(detail.contains("Notiz hinzufügen") && detail.contains("Telefon"), "{detail}");
    let weekdays = ["Mo ", "Di ", "Mi ", "Do ", "Fr ", "Sa ", "So "];
    assert!(weekdays.iter().any(|d| detail.contains(&format!("<dd>{d}"))), "the weekday in German");
    let res = c.get("/admin/export.csv").dispatch().await;
    let csv = res.into_string().await.unwrap();
    assert!(csv.lines().next().unwrap().ends_with(",status,time_zone"), "the export's columns are unchanged");
}

#[rocket::async_test]
async fn each_language_has_its_own_blank_form_within_a_minute() {
    let app = app_with(&[ALL]).await;
    let c = &app.client;
    let mut seen = Vec::new();
    for lang in ["en", "de", "fr", "es", "de", "en"] {
        let (_, html) = page(c, &format!("/?lang={lang}"), None).await;
        assert_eq!(html_lang(&html), lang);
        seen.push(input_value(&html, "captcha_token").unwrap());
    }
    seen.dedup();
    assert_eq!(seen.len(), 6, "each page has its own tokens");
}

#[rocket::async_test]
async fn the_visitor_s_receipt_is_in_their_language_and_the_owner_s_in_the_default() {
    let Some(smtp) = SmtpServer::start(SmtpOptions::default()) else { return };
    let url = smtp.url();
    let app = app_with(&[
        ("languages", "en,de"),
        ("notify.email_to", "owner@example.com"),
        ("notify.smtp_url", &url),
        ("notify.confirm_visitor", "true"),
    ])
    .await;
    let c = &app.client;
    let res = post_in(c, "de", valid_fields(), CAPTCHA_ANSWER).await;
    assert_eq!(res.status(), Status::SeeOther);
    let mails = smtp.wait_for(2, Duration::from_secs(20)).await;
    assert_eq!(mails.len(), 2);
    let text = |m: &serde_json::Value| m["data"].as_str().unwrap().replace("=\r\n", "").replace("\r\n", "\n");
    let receipt = mails.iter().map(text).find(|t| t.contains("Subject: Wir haben Ihre Anfrage erhalten"));
    let receipt = receipt.expect("the visitor's receipt, in German");
    assert!(receipt.contains("Hallo,") && receipt.contains("Content-Type: text/html"), "{receipt}");
    let owner = mails.iter().map(text).find(|t| t.contains("Subject: New contact request #1"));
    let owner = owner.expect("the owners' email, in the default language");
    assert!(owner.contains("Language: Deutsch"), "it says which language the visitor wrote in: {owner}");
}
