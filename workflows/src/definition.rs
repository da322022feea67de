//! Reading an Amazon States Language definition: its states at every depth
//! (inside Parallel branches and Map processors), its substitutions, and
//! what its Choice states read.

use std::collections::BTreeMap;

use serde_json::Value;

/// Every state of the definition by name, at any depth.
pub fn all_states(asl: &Value) -> BTreeMap<&str, &Value> {
    let mut out = BTreeMap::new();
    collect(asl, &mut out);
    out
}

fn collect<'v>(machine: &'v Value, out: &mut BTreeMap<&'v str, &'v Value>) {
    let Some(states) = machine["States"].as_object() else {
        return;
    };
    for (name, state) in states {
        out.insert(name.as_str(), state);
        for branch in state["Branches"].as_array().into_iter().flatten() {
            collect(branch, out);
        }
        for key in ["ItemProcessor", "Iterator"] {
            if state[key].is_object() {
                collect(&state[key], out);
            }
        }
    }
}

/// The Task states, by name.
pub fn task_states(asl: &Value) -> BTreeMap<&str, &Value> {
    all_states(asl)
        .into_iter()
        .filter(|(_, s)| s["Type"] == "Task")
        .collect()
}

/// Every `Variable` a Choice rule reads, with the Choice state's name.
pub fn choice_variables(asl: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (name, state) in all_states(asl) {
        if state["Type"] != "Choice" {
            continue;
        }
        for rule in state["Choices"].as_array().into_iter().flatten() {
            variables(rule, &mut |v| out.push((name.to_owned(), v.to_owned())));
        }
    }
    out
}

fn variables(rule: &Value, found: &mut impl FnMut(&str)) {
    if let Some(v) = rule["Variable"].as_str() {
        found(v);
    }
    for nested in rule["And"]
        .as_array()
        .into_iter()
        .chain(rule["Or"].as_array())
        .flatten()
    {
        variables(nested, found);
    }
    if rule["Not"].is_object() {
        variables(&rule["Not"], found);
    }
}

/// The names of the `${...}` substitutions in a definition's text, sorted,
/// each once.
pub fn substitutions(text: &str) -> Vec<String> {
    let mut out: Vec<String> = text
        .split("${")
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(key, _)| key))
        .filter(|key| is_key(key))
        .map(str::to_owned)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Whether `s` works as a key: a letter, then letters, digits and `_`.
pub fn is_key(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn states_inside_parallel_branches_and_maps_are_found() {
        // Arrange
        let asl = json!({"StartAt": "P", "States": {
            "P": {"Type": "Parallel", "Branches": [
                {"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "${A}", "End": true}}}
            ], "Next": "M"},
            "M": {"Type": "Map", "ItemProcessor": {"StartAt": "B", "States": {
                "B": {"Type": "Task", "Resource": "${B}", "End": true}}}, "End": true}
        }});

        // Act
        let tasks = task_states(&asl);

        // Assert
        assert_eq!(tasks.keys().copied().collect::<Vec<_>>(), ["A", "B"]);
    }

    #[test]
    fn substitutions_are_listed_once_and_choice_rules_are_read_through_and_or_not() {
        // Arrange
        let text = r#"{"a": "${One}", "b": "${Two}", "c": "${One}", "d": "${not a key}"}"#;
        let asl = json!({"States": {"C": {"Type": "Choice", "Choices": [
            {"And": [{"Variable": "$.a", "IsPresent": true}, {"Not": {"Variable": "$.b", "IsNull": true}}], "Next": "X"}
        ]}}});

        // Act / Assert
        assert_eq!(substitutions(text), ["One", "Two"]);
        assert_eq!(
            choice_variables(&asl),
            [
                ("C".to_owned(), "$.a".to_owned()),
                ("C".to_owned(), "$.b".to_owned())
            ]
        );
    }
}
