//! Request and data guards: which instance, which response format, CSRF, the form body.

pub mod app;
pub mod csrf;
pub mod form_body;
pub mod wants;

pub use app::App;
pub use csrf::CsrfToken;
pub use form_body::CheckedForm;
pub use wants::Wants;
