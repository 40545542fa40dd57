//! Request and data guards: which instance, which client, rate limits, response format, CSRF,
//! the form body, the language.

pub mod app;
pub mod client_ip;
pub mod csrf;
pub mod form_body;
pub mod language;
pub mod limited;
pub mod session;
pub mod wants;

pub use app::App;
pub use csrf::CsrfToken;
pub use form_body::CheckedForm;
pub use language::Language;
pub use wants::Wants;
