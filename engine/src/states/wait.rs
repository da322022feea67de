//! The Wait state: waits for a span of seconds or until a timestamp.

use serde_json::Value;

use crate::clock::Millis;
use crate::context::Ctx;
use crate::definition::{OrExpr, State, Wait};
use crate::exec::flow::conclude;
use crate::exec::outcome::Step;
use crate::exec::run::Blocked;
use crate::exec::{Interp, ThreadId};
use crate::failure::Failure;
use crate::path::{apply_input_path, select};
use crate::query::{self, States};

pub(crate) fn run(state: &State, w: &Wait, it: &mut Interp<'_>, id: ThreadId) -> Step {
    let raw = it.thread(id).input.clone();
    let ctx = it.exec.context(id, None);
    let now = it.env.now;
    let until = if it.exec.definition.is_jsonata(state) {
        jsonata_deadline(w, &raw, &ctx, now).map(|until| (until, raw.clone()))
    } else {
        apply_input_path(&w.input_path, &raw, &ctx)
            .and_then(|input| Ok((deadline(w, &input, &ctx, now)?, input)))
    };
    match until {
        Ok((until, input)) if until <= now => Step::from(conclude(it, id, state, input)),
        Ok((until, _)) => Step::Block(Blocked::Wait { until }),
        Err(f) => Step::Fail(f),
    }
}

/// The Wait is over: the state's output from its effective input.
pub(crate) fn resume(state: &State, w: &Wait, it: &mut Interp<'_>, id: ThreadId) -> Step {
    let raw = it.thread(id).input.clone();
    let input = if it.exec.definition.is_jsonata(state) {
        Ok(raw)
    } else {
        let ctx = it.exec.context(id, None);
        apply_input_path(&w.input_path, &raw, &ctx)
    };
    Step::from(input.and_then(|v| conclude(it, id, state, v)))
}

fn jsonata_deadline(w: &Wait, raw: &Value, ctx: &Ctx, now: Millis) -> Result<Millis, Failure> {
    let states = States {
        input: raw,
        result: None,
        error_output: None,
        ctx,
    };
    if let Some(seconds) = &w.seconds {
        let secs = match seconds {
            OrExpr::Value(s) => *s,
            OrExpr::Expr(e) => {
                query::integer(&Value::String(e.clone()), "Seconds", false, &states)?
            }
        };
        return Ok(now + secs as i64 * 1000);
    }
    let Some(ts) = &w.timestamp else {
        return Ok(now);
    };
    let template = Value::String(ts.clone());
    let text = query::string(&template, "Timestamp", &states)?;
    chrono::DateTime::parse_from_rfc3339(&text)
        .map(|t| t.timestamp_millis())
        .map_err(|_| query::wrong_type(&template, "Timestamp", "timestamp", &Value::String(text)))
}

fn deadline(w: &Wait, input: &Value, ctx: &Ctx, now: Millis) -> Result<Millis, Failure> {
    if let Some(secs) = w.seconds.as_ref().and_then(OrExpr::fixed) {
        return Ok(now + secs as i64 * 1000);
    }
    if let Some(p) = &w.seconds_path {
        let v = select(p, input, ctx)?;
        let shown = match &v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let secs = match (v.as_u64(), v.as_i64()) {
            (Some(secs), _) => secs,
            (None, Some(_)) => {
                return Err(Failure::runtime(format!(
                    "The SecondsPath parameter references a negative value: {p} == {shown}"
                )));
            }
            (None, None) => {
                return Err(Failure::runtime(format!(
                    "The SecondsPath parameter cannot be parsed as a long value: {p} == {shown}"
                )));
            }
        };
        return Ok(now + secs as i64 * 1000);
    }
    let text = match (&w.timestamp, &w.timestamp_path) {
        (Some(t), _) => t.clone(),
        (None, Some(p)) => match select(p, input, ctx)? {
            Value::String(s) => s,
            other => {
                return Err(Failure::runtime(format!(
                    "Invalid path '{p}': the value {other} is not a timestamp"
                )));
            }
        },
        (None, None) => return Ok(now),
    };
    chrono::DateTime::parse_from_rfc3339(&text)
        .map(|t| t.timestamp_millis())
        .map_err(|_| Failure::runtime(format!("The value '{text}' is not a valid timestamp")))
}
