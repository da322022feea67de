//! Checks by state type that do not depend on the query language: a Task's
//! heartbeat, the shape of JSONata states, and the Map state.

use super::fields::{check_opt_path, check_path_field, check_payload, check_reference, exclusive};
use super::{Diagnostic, schema};
use serde_json::Value;

use crate::definition::{OrExpr, State};

pub(super) fn check_heartbeat(t: &crate::definition::Task, at: &str, out: &mut Vec<Diagnostic>) {
    let fixed = |v: &Option<OrExpr<u64>>| v.as_ref().and_then(OrExpr::fixed);
    if let (Some(h), Some(t)) = (fixed(&t.heartbeat_seconds), fixed(&t.timeout_seconds))
        && h >= t
    {
        out.push(schema(
            "'HeartbeatSeconds' must be smaller than 'TimeoutSeconds'",
            format!("{at}/HeartbeatSeconds"),
        ));
    }
}

/// The checks of a JSONata state that do not depend on the language.
pub(super) fn check_jsonata(state: &State, at: &str, out: &mut Vec<Diagnostic>) {
    match state {
        State::Task(t) => {
            if t.resource.is_empty() {
                out.push(schema(
                    "'Resource' must not be empty",
                    format!("{at}/Resource"),
                ));
            }
            check_heartbeat(t, at, out);
        }
        State::Choice(c) if c.choices.is_empty() => out.push(schema(
            "The field 'Choices' must be a non-empty array",
            format!("{at}/Choices"),
        )),
        State::Wait(w) => {
            let set = [w.seconds.is_some(), w.timestamp.is_some()];
            if set.iter().filter(|s| **s).count() != 1 {
                out.push(schema(
                    "Exactly one of 'Seconds' or 'Timestamp' is required",
                    at.to_owned(),
                ));
            }
        }
        State::Parallel(p) if p.branches.is_empty() => out.push(schema(
            "'Branches' must not be empty",
            format!("{at}/Branches"),
        )),
        State::Map(m) => check_map_mode(m, at, out),
        _ => {}
    }
}

pub(super) fn check_map(m: &crate::definition::Map, at: &str, out: &mut Vec<Diagnostic>) {
    check_map_mode(m, at, out);
    check_map_paths(m, at, out);
}

fn check_map_mode(m: &crate::definition::Map, at: &str, out: &mut Vec<Diagnostic>) {
    match m.processor() {
        None => out.push(schema("'ItemProcessor' is required", at.to_owned())),
        Some(p) => {
            let mode = p
                .processor_config
                .as_ref()
                .and_then(|c| c.get("Mode"))
                .and_then(Value::as_str);
            if mode.is_some_and(|m| m != "INLINE") {
                out.push(schema(
                    "Only INLINE Map processing is available offline",
                    format!("{at}/ItemProcessor/ProcessorConfig"),
                ));
            }
        }
    }
    if m.item_reader.is_some() || m.item_batcher.is_some() || m.result_writer.is_some() {
        out.push(schema(
            "Distributed Map (ItemReader, ItemBatcher, ResultWriter) is not available offline",
            at.to_owned(),
        ));
    }
}

fn check_map_paths(m: &crate::definition::Map, at: &str, out: &mut Vec<Diagnostic>) {
    check_path_field("ItemsPath", &m.items_path, at, out);
    check_reference("ResultPath", &m.result_path, at, out);
    check_payload("ItemSelector", m.selector(), at, out);
    check_payload("ResultSelector", m.result_selector.as_ref(), at, out);
    exclusive(
        at,
        out,
        &[
            ("MaxConcurrency", m.max_concurrency.is_some()),
            ("MaxConcurrencyPath", m.max_concurrency_path.is_some()),
        ],
    );
    if m.tolerated_failure_percentage
        .as_ref()
        .and_then(OrExpr::fixed)
        .is_some_and(|p| !(0.0..=100.0).contains(&p))
    {
        out.push(schema(
            "'ToleratedFailurePercentage' must be between 0 and 100",
            format!("{at}/ToleratedFailurePercentage"),
        ));
    }
    for (field, p) in [
        ("MaxConcurrencyPath", &m.max_concurrency_path),
        ("ToleratedFailureCountPath", &m.tolerated_failure_count_path),
        (
            "ToleratedFailurePercentagePath",
            &m.tolerated_failure_percentage_path,
        ),
    ] {
        check_opt_path(field, p, at, out);
    }
}
