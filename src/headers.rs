//! The security headers of every response under the base path: set by the fairing on the way
//! out, and by the error pages themselves, because Rocket answers a request it could not
//! parse (an unknown method) through the catchers without running any fairing.

use rocket::http::Header;
use rocket::Response;

/// The policy, up to where it says who may frame the page.
const CSP_BEFORE_FRAMING: &str =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     media-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors";

const SECURITY_HEADERS: &[(&str, &str)] = &[
    (
        "Content-Security-Policy",
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
         media-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
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

/// A public page that the sites of `origins` may show in a frame: `frame-ancestors` names them
/// and `X-Frame-Options` (which can't) goes.
pub fn allow_framing(res: &mut Response<'_>, origins: &[String]) {
    res.set_header(Header::new(
        "Content-Security-Policy",
        format!("{CSP_BEFORE_FRAMING} 'self' {}", origins.join(" ")),
    ));
    res.remove_header("X-Frame-Options");
}

/// A response another site's page may read (its fetch of the form or a challenge).
pub fn allow_origin(res: &mut Response<'_>, origin: &str) {
    res.set_header(Header::new("Access-Control-Allow-Origin", origin.to_string()));
    res.set_header(Header::new("Vary", "Origin"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_framing_policy_is_the_same_policy_but_for_its_ancestors() {
        let csp = SECURITY_HEADERS[0].1;
        assert_eq!(csp, format!("{CSP_BEFORE_FRAMING} 'none'"));
    }
}
