//! Our own template environment over the embedded templates. A library must not attach
//! rocket_dyn_templates' fairing: a host that already has one would crash on the second.
//! Template names and helpers are namespaced (`contact/…`, `contact_base`, `contact_asset`) so
//! they can also live in a host's own engine (see [`register_into`]).

pub mod stencil;

use std::sync::Arc;

use minijinja::value::Kwargs;
use minijinja::{context, Environment, State, Value};

use crate::assets::Overrides;
#[cfg(feature = "dyn-templates")]
use crate::assets::{fingerprint, Static, Templates};
use crate::config::BasePath;
use crate::i18n::{Args, Catalogs, Lang, Languages};

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
    catalogs: Arc<Catalogs>,
    languages: Languages,
}

impl Renderer {
    /// Over the embedded templates, each replaced by the owner's file of the same name, in the
    /// `languages` offered.
    pub fn new(
        base: &BasePath,
        mut overrides: Overrides,
        catalogs: Arc<Catalogs>,
        languages: &Languages,
    ) -> Renderer {
        for lang in Lang::SHIPPED {
            overrides
                .add_made(format!("words-{}.js", lang.code()), script_words(&catalogs, lang).into_bytes());
        }
        let overrides = Arc::new(overrides);
        let mut env = Environment::new();
        let files = overrides.clone();
        env.set_loader(move |name| Ok(files.template(name)));
        let assets = overrides.clone();
        add_helpers(&mut env, base, catalogs.clone(), move |name| assets.static_fingerprint(name));
        if languages.several() {
            let menu: Vec<Value> = languages
                .offered()
                .iter()
                .map(|lang| context! { code => lang.code(), name => lang.autonym() })
                .collect();
            env.add_global("contact_languages", menu);
        }
        Renderer { env, overrides, catalogs, languages: languages.clone() }
    }

    pub fn catalogs(&self) -> &Catalogs {
        &self.catalogs
    }

    pub fn languages(&self) -> &Languages {
        &self.languages
    }

    /// What a public page's links add to keep the language it was shown in (a framed form may
    /// get no cookie of ours): `?lang=de`, or nothing where only one language is offered.
    pub fn lang_query(&self, lang: Lang) -> String {
        if self.languages.several() {
            format!("?lang={}", lang.code())
        } else {
            String::new()
        }
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

    /// The template `name` in `lang`.
    pub fn render(&self, name: &str, lang: Lang, ctx: Value) -> Result<String, RenderError> {
        let ctx =
            context! { contact_lang => lang.code(), contact_lang_query => self.lang_query(lang), ..ctx };
        self.env
            .get_template(name)
            .and_then(|t| t.render(ctx))
            .map_err(|source| RenderError { name: name.to_string(), source })
    }
}

/// The language a template is being rendered in (`contact_lang`); English in a host's engine
/// that never set it.
fn lang_of(state: &State) -> Lang {
    state.lookup("contact_lang").and_then(|v| v.as_str().and_then(Lang::parse)).unwrap_or(Lang::En)
}

/// `{{ contact_t("form-heading") }}`, `{{ contact_t("pager-position", page=2, pages=5, total=90) }}`:
/// a catalog message in the page's language, its variables given as keyword arguments.
fn translate(
    catalogs: &Catalogs,
    state: &State,
    id: &str,
    kwargs: Kwargs,
) -> Result<String, minijinja::Error> {
    // Borrowed from the arguments, not copied: a list page words a status on every row.
    let mut args = Args::new();
    for key in kwargs.args() {
        if let Ok(number) = kwargs.get::<i64>(key) {
            args.set(key, number);
        } else if let Ok(text) = kwargs.get::<&str>(key) {
            args.set(key, text);
        } else {
            args.set(key, kwargs.get::<Value>(key)?.to_string());
        }
    }
    Ok(catalogs.format(lang_of(state), id, Some(&args)))
}

/// `words-<lang>.js`: the messages the form's scripts show (`js-*`, and the field checks they
/// mirror) in `lang`, as `window.contactWords`; a variable stays `{name}` for the script to fill
/// in. A file of its own, not part of the page: the browser keeps it, and every form page is
/// 3 KB lighter for the server to send.
fn script_words(catalogs: &Catalogs, lang: Lang) -> String {
    let mut words = serde_json::Map::new();
    for (id, variables) in catalogs.messages(Lang::En) {
        if !(id.starts_with("js-") || id.starts_with("field-")) {
            continue;
        }
        let mut args = Args::new();
        for variable in variables {
            args.set(variable.clone(), format!("{{{variable}}}"));
        }
        words.insert(id.clone(), catalogs.format(lang, id, Some(&args)).into());
    }
    format!("window.contactWords = {};\n", serde_json::Value::Object(words))
}

/// `{{ contact_base }}/thanks` and `{{ contact_asset('style.css') }}` for an instance at `base`;
/// `fingerprint_of` gives a static file's fingerprint for its cache-busting URL.
fn add_helpers(
    env: &mut Environment<'static>,
    base: &BasePath,
    catalogs: Arc<Catalogs>,
    fingerprint_of: impl Fn(&str) -> Option<String> + Send + Sync + 'static,
) {
    env.add_global("contact_lang", Lang::En.code());
    env.add_global("contact_lang_query", "");
    env.add_function("contact_t", move |state: &State, id: &str, kwargs: Kwargs| {
        translate(&catalogs, state, id, kwargs)
    });
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
    add_helpers(env, base, Arc::new(Catalogs::shipped()), |name| {
        Static::get(name).map(|file| fingerprint(&file))
    });
    Ok(())
}
