//! Selecting `Variable` and `…Path` operands, through [`crate::path`].

use crate::context::Ctx;
use serde_json::Value;

use crate::failure::Failure;

/// The value `path` selects: in `ctx` for `$$…`, in `input` for `$…`.
pub(super) fn select_path(path: &str, input: &Value, ctx: &Ctx) -> Result<Value, Failure> {
    crate::path::select(path, input, ctx)
}

/// Whether `path` is a valid JSONPath for a Choice rule.
pub(super) fn check_path(path: &str) -> Result<(), String> {
    crate::path::check_path(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::Ctx;
    use serde_json::json;

    #[test]
    fn choice_paths_select_in_the_input_or_the_context() {
        // Arrange
        let input = json!({"a": {"b": [10, {"c d": true}]}});
        let ctx = json!({"Execution": {"Id": "x"}});
        let cases = [
            ("$.a.b[0]", json!(10)),
            ("$.a.b[1]['c d']", json!(true)),
            ("$$.Execution.Id", json!("x")),
            ("$.a.b[*]", json!([10, {"c d": true}])),
        ];
        for (path, expected) in cases {
            // Act
            let found = select_path(path, &input, &Ctx::from(ctx.clone()));
            // Assert
            assert_eq!(found, Ok(expected), "{path}");
        }
    }

    #[test]
    fn a_choice_path_to_nothing_is_a_runtime_failure() {
        // Arrange
        let input = json!({"a": [1]});
        // Act
        let misses = ["$.b", "$.a[1]", "$.a.b", "$$.a"]
            .map(|p| select_path(p, &input, &Ctx::from(json!({}))));
        // Assert
        assert!(
            misses
                .iter()
                .all(|m| m.as_ref().is_err_and(|f| f.error == "States.Runtime"))
        );
    }

    #[test]
    fn malformed_choice_paths_fail_the_check() {
        // Arrange
        let bad = ["", "a.b", "$.", "$[0", "$['a'"];
        // Act
        let results: Vec<_> = bad.iter().map(|p| check_path(p)).collect();
        // Assert
        assert!(results.iter().all(Result::is_err), "{results:?}");
    }
}
