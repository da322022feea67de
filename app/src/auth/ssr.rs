//! The server side of signing in: sessions, password checks, role checks.

use db::users::User;
use leptos::prelude::*;
use tower_sessions::Session;

use super::{CurrentUser, Role};
use crate::error::AppError;
use crate::state::{AppState, pool, state};

mod guard;
mod limiter;

pub use guard::{guard_pages, required_role, same_origin_posts};
pub use limiter::{Limits, LoginLimiter};

/// The session key holding the signed-in user's id.
const USER_ID: &str = "user_id";
/// The session key holding the user's session epoch at sign-in: raising
/// the user's epoch ends the session.
const EPOCH: &str = "epoch";
/// The session key holding when the user signed in (Unix seconds): a
/// session ends this long after, however active.
const SIGNED_IN_AT: &str = "signed_in_at";

/// The request's session (set by the `SessionManagerLayer`).
pub async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>().await.map_err(|err| {
        tracing::error!(error = %err, "no session on the request");
        AppError::Internal
    })
}

/// The user whose session this is, while the session is good: not older
/// than the absolute lifetime, not revoked, the user still enabled. A
/// session that is no longer good is emptied.
pub async fn user_of(session: &Session, state: &AppState) -> Result<Option<User>, AppError> {
    let read = async {
        let id: Option<i64> = session.get(USER_ID).await?;
        let epoch: Option<i64> = session.get(EPOCH).await?;
        let at: Option<i64> = session.get(SIGNED_IN_AT).await?;
        Ok::<_, tower_sessions::session::Error>((id, epoch, at))
    };
    let (id, epoch, at) = read.await.map_err(session_failed)?;
    let Some(id) = id else {
        return Ok(None);
    };
    let (pool, lifetime) = (&state.pool, state.session_lifetime);
    let fresh = at.is_some_and(|at| within_lifetime(at, chrono::Utc::now().timestamp(), lifetime));
    let user = match epoch {
        Some(epoch) if fresh => db::users::of_session(pool, id, epoch).await?,
        _ => None,
    };
    if user.is_none() {
        session.flush().await.map_err(session_failed)?;
    }
    Ok(user)
}

/// The signed-in user, if any.
pub async fn user() -> Result<Option<User>, AppError> {
    user_of(&session().await?, &state()?).await
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
pub fn to_current(user: &User, demo: bool) -> CurrentUser {
    CurrentUser {
        name: user.name.clone(),
        role: from_db(user.role),
        demo,
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
        Ok(db::users::Credentials {
            user,
            session_epoch,
            ..
        }) => {
            let session = session().await?;
            // A new id at every sign-in defeats session fixation.
            session.cycle_id().await.map_err(session_failed)?;
            let now = chrono::Utc::now().timestamp();
            let write = async {
                session.insert(USER_ID, user.id).await?;
                session.insert(EPOCH, session_epoch).await?;
                session.insert(SIGNED_IN_AT, now).await
            };
            write.await.map_err(session_failed)?;
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

/// Checks a name and password against the mirror, under the limits: the
/// attempt is reserved before the (slow, on purpose) password check.
async fn check_credentials(
    username: &str,
    password: String,
) -> Result<db::users::Credentials, AppError> {
    let limiter = state()?.login_limiter;
    let key = username.trim().to_lowercase();
    let address = client_address().await?;
    let attempt = limiter.reserve(address, &key).await?;
    let found = db::users::find_credentials(&pool()?, &key).await?;
    // argon2 is slow on purpose: keep it off the async workers.
    let verified = tokio::task::spawn_blocking(move || match found {
        Some(found) => db::password::verify(&password, &found.password_hash).then_some(found),
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
        Some(found) => {
            attempt.succeeded();
            Ok(found)
        }
        None => {
            attempt.failed();
            tracing::warn!(user = %key, %address, "failed sign-in");
            Err(AppError::BadCredentials)
        }
    }
}

/// The address the request came from: the peer, or behind a proxy that
/// Stepdesk is told to trust, the last address that proxy appended to
/// `X-Forwarded-For`.
async fn client_address() -> Result<std::net::IpAddr, AppError> {
    use axum::extract::ConnectInfo;
    let peer = leptos_axum::extract::<ConnectInfo<std::net::SocketAddr>>()
        .await
        .map_err(|err| {
            tracing::error!(error = %err, "no peer address on the request");
            AppError::Internal
        })?
        .0
        .ip();
    if !state()?.trust_forwarded_for {
        return Ok(peer);
    }
    let forwarded = use_context::<http::request::Parts>().and_then(|parts| {
        parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .next_back()
            .and_then(|a| a.trim().parse().ok())
    });
    Ok(forwarded.unwrap_or(peer))
}

/// Ends every session of the signed-in user, this one included.
pub async fn logout_everywhere() -> Result<(), AppError> {
    let session = session().await?;
    let state = state()?;
    let pool = state.pool.clone();
    let user = user_of(&session, &state)
        .await?
        .ok_or(AppError::Unauthorized)?;
    db::users::revoke_sessions(&pool, user.id).await?;
    let event = db::audit::NewEvent {
        actor_id: Some(user.id),
        action: "logout_everywhere",
        ..Default::default()
    };
    db::audit::record(&pool, &event).await?;
    session.flush().await.map_err(session_failed)?;
    tracing::info!(user = %user.name, "signed out everywhere");
    leptos_axum::redirect("/login");
    Ok(())
}

/// Ends the session.
pub async fn logout() -> Result<(), AppError> {
    let session = session().await?;
    if let Some(user) = user_of(&session, &state()?).await? {
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

/// Whether a session signed in at `at` is still within `lifetime` at `now`
/// (Unix seconds); one from the future (a clock set back) is not.
fn within_lifetime(at: i64, now: i64, lifetime: std::time::Duration) -> bool {
    u64::try_from(now.saturating_sub(at)).is_ok_and(|age| age < lifetime.as_secs())
}

/// `next` if it is a path on this site, else My work (no open redirects).
fn local_path(next: Option<&str>) -> String {
    next.filter(|p| is_local_path(p))
        .map_or_else(|| "/".to_owned(), str::to_owned)
}

/// A path (and query) of this site: one leading `/`, nothing a browser
/// would drop or turn into a separator (control characters such as a tab,
/// whitespace, backslashes), and nothing but a path and query when parsed,
/// so neither a scheme nor an authority can hide in it.
fn is_local_path(p: &str) -> bool {
    p.starts_with('/')
        && !p.starts_with("//")
        && !p
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
        && p.parse::<http::uri::PathAndQuery>()
            .is_ok_and(|pq| pq.as_str() == p)
}

/// Returns `err` to a JavaScript caller; a plain form post (no JavaScript)
/// is sent back to `page` with the error's code in the URL instead.
fn refuse_form(err: AppError, page: &str) -> Result<(), AppError> {
    if crate::error::ssr::plain_form_post() {
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
    fn a_session_ends_at_its_lifetime_however_active() {
        let day = std::time::Duration::from_secs(86_400);
        assert!(within_lifetime(1_000, 1_000, day));
        assert!(within_lifetime(1_000, 1_000 + 86_399, day));
        assert!(!within_lifetime(1_000, 1_000 + 86_400, day));
        assert!(!within_lifetime(1_000, 999, day));
    }

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(local_path(Some("/cases?status=open")), "/cases?status=open");
        assert_eq!(local_path(Some("//evil.example")), "/");
        assert_eq!(local_path(Some("https://evil.example")), "/");
        assert_eq!(local_path(Some("")), "/");
        assert_eq!(local_path(None), "/");
        for evil in [
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\nLocation: https://evil.example",
            "/\\evil.example",
            "\\/evil.example",
            "/ /evil.example",
            "/\u{0}x",
            "javascript:alert(1)",
            "evil.example",
            "/\u{2028}/evil.example",
        ] {
            assert_eq!(local_path(Some(evil)), "/", "{evil:?}");
        }
        assert_eq!(
            local_path(Some("/cases/C-1?run=a%2Fb")),
            "/cases/C-1?run=a%2Fb"
        );
    }
}
