//! The Fail state: fails its branch with an error and a cause.

use serde_json::Value;

use crate::definition::{Fail, State};
use crate::exec::outcome::Step;
use crate::exec::{Interp, ThreadId};
use crate::failure::Failure;
use crate::path::select;
use crate::query::{self, States};

pub(crate) fn run(state: &State, f: &Fail, it: &mut Interp<'_>, id: ThreadId) -> Step {
    let raw = it.thread(id).input.clone();
    let ctx = it.exec.context(id, None);
    if it.exec.definition.is_jsonata(state) {
        let states = States {
            input: &raw,
            result: None,
            error_output: None,
            ctx: &ctx,
        };
        let pick = |field: &str, v: &Option<String>| match v {
            Some(text) => query::string(&Value::String(text.clone()), field, &states),
            None => Ok(String::new()),
        };
        return match (pick("Error", &f.error), pick("Cause", &f.cause)) {
            (Ok(error), Ok(cause)) => Step::Fail(Failure::new(error, cause)),
            (Err(e), _) | (_, Err(e)) => Step::Fail(e),
        };
    }
    let pick = |fixed: &Option<String>, path: &Option<String>| -> Result<String, Failure> {
        match (fixed, path) {
            (Some(v), _) => Ok(v.clone()),
            (None, Some(p)) => match path_or_call(p, &raw, &ctx)? {
                Value::String(s) => Ok(s),
                other => Err(Failure::runtime(format!(
                    "Invalid path '{p}': the value {other} is not a string"
                ))),
            },
            (None, None) => Ok(String::new()),
        }
    };
    match (pick(&f.error, &f.error_path), pick(&f.cause, &f.cause_path)) {
        (Ok(error), Ok(cause)) => Step::Fail(Failure::new(error, cause)),
        (Err(e), _) | (_, Err(e)) => Step::Fail(e),
    }
}

/// An `ErrorPath`/`CausePath`: a path, or an intrinsic function call.
fn path_or_call(text: &str, raw: &Value, ctx: &crate::context::Ctx) -> Result<Value, Failure> {
    if text.trim_start().starts_with("States.") {
        crate::intrinsics::evaluate(text.trim(), raw, ctx)
    } else {
        select(text, raw, ctx)
    }
}
