//! The demo data set: one user per role, with a shared password.

use anyhow::Context;
use db::{Role, SqlitePool, UserName};

/// The demo users' password (demo mode only).
pub const PASSWORD: &str = "stepdesk-demo";

/// The demo users and their roles.
pub const USERS: [(&str, Role); 4] = [
    ("olivia", Role::Operator),
    ("oscar", Role::Operator),
    ("maria", Role::Manager),
    ("ada", Role::Admin),
];

/// Creates the demo users that do not exist yet.
pub async fn seed(pool: &SqlitePool) -> anyhow::Result<()> {
    let hash = tokio::task::spawn_blocking(|| db::password::hash(PASSWORD))
        .await
        .context("hashing the demo password")??;
    for (name, role) in USERS {
        let name = UserName::parse(name).context("a demo user name")?;
        match db::users::insert(pool, &name, role, &hash).await {
            Ok(_) | Err(db::Error::Conflict(_)) => {}
            Err(err) => return Err(err).context("creating a demo user"),
        }
    }
    Ok(())
}

/// A note for the console listing the demo users.
pub fn banner(url: &str) -> String {
    let users = USERS
        .iter()
        .map(|(name, role)| format!("    {name:<8} {role}"))
        .collect::<Vec<_>>()
        .join("\n");
    format!("Stepdesk demo at {url}\n  users (password `{PASSWORD}`):\n{users}")
}
