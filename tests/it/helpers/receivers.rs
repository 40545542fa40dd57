//! The receivers of notifications, as real processes on free ports: an SMTP server (Debian's
//! python3-aiosmtpd) that keeps every message as a JSON file, and a webhook receiver that
//! checks each signature with Python's own hmac.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const SUPPORT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/it/support");

/// Starts `python script args…` and waits for its READY line.
fn start_python(python: &str, script: &str, args: &[String]) -> Child {
    let mut child = Command::new(python)
        .arg(format!("{SUPPORT}/{script}"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("python starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    assert_eq!(line.trim(), "READY", "{script} did not start");
    child
}

fn stop(child: &mut Option<Child>) {
    if let Some(mut child) = child.take() {
        let _ = child.kill();
        let _ = child.wait();
    }
}

/// Waits up to `within` for `ready` to hold, without holding up the runtime (the server's
/// worker may share it).
pub async fn eventually(within: Duration, mut ready: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        if ready() {
            return true;
        }
        rocket::tokio::time::sleep(Duration::from_millis(50)).await;
    }
    ready()
}

#[derive(Clone, Default)]
pub struct SmtpOptions {
    /// STARTTLS required, with a certificate from a test CA (`SmtpServer::ca_file`).
    pub starttls: bool,
    /// Implicit TLS (`smtps://`).
    pub smtps: bool,
    /// AUTH required with this user and password.
    pub auth: Option<(&'static str, &'static str)>,
}

pub struct SmtpServer {
    python: &'static str,
    child: Option<Child>,
    pub port: u16,
    options: SmtpOptions,
    dir: tempfile::TempDir,
}

impl SmtpServer {
    pub fn start(options: SmtpOptions) -> Option<SmtpServer> {
        let mut server = SmtpServer::on_free_port(options)?;
        server.run();
        Some(server)
    }

    /// A port reserved for a server that is not running yet (`run` starts it).
    pub fn on_free_port(options: SmtpOptions) -> Option<SmtpServer> {
        let python = super::tools::python_with("aiosmtpd")?;
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("mail")).unwrap();
        if options.starttls || options.smtps {
            super::tools::require("openssl")?;
            super::tools::test_certificates(dir.path(), "IP:127.0.0.1");
        }
        Some(SmtpServer { python, child: None, port: super::http::free_port(), options, dir })
    }

    pub fn run(&mut self) {
        let d = self.dir.path();
        let mut args = vec![self.port.to_string(), d.join("mail").display().to_string()];
        let pair =
            [d.join("fullchain.pem").display().to_string(), d.join("privkey.pem").display().to_string()];
        if self.options.starttls {
            args.push("--starttls".into());
            args.extend(pair.clone());
        }
        if self.options.smtps {
            args.push("--smtps".into());
            args.extend(pair);
        }
        if let Some((user, pass)) = self.options.auth {
            args.extend(["--auth".into(), format!("{user}:{pass}")]);
        }
        self.child = Some(start_python(self.python, "smtp_server.py", &args));
    }

    pub fn kill(&mut self) {
        stop(&mut self.child);
    }

    pub fn ca_file(&self) -> PathBuf {
        self.dir.path().join("ca.pem")
    }

    /// `SMTP_URL` for this server.
    pub fn url(&self) -> String {
        let scheme = if self.options.smtps { "smtps" } else { "smtp" };
        let auth = self.options.auth.map(|(u, p)| format!("{u}:{p}@")).unwrap_or_default();
        let tls = if self.options.starttls { "?tls=required" } else { "" };
        format!("{scheme}://{auth}127.0.0.1:{}{tls}", self.port)
    }

    /// Every message received so far: `mail_from`, `rcpt_tos`, `data` (the whole message),
    /// `authenticated`, `tls`.
    pub fn mails(&self) -> Vec<serde_json::Value> {
        let mut files: Vec<_> = std::fs::read_dir(self.dir.path().join("mail"))
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        files.iter().map(|p| serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()).collect()
    }

    /// Waits up to `within` for `n` messages, and returns them.
    pub async fn wait_for(&self, n: usize, within: Duration) -> Vec<serde_json::Value> {
        eventually(within, || self.mails().len() >= n).await;
        self.mails()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.kill();
    }
}

pub struct WebhookReceiver {
    child: Option<Child>,
    pub port: u16,
    log: PathBuf,
    _dir: tempfile::TempDir,
}

/// A secret for `WEBHOOK_SECRET` (24 bytes).
pub const WEBHOOK_SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

impl WebhookReceiver {
    /// A receiver that answers 500 to the first `fail` deliveries, then 204.
    pub fn start(fail: usize) -> Option<WebhookReceiver> {
        let python = super::tools::python_with("hmac")?;
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("deliveries.jsonl");
        let port = super::http::free_port();
        let args =
            [port.to_string(), log.display().to_string(), WEBHOOK_SECRET.to_string(), fail.to_string()];
        let child = start_python(python, "webhook_receiver.py", &args);
        Some(WebhookReceiver { child: Some(child), port, log, _dir: dir })
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/hooks/contact", self.port)
    }

    /// Every delivery so far: `id`, `timestamp`, `valid` (the signature checked out),
    /// `content_type`, `body`, `answered`.
    pub fn deliveries(&self) -> Vec<serde_json::Value> {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    pub async fn wait_for(&self, n: usize, within: Duration) -> Vec<serde_json::Value> {
        eventually(within, || self.deliveries().len() >= n).await;
        self.deliveries()
    }
}

impl Drop for WebhookReceiver {
    fn drop(&mut self) {
        stop(&mut self.child);
    }
}
