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

use crate::definition::State;
use crate::exec::outcome::Step;
use crate::exec::{Interp, ThreadId};
use crate::path;

/// Runs the state `state` for thread `id`.
pub(crate) fn run(state: &State, it: &mut Interp<'_>, id: ThreadId) -> Step {
    match state {
        State::Pass(s) => pass::run(state, s, it, id),
        State::Task(s) => task::run(s, it, id),
        State::Choice(s) => run_choice(s, it, id),
        State::Wait(s) => wait::run(s, it, id),
        State::Succeed(s) => succeed::run(s, it, id),
        State::Fail(s) => fail::run(s, it, id),
        State::Parallel(s) => parallel::run(state, s, it, id),
        State::Map(s) => map::run(state, s, it, id),
    }
}

fn run_choice(c: &choice::Choice, it: &mut Interp<'_>, id: ThreadId) -> Step {
    let raw = it.thread(id).input.clone();
    let ctx = it.exec.context(id, None);
    let outcome = path::apply_input_path(&c.input_path, &raw, &ctx).and_then(|input| {
        let next = c.next_state(&input, &ctx)?.to_owned();
        Ok((next, path::apply_input_path(&c.output_path, &input, &ctx)?))
    });
    match outcome {
        Ok((next, output)) => Step::Goto(next, output),
        Err(f) => Step::Fail(f),
    }
}
