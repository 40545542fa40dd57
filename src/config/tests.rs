//! Configuration: precedence TOML < .env < environment, seed names, one clear line per bad
//! value that never echoes it, and the first-run secrets bootstrap.

use std::fs;
use std::os::unix::fs::PermissionsExt;

use figment::Figment;

use super::secrets::{bootstrap, Mode};
use super::*;

const SECRET_KEY: &str = "test-secret-key-that-is-long-enough-0123456789";
const FERNET_KEY: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
const TOTP_SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

fn keys_env() -> Vec<(String, String)> {
    vec![
        ("SECRET_KEY".into(), SECRET_KEY.into()),
        ("FERNET_KEY".into(), FERNET_KEY.into()),
        ("TOTP_SECRET".into(), TOTP_SECRET.into()),
    ]
}

fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut all = keys_env();
    all.extend(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    all
}

/// The instance's configuration, after the appliance's listen keys were checked too.
fn load(sources: &Sources, env: Vec<(String, String)>) -> Result<Config, ConfigError> {
    let figment = sources.figment(env)?;
    Listen::from_figment(&figment)?;
    Config::from_figment(&figment)
}

fn listen(sources: &Sources, env: Vec<(String, String)>) -> Listen {
    Listen::from_figment(&sources.figment(env).unwrap()).unwrap()
}

#[test]
fn defaults_are_safe() {
    let config = load(&Sources::default(), keys_env()).unwrap();
    let at = listen(&Sources::default(), keys_env());
    assert_eq!((at.address.to_string(), at.port), ("127.0.0.1".into(), 8080));
    assert_eq!(config.base_path.as_str(), "/");
    assert_eq!(config.env, AppEnv::Production);
    assert_eq!(config.database, Database::Sqlite(PathBuf::from("./data/contact.db")));
    assert_eq!(config.ratelimit.storage, LimitStorage::Memory);
    assert!(config.ratelimit.enabled);
    assert_eq!((config.ratelimit.submit.count, config.ratelimit.submit.period.as_secs()), (5, 60));
    assert_eq!((config.ratelimit.login.count, config.ratelimit.login.period.as_secs()), (5, 900));
    assert_eq!(config.numverify.url.as_str(), "http://apilayer.net/api/validate");
    assert!(config.numverify.api_key.is_none() && config.proxy_ip_header.is_none());
    assert!(config.captcha_test_answer.is_none());
    assert_eq!((config.captcha.mode, config.captcha.pow_maxnumber), (CaptchaMode::Pow, 100_000));
    assert_eq!(config.captcha.pow_maxnumber_at(3), 6_400_000, "four times a tier");
}

#[test]
fn toml_then_env_file_then_environment() {
    let dir = tempfile::tempdir().unwrap();
    let toml = dir.path().join("contact-client.toml");
    let dotenv = dir.path().join(".env");
    fs::write(&toml, "[contact]\nport = 1111\nbase_path = \"/from-toml\"\naddress = \"0.0.0.0\"\n[contact.numverify]\nurl = \"https://toml.example/validate\"\n").unwrap();
    fs::write(
        &dotenv,
        "PORT=2222\nBASE_PATH=/from-dotenv\n# a comment\nexport NUMVERIFY_API_KEY='quoted-key'\n",
    )
    .unwrap();

    let only_toml = Sources { toml: Some(toml.clone()), env_file: None };
    let c = load(&only_toml, keys_env()).unwrap();
    let at = listen(&only_toml, keys_env());
    assert_eq!(
        (at.port, c.base_path.as_str(), at.address.to_string()),
        (1111, "/from-toml", "0.0.0.0".into())
    );
    assert_eq!(c.numverify.url.as_str(), "https://toml.example/validate");

    let with_dotenv = Sources { toml: Some(toml.clone()), env_file: Some(dotenv.clone()) };
    let c = load(&with_dotenv, keys_env()).unwrap();
    let at = listen(&with_dotenv, keys_env());
    assert_eq!((at.port, c.base_path.as_str()), (2222, "/from-dotenv"));
    assert_eq!(at.address.to_string(), "0.0.0.0", "keys .env does not set stay from TOML");
    assert_eq!(c.numverify.api_key.unwrap().expose(), "quoted-key");

    assert_eq!(listen(&with_dotenv, env(&[("PORT", "3333")])).port, 3333);
    // An empty variable counts as unset.
    assert_eq!(listen(&with_dotenv, env(&[("PORT", "")])).port, 2222);
}

#[test]
fn contact_config_names_the_toml_file() {
    let dir = tempfile::tempdir().unwrap();
    let toml = dir.path().join("elsewhere.toml");
    fs::write(&toml, "[contact]\nport = 4444\n").unwrap();
    assert_eq!(listen(&Sources::default(), env(&[("CONTACT_CONFIG", toml.to_str().unwrap())])).port, 4444);
}

#[test]
fn seed_names_keep_working() {
    let c = load(
        &Sources::default(),
        env(&[
            ("FLASK_ENV", "development"),
            ("DB_NAME", "sqlite:///tmp/seed.db"),
            ("RATELIMIT_STORAGE_URL", "redis://127.0.0.1:6379/2"),
            ("NUMVERIFY_API_KEY", "k"),
            ("PROXY_IP_HEADER", "X-Real-IP"),
            ("RATELIMIT_SUBMIT", "7 per 2 minutes"),
            ("RATELIMIT_ENABLED", "false"),
            ("CAPTCHA_TEST_ANSWER", "pass"),
            ("PHONE_DEFAULT_REGION", "us"),
        ]),
    )
    .unwrap();
    assert_eq!(c.env, AppEnv::Development);
    assert_eq!(c.database, Database::Sqlite(PathBuf::from("/tmp/seed.db")));
    assert!(matches!(c.ratelimit.storage, LimitStorage::Redis(_)));
    assert_eq!((c.ratelimit.submit.count, c.ratelimit.submit.period.as_secs()), (7, 120));
    assert!(!c.ratelimit.enabled);
    assert_eq!(c.proxy_ip_header.as_deref(), Some("X-Real-IP"));
    assert_eq!(c.phone_default_region.as_deref(), Some("US"));
    // APP_ENV wins over the seed's FLASK_ENV.
    let c =
        load(&Sources::default(), env(&[("FLASK_ENV", "development"), ("APP_ENV", "production")])).unwrap();
    assert_eq!(c.env, AppEnv::Production);
}

/// Every bad value: its message names the key and does not contain the value.
#[test]
fn bad_values_give_one_clear_line_without_the_value() {
    let cases: &[(&str, &str, &str)] = &[
        ("SECRET_KEY", "short-secret-value", "at least 32"),
        ("FERNET_KEY", "not-a-fernet-key-zzzz", "key 1 of 1 is not a Fernet key"),
        ("FERNET_KEY", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=,bogus-second-key", "key 2 of 2"),
        ("TOTP_SECRET", "not base32 !!!", "not base32"),
        ("TOTP_SECRET", "JBSWY3DP", "shorter than 80 bits"),
        ("ADMIN_PASSWORD_HASH", "plaintext-password", "argon2id"),
        ("NUMVERIFY_URL", "ftp://numverify.example", "http:// or https://"),
        ("NUMVERIFY_ON_ERROR", "maybe-later", "accept or reject"),
        ("DB_NAME", "mysql://user:pw@db/contact", "postgres:// URL"),
        ("DB_NAME", "postgres://user:secret-pw@db", "must name the database"),
        ("DATABASE_URL", "/var/lib/secret-path.db", "postgres://"),
        ("RATELIMIT_STORAGE_URL", "memcached://cache:11211", "memory:// or redis://"),
        ("RATELIMIT_ENABLED", "perhaps", "true or false"),
        ("RATELIMIT_SUBMIT", "lots-per-minute", "not a rate"),
        ("RATELIMIT_LOGIN", "0/minute", "at least one"),
        ("APP_ENV", "staging-env", "production or development"),
        ("ADDRESS", "not-an-address", "IP address"),
        ("PORT", "70000", "port number"),
        ("PORT", "eighty", "port number"),
        ("LOG_FORMAT", "xml-lines", "text or json"),
        ("BASE_PATH", "contact-no-slash", "must start with /"),
        ("BASE_PATH", "/a/../etc", "segments"),
        ("PROXY_IP_HEADER", "X Real IP", "header name"),
        ("PHONE_DEFAULT_REGION", "USA-region", "two-letter"),
        ("PHONE_DEFAULT_REGION", "ZZ", "numbering rules"),
        ("CAPTCHA_MODE", "invisible-please", "pow or image"),
        ("CAPTCHA_POW_MAXNUMBER", "99", "from 1000 to 10000000"),
        ("CAPTCHA_POW_MAXNUMBER", "a-million", "whole number"),
        ("ALLOWED_ORIGINS", "https://other.test/contact", "must be origins"),
        ("ALLOWED_ORIGINS", "other.test", "must be origins"),
        ("DEFAULT_TIME_ZONE", "Mars/Olympus", "IANA time zone"),
        ("LANGUAGES", "en,klingon", "shipped languages only"),
        ("LANGUAGES", "de,fr,de", "twice"),
        ("RETENTION_DAYS", "-5", "from 1 to 36500"),
        ("RETENTION_DAYS", "a-year", "whole number of days"),
        ("RETENTION_SPAM_DAYS", "99999", "from 1 to 36500"),
    ];
    for (name, value, expected) in cases {
        let err = load(&Sources::default(), env(&[(name, value)])).expect_err(name).to_string();
        assert!(err.contains(name), "{name}: {err}");
        assert!(err.contains(expected), "{name}={value}: {err}");
        assert!(!err.contains(value), "{name}: the value leaked into: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
}

#[test]
fn missing_secrets_are_named() {
    let err = Config::from_figment(&Figment::new()).unwrap_err().to_string();
    assert!(err.contains("SECRET_KEY") && err.contains("keygen"), "{err}");
}

#[test]
fn a_broken_toml_file_is_reported_by_line_without_its_content() {
    let dir = tempfile::tempdir().unwrap();
    let toml = dir.path().join("bad.toml");
    fs::write(&toml, "[contact]\nport = 1\nsecret_key = \"super-secret-value-that-must-not-leak\n").unwrap();
    let err = Sources { toml: Some(toml), env_file: None }.figment(keys_env()).unwrap_err().to_string();
    assert!(err.contains("not valid TOML at line 3"), "{err}");
    assert!(!err.contains("super-secret"), "{err}");
}

#[test]
fn a_broken_env_file_is_reported_without_its_content() {
    let dir = tempfile::tempdir().unwrap();
    let dotenv = dir.path().join(".env");
    fs::write(&dotenv, "SECRET_KEY=\"unterminated-secret-value\n").unwrap();
    let err = Sources { toml: None, env_file: Some(dotenv) }.figment(keys_env()).unwrap_err().to_string();
    assert!(err.contains(".env") && err.contains("not a valid .env file"), "{err}");
    assert!(!err.contains("unterminated-secret"), "{err}");
}

#[test]
fn named_files_must_exist() {
    let err =
        Sources { toml: Some("/nonexistent/c.toml".into()), env_file: None }.figment(keys_env()).unwrap_err();
    assert!(err.to_string().contains("does not exist"));
}

fn bare_figment(dir: &std::path::Path, extra: &[(&str, &str)]) -> Figment {
    let mut fig = Figment::new().merge(("contact.data_dir", dir.to_str().unwrap()));
    for (k, v) in extra {
        fig = fig.merge((format!("contact.{k}"), *v));
    }
    fig
}

#[test]
fn first_run_generates_secrets_0600_and_reuses_them() {
    let dir = tempfile::tempdir().unwrap();
    let (fig, report) = bootstrap(bare_figment(dir.path(), &[]), Mode::Write).unwrap();
    assert_eq!(report.generated, vec!["SECRET_KEY", "FERNET_KEY", "TOTP_SECRET"]);
    let totp = report.new_totp_secret.expect("the TOTP enrolment is shown on first generation");
    let first = Config::from_figment(&fig).expect("generated secrets are valid");

    let path = dir.path().join("secrets.env");
    let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(first.fernet_keys.expose()) && text.contains(totp.expose()));

    let (fig, report) = bootstrap(bare_figment(dir.path(), &[]), Mode::Write).unwrap();
    assert!(
        report.generated.is_empty() && report.new_totp_secret.is_none(),
        "nothing new on the second start"
    );
    let second = Config::from_figment(&fig).unwrap();
    assert_eq!(first.secret_key, second.secret_key);
    assert_eq!(first.fernet_keys, second.fernet_keys);
    assert_eq!(first.totp_secret, second.totp_secret);
}

#[test]
fn explicit_keys_win_over_the_secrets_file() {
    let dir = tempfile::tempdir().unwrap();
    bootstrap(bare_figment(dir.path(), &[]), Mode::Write).unwrap();
    let before = fs::read_to_string(dir.path().join("secrets.env")).unwrap();
    let (fig, report) =
        bootstrap(bare_figment(dir.path(), &[("fernet_key", FERNET_KEY)]), Mode::Write).unwrap();
    assert!(report.generated.is_empty());
    let config = Config::from_figment(&fig).unwrap();
    assert_eq!(config.fernet_keys.expose(), FERNET_KEY);
    assert_eq!(fs::read_to_string(dir.path().join("secrets.env")).unwrap(), before, "the file is untouched");
}

#[test]
fn only_missing_secrets_are_generated() {
    let dir = tempfile::tempdir().unwrap();
    let (_, report) = bootstrap(
        bare_figment(dir.path(), &[("secret_key", SECRET_KEY), ("totp_secret", TOTP_SECRET)]),
        Mode::Write,
    )
    .unwrap();
    assert_eq!(report.generated, vec!["FERNET_KEY"]);
    assert!(report.new_totp_secret.is_none(), "no enrolment when the TOTP secret was given");
    let text = fs::read_to_string(dir.path().join("secrets.env")).unwrap();
    assert!(text.contains("FERNET_KEY=") && !text.contains("SECRET_KEY=") && !text.contains("TOTP_SECRET="));
}

#[test]
fn read_only_bootstrap_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (fig, report) = bootstrap(bare_figment(dir.path(), &[]), Mode::ReadOnly).unwrap();
    assert_eq!(report.generated.len(), 3);
    assert!(Config::from_figment(&fig).is_ok());
    assert!(!dir.path().join("secrets.env").exists());
}

#[test]
fn secrets_never_show_in_debug_output() {
    let config = load(&Sources::default(), env(&[("NUMVERIFY_API_KEY", "numverify-access-key")])).unwrap();
    let debug = format!("{config:?}");
    for secret in [SECRET_KEY, FERNET_KEY, TOTP_SECRET, "numverify-access-key"] {
        assert!(!debug.contains(secret), "a secret shows in Debug output");
    }
}

#[test]
fn redis_url_is_the_clear_name_and_the_seed_name_still_works() {
    let url = "redis://127.0.0.1:6390/2";
    for name in ["REDIS_URL", "RATELIMIT_STORAGE_URL"] {
        let config = load(&Sources::default(), env(&[(name, url)])).unwrap();
        assert_eq!(config.ratelimit.storage, LimitStorage::Redis(Secret::new(url)), "{name}");
    }
    let both = load(&Sources::default(), env(&[("RATELIMIT_STORAGE_URL", "memory://"), ("REDIS_URL", url)]))
        .unwrap();
    assert!(matches!(both.ratelimit.storage, LimitStorage::Redis(_)), "REDIS_URL wins");
    let err = load(&Sources::default(), env(&[("REDIS_URL", "rediss://x")])).unwrap_err().to_string();
    assert!(err.contains("REDIS_URL") && !err.contains("rediss://x"), "{err}");
}

#[test]
fn metrics_token_must_be_long_enough() {
    let err = load(&Sources::default(), env(&[("METRICS_TOKEN", "short")])).unwrap_err().to_string();
    assert!(err.contains("METRICS_TOKEN") && !err.contains("short"), "{err}");
    assert!(load(&Sources::default(), env(&[("METRICS_TOKEN", "a-long-enough-token")]))
        .unwrap()
        .metrics_token
        .is_some());
}

/// `docs/configuration.md` is the settings table; `CONTACT_WRITE_DOCS=1 cargo test
/// configuration_md` writes it anew after a setting was added.
#[test]
fn docs_configuration_md_is_the_settings_table() {
    let path = format!("{}/docs/configuration.md", env!("CARGO_MANIFEST_DIR"));
    let table = settings::markdown();
    if std::env::var("CONTACT_WRITE_DOCS").as_deref() == Ok("1") {
        fs::write(&path, &table).unwrap();
    }
    assert_eq!(
        fs::read_to_string(&path).unwrap_or_default(),
        table,
        "run CONTACT_WRITE_DOCS=1 cargo test configuration_md"
    );
}

#[test]
fn every_environment_name_of_the_table_reaches_its_key() {
    for setting in settings::SETTINGS {
        for name in setting.env {
            let layer = sources::env_layer([(name.to_string(), "x".to_string())]);
            let found = layer.focus("contact").find_value(setting.key);
            assert!(found.is_ok(), "{name} -> {}", setting.key);
        }
    }
}

#[test]
fn base_paths_are_normalised_and_checked() {
    assert_eq!(BasePath::parse("/").unwrap().as_str(), "/");
    assert_eq!(BasePath::parse("/contact/").unwrap().as_str(), "/contact");
    assert_eq!(BasePath::parse("/a/b").unwrap().join("/thanks"), "/a/b/thanks");
    assert_eq!(BasePath::parse("/a").unwrap().join("/"), "/a");
    assert_eq!(BasePath::parse("/").unwrap().join("/thanks"), "/thanks");
    for bad in ["", "contact", "/a//b", "/a/../b", "/a b", "/a?x"] {
        assert!(BasePath::parse(bad).is_err(), "{bad:?} accepted");
    }
    let base = BasePath::parse("/contact").unwrap();
    assert!(base.contains("/contact") && base.contains("/contact/thanks"));
    assert!(!base.contains("/contacts") && !base.contains("/"));
}

#[test]
fn database_urls() {
    let sqlite = |raw| Database::parse(raw).unwrap();
    assert_eq!(sqlite("sqlite:///var/x.db"), Database::Sqlite(PathBuf::from("/var/x.db")));
    assert_eq!(sqlite("sqlite://x.db?mode=rwc"), Database::Sqlite(PathBuf::from("x.db")));
    assert_eq!(sqlite("contacts.db"), Database::Sqlite(PathBuf::from("contacts.db")));
    let pg = Database::parse("postgres://contact:pw-1234@db.internal:5432/contact").unwrap();
    assert!(matches!(pg, Database::Postgres(_)));
    assert_eq!(pg.to_string(), "postgres://db.internal:5432/contact", "the password is never shown");
    assert!(!format!("{pg:?}").contains("pw-1234"));
    assert!(Database::parse_url("postgresql://db/contact").is_ok());
    assert!(Database::parse_url("contacts.db").is_err());
}

#[test]
fn database_url_wins_over_db_name() {
    let c = load(
        &Sources::default(),
        env(&[("DB_NAME", "/tmp/seed.db"), ("DATABASE_URL", "postgres://contact@127.0.0.1:5432/contact")]),
    )
    .unwrap();
    assert!(matches!(c.database, Database::Postgres(_)));
}

#[test]
fn a_key_that_is_not_a_setting_is_named() {
    let figment = Figment::new()
        .merge(("contact.secret_key", SECRET_KEY))
        .merge(("contact.fernet_key", FERNET_KEY))
        .merge(("contact.totp_secret", TOTP_SECRET))
        .merge(("contact.ratelimit.submt", "1/minute"));
    let err = Config::from_figment(&figment).unwrap_err().to_string();
    assert!(err.contains("contact.ratelimit.submt") && err.contains("is not a setting"), "{err}");
    assert!(!err.contains("1/minute"), "{err}");
}

#[test]
fn the_builder_validates_like_a_file() {
    let built = Config::builder()
        .set("secret_key", SECRET_KEY)
        .set("fernet_key", FERNET_KEY)
        .set("totp_secret", TOTP_SECRET)
        .set("base_path", "/contact/")
        .set("ratelimit.submit", "3 per 10 minutes")
        .build()
        .unwrap();
    assert_eq!(built.base_path(), "/contact");
    assert_eq!((built.ratelimit.submit.count, built.ratelimit.submit.period.as_secs()), (3, 600));
    let err = Config::builder()
        .set("secret_key", SECRET_KEY)
        .set("fernet_key", FERNET_KEY)
        .set("totp_secret", TOTP_SECRET)
        .set("base_path", "no-slash")
        .build()
        .unwrap_err()
        .to_string();
    assert!(err.contains("BASE_PATH") && !err.contains("no-slash"), "{err}");
}

#[test]
fn notification_settings_are_checked_together() {
    /// The variables set, the name the error must give, and words it must say.
    type Case<'a> = (&'a [(&'a str, &'a str)], &'a str, &'a str);
    let cases: &[Case] = &[
        (&[("SMTP_URL", "garbage-smtp-value")], "SMTP_URL", "smtp://"),
        (&[("SMTP_URL", "smtp://mail.example.com?tls=sometimes")], "SMTP_URL", "required or opportunistic"),
        (
            &[("SMTP_URL", "smtp://user:hunter2pass@mail.example.com?tls=opportunistic")],
            "SMTP_URL",
            "tls=required",
        ),
        (&[("NOTIFY_EMAIL_TO", "owner@example.com")], "SMTP_URL", "required when NOTIFY_EMAIL_TO"),
        (&[("NOTIFY_CONFIRM_VISITOR", "true")], "SMTP_URL", "required when NOTIFY_CONFIRM_VISITOR"),
        (
            &[("NOTIFY_EMAIL_TO", "not an address at all"), ("SMTP_URL", "smtp://127.0.0.1:2525")],
            "NOTIFY_EMAIL_TO",
            "email addresses",
        ),
        (
            &[("WEBHOOK_URL", "https://hooks.example.com/x"), ("WEBHOOK_SECRET", "plainsecretvalue")],
            "WEBHOOK_SECRET",
            "whsec_",
        ),
        (&[("WEBHOOK_URL", "https://hooks.example.com/x")], "WEBHOOK_SECRET", "required when WEBHOOK_URL"),
        (
            &[
                ("WEBHOOK_URL", "http://hooks.example.com/x"),
                ("WEBHOOK_SECRET", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
            ],
            "WEBHOOK_URL",
            "https://",
        ),
        (&[("PUBLIC_URL", "example.com/contact")], "PUBLIC_URL", "http:// or https://"),
    ];
    for (vars, name, expected) in cases {
        let err = load(&Sources::default(), env(vars)).expect_err(name).to_string();
        assert!(err.contains(name) && err.contains(expected), "{vars:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        for (_, value) in *vars {
            assert!(!err.contains(value) || value.len() < 8, "{value} leaked into {err}");
        }
    }
    // The same plain http:// is fine to loopback, and anywhere in development.
    let loopback = env(&[
        ("WEBHOOK_URL", "http://127.0.0.1:9000/x"),
        ("WEBHOOK_SECRET", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
    ]);
    assert!(load(&Sources::default(), loopback).is_ok());
    let smtp =
        load(&Sources::default(), env(&[("SMTP_URL", "smtp://user:p%40ss@mail.example.com")])).unwrap();
    let server = smtp.notify.smtp.unwrap();
    assert_eq!((server.port, server.tls), (587, notify::SmtpTls::Required));
    assert_eq!(server.credentials.as_ref().map(|(u, p)| (u.as_str(), p.expose())), Some(("user", "p@ss")));
    assert!(!format!("{server:?}").contains("p@ss"), "the password never prints");
}

/// The commented example files are what people copy: both must load as they are.
#[test]
fn the_example_files_load() {
    let dir = env!("CARGO_MANIFEST_DIR");
    let sources = Sources {
        toml: Some(format!("{dir}/config/contact-client.toml.example").into()),
        env_file: Some(format!("{dir}/config/.env.example").into()),
    };
    let config = load(&sources, keys_env()).expect("the examples are valid");
    assert_eq!(config.ratelimit.login.period.as_secs(), 900);
}
