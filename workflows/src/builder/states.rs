//! The states that do no work of their own: Pass, Wait, Succeed, Fail, Choice.

use serde_json::Value;

use super::chain::{Chain, Node};
use super::condition::Condition;
use super::fields::{Fields, setters};

/// A Pass state: passes its input on, reshaped by `Parameters` or `Result`.
#[derive(Debug, Clone)]
pub struct Pass {
    name: String,
    fields: Fields,
}

impl Pass {
    /// A Pass state named `name`.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            fields: Fields::default(),
        }
    }
}

setters!(Pass {
    /// `Comment`: a note for people.
    comment(text) => "Comment";
    /// `InputPath`: the part of the input it sees.
    input_path(text) => "InputPath";
    /// `Parameters`: its output, with `.$` keys taken from the input.
    parameters(json) => "Parameters";
    /// `Result`: a fixed output.
    result(json) => "Result";
    /// `ResultPath`: where in the input the result goes.
    result_path(text) => "ResultPath";
    /// `OutputPath`: the part of the output passed on.
    output_path(text) => "OutputPath";
});

const PASS_ORDER: &[&str] = &[
    "Comment",
    "InputPath",
    "Parameters",
    "Result",
    "ResultPath",
    "OutputPath",
];

impl From<Pass> for Chain {
    fn from(pass: Pass) -> Self {
        let mut node = Node::new(pass.name, "Pass", PASS_ORDER, true);
        node.fields = pass.fields;
        Chain::single(node)
    }
}

/// A Wait state: waits for some seconds, or until a time.
#[derive(Debug, Clone)]
pub struct Wait {
    name: String,
    fields: Fields,
}

impl Wait {
    /// A Wait state named `name`; give it one of its four ways to wait.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            fields: Fields::default(),
        }
    }
}

setters!(Wait {
    /// `Comment`: a note for people.
    comment(text) => "Comment";
    /// `Seconds`: how long to wait.
    seconds(count) => "Seconds";
    /// `SecondsPath`: how long to wait, read from the input.
    seconds_path(text) => "SecondsPath";
    /// `Timestamp`: until when to wait (RFC 3339).
    timestamp(text) => "Timestamp";
    /// `TimestampPath`: until when to wait, read from the input.
    timestamp_path(text) => "TimestampPath";
    /// `InputPath`: the part of the input it sees.
    input_path(text) => "InputPath";
    /// `OutputPath`: the part of the output passed on.
    output_path(text) => "OutputPath";
});

const WAIT_ORDER: &[&str] = &[
    "Comment",
    "Seconds",
    "SecondsPath",
    "Timestamp",
    "TimestampPath",
    "InputPath",
    "OutputPath",
];

impl From<Wait> for Chain {
    fn from(wait: Wait) -> Self {
        let mut node = Node::new(wait.name, "Wait", WAIT_ORDER, true);
        node.fields = wait.fields;
        Chain::single(node)
    }
}

/// A Succeed state: the machine, or branch, ends well here.
#[derive(Debug, Clone)]
pub struct Succeed {
    name: String,
    fields: Fields,
}

impl Succeed {
    /// A Succeed state named `name`.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            fields: Fields::default(),
        }
    }
}

setters!(Succeed {
    /// `Comment`: a note for people.
    comment(text) => "Comment";
    /// `InputPath`: the part of the input it sees.
    input_path(text) => "InputPath";
    /// `OutputPath`: the part of the output passed on.
    output_path(text) => "OutputPath";
});

impl From<Succeed> for Chain {
    fn from(succeed: Succeed) -> Self {
        let mut node = Node::new(
            succeed.name,
            "Succeed",
            &["Comment", "InputPath", "OutputPath"],
            false,
        );
        node.fields = succeed.fields;
        Chain::single(node)
    }
}

/// A Fail state: the machine fails here with an error and a cause.
#[derive(Debug, Clone)]
pub struct Fail {
    name: String,
    fields: Fields,
}

impl Fail {
    /// A Fail state named `name`.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            fields: Fields::default(),
        }
    }
}

setters!(Fail {
    /// `Comment`: a note for people.
    comment(text) => "Comment";
    /// `Error`: the error's name.
    error(text) => "Error";
    /// `ErrorPath`: the error's name, read from the input.
    error_path(text) => "ErrorPath";
    /// `Cause`: what happened, for people.
    cause(text) => "Cause";
    /// `CausePath`: what happened, read from the input.
    cause_path(text) => "CausePath";
});

impl From<Fail> for Chain {
    fn from(fail: Fail) -> Self {
        let order = &["Comment", "Error", "ErrorPath", "Cause", "CausePath"];
        let mut node = Node::new(fail.name, "Fail", order, false);
        node.fields = fail.fields;
        Chain::single(node)
    }
}

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
    use crate::builder::{BuildError, StateMachine};

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

    #[test]
    fn a_wait_and_a_succeed_write_their_fields() {
        // Arrange
        let chain =
            Chain::start(Wait::new("Pause").seconds(5)).next(Succeed::new("Done").comment("ok"));

        // Act
        let built = StateMachine::new(chain)
            .timeout_seconds(60)
            .build()
            .expect("builds");

        // Assert
        assert_eq!(
            built,
            json!({"StartAt": "Pause", "States": {
            "Pause": {"Type": "Wait", "Seconds": 5, "Next": "Done"},
            "Done": {"Type": "Succeed", "Comment": "ok"}}, "TimeoutSeconds": 60})
        );
    }
}
