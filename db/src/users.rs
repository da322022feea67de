//! People who sign in: names, roles and password hashes.

use std::fmt;
use std::str::FromStr;

use chrono::Utc;
use sqlx::SqlitePool;

use crate::{Error, Result};

/// What a user may do.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    sqlx::Type,
    serde::Serialize,
    serde::Deserialize,
)]
#[sqlx(type_name = "TEXT", rename_all = "lowercase")]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Works cases: assigns, claims, records work.
    Operator,
    /// Decides escalations, on top of what an operator does.
    Manager,
    /// Manages users, on top of what a manager does.
    Admin,
}

impl Role {
    /// The role's name as stored and typed on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Operator => "operator",
            Self::Manager => "manager",
            Self::Admin => "admin",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        match s {
            "operator" => Ok(Self::Operator),
            "manager" => Ok(Self::Manager),
            "admin" => Ok(Self::Admin),
            other => Err(Error::Invalid(format!(
                "Unknown role {other:?}: use operator, manager or admin."
            ))),
        }
    }
}

/// A valid user name: 1 to 32 characters of `a-z`, `0-9`, `.`, `_` or `-`, lower-cased.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserName(String);

impl UserName {
    /// Checks and normalises a user name.
    pub fn parse(s: &str) -> Result<Self> {
        let name = s.trim().to_lowercase();
        let valid_chars = name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
        if name.is_empty() || name.len() > 32 || !valid_chars {
            return Err(Error::Invalid(
                "A user name has 1 to 32 letters, digits, dots, dashes or underscores.".into(),
            ));
        }
        Ok(Self(name))
    }

    /// The name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A user as the rest of the product sees it (no password hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Row id.
    pub id: i64,
    /// Sign-in name.
    pub name: String,
    /// What the user may do.
    pub role: Role,
}

/// Adds a user with an already hashed password; a taken name is [`Error::Conflict`].
#[tracing::instrument(skip(pool, password_hash))]
pub async fn insert(
    pool: &SqlitePool,
    name: &UserName,
    role: Role,
    password_hash: &str,
) -> Result<User> {
    let now = Utc::now();
    let name = name.as_str();
    let id = sqlx::query_scalar!(
        "INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?) RETURNING id",
        name,
        role,
        password_hash,
        now,
    )
    .fetch_one(pool)
    .await
    .map_err(|e| Error::on_unique(e, "a user with this name"))?;
    Ok(User {
        id,
        name: name.to_owned(),
        role,
    })
}

/// What signing in checks: an enabled user, their password hash, and the
/// session epoch a new session of theirs gets.
#[derive(Debug, Clone)]
pub struct Credentials {
    /// The user.
    pub user: User,
    /// argon2id, PHC string format.
    pub password_hash: String,
    /// The user's current session epoch.
    pub session_epoch: i64,
}

/// Finds an enabled user's credentials by name (case-insensitive); a
/// disabled user has none.
#[tracing::instrument(skip(pool))]
pub async fn find_credentials(pool: &SqlitePool, name: &str) -> Result<Option<Credentials>> {
    let row = sqlx::query!(
        r#"SELECT id AS "id!", name, role AS "role: Role", password_hash, session_epoch
           FROM users WHERE name = ? AND disabled_at IS NULL"#,
        name
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| Credentials {
        user: User {
            id: r.id,
            name: r.name,
            role: r.role,
        },
        password_hash: r.password_hash,
        session_epoch: r.session_epoch,
    }))
}

/// The user a session of epoch `epoch` belongs to, while that session is
/// still good: the user exists, is enabled, and has not revoked it.
#[tracing::instrument(skip(pool))]
pub async fn of_session(pool: &SqlitePool, id: i64, epoch: i64) -> Result<Option<User>> {
    let user = sqlx::query_as!(
        User,
        r#"SELECT id, name, role AS "role: Role" FROM users
           WHERE id = ? AND session_epoch = ? AND disabled_at IS NULL"#,
        id,
        epoch
    )
    .fetch_optional(pool)
    .await?;
    Ok(user)
}

/// Ends every session of user `id` (sign out everywhere).
#[tracing::instrument(skip(pool))]
pub async fn revoke_sessions(pool: &SqlitePool, id: i64) -> Result<()> {
    sqlx::query!(
        "UPDATE users SET session_epoch = session_epoch + 1 WHERE id = ?",
        id
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Disables (or enables again) the user `name`; disabling ends their
/// sessions. An unknown name is [`Error::NotFound`].
#[tracing::instrument(skip(pool))]
pub async fn set_disabled(pool: &SqlitePool, name: &str, disabled: bool) -> Result<()> {
    let now = disabled.then(Utc::now);
    let done = sqlx::query!(
        "UPDATE users SET disabled_at = ?, session_epoch = session_epoch + ? WHERE name = ?",
        now,
        disabled,
        name
    )
    .execute(pool)
    .await?;
    one_user(done)
}

/// Sets the password of `name` (already hashed) and ends their sessions.
#[tracing::instrument(skip(pool, password_hash))]
pub async fn set_password(pool: &SqlitePool, name: &str, password_hash: &str) -> Result<()> {
    let done = sqlx::query!(
        "UPDATE users SET password_hash = ?, session_epoch = session_epoch + 1 WHERE name = ?",
        password_hash,
        name
    )
    .execute(pool)
    .await?;
    one_user(done)
}

/// An update of one user by name: none updated means no such user.
fn one_user(done: sqlx::sqlite::SqliteQueryResult) -> Result<()> {
    match done.rows_affected() {
        0 => Err(Error::NotFound("The user")),
        _ => Ok(()),
    }
}

/// A user as an admin sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// The user.
    pub user: User,
    /// Whether they are disabled.
    pub disabled: bool,
}

/// Every user by name, with whether they are disabled.
#[tracing::instrument(skip(pool))]
pub async fn accounts(pool: &SqlitePool) -> Result<Vec<Account>> {
    let rows = sqlx::query!(
        r#"SELECT id AS "id!", name, role AS "role: Role", disabled_at IS NOT NULL AS "disabled!: bool"
           FROM users ORDER BY name"#
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Account {
            user: User {
                id: r.id,
                name: r.name,
                role: r.role,
            },
            disabled: r.disabled,
        })
        .collect())
}

/// Finds a user by name (case-insensitive).
#[tracing::instrument(skip(pool))]
pub async fn find(pool: &SqlitePool, name: &str) -> Result<Option<User>> {
    let user = sqlx::query_as!(
        User,
        r#"SELECT id AS "id!", name, role AS "role: Role" FROM users WHERE name = ?"#,
        name
    )
    .fetch_optional(pool)
    .await?;
    Ok(user)
}

/// Reads a user by id.
#[tracing::instrument(skip(pool))]
pub async fn get(pool: &SqlitePool, id: i64) -> Result<Option<User>> {
    let user = sqlx::query_as!(
        User,
        r#"SELECT id, name, role AS "role: Role" FROM users WHERE id = ?"#,
        id
    )
    .fetch_optional(pool)
    .await?;
    Ok(user)
}

/// Every user's name, in order.
pub async fn names(pool: &SqlitePool) -> Result<Vec<String>> {
    Ok(list(pool).await?.into_iter().map(|u| u.name).collect())
}

/// Lists every user by name.
#[tracing::instrument(skip(pool))]
pub async fn list(pool: &SqlitePool) -> Result<Vec<User>> {
    let users = sqlx::query_as!(
        User,
        r#"SELECT id AS "id!", name, role AS "role: Role" FROM users ORDER BY name"#
    )
    .fetch_all(pool)
    .await?;
    Ok(users)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_user_name_is_trimmed_and_lower_cased() {
        let name = UserName::parse("  Alice.O ").expect("valid");
        assert_eq!(name.as_str(), "alice.o");
    }

    #[test]
    fn a_user_name_with_spaces_or_symbols_is_refused() {
        for bad in ["", "a b", "x".repeat(33).as_str(), "bob<script>"] {
            assert!(UserName::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn roles_round_trip_through_text() {
        for role in [Role::Operator, Role::Manager, Role::Admin] {
            assert_eq!(role.as_str().parse::<Role>().expect("parses"), role);
        }
    }
}
