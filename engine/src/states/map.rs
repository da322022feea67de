//! The Map state (inline): runs the item processor for every item.

use crate::context::Ctx;
use serde_json::{Value, json};

use crate::definition::OrExpr;
use crate::definition::{Map, State};
use crate::exec::outcome::Step;
use crate::exec::run::{Blocked, Branches, Slot};
use crate::exec::{Interp, ThreadId, branches};
use crate::failure::Failure;
use crate::history::NewEvent;
use crate::path::{apply_input_path, select};
use crate::payload::render;
use crate::query::{self, States};

pub(crate) fn run(state: &State, m: &Map, it: &mut Interp<'_>, id: ThreadId) -> Step {
    let raw = it.thread(id).input.clone();
    let ctx = it.exec.context(id, None);
    let plan = if it.exec.definition.is_jsonata(state) {
        jsonata_plan(m, &raw, &ctx)
    } else {
        plan(m, &raw, &ctx)
    };
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
        return Step::from(crate::exec::flow::conclude(it, id, state, json!([])));
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
fn plan(m: &Map, raw: &Value, ctx: &Ctx) -> Result<Plan, Failure> {
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
    let fixed = |v: &Option<OrExpr<u64>>| v.as_ref().and_then(OrExpr::fixed);
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
    let max = match (fixed(&m.max_concurrency), &m.max_concurrency_path) {
        (None, Some(p)) => max_concurrency_at(p, &input, ctx)?,
        (n, _) => n.unwrap_or(0) as usize,
    };
    let by_count = count(
        fixed(&m.tolerated_failure_count),
        &m.tolerated_failure_count_path,
    )?;
    let by_percent = match (
        m.tolerated_failure_percentage
            .as_ref()
            .and_then(OrExpr::fixed),
        &m.tolerated_failure_percentage_path,
    ) {
        (Some(p), _) => Some(p),
        (None, Some(p)) => select(p, &input, ctx)?.as_f64(),
        (None, None) => None,
    };
    let tolerated = tolerance(by_count, by_percent, inputs.len());
    Ok((inputs, max, tolerated))
}

/// `MaxConcurrencyPath`: a non-negative integer, with AWS's causes otherwise.
fn max_concurrency_at(path: &str, input: &Value, ctx: &Ctx) -> Result<usize, Failure> {
    let v = select(path, input, ctx)?;
    match (v.as_u64(), v.as_i64()) {
        (Some(n), _) => Ok(n as usize),
        (None, Some(n)) => Err(Failure::runtime(format!(
            "Expected non-negative integer for MaxConcurrency, got '{n}' instead."
        ))),
        (None, None) => {
            let shown = match &v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            Err(Failure::runtime(format!(
                "The MaxConcurrencyPath field refers to value \"{shown}\" which is not a valid integer: {path}"
            )))
        }
    }
}

/// JSONata: the items (`Items`, default the input), each through `ItemSelector`.
fn jsonata_plan(m: &Map, raw: &Value, ctx: &Ctx) -> Result<Plan, Failure> {
    let states = States {
        input: raw,
        result: None,
        error_output: None,
        ctx,
    };
    let items = match &m.items {
        Some(template) => match query::render(template, "Items", &states)? {
            Value::Array(items) => items,
            other => return Err(query::wrong_type(template, "Items", "array", &other)),
        },
        None => match raw {
            Value::Array(items) => items.clone(),
            other => {
                return Err(Failure::query(format!(
                    "The value for the field 'Items' must be a JSON array, but was: {other}"
                )));
            }
        },
    };
    let mut inputs = Vec::with_capacity(items.len());
    for (index, item) in items.into_iter().enumerate() {
        inputs.push(match m.selector() {
            Some(template) => {
                let mut item_ctx = ctx.clone();
                item_ctx["Map"] = json!({ "Item": { "Index": index, "Value": item } });
                let item_states = States {
                    ctx: &item_ctx,
                    ..states
                };
                query::render(template, "ItemSelector", &item_states)?
            }
            None => item,
        });
    }
    let count = |field: &str, v: &Option<OrExpr<u64>>| match v {
        None => Ok(None),
        Some(OrExpr::Value(n)) => Ok(Some(*n)),
        Some(OrExpr::Expr(e)) => {
            query::integer(&Value::String(e.clone()), field, false, &states).map(Some)
        }
    };
    let max = count("MaxConcurrency", &m.max_concurrency)?.unwrap_or(0) as usize;
    let by_count = count("ToleratedFailureCount", &m.tolerated_failure_count)?;
    let by_percent = match &m.tolerated_failure_percentage {
        None => None,
        Some(OrExpr::Value(p)) => Some(*p),
        Some(OrExpr::Expr(e)) => {
            let template = Value::String(e.clone());
            let field = "ToleratedFailurePercentage";
            let v = query::render(&template, field, &states)?;
            match v.as_f64().filter(|p| (0.0..=100.0).contains(p)) {
                Some(p) => Some(p),
                None => {
                    return Err(query::wrong_type(
                        &template,
                        field,
                        "number between 0 and 100",
                        &v,
                    ));
                }
            }
        }
    };
    let tolerated = tolerance(by_count, by_percent, inputs.len());
    Ok((inputs, max, tolerated))
}

/// Failed iterations tolerated of `n`, by count or percentage (the larger).
fn tolerance(by_count: Option<u64>, by_percent: Option<f64>, n: usize) -> Option<usize> {
    match (by_count, by_percent) {
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
    }
}
