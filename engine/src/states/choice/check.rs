//! Definition-time checks of the Choice Rules, worded like Step Functions'.
//!
//! Every message is `SCHEMA_VALIDATION_FAILED: <what> at <JSON pointer>`, the
//! shape `CreateStateMachine` reports.

use serde_json::Value;

use super::comparator::{Comparator, ValueKind};
use super::compare::{pattern, timestamp};
use super::paths::check_path;
use super::rule::{ChoiceRule, Comparison, Operand, Operator};

/// The problems of a `Choices` array, `at` being the JSON pointer of the state.
pub(super) fn check_choices(choices: &[ChoiceRule], at: &str) -> Vec<String> {
    let mut errors = Errors(Vec::new());
    if choices.is_empty() {
        errors.push(
            "The field 'Choices' must be a non-empty array",
            &format!("{at}/Choices"),
        );
    }
    for (i, rule) in choices.iter().enumerate() {
        let here = format!("{at}/Choices/{i}");
        if rule.next.is_none() {
            errors.push("These fields are required: [Next]", &here);
        }
        errors.rule(rule, &here);
    }
    errors.0
}

struct Errors(Vec<String>);

impl Errors {
    fn push(&mut self, what: impl std::fmt::Display, at: &str) {
        self.0
            .push(format!("SCHEMA_VALIDATION_FAILED: {what} at {at}"));
    }

    fn rule(&mut self, rule: &ChoiceRule, at: &str) {
        if rule.operators.len() != 1 {
            let found: Vec<String> = rule.operators.iter().map(Operator::field_name).collect();
            self.push(
                format!(
                    "A Choice Rule must have exactly one comparison operator, And, Or or Not; found [{}]",
                    found.join(", ")
                ),
                at,
            );
        }
        for op in &rule.operators {
            self.operator(rule, op, at);
        }
    }

    fn nested(&mut self, rule: &ChoiceRule, at: &str) {
        if rule.next.is_some() {
            self.push(
                "The field 'Next' is not allowed in a nested Choice Rule",
                at,
            );
        }
        self.rule(rule, at);
    }

    fn operator(&mut self, rule: &ChoiceRule, op: &Operator, at: &str) {
        let field = op.field_name();
        match op {
            Operator::And(rules) | Operator::Or(rules) => {
                self.no_variable(rule, &field, at);
                if rules.is_empty() {
                    self.push(
                        format!("The field '{field}' must be a non-empty array"),
                        &format!("{at}/{field}"),
                    );
                }
                for (i, nested) in rules.iter().enumerate() {
                    self.nested(nested, &format!("{at}/{field}/{i}"));
                }
            }
            Operator::Not(nested) => {
                self.no_variable(rule, &field, at);
                self.nested(nested, &format!("{at}/Not"));
            }
            Operator::Test(test) => {
                match &rule.variable {
                    None => self.push("These fields are required: [Variable]", at),
                    Some(path) => self.path("Variable", path, at),
                }
                self.operand(test, &field, at);
            }
        }
    }

    fn no_variable(&mut self, rule: &ChoiceRule, field: &str, at: &str) {
        if rule.variable.is_some() {
            self.push(
                format!("The field 'Variable' is not allowed with '{field}'"),
                at,
            );
        }
    }

    fn path(&mut self, field: &str, path: &str, at: &str) {
        if check_path(path).is_err() {
            self.push(
                format!("The value for the field '{field}' must be a valid JSONPath"),
                &format!("{at}/{field}"),
            );
        }
    }

    fn operand(&mut self, test: &Comparison, field: &str, at: &str) {
        match &test.operand {
            Operand::Path(path) => self.path(field, path, at),
            Operand::Value(value) => {
                if let Some(problem) = literal_problem(test.comparator, value) {
                    self.push(
                        format!("The value for the field '{field}' {problem}"),
                        &format!("{at}/{field}"),
                    );
                }
            }
        }
    }
}

fn literal_problem(comparator: Comparator, value: &Value) -> Option<String> {
    let must_be = |ok: bool, what: &str| (!ok).then(|| format!("must be {what}"));
    match comparator {
        Comparator::Compare(ValueKind::String, _) => must_be(value.is_string(), "a string"),
        Comparator::Compare(ValueKind::Numeric, _) => must_be(value.is_number(), "a number"),
        Comparator::Compare(ValueKind::Boolean, _) | Comparator::Is(_) => {
            must_be(value.is_boolean(), "a boolean")
        }
        Comparator::Compare(ValueKind::Timestamp, _) => must_be(
            value.as_str().and_then(timestamp).is_some(),
            "a valid timestamp, like 2016-08-18T17:33:00Z",
        ),
        Comparator::StringMatches => match value.as_str() {
            None => must_be(false, "a string"),
            Some(text) => pattern(text)
                .err()
                .map(|e| format!("must be a valid pattern: {e}")),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The messages for one rule placed first in `Choices` of state "C".
    fn problems(rule: Value) -> Vec<String> {
        let rule: ChoiceRule = serde_json::from_value(rule).unwrap();
        check_choices(&[rule], "/States/C")
    }

    #[test]
    fn well_formed_rules_have_no_problems() {
        // Arrange
        let rules = [
            json!({"Variable": "$.x", "NumericEquals": 1, "Next": "A"}),
            json!({"Variable": "$$.Execution.Id", "StringMatches": "a\\*b*", "Next": "A", "Comment": "c"}),
            json!({"And": [{"Variable": "$.x", "IsPresent": true}, {"Not": {"Variable": "$.y", "TimestampEqualsPath": "$.z"}}], "Next": "A"}),
        ];
        // Act
        let found: Vec<_> = rules.into_iter().flat_map(problems).collect();
        // Assert
        assert!(found.is_empty(), "{found:#?}");
    }

    #[test]
    fn an_empty_choices_array_is_reported_at_the_field() {
        // Arrange
        let choices: [ChoiceRule; 0] = [];
        // Act
        let found = check_choices(&choices, "/States/C");
        // Assert
        assert_eq!(
            found,
            [
                "SCHEMA_VALIDATION_FAILED: The field 'Choices' must be a non-empty array at /States/C/Choices"
            ]
        );
    }

    #[test]
    fn a_top_level_rule_without_next_is_reported_at_the_rule() {
        // Arrange
        let rule = json!({"Variable": "$.x", "IsNull": true});
        // Act
        let found = problems(rule);
        // Assert
        assert_eq!(
            found,
            ["SCHEMA_VALIDATION_FAILED: These fields are required: [Next] at /States/C/Choices/0"]
        );
    }

    /// Asserts each rule, first of `Choices` with `"Next": "A"` added, has one problem containing the text.
    macro_rules! reports {
        ($($rule:tt => $expected:expr;)*) => {$(
            let mut rule = json!($rule);
            rule["Next"] = json!("A");
            let found = problems(rule);
            assert!(matches!(&found[..], [one] if one.contains($expected)), "{found:#?}");
        )*};
    }

    #[test]
    fn malformed_rules_are_reported_at_the_rule() {
        // Arrange, Act and Assert, one rule per line.
        reports! {
            {"Variable": "$.x"} => "operator, And, Or or Not; found [] at /States/C/Choices/0";
            {"Variable": "$.x", "IsNull": true, "StringEquals": "a"} => "found [IsNull, StringEquals] at /States/C/Choices/0";
            {"Or": []} => "'Or' must be a non-empty array at /States/C/Choices/0/Or";
            {"Variable": "$.x", "And": [{"Variable": "$.x", "IsNull": true}]} => "'Variable' is not allowed with 'And' at /States/C/Choices/0";
            {"NumericEquals": 1} => "These fields are required: [Variable] at /States/C/Choices/0";
            {"Not": {"Variable": "$.x", "IsNull": true, "Next": "B"}} => "The field 'Next' is not allowed in a nested Choice Rule at /States/C/Choices/0/Not";
        }
    }

    #[test]
    fn bad_paths_and_literals_are_reported_at_their_field() {
        // Arrange, Act and Assert, one rule per line.
        reports! {
            {"Variable": "x", "IsNull": true} => "'Variable' must be a valid JSONPath at /States/C/Choices/0/Variable";
            {"Variable": "$.x", "NumericEqualsPath": "$.a["} => "'NumericEqualsPath' must be a valid JSONPath at /States/C/Choices/0/NumericEqualsPath";
            {"Variable": "$.x", "NumericEquals": "1"} => "'NumericEquals' must be a number at /States/C/Choices/0/NumericEquals";
            {"Variable": "$.x", "StringLessThan": 1} => "'StringLessThan' must be a string";
            {"Variable": "$.x", "BooleanEquals": "true"} => "'BooleanEquals' must be a boolean";
            {"Variable": "$.x", "IsPresent": 1} => "'IsPresent' must be a boolean";
            {"Variable": "$.x", "TimestampEquals": "2016-08-18"} => "'TimestampEquals' must be a valid timestamp";
            {"Variable": "$.x", "StringMatches": "ab\\"} => "'StringMatches' must be a valid pattern";
            {"Variable": "$.x", "StringMatches": 3} => "'StringMatches' must be a string";
        }
    }
}
