//! Signing in and out, the current user and roles.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

#[cfg(feature = "ssr")]
pub mod ssr;

/// What a user may do; each role includes the ones before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Role {
    /// Works cases.
    Operator,
    /// Also decides escalations.
    Manager,
    /// Also manages users.
    Admin,
}

impl Role {
    /// The role's name as people read it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Operator => "Operator",
            Self::Manager => "Manager",
            Self::Admin => "Admin",
        }
    }

    /// Tells whether this role may do what `needed` may.
    pub fn allows(self, needed: Role) -> bool {
        self >= needed
    }
}

/// The signed-in user as the browser sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    /// Sign-in name.
    pub name: String,
    /// What they may do.
    pub role: Role,
    /// Whether the server runs as a demo (its users' password is public).
    pub demo: bool,
}

/// Signs in; on success the session id is rotated and the browser is sent to
/// `next` (a local path) or to My work.
#[server(endpoint = "login")]
pub async fn login(
    username: String,
    password: String,
    next: Option<String>,
) -> Result<(), AppError> {
    ssr::login(username, password, next).await
}

/// Signs out and sends the browser to the sign-in page.
#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    ssr::logout().await
}

/// Ends every session of the signed-in user, on every device, and sends the
/// browser to the sign-in page.
#[server(endpoint = "logout_everywhere")]
pub async fn logout_everywhere() -> Result<(), AppError> {
    ssr::logout_everywhere().await
}

/// The signed-in user, if any.
#[server(endpoint = "current_user")]
pub async fn get_current_user() -> Result<Option<CurrentUser>, AppError> {
    let demo = crate::state::state()?.demo;
    Ok(ssr::user().await?.map(|u| ssr::to_current(&u, demo)))
}

/// The message for an error code that a form posted without JavaScript got back in the URL.
fn message_for_code(code: &str) -> &'static str {
    match code {
        "credentials" => "Wrong user name or password.",
        "throttled" => "Too many failed attempts. Try again in a few minutes.",
        "busy" => "Signing in is busy right now. Try again in a moment.",
        "forbidden" => "Your role does not allow this.",
        "invalid" => "Please check what you typed.",
        _ => "Something went wrong. Please try again.",
    }
}

/// The sign-in page: a plain form that also works without JavaScript.
#[component]
pub fn LoginPage() -> impl IntoView {
    let login = ServerAction::<Login>::new();
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    let error = move || match login.value().get() {
        Some(Err(err)) => Some(err.to_string()),
        Some(Ok(())) => None,
        None => query
            .read()
            .get("error")
            .map(|code| message_for_code(&code).to_owned()),
    };
    let pending = login.pending();
    view! {
        <leptos_meta::Title text="Sign in" />
        <main class="login">
            <section class="login-card" aria-labelledby="login-title">
                <p class="brand"><span class="brand-mark" aria-hidden="true">"◆"</span>" Stepdesk"</p>
                <h1 id="login-title">"Sign in"</h1>
                <p class="muted">"Work your cases and decide escalations."</p>
                <ActionForm action=login attr:class="form">
                    <input type="hidden" name="next" value=next />
                    <label for="username">"User name"</label>
                    <input
                        id="username"
                        name="username"
                        autocomplete="username"
                        autocapitalize="none"
                        required
                        autofocus
                    />
                    <label for="password">"Password"</label>
                    <input
                        id="password"
                        name="password"
                        type="password"
                        autocomplete="current-password"
                        required
                    />
                    <Show when=move || error().is_some()>
                        <p class="alert alert-error" role="alert">{error}</p>
                    </Show>
                    <button class="button button-primary" type="submit" disabled=pending>
                        {move || if pending.get() { "Signing in…" } else { "Sign in" }}
                    </button>
                </ActionForm>
            </section>
        </main>
    }
}

/// The sign-out button: a form, so it works without JavaScript too.
#[component]
pub fn LogoutButton() -> impl IntoView {
    let logout = ServerAction::<Logout>::new();
    let everywhere = ServerAction::<LogoutEverywhere>::new();
    view! {
        <ActionForm action=logout attr:class="logout">
            <button class="button button-quiet" type="submit">"Sign out"</button>
        </ActionForm>
        <ActionForm action=everywhere attr:class="logout">
            <button class="button button-quiet" type="submit" title="Ends your sessions on every device">
                "Sign out everywhere"
            </button>
        </ActionForm>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_higher_role_allows_what_a_lower_one_may_do() {
        assert!(Role::Admin.allows(Role::Manager));
        assert!(Role::Manager.allows(Role::Operator));
        assert!(!Role::Operator.allows(Role::Manager));
    }
}
