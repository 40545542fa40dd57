//! The admins' accounts: name, role, password hash, sealed TOTP secret, the last step each
//! accepted, and their one-time recovery codes (hashed).

use super::{Dialect, Store, StoreError};

#[derive(Debug, Clone)]
pub struct UserRow {
    pub id: i64,
    pub name: String,
    pub role: String,
    pub password_hash: String,
    /// Fernet token of the base32 secret.
    pub totp_secret: String,
    pub created_at: String,
    pub last_sign_in: Option<String>,
    pub enrolled: bool,
}

/// A new account, its secrets already sealed or hashed.
pub struct NewUser<'a> {
    pub name: &'a str,
    pub role: &'a str,
    pub password_hash: &'a str,
    pub totp_secret: &'a str,
    pub recovery_hashes: &'a [[u8; 32]],
    /// False until a first code proves the authenticator.
    pub enrolled: bool,
    pub created_at: &'a str,
}

/// What became of a change to an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserChange {
    Done,
    NoSuchUser,
    /// Refused: it would leave no owner.
    LastOwner,
}

const USER_COLUMNS: &str = "id, name, role, password_hash, totp_secret, created_at, last_sign_in, enrolled";

/// A row of [`USER_COLUMNS`].
type UserColumns = (i64, String, String, String, String, String, Option<String>, bool);

impl From<UserColumns> for UserRow {
    fn from(c: UserColumns) -> UserRow {
        UserRow {
            id: c.0,
            name: c.1,
            role: c.2,
            password_hash: c.3,
            totp_secret: c.4,
            created_at: c.5,
            last_sign_in: c.6,
            enrolled: c.7,
        }
    }
}

/// Replaces the user's recovery codes, in the transaction `$tx` of the backend at hand.
macro_rules! replace_recovery_codes {
    ($tx:expr, $id:expr, $hashes:expr) => {
        sqlx::query("DELETE FROM admin_recovery_codes WHERE user_id = $1").bind($id).execute(&mut *$tx).await?;
        for hash in $hashes {
            sqlx::query("INSERT INTO admin_recovery_codes (user_id, code_hash) VALUES ($1, $2)")
                .bind($id)
                .bind(hash.as_slice())
                .execute(&mut *$tx)
                .await?;
        }
    };
}

impl Store {
    /// Users who may sign in: once there is one, only users do. One just added in the admin
    /// counts after their first code, so the shared admin who added them stays signed in to
    /// confirm it.
    pub async fn enrolled_users(&self) -> Result<i64, StoreError> {
        Ok(on_pool!(self.backend, reads, |pool| {
            sqlx::query_scalar("SELECT count(*) FROM admin_users WHERE enrolled").fetch_one(pool).await?
        }))
    }

    /// Every account, by name.
    pub async fn users(&self) -> Result<Vec<UserRow>, StoreError> {
        let sql = format!("SELECT {USER_COLUMNS} FROM admin_users ORDER BY name");
        let rows: Vec<UserColumns> = on_pool!(self.backend, reads, |pool| sqlx::query_as(&sql).fetch_all(pool).await?);
        Ok(rows.into_iter().map(UserRow::from).collect())
    }

    pub async fn user_by_name(&self, name: &str) -> Result<Option<UserRow>, StoreError> {
        let sql = format!("SELECT {USER_COLUMNS} FROM admin_users WHERE name = $1");
        let row: Option<UserColumns> =
            on_pool!(self.backend, reads, |pool| sqlx::query_as(&sql).bind(name).fetch_optional(pool).await?);
        Ok(row.map(UserRow::from))
    }

    /// Adds the account with its recovery codes; false when the name is taken.
    pub async fn add_user(&self, new: NewUser<'_>) -> Result<bool, StoreError> {
        Ok(on_pool!(self.backend, writer, |pool| {
            let mut tx = pool.begin().await?;
            let id: Option<i64> = sqlx::query_scalar(
                "INSERT INTO admin_users (name, role, password_hash, totp_secret, enrolled, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (name) DO NOTHING RETURNING id",
            )
            .bind(new.name)
            .bind(new.role)
            .bind(new.password_hash)
            .bind(new.totp_secret)
            .bind(new.enrolled)
            .bind(new.created_at)
            .fetch_optional(&mut *tx)
            .await?;
            match id {
                None => false,
                Some(id) => {
                    replace_recovery_codes!(tx, id, new.recovery_hashes);
                    tx.commit().await?;
                    true
                }
            }
        }))
    }

    /// A new TOTP secret and new recovery codes for the account; its sessions end.
    pub async fn reset_user(
        &self,
        name: &str,
        totp_secret: &str,
        recovery_hashes: &[[u8; 32]],
        enrolled: bool,
    ) -> Result<bool, StoreError> {
        Ok(on_pool!(self.backend, writer, |pool| {
            let mut tx = pool.begin().await?;
            let id: Option<i64> = sqlx::query_scalar(
                "UPDATE admin_users SET totp_secret = $1, totp_step = 0, enrolled = $2 WHERE name = $3 RETURNING id",
            )
            .bind(totp_secret)
            .bind(enrolled)
            .bind(name)
            .fetch_optional(&mut *tx)
            .await?;
            match id {
                None => false,
                Some(id) => {
                    replace_recovery_codes!(tx, id, recovery_hashes);
                    sqlx::query("DELETE FROM admin_sessions WHERE user_id = $1").bind(id).execute(&mut *tx).await?;
                    tx.commit().await?;
                    true
                }
            }
        }))
    }

    /// Removes the account (its sessions and codes go with it), unless it is the last owner.
    pub async fn remove_user(&self, name: &str) -> Result<UserChange, StoreError> {
        self.change_keeping_an_owner(name, None).await
    }

    /// Gives the account another role, unless that leaves no owner.
    pub async fn set_user_role(&self, name: &str, role: &str) -> Result<UserChange, StoreError> {
        self.change_keeping_an_owner(name, Some(role)).await
    }

    /// Gives the account `role`, or removes it (`None`), unless that leaves no owner. On
    /// PostgreSQL two instances could each count the other owner and both remove theirs, so
    /// such changes first take a lock that makes them wait for each other (reads go on), and
    /// each then counts what the other committed. SQLite's one writer already makes them take
    /// turns.
    async fn change_keeping_an_owner(&self, name: &str, role: Option<&str>) -> Result<UserChange, StoreError> {
        const OTHER_OWNER: &str = "(SELECT count(*) FROM admin_users WHERE role = 'owner') > 1";
        let sql = match role {
            None => format!("DELETE FROM admin_users WHERE name = $1 AND (role <> 'owner' OR {OTHER_OWNER})"),
            Some(_) => format!(
                "UPDATE admin_users SET role = $2 WHERE name = $1 AND ($2 = 'owner' OR role <> 'owner' OR {OTHER_OWNER})"
            ),
        };
        let lock = match self.backend.dialect() {
            Dialect::Sqlite => None,
            Dialect::Postgres => Some("LOCK TABLE admin_users IN SHARE ROW EXCLUSIVE MODE"),
        };
        let changed = on_pool!(self.backend, writer, |pool| {
            let mut tx = pool.begin().await?;
            if let Some(lock) = lock {
                sqlx::query(lock).execute(&mut *tx).await?;
            }
            let mut change = sqlx::query(&sql).bind(name);
            if let Some(role) = role {
                change = change.bind(role);
            }
            let changed = change.execute(&mut *tx).await?.rows_affected();
            tx.commit().await?;
            changed
        });
        Ok(match (changed, self.user_by_name(name).await?) {
            (1, _) => UserChange::Done,
            (_, None) => UserChange::NoSuchUser,
            (_, Some(_)) => UserChange::LastOwner,
        })
    }

    /// Spends the user's TOTP step only if it is later than every step they used before (a
    /// code works once); `enrol`: the code proved their authenticator, so they may sign in.
    pub async fn spend_user_step(&self, id: i64, step: i64, enrol: bool) -> Result<bool, StoreError> {
        let done = on_pool!(self.backend, writer, |pool| {
            sqlx::query(
                "UPDATE admin_users SET totp_step = $2, enrolled = enrolled OR $3 WHERE id = $1 AND totp_step < $2",
            )
            .bind(id)
            .bind(step)
            .bind(enrol)
            .execute(pool)
            .await?
            .rows_affected()
        });
        Ok(done == 1)
    }

    /// Spends one of the user's recovery codes: false when it is not theirs or was used.
    pub async fn spend_recovery_code(&self, id: i64, hash: &[u8; 32], at: &str) -> Result<bool, StoreError> {
        let done = on_pool!(self.backend, writer, |pool| {
            sqlx::query(
                "UPDATE admin_recovery_codes SET used_at = $3 WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL",
            )
            .bind(id)
            .bind(hash.as_slice())
            .bind(at)
            .execute(pool)
            .await?
            .rows_affected()
        });
        Ok(done == 1)
    }

    pub async fn user_signed_in(&self, id: i64, at: &str) -> Result<(), StoreError> {
        on_pool!(self.backend, writer, |pool| {
            sqlx::query("UPDATE admin_users SET last_sign_in = $1 WHERE id = $2").bind(at).bind(id).execute(pool).await?;
        });
        Ok(())
    }
}
