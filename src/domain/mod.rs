//! Domain values, parsed once from what a visitor typed and trusted after.

mod admin_user;
mod email;
mod message;
mod name;
mod phone;
mod preferred_time;
mod status;
mod submission;
mod text;
mod time_zone;
mod verdict;

pub use admin_user::{Role, UserName};
pub use email::Email;
pub use message::Message;
pub use name::Name;
pub use phone::Phone;
pub use preferred_time::{readable_in_zone, PreferredTime};
pub use status::Status;
pub use submission::{ContactDetails, ContactInput, FieldErrors, ParseRules};
pub use time_zone::TimeZone;
pub use verdict::PhoneVerdict;
