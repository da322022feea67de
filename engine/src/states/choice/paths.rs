//! Selecting `Variable` and `…Path` operands.
//!
// STAND-IN: `crate::path` (being written on another branch) will provide
// `select(path, input, ctx) -> Result<Value, Failure>` and
// `check_path(path) -> Result<(), String>`. Until it lands, this file handles
// only simple Reference Paths (`$`, `$.a.b`, `$.a[0]`, `$['a']`, `$$.x`). The
// switch is one line per function: make each body call `crate::path::…`, then
// delete the parser below and its tests.

use serde_json::Value;

use crate::failure::Failure;

/// The single value `path` selects: in `ctx` for `$$…`, in `input` for `$…`.
pub(super) fn select_path(path: &str, input: &Value, ctx: &Value) -> Result<Value, Failure> {
    let (in_ctx, steps) = parse(path).map_err(Failure::runtime)?;
    let root = if in_ctx { ctx } else { input };
    let found = steps.iter().try_fold(root, |value, step| match step {
        Step::Key(key) => value.get(key.as_str()),
        Step::Index(i) => value.as_array().and_then(|items| items.get(*i)),
    });
    found
        .cloned()
        .ok_or_else(|| Failure::runtime(format!("The path '{path}' selects nothing")))
}

/// Whether `path` is a Reference Path this module can select with.
pub(super) fn check_path(path: &str) -> Result<(), String> {
    parse(path).map(|_| ())
}

enum Step {
    Key(String),
    Index(usize),
}

fn parse(path: &str) -> Result<(bool, Vec<Step>), String> {
    let (in_ctx, mut rest) = match path.strip_prefix("$$") {
        Some(rest) => (true, rest),
        None => (
            false,
            path.strip_prefix('$').ok_or("a path starts with '$'")?,
        ),
    };
    let mut steps = Vec::new();
    while !rest.is_empty() {
        let (step, tail) = if let Some(tail) = rest.strip_prefix('.') {
            dot_step(tail)?
        } else if let Some(tail) = rest.strip_prefix('[') {
            bracket_step(tail)?
        } else {
            return Err(format!("unexpected '{rest}'"));
        };
        steps.push(step);
        rest = tail;
    }
    Ok((in_ctx, steps))
}

fn dot_step(tail: &str) -> Result<(Step, &str), String> {
    let end = tail.find(['.', '[']).unwrap_or(tail.len());
    let (name, rest) = tail.split_at(end);
    if name.is_empty() || name.contains(['*', '@', ']', '\'', '"', '(', ')', '?', ',', ':']) {
        return Err(format!("'{name}' is not a plain field name"));
    }
    Ok((Step::Key(name.to_owned()), rest))
}

fn bracket_step(tail: &str) -> Result<(Step, &str), String> {
    for quote in ['\'', '"'] {
        if let Some(quoted) = tail.strip_prefix(quote) {
            let (name, rest) = quoted.split_once(quote).ok_or("an unclosed quote")?;
            let rest = rest.strip_prefix(']').ok_or("a missing ']'")?;
            return Ok((Step::Key(name.to_owned()), rest));
        }
    }
    let (index, rest) = tail.split_once(']').ok_or("a missing ']'")?;
    let index = index
        .parse()
        .map_err(|_| format!("'[{index}]' is not an array index"))?;
    Ok((Step::Index(index), rest))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn simple_paths_select_in_the_input_or_the_context() {
        // Arrange
        let input = json!({"a": {"b": [10, {"c d": true}]}});
        let ctx = json!({"Execution": {"Id": "x"}});
        let cases = [
            ("$", input.clone()),
            ("$.a.b[0]", json!(10)),
            ("$.a.b[1]['c d']", json!(true)),
            ("$[\"a\"].b[1]", json!({"c d": true})),
            ("$$.Execution.Id", json!("x")),
        ];
        for (path, expected) in cases {
            // Act
            let found = select_path(path, &input, &ctx);
            // Assert
            assert_eq!(found, Ok(expected), "{path}");
        }
    }

    #[test]
    fn a_path_to_nothing_is_a_runtime_failure() {
        // Arrange
        let input = json!({"a": [1]});
        // Act
        let misses = ["$.b", "$.a[1]", "$.a.b", "$$.a"].map(|p| select_path(p, &input, &json!({})));
        // Assert
        assert!(
            misses
                .iter()
                .all(|m| m.as_ref().is_err_and(|f| f.error == "States.Runtime"))
        );
    }

    #[test]
    fn only_reference_paths_pass_the_check() {
        // Arrange
        let good = [
            "$",
            "$$",
            "$.a",
            "$.a[0].b",
            "$['x y']",
            "$$.Map.Item.Value",
        ];
        let bad = [
            "",
            "a.b",
            "$.",
            "$..a",
            "$.a[*]",
            "$.a[-1]",
            "$.*",
            "$[0",
            "$['a'",
            "$.a[?(@.b)]",
        ];
        // Act
        let good_results: Vec<_> = good.iter().map(|p| check_path(p)).collect();
        let bad_results: Vec<_> = bad.iter().map(|p| check_path(p)).collect();
        // Assert
        assert!(good_results.iter().all(Result::is_ok), "{good_results:?}");
        assert!(bad_results.iter().all(Result::is_err), "{bad_results:?}");
    }
}
