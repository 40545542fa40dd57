//! The admins' accounts: name, role, password hash, sealed TOTP secret, the last step each
//! accepted, and their one-time recovery codes (hashed).

use rocket_db_pools::sqlx::{self, Row};

use super::{Store, StoreError};

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

fn user_of(r: &sqlx::sqlite::SqliteRow) -> UserRow {
    UserRow {
        id: r.get(0),
        name: r.get(1),
        role: r.get(2),
        password_hash: r.get(3),
        totp_secret: r.get(4),
        created_at: r.get(5),
        last_sign_in: r.get(6),
        enrolled: r.get(7),
    }
}

impl Store {
    /// Users who may sign in: once there is one, only users do. One just added in the admin
    /// counts after their first code, so the shared admin who added them stays signed in to
    /// confirm it.
    pub async fn enrolled_users(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("SELECT count(*) FROM admin_users WHERE enrolled = 1").fetch_one(&self.pool).await?)
    }

    /// Every account, by name.
    pub async fn users(&self) -> Result<Vec<UserRow>, StoreError> {
        let rows = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM admin_users ORDER BY name"))
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().map(user_of).collect())
    }

    pub async fn user_by_name(&self, name: &str) -> Result<Option<UserRow>, StoreError> {
        let row = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM admin_users WHERE name = ?"))
            .bind(name)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.as_ref().map(user_of))
    }

    /// Adds the account with its recovery codes; false when the name is taken.
    pub async fn add_user(&self, new: NewUser<'_>) -> Result<bool, StoreError> {
        let mut tx = self.writer.begin().await?;
        let id: Option<i64> = sqlx::query_scalar(
            "INSERT INTO admin_users (name, role, password_hash, totp_secret, enrolled, created_at)
             VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING RETURNING id",
        )
        .bind(new.name)
        .bind(new.role)
        .bind(new.password_hash)
        .bind(new.totp_secret)
        .bind(new.enrolled)
        .bind(new.created_at)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(id) = id else {
            return Ok(false);
        };
        replace_recovery_codes(&mut tx, id, new.recovery_hashes).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// A new TOTP secret and new recovery codes for the account; its sessions end.
    pub async fn reset_user(
        &self,
        name: &str,
        totp_secret: &str,
        recovery_hashes: &[[u8; 32]],
        enrolled: bool,
    ) -> Result<bool, StoreError> {
        let mut tx = self.writer.begin().await?;
        let id: Option<i64> = sqlx::query_scalar(
            "UPDATE admin_users SET totp_secret = ?, totp_step = 0, enrolled = ? WHERE name = ? RETURNING id",
        )
        .bind(totp_secret)
        .bind(enrolled)
        .bind(name)
                .fetch_optional(&mut *tx)
                .await?;
        let Some(id) = id else {
            return Ok(false);
        };
        replace_recovery_codes(&mut tx, id, recovery_hashes).await?;
        sqlx::query("DELETE FROM admin_sessions WHERE user_id = ?").bind(id).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Removes the account (its sessions and codes go with it), unless it is the last owner.
    pub async fn remove_user(&self, name: &str) -> Result<UserChange, StoreError> {
        let done = sqlx::query(
            "DELETE FROM admin_users WHERE name = ?1
             AND (role <> 'owner' OR (SELECT count(*) FROM admin_users WHERE role = 'owner') > 1)",
        )
        .bind(name)
        .execute(&self.writer)
        .await?;
        self.user_change(name, done.rows_affected()).await
    }

    /// Gives the account another role, unless that leaves no owner.
    pub async fn set_user_role(&self, name: &str, role: &str) -> Result<UserChange, StoreError> {
        let done = sqlx::query(
            "UPDATE admin_users SET role = ?2 WHERE name = ?1
             AND (?2 = 'owner' OR role <> 'owner' OR (SELECT count(*) FROM admin_users WHERE role = 'owner') > 1)",
        )
        .bind(name)
        .bind(role)
        .execute(&self.writer)
        .await?;
        self.user_change(name, done.rows_affected()).await
    }

    async fn user_change(&self, name: &str, changed: u64) -> Result<UserChange, StoreError> {
        Ok(match (changed, self.user_by_name(name).await?) {
            (1, _) => UserChange::Done,
            (_, None) => UserChange::NoSuchUser,
            (_, Some(_)) => UserChange::LastOwner,
        })
    }

    /// Spends the user's TOTP step only if it is later than every step they used before (a
    /// code works once); `enrol`: the code proved their authenticator, so they may sign in.
    pub async fn spend_user_step(&self, id: i64, step: i64, enrol: bool) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE admin_users SET totp_step = ?2, enrolled = enrolled OR ?3 WHERE id = ?1 AND totp_step < ?2",
        )
        .bind(id)
        .bind(step)
        .bind(enrol)
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Spends one of the user's recovery codes: false when it is not theirs or was used.
    pub async fn spend_recovery_code(&self, id: i64, hash: &[u8; 32], at: &str) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE admin_recovery_codes SET used_at = ?3 WHERE user_id = ?1 AND code_hash = ?2 AND used_at IS NULL",
        )
        .bind(id)
        .bind(hash.as_slice())
        .bind(at)
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn user_signed_in(&self, id: i64, at: &str) -> Result<(), StoreError> {
        sqlx::query("UPDATE admin_users SET last_sign_in = ? WHERE id = ?").bind(at).bind(id).execute(&self.writer).await?;
        Ok(())
    }
}

async fn replace_recovery_codes(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    id: i64,
    hashes: &[[u8; 32]],
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM admin_recovery_codes WHERE user_id = ?").bind(id).execute(&mut **tx).await?;
    for hash in hashes {
        sqlx::query("INSERT INTO admin_recovery_codes (user_id, code_hash) VALUES (?, ?)")
            .bind(id)
            .bind(hash.as_slice())
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}
