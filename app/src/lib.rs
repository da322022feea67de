//! Stepdesk's Leptos UI: server-rendered pages hydrated in the browser, and
//! the server functions behind them.
//!
//! # Layout
//! - [`shell`]: the HTML shell, the router and the signed-in layout.
//! - [`auth`]: sign-in, sign-out, the current user, roles; on the server the
//!   session, the page guard and the sign-in rate limit.
//! - [`my_work`]: the tasks a person works on.
//! - [`cases`]: the case listing and the escalations view.
//! - [`users`]: the admin's list of users.
//! - [`error`]: the server functions' error type.
//! - `state` (server only): what every request can reach.

#![recursion_limit = "256"]

pub mod auth;
pub mod cases;
pub mod error;
pub mod my_work;
pub mod shell;
#[cfg(feature = "ssr")]
pub mod state;
pub mod users;
mod widgets;

pub use auth::{CurrentUser, Role};
pub use error::AppError;
pub use shell::{App, shell};
#[cfg(feature = "ssr")]
pub use state::AppState;
