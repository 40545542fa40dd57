//! A local HTTP server that answers like NumVerify and records what it was asked.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One request as received.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub path: String,
    pub query: HashMap<String, String>,
    pub headers: HashMap<String, String>,
}

/// How to answer.
pub enum Reply {
    Json(u16, String),
    /// Answer after this long (longer than the client's timeout: a slow NumVerify).
    Slow(Duration),
}

pub const VALID: &str = r#"{"valid":true,"number":"14158586273","local_format":"4158586273","international_format":"+14158586273","country_prefix":"+1","country_code":"US","country_name":"United States of America","location":"Novato","carrier":"AT&T Mobility LLC","line_type":"mobile"}"#;
pub const INVALID: &str = r#"{"valid":false,"number":"183155511","local_format":"","international_format":"","country_prefix":"","country_code":"","country_name":"","location":"","carrier":"","line_type":null}"#;

pub fn error(code: u16, kind: &str) -> String {
    format!(r#"{{"success":false,"error":{{"code":{code},"type":"{kind}","info":"The fake says {kind}."}}}}"#)
}

type Responder = dyn Fn(&Recorded) -> Reply + Send + Sync;

pub struct FakeNumverify {
    pub port: u16,
    requests: Arc<Mutex<Vec<Recorded>>>,
    stop: Arc<AtomicBool>,
}

impl FakeNumverify {
    pub fn start(respond: impl Fn(&Recorded) -> Reply + Send + Sync + 'static) -> FakeNumverify {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let respond: Arc<Responder> = Arc::new(respond);
        let (log, halt) = (requests.clone(), stop.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if halt.load(Ordering::Relaxed) {
                    break;
                }
                let (log, respond) = (log.clone(), respond.clone());
                if let Ok(stream) = stream {
                    std::thread::spawn(move || serve(stream, &log, &*respond));
                }
            }
        });
        FakeNumverify { port, requests, stop }
    }

    /// The classic endpoint's URL on this server.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/api/validate", self.port)
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }
}

impl Drop for FakeNumverify {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

fn serve(stream: TcpStream, log: &Mutex<Vec<Recorded>>, respond: &Responder) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() || line.is_empty() {
        return;
    }
    let target = line.split(' ').nth(1).unwrap_or("/").to_string();
    let mut headers = HashMap::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).is_err() || h.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
        }
    }
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    let recorded = Recorded {
        path: path.to_string(),
        query: form_urlencoded::parse(query.as_bytes()).into_owned().collect(),
        headers,
    };
    log.lock().unwrap().push(recorded.clone());
    let (status, body) = match respond(&recorded) {
        Reply::Json(status, body) => (status, body),
        Reply::Slow(delay) => {
            std::thread::sleep(delay);
            (200, VALID.to_string())
        }
    };
    let mut stream = stream;
    let _ = write!(
        stream,
        "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
}
