//! The Succeed state: ends its branch with its (filtered) input.

use crate::definition::Succeed;
use crate::exec::outcome::Step;
use crate::exec::{Interp, ThreadId};
use crate::path::apply_input_path;

pub(crate) fn run(s: &Succeed, it: &mut Interp<'_>, id: ThreadId) -> Step {
    let raw = it.thread(id).input.clone();
    let ctx = it.exec.context(id, None);
    let output = apply_input_path(&s.input_path, &raw, &ctx)
        .and_then(|v| apply_input_path(&s.output_path, &v, &ctx));
    match output {
        Ok(v) => Step::End(v),
        Err(f) => Step::Fail(f),
    }
}
