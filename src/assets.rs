//! Templates and static files, embedded in the binary (in debug builds too), so the server
//! needs nothing from its working directory; and the owner's files that replace them by name
//! (`TEMPLATES_DIR`, `STATIC_DIR`), read once at start.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "templates/"]
pub struct Templates;

#[derive(RustEmbed)]
#[folder = "static/"]
pub struct Static;

/// A short fingerprint of a static file's content, for cache-busting URLs.
pub fn fingerprint(file: &rust_embed::EmbeddedFile) -> String {
    crate::crypto::hex(&file.metadata.sha256_hash()[..6])
}

/// The same fingerprint, of bytes read or made at start.
fn fingerprint_of(bytes: &[u8]) -> String {
    use sha2::Digest;
    crate::crypto::hex(&sha2::Sha256::digest(bytes)[..6])
}

/// The prefix of every embedded template's name.
const TEMPLATE_PREFIX: &str = "contact/";

/// A file the owner's directories can't give.
#[derive(Debug, thiserror::Error)]
#[error("{setting}: {file}: {problem}")]
pub struct OverrideError {
    setting: &'static str,
    file: String,
    problem: String,
}

/// A static file as served: its bytes and the fingerprint of its content.
pub struct StaticFile {
    pub data: StaticBytes,
    pub fingerprint: String,
}

/// A static file's bytes: built in, or the owner's, read once at start and shared (no copy a
/// request).
pub enum StaticBytes {
    Embedded(Cow<'static, [u8]>),
    Owner(Arc<[u8]>),
}

impl AsRef<[u8]> for StaticBytes {
    fn as_ref(&self) -> &[u8] {
        match self {
            StaticBytes::Embedded(bytes) => bytes,
            StaticBytes::Owner(bytes) => bytes,
        }
    }
}

/// The owner's files, by the name of the embedded file each replaces: `TEMPLATES_DIR/form.html`
/// is the template `contact/form.html`, `STATIC_DIR/style.css` the static file `style.css`.
#[derive(Default)]
pub struct Overrides {
    templates: HashMap<String, String>,
    statics: HashMap<String, Arc<[u8]>>,
    fingerprints: HashMap<String, String>,
}

impl Overrides {
    pub fn load(templates_dir: Option<&Path>, static_dir: Option<&Path>) -> Result<Overrides, OverrideError> {
        let mut overrides = Overrides::default();
        if let Some(dir) = templates_dir {
            for (name, bytes) in files_under(dir, "TEMPLATES_DIR")? {
                let text = String::from_utf8(bytes).map_err(|_| OverrideError {
                    setting: "TEMPLATES_DIR",
                    file: name.clone(),
                    problem: "is not UTF-8 text".into(),
                })?;
                overrides.templates.insert(format!("{TEMPLATE_PREFIX}{name}"), text);
            }
        }
        if let Some(dir) = static_dir {
            for (name, bytes) in files_under(dir, "STATIC_DIR")? {
                overrides.fingerprints.insert(name.clone(), fingerprint_of(&bytes));
                overrides.statics.insert(name, Arc::from(bytes));
            }
        }
        Ok(overrides)
    }

    /// A static file the server makes at start (`name`), unless the owner's directory has a
    /// file of that name.
    pub fn add_made(&mut self, name: String, bytes: Vec<u8>) {
        if !self.statics.contains_key(&name) {
            self.fingerprints.insert(name.clone(), fingerprint_of(&bytes));
            self.statics.insert(name, Arc::from(bytes));
        }
    }

    /// A template's source: the owner's, else the embedded one.
    pub fn template(&self, name: &str) -> Option<String> {
        match self.templates.get(name) {
            Some(text) => Some(text.clone()),
            None => Templates::get(name).map(|file| String::from_utf8_lossy(&file.data).into_owned()),
        }
    }

    /// The names of the owner's templates, for checking them at start.
    pub fn template_names(&self) -> impl Iterator<Item = &str> {
        self.templates.keys().map(String::as_str)
    }

    /// The file of the owner's TEMPLATES_DIR a template name comes from.
    pub fn template_file(name: &str) -> &str {
        name.strip_prefix(TEMPLATE_PREFIX).unwrap_or(name)
    }

    /// A static file: the owner's, else the embedded one.
    pub fn static_file(&self, name: &str) -> Option<StaticFile> {
        match (self.statics.get(name), self.fingerprints.get(name)) {
            (Some(data), Some(print)) => {
                Some(StaticFile { data: StaticBytes::Owner(Arc::clone(data)), fingerprint: print.clone() })
            }
            _ => Static::get(name).map(|file| StaticFile {
                fingerprint: fingerprint(&file),
                data: StaticBytes::Embedded(file.data),
            }),
        }
    }

    /// A static file's fingerprint, without copying it.
    pub fn static_fingerprint(&self, name: &str) -> Option<String> {
        self.fingerprints.get(name).cloned().or_else(|| Static::get(name).map(|file| fingerprint(&file)))
    }
}

/// Every regular file under `dir`, by its path relative to `dir` with `/` between parts.
fn files_under(dir: &Path, setting: &'static str) -> Result<Vec<(String, Vec<u8>)>, OverrideError> {
    let fail =
        |file: &Path, problem: String| OverrideError { setting, file: file.display().to_string(), problem };
    let mut found = Vec::new();
    let mut pending: Vec<PathBuf> = vec![dir.to_path_buf()];
    while let Some(at) = pending.pop() {
        let entries = std::fs::read_dir(&at).map_err(|e| fail(&at, e.kind().to_string()))?;
        for entry in entries {
            let path = entry.map_err(|e| fail(&at, e.kind().to_string()))?.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.is_file() {
                let relative = path.strip_prefix(dir).unwrap_or(&path);
                let name = relative
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                let bytes = std::fs::read(&path).map_err(|e| fail(relative, e.kind().to_string()))?;
                found.push((name, bytes));
            }
        }
    }
    Ok(found)
}
