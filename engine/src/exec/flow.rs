//! Leaving a state in its query language: `Assign`, then the output, both read
//! with the variables as they were when the state was entered; the new values
//! take effect from the next state on.

use serde_json::Value;

use super::interp::Interp;
use super::outcome::{place_result, select_result};
use super::run::ThreadId;
use super::vars;
use crate::definition::{Catcher, State};
use crate::failure::Failure;
use crate::payload;
use crate::query::{self, States};

/// The `Assign` and `Output` that apply on leaving: the state's own, or those
/// of the Choice rule that matched or the catcher that caught.
pub(crate) struct Exit<'a> {
    pub assign: Option<&'a Value>,
    pub output: Option<&'a Value>,
    /// Where the fields are, for messages: `""`, `"Choices[1]/"`, `"Catch[0]/"`.
    pub at: String,
}

impl<'a> Exit<'a> {
    /// The state's own `Assign` and `Output`.
    pub fn of(state: &'a State) -> Self {
        Self {
            assign: state.assign(),
            output: state.output(),
            at: String::new(),
        }
    }
}

fn has_result(state: &State) -> bool {
    matches!(state, State::Task(_) | State::Parallel(_) | State::Map(_))
}

/// Leaves the state of thread `id` with `result` (for Choice, Wait and
/// Succeed, the effective input): the output, with the variables set.
pub(crate) fn conclude(
    it: &mut Interp<'_>,
    id: ThreadId,
    state: &State,
    result: Value,
) -> Result<Value, Failure> {
    conclude_with(it, id, state, &Exit::of(state), result)
}

/// [`conclude`] with the `Assign` and `Output` of `exit`.
pub(crate) fn conclude_with(
    it: &mut Interp<'_>,
    id: ThreadId,
    state: &State,
    exit: &Exit<'_>,
    result: Value,
) -> Result<Value, Failure> {
    let raw = it.thread(id).input.clone();
    let ctx = it.exec.context(id, None);
    let (assigned, output) = if it.exec.definition.is_jsonata(state) {
        let states = States {
            input: &raw,
            result: has_result(state).then_some(&result),
            error_output: None,
            ctx: &ctx,
        };
        let assigned = exit
            .assign
            .map(|a| query::render(a, &format!("{}Assign", exit.at), &states))
            .transpose()?;
        let output = match exit.output {
            Some(o) => query::render(o, &format!("{}Output", exit.at), &states)?,
            None if has_result(state) => result.clone(),
            None => raw.clone(),
        };
        (assigned, output)
    } else {
        let selected = select_result(state, result, &ctx)?;
        let assigned = exit
            .assign
            .map(|a| payload::render(a, &selected, &ctx))
            .transpose()?;
        (assigned, place_result(state, &raw, selected, &ctx)?)
    };
    if let Some(a) = assigned {
        vars::assign(it, id, a)?;
    }
    Ok(output)
}

/// The input of the state a catcher goes to, with the catcher's variables set.
pub(crate) fn caught(
    it: &mut Interp<'_>,
    id: ThreadId,
    state: &State,
    index: usize,
    catcher: &Catcher,
    failure: &Failure,
) -> Result<Value, Failure> {
    let raw = it.thread(id).input.clone();
    let ctx = it.exec.context(id, None);
    let error_output = failure.to_output();
    let (assigned, output) = if it.exec.definition.is_jsonata(state) {
        let states = States {
            input: &raw,
            result: None,
            error_output: Some(&error_output),
            ctx: &ctx,
        };
        let at = format!("Catch[{index}]/");
        let assigned = catcher
            .assign
            .as_ref()
            .map(|a| query::render(a, &format!("{at}Assign"), &states))
            .transpose()?;
        let output = match &catcher.output {
            Some(o) => query::render(o, &format!("{at}Output"), &states)?,
            None => error_output.clone(),
        };
        (assigned, output)
    } else {
        let assigned = catcher
            .assign
            .as_ref()
            .map(|a| payload::render(a, &error_output, &ctx))
            .transpose()?;
        let output = crate::path::apply_result_path(&catcher.result_path, raw, error_output)?;
        (assigned, output)
    };
    if let Some(a) = assigned {
        vars::assign(it, id, a)?;
    }
    Ok(output)
}
