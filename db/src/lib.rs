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
//! - [`runs`]: a case's nested executions (a support case's escalation).
//! - [`sfn`]: the Step Functions calls Stepdesk makes.
//! - [`desk`]: the operations on cases where the mirror and Step Functions
//!   must agree (open, answer, arrived tasks, heartbeats, reconciling).
//! - [`error`]: the crate's one error type.

pub mod audit;
pub mod cases;
pub mod desk;
pub mod error;
pub mod password;
pub mod pool;
pub mod runs;
pub mod sfn;
pub mod tasks;
pub mod users;

pub use desk::Desk;
pub use error::Error;
pub use pool::{connect, migrate};
pub use sqlx::SqlitePool;
pub use users::{Role, User, UserName};

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
