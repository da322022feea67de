//! The admin's list of users.

use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

use crate::auth::Role;
use crate::error::AppError;
use crate::widgets::{ErrorNote, LoadingRows, Notice};

/// A user as the admin list shows them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserRow {
    /// Sign-in name.
    pub name: String,
    /// What they may do.
    pub role: Role,
}

/// Every user by name (admins only).
#[server(endpoint = "list_users")]
pub async fn list_users() -> Result<Vec<UserRow>, AppError> {
    use crate::auth::ssr::{from_db, require};
    require(Role::Admin).await?;
    let users = db::users::list(&crate::state::pool()?).await?;
    Ok(users
        .into_iter()
        .map(|u| UserRow {
            name: u.name,
            role: from_db(u.role),
        })
        .collect())
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
    let users = Resource::new(move || add.version().get(), |_| list_users());
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
                <p class="muted">"Who can sign in, and what they may do. Also from the command line: " <code>"stepdesk user add <name> --role …"</code></p>
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
        <section class="panel">
            <Suspense fallback=LoadingRows>
                {move || Suspend::new(async move {
                    match users.await {
                        Ok(rows) => view! {
                            <ul class="list">
                                {rows
                                    .into_iter()
                                    .map(|u| view! {
                                        <li class="list-row">
                                            <span class="list-title">{u.name}</span>
                                            <span class="badge badge-role">{u.role.label()}</span>
                                        </li>
                                    })
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
