//! The Parallel state: runs every branch with the same input.

use crate::definition::Parallel;
use crate::definition::State;
use crate::exec::outcome::{Step, arguments, effective_input};
use crate::exec::run::{Blocked, Branches, Slot};
use crate::exec::{Interp, ThreadId, branches};
use crate::history::NewEvent;

pub(crate) fn run(state: &State, p: &Parallel, it: &mut Interp<'_>, id: ThreadId) -> Step {
    let raw = it.thread(id).input.clone();
    let ctx = it.exec.context(id, None);
    let input = if it.exec.definition.is_jsonata(state) {
        arguments(p.arguments.as_ref(), &raw, &ctx)
    } else {
        effective_input(&p.input_path, p.parameters.as_ref(), &raw, &ctx)
    };
    let input = match input {
        Ok(v) => v,
        Err(f) => return Step::Fail(f),
    };
    it.emit(Some(id), NewEvent::bare("ParallelStateStarted"));
    let mut b = Branches {
        slots: vec![Slot::Pending(input); p.branches.len()],
        max_concurrency: 0,
        tolerated: None,
        failures: 0,
        is_map: false,
    };
    branches::launch(it, id, state, &mut b);
    Step::Block(Blocked::Branches(b))
}
