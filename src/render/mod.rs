//! Our own template environment over the embedded templates. A library must not attach
//! rocket_dyn_templates' fairing: a host that already has one would crash on the second.
//! Template names and helpers are namespaced (`contact/…`, `contact_base`, `contact_asset`) so
//! they can also live in a host's own engine (see [`register_into`]).

pub mod stencil;

use std::sync::Arc;

use minijinja::{Environment, Value};

use crate::assets::Overrides;
#[cfg(feature = "dyn-templates")]
use crate::assets::{fingerprint, Static, Templates};
use crate::config::BasePath;

#[derive(Debug, thiserror::Error)]
#[error("template {name} failed: {source}")]
pub struct RenderError {
    name: String,
    source: minijinja::Error,
}

#[derive(Clone)]
pub struct Renderer {
    env: Environment<'static>,
    overrides: Arc<Overrides>,
}

impl Renderer {
    /// Over the embedded templates, each replaced by the owner's file of the same name.
    pub fn new(base: &BasePath, overrides: Arc<Overrides>) -> Renderer {
        let mut env = Environment::new();
        let files = overrides.clone();
        env.set_loader(move |name| Ok(files.template(name)));
        let assets = overrides.clone();
        add_helpers(&mut env, base, move |name| assets.static_fingerprint(name));
        Renderer { env, overrides }
    }

    /// The pages tell the sites of `origins` their height when those show them in a frame.
    pub fn allow_parents(&mut self, origins: &[String]) {
        self.env.add_global("contact_frame_parents", origins.join(" "));
    }

    /// A static file: the owner's, else the embedded one.
    pub fn static_file(&self, name: &str) -> Option<crate::assets::StaticFile> {
        self.overrides.static_file(name)
    }

    /// Compiles every template of the owner's, so that a broken one stops the start naming its
    /// file instead of failing a visitor's page.
    pub fn check_overrides(&self) -> Result<(), RenderError> {
        for name in self.overrides.template_names() {
            self.env.get_template(name).map_err(|source| RenderError {
                name: format!("TEMPLATES_DIR/{}", Overrides::template_file(name)),
                source,
            })?;
        }
        Ok(())
    }

    pub fn render(&self, name: &str, ctx: Value) -> Result<String, RenderError> {
        self.env
            .get_template(name)
            .and_then(|t| t.render(ctx))
            .map_err(|source| RenderError { name: name.to_string(), source })
    }
}

/// `{{ contact_base }}/thanks` and `{{ contact_asset('style.css') }}` for an instance at `base`;
/// `fingerprint_of` gives a static file's fingerprint for its cache-busting URL.
fn add_helpers(
    env: &mut Environment<'static>,
    base: &BasePath,
    fingerprint_of: impl Fn(&str) -> Option<String> + Send + Sync + 'static,
) {
    let prefix = base.join("/").trim_end_matches('/').to_string();
    // Paths we build ourselves are safe; escaping would only turn `/` into `&#x2f;`.
    env.add_global("contact_base", Value::from_safe_string(prefix.clone()));
    env.add_function("contact_asset", move |name: &str| -> Value {
        Value::from_safe_string(match fingerprint_of(name) {
            Some(print) => format!("{prefix}/static/{name}?v={print}"),
            None => format!("{prefix}/static/{name}"),
        })
    });
}

/// Adds every embedded template (as `contact/…`) and the helpers they use to a host's minijinja
/// environment, e.g. rocket_dyn_templates' `engines.minijinja` inside `Template::custom`.
#[cfg(feature = "dyn-templates")]
pub fn register_into(env: &mut Environment<'static>, base: &BasePath) -> Result<(), minijinja::Error> {
    for (name, file) in Templates::iter().filter_map(|name| Templates::get(&name).map(|file| (name, file))) {
        env.add_template_owned(name.into_owned(), String::from_utf8_lossy(&file.data).into_owned())?;
    }
    add_helpers(env, base, |name| Static::get(name).map(|file| fingerprint(&file)));
    Ok(())
}
