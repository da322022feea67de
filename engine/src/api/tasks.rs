//! Activity workers' actions: polling for tasks and reporting on them.

use serde::Deserialize;
use serde_json::{Value, json};

use super::{activities::does_not_exist, check_json};
use crate::arn::{self, Kind};
use crate::engine::core::Closed;
use crate::engine::{Batch, Core, Engine};
use crate::error::ApiError;
use crate::exec::ThreadId;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Poll {
    activity_arn: String,
    worker_name: Option<String>,
}

/// Long-polls for a task: answers at once when one is queued, else waits up
/// to the poll timeout and answers with no token.
pub(super) async fn get_activity_task(engine: &Engine, req: Poll) -> Result<Value, ApiError> {
    arn::parse(&req.activity_arn, Kind::Activity)?;
    let worker = req.worker_name.unwrap_or_default();
    if worker.len() > 80 {
        return Err(ApiError::ValidationException(
            "workerName must be at most 80 characters".into(),
        ));
    }
    let deadline = engine.clock().now() + engine.inner.config.poll_timeout.as_millis() as i64;
    let signal = engine.queue_signal(&req.activity_arn);
    let mut expired = engine.clock().sleep_until(deadline);
    loop {
        let notified = signal.notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        if let Some(task) =
            engine.with_core(|core, batch| take(core, batch, &req.activity_arn, &worker))?
        {
            return Ok(task);
        }
        tokio::select! {
            _ = &mut notified => {}
            _ = &mut expired => return Ok(json!({})),
        }
    }
}

fn take(
    core: &mut Core,
    batch: &mut Batch,
    activity: &str,
    worker: &str,
) -> Result<Option<Value>, ApiError> {
    if !core.activities.contains(activity) {
        return Err(does_not_exist(activity));
    }
    while let Some(token) = core.queues.get_mut(activity).and_then(|q| q.pop_front()) {
        let Some((arn, thread)) = core.tokens.get(&token).cloned() else {
            continue;
        };
        let Some(input) = pending_input(core, &arn, thread, &token) else {
            continue;
        };
        core.run_interp(batch, &arn, |it| it.activity_started(thread, worker));
        return Ok(Some(json!({ "taskToken": token, "input": input })));
    }
    Ok(None)
}

/// The input of a task not yet taken by a worker.
fn pending_input(core: &Core, arn: &str, thread: ThreadId, token: &str) -> Option<String> {
    let live = core.running.get(arn)?;
    live.exec
        .run
        .activities()
        .find(|(id, a)| *id == thread && a.token == token && a.worker.is_none())
        .map(|(_, a)| a.input.clone())
}

fn check_token(token: &str) -> Result<(), ApiError> {
    if token.is_empty() || token.len() > 1024 {
        return Err(ApiError::InvalidToken(format!("Invalid Token: '{token}'")));
    }
    Ok(())
}

/// The execution and thread of a live token.
fn find(core: &Core, token: &str) -> Result<(String, ThreadId), ApiError> {
    check_token(token)?;
    if let Some(found) = core.tokens.get(token) {
        return Ok(found.clone());
    }
    Err(match core.closed.get(token) {
        Some(Closed::TimedOut) => ApiError::TaskTimedOut(format!("Task Timed Out: '{token}'")),
        _ => ApiError::TaskDoesNotExist(format!("Task Does Not Exist: '{token}'")),
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Success {
    task_token: String,
    output: String,
}

pub(super) fn send_success(engine: &Engine, req: Success) -> Result<Value, ApiError> {
    check_token(&req.task_token)?;
    check_json(&req.output, "output", ApiError::InvalidOutput)?;
    engine.with_core(|core, batch| {
        let (arn, thread) = find(core, &req.task_token)?;
        core.close_token(&req.task_token, Closed::Completed);
        core.run_interp(batch, &arn, |it| it.activity_succeeded(thread, &req.output));
        Ok(json!({}))
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Failure {
    task_token: String,
    error: Option<String>,
    cause: Option<String>,
}

pub(super) fn send_failure(engine: &Engine, req: Failure) -> Result<Value, ApiError> {
    check_token(&req.task_token)?;
    let error = req.error.unwrap_or_default();
    let cause = req.cause.unwrap_or_default();
    if error.len() > 256 || cause.len() > 32_768 {
        return Err(ApiError::ValidationException(
            "error must be at most 256 and cause at most 32768 characters".into(),
        ));
    }
    engine.with_core(|core, batch| {
        let (arn, thread) = find(core, &req.task_token)?;
        core.close_token(&req.task_token, Closed::Completed);
        core.run_interp(batch, &arn, |it| it.activity_failed(thread, &error, &cause));
        Ok(json!({}))
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Heartbeat {
    task_token: String,
}

pub(super) fn send_heartbeat(engine: &Engine, req: Heartbeat) -> Result<Value, ApiError> {
    engine.with_core(|core, batch| {
        let (arn, thread) = find(core, &req.task_token)?;
        core.run_interp(batch, &arn, |it| it.heartbeat(thread));
        Ok(json!({}))
    })
}
