//! One module per state type: what each does when a thread runs it.
//!
//! Every `run` gets the thread's raw input from the interpreter and answers
//! with a [`Step`]: an output, a wait, or a failure.

pub mod choice;
mod fail;
mod map;
mod parallel;
mod pass;
mod succeed;
pub(crate) mod task;
mod wait;

pub(crate) use wait::resume as wait_resume;

use crate::definition::State;
use crate::exec::flow::{Exit, conclude_with};
use crate::exec::outcome::Step;
use crate::exec::{Interp, ThreadId};
use crate::{path, query};

/// Runs the state `state` for thread `id`.
pub(crate) fn run(state: &State, it: &mut Interp<'_>, id: ThreadId) -> Step {
    match state {
        State::Pass(s) => pass::run(state, s, it, id),
        State::Task(s) => task::run(state, s, it, id),
        State::Choice(s) => run_choice(state, s, it, id),
        State::Wait(s) => wait::run(state, s, it, id),
        State::Succeed(s) => succeed::run(state, s, it, id),
        State::Fail(s) => fail::run(state, s, it, id),
        State::Parallel(s) => parallel::run(state, s, it, id),
        State::Map(s) => map::run(state, s, it, id),
    }
}

fn run_choice(state: &State, c: &choice::Choice, it: &mut Interp<'_>, id: ThreadId) -> Step {
    let raw = it.thread(id).input.clone();
    let ctx = it.exec.context(id, None);
    let jsonata = it.exec.definition.is_jsonata(state);
    let picked = if jsonata {
        choice_by_condition(c, &raw, &ctx).map(|rule| (rule, raw.clone()))
    } else {
        path::apply_input_path(&c.input_path, &raw, &ctx)
            .and_then(|input| Ok((c.matching_rule(&input, &ctx)?, input)))
    };
    let outcome = picked.and_then(|(rule, input)| {
        let next = c.target(rule)?.to_owned();
        let exit = match rule.and_then(|i| c.choices.get(i).map(|r| (i, r))) {
            Some((i, r)) => Exit {
                assign: r.assign.as_ref().or(c.assign.as_ref()),
                output: r.output.as_ref().or(c.output.as_ref()),
                at: if r.assign.is_some() || r.output.is_some() {
                    format!("Choices[{i}]/")
                } else {
                    String::new()
                },
            },
            None => Exit::of(state),
        };
        Ok((next, conclude_with(it, id, state, &exit, input)?))
    });
    match outcome {
        Ok((next, output)) => Step::Goto(next, output),
        Err(f) => Step::Fail(f),
    }
}

/// JSONata: the first rule whose `Condition` is true.
fn choice_by_condition(
    c: &choice::Choice,
    raw: &serde_json::Value,
    ctx: &crate::context::Ctx,
) -> Result<Option<usize>, crate::failure::Failure> {
    let states = query::States {
        input: raw,
        result: None,
        error_output: None,
        ctx,
    };
    for (i, rule) in c.choices.iter().enumerate() {
        let Some(condition) = &rule.condition else {
            continue;
        };
        let field = format!("Choices[{i}]/Condition");
        match query::render(condition, &field, &states)? {
            serde_json::Value::Bool(true) => return Ok(Some(i)),
            serde_json::Value::Bool(false) => {}
            other => return Err(query::wrong_type(condition, &field, "boolean", &other)),
        }
    }
    Ok(None)
}
