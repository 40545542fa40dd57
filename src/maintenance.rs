//! What the command line does to the database outside a running server: decrypted exports,
//! re-encryption under the newest key, consistent backups. Each leaves a line in the audit log.

use std::path::Path;
use std::sync::Arc;

use crate::back_office::export;
use crate::back_office::listing::Shelf;
use crate::back_office::people;
use crate::back_office::view::SubmissionView;
use crate::clock::Clock;
use crate::config::{Config, Database};
use crate::crypto::{BlindIndex, Vault};
use crate::domain::Email;
use crate::i18n::{Catalogs, Lang};
use crate::sign_in::team::{Team, TeamError, UserEnrolment};
use crate::store::{AuditEntry, Copied, Store, StoreError, UserRow};

#[derive(Debug, thiserror::Error)]
pub enum MaintenanceError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0} already exists; choose a new file")]
    TargetExists(String),
    #[error("a stored value cannot be decrypted with any key in FERNET_KEY; nothing was changed")]
    Undecryptable,
    #[error(transparent)]
    Keys(#[from] crate::crypto::VaultError),
    #[error("--email: {0}")]
    Email(String),
    #[error("the export cannot be written: {0}")]
    Json(String),
    /// A user change that can't be made, and why.
    #[error("{0}")]
    Refused(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "appliance", derive(clap::ValueEnum))]
pub enum ExportFormat {
    Csv,
    Json,
}

pub struct Maintenance {
    store: Store,
    database: Database,
    vault: Arc<Vault>,
    email_index: BlindIndex,
    /// What the command line says, in the instance's default language.
    catalogs: Catalogs,
    lang: Lang,
}

impl Maintenance {
    pub async fn open(config: &Config) -> Result<Maintenance, MaintenanceError> {
        Ok(Maintenance {
            store: Store::open(&config.database).await?,
            database: config.database.clone(),
            vault: Arc::new(Vault::new(&config.fernet_keys)),
            email_index: BlindIndex::for_emails(&config.secret_key),
            catalogs: Catalogs::shipped(),
            lang: config.languages.default_lang(),
        })
    }

    async fn audit(&self, action: &str) -> Result<(), StoreError> {
        self.audit_count(action, None).await
    }

    async fn audit_count(&self, action: &str, count: Option<i64>) -> Result<(), StoreError> {
        let at = Clock::system().now_rfc3339();
        self.store
            .audit(AuditEntry {
                at: &at,
                action,
                ip: "command line",
                submission_id: None,
                count,
                actor: None,
            })
            .await
    }

    /// Every submission, decrypted, oldest first.
    pub async fn export(&self, format: ExportFormat) -> Result<String, MaintenanceError> {
        let weekdays = self.catalogs.weekdays(self.lang);
        let items: Vec<SubmissionView> = self
            .store
            .all()
            .await?
            .into_iter()
            .map(|r| SubmissionView::open(r, &self.vault, weekdays))
            .collect();
        self.audit("export").await?;
        Ok(match format {
            ExportFormat::Csv => export::csv(&items),
            ExportFormat::Json => export::json(&items),
        })
    }

    /// Re-encrypts every stored token with the first key of FERNET_KEY (and rebuilds the email
    /// index under the current SECRET_KEY), all in one transaction. Running it twice is harmless.
    /// Returns how many values were rewritten.
    pub async fn rotate_key(&self) -> Result<u64, MaintenanceError> {
        let reseal = |token: &str| self.vault.decrypt(token).map(|plain| self.vault.encrypt(&plain));
        let index = |token: &str| {
            self.vault.decrypt(token).map(|email| {
                let normalised =
                    Email::parse(&email).map(|e| e.normalized()).unwrap_or_else(|_| email.to_lowercase());
                self.email_index.of(&normalised)
            })
        };
        let count =
            self.store.reseal_all(reseal, index).await?.map_err(|_| MaintenanceError::Undecryptable)?;
        self.audit("rotate_key").await?;
        Ok(count)
    }

    /// A consistent copy of the live database in a new file.
    pub async fn backup(&self, to: &Path) -> Result<(), MaintenanceError> {
        if to.exists() {
            return Err(MaintenanceError::TargetExists(to.display().to_string()));
        }
        self.store.backup(to).await?;
        self.audit("backup").await?;
        Ok(())
    }

    /// Copies every row into the empty database `target` (its schema made first) and checks
    /// the counts; refused when `target` holds anything, or is the database itself.
    pub async fn copy_to(&self, target: &Database) -> Result<Copied, MaintenanceError> {
        if *target == self.database {
            return Err(MaintenanceError::Refused("the target is the configured database itself".into()));
        }
        let into = Store::open(target).await?;
        let copied = self.store.copy_into(&into).await;
        into.close().await;
        let copied = copied?;
        self.audit_count("copy_db", copied.rows("submissions")).await?;
        Ok(copied)
    }

    /// Forgets every account's failed sign-ins; how many accounts were throttled.
    pub async fn unlock_sign_in(&self) -> Result<u64, MaintenanceError> {
        let cleared = self.store.clear_sign_in_failures(None).await?;
        self.audit("sign_in_unlock").await?;
        Ok(cleared)
    }

    fn shelf(&self) -> Shelf<'_> {
        Shelf {
            store: &self.store,
            vault: &self.vault,
            email_index: &self.email_index,
            weekdays: self.catalogs.weekdays(self.lang),
        }
    }

    fn email(&self, raw: &str) -> Result<Email, MaintenanceError> {
        Email::parse(raw).map_err(|msg| MaintenanceError::Email(self.catalogs.text(self.lang, msg)))
    }

    fn refused(&self, e: TeamError) -> MaintenanceError {
        match e {
            TeamError::Refused(phrase) => MaintenanceError::Refused(self.catalogs.phrase(self.lang, &phrase)),
            TeamError::Store(e) => e.into(),
        }
    }

    /// Everything stored of the person who wrote from `email`, decrypted, as JSON; and how many
    /// submissions that is.
    pub async fn person_export(&self, email: &str) -> Result<(usize, String), MaintenanceError> {
        let email = self.email(email)?;
        let export = people::export(&self.shelf(), &email, Clock::system().now_rfc3339()).await?;
        let count = export.submissions.len();
        self.audit_count("person_export", i64::try_from(count).ok()).await?;
        let json =
            serde_json::to_string_pretty(&export).map_err(|e| MaintenanceError::Json(e.to_string()))?;
        Ok((count, json + "\n"))
    }

    /// Erases every submission of the person who wrote from `email`: how many there were.
    pub async fn person_erase(&self, email: &str) -> Result<u64, MaintenanceError> {
        let email = self.email(email)?;
        let erased = people::erase(&self.shelf(), &email).await?;
        self.audit_count("person_erase", i64::try_from(erased).ok()).await?;
        Ok(erased)
    }

    fn team(&self) -> Team<'_> {
        Team { store: &self.store, vault: &self.vault }
    }

    /// Adds an admin user with `password`, who may sign in at once: their enrolment, shown once.
    pub async fn add_user(
        &self,
        name: &str,
        role: &str,
        password: &str,
    ) -> Result<UserEnrolment, MaintenanceError> {
        let now = Clock::system().now_rfc3339();
        let enrolment =
            self.team().add(name, role, password, true, &now).await.map_err(|e| self.refused(e))?;
        self.audit("user_add").await?;
        Ok(enrolment)
    }

    pub async fn users(&self) -> Result<Vec<UserRow>, MaintenanceError> {
        Ok(self.store.users().await?)
    }

    /// A new authenticator secret and recovery codes for the user; their sessions end.
    pub async fn reset_user(&self, name: &str) -> Result<UserEnrolment, MaintenanceError> {
        let enrolment = self.team().reset(name, true).await.map_err(|e| self.refused(e))?;
        self.audit("user_reset").await?;
        Ok(enrolment)
    }

    /// Removes the user (their sessions end), unless they are the last owner.
    pub async fn remove_user(&self, name: &str) -> Result<(), MaintenanceError> {
        self.team().remove(name).await.map_err(|e| self.refused(e))?;
        self.audit("user_remove").await?;
        Ok(())
    }

    /// Gives the user another role, unless that leaves no owner.
    pub async fn set_user_role(&self, name: &str, role: &str) -> Result<(), MaintenanceError> {
        self.team().set_role(name, role).await.map_err(|e| self.refused(e))?;
        self.audit("user_role").await?;
        Ok(())
    }

    /// The database answers and FERNET_KEY opens a sample of what it holds.
    pub async fn verify(&self) -> Result<(), MaintenanceError> {
        self.store.ping().await?;
        let sample = self.store.sealed_sample(crate::crypto::KEY_SAMPLE).await?;
        self.vault.opens(&sample)?;
        Ok(())
    }

    pub async fn close(&self) {
        self.store.close().await;
    }
}
