//! Stepdesk's case types: each a workflow (Amazon States Language with
//! `${...}` substitutions, importable into Workflow Studio) and a sidecar
//! saying what its screens need. This crate loads and checks them, deploys
//! them, brings an edited definition back home, and smokes them.
//!
//! # Layout
//! - [`catalog`]: loading a workflows folder; [`Problem`]s with file, field
//!   and a plain message.
//! - [`check`] and `check_form`: what a case type must satisfy.
//! - [`definition`]: reading a definition's states, substitutions, choices.
//! - [`deploy`]: activities and state machines created or updated by name.
//! - [`pull`]: a deployed definition written back with its substitutions.
//! - [`smoke`]: each case type's scripted case, end to end.
//! - [`builder`]: builds a definition in code, the way the CDK chains states.
//! - [`graph`]: draws a definition as SVG, with a text equivalent, marking
//!   the steps an execution is at, went through, or failed in.

pub mod builder;
pub mod catalog;
pub mod check;
mod check_form;
pub mod definition;
pub mod deploy;
pub mod graph;
pub mod pull;
mod smoke;

use aws_sdk_sfn::error::DisplayErrorContext;

pub use catalog::{Catalog, LoadError, LoadedType, Problem, Severity, load_dir, shipped_dir};
pub use check_form::{compile as compile_schema, validate as validate_output};
pub use deploy::{DeployedStep, Deployment, deploy_all};
pub use smoke::{SmokeReport, smoke};

/// A failed deployment, pull or smoke run.
#[derive(Debug, thiserror::Error)]
pub enum WorkflowError {
    /// A Step Functions call failed.
    #[error("{action}: {message}")]
    Sfn {
        /// What was being done.
        action: &'static str,
        /// The SDK's error with its context.
        message: String,
    },
    /// The workflow did not behave as expected.
    #[error("{0}")]
    Unexpected(String),
}

fn sfn<E: std::error::Error + 'static>(action: &'static str) -> impl FnOnce(E) -> WorkflowError {
    move |e| WorkflowError::Sfn {
        action,
        message: DisplayErrorContext(e).to_string(),
    }
}
