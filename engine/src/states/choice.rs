//! The Choice state: picks the next state by testing rules against its input.
//!
//! # Layout
//! - `rule`: Choice Rules as typed values, and their JSON form;
//!   `comparator`: the comparison operators.

mod comparator;
mod rule;

use serde::{Deserialize, Serialize};

use crate::definition::{PathField, is_default};

pub use comparator::{Comparator, Relation, TypeTest, ValueKind};
pub use rule::{ChoiceRule, Comparison, Operand, Operator};

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
}

impl Choice {
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
}

#[cfg(test)]
mod tests {
    use super::*;
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
    fn a_choice_state_inside_a_machine_parses() {
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
}
