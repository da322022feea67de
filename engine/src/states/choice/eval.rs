//! Evaluating a Choice Rule against the state's effective input.

use crate::context::Ctx;
use std::borrow::Cow;

use serde_json::Value;

use super::comparator::{Comparator, TypeTest};
use super::compare::{has_type, order, pattern, wildcard_match};
use super::paths::select_path;
use super::rule::{ChoiceRule, Comparison, Operand, Operator};
use crate::failure::Failure;

/// Whether `rule` holds for `input` (`$`) and `ctx` (`$$`).
///
/// Fails with `States.Runtime` when a path selects nothing (except under
/// `IsPresent`), and on rules that `check` refuses.
pub(super) fn matches(rule: &ChoiceRule, input: &Value, ctx: &Ctx) -> Result<bool, Failure> {
    match rule.operators.as_slice() {
        [op] => operator_matches(rule, op, input, ctx),
        ops => Err(Failure::runtime(format!(
            "A Choice Rule must have exactly one comparison operator, found {}",
            ops.len()
        ))),
    }
}

fn operator_matches(
    rule: &ChoiceRule,
    op: &Operator,
    input: &Value,
    ctx: &Ctx,
) -> Result<bool, Failure> {
    match op {
        // The spec: evaluation ceases "when the boolean value has been
        // unambiguously determined", which `IsPresent` guards rely on.
        Operator::And(rules) => all(rules, input, ctx),
        Operator::Or(rules) => Ok(!all_not(rules, input, ctx)?),
        Operator::Not(inner) => Ok(!matches(inner, input, ctx)?),
        Operator::Test(test) => {
            let variable = rule.variable.as_deref().ok_or_else(|| {
                Failure::runtime(format!(
                    "The field 'Variable' is required by '{}'",
                    test.field_name()
                ))
            })?;
            test_matches(variable, test, input, ctx)
        }
    }
}

fn all(rules: &[ChoiceRule], input: &Value, ctx: &Ctx) -> Result<bool, Failure> {
    for rule in rules {
        if !matches(rule, input, ctx)? {
            return Ok(false);
        }
    }
    Ok(true)
}

fn all_not(rules: &[ChoiceRule], input: &Value, ctx: &Ctx) -> Result<bool, Failure> {
    for rule in rules {
        if matches(rule, input, ctx)? {
            return Ok(false);
        }
    }
    Ok(true)
}

fn invalid_path(path: &str) -> Failure {
    Failure::runtime(format!(
        "Invalid path '{path}': The choice state's condition path references an invalid value."
    ))
}

fn test_matches(
    variable: &str,
    test: &Comparison,
    input: &Value,
    ctx: &Ctx,
) -> Result<bool, Failure> {
    let selected = select_path(variable, input, ctx);
    if test.comparator == Comparator::Is(TypeTest::Present) {
        let expected = operand(test, input, ctx)?.as_bool();
        return Ok(expected == Some(selected.is_ok()));
    }
    let value = selected.map_err(|_| invalid_path(variable))?;
    let operand = operand(test, input, ctx)?;
    compare(test.comparator, &value, &operand)
}

fn operand<'a>(test: &'a Comparison, input: &Value, ctx: &Ctx) -> Result<Cow<'a, Value>, Failure> {
    Ok(match &test.operand {
        Operand::Value(v) => Cow::Borrowed(v),
        Operand::Path(p) => Cow::Owned(select_path(p, input, ctx).map_err(|_| invalid_path(p))?),
    })
}

fn compare(comparator: Comparator, value: &Value, operand: &Value) -> Result<bool, Failure> {
    Ok(match comparator {
        Comparator::Compare(kind, relation) => {
            order(kind, value, operand).is_some_and(|o| relation.holds(o))
        }
        Comparator::StringMatches => {
            let text = operand.as_str().unwrap_or_default();
            // The spec: "If an open escape backslash \ is found in the
            // StringMatches string, the interpreter will throw a runtime error."
            let pieces = pattern(text).map_err(|e| {
                Failure::runtime(format!("Invalid StringMatches pattern '{text}': {e}"))
            })?;
            operand.is_string() && value.as_str().is_some_and(|s| wildcard_match(&pieces, s))
        }
        Comparator::Is(test) => operand.as_bool() == Some(has_type(test, value)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::Ctx;
    use serde_json::json;

    /// Evaluates a rule (JSON) against an input, with an empty context.
    fn eval(rule: Value, input: Value) -> Result<bool, Failure> {
        let rule: ChoiceRule = serde_json::from_value(rule).unwrap();
        matches(
            &rule,
            &input,
            &Ctx::from(json!({"Execution": {"Name": "run-1"}})),
        )
    }

    macro_rules! gives {
        ($($rule:tt => $input:tt is $expected:expr;)*) => {$(
            assert_eq!(eval(json!($rule), json!($input)), Ok($expected), "{} on {}", json!($rule), json!($input));
        )*};
    }

    #[test]
    fn comparisons_of_the_right_type_compare_values() {
        // Arrange, Act and Assert, one rule per line.
        gives! {
            {"Variable": "$.s", "StringEquals": "abc"} => {"s": "abc"} is true;
            {"Variable": "$.s", "StringLessThan": "abd"} => {"s": "abc"} is true;
            {"Variable": "$.s", "StringGreaterThanEquals": "abc"} => {"s": "abc"} is true;
            {"Variable": "$.s", "StringMatches": "a*c"} => {"s": "abbbc"} is true;
            {"Variable": "$.n", "NumericEquals": 22} => {"n": 22.0} is true;
            {"Variable": "$.n", "NumericLessThanEquals": 21} => {"n": 22} is false;
            {"Variable": "$.n", "NumericGreaterThan": 21.5} => {"n": 22} is true;
            {"Variable": "$.b", "BooleanEquals": false} => {"b": false} is true;
            {"Variable": "$.t", "TimestampLessThan": "2020-01-01T00:00:00Z"} => {"t": "2019-12-31T23:59:59Z"} is true;
            {"Variable": "$.t", "TimestampEquals": "2020-01-01T01:00:00+01:00"} => {"t": "2020-01-01T00:00:00Z"} is true;
            {"Variable": "$$.Execution.Name", "StringEquals": "run-1"} => {} is true;
        }
    }

    #[test]
    fn a_type_mismatch_is_false_rather_than_a_failure() {
        // Arrange, Act and Assert, one rule per line.
        gives! {
            {"Variable": "$.n", "StringEquals": "22"} => {"n": 22} is false;
            {"Variable": "$.n", "NumericEquals": 22} => {"n": "22"} is false;
            {"Variable": "$.b", "BooleanEquals": true} => {"b": "true"} is false;
            {"Variable": "$.t", "TimestampEquals": "2020-01-01T00:00:00Z"} => {"t": "yesterday"} is false;
            {"Variable": "$.s", "StringMatches": "*"} => {"s": null} is false;
            {"Variable": "$.s", "NumericEquals": "oops"} => {"s": 1} is false;
        }
    }

    #[test]
    fn type_tests_follow_their_boolean_operand() {
        // Arrange, Act and Assert, one rule per line.
        gives! {
            {"Variable": "$.x", "IsNull": true} => {"x": null} is true;
            {"Variable": "$.x", "IsNull": false} => {"x": null} is false;
            {"Variable": "$.x", "IsNumeric": true} => {"x": 1.5} is true;
            {"Variable": "$.x", "IsString": false} => {"x": 1.5} is true;
            {"Variable": "$.x", "IsBoolean": true} => {"x": false} is true;
            {"Variable": "$.x", "IsTimestamp": true} => {"x": "2016-08-18T17:33:00Z"} is true;
            {"Variable": "$.x", "IsPresent": true} => {"x": null} is true;
            {"Variable": "$.x", "IsPresent": true} => {} is false;
            {"Variable": "$.x", "IsPresent": false} => {} is true;
        }
    }

    #[test]
    fn path_operands_compare_with_another_value_of_the_input() {
        // Arrange, Act and Assert, one rule per line.
        gives! {
            {"Variable": "$.rating", "NumericGreaterThanPath": "$.threshold"} => {"rating": 9, "threshold": 5} is true;
            {"Variable": "$.a", "StringEqualsPath": "$$.Execution.Name"} => {"a": "run-1"} is true;
            {"Variable": "$.a", "BooleanEqualsPath": "$.b"} => {"a": true, "b": false} is false;
            {"Variable": "$.a", "TimestampGreaterThanEqualsPath": "$.b"} => {"a": "2020-01-02T00:00:00Z", "b": "2020-01-01T00:00:00Z"} is true;
        }
    }

    #[test]
    fn boolean_operators_combine_and_stop_early() {
        // Arrange, Act and Assert: the second rule of each And/Or would fail on its own.
        gives! {
            {"And": [{"Variable": "$.x", "IsPresent": true}, {"Variable": "$.x", "BooleanEquals": true}]} => {} is false;
            {"Or": [{"Variable": "$.y", "IsNull": true}, {"Variable": "$.x", "BooleanEquals": true}]} => {"y": null} is true;
            {"Not": {"Variable": "$.type", "StringEquals": "Private"}} => {"type": "Public"} is true;
            {"And": [{"Variable": "$.v", "NumericGreaterThanEquals": 20}, {"Variable": "$.v", "NumericLessThan": 30}]} => {"v": 22} is true;
        }
    }

    #[test]
    fn a_missing_variable_is_a_runtime_failure() {
        // Arrange
        let rule = json!({"Variable": "$.x", "IsNull": false});
        // Act
        let failure = eval(rule, json!({"y": 1})).unwrap_err();
        // Assert
        assert_eq!(failure.error, "States.Runtime");
        assert_eq!(
            failure.cause,
            "Invalid path '$.x': The choice state's condition path references an invalid value."
        );
    }

    #[test]
    fn a_missing_path_operand_is_a_runtime_failure() {
        // Arrange
        let rule = json!({"Variable": "$.x", "NumericEqualsPath": "$.limit"});
        // Act
        let failure = eval(rule, json!({"x": 1})).unwrap_err();
        // Assert
        assert!(
            failure.cause.starts_with("Invalid path '$.limit'"),
            "{failure}"
        );
    }

    #[test]
    fn rules_that_check_refuses_fail_instead_of_panicking() {
        // Arrange
        let rules = [
            json!({"Variable": "$.x", "StringMatches": "a\\"}),
            json!({"Variable": "$.x"}),
            json!({"Variable": "$.x", "IsNull": true, "IsString": true}),
            json!({"IsNull": true}),
            json!({"Variable": "x", "IsNull": true}),
        ];
        for rule in rules {
            // Act
            let result = eval(rule.clone(), json!({"x": "a"}));
            // Assert
            assert!(result.is_err_and(|f| f.error == "States.Runtime"), "{rule}");
        }
    }
}
