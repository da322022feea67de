//! A Step Functions-compatible engine.
//!
//! # Layout
//! - [`definition`]: Amazon States Language documents as typed values.
//! - [`failure`]: ASL failures (`States.TaskFailed`...) as data.
//! - [`path`]: JSONPath as Step Functions uses it.
//! - [`states`]: one module per state type.

#![warn(missing_docs)]

pub mod definition;
pub mod failure;
pub mod path;
pub mod states;

pub use failure::Failure;
