//! The Fail state: fails its branch with an error and a cause.

use serde_json::Value;

use crate::definition::Fail;
use crate::exec::outcome::Step;
use crate::exec::{Interp, ThreadId};
use crate::failure::Failure;
use crate::path::select;

pub(crate) fn run(f: &Fail, it: &mut Interp<'_>, id: ThreadId) -> Step {
    let raw = it.thread(id).input.clone();
    let ctx = it.exec.context(id, None);
    let pick = |fixed: &Option<String>, path: &Option<String>| -> Result<String, Failure> {
        match (fixed, path) {
            (Some(v), _) => Ok(v.clone()),
            (None, Some(p)) => match select(p, &raw, &ctx)? {
                Value::String(s) => Ok(s),
                other => Err(Failure::runtime(format!(
                    "Invalid path '{p}': the value {other} is not a string"
                ))),
            },
            (None, None) => Ok(String::new()),
        }
    };
    match (pick(&f.error, &f.error_path), pick(&f.cause, &f.cause_path)) {
        (Ok(error), Ok(cause)) => Step::Fail(Failure::new(error, cause)),
        (Err(e), _) | (_, Err(e)) => Step::Fail(e),
    }
}
