//! The demo data set: one user per role with a shared password, and a few
//! cases opened when the mirror has none.

use anyhow::Context;
use db::desk::CaseForm;
use db::{Desk, Role, UserName};

/// The demo users' password (demo mode only).
pub const PASSWORD: &str = "stepdesk-demo";

/// The demo users and their roles.
pub const USERS: [(&str, Role); 4] = [
    ("olivia", Role::Operator),
    ("oscar", Role::Operator),
    ("maria", Role::Manager),
    ("ada", Role::Admin),
];

/// The demo cases: title, priority, customer reference, description.
const CASES: [(&str, &str, &str, &str); 4] = [
    (
        "Invoice 2291 charged twice",
        "high",
        "ACME-2291",
        "The customer sees two identical charges on their card statement.",
    ),
    (
        "Password reset email never arrives",
        "normal",
        "GLOBEX-17",
        "Tried three times since Monday; nothing in spam either.",
    ),
    (
        "Warehouse scanner offline",
        "urgent",
        "INITECH-5",
        "Dock 3 cannot scan inbound pallets.",
    ),
    ("Change delivery address on order 5531", "low", "", ""),
];

/// Creates the demo users that do not exist yet, and the demo cases when
/// there are no cases at all.
pub async fn seed(desk: &Desk) -> anyhow::Result<()> {
    seed_users(desk).await?;
    let counts = db::cases::count_by_status(&desk.pool).await?;
    if counts.iter().map(|(_, n)| n).sum::<i64>() > 0 {
        return Ok(());
    }
    let opener = db::users::find(&desk.pool, "maria")
        .await?
        .context("the demo manager")?;
    for (title, priority, customer_ref, description) in CASES {
        let form = CaseForm {
            case_type: "support".into(),
            title: title.into(),
            priority: priority.into(),
            fields: [
                ("Description".to_owned(), description.to_owned()),
                ("CustomerRef".to_owned(), customer_ref.to_owned()),
            ]
            .into(),
        };
        desk.open_case(&opener, &form)
            .await
            .context("opening a demo case")?;
    }
    Ok(())
}

/// Creates the demo users that do not exist yet.
pub async fn seed_users(desk: &Desk) -> anyhow::Result<()> {
    ensure_users(desk, &USERS, PASSWORD.to_owned()).await
}

/// Creates those of `users` that do not exist yet, each with `password`
/// (hashed once); existing users are left as they are.
pub async fn ensure_users(
    desk: &Desk,
    users: &[(&str, Role)],
    password: String,
) -> anyhow::Result<()> {
    let hash = tokio::task::spawn_blocking(move || db::password::hash(&password))
        .await
        .context("hashing a password")??;
    for &(name, role) in users {
        let name = UserName::parse(name).context("a user name")?;
        match db::users::insert(&desk.pool, &name, role, &hash).await {
            Ok(_) | Err(db::Error::Conflict(_)) => {}
            Err(err) => return Err(err).context("creating a user"),
        }
    }
    Ok(())
}

/// Refuses to start outside demo mode while a demo user still has the demo
/// password: anyone who has read the README could sign in as them.
pub async fn refuse_demo_passwords(pool: &db::SqlitePool) -> anyhow::Result<()> {
    let mut exposed = Vec::new();
    for (name, _) in USERS {
        let Some(found) = db::users::find_credentials(pool, name).await? else {
            continue;
        };
        let hash = found.password_hash;
        let demo = tokio::task::spawn_blocking(move || db::password::verify(PASSWORD, &hash))
            .await
            .context("checking the demo password")?;
        if demo {
            exposed.push(name);
        }
    }
    if exposed.is_empty() {
        return Ok(());
    }
    let fixes: String = exposed
        .iter()
        .map(|name| {
            format!("\n  stepdesk user passwd {name}    (or: stepdesk user disable {name})")
        })
        .collect();
    anyhow::bail!(
        "refusing to start: the demo users {} still have the public demo password. \
         Give each a password of their own, or disable them:{fixes}\n\
         or start with --demo to run the demo.",
        exposed.join(", ")
    )
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
