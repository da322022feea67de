//! A Step Functions-compatible engine.
//!
//! # Layout
//! - [`definition`]: Amazon States Language documents as typed values.
//! - [`failure`]: ASL failures (`States.TaskFailed`...) as data.
//! - [`path`], [`payload`]: JSONPath and payload templates as Step Functions uses them.
//! - [`states`]: one module per state type.
//! - `exec`: the interpreter and the live state of executions.
//! - [`history`]: execution history events.
//! - [`clock`]: time, behind a trait.
//! - [`arn`]: resource names.
//! - [`error`]: the API's errors.

#![warn(missing_docs)]

pub mod api;
pub mod arn;
pub mod clock;
pub mod definition;
mod engine;
pub mod error;
mod exec;
pub mod failure;
pub mod history;
#[cfg(feature = "http")]
pub mod http;
pub mod path;
pub mod payload;
pub mod states;
pub(crate) mod store;
pub mod validate;

pub use engine::{Engine, EngineConfig};
pub use error::ApiError;
pub use exec::ExecutionStatus;
pub use failure::Failure;
