//! The Pass state: passes its input, or a fixed `Result`, on.

use crate::definition::{Pass, State};
use crate::exec::outcome::{Step, effective_input, state_output};
use crate::exec::{Interp, ThreadId};

pub(crate) fn run(state: &State, p: &Pass, it: &mut Interp<'_>, id: ThreadId) -> Step {
    let raw = it.thread(id).input.clone();
    let ctx = it.exec.context(id, None);
    let result = match &p.result {
        Some(fixed) => Ok(fixed.clone()),
        None => effective_input(&p.input_path, p.parameters.as_ref(), &raw, &ctx),
    };
    Step::from(result.and_then(|r| state_output(state, &raw, r, &ctx)))
}
