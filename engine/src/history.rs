//! Execution history events, as the Step Functions API shapes them.

use serde_json::{Map, Value, json};

use crate::clock::{Millis, to_epoch_seconds};

/// One history event of an execution.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// 1-based, in order of occurrence.
    pub id: u64,
    /// The event this one follows from (0 for the first).
    pub previous_id: u64,
    /// When it happened.
    pub timestamp: Millis,
    /// The AWS event type, e.g. `TaskStateEntered`.
    pub kind: String,
    /// The details object's field name and value, e.g.
    /// `("stateEnteredEventDetails", {...})`, or `None`.
    pub details: Option<(String, Value)>,
}

impl Event {
    /// The event as the API returns it; `include_data` false drops inputs and outputs.
    pub fn to_json(&self, include_data: bool) -> Value {
        let mut obj = Map::new();
        obj.insert("timestamp".into(), json!(to_epoch_seconds(self.timestamp)));
        obj.insert("type".into(), json!(self.kind));
        obj.insert("id".into(), json!(self.id));
        obj.insert("previousEventId".into(), json!(self.previous_id));
        if let Some((field, details)) = &self.details {
            let mut details = details.clone();
            if !include_data {
                strip_data(&mut details);
            }
            obj.insert(field.clone(), details);
        }
        Value::Object(obj)
    }
}

fn strip_data(details: &mut Value) {
    if let Value::Object(d) = details {
        for field in ["input", "output", "parameters", "assignedVariables"] {
            d.remove(field);
        }
    }
}

/// The details of an event under construction.
#[derive(Debug, Clone)]
pub struct NewEvent {
    /// The AWS event type.
    pub kind: &'static str,
    /// The details field name and value.
    pub details: Option<(&'static str, Value)>,
}

impl NewEvent {
    /// An event with no details.
    pub fn bare(kind: &'static str) -> Self {
        Self {
            kind,
            details: None,
        }
    }

    /// An event with a details object under `field`.
    pub fn with(kind: &'static str, field: &'static str, details: Value) -> Self {
        Self {
            kind,
            details: Some((field, details)),
        }
    }

    /// `<Type>StateEntered` with the state's raw input.
    pub fn state_entered(kind: &'static str, name: &str, input: &Value) -> Self {
        Self::with(
            kind,
            "stateEnteredEventDetails",
            json!({ "name": name, "input": input.to_string(), "inputDetails": {"truncated": false} }),
        )
    }

    /// `<Type>StateExited` with the state's output.
    pub fn state_exited(kind: &'static str, name: &str, output: &Value) -> Self {
        Self::with(
            kind,
            "stateExitedEventDetails",
            json!({ "name": name, "output": output.to_string(), "outputDetails": {"truncated": false} }),
        )
    }

    /// A `*StateExited` event that also lists the variables the state assigned,
    /// each as JSON text, as AWS records them.
    pub fn state_exited_assigning(
        kind: &'static str,
        name: &str,
        output: &Value,
        assigned: &serde_json::Map<String, Value>,
    ) -> Self {
        let mut event = Self::state_exited(kind, name, output);
        if let Some((_, Value::Object(details))) = &mut event.details {
            let texts: serde_json::Map<String, Value> = assigned
                .iter()
                .map(|(k, v)| (k.clone(), Value::String(v.to_string())))
                .collect();
            details.insert("assignedVariables".into(), Value::Object(texts));
            details.insert(
                "assignedVariablesDetails".into(),
                json!({ "truncated": false }),
            );
        }
        event
    }
}

/// The event types of each state type: (entered, exited).
pub fn state_event_kinds(state_type: &str) -> (&'static str, &'static str) {
    match state_type {
        "Pass" => ("PassStateEntered", "PassStateExited"),
        "Task" => ("TaskStateEntered", "TaskStateExited"),
        "Choice" => ("ChoiceStateEntered", "ChoiceStateExited"),
        "Wait" => ("WaitStateEntered", "WaitStateExited"),
        "Succeed" => ("SucceedStateEntered", "SucceedStateExited"),
        "Fail" => ("FailStateEntered", "FailStateExited"),
        "Parallel" => ("ParallelStateEntered", "ParallelStateExited"),
        _ => ("MapStateEntered", "MapStateExited"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_serialize_in_the_api_shape_and_can_hide_data() {
        // Arrange
        let e = Event {
            id: 2,
            previous_id: 1,
            timestamp: 1_500,
            kind: "PassStateEntered".into(),
            details: Some((
                "stateEnteredEventDetails".into(),
                json!({"name": "A", "input": "{}"}),
            )),
        };
        // Act
        let with = e.to_json(true);
        let without = e.to_json(false);
        // Assert
        assert_eq!(
            with,
            json!({"timestamp": 1.5, "type": "PassStateEntered", "id": 2, "previousEventId": 1,
                   "stateEnteredEventDetails": {"name": "A", "input": "{}"}})
        );
        assert_eq!(without["stateEnteredEventDetails"], json!({"name": "A"}));
    }
}
