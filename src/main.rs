//! The appliance: the command line around the library. Configuration comes from
//! `contact-client.toml`, `.env` and the environment; the server is the library's fairing.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use contact_client::appliance::{
    self, Bootstrap, ExportFormat, Listen, LogFormat, Maintenance, MaintenanceError, Mode, Secret, Sources,
};
use contact_client::config::Database;
use contact_client::{Config, ContactClient};
use figment::Figment;

/// glibc's malloc took a tenth of the server's time under load (its free lists, consolidation
/// and arena locks across the two workers); mimalloc's thread-local pages cost a fraction.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "contact-client",
    version,
    about = "A secure contact form: encrypted at rest, CAPTCHA, TOTP admin"
)]
struct Cli {
    /// TOML configuration file (default: ./contact-client.toml; env CONTACT_CONFIG)
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    /// .env file (default: ./.env)
    #[arg(long, global = true, value_name = "FILE")]
    env_file: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server (the default)
    Serve,
    /// Print fresh SECRET_KEY, FERNET_KEY and TOTP_SECRET lines for a .env file
    Keygen,
    /// Validate the configuration and the database; print a summary without secrets
    Check,
    /// Write every submission, decrypted, as CSV or JSON
    Export {
        #[arg(long, value_enum, default_value = "csv")]
        format: ExportFormat,
        /// Write to FILE (created 0600) instead of standard output
        #[arg(long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Re-encrypt every stored value with the first key of FERNET_KEY
    RotateKey,
    /// Write a consistent copy of the live database to FILE
    Backup {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Copy the configured SQLite database into an empty PostgreSQL database, then compare the
    /// counts of every table
    CopyDb {
        /// The target: postgres://user:password@host:5432/database
        #[arg(long, value_name = "URL")]
        to: String,
    },
    /// Read a password on standard input and print its argon2id hash for ADMIN_PASSWORD_HASH
    HashPassword,
    /// Manage the admins' sign-in
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Answer one person's access or erasure request, found by their exact email
    #[command(subcommand)]
    Person(PersonCommand),
    /// Send a test email to NOTIFY_EMAIL_TO and a test event to WEBHOOK_URL; exit 0 when both arrived
    NotifyTest,
    /// Ask the running server's /healthz: exit 0 when healthy, 1 when not (Docker, monitors)
    Healthcheck {
        /// Health URL (default: built from ADDRESS, PORT and BASE_PATH)
        #[arg(long, value_name = "URL")]
        url: Option<String>,
    },
}

#[derive(Subcommand)]
enum PersonCommand {
    /// Write everything stored of them, decrypted, with the notes, as JSON
    Export {
        #[arg(long, value_name = "ADDRESS")]
        email: String,
        /// Write to FILE (created 0600, never overwritten) instead of standard output
        #[arg(long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Delete every submission of theirs for good, with notes and notifications
    Erase {
        #[arg(long, value_name = "ADDRESS")]
        email: String,
        /// Confirm: the erasure cannot be undone
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Clear the failed sign-ins that throttle an account (after an attack, or a forgotten code)
    Unlock,
    /// Add an admin user; their password is read as one line on standard input. Prints their
    /// otpauth:// URI (QR code on stderr) and ten recovery codes, once
    Add {
        #[arg(value_name = "NAME")]
        name: String,
        #[arg(long, default_value = "owner", value_name = "owner|editor|viewer")]
        role: String,
    },
    /// List the admin users with their role and last sign-in
    List,
    /// Remove an admin user; their sessions end at once (the last owner stays)
    Remove {
        #[arg(value_name = "NAME")]
        name: String,
    },
    /// Give a user a new authenticator secret and recovery codes; their sessions end
    Reset {
        #[arg(value_name = "NAME")]
        name: String,
    },
    /// Change a user's role (the last owner stays an owner)
    Role {
        #[arg(value_name = "NAME")]
        name: String,
        #[arg(value_name = "owner|editor|viewer")]
        role: String,
    },
}

/// A failure of the command line: its message is one line, already free of secrets.
struct Failure(String, u8);

impl<E: std::fmt::Display> From<E> for Failure {
    fn from(e: E) -> Self {
        Failure(e.to_string(), 2)
    }
}

fn main() -> ExitCode {
    // Rust's allocations go to mimalloc; SQLite's C code still allocates through glibc, from the
    // writer's and the pools' threads. glibc gives every such thread its own arena and raises
    // its mmap threshold after a large free, so freed memory lingers: two arenas and a fixed
    // threshold keep it small at no measurable cost.
    // SAFETY: mallopt only tunes the allocator; called before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
    let cli = Cli::parse();
    let sources = Sources { toml: cli.config, env_file: cli.env_file };
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(&sources),
        Command::Keygen => keygen(),
        Command::Check => check(&sources),
        Command::Export { format, output } => export(&sources, format, output.as_deref()),
        Command::RotateKey => rotate_key(&sources),
        Command::Backup { file } => backup(&sources, &file),
        Command::CopyDb { to } => copy_db(&sources, &to),
        Command::HashPassword => hash_password(),
        Command::Admin(AdminCommand::Unlock) => unlock(&sources),
        Command::Admin(AdminCommand::Add { name, role }) => add_user(&sources, &name, &role),
        Command::Admin(AdminCommand::List) => list_users(&sources),
        Command::Admin(AdminCommand::Remove { name }) => {
            with_maintenance(&sources, async |m| m.remove_user(&name).await)
                .map(|()| println!("removed {name}; their sessions have ended"))
        }
        Command::Admin(AdminCommand::Reset { name }) => {
            with_maintenance(&sources, async |m| m.reset_user(&name).await).map(|e| print_user_enrolment(&e))
        }
        Command::Admin(AdminCommand::Role { name, role }) => {
            with_maintenance(&sources, async |m| m.set_user_role(&name, &role).await)
                .map(|()| println!("{name} is now {role}"))
        }
        Command::Person(PersonCommand::Export { email, output }) => {
            person_export(&sources, &email, output.as_deref())
        }
        Command::Person(PersonCommand::Erase { email, yes }) => person_erase(&sources, &email, yes),
        Command::NotifyTest => notify_test(&sources),
        Command::Healthcheck { url } => healthcheck(&sources, url),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure(message, code)) => {
            eprintln!("contact-client: {message}");
            ExitCode::from(code)
        }
    }
}

/// Process environment as text; variables that are not UTF-8 cannot be ours.
fn process_env() -> impl Iterator<Item = (String, String)> {
    std::env::vars_os().filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
}

/// The instance's configuration, where the appliance listens, and what the bootstrap did.
struct Loaded {
    config: Config,
    listen: Listen,
    bootstrap: Bootstrap,
}

fn load(sources: &Sources, mode: Mode) -> Result<Loaded, Failure> {
    let figment = sources.figment(process_env())?;
    let (figment, bootstrap) = appliance::bootstrap(figment, mode)?;
    Ok(Loaded { config: Config::from_figment(&figment)?, listen: Listen::from_figment(&figment)?, bootstrap })
}

fn serve(sources: &Sources) -> Result<(), Failure> {
    let Loaded { config, listen, bootstrap } = load(sources, Mode::Write)?;
    // Before Rocket starts, so that Rocket's own logger (which writes request URIs) stands aside.
    if let Err(e) = appliance::Logger::install(listen.log_format) {
        eprintln!("contact-client: no logger ({e})");
    }
    if !bootstrap.generated.is_empty() {
        log::warn!(
            "generated {} and kept them in {} (mode 0600); back this file up",
            bootstrap.generated.join(", "),
            bootstrap.path.display()
        );
    }
    if let Some(totp) = &bootstrap.new_totp_secret {
        match listen.log_format {
            LogFormat::Text => print_enrolment(totp),
            // A collector gets the link as one line; the QR code is for a terminal.
            LogFormat::Json => log::warn!(
                "admin sign-in (shown once): enter this URI in an authenticator app: {}",
                appliance::otpauth_uri(totp)
            ),
        }
    }
    let rocket_config = Figment::from(rocket::Config::default())
        .merge(("address", listen.address))
        .merge(("port", listen.port))
        // Rocket reads the client address from X-Real-IP unless told not to, and logs the value
        // when it is malformed; PROXY_IP_HEADER is ours to read.
        .merge(("ip_header", false))
        .merge(("cli_colors", false))
        .merge(("ident", false));
    let runtime = rocket::tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure(format!("cannot start the runtime: {e}"), 1))?;
    runtime
        .block_on(
            rocket::custom(rocket_config)
                // Our fairing and error pages set every header Rocket's default Shield would,
                // stricter; an empty Shield keeps it from warning about each one it finds set.
                .attach(rocket::shield::Shield::new())
                .attach(ContactClient::from_config(config))
                .launch(),
        )
        .map(drop)
        .map_err(|e| Failure(format!("the server stopped: {e}"), 1))
}

fn keygen() -> Result<(), Failure> {
    let (lines, totp) = appliance::fresh_env_lines();
    print!("{lines}");
    print_enrolment(&totp);
    Ok(())
}

fn check(sources: &Sources) -> Result<(), Failure> {
    let Loaded { config, listen, bootstrap } = load(sources, Mode::ReadOnly)?;
    println!("configuration: ok");
    println!("{}", appliance::describe(&config, &listen));
    for name in &bootstrap.generated {
        println!("  {name}: not set; `serve` will generate it into {}", bootstrap.path.display());
    }
    let database = appliance::database(&config);
    if let Database::Sqlite(file) = database {
        if !file.exists() {
            println!("database: {database} does not exist yet; `serve` will create it");
            return Ok(());
        }
    }
    on_database(&config, async |m| m.verify().await)?;
    println!("database: {database} ok");
    Ok(())
}

/// The configuration for commands that read stored data: the keys must exist already.
fn load_existing(sources: &Sources) -> Result<Config, Failure> {
    let Loaded { config, bootstrap, .. } = load(sources, Mode::ReadOnly)?;
    if let Some(missing) = bootstrap.generated.first() {
        return Err(Failure(
            format!(
                "{missing} is not set and {} has none: there is nothing to decrypt with",
                bootstrap.path.display()
            ),
            2,
        ));
    }
    Ok(config)
}

fn with_maintenance<T>(
    sources: &Sources,
    work: impl AsyncFnOnce(&Maintenance) -> Result<T, MaintenanceError>,
) -> Result<T, Failure> {
    on_database(&load_existing(sources)?, work)
}

fn on_database<T>(
    config: &Config,
    work: impl AsyncFnOnce(&Maintenance) -> Result<T, MaintenanceError>,
) -> Result<T, Failure> {
    let runtime = rocket::tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure(format!("cannot start the runtime: {e}"), 1))?;
    runtime.block_on(async {
        let maintenance = Maintenance::open(config).await.map_err(|e| Failure(e.to_string(), 1))?;
        let result = work(&maintenance).await.map_err(|e| Failure(e.to_string(), 1));
        maintenance.close().await;
        result
    })
}

fn export(sources: &Sources, format: ExportFormat, output: Option<&Path>) -> Result<(), Failure> {
    refuse_existing(output)?;
    let text = with_maintenance(sources, async |m| m.export(format).await)?;
    write_out(&text, output)
}

fn person_export(sources: &Sources, email: &str, output: Option<&Path>) -> Result<(), Failure> {
    refuse_existing(output)?;
    let (count, json) = with_maintenance(sources, async |m| m.person_export(email).await)?;
    write_out(&json, output)?;
    eprintln!("contact-client: {count} submission{} from this address", if count == 1 { "" } else { "s" });
    Ok(())
}

fn person_erase(sources: &Sources, email: &str, yes: bool) -> Result<(), Failure> {
    if !yes {
        return Err(Failure(
            "erasing cannot be undone: add --yes to erase every submission of this address".into(),
            2,
        ));
    }
    let erased = with_maintenance(sources, async |m| m.person_erase(email).await)?;
    println!(
        "erased {erased} submission{} of this address, with their notes and notifications",
        if erased == 1 { "" } else { "s" }
    );
    Ok(())
}

/// An export never overwrites a file; said before the export is made (and audited).
fn refuse_existing(output: Option<&Path>) -> Result<(), Failure> {
    match output {
        Some(path) if path.exists() => {
            Err(Failure(format!("{} already exists; choose a new file", path.display()), 1))
        }
        _ => Ok(()),
    }
}

/// Decrypted data to standard output, or to a new file readable by the owner only.
fn write_out(text: &str, output: Option<&Path>) -> Result<(), Failure> {
    match output {
        None => print!("{text}"),
        Some(path) => {
            use std::io::Write;
            use std::os::unix::fs::OpenOptionsExt;
            // Decrypted personal data: readable by the owner only.
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(path)
                .map_err(|e| Failure(format!("{}: {e}", path.display()), 1))?;
            file.write_all(text.as_bytes()).map_err(|e| Failure(format!("{}: {e}", path.display()), 1))?;
            eprintln!("contact-client: wrote {}", path.display());
        }
    }
    Ok(())
}

fn rotate_key(sources: &Sources) -> Result<(), Failure> {
    let count = with_maintenance(sources, async |m| m.rotate_key().await)?;
    println!("re-encrypted {count} values with the first key of FERNET_KEY");
    Ok(())
}

fn backup(sources: &Sources, file: &Path) -> Result<(), Failure> {
    with_maintenance(sources, async |m| m.backup(file).await)?;
    println!("backed up to {}", file.display());
    Ok(())
}

fn copy_db(sources: &Sources, to: &str) -> Result<(), Failure> {
    let target = match Database::parse_url(to) {
        Ok(target @ Database::Postgres(_)) => target,
        _ => return Err(Failure("--to: must be a postgres:// URL naming the database".into(), 2)),
    };
    let copied = with_maintenance(sources, async |m| m.copy_to(&target).await)?;
    for (table, rows) in &copied.tables {
        println!("  {table:<22} {rows:>9} rows");
    }
    println!("copied into {target}; every table's count matches");
    Ok(())
}

fn unlock(sources: &Sources) -> Result<(), Failure> {
    let cleared = with_maintenance(sources, async |m| m.unlock_sign_in().await)?;
    println!("sign-in unlocked ({cleared} throttled account{})", if cleared == 1 { "" } else { "s" });
    Ok(())
}

fn notify_test(sources: &Sources) -> Result<(), Failure> {
    let Loaded { config, .. } = load(sources, Mode::ReadOnly)?;
    let runtime = rocket::tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure(format!("cannot start the runtime: {e}"), 1))?;
    let results = runtime.block_on(appliance::notify_test(&config)).map_err(|e| Failure(e, 2))?;
    if results.is_empty() {
        return Err(Failure("nothing to test: set NOTIFY_EMAIL_TO and SMTP_URL, or WEBHOOK_URL".into(), 2));
    }
    let mut failed = false;
    for (receiver, result) in results {
        match result {
            Ok(()) => println!("{receiver}: sent"),
            Err(e) => {
                failed = true;
                println!("{receiver}: FAILED ({e})");
            }
        }
    }
    if failed {
        return Err(Failure("a notification could not be sent".into(), 1));
    }
    Ok(())
}

/// A password as one line on standard input.
fn read_password() -> Result<String, Failure> {
    let mut password = String::new();
    std::io::stdin()
        .read_line(&mut password)
        .map_err(|e| Failure(format!("cannot read standard input: {e}"), 1))?;
    let password = password.trim_end_matches(['\n', '\r']).to_string();
    if password.is_empty() {
        return Err(Failure("no password on standard input".into(), 2));
    }
    Ok(password)
}

fn hash_password() -> Result<(), Failure> {
    let hash = appliance::hash_password(&read_password()?).map_err(|e| Failure(e.to_string(), 1))?;
    println!("{hash}");
    Ok(())
}

fn add_user(sources: &Sources, name: &str, role: &str) -> Result<(), Failure> {
    let password = read_password()?;
    let enrolment = with_maintenance(sources, async |m| m.add_user(name, role, &password).await)?;
    print_user_enrolment(&enrolment);
    Ok(())
}

fn list_users(sources: &Sources) -> Result<(), Failure> {
    let users = with_maintenance(sources, async |m| m.users().await)?;
    if users.is_empty() {
        println!("no users: the shared TOTP_SECRET signs in");
    }
    for u in users {
        let last = u.last_sign_in.as_deref().unwrap_or("never signed in");
        println!("{}\t{}\tadded {}\t{last}", u.name, u.role, u.created_at);
    }
    Ok(())
}

/// A user's enrolment, shown once: the URI on stdout (its QR code on stderr), then the
/// recovery codes.
fn print_user_enrolment(enrolment: &appliance::UserEnrolment) {
    eprintln!("Scan this QR code with the user's authenticator app, or enter the URI below:");
    print_qr(&enrolment.uri);
    println!("{}", enrolment.uri);
    println!("recovery codes:");
    for code in &enrolment.recovery_codes {
        println!("{code}");
    }
    eprintln!("Each recovery code signs in once, in place of a code. Keep them somewhere safe: they are not shown again.");
}

/// `GET /healthz` over plain HTTP with a 3 s budget; only a 200 is healthy.
fn healthcheck(sources: &Sources, url: Option<String>) -> Result<(), Failure> {
    use std::io::{Read, Write};
    let url = match url {
        Some(url) => url,
        None => {
            let Loaded { config, listen, .. } = load(sources, Mode::ReadOnly)?;
            let base = config.base_path().trim_end_matches('/');
            format!("{}{base}/healthz", listen.local_url())
        }
    };
    let unhealthy = |why: String| Failure(format!("unhealthy: {why}"), 1);
    let rest =
        url.strip_prefix("http://").ok_or_else(|| unhealthy("only http:// URLs are checked".into()))?;
    let (authority, path) =
        rest.split_once('/').map_or((rest, "/".to_string()), |(a, p)| (a, format!("/{p}")));
    let timeout = std::time::Duration::from_secs(3);
    let addr = std::net::ToSocketAddrs::to_socket_addrs(authority)
        .ok()
        .and_then(|mut a| a.next())
        .ok_or_else(|| unhealthy(format!("cannot resolve {authority}")))?;
    let mut stream =
        std::net::TcpStream::connect_timeout(&addr, timeout).map_err(|e| unhealthy(e.to_string()))?;
    stream
        .set_read_timeout(Some(timeout))
        .and_then(|_| stream.set_write_timeout(Some(timeout)))
        .map_err(|e| unhealthy(e.to_string()))?;
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\r\n")
        .map_err(|e| unhealthy(e.to_string()))?;
    let mut reply = String::new();
    stream.take(64 * 1024).read_to_string(&mut reply).map_err(|e| unhealthy(e.to_string()))?;
    let status = reply.split(' ').nth(1).unwrap_or_default();
    if status != "200" {
        return Err(unhealthy(format!(
            "{url} answered {}",
            if status.is_empty() { "nothing" } else { status }
        )));
    }
    println!("healthy: {url}");
    Ok(())
}

/// The admin's TOTP enrolment, on the terminal only: the otpauth URI and its QR code.
fn print_enrolment(totp: &Secret) {
    let uri = appliance::otpauth_uri(totp);
    eprintln!("Admin sign-in: scan this QR code with an authenticator app (shown once), or enter the URI:");
    print_qr(&uri);
    eprintln!("{uri}");
}

/// A QR code of `text` on the terminal (standard error).
fn print_qr(text: &str) {
    if let Ok(code) = qrcode::QrCode::new(text.as_bytes()) {
        use qrcode::render::unicode::Dense1x2;
        let image = code.render::<Dense1x2>().dark_color(Dense1x2::Light).light_color(Dense1x2::Dark).build();
        eprintln!("{image}");
    }
}
