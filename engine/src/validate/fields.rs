//! Field-level checks of each state type.

use serde_json::Value;

use super::kinds::{check_heartbeat, check_jsonata, check_map};
use super::{Diagnostic, schema};
use crate::definition::{Catcher, PathField, Retrier, State};
use crate::failure::names;
use crate::path::{check_path, check_reference_path};
use crate::payload::check_template;

/// Checks the fields of one state at JSON pointer `at`.
pub(super) fn check_state(state: &State, jsonata: bool, at: &str, out: &mut Vec<Diagnostic>) {
    check_transition(state, at, out);
    check_retry(state.retriers(), at, out);
    check_catch(state.catchers(), at, out);
    if jsonata {
        // The JSONPath fields are refused by the language check; JSONata
        // fields are checked there too.
        return check_jsonata(state, at, out);
    }
    check_path_field("InputPath", state.input_path(), at, out);
    check_path_field("OutputPath", state.output_path(), at, out);
    match state {
        State::Pass(p) => {
            check_reference("ResultPath", &p.result_path, at, out);
            check_payload("Parameters", p.parameters.as_ref(), at, out);
        }
        State::Task(t) => {
            if t.resource.is_empty() {
                out.push(schema(
                    "'Resource' must not be empty",
                    format!("{at}/Resource"),
                ));
            }
            check_reference("ResultPath", &t.result_path, at, out);
            check_payload("Parameters", t.parameters.as_ref(), at, out);
            check_payload("ResultSelector", t.result_selector.as_ref(), at, out);
            exclusive(
                at,
                out,
                &[
                    ("TimeoutSeconds", t.timeout_seconds.is_some()),
                    ("TimeoutSecondsPath", t.timeout_seconds_path.is_some()),
                ],
            );
            exclusive(
                at,
                out,
                &[
                    ("HeartbeatSeconds", t.heartbeat_seconds.is_some()),
                    ("HeartbeatSecondsPath", t.heartbeat_seconds_path.is_some()),
                ],
            );
            check_heartbeat(t, at, out);
            for (field, p) in [
                ("TimeoutSecondsPath", &t.timeout_seconds_path),
                ("HeartbeatSecondsPath", &t.heartbeat_seconds_path),
            ] {
                check_opt_path(field, p, at, out);
            }
        }
        State::Choice(c) => out.extend(c.check(at).iter().map(|m| from_text(m, at))),
        State::Wait(w) => {
            let set = [
                ("Seconds", w.seconds.is_some()),
                ("Timestamp", w.timestamp.is_some()),
                ("SecondsPath", w.seconds_path.is_some()),
                ("TimestampPath", w.timestamp_path.is_some()),
            ];
            if set.iter().filter(|(_, s)| *s).count() != 1 {
                out.push(schema("Exactly one of 'Seconds', 'Timestamp', 'SecondsPath' or 'TimestampPath' is required", at.to_owned()));
            }
            if let Some(ts) = &w.timestamp
                && chrono::DateTime::parse_from_rfc3339(ts).is_err()
            {
                out.push(schema(
                    format!("'{ts}' is not a valid RFC 3339 timestamp"),
                    format!("{at}/Timestamp"),
                ));
            }
            check_opt_path("SecondsPath", &w.seconds_path, at, out);
            check_opt_path("TimestampPath", &w.timestamp_path, at, out);
        }
        State::Fail(f) => {
            exclusive(
                at,
                out,
                &[
                    ("Error", f.error.is_some()),
                    ("ErrorPath", f.error_path.is_some()),
                ],
            );
            exclusive(
                at,
                out,
                &[
                    ("Cause", f.cause.is_some()),
                    ("CausePath", f.cause_path.is_some()),
                ],
            );
            for (field, p) in [("ErrorPath", &f.error_path), ("CausePath", &f.cause_path)] {
                match p {
                    Some(call) if call.trim_start().starts_with("States.") => {
                        if let Err(m) = crate::intrinsics::check(call.trim()) {
                            out.push(schema(
                                format!("The value for the field '{field}' must be a valid JSONPath or a valid intrinsic function call: {m}"),
                                format!("{at}/{field}"),
                            ));
                        }
                    }
                    _ => check_opt_path(field, p, at, out),
                }
            }
        }
        State::Succeed(_) => {}
        State::Parallel(p) => {
            if p.branches.is_empty() {
                out.push(schema(
                    "'Branches' must not be empty",
                    format!("{at}/Branches"),
                ));
            }
            check_reference("ResultPath", &p.result_path, at, out);
            check_payload("Parameters", p.parameters.as_ref(), at, out);
            check_payload("ResultSelector", p.result_selector.as_ref(), at, out);
        }
        State::Map(m) => check_map(m, at, out),
    }
}

/// A Choice check's `CODE: message at location` as a diagnostic.
fn from_text(text: &str, at: &str) -> Diagnostic {
    let (code_and_message, location) = text.rsplit_once(" at ").unwrap_or((text, at));
    let message = code_and_message
        .strip_prefix("SCHEMA_VALIDATION_FAILED: ")
        .unwrap_or(code_and_message);
    schema(message, location)
}

fn check_transition(state: &State, at: &str, out: &mut Vec<Diagnostic>) {
    let Some((next, end)) = state.transition_fields() else {
        return;
    };
    match (next, end) {
        (Some(_), Some(true)) => out.push(schema(
            "'Next' and 'End' are mutually exclusive",
            at.to_owned(),
        )),
        (None, None) | (None, Some(false)) => out.push(schema(
            "Either 'Next' or 'End: true' is required",
            at.to_owned(),
        )),
        _ => {}
    }
}

pub(super) fn exclusive(at: &str, out: &mut Vec<Diagnostic>, fields: &[(&str, bool)]) {
    let set: Vec<&str> = fields.iter().filter(|(_, s)| *s).map(|(f, _)| *f).collect();
    if set.len() > 1 {
        out.push(schema(
            format!("Fields {} are mutually exclusive", set.join(", ")),
            at.to_owned(),
        ));
    }
}

pub(super) fn check_path_field(field: &str, p: &PathField, at: &str, out: &mut Vec<Diagnostic>) {
    if let PathField::Path(p) = p
        && let Err(m) = check_path(p)
    {
        out.push(schema(
            format!("The value for the field '{field}' must be a valid JSONPath: {m}"),
            format!("{at}/{field}"),
        ));
    }
}

pub(super) fn check_opt_path(field: &str, p: &Option<String>, at: &str, out: &mut Vec<Diagnostic>) {
    if let Some(p) = p {
        check_path_field(field, &PathField::Path(p.clone()), at, out);
    }
}

pub(super) fn check_reference(field: &str, p: &PathField, at: &str, out: &mut Vec<Diagnostic>) {
    if let PathField::Path(p) = p
        && let Err(m) = check_reference_path(p)
    {
        out.push(schema(
            format!("The value for the field '{field}' must be a valid reference path: {m}"),
            format!("{at}/{field}"),
        ));
    }
}

pub(super) fn check_payload(
    field: &str,
    template: Option<&Value>,
    at: &str,
    out: &mut Vec<Diagnostic>,
) {
    if let Some(t) = template
        && let Err(m) = check_template(t)
    {
        out.push(schema(m, format!("{at}/{field}")));
    }
}

fn check_error_equals(errors: &[String], at: &str, last: bool, out: &mut Vec<Diagnostic>) {
    if errors.is_empty() {
        out.push(schema(
            "'ErrorEquals' must not be empty",
            format!("{at}/ErrorEquals"),
        ));
    }
    if errors.iter().any(|e| e == names::ALL) && (errors.len() > 1 || !last) {
        out.push(schema(
            "States.ALL must appear alone in the last retrier or catcher",
            format!("{at}/ErrorEquals"),
        ));
    }
}

fn check_retry(retriers: &[Retrier], at: &str, out: &mut Vec<Diagnostic>) {
    for (i, r) in retriers.iter().enumerate() {
        let here = format!("{at}/Retry[{i}]");
        check_error_equals(&r.error_equals, &here, i + 1 == retriers.len(), out);
        if r.interval_seconds == Some(0) {
            out.push(schema(
                "'IntervalSeconds' must be a positive integer",
                format!("{here}/IntervalSeconds"),
            ));
        }
        if r.backoff_rate.is_some_and(|b| b < 1.0) {
            out.push(schema(
                "'BackoffRate' must be at least 1.0",
                format!("{here}/BackoffRate"),
            ));
        }
        if r.jitter_strategy
            .as_deref()
            .is_some_and(|j| j != "FULL" && j != "NONE")
        {
            out.push(schema(
                "'JitterStrategy' must be FULL or NONE",
                format!("{here}/JitterStrategy"),
            ));
        }
    }
}

fn check_catch(catchers: &[Catcher], at: &str, out: &mut Vec<Diagnostic>) {
    for (i, c) in catchers.iter().enumerate() {
        let here = format!("{at}/Catch[{i}]");
        check_error_equals(&c.error_equals, &here, i + 1 == catchers.len(), out);
        check_reference("ResultPath", &c.result_path, &here, out);
    }
}
