//! The security headers of every response under the base path: set by the fairing on the way
//! out, and by the error pages themselves, because Rocket answers a request it could not
//! parse (an unknown method) through the catchers without running any fairing.

use rocket::http::Header;
use rocket::Response;

const SECURITY_HEADERS: &[(&str, &str)] = &[
    (
        "Content-Security-Policy",
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
         media-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    ),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "same-origin"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
];

pub fn secure(res: &mut Response<'_>) {
    for (name, value) in SECURITY_HEADERS {
        res.set_header(Header::new(*name, *value));
    }
}
