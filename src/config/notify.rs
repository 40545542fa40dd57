//! Who hears of a new submission: the owner by email, a webhook, the visitor's confirmation.
//! Each part is checked at start against the others (an address to mail without a server to
//! mail through is an error, not a silence).

use std::net::IpAddr;
use std::path::PathBuf;

use lettre::message::Mailbox;

use super::{parse_bool, AppEnv, ConfigError, Section};
use crate::keys::WebhookSecret;
use crate::secret::Secret;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpTls {
    /// `smtps://`: TLS from the first byte.
    Implicit,
    /// STARTTLS, or no mail at all.
    Required,
    /// STARTTLS when the server offers it, else plain (meant for a relay on loopback).
    Opportunistic,
}

/// `SMTP_URL`, taken apart. The password stays a [`Secret`].
#[derive(Debug, Clone)]
pub struct SmtpServer {
    pub host: String,
    pub port: u16,
    pub tls: SmtpTls,
    pub credentials: Option<(String, Secret)>,
    /// Extra certificate authorities (PEM) for a relay with a private certificate.
    pub ca_file: Option<PathBuf>,
}

impl SmtpServer {
    /// `smtp://[user:pass@]host[:port][?tls=required|opportunistic]` or `smtps://…`.
    pub fn parse(raw: &str) -> Result<SmtpServer, &'static str> {
        let url = url::Url::parse(raw).map_err(|_| "must be smtp://host[:port] or smtps://host[:port]")?;
        let implicit = match url.scheme() {
            "smtp" => false,
            "smtps" => true,
            _ => return Err("must start with smtp:// or smtps://"),
        };
        let host = match url.host() {
            Some(url::Host::Domain(d)) if !d.is_empty() => d.to_string(),
            Some(url::Host::Ipv4(ip)) => ip.to_string(),
            Some(url::Host::Ipv6(ip)) => ip.to_string(),
            _ => return Err("must name a host"),
        };
        let decode = |s: &str| percent_decode(s).ok_or("has user or password that is not valid UTF-8");
        let credentials = match (url.username(), url.password()) {
            ("", None) => None,
            (user, Some(pass)) if !user.is_empty() => Some((decode(user)?, Secret::new(decode(pass)?))),
            _ => return Err("must give both user and password, or neither"),
        };
        let mut tls = if implicit {
            SmtpTls::Implicit
        } else if is_loopback(&host) {
            SmtpTls::Opportunistic
        } else {
            SmtpTls::Required
        };
        for (name, value) in url.query_pairs() {
            tls = match (name.as_ref(), value.as_ref(), implicit) {
                ("tls", "required", false) => SmtpTls::Required,
                ("tls", "opportunistic", false) => SmtpTls::Opportunistic,
                ("tls", _, true) => return Err("smtps:// is always TLS; leave out ?tls="),
                ("tls", _, false) => return Err("tls= must be required or opportunistic"),
                _ => return Err("knows only the query parameter tls="),
            };
        }
        if tls == SmtpTls::Opportunistic && credentials.is_some() && !is_loopback(&host) {
            return Err("sends a password: use tls=required or smtps:// for a host other than loopback");
        }
        let port = url.port().unwrap_or(if implicit { 465 } else { 587 });
        Ok(SmtpServer { host, port, tls, credentials, ca_file: None })
    }
}

fn percent_decode(s: &str) -> Option<String> {
    percent_encoding::percent_decode_str(s).decode_utf8().ok().map(|text| text.into_owned())
}

/// `localhost` or an address of this machine's loopback.
pub fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Where new submissions are POSTed, signed.
#[derive(Debug, Clone)]
pub struct WebhookConfig {
    pub url: url::Url,
    pub secret: WebhookSecret,
}

/// `PUBLIC_URL`: the public address of `BASE_PATH`, without a trailing slash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicUrl(String);

impl PublicUrl {
    pub fn parse(raw: &str) -> Result<PublicUrl, &'static str> {
        let url = url::Url::parse(raw).map_err(|_| "must be an http:// or https:// URL")?;
        if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
            return Err("must be an http:// or https:// URL");
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err("must not have a query or fragment");
        }
        Ok(PublicUrl(url.as_str().trim_end_matches('/').to_string()))
    }

    /// The public address of a path below the base (`/admin/submissions/7`).
    pub fn join(&self, path: &str) -> String {
        format!("{}{path}", self.0)
    }
}

#[derive(Debug, Clone)]
pub struct NotifyConfig {
    /// Owners told of each submission (empty: no owner email).
    pub email_to: Vec<Mailbox>,
    pub email_from: Mailbox,
    pub smtp: Option<SmtpServer>,
    pub include_details: bool,
    pub confirm_visitor: bool,
    pub webhook: Option<WebhookConfig>,
    pub public_url: Option<PublicUrl>,
}

impl NotifyConfig {
    pub(super) fn from_section(s: &Section<'_>, env: AppEnv) -> Result<NotifyConfig, ConfigError> {
        let email_to = match s.text("notify.email_to")? {
            None => Vec::new(),
            Some(list) => list
                .split(',')
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(|a| a.parse::<Mailbox>())
                .collect::<Result<Vec<_>, _>>()
                .map_err(|_| {
                    ConfigError::invalid("notify.email_to", "must be email addresses separated by commas")
                })?,
        };
        let email_from = s.parsed("notify.email_from", |v| {
            v.parse::<Mailbox>().map_err(|_| "must be an address, or Name <address>")
        })?;
        let mut smtp = s.optional("notify.smtp_url", SmtpServer::parse)?;
        if let Some(server) = smtp.as_mut() {
            server.ca_file = s.optional("notify.smtp_ca_file", |p| {
                let path = PathBuf::from(p);
                if path.is_file() {
                    Ok(path)
                } else {
                    Err("must name a readable PEM file")
                }
            })?;
        }
        let include_details = s.parsed("notify.include_details", parse_bool)?;
        let confirm_visitor = s.parsed("notify.confirm_visitor", parse_bool)?;
        if smtp.is_none() && !email_to.is_empty() {
            return Err(ConfigError::invalid("notify.smtp_url", "is required when NOTIFY_EMAIL_TO is set"));
        }
        if smtp.is_none() && confirm_visitor {
            return Err(ConfigError::invalid(
                "notify.smtp_url",
                "is required when NOTIFY_CONFIRM_VISITOR is true",
            ));
        }
        let secret = s.optional("notify.webhook_secret", WebhookSecret::parse)?;
        let url = s.optional("notify.webhook_url", |raw| {
            let url = url::Url::parse(raw).map_err(|_| "must be an http:// or https:// URL")?;
            match (url.scheme(), url.host_str()) {
                ("https", Some(_)) => Ok(url),
                ("http", Some(host)) if is_loopback(host) || env == AppEnv::Development => Ok(url),
                ("http", Some(_)) => {
                    Err("must be https:// (the body holds personal data); http:// only to loopback")
                }
                _ => Err("must be an http:// or https:// URL"),
            }
        })?;
        let webhook = match (url, secret) {
            (Some(url), Some(secret)) => Some(WebhookConfig { url, secret }),
            (Some(_), None) => {
                return Err(ConfigError::invalid(
                    "notify.webhook_secret",
                    "is required when WEBHOOK_URL is set (`contact-client keygen` prints one)",
                ))
            }
            (None, Some(_)) => {
                return Err(ConfigError::invalid("notify.webhook_url", "is not set, but WEBHOOK_SECRET is"))
            }
            (None, None) => None,
        };
        let public_url = s.optional("public_url", PublicUrl::parse)?;
        Ok(NotifyConfig { email_to, email_from, smtp, include_details, confirm_visitor, webhook, public_url })
    }

    /// Whether any notification is configured at all.
    pub fn any(&self) -> bool {
        !self.email_to.is_empty() || self.confirm_visitor || self.webhook.is_some()
    }
}
