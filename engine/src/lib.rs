//! A Step Functions-compatible engine.
//!
//! An Amazon States Language interpreter with the Step Functions JSON API on
//! top, keeping every state machine, execution, history event, pending
//! activity task and timer in SQLite so that runs survive a restart. Any AWS
//! SDK (or the AWS CLI) talks to it through [`http`]; in-process callers can
//! use [`Engine::call`] with the same action names and JSON bodies.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), engine::ApiError> {
//! use engine::{Engine, EngineConfig};
//!
//! let engine = Engine::open(EngineConfig::new(":memory:"))?;
//! let created = engine
//!     .call("CreateStateMachine", br#"{"name": "Hello", "roleArn": "arn:aws:iam::123456789012:role/r",
//!         "definition": "{\"StartAt\":\"Hi\",\"States\":{\"Hi\":{\"Type\":\"Pass\",\"Result\":\"hello\",\"End\":true}}}"}"#)
//!     .await?;
//! let body = serde_json::json!({ "stateMachineArn": created["stateMachineArn"], "name": "first" });
//! let started = engine.call("StartExecution", body.to_string().as_bytes()).await?;
//! let body = serde_json::json!({ "executionArn": started["executionArn"] });
//! let described = engine.call("DescribeExecution", body.to_string().as_bytes()).await?;
//! assert_eq!(described["status"], "SUCCEEDED");
//! assert_eq!(described["output"], "\"hello\"");
//! # Ok(())
//! # }
//! ```
//!
//! # Layout
//! - [`definition`]: Amazon States Language documents as typed values.
//! - [`failure`]: ASL failures (`States.TaskFailed`...) as data.
//! - [`path`], [`payload`]: JSONPath and payload templates as Step Functions uses them.
//! - [`jsonata`]: the JSONata query language; `query`: JSONata inside states.
//! - [`states`]: one module per state type.
//! - `exec`: the interpreter and the live state of executions.
//! - [`history`]: execution history events.
//! - [`clock`]: time, behind a trait.
//! - [`context`]: the context object and the variables a state sees.
//! - [`arn`]: resource names.
//! - [`error`]: the API's errors.

#![warn(missing_docs)]

pub mod api;
pub mod arn;
pub mod clock;
pub mod context;
pub mod definition;
mod engine;
pub mod error;
mod exec;
pub mod failure;
pub mod history;
#[cfg(feature = "http")]
pub mod http;
pub mod intrinsics;
pub mod jsonata;
pub mod path;
pub mod payload;
mod query;
pub mod states;
pub(crate) mod store;
pub mod validate;

pub use context::Ctx;
pub use engine::{Engine, EngineConfig};
pub use error::ApiError;
pub use exec::ExecutionStatus;
pub use failure::Failure;
