//! The one fairing that brings the whole system into a Rocket app: on ignite it validates the
//! configuration, builds the instance's state, and mounts routes and catchers under the base
//! path; on every response under that path it adds the security headers.

use std::sync::{Arc, OnceLock};
use std::time::Instant;

use rocket::fairing::{self, Fairing, Info, Kind};
use rocket::http::Header;
use rocket::{Build, Data, Orbit, Request, Response, Rocket};

use crate::clock::Clock;
use crate::config::secrets::{self, Mode};
use crate::config::{BasePath, Config};
use crate::guards::language::language_of;
use crate::guards::App;
use crate::state::{ContactState, Instances};
use crate::{errors, headers, routes};

/// Mounts ContactClient. Built by [`fairing`] (configuration from the host's `contact`
/// section) or [`ContactClient::from_config`].
pub struct ContactClient {
    config: Option<Config>,
    clock: Clock,
    generate_secrets: bool,
    mounted: OnceLock<Mounted>,
}

/// When a request began (set on every request, read for those under the base path).
struct Began(Instant);

/// Where the instance answers, known from ignition on; checked on every response.
struct Mounted {
    base: BasePath,
    admin: BasePath,
    /// The challenges' paths, which other sites' pages may fetch (CORS) like the form itself.
    captcha: BasePath,
}

/// The fairing configured from the `contact` section of the host's figment
/// (`[default.contact]` in its Rocket.toml).
pub fn fairing() -> ContactClient {
    ContactClient { config: None, clock: Clock::system(), generate_secrets: false, mounted: OnceLock::new() }
}

impl ContactClient {
    /// The fairing with a configuration made (and validated) by code.
    pub fn from_config(config: Config) -> ContactClient {
        ContactClient { config: Some(config), ..fairing() }
    }

    /// Like the appliance: secrets missing from the `contact` section are generated once into
    /// `data_dir/secrets.env` (0600) and reused. Off unless asked for: a library writes no
    /// files of its own accord.
    pub fn generate_missing_secrets(mut self) -> ContactClient {
        self.generate_secrets = true;
        self
    }

    /// Runs the instance on `clock` (tests move it forward instead of sleeping).
    pub fn with_clock(mut self, clock: Clock) -> ContactClient {
        self.clock = clock;
        self
    }
}

#[rocket::async_trait]
impl Fairing for ContactClient {
    fn info(&self) -> Info {
        Info {
            name: "ContactClient",
            kind: Kind::Ignite | Kind::Liftoff | Kind::Request | Kind::Response | Kind::Shutdown,
        }
    }

    async fn on_ignite(&self, rocket: Rocket<Build>) -> fairing::Result {
        let config = match &self.config {
            Some(config) => Ok(config.clone()),
            None if self.generate_secrets => secrets::bootstrap(rocket.figment().clone(), Mode::Write)
                .and_then(|(fig, report)| {
                    if !report.generated.is_empty() {
                        log::warn!(
                            "ContactClient generated {} into {}",
                            report.generated.join(", "),
                            report.path.display()
                        );
                    }
                    if let Some(totp) = &report.new_totp_secret {
                        log::warn!(
                            "ContactClient admin TOTP enrolment (shown once): {}",
                            secrets::otpauth_uri(totp)
                        );
                    }
                    Config::from_figment(&fig)
                }),
            None => Config::from_figment(rocket.figment()),
        };
        let state = match config {
            Ok(config) => ContactState::build(config, self.clock.clone()).await,
            Err(e) => Err(e.into()),
        };
        let state = match state {
            Ok(state) => state,
            Err(e) => {
                log::error!("ContactClient cannot start: {e}");
                return Err(rocket);
            }
        };
        if state.config.captcha_test_answer.is_some() {
            log::warn!(
                "WARNING: CAPTCHA_TEST_ANSWER is set: every challenge has a known answer. Test use only."
            );
        }
        let base = state.config.base_path.clone();
        let _ = self.mounted.set(Mounted {
            admin: base.below("/admin"),
            captcha: base.below("/captcha"),
            base: base.clone(),
        });
        let state = Arc::new(state);
        let rocket = match rocket.state::<Instances>() {
            Some(instances) => {
                instances.add(state);
                rocket
            }
            None => {
                let instances = Instances::default();
                instances.add(state);
                rocket.manage(instances)
            }
        };
        Ok(rocket
            .mount(base.as_str(), routes::routes())
            .register(base.as_str(), errors::catchers())
            .register(base.join("/admin"), routes::admin_catchers()))
    }

    /// When the request began, for its duration in the metrics.
    async fn on_request(&self, req: &mut Request<'_>, _data: &mut Data<'_>) {
        req.local_cache(|| Began(Instant::now()));
    }

    async fn on_response<'r>(&self, req: &'r Request<'_>, res: &mut Response<'r>) {
        let path = req.uri().path();
        let Some(mounted) = self.mounted.get().filter(|m| m.base.contains(path.as_str())) else {
            return;
        };
        if let Some(app) = App::of(req) {
            let route = req.route().map_or("unmatched", |r| r.uri.unmounted_origin.path().as_str());
            let took = req.local_cache(|| Began(Instant::now())).0.elapsed();
            app.metrics.request_answered(route, res.status().code, took.as_secs_f64());
            let worded = res.content_type().is_some_and(|c| c.is_html() || c.is_json());
            if worded && app.render.languages().several() {
                res.set_header(Header::new("Content-Language", language_of(req).code()));
            }
        }
        headers::secure(res);
        if mounted.admin.contains(path.as_str()) {
            res.set_header(Header::new("Cache-Control", "no-store"));
            return;
        }
        let Some(app) = App::of(req).filter(|app| !app.config.allowed_origins.is_empty()) else {
            return;
        };
        headers::allow_framing(res, &app.config.allowed_origins);
        let the_form = path.as_str().trim_end_matches('/') == mounted.base.as_str().trim_end_matches('/');
        let open_to_sites = the_form || mounted.captcha.contains(path.as_str());
        if let Some(origin) =
            req.headers().get_one("Origin").filter(|o| app.config.allowed_origins.iter().any(|a| a == o))
        {
            if open_to_sites {
                headers::allow_origin(res, origin);
            }
        }
    }

    /// The notification worker and the retention purge start with the server, on its runtime.
    async fn on_liftoff(&self, rocket: &Rocket<Orbit>) {
        let mine = self.mounted.get().zip(rocket.state::<Instances>());
        if let Some(state) = mine.and_then(|(mounted, instances)| instances.for_path(mounted.base.as_str())) {
            state.notifier.start(state.store.clone(), state.vault.clone(), state.clock.clone());
            state.retention.start(state.store.clone(), state.clock.clone());
            match state.store.enrolled_users().await {
                Ok(0) => {}
                Ok(n) => log::info!(
                    "admin: {n} user{} sign in by name; the shared TOTP_SECRET sign-in is off",
                    if n == 1 { "" } else { "s" }
                ),
                Err(e) => log::warn!("admin: the users cannot be counted ({e})"),
            }
        }
    }

    async fn on_shutdown(&self, rocket: &Rocket<Orbit>) {
        if let Some(instances) = rocket.state::<Instances>() {
            for state in instances.all() {
                state.notifier.stop();
                state.retention.stop();
                state.store.close().await;
            }
        }
    }
}
