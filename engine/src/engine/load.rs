//! Bringing executions into memory: at open, at start, at redrive.

use std::cmp::Reverse;

use serde_json::Value;

use super::EngineConfig;
use super::core::{Batch, Core, Live, Timer};
use crate::arn::{self, Kind};
use crate::clock::Millis;
use crate::error::ApiError;
use crate::exec::run::{Blocked, Run, Status, SyncMode};
use crate::exec::{ChildStart, Execution, ExecutionStatus, ParentTask};
use crate::failure::Failure;
use crate::store::{self, ExecRecord};

/// Opens the store and resumes every running execution.
pub(crate) fn load(config: &EngineConfig, now: Millis) -> Result<Core, ApiError> {
    let conn = store::open(&config.db_path)?;
    let mut core = Core::new(conn, config.partition.clone(), config.max_running);
    let mut after = String::new();
    loop {
        let page = store::activities(&core.conn, &after, 1000)?;
        let Some(last) = page.last() else { break };
        after = last.1.clone();
        core.activities
            .extend(page.into_iter().map(|(arn, _, _)| arn));
    }
    let mut queued: Vec<(Millis, String, String)> = Vec::new();
    for rec in store::running_executions(&core.conn)? {
        let live = revive(&mut core, rec)?;
        index(&mut core, &live, &mut queued);
        core.running.insert(live.exec.arn.clone(), live);
    }
    // Tasks go back into their queues in the order they were scheduled.
    queued.sort();
    for (_, activity, token) in queued {
        core.queues.entry(activity).or_default().push_back(token);
    }
    tracing::info!(running = core.running.len(), now, "engine state loaded");
    Ok(core)
}

/// An execution from its row.
pub(crate) fn revive(core: &mut Core, rec: ExecRecord) -> Result<Live, ApiError> {
    let definition = core.definition(rec.revision_id)?;
    let full = arn::parse(&rec.arn, Kind::Execution)?;
    let machine_name = full.split(':').next().unwrap_or_default().to_owned();
    let run: Run = serde_json::from_str(&rec.run)?;
    let parent: Option<ParentTask> = rec
        .parent
        .as_deref()
        .map(serde_json::from_str)
        .transpose()?;
    let status = ExecutionStatus::parse(&rec.status)
        .ok_or_else(|| ApiError::InternalFailure(format!("unknown status {}", rec.status)))?;
    Ok(Live {
        id: rec.id,
        revision_id: rec.revision_id,
        exec: Execution {
            arn: rec.arn,
            name: rec.name,
            machine_arn: rec.machine_arn,
            machine_name,
            definition,
            role_arn: rec.role_arn,
            input: rec.input,
            started_at: rec.started_at,
            stopped_at: rec.stopped_at,
            status,
            output: rec.output,
            error: rec.error,
            cause: rec.cause,
            redrive_count: rec.redrive_count,
            redriven_at: rec.redriven_at,
            parent,
            run,
        },
    })
}

/// Registers a resumed execution's tokens and timers.
fn index(core: &mut Core, live: &Live, queued: &mut Vec<(Millis, String, String)>) {
    let arn = &live.exec.arn;
    let mut timer = |at: Millis, thread| {
        core.timers.push(Reverse(Timer {
            at,
            arn: arn.clone(),
            thread,
        }))
    };
    if let Some(secs) = live.exec.definition.timeout_seconds {
        let from = live.exec.redriven_at.unwrap_or(live.exec.started_at);
        timer(from + secs as i64 * 1000, None);
    }
    for (id, t) in &live.exec.run.threads {
        let Status::Blocked(b) = &t.status else {
            continue;
        };
        match b {
            Blocked::Wait { until } | Blocked::Retry { until } => timer(*until, Some(*id)),
            Blocked::Activity(a) => {
                for at in [a.timeout_at, a.heartbeat_at].into_iter().flatten() {
                    timer(at, Some(*id));
                }
            }
            Blocked::Child {
                timeout_at: Some(at),
                ..
            } => timer(*at, Some(*id)),
            _ => {}
        }
    }
    for (id, a) in live.exec.run.activities() {
        core.tokens.insert(a.token.clone(), (arn.clone(), id));
        if a.worker.is_none() {
            queued.push((a.scheduled_at, a.activity_arn.clone(), a.token.clone()));
        }
    }
}

/// A request to start an execution.
pub(crate) struct StartRequest {
    pub machine_arn: String,
    pub name: String,
    pub input: String,
    pub parent: Option<ParentTask>,
}

/// Starts an execution (or finds the running one with the same name and input).
pub(crate) fn start_execution(
    core: &mut Core,
    batch: &mut Batch,
    req: StartRequest,
) -> Result<(String, Millis), ApiError> {
    let machine = store::machine(&core.conn, &req.machine_arn)?.ok_or_else(|| {
        ApiError::StateMachineDoesNotExist(format!(
            "State Machine Does Not Exist: '{}'",
            req.machine_arn
        ))
    })?;
    let arn = core.partition.execution_arn(&machine.name, &req.name);
    if let Some(live) = core.running.get(&arn) {
        return same_execution(&live.exec.input, live.exec.started_at, &arn, &req.input);
    }
    if let Some(rec) = store::execution(&core.conn, &arn)? {
        return if rec.status == "RUNNING" {
            same_execution(&rec.input, rec.started_at, &arn, &req.input)
        } else {
            Err(ApiError::ExecutionAlreadyExists(format!(
                "Execution Already Exists: '{arn}'"
            )))
        };
    }
    if core.running.len() as u64 >= core.max_running {
        return Err(ApiError::ExecutionLimitExceeded(format!(
            "Execution Limit Exceeded: {} executions are running",
            core.running.len()
        )));
    }
    let definition = core.definition(machine.revision_id)?;
    let exec = Execution {
        arn: arn.clone(),
        name: req.name,
        machine_arn: machine.arn,
        machine_name: machine.name,
        definition,
        role_arn: machine.role_arn,
        input: req.input,
        started_at: batch.now,
        stopped_at: None,
        status: ExecutionStatus::Running,
        output: None,
        error: None,
        cause: None,
        redrive_count: 0,
        redriven_at: None,
        parent: req.parent,
        run: Run::default(),
    };
    core.add(machine.revision_id, exec);
    core.run_interp(batch, &arn, |it| it.start());
    Ok((arn, batch.now))
}

fn same_execution(
    input: &str,
    started: Millis,
    arn: &str,
    requested: &str,
) -> Result<(String, Millis), ApiError> {
    if input == requested {
        Ok((arn.to_owned(), started))
    } else {
        Err(ApiError::ExecutionAlreadyExists(format!(
            "Execution Already Exists: '{arn}'"
        )))
    }
}

/// Starts the nested execution a Task state asked for, and tells the parent.
pub(crate) fn start_child(core: &mut Core, batch: &mut Batch, parent: &str, start: ChildStart) {
    let outcome = child_request(&start.parameters, parent, start.thread).and_then(|req| {
        start_execution(core, batch, req).map_err(|e| {
            Failure::new(
                format!("StepFunctions.{}Exception", e.name()),
                e.to_string(),
            )
        })
    });
    match outcome {
        Ok((arn, started)) => {
            let mode = start.mode;
            core.run_interp(batch, parent, |it| {
                it.child_started(start.thread, &arn, started)
            });
            if mode == SyncMode::Start {
                // Fire and forget: the child no longer reports to the parent.
                if let Some(live) = core.running.get_mut(&arn) {
                    live.exec.parent = None;
                }
            }
        }
        Err(failure) => {
            core.run_interp(batch, parent, |it| {
                it.child_start_failed(start.thread, failure)
            });
        }
    }
}

fn child_request(params: &Value, parent: &str, thread: u32) -> Result<StartRequest, Failure> {
    let machine_arn = params
        .get("StateMachineArn")
        .and_then(Value::as_str)
        .ok_or_else(|| {
            Failure::runtime("The field 'StateMachineArn' is required by startExecution")
        })?;
    let input = match params.get("Input") {
        None => "{}".to_owned(),
        Some(Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
    };
    if serde_json::from_str::<Value>(&input).is_err() {
        return Err(Failure::new(
            "StepFunctions.InvalidExecutionInputException",
            "Input is not valid JSON",
        ));
    }
    let name = match params.get("Name").and_then(Value::as_str) {
        Some(n) => n.to_owned(),
        None => uuid::Uuid::new_v4().to_string(),
    };
    Ok(StartRequest {
        machine_arn: machine_arn.to_owned(),
        name,
        input,
        parent: Some(ParentTask {
            execution_arn: parent.to_owned(),
            thread,
        }),
    })
}
