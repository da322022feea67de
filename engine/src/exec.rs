//! Running executions: the interpreter that moves threads through states.
//!
//! The interpreter is synchronous and pure apart from the [`Effects`] it
//! collects: history events, timers, activity tasks to queue or cancel and
//! nested executions to start. The engine applies them, persists the run and
//! wakes whoever waits.

pub(crate) mod branches;
mod failing;
pub(crate) mod flow;
pub(crate) mod interp;
pub(crate) mod outcome;
mod resume;
mod retry;
pub(crate) mod run;
pub(crate) mod vars;

use std::collections::HashSet;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::arn::Partition;
use crate::clock::{Millis, to_rfc3339};
use crate::context::Ctx;
use crate::definition::StateMachine;
use crate::history::NewEvent;

pub(crate) use interp::Interp;
pub(crate) use run::{Run, ThreadId};

/// The status of an execution, as the API names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ExecutionStatus {
    /// Still going.
    Running,
    /// Ended successfully.
    Succeeded,
    /// Ended with an unhandled error.
    Failed,
    /// Ran past the state machine's `TimeoutSeconds`.
    TimedOut,
    /// Stopped by `StopExecution`.
    Aborted,
    /// Not reachable offline (Express only on AWS); listed for completeness.
    PendingRedrive,
}

impl ExecutionStatus {
    /// The API's name for the status.
    pub fn as_str(self) -> &'static str {
        match self {
            ExecutionStatus::Running => "RUNNING",
            ExecutionStatus::Succeeded => "SUCCEEDED",
            ExecutionStatus::Failed => "FAILED",
            ExecutionStatus::TimedOut => "TIMED_OUT",
            ExecutionStatus::Aborted => "ABORTED",
            ExecutionStatus::PendingRedrive => "PENDING_REDRIVE",
        }
    }

    /// Parses the API's name.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "RUNNING" => ExecutionStatus::Running,
            "SUCCEEDED" => ExecutionStatus::Succeeded,
            "FAILED" => ExecutionStatus::Failed,
            "TIMED_OUT" => ExecutionStatus::TimedOut,
            "ABORTED" => ExecutionStatus::Aborted,
            "PENDING_REDRIVE" => ExecutionStatus::PendingRedrive,
            _ => return None,
        })
    }
}

/// The parent of a nested execution: whose Task state waits for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct ParentTask {
    pub execution_arn: String,
    pub thread: ThreadId,
}

/// An execution with everything needed to run it.
#[derive(Debug, Clone)]
pub(crate) struct Execution {
    pub arn: String,
    pub name: String,
    pub machine_arn: String,
    pub machine_name: String,
    pub definition: Arc<StateMachine>,
    pub role_arn: String,
    pub input: String,
    pub started_at: Millis,
    pub stopped_at: Option<Millis>,
    pub status: ExecutionStatus,
    pub output: Option<String>,
    pub error: Option<String>,
    pub cause: Option<String>,
    pub redrive_count: u32,
    pub redriven_at: Option<Millis>,
    pub parent: Option<ParentTask>,
    pub run: Run,
}

impl Execution {
    /// The context object `$$` of a thread in its current state, with its variables.
    pub fn context(&self, thread: ThreadId, token: Option<&str>) -> Ctx {
        let t = &self.run.threads[&thread];
        let mut ctx = json!({
            "Execution": {
                "Id": self.arn,
                "Input": serde_json::from_str::<Value>(&self.input).unwrap_or(Value::Null),
                "Name": self.name,
                "RoleArn": self.role_arn,
                "StartTime": to_rfc3339(self.started_at),
                "RedriveCount": self.redrive_count,
            },
            "State": {
                "EnteredTime": to_rfc3339(t.entered_at),
                "Name": t.state,
                "RetryCount": t.retries.iter().sum::<u64>(),
            },
            "StateMachine": { "Id": self.machine_arn, "Name": self.machine_name },
        });
        if let Some(token) = token {
            ctx["Task"] = json!({ "Token": token });
        }
        if let Some((index, value)) = &t.map_item {
            ctx["Map"] = json!({ "Item": { "Index": index, "Value": value } });
        }
        Ctx::new(ctx, self.run.visible_vars(thread))
    }

    /// Whether the execution has ended.
    pub fn is_done(&self) -> bool {
        self.status != ExecutionStatus::Running
    }
}

/// What the interpreter reads from outside an execution.
pub(crate) struct Env<'a> {
    pub now: Millis,
    pub partition: &'a Partition,
    pub activities: &'a HashSet<String>,
}

/// A nested execution to start for a Task state.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ChildStart {
    pub thread: ThreadId,
    pub mode: run::SyncMode,
    pub parameters: Value,
}

/// What an interpreter run asks the engine to do.
#[derive(Debug, Default)]
pub(crate) struct Effects {
    /// History events to append, with ids already assigned.
    pub events: Vec<(u64, u64, NewEvent)>,
    /// Timers to set: (deadline, thread); `None` is the execution's own timeout.
    pub timers: Vec<(Millis, Option<ThreadId>)>,
    /// Activity tokens newly waiting for a worker.
    pub queued: Vec<String>,
    /// Activity tokens no longer valid.
    pub cancelled: Vec<String>,
    /// Nested executions to start.
    pub children: Vec<ChildStart>,
    /// Nested executions to stop (their parent ended).
    pub stop_children: Vec<String>,
    /// Variables a thread's state just assigned, for its `*StateExited` event.
    pub assigned: std::collections::BTreeMap<ThreadId, serde_json::Map<String, Value>>,
}
