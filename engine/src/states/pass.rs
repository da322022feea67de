//! The Pass state: passes its input, or a fixed `Result`, on.

use crate::definition::{Pass, State};
use crate::exec::flow::conclude;
use crate::exec::outcome::{Step, effective_input};
use crate::exec::{Interp, ThreadId};

pub(crate) fn run(state: &State, p: &Pass, it: &mut Interp<'_>, id: ThreadId) -> Step {
    let raw = it.thread(id).input.clone();
    if it.exec.definition.is_jsonata(state) {
        return Step::from(conclude(it, id, state, raw));
    }
    let ctx = it.exec.context(id, None);
    let result = match &p.result {
        Some(fixed) => Ok(fixed.clone()),
        None => effective_input(&p.input_path, p.parameters.as_ref(), &raw, &ctx),
    };
    Step::from(result.and_then(|r| conclude(it, id, state, r)))
}
