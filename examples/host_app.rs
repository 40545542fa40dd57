//! A host site with its own pages and templates that mounts ContactClient at `/contact`.
//!
//! Run it from the repository root: `cargo run --example host_app`, then open
//! http://127.0.0.1:8000/ (the host) and http://127.0.0.1:8000/contact (ContactClient).
//! Its configuration is `Rocket.toml`: `[default.contact]` is ContactClient's section.

use rocket::figment::Figment;
use rocket::{get, routes, Build, Rocket};
use rocket_dyn_templates::{context, Template};

#[get("/")]
fn home() -> Template {
    Template::render("home", context! { company: "Acme Widgets" })
}

#[get("/about")]
fn about() -> &'static str {
    "Acme Widgets: fine widgets since 1999."
}

/// The host's Rocket, configured by `figment`: its own routes and Template fairing, plus
/// ContactClient from the figment's `contact` section.
pub fn host(figment: Figment) -> Rocket<Build> {
    rocket::custom(figment)
        .mount("/", routes![home, about])
        .attach(Template::fairing())
        .attach(contact_client::fairing().generate_missing_secrets())
}

#[rocket::main]
#[allow(dead_code)] // the integration test includes this file and calls `host` directly
async fn main() {
    if let Err(e) = host(rocket::Config::figment()).launch().await {
        eprintln!("host_app: {e}");
        std::process::exit(1);
    }
}
