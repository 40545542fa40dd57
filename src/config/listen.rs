//! Where the appliance listens. A host that embeds the fairing listens where its own Rocket
//! configuration says, so these keys live outside [`Config`](super::Config).

use std::net::IpAddr;

use figment::Figment;

use super::{ConfigError, Section};
use crate::logging::LogFormat;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Listen {
    pub address: IpAddr,
    pub port: u16,
    pub log_format: LogFormat,
}

impl Listen {
    /// Reads `address` and `port` from the `contact` section of `root`.
    pub fn from_figment(root: &Figment) -> Result<Listen, ConfigError> {
        let focused = root.focus("contact");
        let s = Section(&focused);
        let address = s.parsed("address", |v| match v {
            "localhost" => Ok(IpAddr::from([127, 0, 0, 1])),
            _ => v.parse().map_err(|_| "must be an IP address such as 127.0.0.1 or ::"),
        })?;
        let port = s.parsed("port", |v| match v.parse::<u16>() {
            Ok(p) if p > 0 => Ok(p),
            _ => Err("must be a port number from 1 to 65535"),
        })?;
        let log_format = s.parsed("log_format", LogFormat::parse)?;
        Ok(Listen { address, port, log_format })
    }

    /// `http://host:port` for reaching the server from this machine (an unspecified listen
    /// address is reached on loopback).
    pub fn local_url(&self) -> String {
        let host = match self.address {
            IpAddr::V4(v4) if v4.is_unspecified() => "127.0.0.1".to_string(),
            IpAddr::V6(v6) if v6.is_unspecified() => "[::1]".to_string(),
            IpAddr::V6(v6) => format!("[{v6}]"),
            ip => ip.to_string(),
        };
        format!("http://{host}:{}", self.port)
    }
}
