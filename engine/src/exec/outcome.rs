//! What running a state gives, and the input/output processing every state shares.

use serde_json::Value;

use crate::definition::{PathField, State};
use crate::failure::Failure;
use crate::path;
use crate::payload;

use super::run::Blocked;

/// The result of running a state once.
#[derive(Debug)]
pub(crate) enum Step {
    /// Done: its output, going where its `Next`/`End` says.
    Output(Value),
    /// Done, going to the named state (Choice).
    Goto(String, Value),
    /// Done, ending the branch (Succeed).
    End(Value),
    /// Waiting for something.
    Block(Blocked),
    /// Failed: handled by `Retry`/`Catch` or passed up.
    Fail(Failure),
}

impl From<Result<Value, Failure>> for Step {
    fn from(r: Result<Value, Failure>) -> Self {
        match r {
            Ok(v) => Step::Output(v),
            Err(f) => Step::Fail(f),
        }
    }
}

/// The effective input: `InputPath`, then the `Parameters` template if any.
pub(crate) fn effective_input(
    input_path: &PathField,
    parameters: Option<&Value>,
    raw: &Value,
    ctx: &Value,
) -> Result<Value, Failure> {
    let selected = path::apply_input_path(input_path, raw, ctx)?;
    match parameters {
        Some(template) => payload::render(template, &selected, ctx),
        None => Ok(selected),
    }
}

/// The state output from a result: `ResultSelector`, `ResultPath` (over the
/// raw input), then `OutputPath`.
pub(crate) fn state_output(
    state: &State,
    raw: &Value,
    result: Value,
    ctx: &Value,
) -> Result<Value, Failure> {
    let (selector, result_path) = match state {
        State::Task(t) => (t.result_selector.as_ref(), &t.result_path),
        State::Parallel(p) => (p.result_selector.as_ref(), &p.result_path),
        State::Map(m) => (m.result_selector.as_ref(), &m.result_path),
        State::Pass(p) => (None, &p.result_path),
        _ => (None, &PathField::Root),
    };
    let result = match selector {
        Some(template) => payload::render(template, &result, ctx)?,
        None => result,
    };
    let combined = path::apply_result_path(result_path, raw.clone(), result)?;
    path::apply_input_path(state.output_path(), &combined, ctx)
}

/// A whole number of seconds from a `*SecondsPath` field: a positive integer.
pub(crate) fn seconds_at(path_text: &str, input: &Value, ctx: &Value) -> Result<u64, Failure> {
    let v = path::select(path_text, input, ctx)?;
    v.as_u64().filter(|s| *s > 0).ok_or_else(|| {
        Failure::runtime(format!(
            "Invalid path '{path_text}': the value {v} is not a positive integer"
        ))
    })
}
