//! What a signed-in admin sees: stored rows opened with the vault, the dashboard's listing and
//! search, decrypted exports.

pub mod export;
pub mod listing;
pub mod people;
pub mod view;
