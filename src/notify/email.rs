//! Email through the configured SMTP server (lettre: async, pooled, rustls). Messages are
//! rendered from `templates/contact/email/`, a plain text part and a simple HTML one.

use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::transport::smtp::PoolConfig;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use minijinja::context;

use super::SendError;
use crate::back_office::view::SubmissionView;
use crate::config::notify::{NotifyConfig, PublicUrl, SmtpServer, SmtpTls};
use crate::domain::readable_in_zone;
use crate::i18n::{Args, Lang};
use crate::render::Renderer;

/// How long one SMTP conversation may take.
const TIMEOUT: Duration = Duration::from_secs(20);

pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    owners: Vec<Mailbox>,
    include_details: bool,
    public_url: Option<PublicUrl>,
}

/// Why the SMTP settings can't be used (a CA file that holds no certificate).
#[derive(Debug, thiserror::Error)]
#[error("SMTP: {0}")]
pub struct MailerError(String);

impl Mailer {
    pub fn new(server: &SmtpServer, notify: &NotifyConfig) -> Result<Mailer, MailerError> {
        let mut tls = TlsParameters::builder(server.host.clone());
        if let Some(path) = &server.ca_file {
            let pem = std::fs::read(path)
                .map_err(|e| MailerError(format!("{} cannot be read ({})", path.display(), e.kind())))?;
            let ca = Certificate::from_pem(&pem)
                .map_err(|_| MailerError(format!("{} holds no PEM certificate", path.display())))?;
            tls = tls.add_root_certificate(ca);
        }
        let tls = tls.build_rustls().map_err(|e| MailerError(e.to_string()))?;
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&server.host)
            .port(server.port)
            .timeout(Some(TIMEOUT))
            .pool_config(PoolConfig::new().max_size(4).idle_timeout(Duration::from_secs(60)))
            .tls(match server.tls {
                SmtpTls::Implicit => Tls::Wrapper(tls),
                SmtpTls::Required => Tls::Required(tls),
                SmtpTls::Opportunistic => Tls::Opportunistic(tls),
            });
        if let Some((user, password)) = &server.credentials {
            builder = builder.credentials(Credentials::new(user.clone(), password.expose().to_string()));
        }
        Ok(Mailer {
            transport: builder.build(),
            from: notify.email_from.clone(),
            owners: notify.email_to.clone(),
            include_details: notify.include_details,
            public_url: notify.public_url.clone(),
        })
    }

    /// The owners' email about a new submission, in the default language.
    pub async fn tell_owners(&self, render: &Renderer, s: &SubmissionView) -> Result<(), SendError> {
        let lang = render.languages().default_lang();
        let link = self.public_url.as_ref().map(|url| url.join(&format!("/admin/submissions/{}", s.id)));
        let visitor_language =
            Lang::parse(&s.language).map_or(s.language.clone(), |l| l.autonym().to_string());
        let ctx = context! {
            s, link, visitor_language,
            details => self.include_details,
            preferred_time => &s.preferred_local,
        };
        let mut args = Args::new();
        args.set("id", s.id);
        let subject = render.catalogs().format(lang, "email-owner-subject", Some(&args));
        let mut message = Message::builder().from(self.from.clone()).subject(subject);
        for owner in &self.owners {
            message = message.to(owner.clone());
        }
        if self.include_details {
            if let Ok(visitor) = s.email.parse::<lettre::Address>() {
                message = message.reply_to(Mailbox::new(Some(s.name.clone()), visitor));
            }
        }
        self.send(message, render, lang, "owner", ctx).await
    }

    /// The visitor's receipt, in the language they read the form in: that the request arrived,
    /// and when they asked to be called. Never their message, name or a link: nothing a bot
    /// could make us carry to a stranger.
    pub async fn confirm_to_visitor(&self, render: &Renderer, s: &SubmissionView) -> Result<(), SendError> {
        let to: lettre::Address =
            s.email.parse().map_err(|_| SendError::permanent("the visitor's address cannot be mailed"))?;
        let lang = render.languages().find(&s.language).unwrap_or(render.languages().default_lang());
        let catalogs = render.catalogs();
        let preferred_time = readable_in_zone(&s.preferred_time, &s.time_zone, catalogs.weekdays(lang));
        let message = Message::builder()
            .from(self.from.clone())
            .to(Mailbox::new(None, to))
            .subject(catalogs.format(lang, "email-receipt-subject", None));
        self.send(message, render, lang, "confirmation", context! { preferred_time }).await
    }

    /// A test message to the owners (`contact-client notify-test`), in the default language.
    pub async fn test(&self, render: &Renderer) -> Result<(), SendError> {
        let lang = render.languages().default_lang();
        let subject = render.catalogs().format(lang, "email-test-subject", None);
        let mut message = Message::builder().from(self.from.clone()).subject(subject);
        for owner in &self.owners {
            message = message.to(owner.clone());
        }
        let message = message
            .body(render.catalogs().format(lang, "email-test-body", None))
            .map_err(|_| SendError::permanent("the message cannot be built"))?;
        self.deliver(message).await
    }

    async fn send(
        &self,
        builder: lettre::message::MessageBuilder,
        render: &Renderer,
        lang: Lang,
        template: &str,
        ctx: minijinja::Value,
    ) -> Result<(), SendError> {
        let rendered = |ext: &str| {
            render
                .render(&format!("contact/email/{template}.{ext}"), lang, ctx.clone())
                .map_err(|_| SendError::permanent("the message cannot be rendered"))
        };
        let body = MultiPart::alternative()
            .singlepart(SinglePart::builder().header(ContentType::TEXT_PLAIN).body(rendered("txt")?))
            .singlepart(SinglePart::builder().header(ContentType::TEXT_HTML).body(rendered("html")?));
        let message =
            builder.multipart(body).map_err(|_| SendError::permanent("the message cannot be built"))?;
        self.deliver(message).await
    }

    async fn deliver(&self, message: Message) -> Result<(), SendError> {
        match self.transport.send(message).await {
            Ok(_) => Ok(()),
            // The server's own words may quote an address: only the code is kept. Even a
            // permanent answer is tried again: it is most often our settings (a refused login,
            // an unknown sender), and the owner may mend them within the three days.
            Err(e) => {
                let what = match e.status() {
                    Some(code) => format!("the SMTP server answered {code}"),
                    None if e.is_timeout() => "the SMTP server did not answer in time".to_string(),
                    None if e.is_tls() => "TLS with the SMTP server failed".to_string(),
                    None => "the SMTP server cannot be reached".to_string(),
                };
                Err(SendError::transient(what))
            }
        }
    }
}
