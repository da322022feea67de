//! A Task's input and time limits, in either query language.

use serde_json::Value;

use crate::context::Ctx;
use crate::definition::{OrExpr, Task};
use crate::exec::outcome::{arguments, effective_input, seconds_at};
use crate::failure::Failure;
use crate::path::apply_input_path;
use crate::query;

/// The task input, the timeout and the heartbeat.
pub(super) type Prepared = (Value, Option<u64>, Option<u64>);

pub(super) fn jsonpath_input(t: &Task, raw: &Value, ctx: &Ctx) -> Result<Prepared, Failure> {
    let selected = apply_input_path(&t.input_path, raw, ctx)?;
    let params = effective_input(
        &crate::definition::PathField::Root,
        t.parameters.as_ref(),
        &selected,
        ctx,
    )?;
    let fixed = |v: &Option<OrExpr<u64>>| v.as_ref().and_then(OrExpr::fixed);
    let timeout = limit(
        fixed(&t.timeout_seconds),
        &t.timeout_seconds_path,
        &selected,
        ctx,
    )?;
    let heartbeat = limit(
        fixed(&t.heartbeat_seconds),
        &t.heartbeat_seconds_path,
        &selected,
        ctx,
    )?;
    Ok((params, timeout, heartbeat))
}

pub(super) fn jsonata_input(t: &Task, raw: &Value, ctx: &Ctx) -> Result<Prepared, Failure> {
    let params = arguments(t.arguments.as_ref(), raw, ctx)?;
    let states = query::States {
        input: raw,
        result: None,
        error_output: None,
        ctx,
    };
    let seconds = |field: &str, v: &Option<OrExpr<u64>>| match v {
        None => Ok(None),
        Some(OrExpr::Value(s)) => Ok(Some(*s)),
        Some(OrExpr::Expr(e)) => {
            query::integer(&Value::String(e.clone()), field, true, &states).map(Some)
        }
    };
    let timeout = seconds("TimeoutSeconds", &t.timeout_seconds)?;
    let heartbeat = seconds("HeartbeatSeconds", &t.heartbeat_seconds)?;
    Ok((params, timeout, heartbeat))
}

fn limit(
    fixed: Option<u64>,
    path: &Option<String>,
    input: &Value,
    ctx: &Ctx,
) -> Result<Option<u64>, Failure> {
    match (fixed, path) {
        (Some(s), _) => Ok(Some(s)),
        (None, Some(p)) => seconds_at(p, input, ctx).map(Some),
        (None, None) => Ok(None),
    }
}
