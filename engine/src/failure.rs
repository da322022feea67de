//! ASL failures as values: an error name and a cause.
//!
//! A failure is what a state produces when it fails (`States.TaskFailed`,
//! `States.Timeout`, a `Fail` state's error...). It is data the interpreter
//! routes through `Retry` and `Catch`, never a Rust error of the engine.

use serde::{Deserialize, Serialize};

/// The predefined error names of the States Language.
pub mod names {
    /// Matches every error but `States.Runtime`... and, in `Retry`, `States.DataLimitExceeded`.
    pub const ALL: &str = "States.ALL";
    /// A task ran past `TimeoutSeconds`, or the execution past its own.
    pub const TIMEOUT: &str = "States.Timeout";
    /// No heartbeat arrived within `HeartbeatSeconds`.
    pub const HEARTBEAT_TIMEOUT: &str = "States.HeartbeatTimeout";
    /// A task failed.
    pub const TASK_FAILED: &str = "States.TaskFailed";
    /// Not allowed (no IAM here, so unused offline).
    pub const PERMISSIONS: &str = "States.Permissions";
    /// A path, template or value was invalid at run time. Never retried by `States.ALL`.
    pub const RUNTIME: &str = "States.Runtime";
    /// A Choice state found no matching rule and has no `Default`.
    pub const NO_CHOICE_MATCHED: &str = "States.NoChoiceMatched";
    /// An intrinsic function failed.
    pub const INTRINSIC_FAILURE: &str = "States.IntrinsicFailure";
    /// A `ResultPath` could not be applied.
    pub const RESULT_PATH_MATCH_FAILURE: &str = "States.ResultPathMatchFailure";
    /// A parameter path pointed at nothing valid.
    pub const PARAMETER_PATH_FAILURE: &str = "States.ParameterPathFailure";
    /// A Map state's `ItemsPath` did not give an array, or too many iterations failed.
    pub const EXCEEDED_TOLERATED_FAILURE_THRESHOLD: &str = "States.ExceedToleratedFailureThreshold";
    /// A Map or Parallel branch failed, as seen by the parent state.
    pub const BRANCH_FAILED: &str = "States.BranchFailed";
    /// A JSONata expression failed, gave nothing, or gave a value of the wrong type.
    pub const QUERY_EVALUATION_ERROR: &str = "States.QueryEvaluationError";
    /// A result was larger than 256 KiB.
    pub const DATA_LIMIT_EXCEEDED: &str = "States.DataLimitExceeded";
    /// A Map state's items were not an array.
    pub const ITEM_READER_FAILED: &str = "States.ItemReaderFailed";
}

/// A failed state's error and cause, as Step Functions reports them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failure {
    /// The error name, e.g. `States.TaskFailed` or a worker's own name.
    pub error: String,
    /// A human-readable explanation (may be empty).
    pub cause: String,
}

impl Failure {
    /// A failure with the given error name and cause.
    pub fn new(error: impl Into<String>, cause: impl Into<String>) -> Self {
        Self {
            error: error.into(),
            cause: cause.into(),
        }
    }

    /// A `States.Runtime` failure: bad paths, bad templates, bad values.
    pub fn runtime(cause: impl Into<String>) -> Self {
        Self::new(names::RUNTIME, cause)
    }

    /// A `States.IntrinsicFailure`.
    pub fn intrinsic(cause: impl Into<String>) -> Self {
        Self::new(names::INTRINSIC_FAILURE, cause)
    }

    /// A `States.QueryEvaluationError`.
    pub fn query(cause: impl Into<String>) -> Self {
        Self::new(names::QUERY_EVALUATION_ERROR, cause)
    }

    /// A `States.TaskFailed`.
    pub fn task_failed(cause: impl Into<String>) -> Self {
        Self::new(names::TASK_FAILED, cause)
    }

    /// The JSON a `Catch` passes on: `{"Error": ..., "Cause": ...}`.
    pub fn to_output(&self) -> serde_json::Value {
        serde_json::json!({ "Error": self.error, "Cause": self.cause })
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.error, self.cause)
    }
}
