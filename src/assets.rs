//! Templates and static files, embedded in the binary (in debug builds too), so the server
//! needs nothing from its working directory.

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
