//! The NumVerify client. Two endpoint forms: the classic `apilayer.net/api/validate` with the
//! key in `access_key`, and `api.apilayer.com/number_verification/validate` with the key in an
//! `apikey` header. Errors arrive with 200 or 4xx depending on the endpoint, so the body
//! decides, not the status. The key never appears in an error or a log line.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::secret::Secret;

/// What NumVerify knows about a number (none of it secret).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Details {
    pub country: Option<String>,
    pub line_type: Option<String>,
    pub carrier: Option<String>,
}

/// NumVerify's verdict on a number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lookup {
    Valid(Details),
    Invalid,
}

#[derive(Debug, thiserror::Error)]
pub enum NumverifyError {
    #[error("NumVerify did not answer within 3 s")]
    Timeout,
    #[error("NumVerify is unreachable ({0})")]
    Unreachable(String),
    #[error("NumVerify refused the access key ({0})")]
    BadKey(String),
    #[error("NumVerify answered with error {code} ({kind})")]
    Api { code: i64, kind: String },
    #[error("NumVerify answered something unexpected (HTTP {0})")]
    Unexpected(u16),
}

pub const TIMEOUT: Duration = Duration::from_secs(3);

pub struct Numverify {
    http: reqwest::Client,
    url: url::Url,
    key: Secret,
    key_in_header: bool,
    bad_key_reported: AtomicBool,
}

impl Numverify {
    /// Fails only when the TLS client cannot be set up, which stops the start.
    pub fn new(url: &url::Url, key: Secret) -> Result<Numverify, reqwest::Error> {
        let http = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .connect_timeout(TIMEOUT)
            .user_agent(concat!("contact-client/", env!("CARGO_PKG_VERSION")))
            .build()?;
        let key_in_header =
            url.host_str() == Some("api.apilayer.com") || url.path().contains("/number_verification/");
        Ok(Numverify { http, url: url.clone(), key, key_in_header, bad_key_reported: AtomicBool::new(false) })
    }

    /// Looks up an E.164 number.
    pub async fn lookup(&self, e164: &str) -> Result<Lookup, NumverifyError> {
        let number = e164.trim_start_matches('+');
        let request = if self.key_in_header {
            self.http.get(self.url.clone()).query(&[("number", number)]).header("apikey", self.key.expose())
        } else {
            self.http.get(self.url.clone()).query(&[
                ("access_key", self.key.expose()),
                ("number", number),
                ("format", "1"),
            ])
        };
        let result = async {
            let response = request.send().await?;
            let status = response.status().as_u16();
            Ok::<_, reqwest::Error>((status, response.bytes().await?))
        }
        .await;
        let outcome = match result {
            Ok((status, body)) => interpret(status, &body),
            // reqwest's errors carry the URL, and with it the access key: drop it.
            Err(e) if e.is_timeout() => Err(NumverifyError::Timeout),
            Err(e) => Err(NumverifyError::Unreachable(e.without_url().to_string())),
        };
        if let Err(NumverifyError::BadKey(_)) = &outcome {
            if !self.bad_key_reported.swap(true, Ordering::Relaxed) {
                log::error!(
                    "NumVerify refused NUMVERIFY_API_KEY: phone numbers are not being verified. \
                     Check the key (this is logged once)."
                );
            }
        }
        outcome
    }
}

#[derive(Deserialize)]
struct Answer {
    valid: Option<bool>,
    success: Option<bool>,
    error: Option<ApiError>,
    message: Option<String>,
    country_code: Option<String>,
    line_type: Option<String>,
    carrier: Option<String>,
}

#[derive(Deserialize)]
struct ApiError {
    code: Option<i64>,
    #[serde(rename = "type")]
    kind: Option<String>,
}

fn non_empty(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

/// Reads NumVerify's answer from its body: `valid` is a verdict; `success:false` with an error
/// object, or a bare `message` (the apilayer.com gateway's 401/429), is a failure.
pub fn interpret(status: u16, body: &[u8]) -> Result<Lookup, NumverifyError> {
    let answer: Answer = serde_json::from_slice(body).map_err(|_| NumverifyError::Unexpected(status))?;
    if let Some(valid) = answer.valid {
        if answer.success != Some(false) {
            return Ok(if valid {
                Lookup::Valid(Details {
                    country: non_empty(answer.country_code),
                    line_type: non_empty(answer.line_type),
                    carrier: non_empty(answer.carrier),
                })
            } else {
                Lookup::Invalid
            });
        }
    }
    if let Some(error) = answer.error {
        let code = error.code.unwrap_or_default();
        let kind = error.kind.unwrap_or_else(|| "unknown".into());
        return Err(if code == 101 {
            NumverifyError::BadKey(kind)
        } else {
            NumverifyError::Api { code, kind }
        });
    }
    match (status, answer.message) {
        (401 | 403, Some(_)) => Err(NumverifyError::BadKey(format!("HTTP {status}"))),
        (_, Some(_)) => Err(NumverifyError::Api { code: i64::from(status), kind: "gateway".into() }),
        _ => Err(NumverifyError::Unexpected(status)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_real_answer_shapes() {
        let valid = br#"{"valid":true,"number":"14158586273","local_format":"4158586273","international_format":"+14158586273","country_prefix":"+1","country_code":"US","country_name":"United States of America","location":"Novato","carrier":"AT&T Mobility LLC","line_type":"mobile"}"#;
        assert_eq!(
            interpret(200, valid).unwrap(),
            Lookup::Valid(Details {
                country: Some("US".into()),
                line_type: Some("mobile".into()),
                carrier: Some("AT&T Mobility LLC".into()),
            })
        );
        let invalid = br#"{"valid":false,"number":"183155511","local_format":"","international_format":"","country_prefix":"","country_code":"","country_name":"","location":"","carrier":"","line_type":null}"#;
        assert_eq!(interpret(200, invalid).unwrap(), Lookup::Invalid);
        let quota = br#"{"success":false,"error":{"code":104,"type":"usage_limit_reached","info":"Your monthly usage limit has been reached."}}"#;
        assert!(matches!(interpret(200, quota), Err(NumverifyError::Api { code: 104, .. })));
        assert!(
            matches!(interpret(429, quota), Err(NumverifyError::Api { code: 104, .. })),
            "the body decides"
        );
        let key = br#"{"success":false,"error":{"code":101,"type":"invalid_access_key","info":"You have not supplied a valid API Access Key."}}"#;
        assert!(matches!(interpret(200, key), Err(NumverifyError::BadKey(_))));
        let gateway = br#"{"message":"Invalid authentication credentials"}"#;
        assert!(matches!(interpret(401, gateway), Err(NumverifyError::BadKey(_))));
        assert!(matches!(
            interpret(429, br#"{"message":"API rate limit exceeded"}"#),
            Err(NumverifyError::Api { code: 429, .. })
        ));
        assert!(matches!(interpret(502, b"<html>Bad gateway</html>"), Err(NumverifyError::Unexpected(502))));
    }
}
