//! Choice rules, as the CDK's `Condition` builds them.

use serde_json::{Map, Value};

use super::BuildError;
use super::fields::number;

/// A test a Choice rule applies to the state's input.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition(Test);

#[derive(Debug, Clone, PartialEq)]
enum Test {
    Compare {
        variable: String,
        operator: String,
        operand: Operand,
    },
    And(Vec<Condition>),
    Or(Vec<Condition>),
    Not(Box<Condition>),
}

#[derive(Debug, Clone, PartialEq)]
enum Operand {
    Json(Value),
    Number(f64),
}

impl Condition {
    /// `variable` compared by any ASL operator (`TimestampLessThanPath`…) with `value`.
    pub fn compare(variable: impl Into<String>, operator: impl Into<String>, value: Value) -> Self {
        Self::test(variable, operator, Operand::Json(value))
    }

    fn test(variable: impl Into<String>, operator: impl Into<String>, operand: Operand) -> Self {
        Self(Test::Compare {
            variable: variable.into(),
            operator: operator.into(),
            operand,
        })
    }

    fn string(variable: impl Into<String>, operator: &str, value: impl Into<String>) -> Self {
        Self::test(
            variable,
            operator,
            Operand::Json(Value::String(value.into())),
        )
    }

    fn number(variable: impl Into<String>, operator: &str, value: impl Into<f64>) -> Self {
        Self::test(variable, operator, Operand::Number(value.into()))
    }

    fn flag(variable: impl Into<String>, operator: &str, value: bool) -> Self {
        Self::test(variable, operator, Operand::Json(Value::Bool(value)))
    }

    /// `StringEquals`: the string at `variable` is `value`.
    pub fn string_equals(variable: impl Into<String>, value: impl Into<String>) -> Self {
        Self::string(variable, "StringEquals", value)
    }

    /// `StringLessThan`: the string at `variable` sorts before `value`.
    pub fn string_less_than(variable: impl Into<String>, value: impl Into<String>) -> Self {
        Self::string(variable, "StringLessThan", value)
    }

    /// `StringGreaterThan`: the string at `variable` sorts after `value`.
    pub fn string_greater_than(variable: impl Into<String>, value: impl Into<String>) -> Self {
        Self::string(variable, "StringGreaterThan", value)
    }

    /// `StringMatches`: the string at `variable` matches the `*` pattern `pattern`.
    pub fn string_matches(variable: impl Into<String>, pattern: impl Into<String>) -> Self {
        Self::string(variable, "StringMatches", pattern)
    }

    /// `StringEqualsPath`: the string at `variable` equals the one at `path`.
    pub fn string_equals_path(variable: impl Into<String>, path: impl Into<String>) -> Self {
        Self::string(variable, "StringEqualsPath", path)
    }

    /// `NumericEquals`: the number at `variable` is `value`.
    pub fn number_equals(variable: impl Into<String>, value: impl Into<f64>) -> Self {
        Self::number(variable, "NumericEquals", value)
    }

    /// `NumericLessThan`: the number at `variable` is below `value`.
    pub fn number_less_than(variable: impl Into<String>, value: impl Into<f64>) -> Self {
        Self::number(variable, "NumericLessThan", value)
    }

    /// `NumericLessThanEquals`: the number at `variable` is at most `value`.
    pub fn number_less_than_equals(variable: impl Into<String>, value: impl Into<f64>) -> Self {
        Self::number(variable, "NumericLessThanEquals", value)
    }

    /// `NumericGreaterThan`: the number at `variable` is above `value`.
    pub fn number_greater_than(variable: impl Into<String>, value: impl Into<f64>) -> Self {
        Self::number(variable, "NumericGreaterThan", value)
    }

    /// `NumericGreaterThanEquals`: the number at `variable` is at least `value`.
    pub fn number_greater_than_equals(variable: impl Into<String>, value: impl Into<f64>) -> Self {
        Self::number(variable, "NumericGreaterThanEquals", value)
    }

    /// `NumericEqualsPath`: the number at `variable` equals the one at `path`.
    pub fn number_equals_path(variable: impl Into<String>, path: impl Into<String>) -> Self {
        Self::string(variable, "NumericEqualsPath", path)
    }

    /// `BooleanEquals`: the boolean at `variable` is `value`.
    pub fn boolean_equals(variable: impl Into<String>, value: bool) -> Self {
        Self::flag(variable, "BooleanEquals", value)
    }

    /// `IsPresent: true`: the input has a field at `variable`.
    pub fn is_present(variable: impl Into<String>) -> Self {
        Self::flag(variable, "IsPresent", true)
    }

    /// `IsPresent: false`: the input has no field at `variable`.
    pub fn is_not_present(variable: impl Into<String>) -> Self {
        Self::flag(variable, "IsPresent", false)
    }

    /// `IsNull: true`: the field at `variable` is null.
    pub fn is_null(variable: impl Into<String>) -> Self {
        Self::flag(variable, "IsNull", true)
    }

    /// `And`: every one of `conditions` holds.
    pub fn and(conditions: impl IntoIterator<Item = Condition>) -> Self {
        Self(Test::And(conditions.into_iter().collect()))
    }

    /// `Or`: at least one of `conditions` holds.
    pub fn or(conditions: impl IntoIterator<Item = Condition>) -> Self {
        Self(Test::Or(conditions.into_iter().collect()))
    }

    /// `Not`: `condition` does not hold (`!condition` says the same).
    #[expect(
        clippy::should_implement_trait,
        reason = "the CDK's name; `std::ops::Not` is there too"
    )]
    pub fn not(condition: Condition) -> Self {
        Self(Test::Not(Box::new(condition)))
    }

    /// The rule as ASL, with `Next` last when it is a Choice's own rule.
    pub(super) fn write(&self, next: Option<&str>, state: &str) -> Result<Value, BuildError> {
        let mut out = Map::new();
        match &self.0 {
            Test::Compare {
                variable,
                operator,
                operand,
            } => {
                out.insert("Variable".into(), Value::String(variable.clone()));
                let operand = match operand {
                    Operand::Json(value) => value.clone(),
                    Operand::Number(n) => number(*n, state)?,
                };
                out.insert(operator.clone(), operand);
            }
            Test::And(all) => {
                out.insert("And".into(), Self::write_all(all, state)?);
            }
            Test::Or(any) => {
                out.insert("Or".into(), Self::write_all(any, state)?);
            }
            Test::Not(inner) => {
                out.insert("Not".into(), inner.write(None, state)?);
            }
        }
        if let Some(next) = next {
            out.insert("Next".into(), Value::String(next.into()));
        }
        Ok(Value::Object(out))
    }

    fn write_all(conditions: &[Condition], state: &str) -> Result<Value, BuildError> {
        conditions
            .iter()
            .map(|c| c.write(None, state))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array)
    }
}

impl std::ops::Not for Condition {
    type Output = Condition;

    /// `Not`: this condition does not hold.
    fn not(self) -> Condition {
        Condition::not(self)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_comparison_is_written_with_its_variable_first_and_next_last() {
        // Arrange
        let condition = Condition::number_equals("$.Work.Status", 1);

        // Act
        let rule = condition
            .write(Some("CloseCase"), "IsComplete")
            .expect("writes");

        // Assert
        assert_eq!(
            rule.to_string(),
            r#"{"Variable":"$.Work.Status","NumericEquals":1,"Next":"CloseCase"}"#
        );
    }

    #[test]
    fn and_or_not_nest_their_conditions_without_next() {
        // Arrange
        let condition = Condition::and([
            Condition::is_present("$.Amount"),
            Condition::or([
                Condition::number_greater_than("$.Amount", 100.5),
                !Condition::boolean_equals("$.Trusted", true),
            ]),
        ]);

        // Act
        let rule = condition.write(Some("Review"), "Check").expect("writes");

        // Assert
        assert_eq!(
            rule,
            json!({"And": [
            {"Variable": "$.Amount", "IsPresent": true},
            {"Or": [
                {"Variable": "$.Amount", "NumericGreaterThan": 100.5},
                {"Not": {"Variable": "$.Trusted", "BooleanEquals": true}}
            ]}
        ], "Next": "Review"})
        );
    }

    #[test]
    fn a_number_that_is_not_finite_is_an_error() {
        // Arrange
        let condition = Condition::number_less_than("$.x", f64::INFINITY);

        // Act
        let error = condition.write(None, "Check").expect_err("refused");

        // Assert
        assert_eq!(error, BuildError::NotFinite("Check".into()));
    }
}
