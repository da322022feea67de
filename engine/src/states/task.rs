//! The Task state: activity tasks and nested executions.

use serde_json::{Value, json};

use crate::arn::{self, Kind};
use crate::definition::{State, Task};
use crate::exec::interp::lookup;
use crate::exec::outcome::Step;
use crate::exec::run::{ActivityWait, Blocked, SyncMode};
use crate::exec::{ChildStart, Interp, ThreadId};
use crate::failure::Failure;
use crate::history::NewEvent;

mod input;

use input::{jsonata_input, jsonpath_input};

const START_EXECUTION: &str = "arn:aws:states:::states:startExecution";

pub(crate) fn run(state: &State, t: &Task, it: &mut Interp<'_>, id: ThreadId) -> Step {
    let raw = it.thread(id).input.clone();
    let ctx = it.exec.context(id, None);
    let prepared = if it.exec.definition.is_jsonata(state) {
        jsonata_input(t, &raw, &ctx)
    } else {
        jsonpath_input(t, &raw, &ctx)
    };
    let (params, timeout, heartbeat) = match prepared {
        Ok(p) => p,
        Err(f) => return Step::Fail(f),
    };
    if let Some(mode) = nested_mode(&t.resource) {
        return start_nested(it, id, mode, params, timeout);
    }
    if arn::parse(&t.resource, Kind::Activity).is_ok() {
        return schedule_activity(it, id, &t.resource, params, timeout, heartbeat);
    }
    it.emit(
        Some(id),
        NewEvent::with(
            "TaskFailed",
            "taskFailedEventDetails",
            json!({
                "resourceType": "unknown", "resource": t.resource,
                "error": crate::failure::names::TASK_FAILED, "cause": unavailable(&t.resource),
            }),
        ),
    );
    Step::Fail(Failure::task_failed(unavailable(&t.resource)))
}

fn unavailable(resource: &str) -> String {
    format!(
        "The resource '{resource}' is not available offline: the embedded engine runs activity \
         tasks and nested executions ({START_EXECUTION}, .sync, .sync:2) only."
    )
}

fn nested_mode(resource: &str) -> Option<SyncMode> {
    match resource.strip_prefix(START_EXECUTION)? {
        "" => Some(SyncMode::Start),
        ".sync" => Some(SyncMode::Sync),
        ".sync:2" => Some(SyncMode::Sync2),
        _ => None,
    }
}

fn schedule_activity(
    it: &mut Interp<'_>,
    id: ThreadId,
    activity: &str,
    params: Value,
    timeout: Option<u64>,
    heartbeat: Option<u64>,
) -> Step {
    if !it.env.activities.contains(activity) {
        return Step::Fail(Failure::task_failed(format!(
            "Activity does not exist: '{activity}'"
        )));
    }
    let input = params.to_string();
    let mut details =
        json!({ "resource": activity, "input": input, "inputDetails": {"truncated": false} });
    if let Some(t) = timeout {
        details["timeoutInSeconds"] = json!(t);
    }
    if let Some(h) = heartbeat {
        details["heartbeatInSeconds"] = json!(h);
    }
    it.emit(
        Some(id),
        NewEvent::with(
            "ActivityScheduled",
            "activityScheduledEventDetails",
            details,
        ),
    );
    let token = new_token();
    it.fx.queued.push(token.clone());
    let now = it.env.now;
    Step::Block(Blocked::Activity(ActivityWait {
        token,
        activity_arn: activity.to_owned(),
        input,
        scheduled_at: now,
        worker: None,
        timeout_at: timeout.map(|t| now + t as i64 * 1000),
        heartbeat_seconds: heartbeat,
        heartbeat_at: None,
    }))
}

/// A fresh task token: 256 random bits, hex.
pub(crate) fn new_token() -> String {
    format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    )
}

fn resource_name(mode: SyncMode) -> &'static str {
    match mode {
        SyncMode::Start => "startExecution",
        SyncMode::Sync => "startExecution.sync",
        SyncMode::Sync2 => "startExecution.sync:2",
    }
}

/// Emits a `Task*` event of a nested execution with the resource fields filled in.
pub(crate) fn nested_event(
    it: &mut Interp<'_>,
    id: ThreadId,
    mode: SyncMode,
    kind: &'static str,
    field: &'static str,
    mut details: Value,
) {
    details["resourceType"] = json!("states");
    details["resource"] = json!(resource_name(mode));
    it.emit(Some(id), NewEvent::with(kind, field, details));
}

fn start_nested(
    it: &mut Interp<'_>,
    id: ThreadId,
    mode: SyncMode,
    params: Value,
    timeout: Option<u64>,
) -> Step {
    let mut details =
        json!({ "region": it.env.partition.region, "parameters": params.to_string() });
    if let Some(t) = timeout {
        details["timeoutInSeconds"] = json!(t);
    }
    nested_event(
        it,
        id,
        mode,
        "TaskScheduled",
        "taskScheduledEventDetails",
        details,
    );
    it.fx.children.push(ChildStart {
        thread: id,
        mode,
        parameters: params,
    });
    let timeout_at = timeout.map(|t| it.env.now + t as i64 * 1000);
    Step::Block(Blocked::Child {
        execution_arn: String::new(),
        mode,
        timeout_at,
    })
}

/// The nested execution started: `TaskStarted`, `TaskSubmitted`, and for a
/// plain `startExecution` the task is done.
pub(crate) fn child_started(
    it: &mut Interp<'_>,
    id: ThreadId,
    mode: SyncMode,
    timeout_at: Option<i64>,
    arn: &str,
    started_at: i64,
) {
    nested_event(
        it,
        id,
        mode,
        "TaskStarted",
        "taskStartedEventDetails",
        json!({}),
    );
    let submitted = json!({ "ExecutionArn": arn, "StartDate": started_at });
    nested_event(
        it,
        id,
        mode,
        "TaskSubmitted",
        "taskSubmittedEventDetails",
        json!({ "output": submitted.to_string(), "outputDetails": {"truncated": false} }),
    );
    if mode == SyncMode::Start {
        nested_event(
            it,
            id,
            mode,
            "TaskSucceeded",
            "taskSucceededEventDetails",
            json!({ "output": submitted.to_string(), "outputDetails": {"truncated": false} }),
        );
        return complete(it, id, submitted);
    }
    it.thread(id).status = crate::exec::run::Status::Blocked(Blocked::Child {
        execution_arn: arn.to_owned(),
        mode,
        timeout_at,
    });
}

/// The nested execution ended; `description` is `DescribeExecution`'s shape
/// with `Input` and `Output` as JSON text.
pub(crate) fn child_finished(
    it: &mut Interp<'_>,
    id: ThreadId,
    mode: SyncMode,
    succeeded: bool,
    mut description: Value,
) {
    if mode == SyncMode::Sync2 {
        for field in ["Input", "Output"] {
            if let Some(Value::String(text)) = description.get(field) {
                description[field] = serde_json::from_str(text).unwrap_or(Value::Null);
            }
        }
    }
    if succeeded {
        nested_event(
            it,
            id,
            mode,
            "TaskSucceeded",
            "taskSucceededEventDetails",
            json!({ "output": description.to_string(), "outputDetails": {"truncated": false} }),
        );
        complete(it, id, description);
    } else {
        let cause = description.to_string();
        nested_event(
            it,
            id,
            mode,
            "TaskFailed",
            "taskFailedEventDetails",
            json!({ "error": crate::failure::names::TASK_FAILED, "cause": cause }),
        );
        it.fail(id, Failure::task_failed(cause));
    }
}

/// A task's result arrived: result processing, then on to the next state.
pub(crate) fn complete(it: &mut Interp<'_>, id: ThreadId, result: Value) {
    let (sm, scope, name) = it.state_of(id);
    let Some(state) = lookup(&sm, &scope, &name) else {
        return;
    };
    let step = Step::from(crate::exec::flow::conclude(it, id, state, result));
    it.apply(id, state, step);
}
