//! Real components the tests start themselves (free port, temp dir), and the rule for when
//! one is missing: `SKIPPED: <tool> not found` and pass, unless `CONTACT_TEST_STRICT=1`.

use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

/// Held by what needs the machine's cores to itself: the fat-LTO build of the static binary,
/// and the test that times submissions during a purge (on CI's two cores, one beside the build
/// waited 138 ms; the slowest waits about 20 ms otherwise).
pub static CORES: rocket::tokio::sync::Mutex<()> = rocket::tokio::sync::Mutex::const_new(());

/// Kills a child started with `process_group(0)` and everything it started (chromedriver's
/// browsers, NGINX's workers), then reaps it.
pub fn kill_group(child: &mut Child) {
    let group = format!("-{}", child.id());
    let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
    let _ = child.wait();
}
use std::time::{Duration, Instant};

/// Where a tool is: on PATH, or in the sbin folders a non-root PATH may leave out.
pub fn find(tool: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/sbin", "/sbin", "/usr/local/sbin"].map(PathBuf::from))
        .map(|dir| dir.join(tool))
        .find(|candidate| candidate.is_file())
}

/// The tool's path, or None after printing SKIPPED (a panic in strict mode).
pub fn require(tool: &str) -> Option<PathBuf> {
    let found = find(tool);
    if found.is_none() {
        skip(tool);
    }
    found
}

fn skip(what: &str) {
    if std::env::var("CONTACT_TEST_STRICT").as_deref() == Ok("1") {
        panic!("{what} not found and CONTACT_TEST_STRICT=1");
    }
    println!("SKIPPED: {what} not found");
}

/// A Python that imports `module`, or None after printing SKIPPED (a panic in strict mode).
/// Debian's python3-* packages go to /usr/bin/python3, which may not be the python3 on PATH.
pub fn python_with(module: &str) -> Option<&'static str> {
    let found = ["/usr/bin/python3", "python3"].into_iter().find(|python| {
        Command::new(python)
            .args(["-c", &format!("import {module}")])
            .output()
            .is_ok_and(|o| o.status.success())
    });
    if found.is_none() {
        skip(&format!("python3 with {module}"));
    }
    found
}

/// A test CA (`ca.pem`) and a server certificate it signed (`fullchain.pem`, `privkey.pem`)
/// for `san` (`DNS:host` or `IP:127.0.0.1`), in `dir`, as a real chain looks.
pub fn test_certificates(dir: &std::path::Path, san: &str) {
    let openssl = |args: &[&str]| {
        let out = Command::new("openssl").current_dir(dir).args(args).output().expect("openssl runs");
        assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    let ca = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=Test CA"];
    openssl(&[&ca[..], &["-keyout", "ca.key", "-out", "ca.pem"]].concat());
    openssl(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=test server",
        "-keyout",
        "privkey.pem",
        "-out",
        "server.csr",
    ]);
    std::fs::write(
        dir.join("server.ext"),
        format!("subjectAltName={san}\nbasicConstraints=critical,CA:FALSE\n"),
    )
    .unwrap();
    openssl(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        "server.ext",
        "-out",
        "fullchain.pem",
    ]);
}

/// A redis-server on a free loopback port, without persistence, killed on drop.
pub struct RedisServer {
    child: Option<Child>,
    pub port: u16,
    _dir: tempfile::TempDir,
}

impl RedisServer {
    pub fn start() -> Option<RedisServer> {
        let binary = require("redis-server")?;
        let dir = tempfile::tempdir().unwrap();
        let port = super::http::free_port();
        let child = Command::new(binary)
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
            .arg("--dir")
            .arg(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server starts");
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "redis-server did not listen");
            std::thread::sleep(Duration::from_millis(20));
        }
        Some(RedisServer { child: Some(child), port, _dir: dir })
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/0", self.port)
    }

    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A PostgreSQL tool: on PATH, else in Debian's versioned folder (`/usr/lib/postgresql/15/bin`),
/// the newest there.
fn postgres_tool(tool: &str) -> Option<PathBuf> {
    find(tool).or_else(|| {
        let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
            .ok()?
            .flatten()
            .map(|e| e.path().join("bin").join(tool))
            .collect();
        versions.sort();
        versions.into_iter().rev().find(|candidate| candidate.is_file())
    })
}

/// A PostgreSQL server of a test's own: `initdb` into a temporary directory, `postgres` on a
/// free loopback port with trust for the user `contact`, stopped and removed on drop. Run as
/// root, both run as Debian's unprivileged `postgres` user (PostgreSQL refuses root).
pub struct PostgresServer {
    child: Option<Child>,
    pub port: u16,
    dir: tempfile::TempDir,
}

impl PostgresServer {
    pub fn start() -> Option<PostgresServer> {
        let (Some(initdb), Some(postgres)) = (postgres_tool("initdb"), postgres_tool("postgres")) else {
            skip("postgresql");
            return None;
        };
        let dir = tempfile::tempdir().unwrap();
        let as_root = unsafe { libc::geteuid() } == 0;
        if as_root {
            let owner =
                Command::new("chown").args(["-R", "postgres:postgres"]).arg(dir.path()).status().unwrap();
            assert!(owner.success(), "the postgres user owns the test's directory");
        }
        // As root, run `program` through runuser as the postgres user; otherwise as ourselves.
        let command = |program: &PathBuf| {
            if as_root {
                let mut c = Command::new("runuser");
                c.args(["-u", "postgres", "--"]).arg(program);
                c
            } else {
                Command::new(program)
            }
        };
        let data = dir.path().join("data");
        let init = command(&initdb)
            .arg("-D")
            .arg(&data)
            .args(["-U", "contact", "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("initdb runs");
        assert!(init.success(), "initdb made a cluster");
        let port = super::http::free_port();
        let child = command(&postgres)
            .arg("-D")
            .arg(&data)
            .args(["-p", &port.to_string(), "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"])
            // Every test's instances hold pools of their own on the one shared server.
            .args(["-c", "max_connections=300"])
            .arg("-c")
            .arg(format!("unix_socket_directories={}", dir.path().display()))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .expect("postgres starts");
        let server = PostgresServer { child: Some(child), port, dir };
        let deadline = Instant::now() + Duration::from_secs(30);
        while server.psql("postgres", "SELECT 1").is_err() {
            assert!(Instant::now() < deadline, "postgres did not answer");
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(server)
    }

    /// One server for the whole test binary, started by the first test that asks (None after
    /// SKIPPED without PostgreSQL). Tests share it through databases of their own; a reaper
    /// process stops it and removes its directory when the test binary exits.
    pub fn shared() -> Option<&'static PostgresServer> {
        static SHARED: std::sync::OnceLock<Option<PostgresServer>> = std::sync::OnceLock::new();
        SHARED
            .get_or_init(|| {
                let server = PostgresServer::start()?;
                // The reaper reads its stdin until this process is gone (the kernel closes the
                // pipe), then stops the server and removes its directory.
                let reaper = format!(
                    "cat >/dev/null; pm=$(head -n 1 '{data}/postmaster.pid'); kill -INT \"$pm\"; \
                     while kill -0 \"$pm\" 2>/dev/null; do sleep 0.1; done; rm -rf '{dir}'",
                    data = server.data_dir().display(),
                    dir = server.dir.path().display()
                );
                let reaper = Command::new("sh")
                    .args(["-c", &reaper])
                    .stdin(Stdio::piped())
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .process_group(0)
                    .spawn()
                    .expect("the reaper starts");
                std::mem::forget(reaper);
                Some(server)
            })
            .as_ref()
    }

    /// A new, empty database on this server: its URL.
    pub fn fresh_database(&self) -> String {
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let name = format!("test_{}", NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
        self.psql("postgres", &format!("CREATE DATABASE {name}")).expect("a fresh database");
        self.url(&name)
    }

    /// `postgres://contact@127.0.0.1:<port>/<database>`.
    pub fn url(&self, database: &str) -> String {
        format!("postgres://contact@127.0.0.1:{}/{database}", self.port)
    }

    /// Runs `sql` in `database` with psql: its unaligned output, or psql's error.
    pub fn psql(&self, database: &str, sql: &str) -> Result<String, String> {
        let psql = postgres_tool("psql").ok_or("psql not found")?;
        let out = Command::new(psql)
            .args(["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", &self.url(database), "-c", sql])
            .output()
            .map_err(|e| e.to_string())?;
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
        } else {
            Err(String::from_utf8_lossy(&out.stderr).to_string())
        }
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }
}

impl Drop for PostgresServer {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            kill_group(&mut child);
        }
    }
}
