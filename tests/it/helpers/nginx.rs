//! NGINX as the deployment runs it: the repository's configuration with TLS (a test CA), on
//! free loopback ports, in front of one or several app instances.

use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use super::http::free_port;

const REPO: &str = env!("CARGO_MANIFEST_DIR");

pub struct Nginx {
    child: Child,
    pub http_port: u16,
    pub https_port: u16,
    pub dir: tempfile::TempDir,
}

impl Drop for Nginx {
    /// The master and its workers share a process group: SIGKILL to the master alone would
    /// leave the workers running.
    fn drop(&mut self) {
        super::tools::kill_group(&mut self.child);
    }
}

impl Nginx {
    /// NGINX with the repository's configuration, its upstream the app instances on `app_ports`.
    pub fn start(nginx: &Path, app_ports: &[u16]) -> Nginx {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        super::tools::test_certificates(p, "DNS:contact.example.com");
        let (http_port, https_port) = (free_port(), free_port());
        let upstream: String = app_ports.iter().map(|port| format!("server 127.0.0.1:{port};\n")).collect();
        let conf = std::fs::read_to_string(format!("{REPO}/nginx/contact-client.conf"))
            .unwrap()
            .replace("listen [::]:80;", "")
            .replace("listen [::]:443 ssl;", "")
            .replace("listen 80;", &format!("listen 127.0.0.1:{http_port};"))
            .replace("listen 443 ssl;", &format!("listen 127.0.0.1:{https_port} ssl;"))
            .replace("server contact-client:8080;", &upstream)
            .replace("/etc/letsencrypt/live/contact.example.com", p.to_str().unwrap())
            .replace("/var/www/certbot", p.to_str().unwrap());
        std::fs::write(p.join("contact-client.conf"), conf).unwrap();
        let main = format!(
            "daemon off;\nworker_processes 1;\npid {d}/nginx.pid;\nerror_log {d}/error.log;\n\
             events {{ worker_connections 64; }}\n\
             http {{\n  access_log {d}/access.log;\n  client_body_temp_path {d}/body;\n  proxy_temp_path {d}/proxy;\n\
             fastcgi_temp_path {d}/fastcgi;\n  uwsgi_temp_path {d}/uwsgi;\n  scgi_temp_path {d}/scgi;\n\
             include {d}/contact-client.conf;\n}}\n",
            d = p.display()
        );
        std::fs::write(p.join("nginx.conf"), main).unwrap();
        let child = Command::new(nginx)
            .process_group(0)
            .arg("-p")
            .arg(p)
            .arg("-c")
            .arg(p.join("nginx.conf"))
            .arg("-e")
            .arg(p.join("error.log"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let nginx = Nginx { child, http_port, https_port, dir };
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", https_port)).is_err() {
            let log = std::fs::read_to_string(nginx.dir.path().join("error.log")).unwrap_or_default();
            assert!(std::time::Instant::now() < deadline, "nginx did not start: {log}");
            std::thread::sleep(Duration::from_millis(50));
        }
        nginx
    }
}

/// An HTTPS client that trusts the test certificate, resolves the site's name to loopback and
/// connects from 127.0.0.2 (so the address NGINX forwards differs from its own).
pub fn browser(nginx: &Nginx) -> reqwest::Client {
    browser_from(nginx, [127, 0, 0, 2])
}

/// [`browser`], connecting from `ip` (a loopback address): another visitor.
pub fn browser_from(nginx: &Nginx, ip: [u8; 4]) -> reqwest::Client {
    let pem = std::fs::read(nginx.dir.path().join("ca.pem")).unwrap();
    reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(&pem).unwrap())
        .resolve("contact.example.com", ([127, 0, 0, 1], nginx.https_port).into())
        .local_address(std::net::IpAddr::from(ip))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// `https://contact.example.com:<port>`, the site as the browsers reach it.
pub fn site(nginx: &Nginx) -> String {
    format!("https://contact.example.com:{}", nginx.https_port)
}

pub fn cookies_of(response: &reqwest::Response) -> String {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok()?.split(';').next().map(str::to_string))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The shared sign-in at `base` (`https://…` through NGINX, or `http://addr` straight to an
/// instance) with `code`, as a browser does it: the login page for its CSRF cookie and token,
/// then the post. The post's answer.
pub async fn sign_in_over_http(client: &reqwest::Client, base: &str, code: &str) -> reqwest::Response {
    let login = client.get(format!("{base}/admin/login")).send().await.unwrap();
    let cookie = cookies_of(&login);
    let token = super::input_value(&login.text().await.unwrap(), "csrf_token").unwrap();
    client
        .post(format!("{base}/admin/login"))
        .header("Cookie", &cookie)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(super::encode(&[("csrf_token", token), ("code", code.to_string())]))
        .send()
        .await
        .unwrap()
}
