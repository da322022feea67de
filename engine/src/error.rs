//! The engine's one error type: the Step Functions API errors, by their AWS names.

/// An API call that could not be carried out. Each variant is an AWS error
/// name; the HTTP layer writes it as `{"__type": ..., "message": ...}`.
#[derive(Debug, thiserror::Error, PartialEq)]
#[expect(
    missing_docs,
    reason = "each variant is the AWS error of the same name"
)]
pub enum ApiError {
    #[error("{0}")]
    InvalidDefinition(String),
    #[error("{0}")]
    InvalidArn(String),
    #[error("{0}")]
    InvalidName(String),
    #[error("{0}")]
    InvalidExecutionInput(String),
    #[error("{0}")]
    InvalidOutput(String),
    #[error("{0}")]
    InvalidToken(String),
    #[error("{0}")]
    StateMachineDoesNotExist(String),
    #[error("{0}")]
    StateMachineAlreadyExists(String),
    #[error("{0}")]
    StateMachineDeleting(String),
    #[error("{0}")]
    ExecutionDoesNotExist(String),
    #[error("{0}")]
    ExecutionAlreadyExists(String),
    #[error("{0}")]
    ExecutionLimitExceeded(String),
    #[error("{0}")]
    ExecutionNotRedrivable(String),
    #[error("{0}")]
    ActivityDoesNotExist(String),
    #[error("{0}")]
    ActivityAlreadyExists(String),
    #[error("{0}")]
    TaskDoesNotExist(String),
    #[error("{0}")]
    TaskTimedOut(String),
    #[error("{0}")]
    ResourceNotFound(String),
    #[error("{0}")]
    ValidationException(String),
    #[error("{0}")]
    UnknownOperationException(String),
    #[error("{0}")]
    SerializationException(String),
    #[error("{0}")]
    TooManyTags(String),
    #[error("{0}")]
    MissingAuthenticationTokenException(String),
    #[error("{0}")]
    IncompleteSignatureException(String),
    #[error("{0}")]
    UnrecognizedClientException(String),
    #[error("{0}")]
    InvalidSignatureException(String),
    /// The store failed; the message is logged, not sent.
    #[error("internal failure: {0}")]
    InternalFailure(String),
}

impl ApiError {
    /// The AWS error name (the `__type` suffix).
    pub fn name(&self) -> &'static str {
        match self {
            ApiError::InvalidDefinition(_) => "InvalidDefinition",
            ApiError::InvalidArn(_) => "InvalidArn",
            ApiError::InvalidName(_) => "InvalidName",
            ApiError::InvalidExecutionInput(_) => "InvalidExecutionInput",
            ApiError::InvalidOutput(_) => "InvalidOutput",
            ApiError::InvalidToken(_) => "InvalidToken",
            ApiError::StateMachineDoesNotExist(_) => "StateMachineDoesNotExist",
            ApiError::StateMachineAlreadyExists(_) => "StateMachineAlreadyExists",
            ApiError::StateMachineDeleting(_) => "StateMachineDeleting",
            ApiError::ExecutionDoesNotExist(_) => "ExecutionDoesNotExist",
            ApiError::ExecutionAlreadyExists(_) => "ExecutionAlreadyExists",
            ApiError::ExecutionLimitExceeded(_) => "ExecutionLimitExceeded",
            ApiError::ExecutionNotRedrivable(_) => "ExecutionNotRedrivable",
            ApiError::ActivityDoesNotExist(_) => "ActivityDoesNotExist",
            ApiError::ActivityAlreadyExists(_) => "ActivityAlreadyExists",
            ApiError::TaskDoesNotExist(_) => "TaskDoesNotExist",
            ApiError::TaskTimedOut(_) => "TaskTimedOut",
            ApiError::ResourceNotFound(_) => "ResourceNotFound",
            ApiError::ValidationException(_) => "ValidationException",
            ApiError::UnknownOperationException(_) => "UnknownOperationException",
            ApiError::SerializationException(_) => "SerializationException",
            ApiError::TooManyTags(_) => "TooManyTags",
            ApiError::MissingAuthenticationTokenException(_) => {
                "MissingAuthenticationTokenException"
            }
            ApiError::IncompleteSignatureException(_) => "IncompleteSignatureException",
            ApiError::UnrecognizedClientException(_) => "UnrecognizedClientException",
            ApiError::InvalidSignatureException(_) => "InvalidSignatureException",
            ApiError::InternalFailure(_) => "InternalFailure",
        }
    }

    /// The `__type` as AWS writes it: Step Functions' model namespace for its
    /// own errors, the service framework's for authentication.
    pub fn type_name(&self) -> String {
        let namespace = match self {
            ApiError::MissingAuthenticationTokenException(_)
            | ApiError::IncompleteSignatureException(_)
            | ApiError::UnrecognizedClientException(_)
            | ApiError::InvalidSignatureException(_) => "com.amazon.coral.service",
            _ => "com.amazonaws.swf.service.v2.model",
        };
        format!("{namespace}#{}", self.name())
    }

    /// Whether this is the engine's fault (HTTP 500) rather than the caller's (400).
    pub fn is_internal(&self) -> bool {
        matches!(self, ApiError::InternalFailure(_))
    }
}

impl From<rusqlite::Error> for ApiError {
    fn from(e: rusqlite::Error) -> Self {
        ApiError::InternalFailure(format!("store: {e}"))
    }
}

impl From<serde_json::Error> for ApiError {
    fn from(e: serde_json::Error) -> Self {
        ApiError::InternalFailure(format!("stored JSON: {e}"))
    }
}
