//! The Choice state (placeholder, being written).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::definition::PathField;

/// `Type: Choice`.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Choice {
    /// Free text.
    #[serde(default)]
    pub comment: Option<String>,
    /// The rules, tried in order.
    pub choices: Vec<ChoiceRule>,
    /// The state when no rule matches.
    #[serde(default)]
    pub default: Option<String>,
    /// Selects the state's effective input.
    #[serde(default)]
    pub input_path: PathField,
    /// Selects the state's output.
    #[serde(default)]
    pub output_path: PathField,
}

/// One rule (placeholder).
pub type ChoiceRule = Value;

impl Choice {
    /// Interim.
    pub fn next_state(&self, _input: &Value, _ctx: &Value) -> Result<&str, crate::Failure> {
        self.default
            .as_deref()
            .ok_or_else(|| crate::Failure::new("States.NoChoiceMatched", ""))
    }
    /// Interim.
    pub fn targets(&self) -> Vec<&str> {
        self.default.iter().map(|s| s.as_str()).collect()
    }
    /// Interim.
    pub fn check(&self, _at: &str) -> Vec<String> {
        Vec::new()
    }
}
