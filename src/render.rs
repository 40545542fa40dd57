//! Our own template environment over the embedded templates. A library must not attach
//! rocket_dyn_templates' fairing: a host that already has one would crash on the second.

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
        // `{{ base }}/thanks` works for every mount point, `/` included.
        let prefix = base.join("/").trim_end_matches('/').to_string();
        // Paths we build ourselves are safe; escaping would only turn `/` into `&#x2f;`.
        env.add_global("base", Value::from_safe_string(prefix.clone()));
        env.add_function("asset", move |name: &str| -> Value {
            Value::from_safe_string(match Static::get(name) {
                Some(file) => format!("{prefix}/static/{name}?v={}", fingerprint(&file)),
                None => format!("{prefix}/static/{name}"),
            })
        });
        Renderer { env }
    }

    pub fn render(&self, name: &str, ctx: Value) -> Result<String, RenderError> {
        self.env
            .get_template(name)
            .and_then(|t| t.render(ctx))
            .map_err(|source| RenderError { name: name.to_string(), source })
    }
}
