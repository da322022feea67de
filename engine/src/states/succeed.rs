//! The Succeed state: ends its branch with its (filtered) input.

use crate::definition::{State, Succeed};
use crate::exec::flow::conclude;
use crate::exec::outcome::Step;
use crate::exec::{Interp, ThreadId};
use crate::path::apply_input_path;

pub(crate) fn run(state: &State, s: &Succeed, it: &mut Interp<'_>, id: ThreadId) -> Step {
    let raw = it.thread(id).input.clone();
    let ctx = it.exec.context(id, None);
    let input = if it.exec.definition.is_jsonata(state) {
        Ok(raw)
    } else {
        apply_input_path(&s.input_path, &raw, &ctx)
    };
    match input.and_then(|v| conclude(it, id, state, v)) {
        Ok(v) => Step::End(v),
        Err(f) => Step::Fail(f),
    }
}
