//! The appliance binary as a real process, for tests that talk to it over HTTP.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use super::http::{free_port, wait_for};

pub const BIN: &str = env!("CARGO_BIN_EXE_contact-client");

/// The environment of a test server that keeps its keys across restarts and instances: the
/// test keys, development mode, and the CAPTCHA's test answer `pass`.
pub const KEYED: [(&str, &str); 5] = [
    ("APP_ENV", "development"),
    ("CAPTCHA_TEST_ANSWER", "pass"),
    ("FERNET_KEY", super::FERNET_KEY),
    ("SECRET_KEY", super::SECRET_KEY),
    ("TOTP_SECRET", super::TOTP_SECRET),
];

/// A server process in a directory the test owns, killed when the test ends, whatever happens.
pub struct Server {
    child: Child,
    pub addr: String,
    dir: PathBuf,
}

impl Server {
    pub fn start(dir: &Path, env: &[(&str, &str)]) -> Server {
        Server::start_binary(None, dir, env)
    }

    /// Like [`Server::start`], with another build of the binary (e.g. the release one).
    pub fn start_binary(binary: Option<&str>, dir: &Path, env: &[(&str, &str)]) -> Server {
        let port = free_port();
        let child = Command::new(binary.unwrap_or(BIN))
            .current_dir(dir)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("PORT", port.to_string())
            .envs(env.iter().copied())
            .stdout(Stdio::from(std::fs::File::create(dir.join("stdout.log")).unwrap()))
            .stderr(Stdio::from(std::fs::File::create(dir.join("stderr.log")).unwrap()))
            .spawn()
            .unwrap();
        let addr = format!("127.0.0.1:{port}");
        let server = Server { child, addr, dir: dir.to_path_buf() };
        let base = env.iter().find(|(k, _)| *k == "BASE_PATH").map_or("", |(_, v)| v.trim_end_matches('/'));
        assert!(wait_for(&server.addr, &format!("{base}/healthz"), 30), "no healthz; log: {}", server.log());
        server
    }

    pub fn log(&self) -> String {
        let read = |f: &str| std::fs::read_to_string(self.dir.join(f)).unwrap_or_default();
        read("stdout.log") + &read("stderr.log")
    }

    /// SIGKILL: no shutdown, no flush, like a crash or an OOM kill.
    pub fn kill_hard(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    pub fn stop(mut self) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.log()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A visitor's submission to a server process: GET the form, POST it with `email` and the
/// test-mode CAPTCHA `answer` (JSON answer); the stored id, or None when it was not a 303.
pub fn submit_over_http(addr: &str, email: &str, answer: &str) -> Option<i64> {
    use super::{encode, input_value, valid_fields, with};
    let form = super::http::get(addr, "/").ok()?;
    let csrf = input_value(&form.text(), "csrf_token")?;
    let captcha = input_value(&form.text(), "captcha_token")?;
    let mut fields = with(valid_fields(), "email", email);
    fields.extend([("csrf_token", csrf), ("captcha_token", captcha), ("captcha_answer", answer.to_string())]);
    let headers = [
        ("Content-Type", "application/x-www-form-urlencoded"),
        ("Accept", "application/json"),
        ("Cookie", &form.cookies()),
    ];
    let reply = super::http::request(addr, "POST", "/", &headers, encode(&fields).as_bytes()).ok()?;
    if reply.status != 303 {
        return None;
    }
    serde_json::from_slice::<serde_json::Value>(&reply.body).ok()?["id"].as_i64()
}
