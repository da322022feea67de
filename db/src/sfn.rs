//! The Step Functions side of a case: one client, the deployed case types,
//! and the few calls Stepdesk makes, with their errors sorted into what a
//! person can act on.

use aws_sdk_sfn::Client;
use aws_sdk_sfn::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use workflows::{DeployedStep, Deployment};

/// Largest task output or execution input Step Functions accepts (256 KiB).
pub const MAX_PAYLOAD_BYTES: usize = 256 * 1024;

/// A Step Functions client bound to the deployed case types.
#[derive(Debug, Clone)]
pub struct Sfn {
    /// The SDK client (embedded engine or AWS).
    pub client: Client,
    /// Each case type's state machine and activities.
    pub deployments: Vec<Deployment>,
}

/// Why a call with a task token did not go through.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// The token is no longer valid: the task was answered, timed out, or
    /// its execution ended (`TaskDoesNotExist`, `TaskTimedOut`, `InvalidToken`).
    #[error("the task is no longer waiting: {0}")]
    Gone(String),
    /// The call failed for a reason that may pass (network, throttling).
    #[error("Step Functions did not answer: {0}")]
    Unavailable(String),
}

/// A Step Functions call that failed, with the SDK's context.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{action}: {message}")]
pub struct SfnError {
    /// What was being done.
    pub action: &'static str,
    /// The AWS error code, when the service answered.
    pub code: Option<String>,
    /// The error and its context.
    pub message: String,
}

impl SfnError {
    fn from_sdk<E, R>(action: &'static str, err: SdkError<E, R>) -> Self
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
        R: std::fmt::Debug,
    {
        Self {
            action,
            code: err.code().map(str::to_owned),
            message: DisplayErrorContext(&err).to_string(),
        }
    }
}

/// How an execution stands, as `DescribeExecution` tells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecutionState {
    /// RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED or PENDING_REDRIVE.
    pub status: String,
    /// The error of a failed execution.
    pub error: Option<String>,
    /// The cause of a failed execution.
    pub cause: Option<String>,
}

/// One event of an execution's history, as the case timeline shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEvent {
    /// When it happened.
    pub at: chrono::DateTime<chrono::Utc>,
    /// The AWS event type (`TaskStateEntered`...).
    pub kind: String,
    /// The state it concerns, if any.
    pub state: Option<String>,
    /// An error, if the event is a failure.
    pub error: Option<String>,
}

/// The end of an execution's history.
#[derive(Debug, Clone, PartialEq)]
pub struct RecentHistory {
    /// The latest events, oldest first.
    pub events: Vec<HistoryEvent>,
    /// Whether older events were left out.
    pub earlier: bool,
}

fn token_error<E, R>(err: SdkError<E, R>) -> TokenError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    match err.code() {
        Some(code @ ("TaskDoesNotExist" | "TaskTimedOut" | "InvalidToken")) => {
            TokenError::Gone(code.to_owned())
        }
        _ => TokenError::Unavailable(DisplayErrorContext(&err).to_string()),
    }
}

impl Sfn {
    /// The deployment of the case type named `case_type`.
    pub fn deployment(&self, case_type: &str) -> Option<&Deployment> {
        self.deployments.iter().find(|d| d.case_type == case_type)
    }

    /// The case type and step whose activity is `activity_arn`.
    pub fn step_of_activity(&self, activity_arn: &str) -> Option<(&Deployment, &DeployedStep)> {
        self.deployments
            .iter()
            .find_map(|d| d.step_of_activity(activity_arn).map(|s| (d, s)))
    }

    /// Starts the case's execution of `machine_arn`, named by the case id:
    /// repeating the call with the same input returns the same execution.
    pub async fn start_case(
        &self,
        machine_arn: &str,
        case_id: &str,
        input: &str,
    ) -> Result<String, SfnError> {
        let out = self
            .client
            .start_execution()
            .state_machine_arn(machine_arn)
            .name(case_id)
            .input(input)
            .send()
            .await
            .map_err(|e| SfnError::from_sdk("starting the case's execution", e))?;
        Ok(out.execution_arn)
    }

    /// Hands a person's answer back to the workflow.
    pub async fn send_success(&self, token: &str, output: &str) -> Result<(), TokenError> {
        self.client
            .send_task_success()
            .task_token(token)
            .output(output)
            .send()
            .await
            .map(drop)
            .map_err(token_error)
    }

    /// Fails a task back to the workflow (for a task Stepdesk cannot handle).
    pub async fn send_failure(
        &self,
        token: &str,
        error: &str,
        cause: &str,
    ) -> Result<(), TokenError> {
        self.client
            .send_task_failure()
            .task_token(token)
            .error(error)
            .cause(cause)
            .send()
            .await
            .map(drop)
            .map_err(token_error)
    }

    /// Tells Step Functions a held task is still being worked on.
    pub async fn heartbeat(&self, token: &str) -> Result<(), TokenError> {
        self.client
            .send_task_heartbeat()
            .task_token(token)
            .send()
            .await
            .map(drop)
            .map_err(token_error)
    }

    /// Long-polls an activity for its next task: `(token, input)`, or
    /// `None` when the poll ended empty.
    pub async fn poll(
        &self,
        activity_arn: &str,
        worker: &str,
    ) -> Result<Option<(String, String)>, SfnError> {
        let out = self
            .client
            .get_activity_task()
            .activity_arn(activity_arn)
            .worker_name(worker)
            .send()
            .await
            .map_err(|e| SfnError::from_sdk("polling an activity", e))?;
        Ok(match (out.task_token, out.input) {
            (Some(token), input) if !token.is_empty() => Some((token, input.unwrap_or_default())),
            _ => None,
        })
    }

    /// How an execution stands; `None` when it does not exist.
    pub async fn describe(&self, execution_arn: &str) -> Result<Option<ExecutionState>, SfnError> {
        match self
            .client
            .describe_execution()
            .execution_arn(execution_arn)
            .send()
            .await
        {
            Ok(out) => Ok(Some(ExecutionState {
                status: out.status.as_str().to_owned(),
                error: out.error,
                cause: out.cause,
            })),
            Err(err) if err.code() == Some("ExecutionDoesNotExist") => Ok(None),
            Err(err) => Err(SfnError::from_sdk("describing an execution", err)),
        }
    }

    /// The execution's latest `limit` events (1 to 1,000), oldest first,
    /// read in one call however long its history is; `earlier` when there
    /// are older ones.
    pub async fn recent_history(
        &self,
        execution_arn: &str,
        limit: i32,
    ) -> Result<RecentHistory, SfnError> {
        let out = self
            .client
            .get_execution_history()
            .execution_arn(execution_arn)
            .include_execution_data(false)
            .reverse_order(true)
            .max_results(limit.clamp(1, 1000))
            .send()
            .await
            .map_err(|e| SfnError::from_sdk("reading an execution's history", e))?;
        let mut events: Vec<HistoryEvent> = out.events.iter().map(to_event).collect();
        events.reverse();
        Ok(RecentHistory {
            events,
            earlier: out.next_token.is_some(),
        })
    }

    /// The state an ended execution entered last (its end state), if its
    /// recent history names one.
    pub async fn last_state(&self, execution_arn: &str) -> Result<Option<String>, SfnError> {
        let recent = self.recent_history(execution_arn, 50).await?;
        Ok(recent
            .events
            .into_iter()
            .rev()
            .find(|e| e.kind.ends_with("StateEntered"))
            .and_then(|e| e.state))
    }

    /// Names and ARNs of `machine_arn`'s executions, newest first (at most
    /// `limit`).
    pub async fn list_executions(
        &self,
        machine_arn: &str,
        limit: usize,
    ) -> Result<Vec<(String, String)>, SfnError> {
        let mut found = Vec::new();
        let mut pages = self
            .client
            .list_executions()
            .state_machine_arn(machine_arn)
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| SfnError::from_sdk("listing executions", e))?;
            for e in page.executions {
                found.push((e.name, e.execution_arn));
                if found.len() >= limit {
                    return Ok(found);
                }
            }
        }
        Ok(found)
    }

    /// The definition an execution runs (the one it started with, even
    /// after its state machine was updated); `None` when it does not exist.
    pub async fn definition_of_execution(
        &self,
        execution_arn: &str,
    ) -> Result<Option<String>, SfnError> {
        match self
            .client
            .describe_state_machine_for_execution()
            .execution_arn(execution_arn)
            .send()
            .await
        {
            Ok(out) => Ok(Some(out.definition)),
            Err(err) if err.code() == Some("ExecutionDoesNotExist") => Ok(None),
            Err(err) => Err(SfnError::from_sdk("reading an execution's definition", err)),
        }
    }

    /// Whether `parent_arn`'s own history says that it started
    /// `child_arn` (a `states:startExecution` task submitted it), and if so
    /// from which state. The parent's history is the proof: an execution's
    /// input can claim any parent, its history cannot be written from
    /// outside. `Ok(None)`: it did not (or not yet).
    pub async fn started_from(
        &self,
        parent_arn: &str,
        child_arn: &str,
    ) -> Result<Option<Option<String>>, SfnError> {
        use std::collections::HashMap;
        // Events by id: (previous id, the state entered, if one was).
        let mut seen: HashMap<i64, (i64, Option<String>)> = HashMap::new();
        let mut submitted: Option<i64> = None;
        let mut pages = self
            .client
            .get_execution_history()
            .execution_arn(parent_arn)
            .include_execution_data(true)
            .reverse_order(true)
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| SfnError::from_sdk("reading an execution's history", e))?;
            for e in page.events {
                let entered = e
                    .state_entered_event_details
                    .as_ref()
                    .map(|d| d.name.clone());
                seen.insert(e.id, (e.previous_event_id, entered));
                if submitted.is_none() && submits(&e, child_arn) {
                    submitted = Some(e.id);
                }
            }
            if let Some(id) = submitted {
                match entered_before(&seen, id) {
                    Walk::State(state) => return Ok(Some(Some(state))),
                    Walk::Unknown => return Ok(Some(None)),
                    // The state's entry is on a later page.
                    Walk::NeedMore => {}
                }
            }
        }
        Ok(submitted.map(|_| None))
    }

    /// The input an execution started with.
    pub async fn execution_input(&self, execution_arn: &str) -> Result<Option<String>, SfnError> {
        let out = self
            .client
            .describe_execution()
            .execution_arn(execution_arn)
            .send()
            .await
            .map_err(|e| SfnError::from_sdk("describing an execution", e))?;
        Ok(out.input)
    }
}

/// Where walking back from an event to the state it ran in ends.
enum Walk {
    State(String),
    NeedMore,
    Unknown,
}

/// The state entered before event `from` (submitted ← started ←
/// scheduled ← entered), from the events `seen` so far.
fn entered_before(seen: &std::collections::HashMap<i64, (i64, Option<String>)>, from: i64) -> Walk {
    let mut at = from;
    for _ in 0..4 {
        match seen.get(&at) {
            Some((_, Some(state))) => return Walk::State(state.clone()),
            Some((previous, None)) => at = *previous,
            None => return Walk::NeedMore,
        }
    }
    Walk::Unknown
}

/// Whether `e` is a nested execution's task submitting `child_arn`.
fn submits(e: &aws_sdk_sfn::types::HistoryEvent, child_arn: &str) -> bool {
    let Some(d) = e.task_submitted_event_details.as_ref() else {
        return false;
    };
    if d.resource_type != "states" || !d.resource.starts_with("startExecution") {
        return false;
    }
    d.output
        .as_deref()
        .and_then(|o| serde_json::from_str::<serde_json::Value>(o).ok())
        .is_some_and(|o| o["ExecutionArn"] == child_arn)
}

fn to_event(e: &aws_sdk_sfn::types::HistoryEvent) -> HistoryEvent {
    let secs = e.timestamp.secs();
    let nanos = e.timestamp.subsec_nanos();
    let at = chrono::DateTime::from_timestamp(secs, nanos).unwrap_or_default();
    let state = e
        .state_entered_event_details
        .as_ref()
        .map(|d| d.name.clone())
        .or_else(|| {
            e.state_exited_event_details
                .as_ref()
                .map(|d| d.name.clone())
        });
    let error = e
        .execution_failed_event_details
        .as_ref()
        .and_then(|d| d.error.clone())
        .or_else(|| {
            e.activity_failed_event_details
                .as_ref()
                .and_then(|d| d.error.clone())
        })
        .or_else(|| {
            e.activity_timed_out_event_details
                .as_ref()
                .and_then(|d| d.error.clone())
        })
        .or_else(|| {
            e.execution_timed_out_event_details
                .as_ref()
                .and_then(|d| d.error.clone())
        });
    HistoryEvent {
        at,
        kind: e.r#type.as_str().to_owned(),
        state,
        error,
    }
}
