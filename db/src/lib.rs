//! Stepdesk's domain library: the mirror database (SQLite via sqlx) and the
//! rules that both the server functions and the binary need.
//!
//! # Layout
//! - [`pool`]: opening the mirror and running its migrations.
//! - [`users`]: people who sign in, their roles and names.
//! - [`password`]: argon2id hashing and checking.
//! - [`cases`]: the case listings.
//! - [`tasks`]: pending human tasks ("my work").
//! - [`audit`]: the log of human actions.
//! - [`error`]: the crate's one error type.

pub mod audit;
pub mod cases;
pub mod error;
pub mod password;
pub mod pool;
pub mod tasks;
pub mod users;

pub use error::Error;
pub use pool::{connect, migrate};
pub use sqlx::SqlitePool;
pub use users::{Role, User, UserName};

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
