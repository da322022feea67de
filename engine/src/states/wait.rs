//! The Wait state: waits for a span of seconds or until a timestamp.

use serde_json::Value;

use crate::clock::Millis;
use crate::definition::Wait;
use crate::exec::outcome::Step;
use crate::exec::run::Blocked;
use crate::exec::{Interp, ThreadId};
use crate::failure::Failure;
use crate::path::{apply_input_path, select};

pub(crate) fn run(w: &Wait, it: &mut Interp<'_>, id: ThreadId) -> Step {
    let raw = it.thread(id).input.clone();
    let ctx = it.exec.context(id, None);
    let now = it.env.now;
    let until = apply_input_path(&w.input_path, &raw, &ctx)
        .and_then(|input| Ok((deadline(w, &input, &ctx, now)?, input)));
    match until {
        Ok((until, input)) if until <= now => {
            Step::from(apply_input_path(&w.output_path, &input, &ctx))
        }
        Ok((until, _)) => Step::Block(Blocked::Wait { until }),
        Err(f) => Step::Fail(f),
    }
}

fn deadline(w: &Wait, input: &Value, ctx: &Value, now: Millis) -> Result<Millis, Failure> {
    if let Some(secs) = w.seconds {
        return Ok(now + secs as i64 * 1000);
    }
    if let Some(p) = &w.seconds_path {
        let v = select(p, input, ctx)?;
        let secs = v.as_u64().ok_or_else(|| {
            Failure::runtime(format!(
                "Invalid path '{p}': the value {v} is not a non-negative integer"
            ))
        })?;
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
