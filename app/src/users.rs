//! The admin's list of users.

use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

use crate::auth::Role;
use crate::error::AppError;
use crate::loaded::load;
use crate::widgets::{ErrorNote, LoadingRows, Notice};

/// A user as the admin list shows them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserRow {
    /// Sign-in name.
    pub name: String,
    /// What they may do.
    pub role: Role,
    /// Whether they are disabled (cannot sign in).
    pub disabled: bool,
    /// Whether this is the admin looking at the list.
    pub is_me: bool,
}

/// Every user by name (admins only).
#[server(endpoint = "list_users")]
pub async fn list_users() -> Result<Vec<UserRow>, AppError> {
    use crate::auth::ssr::{from_db, require};
    let me = require(Role::Admin).await?;
    let accounts = db::users::accounts(&crate::state::pool()?).await?;
    Ok(accounts
        .into_iter()
        .map(|a| UserRow {
            is_me: a.user.id == me.id,
            name: a.user.name,
            role: from_db(a.user.role),
            disabled: a.disabled,
        })
        .collect())
}

/// Disables a user, ending their sessions, or enables them again (admins
/// only; never oneself, so that an admin cannot lock everyone out).
#[server(endpoint = "set_user_disabled")]
pub async fn set_user_disabled(name: String, disabled: bool) -> Result<String, AppError> {
    use crate::auth::ssr::require;
    let me = require(Role::Admin).await?;
    let name = db::UserName::parse(&name)?;
    if name.as_str() == me.name {
        return Err(AppError::Refused("You cannot disable yourself.".into()));
    }
    let pool = crate::state::pool()?;
    db::users::set_disabled(&pool, name.as_str(), disabled).await?;
    let event = db::audit::NewEvent {
        actor_id: Some(me.id),
        action: if disabled {
            "user_disabled"
        } else {
            "user_enabled"
        },
        comment: name.as_str(),
        ..Default::default()
    };
    db::audit::record(&pool, &event).await?;
    Ok(if disabled {
        format!("Disabled {}: their sessions have ended.", name.as_str())
    } else {
        format!("Enabled {} again.", name.as_str())
    })
}

/// Sets a new password for a user, ending their sessions (admins only).
#[server(endpoint = "reset_password")]
pub async fn reset_password(name: String, password: String) -> Result<String, AppError> {
    use crate::auth::ssr::require;
    let me = require(Role::Admin).await?;
    let name = db::UserName::parse(&name)?;
    let hash = tokio::task::spawn_blocking(move || db::password::hash(&password))
        .await
        .map_err(|_| AppError::Internal)?
        .map_err(|e| AppError::Fields(vec![("password".into(), e.to_string())]))?;
    let pool = crate::state::pool()?;
    db::users::set_password(&pool, name.as_str(), &hash).await?;
    let event = db::audit::NewEvent {
        actor_id: Some(me.id),
        action: "password_reset",
        comment: name.as_str(),
        ..Default::default()
    };
    db::audit::record(&pool, &event).await?;
    Ok(format!(
        "Set a new password for {}: their sessions have ended.",
        name.as_str()
    ))
}

/// Adds a user (admins only).
#[server(endpoint = "add_user")]
pub async fn add_user(name: String, role: String, password: String) -> Result<String, AppError> {
    use crate::auth::ssr::require;
    require(Role::Admin).await?;
    let name = db::UserName::parse(&name)
        .map_err(|e| AppError::Fields(vec![("name".into(), e.to_string())]))?;
    let role: db::Role = role
        .parse()
        .map_err(|e: db::Error| AppError::Fields(vec![("role".into(), e.to_string())]))?;
    let hash = tokio::task::spawn_blocking(move || db::password::hash(&password))
        .await
        .map_err(|_| AppError::Internal)?
        .map_err(|e| AppError::Fields(vec![("password".into(), e.to_string())]))?;
    let user = db::users::insert(&crate::state::pool()?, &name, role, &hash).await?;
    Ok(format!("Added {} as {}.", user.name, user.role))
}

/// The Users page (admins).
#[component]
pub fn UsersPage() -> impl IntoView {
    view! {
        <Title text="Users" />
            <UsersList />
    }
}

#[component]
fn UsersList() -> impl IntoView {
    let add = ServerAction::<AddUser>::new();
    let toggle = ServerAction::<SetUserDisabled>::new();
    let reset = ServerAction::<ResetPassword>::new();
    let users = load(
        move || {
            (
                add.version().get(),
                toggle.version().get(),
                reset.version().get(),
            )
        },
        |_| list_users(),
    );
    let pending = add.pending();
    let field = move |name: &'static str| {
        move || match add.value().get() {
            Some(Err(e)) => e.field(name),
            _ => None,
        }
    };
    view! {
        <div class="page-head">
            <div>
                <h1>"Users"</h1>
                <p class="muted">"Who can sign in, and what they may do. Also from the command line: " <code>"stepdesk user add|list|passwd|disable"</code></p>
            </div>
        </div>
        <section class="panel narrow">
            <h2>"Add a user"</h2>
            {move || add.value().get().map(|r| match r {
                Ok(message) => view! { <Notice message /> }.into_any(),
                Err(AppError::Fields(_)) => ().into_any(),
                Err(e) => view! { <Notice message=e.to_string() error=true /> }.into_any(),
            })}
            <ActionForm action=add attr:class="form" attr:aria-label="Add a user">
                <div class="row">
                    <div class="field">
                        <label for="new-name">"User name"</label>
                        <input id="new-name" name="name" required maxlength="32" autocomplete="off" />
                        {move || field("name")().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
                    </div>
                    <div class="field">
                        <label for="new-role">"Role"</label>
                        <select id="new-role" name="role">
                            <option value="operator">"Operator"</option>
                            <option value="manager">"Manager"</option>
                            <option value="admin">"Admin"</option>
                        </select>
                    </div>
                    <div class="field">
                        <label for="new-password">"Password"</label>
                        <input id="new-password" name="password" type="password" required minlength="8" autocomplete="new-password" />
                        {move || field("password")().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
                    </div>
                </div>
                <button class="button button-primary" type="submit" disabled=pending>
                    {move || if pending.get() { "Adding…" } else { "Add user" }}
                </button>
            </ActionForm>
        </section>
        <section class="panel" aria-label="Everyone who can sign in">
            {move || toggle.value().get().or_else(|| reset.value().get()).map(|r| match r {
                Ok(message) => view! { <Notice message /> }.into_any(),
                Err(e) => view! { <Notice message=e.to_string() error=true /> }.into_any(),
            })}
            <Suspense fallback=LoadingRows>
                {move || Suspend::new(async move {
                    match users.await {
                        Ok(rows) => view! {
                            <ul class="list">
                                {rows
                                    .into_iter()
                                    .map(|u| view! { <UserItem u toggle reset /> })
                                    .collect_view()}
                            </ul>
                        }
                        .into_any(),
                        Err(err) => view! { <ErrorNote message=err.to_string() /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// One user in the list, with what an admin can do about them.
#[component]
fn UserItem(
    u: UserRow,
    toggle: ServerAction<SetUserDisabled>,
    reset: ServerAction<ResetPassword>,
) -> impl IntoView {
    let password_id = format!("reset-{}", u.name);
    let toggle_label = format!("Disable or enable {}", u.name);
    let reset_label = format!("New password for {}", u.name);
    let name = u.name.clone();
    view! {
        <li class="list-row user-row">
            <span class="list-title">{u.name.clone()}</span>
            <span class="badge badge-role">{u.role.label()}</span>
            {u.disabled.then(|| view! { <span class="badge badge-flag">"disabled"</span> })}
            {(!u.is_me).then(|| view! {
                <ActionForm action=toggle attr:class="inline-form" attr:aria-label=toggle_label>
                    <input type="hidden" name="name" value=name />
                    <input type="hidden" name="disabled" value=(!u.disabled).to_string() />
                    <button class="button button-quiet" type="submit">
                        {if u.disabled { "Enable" } else { "Disable" }}
                    </button>
                </ActionForm>
            })}
            <details class="reset-password">
                <summary>"Reset password"</summary>
                <ActionForm action=reset attr:class="inline-form" attr:aria-label=reset_label>
                    <input type="hidden" name="name" value=u.name.clone() />
                    <label for=password_id.clone()>"New password"</label>
                    <input id=password_id name="password" type="password" required minlength="8" autocomplete="new-password" />
                    <button class="button" type="submit">"Set password"</button>
                </ActionForm>
            </details>
        </li>
    }
}
