//! Our own template environment over the embedded templates. A library must not attach
//! rocket_dyn_templates' fairing: a host that already has one would crash on the second.
//! Template names and helpers are namespaced (`contact/…`, `contact_base`, `contact_asset`) so
//! they can also live in a host's own engine (see [`register_into`]).

pub mod stencil;

use minijinja::{Environment, Value};

use crate::assets::{fingerprint, Static, Templates};
use crate::config::BasePath;

#[derive(Debug, thiserror::Error)]
#[error("template {name} failed: {source}")]
pub struct RenderError {
    name: String,
    source: minijinja::Error,
}

pub struct Renderer {
    env: Environment<'static>,
}

impl Renderer {
    pub fn new(base: &BasePath) -> Renderer {
        let mut env = Environment::new();
        env.set_loader(|name| {
            Ok(Templates::get(name).map(|file| String::from_utf8_lossy(&file.data).into_owned()))
        });
        add_helpers(&mut env, base);
        Renderer { env }
    }

    pub fn render(&self, name: &str, ctx: Value) -> Result<String, RenderError> {
        self.env
            .get_template(name)
            .and_then(|t| t.render(ctx))
            .map_err(|source| RenderError { name: name.to_string(), source })
    }
}

/// `{{ contact_base }}/thanks` and `{{ contact_asset('style.css') }}` for an instance at `base`.
fn add_helpers(env: &mut Environment<'static>, base: &BasePath) {
    let prefix = base.join("/").trim_end_matches('/').to_string();
    // Paths we build ourselves are safe; escaping would only turn `/` into `&#x2f;`.
    env.add_global("contact_base", Value::from_safe_string(prefix.clone()));
    env.add_function("contact_asset", move |name: &str| -> Value {
        Value::from_safe_string(match Static::get(name) {
            Some(file) => format!("{prefix}/static/{name}?v={}", fingerprint(&file)),
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
    add_helpers(env, base);
    Ok(())
}
