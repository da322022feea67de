//! What running a state gives, and the input/output processing every state shares.

use crate::context::Ctx;
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
    ctx: &Ctx,
) -> Result<Value, Failure> {
    let selected = path::apply_input_path(input_path, raw, ctx)?;
    match parameters {
        Some(template) => payload::render(template, &selected, ctx),
        None => Ok(selected),
    }
}

/// JSONPath: the result after the state's `ResultSelector`, if it has one.
pub(crate) fn select_result(state: &State, result: Value, ctx: &Ctx) -> Result<Value, Failure> {
    let selector = match state {
        State::Task(t) => t.result_selector.as_ref(),
        State::Parallel(p) => p.result_selector.as_ref(),
        State::Map(m) => m.result_selector.as_ref(),
        _ => None,
    };
    match selector {
        Some(template) => payload::render(template, &result, ctx),
        None => Ok(result),
    }
}

/// JSONPath: the state output from a selected result: `ResultPath` (over the
/// raw input), then `OutputPath`.
pub(crate) fn place_result(
    state: &State,
    raw: &Value,
    result: Value,
    ctx: &Ctx,
) -> Result<Value, Failure> {
    let result_path = match state {
        State::Task(t) => &t.result_path,
        State::Parallel(p) => &p.result_path,
        State::Map(m) => &m.result_path,
        State::Pass(p) => &p.result_path,
        _ => &PathField::Root,
    };
    let combined = path::apply_result_path(result_path, raw.clone(), result)?;
    path::apply_input_path(state.output_path(), &combined, ctx)
}

/// JSONata: the effective input of a Task or Parallel, its `Arguments`
/// rendered (default: the raw input).
pub(crate) fn arguments(
    template: Option<&Value>,
    raw: &Value,
    ctx: &Ctx,
) -> Result<Value, Failure> {
    let states = crate::query::States {
        input: raw,
        result: None,
        error_output: None,
        ctx,
    };
    match template {
        Some(t) => crate::query::render(t, "Arguments", &states),
        None => Ok(raw.clone()),
    }
}

/// A whole number of seconds from a `*SecondsPath` field: a positive integer.
pub(crate) fn seconds_at(path_text: &str, input: &Value, ctx: &Ctx) -> Result<u64, Failure> {
    let v = path::select(path_text, input, ctx)?;
    v.as_u64().filter(|s| *s > 0).ok_or_else(|| {
        Failure::runtime(format!(
            "Invalid path '{path_text}': the value {v} is not a positive integer"
        ))
    })
}
