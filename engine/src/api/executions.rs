//! Execution actions.

use serde::Deserialize;
use serde_json::{Value, json};

use super::{check_json, date, decode_token, encode_token, page_size};
use crate::arn::{self, Kind};
use crate::engine::core::redrivable;
use crate::engine::{Core, Engine};
use crate::error::ApiError;
use crate::exec::{Execution, ExecutionStatus};
use crate::store::{self, ExecRecord};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Start {
    state_machine_arn: String,
    name: Option<String>,
    input: Option<String>,
}

pub(super) fn start(engine: &Engine, req: Start) -> Result<Value, ApiError> {
    arn::parse(&req.state_machine_arn, Kind::StateMachine)?;
    let name = req.name.unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    arn::check_name(&name)?;
    let input = req.input.unwrap_or_else(|| "{}".into());
    check_json(&input, "input", ApiError::InvalidExecutionInput)?;
    engine.with_core(|core, batch| {
        let request = crate::engine::load::StartRequest {
            machine_arn: req.state_machine_arn.clone(),
            name,
            input,
            parent: None,
        };
        let (arn, started) = crate::engine::load::start_execution(core, batch, request)?;
        Ok(json!({ "executionArn": arn, "startDate": date(started) }))
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ByArn {
    execution_arn: String,
}

/// The stored row of an execution, or `ExecutionDoesNotExist`.
pub(super) fn record(core: &Core, arn: &str) -> Result<ExecRecord, ApiError> {
    arn::parse(arn, Kind::Execution)?;
    store::execution(&core.conn, arn)?.ok_or_else(|| {
        ApiError::ExecutionDoesNotExist(format!("Execution Does Not Exist: '{arn}'"))
    })
}

pub(super) fn describe(engine: &Engine, req: ByArn) -> Result<Value, ApiError> {
    engine.with_core(|core, _| {
        let rec = record(core, &req.execution_arn)?;
        let redrive = if rec.status == "RUNNING" || rec.status == "SUCCEEDED" {
            ("NOT_REDRIVABLE", format!("Execution is {}", rec.status))
        } else {
            ("REDRIVABLE", String::new())
        };
        let mut out = json!({
            "executionArn": rec.arn,
            "stateMachineArn": rec.machine_arn,
            "name": rec.name,
            "status": rec.status,
            "startDate": date(rec.started_at),
            "input": rec.input,
            "inputDetails": { "included": true },
            "redriveCount": rec.redrive_count,
            "redriveStatus": redrive.0,
        });
        if !redrive.1.is_empty() {
            out["redriveStatusReason"] = json!(redrive.1);
        }
        if let Some(t) = rec.stopped_at {
            out["stopDate"] = date(t);
        }
        if let Some(o) = rec.output {
            out["output"] = json!(o);
            out["outputDetails"] = json!({ "included": true });
        }
        for (field, v) in [("error", rec.error), ("cause", rec.cause)] {
            if let Some(v) = v {
                out[field] = json!(v);
            }
        }
        if let Some(t) = rec.redriven_at {
            out["redriveDate"] = date(t);
        }
        Ok(out)
    })
}

/// How a `.sync` Task sees a finished nested execution: `DescribeExecution`
/// in the service-integration casing, dates as epoch milliseconds.
pub(crate) fn describe_for_task(e: &Execution) -> Value {
    let mut out = json!({
        "ExecutionArn": e.arn,
        "StateMachineArn": e.machine_arn,
        "Name": e.name,
        "Status": e.status.as_str(),
        "StartDate": e.started_at,
        "Input": e.input,
        "InputDetails": { "Included": true },
        "RedriveCount": e.redrive_count,
    });
    if let Some(t) = e.stopped_at {
        out["StopDate"] = json!(t);
    }
    if let Some(o) = &e.output {
        out["Output"] = json!(o);
        out["OutputDetails"] = json!({ "Included": true });
    }
    for (field, v) in [("Error", &e.error), ("Cause", &e.cause)] {
        if let Some(v) = v {
            out[field] = json!(v);
        }
    }
    out
}

pub(super) fn describe_machine(engine: &Engine, req: ByArn) -> Result<Value, ApiError> {
    engine.with_core(|core, _| {
        let rec = record(core, &req.execution_arn)?;
        let definition = store::revision(&core.conn, rec.revision_id)?.unwrap_or_default();
        let name = rec.arn.rsplit(':').nth(1).unwrap_or_default().to_owned();
        let mut out = json!({
            "stateMachineArn": rec.machine_arn,
            "name": name,
            "definition": definition,
            "roleArn": rec.role_arn,
            "updateDate": date(rec.started_at),
            "revisionId": rec.revision_id.to_string(),
            "loggingConfiguration": { "level": "OFF", "includeExecutionData": false },
            "tracingConfiguration": { "enabled": false },
        });
        if let Some(m) = store::machine(&core.conn, &rec.machine_arn)? {
            out["updateDate"] = date(m.updated_at.unwrap_or(m.created_at));
        }
        Ok(out)
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct List {
    state_machine_arn: Option<String>,
    status_filter: Option<String>,
    max_results: Option<i64>,
    next_token: Option<String>,
}

pub(super) fn list(engine: &Engine, req: List) -> Result<Value, ApiError> {
    let machine = req.state_machine_arn.ok_or_else(|| {
        ApiError::ValidationException("Must provide a StateMachine ARN or MapRun ARN".into())
    })?;
    arn::parse(&machine, Kind::StateMachine)?;
    if let Some(s) = &req.status_filter {
        ExecutionStatus::parse(s).ok_or_else(|| ApiError::ValidationException(format!(
            "1 validation error detected: Value '{s}' at 'statusFilter' failed to satisfy constraint: \
             Member must satisfy enum value set: [RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED, PENDING_REDRIVE]"
        )))?;
    }
    let limit = page_size(req.max_results)?;
    let after = decode_token(req.next_token.as_deref())?
        .map(|t| {
            let (ts, id) = t.split_once(':').unwrap_or_default();
            Ok::<_, ApiError>((
                ts.parse().map_err(|_| bad_token())?,
                id.parse().map_err(|_| bad_token())?,
            ))
        })
        .transpose()?;
    engine.with_core(|core, _| {
        crate::api::machines::existing(&core.conn, &machine)?;
        let rows = store::list_executions(
            &core.conn,
            &machine,
            req.status_filter.as_deref(),
            after,
            limit + 1,
        )?;
        let more = rows.len() > limit;
        let items: Vec<Value> = rows.iter().take(limit).map(summary).collect();
        let mut out = json!({ "executions": items });
        if more {
            let last = &rows[limit - 1];
            out["nextToken"] = json!(encode_token(&format!("{}:{}", last.started_at, last.id)));
        }
        Ok(out)
    })
}

fn bad_token() -> ApiError {
    ApiError::ValidationException("Invalid nextToken".into())
}

fn summary(rec: &ExecRecord) -> Value {
    let mut out = json!({
        "executionArn": rec.arn,
        "stateMachineArn": rec.machine_arn,
        "name": rec.name,
        "status": rec.status,
        "startDate": date(rec.started_at),
        "redriveCount": rec.redrive_count,
    });
    if let Some(t) = rec.stopped_at {
        out["stopDate"] = date(t);
    }
    if let Some(t) = rec.redriven_at {
        out["redriveDate"] = date(t);
    }
    out
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Stop {
    execution_arn: String,
    error: Option<String>,
    cause: Option<String>,
}

pub(super) fn stop(engine: &Engine, req: Stop) -> Result<Value, ApiError> {
    engine.with_core(|core, batch| {
        let rec = record(core, &req.execution_arn)?;
        if !core.run_interp(batch, &req.execution_arn, |it| {
            it.stop(req.error, req.cause)
        }) {
            // Already ended: stopping is a no-op that reports when it ended.
            return Ok(json!({ "stopDate": date(rec.stopped_at.unwrap_or(batch.now)) }));
        }
        Ok(json!({ "stopDate": date(batch.now) }))
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Redrive {
    execution_arn: String,
}

pub(super) fn redrive(engine: &Engine, req: Redrive) -> Result<Value, ApiError> {
    engine.with_core(|core, batch| {
        let rec = record(core, &req.execution_arn)?;
        if matches!(rec.status.as_str(), "RUNNING" | "SUCCEEDED") {
            return Err(ApiError::ExecutionNotRedrivable(format!(
                "Execution '{}' is {} and cannot be redriven",
                rec.arn, rec.status
            )));
        }
        let live = crate::engine::load::revive(core, rec)?;
        if !redrivable(&live.exec.run) {
            return Err(ApiError::ExecutionNotRedrivable(format!(
                "Execution '{}' has nothing to redrive",
                live.exec.arn
            )));
        }
        let arn = live.exec.arn.clone();
        core.running.insert(arn.clone(), live);
        core.run_interp(batch, &arn, |it| it.redrive());
        Ok(json!({ "redriveDate": date(batch.now) }))
    })
}
