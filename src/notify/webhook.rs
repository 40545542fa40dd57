//! The signed webhook, as Standard Webhooks defines it: `webhook-id` (the same on every retry
//! of one event), `webhook-timestamp` (unix seconds of this attempt) and `webhook-signature:
//! v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, so its libraries verify what we send.

use std::time::Duration;

use base64::Engine;
use hmac::{Hmac, Mac};
use serde::Serialize;
use sha2::Sha256;

use super::SendError;
use crate::back_office::view::SubmissionView;
use crate::config::notify::WebhookConfig;
use crate::keys::WebhookSecret;

/// Any answer after this counts as a failure and is tried again.
const TIMEOUT: Duration = Duration::from_secs(10);

pub struct Webhook {
    client: reqwest::Client,
    url: url::Url,
    secret: WebhookSecret,
}

#[derive(Serialize)]
struct Event<'a, T: Serialize> {
    #[serde(rename = "type")]
    kind: &'a str,
    timestamp: &'a str,
    data: T,
}

/// What a `submission.created` event carries: the submission, decrypted.
#[derive(Serialize)]
struct Created<'a> {
    id: i64,
    created_at: &'a str,
    name: &'a str,
    email: &'a str,
    phone: &'a str,
    /// `YYYY-MM-DDTHH:MM` in UTC.
    preferred_time: &'a str,
    /// The IANA zone the visitor meant it in.
    time_zone: &'a str,
    /// The language the visitor read the form in (`en`, `de`, …).
    language: &'a str,
    message: &'a str,
    status: &'a str,
    phone_verdict: &'a str,
}

impl Webhook {
    pub fn new(config: &WebhookConfig) -> Result<Webhook, reqwest::Error> {
        let client = reqwest::Client::builder()
            .timeout(TIMEOUT)
            // A redirect would carry personal data to an address nobody configured.
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        Ok(Webhook { client, url: config.url.clone(), secret: config.secret.clone() })
    }

    pub async fn submission_created(
        &self,
        event_id: &str,
        now: i64,
        s: &SubmissionView,
    ) -> Result<(), SendError> {
        let data = Created {
            id: s.id,
            created_at: &s.created_at,
            name: &s.name,
            email: &s.email,
            phone: &s.phone,
            preferred_time: &s.preferred_time,
            time_zone: &s.time_zone,
            language: &s.language,
            message: s.message.as_deref().unwrap_or_default(),
            status: &s.status,
            phone_verdict: &s.phone_verdict,
        };
        self.post(event_id, now, &Event { kind: "submission.created", timestamp: &s.created_at, data }).await
    }

    /// A test event (`contact-client notify-test`).
    pub async fn test(&self, event_id: &str, now: i64, timestamp: &str) -> Result<(), SendError> {
        self.post(event_id, now, &Event { kind: "contact.test", timestamp, data: serde_json::json!({}) })
            .await
    }

    async fn post<T: Serialize>(
        &self,
        event_id: &str,
        now: i64,
        event: &Event<'_, T>,
    ) -> Result<(), SendError> {
        let body =
            serde_json::to_string(event).map_err(|_| SendError::permanent("the event cannot be written"))?;
        let signature = sign(&self.secret, event_id, now, &body);
        let answer = self
            .client
            .post(self.url.clone())
            .header("content-type", "application/json")
            .header("webhook-id", event_id)
            .header("webhook-timestamp", now.to_string())
            .header("webhook-signature", signature)
            .body(body)
            .send()
            .await;
        match answer {
            Ok(r) if r.status().is_success() => Ok(()),
            Ok(r) => Err(SendError::transient(format!("the webhook answered {}", r.status().as_u16()))),
            // The URL may hold a token of the receiver's: never in a message.
            Err(e) if e.is_timeout() => Err(SendError::transient("the webhook did not answer within 10 s")),
            Err(_) => Err(SendError::transient("the webhook cannot be reached")),
        }
    }
}

/// `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`.
pub fn sign(secret: &WebhookSecret, event_id: &str, timestamp: i64, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.bytes()).expect("HMAC takes a key of any length");
    mac.update(format!("{event_id}.{timestamp}.{body}").as_bytes());
    format!("v1,{}", base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example of the Standard Webhooks specification.
    #[test]
    fn signs_as_the_specification_does() {
        let secret = WebhookSecret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        let body = r#"{"test": 2432232314}"#;
        assert_eq!(
            sign(&secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
    }
}
