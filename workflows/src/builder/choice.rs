//! Choice states: the first rule whose condition holds says where to go.

use serde_json::Value;

use super::chain::{Chain, Node};
use super::condition::Condition;
use super::fields::{Fields, setters};

/// A Choice state: the first rule whose condition holds says where to go.
#[derive(Debug, Clone)]
pub struct Choice {
    name: String,
    fields: Fields,
    rules: Vec<(Condition, Chain)>,
    otherwise: Option<Chain>,
}

impl Choice {
    /// A Choice state named `name`; give it at least one rule.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            fields: Fields::default(),
            rules: Vec::new(),
            otherwise: None,
        }
    }

    /// A rule: if `condition` holds, go to `then`.
    pub fn when(mut self, condition: Condition, then: impl Into<Chain>) -> Self {
        self.rules.push((condition, then.into()));
        self
    }

    /// `Default`: where to go when no rule holds.
    pub fn otherwise(mut self, then: impl Into<Chain>) -> Self {
        self.otherwise = Some(then.into());
        self
    }
}

setters!(Choice {
    /// `Comment`: a note for people.
    comment(text) => "Comment";
    /// `InputPath`: the part of the input the rules test.
    input_path(text) => "InputPath";
    /// `OutputPath`: the part of the input passed on.
    output_path(text) => "OutputPath";
});

impl From<Choice> for Chain {
    fn from(choice: Choice) -> Self {
        let order = &["Comment", "InputPath", "OutputPath", "Choices", "Default"];
        let mut node = Node::new(choice.name.clone(), "Choice", order, false);
        node.fields = choice.fields;
        let mut chain = Chain::single(node);
        if choice.rules.is_empty() {
            chain.error(super::BuildError::NoChoices(choice.name.clone()));
        }
        let mut rules = Vec::with_capacity(choice.rules.len());
        let mut targets = Vec::new();
        for (condition, then) in choice.rules {
            let next = chain.attach(then);
            match condition.write(Some(&next), &choice.name) {
                Ok(rule) => rules.push(rule),
                Err(error) => chain.error(error),
            }
            targets.push(next);
        }
        let default = choice.otherwise.map(|then| chain.attach(then));
        if let Some(head) = chain.head_mut() {
            head.fields.set("Choices", Value::Array(rules));
            if let Some(default) = default {
                head.fields.set("Default", Value::String(default.clone()));
                targets.push(default);
            }
            head.targets = targets;
        }
        chain
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::builder::{BuildError, Pass, StateMachine};

    #[test]
    fn a_choice_without_rules_is_an_error() {
        // Arrange
        let choice = Choice::new("Which").otherwise(Pass::new("Any"));

        // Act
        let error = StateMachine::new(choice).build().expect_err("refused");

        // Assert
        assert_eq!(error, BuildError::NoChoices("Which".into()));
    }

    #[test]
    fn a_choice_writes_its_rules_then_its_default() {
        // Arrange
        let choice = Choice::new("Big?")
            .when(Condition::number_greater_than("$.n", 10), Pass::new("Big"))
            .otherwise(Chain::goto("Big"));

        // Act
        let built = StateMachine::new(choice).build().expect("builds");

        // Assert
        assert_eq!(
            built["States"]["Big?"],
            json!({"Type": "Choice",
            "Choices": [{"Variable": "$.n", "NumericGreaterThan": 10, "Next": "Big"}], "Default": "Big"})
        );
    }
}
