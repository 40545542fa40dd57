//! The shared Redis connection behind `RATELIMIT_STORAGE_URL=redis://…`: rate limits and
//! CAPTCHA challenges live there, so several instances share one budget and one store.

use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};

use crate::secret::Secret;

#[derive(Debug, thiserror::Error)]
pub enum RedisError {
    #[error("RATELIMIT_STORAGE_URL is not a usable Redis URL")]
    BadUrl,
    #[error("cannot reach Redis at {0}: {1}")]
    Unreachable(String, String),
}

#[derive(Clone)]
pub struct Redis {
    conn: ConnectionManager,
    prefix: String,
}

impl Redis {
    /// Connects (failing when Redis does not answer), with short timeouts so that a Redis lost
    /// while running costs a request milliseconds, not seconds. `namespace` keeps unrelated
    /// deployments that share one Redis apart.
    pub async fn connect(url: &Secret, namespace: &str) -> Result<Redis, RedisError> {
        let client = redis::Client::open(url.expose()).map_err(|_| RedisError::BadUrl)?;
        // Only host and port in messages: the URL may carry a password.
        let addr = client.get_connection_info().addr().to_string();
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(Duration::from_millis(500)))
            .set_response_timeout(Some(Duration::from_millis(500)))
            .set_number_of_retries(1)
            .set_max_delay(Duration::from_millis(200));
        let mut conn = ConnectionManager::new_with_config(client, config)
            .await
            .map_err(|e| RedisError::Unreachable(addr.clone(), format!("{:?}", e.kind())))?;
        redis::cmd("PING")
            .query_async::<String>(&mut conn)
            .await
            .map_err(|e| RedisError::Unreachable(addr, format!("{:?}", e.kind())))?;
        Ok(Redis { conn, prefix: format!("contact-client:{namespace}:") })
    }

    pub fn key(&self, rest: &str) -> String {
        format!("{}{rest}", self.prefix)
    }

    pub fn conn(&self) -> ConnectionManager {
        self.conn.clone()
    }
}
