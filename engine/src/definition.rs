//! Amazon States Language documents as typed values.
//!
//! Parsing is strict the way Step Functions is strict: an unknown field is a
//! definition error, not something to ignore. [`parse`] turns the JSON text
//! into a [`StateMachine`]; [`crate::validate`] then checks the graph.

use indexmap::IndexMap;
use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize};
use serde_json::Value;

mod access;
mod states;

pub(crate) use states::is_default;

pub use crate::states::choice::{Choice, ChoiceRule};
pub use states::{Fail, Map, Parallel, Pass, Succeed, Task, Wait};

/// A whole state machine: the top-level document.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct StateMachine {
    /// Free text, ignored by the interpreter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The state the execution starts in.
    pub start_at: String,
    /// The states by name, in document order.
    pub states: IndexMap<String, State>,
    /// Execution time limit, after which the execution times out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_seconds: Option<u64>,
    /// The language version; only "1.0" exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// `JSONPath` (the default) or `JSONata`, for every state that does not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query_language: Option<String>,
}

impl StateMachine {
    /// Whether `state` uses JSONata: its own `QueryLanguage`, else the machine's.
    pub fn is_jsonata(&self, state: &State) -> bool {
        state
            .query_language()
            .or(self.query_language.as_deref())
            .is_some_and(|q| q == JSONATA)
    }
}

/// The `QueryLanguage` value of JSONata states.
pub const JSONATA: &str = "JSONata";
/// The `QueryLanguage` value of JSONPath states (the default).
pub const JSONPATH: &str = "JSONPath";

/// A set of states with an entry point: a Parallel branch or a Map's item processor.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Branch {
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The state the branch starts in.
    pub start_at: String,
    /// The states by name.
    pub states: IndexMap<String, State>,
    /// Map only: `{"Mode": "INLINE"}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub processor_config: Option<Value>,
}

/// One state, dispatched on its `Type`.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(tag = "Type")]
#[expect(
    clippy::large_enum_variant,
    reason = "a definition is parsed once per revision and shared; boxing buys nothing"
)]
pub enum State {
    /// Passes its input (or a fixed result) on.
    Pass(Pass),
    /// Does work through a resource: an activity or a nested execution.
    Task(Task),
    /// Branches on rules over the input.
    Choice(Choice),
    /// Waits for a time span or until a timestamp.
    Wait(Wait),
    /// Ends the branch successfully.
    Succeed(Succeed),
    /// Ends the execution with an error.
    Fail(Fail),
    /// Runs branches concurrently.
    Parallel(Parallel),
    /// Runs an item processor for every item of an array.
    Map(Map),
}

/// Where a state goes next: another state or the end of its branch.
#[derive(Debug, Clone, PartialEq)]
pub enum Transition {
    /// Continue with the named state.
    Next(String),
    /// The branch (or the execution) ends here.
    End,
}

/// A JSONPath field that may be absent (`$`), `null`, or a path.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum PathField {
    /// The field is absent: the whole value (`$`).
    #[default]
    Root,
    /// The field is `null`: `{}` for `InputPath`/`OutputPath`, discard for `ResultPath`.
    Null,
    /// An explicit path.
    Path(String),
}

impl PathField {
    /// The path text, if any (`$` for the default).
    pub fn as_str(&self) -> Option<&str> {
        match self {
            PathField::Root => Some("$"),
            PathField::Null => None,
            PathField::Path(p) => Some(p),
        }
    }

    pub(crate) fn is_root(&self) -> bool {
        matches!(self, PathField::Root)
    }
}

impl<'de> Deserialize<'de> for PathField {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match Option::<String>::deserialize(d)? {
            None => PathField::Null,
            Some(p) => PathField::Path(p),
        })
    }
}

impl Serialize for PathField {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            PathField::Root => s.serialize_str("$"),
            PathField::Null => s.serialize_none(),
            PathField::Path(p) => s.serialize_str(p),
        }
    }
}

/// A field that JSONata states may also give as a `{% ... %}` expression.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum OrExpr<T> {
    /// A literal value.
    Value(T),
    /// An expression (or, in a JSONPath state, a string the validator refuses).
    Expr(String),
}

impl<T: Copy> OrExpr<T> {
    /// The literal value, if the field holds one.
    pub fn fixed(&self) -> Option<T> {
        match self {
            OrExpr::Value(v) => Some(*v),
            OrExpr::Expr(_) => None,
        }
    }
}

/// A retry policy of a Task, Parallel or Map state.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Retrier {
    /// Error names this retrier applies to.
    pub error_equals: Vec<String>,
    /// Seconds before the first retry (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval_seconds: Option<u64>,
    /// Retries at most (default 3; 0 never retries).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_attempts: Option<u64>,
    /// Multiplier of the interval per attempt (default 2.0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backoff_rate: Option<f64>,
    /// Upper bound of the interval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_delay_seconds: Option<u64>,
    /// `FULL` or `NONE` (default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jitter_strategy: Option<String>,
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// A fallback transition of a Task, Parallel or Map state.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Catcher {
    /// Error names this catcher applies to.
    pub error_equals: Vec<String>,
    /// The state to go to.
    pub next: String,
    /// Where the error output goes in the input (default `$`).
    #[serde(default, skip_serializing_if = "PathField::is_root")]
    pub result_path: PathField,
    /// Variables to set from the error output.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assign: Option<Value>,
    /// JSONata: the output the next state gets (default `$states.errorOutput`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<Value>,
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

impl<'de> Deserialize<'de> for State {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut obj = serde_json::Map::deserialize(d)?;
        let ty = match obj.remove("Type") {
            Some(Value::String(t)) => t,
            Some(_) => return Err(de::Error::custom("'Type' must be a string")),
            None => return Err(de::Error::custom("missing required field 'Type'")),
        };
        let body = Value::Object(obj);
        fn body_as<T: serde::de::DeserializeOwned, E: de::Error>(v: Value) -> Result<T, E> {
            serde_json::from_value(v).map_err(|e| E::custom(e.to_string()))
        }
        Ok(match ty.as_str() {
            "Pass" => State::Pass(body_as(body)?),
            "Task" => State::Task(body_as(body)?),
            "Choice" => State::Choice(body_as(body)?),
            "Wait" => State::Wait(body_as(body)?),
            "Succeed" => State::Succeed(body_as(body)?),
            "Fail" => State::Fail(body_as(body)?),
            "Parallel" => State::Parallel(body_as(body)?),
            "Map" => State::Map(body_as(body)?),
            other => return Err(de::Error::custom(format!("unknown state type '{other}'"))),
        })
    }
}

/// Parses a definition's JSON text; the message reads like Step Functions' own.
pub fn parse(text: &str) -> Result<StateMachine, String> {
    serde_json::from_str(text).map_err(|e| {
        if e.is_syntax() || e.is_eof() {
            format!("INVALID_JSON_DESCRIPTION: {e}")
        } else {
            format!("SCHEMA_VALIDATION_FAILED: {e}")
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_minimal_machine_with_path_fields() {
        // Arrange
        let text = r#"{"StartAt":"A","States":{"A":{"Type":"Pass","InputPath":null,"ResultPath":"$.r","End":true}}}"#;
        // Act
        let sm = parse(text).unwrap();
        // Assert
        let State::Pass(p) = &sm.states["A"] else {
            panic!("not a pass state")
        };
        assert_eq!(p.input_path, PathField::Null);
        assert_eq!(p.result_path, PathField::Path("$.r".into()));
        assert_eq!(p.output_path, PathField::Root);
        assert_eq!(sm.states["A"].transition(), Transition::End);
    }

    #[test]
    fn unknown_fields_are_refused() {
        let text = r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Bogus":1,"End":true}}}"#;
        let err = parse(text).unwrap_err();
        assert!(err.starts_with("SCHEMA_VALIDATION_FAILED"), "{err}");
        assert!(err.contains("Bogus"), "{err}");
    }

    #[test]
    fn unknown_state_types_are_refused() {
        let err = parse(r#"{"StartAt":"A","States":{"A":{"Type":"Lambda"}}}"#).unwrap_err();
        assert!(err.contains("unknown state type 'Lambda'"), "{err}");
    }
}
