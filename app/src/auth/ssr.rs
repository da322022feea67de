//! The server side of signing in: sessions, password checks, role checks.

use axum::http::header::ACCEPT;
use db::users::User;
use leptos::prelude::*;
use tower_sessions::Session;

use super::{CurrentUser, Role};
use crate::error::AppError;
use crate::state::{pool, state};

mod guard;
mod limiter;

pub use guard::{guard_pages, required_role, same_origin_posts};
pub use limiter::LoginLimiter;

/// The session key holding the signed-in user's id.
const USER_ID: &str = "user_id";

/// The request's session (set by the `SessionManagerLayer`).
pub async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>().await.map_err(|err| {
        tracing::error!(error = %err, "no session on the request");
        AppError::Internal
    })
}

/// The user whose id the session holds, if they still exist.
pub async fn user_of(session: &Session, pool: &db::SqlitePool) -> Result<Option<User>, AppError> {
    let id: Option<i64> = session.get(USER_ID).await.map_err(|err| {
        tracing::error!(error = %err, "reading the session failed");
        AppError::Internal
    })?;
    match id {
        Some(id) => Ok(db::users::get(pool, id).await?),
        None => Ok(None),
    }
}

/// The signed-in user, if any.
pub async fn user() -> Result<Option<User>, AppError> {
    user_of(&session().await?, &pool()?).await
}

/// The signed-in user if their role includes `role`; else `Unauthorized` or `Forbidden`.
pub async fn require(role: Role) -> Result<User, AppError> {
    let user = user().await?.ok_or(AppError::Unauthorized)?;
    if from_db(user.role).allows(role) {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

/// The browser's view of a user.
pub fn to_current(user: &User) -> CurrentUser {
    CurrentUser {
        name: user.name.clone(),
        role: from_db(user.role),
    }
}

/// The UI's role for a stored role.
pub fn from_db(role: db::Role) -> Role {
    match role {
        db::Role::Operator => Role::Operator,
        db::Role::Manager => Role::Manager,
        db::Role::Admin => Role::Admin,
    }
}

/// Checks the password, rotates the session id, remembers the user.
pub async fn login(
    username: String,
    password: String,
    next: Option<String>,
) -> Result<(), AppError> {
    match check_credentials(&username, password).await {
        Ok(user) => {
            let session = session().await?;
            // A new id at every sign-in defeats session fixation.
            session.cycle_id().await.map_err(session_failed)?;
            session
                .insert(USER_ID, user.id)
                .await
                .map_err(session_failed)?;
            let event = db::audit::NewEvent {
                actor_id: Some(user.id),
                action: "login",
                ..Default::default()
            };
            db::audit::record(&pool()?, &event).await?;
            tracing::info!(user = %user.name, "signed in");
            leptos_axum::redirect(&local_path(next.as_deref()));
            Ok(())
        }
        Err(err) => refuse_form(err, "/login"),
    }
}

/// Checks a name and password against the mirror, under the rate limit.
async fn check_credentials(username: &str, password: String) -> Result<User, AppError> {
    let limiter = state()?.login_limiter;
    let key = username.trim().to_lowercase();
    limiter.check(&key)?;
    let found = db::users::find_credentials(&pool()?, &key).await?;
    // argon2 is slow on purpose: keep it off the async workers.
    let verified = tokio::task::spawn_blocking(move || match found {
        Some((user, hash)) => db::password::verify(&password, &hash).then_some(user),
        None => {
            db::password::verify_dummy(&password);
            None
        }
    })
    .await
    .map_err(|err| {
        tracing::error!(error = %err, "password check panicked");
        AppError::Internal
    })?;
    match verified {
        Some(user) => {
            limiter.succeeded(&key);
            Ok(user)
        }
        None => {
            limiter.failed(&key);
            tracing::warn!(user = %key, "failed sign-in");
            Err(AppError::BadCredentials)
        }
    }
}

/// Ends the session.
pub async fn logout() -> Result<(), AppError> {
    let session = session().await?;
    if let Some(user) = user_of(&session, &pool()?).await? {
        let event = db::audit::NewEvent {
            actor_id: Some(user.id),
            action: "logout",
            ..Default::default()
        };
        db::audit::record(&pool()?, &event).await?;
    }
    session.flush().await.map_err(session_failed)?;
    leptos_axum::redirect("/login");
    Ok(())
}

fn session_failed(err: tower_sessions::session::Error) -> AppError {
    tracing::error!(error = %err, "session store failed");
    AppError::Internal
}

/// `next` if it is a path on this site, else My work (no open redirects).
fn local_path(next: Option<&str>) -> String {
    match next {
        Some(p) if p.starts_with('/') && !p.starts_with("//") && !p.contains('\\') => p.to_owned(),
        _ => "/".to_owned(),
    }
}

/// Returns `err` to a JavaScript caller; a plain form post (no JavaScript)
/// is sent back to `page` with the error's code in the URL instead.
fn refuse_form(err: AppError, page: &str) -> Result<(), AppError> {
    let from_form = use_context::<http::request::Parts>().is_some_and(|parts| {
        parts
            .headers
            .get(ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"))
    });
    if from_form {
        leptos_axum::redirect(&format!("{page}?error={}", err.code()));
        Ok(())
    } else {
        Err(err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(local_path(Some("/cases?status=open")), "/cases?status=open");
        assert_eq!(local_path(Some("//evil.example")), "/");
        assert_eq!(local_path(Some("https://evil.example")), "/");
        assert_eq!(local_path(Some("")), "/");
        assert_eq!(local_path(None), "/");
    }
}
