//! Definition checks at create and update time, with Step Functions' codes.

mod fields;
mod kinds;
mod language;

use std::collections::{BTreeSet, VecDeque};

use indexmap::IndexMap;

use crate::definition::{State, StateMachine};

/// One problem with a definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// e.g. `MISSING_TRANSITION_TARGET`.
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
    /// A JSON pointer into the definition, e.g. `/States/A/Next`.
    pub location: String,
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {} at {}", self.code, self.message, self.location)
    }
}

/// Every problem of a parsed definition; empty when it is valid.
pub fn validate(sm: &StateMachine) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    language::check_value(sm.query_language.as_deref(), "/QueryLanguage", &mut out);
    if sm.timeout_seconds == Some(0) {
        out.push(schema(
            "'TimeoutSeconds' must be a positive integer",
            "/TimeoutSeconds",
        ));
    }
    check_scope(sm, &sm.start_at, &sm.states, "", &mut out);
    out
}

/// The `InvalidDefinition` message for a list of problems.
pub fn message(diagnostics: &[Diagnostic]) -> String {
    let all: Vec<String> = diagnostics.iter().map(Diagnostic::to_string).collect();
    format!("Invalid State Machine Definition: '{}'", all.join(", "))
}

pub(crate) fn schema(message: impl Into<String>, location: impl Into<String>) -> Diagnostic {
    Diagnostic {
        code: "SCHEMA_VALIDATION_FAILED",
        message: message.into(),
        location: location.into(),
    }
}

fn missing_target(field: &str, target: &str, location: String) -> Diagnostic {
    Diagnostic {
        code: "MISSING_TRANSITION_TARGET",
        message: format!("Missing '{field}' target: {target}"),
        location,
    }
}

/// Checks one set of states: the top level, a Parallel branch or a Map processor.
fn check_scope(
    sm: &StateMachine,
    start_at: &str,
    states: &IndexMap<String, State>,
    at: &str,
    out: &mut Vec<Diagnostic>,
) {
    if states.is_empty() {
        out.push(schema("'States' must not be empty", format!("{at}/States")));
        return;
    }
    if !states.contains_key(start_at) {
        out.push(missing_target("StartAt", start_at, format!("{at}/StartAt")));
    }
    for (name, state) in states {
        let here = format!("{at}/States/{name}");
        if name.is_empty() || name.chars().count() > 80 {
            out.push(schema(
                "State names must be 1 to 80 characters",
                here.clone(),
            ));
        }
        for (field, target) in targets(state) {
            if !states.contains_key(target) {
                out.push(missing_target(field, target, format!("{here}/{field}")));
            }
        }
        fields::check_state(state, sm.is_jsonata(state), &here, out);
        language::check_state(sm, state, &here, out);
        if let State::Parallel(p) = state {
            for (i, b) in p.branches.iter().enumerate() {
                check_scope(
                    sm,
                    &b.start_at,
                    &b.states,
                    &format!("{here}/Branches[{i}]"),
                    out,
                );
            }
        }
        if let State::Map(m) = state
            && let Some(p) = m.processor()
        {
            check_scope(
                sm,
                &p.start_at,
                &p.states,
                &format!("{here}/ItemProcessor"),
                out,
            );
        }
    }
    for name in unreachable(start_at, states) {
        out.push(Diagnostic {
            code: "UNREACHABLE_STATE",
            message: format!("State \"{name}\" is not reachable."),
            location: format!("{at}/States/{name}"),
        });
    }
}

/// Every transition of a state: (field, target).
fn targets(state: &State) -> Vec<(&'static str, &str)> {
    let mut out = Vec::new();
    if let Some((Some(next), _)) = state.transition_fields() {
        out.push(("Next", next.as_str()));
    }
    for c in state.catchers() {
        out.push(("Next", c.next.as_str()));
    }
    if let State::Choice(c) = state {
        out.extend(c.targets().into_iter().map(|t| ("Next", t)));
    }
    out
}

fn unreachable<'a>(start_at: &str, states: &'a IndexMap<String, State>) -> Vec<&'a str> {
    let mut seen = BTreeSet::new();
    let mut queue = VecDeque::from([start_at]);
    while let Some(name) = queue.pop_front() {
        let Some((key, state)) = states.get_key_value(name) else {
            continue;
        };
        if seen.insert(key.as_str()) {
            queue.extend(targets(state).into_iter().map(|(_, t)| t));
        }
    }
    states
        .keys()
        .map(String::as_str)
        .filter(|n| !seen.contains(n))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::definition::parse;

    fn codes(text: &str) -> Vec<String> {
        validate(&parse(text).unwrap())
            .iter()
            .map(|d| d.to_string())
            .collect()
    }

    #[test]
    fn a_missing_next_target_names_the_field_and_location() {
        let found = codes(r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"}}}"#);
        assert_eq!(
            found,
            ["MISSING_TRANSITION_TARGET: Missing 'Next' target: B at /States/A/Next"]
        );
    }

    #[test]
    fn unreachable_states_are_reported() {
        let found = codes(
            r#"{"StartAt":"A","States":{"A":{"Type":"Succeed"},"B":{"Type":"Pass","End":true}}}"#,
        );
        assert_eq!(
            found,
            ["UNREACHABLE_STATE: State \"B\" is not reachable. at /States/B"]
        );
    }

    #[test]
    fn branches_are_checked_in_their_own_scope() {
        let found = codes(
            r#"{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,
                "Branches":[{"StartAt":"X","States":{"X":{"Type":"Pass","Next":"P"}}}]}}}"#,
        );
        assert_eq!(
            found,
            [
                "MISSING_TRANSITION_TARGET: Missing 'Next' target: P at /States/P/Branches[0]/States/X/Next"
            ]
        );
    }
}
