//! What every request can reach on the server: options, the pool, the limiter.

use axum::extract::FromRef;
use db::SqlitePool;
use leptos::prelude::*;

use crate::auth::ssr::LoginLimiter;
use crate::error::AppError;

/// The axum router's state; `leptos_axum` also provides it as context to
/// server functions and pages.
#[derive(Clone, FromRef)]
pub struct AppState {
    /// Leptos' site settings.
    pub leptos_options: LeptosOptions,
    /// The mirror database.
    pub pool: SqlitePool,
    /// The mirror and the workflow, for everything that changes a case.
    pub desk: db::Desk,
    /// Counts failed sign-ins.
    pub login_limiter: LoginLimiter,
    /// Origins besides the request's own `Host` that may POST (a public URL behind a proxy).
    pub allowed_origins: Vec<String>,
    /// How long a session lasts after sign-in, however active.
    #[from_ref(skip)]
    pub session_lifetime: std::time::Duration,
    /// Whether this is a demo (shown in a banner on every page).
    #[from_ref(skip)]
    pub demo: bool,
    /// Whether the client's address is the last `X-Forwarded-For` entry
    /// (only behind a proxy that sets it), rather than the peer's.
    #[from_ref(skip)]
    pub trust_forwarded_for: bool,
}

/// The router state, from a server function's or page's context.
pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState is missing from the context");
        AppError::Internal
    })
}

/// The desk, from a server function's context.
pub fn desk() -> Result<db::Desk, AppError> {
    state().map(|s| s.desk)
}

/// The mirror's pool, from a server function's context.
pub fn pool() -> Result<SqlitePool, AppError> {
    state().map(|s| s.pool)
}
