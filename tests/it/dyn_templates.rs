//! A host that uses rocket_dyn_templates with its own templates keeps working beside
//! ContactClient, and can pull our templates into its own engine.

use rocket::http::Status;
use rocket::local::asynchronous::Client;
use rocket::{get, routes};
use rocket_dyn_templates::{context, Template};

#[get("/page")]
fn page() -> Template {
    Template::render("page", context! {})
}

#[get("/wrapped-thanks")]
fn wrapped() -> Template {
    Template::render("contact_thanks_wrapper", context! {})
}

#[rocket::async_test]
async fn host_templates_and_ours_live_side_by_side() {
    let dir = tempfile::tempdir().unwrap();
    let figment = crate::helpers::figment(&dir, &[("base_path", "/contact")])
        .merge(("template_dir", concat!(env!("CARGO_MANIFEST_DIR"), "/tests/host_templates")));
    let rocket = rocket::custom(figment)
        .mount("/", routes![page, wrapped])
        .attach(Template::custom(|engines| {
            contact_client::dyn_templates::register(engines, "/contact").expect("our templates register");
        }))
        .attach(contact_client::fairing());
    let client =
        Client::tracked(rocket).await.expect("no duplicate-state panic: we attach no Template fairing");

    let host = client.get("/page").dispatch().await;
    assert_eq!(host.status(), Status::Ok);
    assert!(host.into_string().await.unwrap().contains("Host's own template"));

    let wrapped = client.get("/wrapped-thanks").dispatch().await;
    assert_eq!(wrapped.status(), Status::Ok);
    let html = wrapped.into_string().await.unwrap();
    assert!(html.contains("host-frame") && html.contains("Thank you"));
    assert!(html.contains("href=\"/contact/static/style.css?v="), "helpers point at the mount point: {html}");

    let form = client.get("/contact").dispatch().await;
    assert_eq!(form.status(), Status::Ok);
    assert!(form.into_string().await.unwrap().contains("action=\"/contact/\""));
}
