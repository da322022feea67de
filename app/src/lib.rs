//! Stepdesk's Leptos UI: server-rendered pages hydrated in the browser, and
//! the server functions behind them.
//!
//! # Layout
//! - [`shell`]: the HTML shell, the router and the signed-in layout.
//! - [`auth`]: sign-in, sign-out, the current user, roles; on the server the
//!   session, the page guard and the sign-in rate limit.
//! - [`my_work`]: the tasks a person works on.
//! - [`cases`]: the case listing with filters and keyset pages.
//! - [`new_case`]: the New case form.
//! - [`case_detail`]: one case, its task form and timeline.
//! - [`escalations`]: escalated cases, decided inline (managers).
//! - [`fields`] and [`step_form`]: forms drawn from a case type's fields
//!   and a step's spec, and the one server function answering every step.
//! - [`users`]: the admin's list of users.
//! - [`workflows_page`]: the admin's view of the deployed case types.
//! - [`error`]: the server functions' error type.
//! - `loaded`: resources that server functions load, one JSON parser per
//!   type in the browser.
//! - `state` (server only): what every request can reach.

#![recursion_limit = "256"]

pub mod auth;
pub mod case_detail;
pub mod cases;
pub mod error;
pub mod escalations;
pub mod fields;
mod loaded;
pub mod my_work;
pub mod new_case;
pub mod shell;
#[cfg(feature = "ssr")]
pub mod state;
pub mod step_form;
#[cfg(feature = "ssr")]
mod time;
pub mod users;
mod widgets;
pub mod workflows_page;

pub use auth::{CurrentUser, Role};
pub use error::AppError;
pub use shell::{App, shell};
#[cfg(feature = "ssr")]
pub use state::AppState;
