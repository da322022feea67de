//! The states that do no work of their own: Pass, Wait, Succeed, Fail.

use super::chain::{Chain, Node};
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

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::builder::StateMachine;

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
