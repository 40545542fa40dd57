//! Every setting in one table: its key under `[contact]`, its environment names, its default
//! and what it means. The table drives the environment aliases, the defaults the validation
//! falls back to, and `docs/configuration.md` (a test keeps that file equal to [`markdown`]), so
//! a new setting is added here and nowhere else.

/// One setting.
pub struct Setting {
    /// The dotted key inside the `contact` section.
    pub key: &'static str,
    /// Environment names, the winning one last (`APP_ENV` over the seed's `FLASK_ENV`).
    pub env: &'static [&'static str],
    /// The value used when none is given (empty: unset, or generated where `doc` says so).
    pub default: &'static str,
    pub doc: &'static str,
}

const fn setting(
    key: &'static str,
    env: &'static [&'static str],
    default: &'static str,
    doc: &'static str,
) -> Setting {
    Setting { key, env, default, doc }
}

pub const SETTINGS: &[Setting] = &[
    setting("secret_key", &["SECRET_KEY"], "", "32+ characters; every other key of the instance (CSRF, blind index, CAPTCHA seal, Redis namespace) is derived from it. Unset: generated on first start into `DATA_DIR/secrets.env`."),
    setting("fernet_key", &["FERNET_KEY"], "", "One or more comma-separated Fernet keys (url-safe base64 of 32 bytes); the first encrypts, all decrypt. Unset: generated on first start."),
    setting("totp_secret", &["TOTP_SECRET"], "", "The admin's base32 TOTP secret (80 bits or more). Unset: generated on first start, its enrolment shown once."),
    setting("admin_password_hash", &["ADMIN_PASSWORD_HASH"], "", "An argon2id PHC string (`contact-client hash-password`); when set, sign-in needs the password and a code."),
    setting("numverify.api_key", &["NUMVERIFY_API_KEY"], "", "NumVerify access key. Unset: local phone validation only."),
    setting("numverify.url", &["NUMVERIFY_URL"], "http://apilayer.net/api/validate", "NumVerify's validate endpoint (`https://` on paid plans, or the apilayer.com gateway)."),
    setting("numverify.on_error", &["NUMVERIFY_ON_ERROR"], "accept", "`accept` (store, marked unverified) or `reject` when NumVerify fails or is slow."),
    setting("phone.default_region", &["PHONE_DEFAULT_REGION"], "", "Two-letter region for numbers typed without `+country`, e.g. `US`."),
    setting("database", &["DB_NAME"], "", "SQLite file path or `sqlite://` URL, or a `postgres://` URL. Unset: `DATA_DIR/contact.db`."),
    setting("database_url", &["DATABASE_URL"], "", "`postgres://user:password@host:5432/database`: PostgreSQL, shared by several instances (wins over `DB_NAME`). Unset: SQLite."),
    setting("data_dir", &["DATA_DIR"], "./data", "Where the database and generated secrets live (created 0700)."),
    setting("ratelimit.storage_url", &["RATELIMIT_STORAGE_URL", "REDIS_URL"], "memory://", "`memory://`, or `redis://host:port[/db]` to share rate limits, CAPTCHA uses and phone verdicts between instances."),
    setting("ratelimit.enabled", &["RATELIMIT_ENABLED"], "true", "`false` turns every limit off (benchmarks only; a WARNING at start)."),
    setting("ratelimit.submit", &["RATELIMIT_SUBMIT"], "5/minute", "Form submissions per address (`5/minute`, `5 per 15 minutes`, `100/day`)."),
    setting("ratelimit.captcha", &["RATELIMIT_CAPTCHA"], "10/minute", "New CAPTCHA challenges and audio plays per address."),
    setting("ratelimit.verify", &["RATELIMIT_VERIFY"], "20/minute", "CAPTCHA answer checks per address."),
    setting("ratelimit.login", &["RATELIMIT_LOGIN"], "5 per 15 minutes", "Sign-in attempts per address (after the CSRF check); each account also allows 5 failures freely, then growing pauses, at most 100 an hour."),
    setting("ratelimit.default", &["RATELIMIT_DEFAULT"], "120/minute", "Every other route per address, pages, `/healthz`, static files and unknown paths together."),
    setting("env", &["FLASK_ENV", "APP_ENV"], "production", "`production` (Secure cookies) or `development`."),
    setting("address", &["ADDRESS"], "127.0.0.1", "The appliance's listen address."),
    setting("port", &["PORT"], "8080", "The appliance's listen port."),
    setting("log_format", &["LOG_FORMAT"], "text", "The appliance's log lines: `text`, or `json` (one object a line: `time`, `level`, `target`, `message`). Either way without personal data or secrets."),
    setting("base_path", &["BASE_PATH"], "/", "Where the whole system is mounted, e.g. `/contact`."),
    setting("proxy_ip_header", &["PROXY_IP_HEADER"], "", "The header holding the client address behind a proxy (`X-Real-IP` behind NGINX). Unset: the socket's address; no header is trusted."),
    setting("captcha.mode", &["CAPTCHA_MODE"], "pow", "`pow`: a proof of work solved in the background, or the image answer, passes; `image`: only the image answer."),
    setting("captcha.pow_maxnumber", &["CAPTCHA_POW_MAXNUMBER"], "100000", "The proof of work's base difficulty (numbers to try, 1,000 to 10,000,000); an address that keeps asking gets up to 64 times more."),
    setting("captcha.test_answer", &["CAPTCHA_TEST_ANSWER"], "", "Test mode: every challenge's answer is this string; a WARNING at every start. Never in production."),
    setting("notify.email_to", &["NOTIFY_EMAIL_TO"], "", "Comma-separated addresses told of each new submission (needs `SMTP_URL`). Unset: no owner email."),
    setting("notify.smtp_url", &["SMTP_URL"], "", "`smtp://[user:pass@]host[:port][?tls=required\\|opportunistic]` (STARTTLS; port 587) or `smtps://…` (implicit TLS; port 465). TLS is required except to loopback, where it is used when offered."),
    setting("notify.smtp_ca_file", &["SMTP_CA_FILE"], "", "A PEM file of certificate authorities to trust besides the public ones, for a relay with a private certificate."),
    setting("notify.email_from", &["NOTIFY_EMAIL_FROM"], "ContactClient <noreply@localhost>", "The sender of every email."),
    setting("notify.include_details", &["NOTIFY_INCLUDE_DETAILS"], "false", "`true` puts name, email, phone and message in the owner's email, with `Reply-To` the visitor. Default: no personal data in email."),
    setting("notify.confirm_visitor", &["NOTIFY_CONFIRM_VISITOR"], "false", "`true` sends the visitor a short receipt (never their message), at most one per address per 24 h (needs `SMTP_URL`)."),
    setting("notify.webhook_url", &["WEBHOOK_URL"], "", "URL POSTed a signed JSON event (Standard Webhooks) for each new submission; `https://`, or `http://` to loopback."),
    setting("notify.webhook_secret", &["WEBHOOK_SECRET"], "", "`whsec_` + base64 of 24-64 random bytes; required with `WEBHOOK_URL` (`contact-client keygen` prints one)."),
    setting("public_url", &["PUBLIC_URL"], "", "The public address of `BASE_PATH` (`https://example.com/contact`), for the admin link in notifications. Unset: no link."),
    setting("retention.days", &["RETENTION_DAYS"], "", "Submissions older than this many days (1 to 36500) are deleted for good, hourly and at start. Unset: kept until deleted by hand."),
    setting("retention.spam_days", &["RETENTION_SPAM_DAYS"], "30", "Submissions marked spam are deleted this many days (1 to 36500) after they came."),
    setting("allowed_origins", &["ALLOWED_ORIGINS"], "", "Comma-separated origins (`https://site.example`) whose pages may show the form in a frame (`/embed.js`) and post to it from their own form (CORS). Unset: this site only."),
    setting("languages", &["LANGUAGES"], "en", "Comma-separated languages the pages, errors and emails are offered in (shipped: `en`, `de`, `fr`, `es`); the first is the default. A visitor gets the one their browser prefers (`Accept-Language`) or picks with `?lang=`."),
    setting("default_time_zone", &["DEFAULT_TIME_ZONE"], "UTC", "The IANA time zone (`Europe/Berlin`) a preferred time is meant in when the form sends none (the page's script sends the visitor's)."),
    setting("templates_dir", &["TEMPLATES_DIR"], "", "A directory whose files replace the embedded templates of the same name (`form.html`, `email/owner.txt`, …); each is compiled at start. Unset: the embedded ones."),
    setting("static_dir", &["STATIC_DIR"], "", "A directory whose files replace the embedded static files of the same name (`style.css`, …) or add new ones. Unset: the embedded ones."),
    setting("metrics_token", &["METRICS_TOKEN"], "", "16+ characters: `Authorization: Bearer <token>` shows `/healthz`'s details and reads `/metrics` (Prometheus; docs/operations.md). Unset: `/healthz` details for signed-in admins only, no `/metrics`."),
];

/// The setting of a key (every key the validation reads is in the table).
pub fn setting_of(key: &str) -> Option<&'static Setting> {
    SETTINGS.iter().find(|s| s.key == key)
}

/// The table as `docs/configuration.md`.
pub fn markdown() -> String {
    let mut out = String::from(
        "# Configuration\n\n\
         Every setting, generated from `src/config/settings.rs` (a test keeps this file equal to it).\n\
         Sources, lowest to highest precedence: these defaults, the TOML file (`[contact]` table; a\n\
         host's `[default.contact]`; `contact-client.toml` in the working directory, or `--config\n\
         FILE` / `CONTACT_CONFIG`), the `.env` file (the working directory's, or `--env-file FILE`),\n\
         the process environment. Bad values stop the start with one line naming the setting, never\n\
         its value; a secret is never printed, not even from a broken line of a file.\n\n\
         | environment | TOML key (`[contact]`) | default | meaning |\n|---|---|---|---|\n",
    );
    for s in SETTINGS {
        let env: Vec<String> = s.env.iter().rev().map(|e| format!("`{e}`")).collect();
        let default = if s.default.is_empty() { "unset".to_string() } else { format!("`{}`", s.default) };
        out.push_str(&format!("| {} | `{}` | {} | {} |\n", env.join(", "), s.key, default, s.doc));
    }
    out
}

/// A key the table does not hold is a typo (`ratelimit.submt`) that would otherwise leave its
/// setting at the default without a word.
pub(super) fn reject_unknown_keys(section: &figment::Figment) -> Result<(), super::ConfigError> {
    fn walk(prefix: &str, dict: &figment::value::Dict) -> Result<(), super::ConfigError> {
        for (name, value) in dict {
            let key = if prefix.is_empty() { name.clone() } else { format!("{prefix}.{name}") };
            match value {
                figment::value::Value::Dict(_, inner) if setting_of(&key).is_none() => walk(&key, inner)?,
                _ if setting_of(&key).is_none() => {
                    return Err(super::ConfigError::invalid(
                        &key,
                        "is not a setting (see docs/configuration.md)",
                    ))
                }
                _ => {}
            }
        }
        Ok(())
    }
    walk("", &section.extract::<figment::value::Dict>().unwrap_or_default())
}
