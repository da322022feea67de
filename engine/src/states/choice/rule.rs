//! Choice Rules as typed values, read from and written back to their ASL JSON.
//!
//! Reading is lenient about the shape Step Functions reports at definition
//! time (no operator, two operators, a misplaced `Next`, a literal of the
//! wrong type): those become values that `Choice::check` reports.
//! Only what cannot be represented at all (an unknown field, a non-string
//! `Variable`, an `And` that is not an array of objects...) fails to parse.

use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::comparator::Comparator;

/// A rule: a comparison on `Variable`, or `And`/`Or`/`Not` of nested rules; top-level rules carry `Next` (and optional `Comment`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChoiceRule {
    /// The path of the value a comparison tests; absent for `And`/`Or`/`Not`.
    pub variable: Option<String>,
    /// The operators in document order; a valid rule has exactly one.
    pub operators: Vec<Operator>,
    /// The state to go to when this top-level rule matches.
    pub next: Option<String>,
    /// Free text.
    pub comment: Option<String>,
    /// JSONata: a `{% %}` expression (or a literal boolean) that must be true.
    pub condition: Option<Value>,
    /// Variables to set when this top-level rule matches.
    pub assign: Option<Value>,
    /// JSONata: the state output when this top-level rule matches.
    pub output: Option<Value>,
}

/// The operator of a Choice Rule.
#[derive(Debug, Clone, PartialEq)]
pub enum Operator {
    /// True when every nested rule is; evaluation stops at the first false one.
    And(Vec<ChoiceRule>),
    /// True when any nested rule is; evaluation stops at the first true one.
    Or(Vec<ChoiceRule>),
    /// True when the nested rule is false.
    Not(Box<ChoiceRule>),
    /// A test of the value at `Variable`.
    Test(Comparison),
}

/// A data test: a comparator and the operand it compares `Variable` with.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// What is tested, e.g. `NumericLessThan` or `IsPresent`.
    pub comparator: Comparator,
    /// The literal, or the path of the value, to compare with.
    pub operand: Operand,
}

/// The right-hand side of a comparison.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    /// The field as written (`"NumericEquals": 1`); any JSON, its type is checked by `check`.
    Value(Value),
    /// The `…Path` form (`"NumericEqualsPath": "$.limit"`): a path into the input or `$$` context.
    Path(String),
}

impl Comparison {
    /// The rule field that holds this comparison, e.g. `NumericEqualsPath`.
    pub fn field_name(&self) -> String {
        match self.operand {
            Operand::Value(_) => self.comparator.name(),
            Operand::Path(_) => format!("{}Path", self.comparator.name()),
        }
    }
}

impl Operator {
    /// The rule field that holds this operator, e.g. `And` or `StringEquals`.
    pub fn field_name(&self) -> String {
        match self {
            Operator::And(_) => "And".to_owned(),
            Operator::Or(_) => "Or".to_owned(),
            Operator::Not(_) => "Not".to_owned(),
            Operator::Test(c) => c.field_name(),
        }
    }

    fn to_value(&self) -> Value {
        let rules = |rs: &[ChoiceRule]| Value::Array(rs.iter().map(ChoiceRule::to_value).collect());
        match self {
            Operator::And(rs) | Operator::Or(rs) => rules(rs),
            Operator::Not(r) => r.to_value(),
            Operator::Test(c) => match &c.operand {
                Operand::Value(v) => v.clone(),
                Operand::Path(p) => Value::String(p.clone()),
            },
        }
    }
}

impl ChoiceRule {
    fn to_value(&self) -> Value {
        let mut map = Map::new();
        if let Some(v) = &self.variable {
            map.insert("Variable".to_owned(), Value::String(v.clone()));
        }
        for op in &self.operators {
            map.insert(op.field_name(), op.to_value());
        }
        if let Some(n) = &self.next {
            map.insert("Next".to_owned(), Value::String(n.clone()));
        }
        if let Some(c) = &self.comment {
            map.insert("Comment".to_owned(), Value::String(c.clone()));
        }
        for (field, value) in [
            ("Condition", &self.condition),
            ("Assign", &self.assign),
            ("Output", &self.output),
        ] {
            if let Some(v) = value {
                map.insert(field.to_owned(), v.clone());
            }
        }
        Value::Object(map)
    }

    fn from_map(map: Map<String, Value>) -> Result<Self, String> {
        let mut rule = ChoiceRule::default();
        for (field, value) in map {
            match field.as_str() {
                "Variable" => rule.variable = Some(string_field(&field, value)?),
                "Next" => rule.next = Some(string_field(&field, value)?),
                "Comment" => rule.comment = Some(string_field(&field, value)?),
                "Condition" => rule.condition = Some(value),
                "Assign" => rule.assign = Some(value),
                "Output" => rule.output = Some(value),
                _ => rule.operators.push(operator_from_field(&field, value)?),
            }
        }
        Ok(rule)
    }
}

fn string_field(field: &str, value: Value) -> Result<String, String> {
    match value {
        Value::String(s) => Ok(s),
        _ => Err(format!("the field '{field}' must be a string")),
    }
}

fn rule_from_value(field: &str, value: Value) -> Result<ChoiceRule, String> {
    match value {
        Value::Object(map) => ChoiceRule::from_map(map),
        _ => Err(format!("the field '{field}' must be a Choice Rule object")),
    }
}

fn operator_from_field(field: &str, value: Value) -> Result<Operator, String> {
    let rules = |value: Value| match value {
        Value::Array(items) => items
            .into_iter()
            .map(|v| rule_from_value(field, v))
            .collect(),
        _ => Err(format!(
            "the field '{field}' must be an array of Choice Rules"
        )),
    };
    match field {
        "And" => Ok(Operator::And(rules(value)?)),
        "Or" => Ok(Operator::Or(rules(value)?)),
        "Not" => Ok(Operator::Not(Box::new(rule_from_value(field, value)?))),
        _ => {
            let (comparator, is_path) = Comparator::from_field(field)
                .ok_or_else(|| format!("unknown field `{field}` in a Choice Rule"))?;
            let operand = if is_path {
                Operand::Path(string_field(field, value)?)
            } else {
                Operand::Value(value)
            };
            Ok(Operator::Test(Comparison {
                comparator,
                operand,
            }))
        }
    }
}

impl<'de> Deserialize<'de> for ChoiceRule {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let map = Map::deserialize(d)?;
        ChoiceRule::from_map(map).map_err(de::Error::custom)
    }
}

impl Serialize for ChoiceRule {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.to_value().serialize(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_nested_rule_serializes_back_to_the_same_json() {
        // Arrange
        let text = json!({
            "And": [
                {"Variable": "$.value", "IsPresent": true},
                {"Not": {"Variable": "$.value", "NumericLessThanPath": "$$.Execution.Input.min"}},
                {"Or": [{"Variable": "$.s", "StringMatches": "log-*.txt"}]}
            ],
            "Next": "Twenties",
            "Comment": "in range"
        });
        // Act
        let rule: ChoiceRule = serde_json::from_value(text.clone()).unwrap();
        // Assert
        assert_eq!(serde_json::to_value(&rule).unwrap(), text);
        assert!(matches!(&rule.operators[..], [Operator::And(rules)] if rules.len() == 3));
    }

    #[test]
    fn malformed_but_representable_rules_still_parse_for_check_to_report() {
        // Arrange
        let text = json!({"Variable": "$.x", "NumericEquals": "one", "StringEquals": "a"});
        // Act
        let rule: ChoiceRule = serde_json::from_value(text).unwrap();
        // Assert
        assert_eq!(rule.operators.len(), 2);
        assert_eq!(rule.next, None);
    }

    #[test]
    fn unknown_fields_and_non_string_paths_are_refused() {
        // Arrange
        let cases = [
            (
                json!({"Variable": "$.x", "Bogus": 1}),
                "unknown field `Bogus`",
            ),
            (
                json!({"Variable": "$.x", "StringEqualsPath": 3}),
                "'StringEqualsPath' must be a string",
            ),
            (
                json!({"Variable": 7, "IsNull": true}),
                "'Variable' must be a string",
            ),
            (
                json!({"And": {"Variable": "$.x", "IsNull": true}}),
                "'And' must be an array",
            ),
            (json!({"Not": [1]}), "'Not' must be a Choice Rule object"),
        ];
        for (text, expected) in cases {
            // Act
            let err = serde_json::from_value::<ChoiceRule>(text)
                .unwrap_err()
                .to_string();
            // Assert
            assert!(err.contains(expected), "{err}");
        }
    }
}
