//! The Choice state: picks the next state by testing rules against its input.
//!
//! # Layout
//! - `rule`: Choice Rules as typed values, and their JSON form;
//!   `comparator`: the comparison operators.
//! - `eval`: evaluating a rule; `compare`: how values compare.
//! - `check`: definition-time checks; `paths`: selecting `Variable`s.

mod check;
mod comparator;
mod compare;
mod eval;
mod paths;
mod rule;

use crate::context::Ctx;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::definition::{PathField, is_default};
use crate::failure::{Failure, names};

pub use comparator::{Comparator, Relation, TypeTest, ValueKind};
pub use rule::{ChoiceRule, Comparison, Operand, Operator};

// The spec names the error `States.NoChoiceMatched`. The cause is AWS's
// wording; third-party conformance suites record AWS itself failing such
// executions as `States.Runtime` with this cause, which is unconfirmed here.
const NO_MATCH_CAUSE: &str =
    "Failed to transition out of the state. The state does not point to a next state.";

/// `Type: Choice`: picks the next state with `Choices`, else `Default`.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Choice {
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The rules, tried in order; the first that matches names the next state.
    pub choices: Vec<ChoiceRule>,
    /// The state when no rule matches.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// Selects the state's effective input.
    #[serde(default, skip_serializing_if = "is_default")]
    pub input_path: PathField,
    /// Selects the state's output.
    #[serde(default, skip_serializing_if = "is_default")]
    pub output_path: PathField,
    /// `JSONata` or `JSONPath`; absent, the state machine's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query_language: Option<String>,
    /// Variables to set when the `Default` is taken (or a rule without its own matches).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assign: Option<Value>,
    /// JSONata: the state output when the `Default` is taken.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<Value>,
}

impl Choice {
    /// The name of the next state for this input (the state's effective input after `InputPath`).
    ///
    /// `ctx` is the context object that `$$` paths select in. The failure is
    /// `States.Runtime` when a path selects nothing (`IsPresent` excepted),
    /// and `States.NoChoiceMatched` when no rule matches and there is no `Default`.
    pub fn next_state(&self, input: &Value, ctx: &Ctx) -> Result<&str, Failure> {
        let rule = self.matching_rule(input, ctx)?;
        self.target(rule)
    }

    /// The index of the first rule that matches (JSONPath rules), if any.
    pub fn matching_rule(&self, input: &Value, ctx: &Ctx) -> Result<Option<usize>, Failure> {
        for (i, rule) in self.choices.iter().enumerate() {
            if eval::matches(rule, input, ctx)? {
                return Ok(Some(i));
            }
        }
        Ok(None)
    }

    /// Where the rule at `index` goes, or with `None` the `Default`.
    pub fn target(&self, index: Option<usize>) -> Result<&str, Failure> {
        match index {
            Some(i) => self
                .choices
                .get(i)
                .and_then(|r| r.next.as_deref())
                .ok_or_else(|| {
                    Failure::runtime(format!("Choice Rule {i} matched but has no 'Next'"))
                }),
            None => self
                .default
                .as_deref()
                .ok_or_else(|| Failure::new(names::NO_CHOICE_MATCHED, NO_MATCH_CAUSE)),
        }
    }

    /// Every state name this Choice can go to (all top-level `Next` values and `Default`), for graph validation.
    pub fn targets(&self) -> Vec<&str> {
        let nexts = self.choices.iter().filter_map(|rule| rule.next.as_deref());
        let mut targets: Vec<&str> = Vec::new();
        for target in nexts.chain(self.default.as_deref()) {
            if !targets.contains(&target) {
                targets.push(target);
            }
        }
        targets
    }

    /// Definition-time problems, worded like Step Functions', `at` being the JSON pointer of the state (e.g. `/States/IsComplete`).
    pub fn check(&self, at: &str) -> Vec<String> {
        check::check_choices(&self.choices, at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::Ctx;
    use serde_json::json;

    /// The Choice state of the Step Functions developer guide's example.
    fn dispatch() -> Choice {
        serde_json::from_value(json!({
            "Choices": [
                {"Not": {"Variable": "$.type", "StringEquals": "Private"}, "Next": "Public"},
                {"Variable": "$.value", "NumericEquals": 0, "Next": "ValueIsZero"},
                {
                    "And": [
                        {"Variable": "$.value", "NumericGreaterThanEquals": 20},
                        {"Variable": "$.value", "NumericLessThan": 30}
                    ],
                    "Next": "ValueInTwenties"
                }
            ],
            "Default": "DefaultState"
        }))
        .unwrap()
    }

    #[test]
    fn the_first_matching_rule_names_the_next_state() {
        // Arrange
        let choice = dispatch();
        let inputs = [
            (json!({"type": "Private", "value": 22}), "ValueInTwenties"),
            (json!({"type": "Public", "value": 22}), "Public"),
            (json!({"type": "Private", "value": 0}), "ValueIsZero"),
            (json!({"type": "Private", "value": 31}), "DefaultState"),
        ];
        for (input, expected) in inputs {
            // Act
            let next = choice.next_state(&input, &Ctx::from(json!({})));
            // Assert
            assert_eq!(next, Ok(expected), "{input}");
        }
    }

    #[test]
    fn no_match_without_a_default_fails_with_no_choice_matched() {
        // Arrange
        let mut choice = dispatch();
        choice.default = None;
        // Act
        let failure = choice
            .next_state(
                &json!({"type": "Private", "value": 31}),
                &Ctx::from(json!({})),
            )
            .unwrap_err();
        // Assert
        assert_eq!(
            failure,
            Failure::new("States.NoChoiceMatched", NO_MATCH_CAUSE)
        );
    }

    #[test]
    fn a_missing_variable_fails_the_state_before_the_default_is_taken() {
        // Arrange
        let choice = dispatch();
        // Act
        let failure = choice
            .next_state(&json!({"value": 22}), &Ctx::from(json!({})))
            .unwrap_err();
        // Assert
        assert_eq!(failure.error, "States.Runtime");
        assert!(
            failure.cause.starts_with("Invalid path '$.type'"),
            "{failure}"
        );
    }

    #[test]
    fn targets_list_each_next_and_the_default_once() {
        // Arrange
        let mut choice = dispatch();
        choice.choices[1].next = Some("Public".into());
        // Act
        let targets = choice.targets();
        // Assert
        assert_eq!(targets, ["Public", "ValueInTwenties", "DefaultState"]);
    }

    #[test]
    fn the_state_serializes_back_to_the_json_it_was_read_from() {
        // Arrange
        let text = json!({
            "Comment": "route",
            "Choices": [{"Variable": "$.n", "NumericLessThanPath": "$.max", "Next": "Small"}],
            "Default": "Big",
            "InputPath": "$.payload",
            "OutputPath": null
        });
        // Act
        let choice: Choice = serde_json::from_value(text.clone()).unwrap();
        // Assert
        assert_eq!(serde_json::to_value(&choice).unwrap(), text);
    }

    #[test]
    fn a_choice_state_inside_a_machine_parses_and_checks_clean() {
        // Arrange
        let text = r#"{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[
            {"Variable":"$.done","BooleanEquals":true,"Next":"End"}],"Default":"C"},
            "End":{"Type":"Succeed"}}}"#;
        // Act
        let machine = crate::definition::parse(text).unwrap();
        // Assert
        let crate::definition::State::Choice(choice) = &machine.states["C"] else {
            panic!("not a choice state")
        };
        assert!(choice.check("/States/C").is_empty());
        assert_eq!(choice.targets(), ["End", "C"]);
    }

    #[test]
    fn an_end_field_is_refused_on_a_choice_state() {
        // Arrange
        let text = r#"{"StartAt":"C","States":{"C":{"Type":"Choice","End":true,"Choices":[
            {"Variable":"$.done","BooleanEquals":true,"Next":"C"}]}}}"#;
        // Act
        let err = crate::definition::parse(text).unwrap_err();
        // Assert
        assert!(
            err.starts_with("SCHEMA_VALIDATION_FAILED") && err.contains("End"),
            "{err}"
        );
    }

    #[test]
    fn check_reports_every_problem_with_its_pointer() {
        // Arrange
        let choice: Choice = serde_json::from_value(json!({"Choices": [
            {"Variable": "$.a", "NumericEquals": "1"},
            {"Or": [], "Next": "A"}
        ]}))
        .unwrap();
        // Act
        let problems = choice.check("/States/IsComplete");
        // Assert
        assert_eq!(
            problems,
            [
                "SCHEMA_VALIDATION_FAILED: These fields are required: [Next] at /States/IsComplete/Choices/0",
                "SCHEMA_VALIDATION_FAILED: The value for the field 'NumericEquals' must be a number at /States/IsComplete/Choices/0/NumericEquals",
                "SCHEMA_VALIDATION_FAILED: The field 'Or' must be a non-empty array at /States/IsComplete/Choices/1/Or",
            ]
        );
    }
}
