//! The Map state (inline): runs the item processor for every item.

use serde_json::{Value, json};

use crate::definition::{Map, State};
use crate::exec::outcome::{Step, state_output};
use crate::exec::run::{Blocked, Branches, Slot};
use crate::exec::{Interp, ThreadId, branches};
use crate::failure::Failure;
use crate::history::NewEvent;
use crate::path::{apply_input_path, select};
use crate::payload::render;

pub(crate) fn run(state: &State, m: &Map, it: &mut Interp<'_>, id: ThreadId) -> Step {
    let raw = it.thread(id).input.clone();
    let ctx = it.exec.context(id, None);
    let plan = plan(m, &raw, &ctx);
    let (inputs, max_concurrency, tolerated) = match plan {
        Ok(p) => p,
        Err(f) => return Step::Fail(f),
    };
    it.emit(
        Some(id),
        NewEvent::with(
            "MapStateStarted",
            "mapStateStartedEventDetails",
            json!({ "length": inputs.len() }),
        ),
    );
    if inputs.is_empty() {
        it.emit(Some(id), NewEvent::bare("MapStateSucceeded"));
        return Step::from(state_output(state, &raw, json!([]), &ctx));
    }
    let mut b = Branches {
        slots: inputs.into_iter().map(Slot::Pending).collect(),
        max_concurrency,
        tolerated,
        failures: 0,
        is_map: true,
    };
    branches::launch(it, id, state, &mut b);
    Step::Block(Blocked::Branches(b))
}

type Plan = (Vec<Value>, usize, Option<usize>);

/// The iteration inputs, the concurrency and the tolerated failures.
fn plan(m: &Map, raw: &Value, ctx: &Value) -> Result<Plan, Failure> {
    let input = apply_input_path(&m.input_path, raw, ctx)?;
    let items = match apply_input_path(&m.items_path, &input, ctx)? {
        Value::Array(items) => items,
        other => {
            let path = m.items_path.as_str().unwrap_or("$");
            return Err(Failure::runtime(format!(
                "Invalid path '{path}': the value {other} is not a JSON array"
            )));
        }
    };
    let mut inputs = Vec::with_capacity(items.len());
    for (index, item) in items.into_iter().enumerate() {
        inputs.push(match m.selector() {
            Some(template) => {
                let mut item_ctx = ctx.clone();
                item_ctx["Map"] = json!({ "Item": { "Index": index, "Value": item } });
                render(template, &input, &item_ctx)?
            }
            None => item,
        });
    }
    let count = |fixed: Option<u64>, path: &Option<String>| -> Result<Option<u64>, Failure> {
        match (fixed, path) {
            (Some(n), _) => Ok(Some(n)),
            (None, Some(p)) => select(p, &input, ctx)?.as_u64().map(Some).ok_or_else(|| {
                Failure::runtime(format!(
                    "Invalid path '{p}': the value is not a non-negative integer"
                ))
            }),
            (None, None) => Ok(None),
        }
    };
    let max = count(m.max_concurrency, &m.max_concurrency_path)?.unwrap_or(0) as usize;
    let by_count = count(m.tolerated_failure_count, &m.tolerated_failure_count_path)?;
    let by_percent = match (
        m.tolerated_failure_percentage,
        &m.tolerated_failure_percentage_path,
    ) {
        (Some(p), _) => Some(p),
        (None, Some(p)) => select(p, &input, ctx)?.as_f64(),
        (None, None) => None,
    };
    let n = inputs.len();
    let tolerated = match (by_count, by_percent) {
        (None, None) => None,
        (c, p) => {
            let from_percent = p.map(|p| (p / 100.0 * n as f64).floor() as usize);
            Some(
                c.map(|c| c as usize)
                    .into_iter()
                    .chain(from_percent)
                    .max()
                    .unwrap_or(0),
            )
        }
    };
    Ok((inputs, max, tolerated))
}
