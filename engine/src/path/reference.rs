//! Reference paths (`ResultPath`): reading them and placing a result.

use serde_json::{Map, Value};

use super::syntax::{self, Step};
use crate::failure::{Failure, names};

/// The steps of a reference path: `$` then `.name`, `['name']` or `[n]` (n ≥ 0).
pub(super) fn steps(path: &str) -> Result<Vec<Step>, String> {
    let parsed = syntax::parse(path)?;
    if parsed.in_ctx {
        return Err(format!("'{path}' refers to the context object"));
    }
    if parsed.var.is_some() {
        return Err(format!("'{path}' refers to a variable"));
    }
    let steps = parsed.steps.ok_or_else(|| {
        format!("'{path}' is not a reference path: only names and indexes are allowed")
    })?;
    if steps.iter().any(|s| matches!(s, Step::Index(i) if *i < 0)) {
        return Err(format!("'{path}' has a negative index"));
    }
    Ok(steps)
}

/// `input` with `result` at reference path `path`, creating missing objects on the way.
pub(super) fn place(path: &str, mut input: Value, result: Value) -> Result<Value, Failure> {
    let fail = |input: &Value| {
        Failure::new(
            names::RESULT_PATH_MATCH_FAILURE,
            format!("Unable to apply ResultPath '{path}' to input '{input}'"),
        )
    };
    let Ok(steps) = steps(path) else {
        return Err(fail(&input));
    };
    match slot(&mut input, &steps) {
        Some(target) => {
            *target = result;
            Ok(input)
        }
        None => Err(fail(&input)),
    }
}

/// The place `steps` lead to, made on the way where objects lack a member.
fn slot<'v>(root: &'v mut Value, steps: &[Step]) -> Option<&'v mut Value> {
    let mut here = root;
    for (n, step) in steps.iter().enumerate() {
        let last = n + 1 == steps.len();
        here = match (step, here) {
            (Step::Key(k), Value::Object(o)) => o.entry(k.clone()).or_insert_with(|| {
                if last {
                    Value::Null
                } else {
                    Value::Object(Map::new())
                }
            }),
            (Step::Index(i), Value::Array(a)) => a.get_mut(usize::try_from(*i).ok()?)?,
            _ => return None,
        };
    }
    Some(here)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_result_replaces_an_existing_member_or_array_element() {
        // Arrange
        let input = json!({"a": {"b": 1}, "list": [0, {"x": 1}]});
        // Act
        let member = place("$.a.b", input.clone(), json!(2));
        let element = place("$.list[1].x", input, json!(3));
        // Assert
        assert_eq!(member, Ok(json!({"a": {"b": 2}, "list": [0, {"x": 1}]})));
        assert_eq!(element, Ok(json!({"a": {"b": 1}, "list": [0, {"x": 3}]})));
    }

    #[test]
    fn missing_objects_on_the_way_are_created() {
        // Arrange
        let input = json!({"keep": true});
        // Act
        let placed = place("$['new one'].deeper.leaf", input, json!([1]));
        // Assert
        assert_eq!(
            placed,
            Ok(json!({"keep": true, "new one": {"deeper": {"leaf": [1]}}}))
        );
    }

    #[test]
    fn a_path_through_a_non_object_is_a_result_path_match_failure() {
        // Arrange
        let cases = [
            ("$.x", json!("a string")),
            ("$.n.x", json!({"n": 5})),
            ("$.s.x", json!({"s": "text"})),
            ("$.z.x", json!({"z": null})),
            ("$.list[5]", json!({"list": [1]})),
            ("$[0]", json!({"a": 1})),
            ("$.a[*]", json!({"a": [1]})),
        ];
        for (path, input) in cases {
            // Act
            let got = place(path, input, json!(1));
            // Assert
            assert!(
                got.as_ref()
                    .is_err_and(|f| f.error == "States.ResultPathMatchFailure"),
                "{path}: {got:?}"
            );
        }
    }

    #[test]
    fn the_failure_names_the_path_and_the_input() {
        // Arrange
        let input = json!("abc");
        // Act
        let got = place("$.x", input, json!(1));
        // Assert
        assert_eq!(
            got.map_err(|f| f.cause),
            Err("Unable to apply ResultPath '$.x' to input '\"abc\"'".to_owned())
        );
    }
}
