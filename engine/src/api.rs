//! The Step Functions API actions over the engine, JSON in and JSON out, with
//! AWS's field names and errors.

mod activities;
mod executions;
mod history;
mod machines;
mod tags;
mod tasks;

use base64::Engine as _;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::clock::{Millis, to_epoch_seconds};
use crate::engine::Engine;
use crate::error::ApiError;

pub(crate) use executions::describe_for_task;

/// Step Functions' limit on inputs, outputs and definitions: 256 KiB.
pub const MAX_PAYLOAD: usize = 256 * 1024;

/// The actions the engine answers, by `X-Amz-Target` name.
pub const ACTIONS: &[&str] = &[
    "CreateStateMachine",
    "UpdateStateMachine",
    "DescribeStateMachine",
    "ListStateMachines",
    "DeleteStateMachine",
    "ValidateStateMachineDefinition",
    "CreateActivity",
    "DescribeActivity",
    "ListActivities",
    "DeleteActivity",
    "GetActivityTask",
    "SendTaskSuccess",
    "SendTaskFailure",
    "SendTaskHeartbeat",
    "StartExecution",
    "DescribeExecution",
    "DescribeStateMachineForExecution",
    "ListExecutions",
    "GetExecutionHistory",
    "StopExecution",
    "RedriveExecution",
    "TagResource",
    "ListTagsForResource",
    "UntagResource",
];

impl Engine {
    /// Carries out one API action with its JSON request body.
    #[tracing::instrument(level = "debug", skip(self, body))]
    pub async fn call(&self, action: &str, body: &[u8]) -> Result<Value, ApiError> {
        // The operation is known before its body is read, as on AWS.
        if !ACTIONS.contains(&action) {
            return Err(unknown_operation(action));
        }
        let body: Value = if body.iter().all(u8::is_ascii_whitespace) {
            json!({})
        } else {
            serde_json::from_slice(body).map_err(|e| {
                ApiError::SerializationException(format!("Request body is not valid JSON: {e}"))
            })?
        };
        if !body.is_object() {
            return Err(ApiError::SerializationException(
                "Request body must be a JSON object".into(),
            ));
        }
        match action {
            "CreateStateMachine" => machines::create(self, parse(body)?),
            "UpdateStateMachine" => machines::update(self, parse(body)?),
            "DescribeStateMachine" => machines::describe(self, parse(body)?),
            "ListStateMachines" => machines::list(self, parse(body)?),
            "DeleteStateMachine" => machines::delete(self, parse(body)?),
            "ValidateStateMachineDefinition" => machines::validate_definition(parse(body)?),
            "CreateActivity" => activities::create(self, parse(body)?),
            "DescribeActivity" => activities::describe(self, parse(body)?),
            "ListActivities" => activities::list(self, parse(body)?),
            "DeleteActivity" => activities::delete(self, parse(body)?),
            "GetActivityTask" => tasks::get_activity_task(self, parse(body)?).await,
            "SendTaskSuccess" => tasks::send_success(self, parse(body)?),
            "SendTaskFailure" => tasks::send_failure(self, parse(body)?),
            "SendTaskHeartbeat" => tasks::send_heartbeat(self, parse(body)?),
            "StartExecution" => executions::start(self, parse(body)?),
            "DescribeExecution" => executions::describe(self, parse(body)?),
            "DescribeStateMachineForExecution" => executions::describe_machine(self, parse(body)?),
            "ListExecutions" => executions::list(self, parse(body)?),
            "GetExecutionHistory" => history::get(self, parse(body)?),
            "StopExecution" => executions::stop(self, parse(body)?),
            "RedriveExecution" => executions::redrive(self, parse(body)?),
            "TagResource" => tags::tag(self, parse(body)?),
            "ListTagsForResource" => tags::list(self, parse(body)?),
            "UntagResource" => tags::untag(self, parse(body)?),
            other => Err(unknown_operation(other)),
        }
    }
}

fn unknown_operation(action: &str) -> ApiError {
    ApiError::UnknownOperationException(format!("Unknown operation: {action}"))
}

/// Parses a request, with AWS's errors for missing and mistyped members.
fn parse<T: DeserializeOwned>(body: Value) -> Result<T, ApiError> {
    serde_json::from_value(body).map_err(|e| {
        let text = e.to_string();
        match text.strip_prefix("missing field `").and_then(|r| r.split('`').next()) {
            Some(field) => ApiError::ValidationException(format!(
                "1 validation error detected: Value null at '{field}' failed to satisfy constraint: Member must not be null"
            )),
            None => ApiError::SerializationException(format!("Invalid request: {text}")),
        }
    })
}

/// A date as the API writes it.
fn date(ms: Millis) -> Value {
    json!(to_epoch_seconds(ms))
}

/// `maxResults`: 0 or absent means the default of 100; at most 1000.
fn page_size(max_results: Option<i64>) -> Result<usize, ApiError> {
    match max_results.unwrap_or(0) {
        0 => Ok(100),
        n @ 1..=1000 => Ok(n as usize),
        n => Err(ApiError::ValidationException(format!(
            "1 validation error detected: Value '{n}' at 'maxResults' failed to satisfy constraint: \
             Member must have value less than or equal to 1000 and greater than or equal to 0"
        ))),
    }
}

/// An opaque `nextToken` from a keyset position.
fn encode_token(position: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(position)
}

fn decode_token(token: Option<&str>) -> Result<Option<String>, ApiError> {
    let Some(token) = token.filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .map(Some)
        .ok_or_else(|| ApiError::ValidationException(format!("Invalid Token: '{token}'")))
}

/// Checks a JSON text: valid and within the size limit.
fn check_json(text: &str, field: &str, invalid: fn(String) -> ApiError) -> Result<(), ApiError> {
    if text.len() > MAX_PAYLOAD {
        return Err(ApiError::ValidationException(format!(
            "1 validation error detected: Value at '{field}' failed to satisfy constraint: \
             Member must have length less than or equal to {MAX_PAYLOAD}"
        )));
    }
    serde_json::from_str::<Value>(text)
        .map(|_| ())
        .map_err(|e| invalid(format!("Invalid {field}: {e}")))
}
