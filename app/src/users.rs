//! The admin's list of users.

use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

use crate::auth::{RequireRole, Role};
use crate::error::AppError;
use crate::widgets::{ErrorNote, LoadingRows};

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

/// The Users page (admins).
#[component]
pub fn UsersPage() -> impl IntoView {
    view! {
        <Title text="Users" />
        <RequireRole role=Role::Admin>
            <UsersList />
        </RequireRole>
    }
}

#[component]
fn UsersList() -> impl IntoView {
    let users = Resource::new(|| (), |()| list_users());
    view! {
        <div class="page-head">
            <div>
                <h1>"Users"</h1>
                <p class="muted">"Add users with " <code>"stepdesk user add <name> --role …"</code> "."</p>
            </div>
        </div>
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
