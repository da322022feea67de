//! What kind of step a state is.

use serde_json::{Map, Value};

/// What kind of step a state is, as the pictures tell it apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepKind {
    /// A Task that a program does.
    Task,
    /// A Task on an activity: a person does it in Stepdesk.
    HumanTask,
    /// A Task that runs another state machine (`states:startExecution`).
    Workflow,
    /// A Choice between paths.
    Choice,
    /// A Pass state.
    Pass,
    /// A Wait state.
    Wait,
    /// A Succeed state.
    Succeed,
    /// A Fail state.
    Fail,
    /// A Parallel state: its branches run at once.
    Parallel,
    /// A Map state: its item processor runs per item.
    Map,
    /// A state of a type this picture does not know, with that type.
    Other(String),
}

impl StepKind {
    pub(super) fn of(state: &Map<String, Value>, type_name: &str) -> Self {
        match type_name {
            "Task" if is_activity(state.get("Resource")) => Self::HumanTask,
            "Task" if starts_execution(state.get("Resource")) => Self::Workflow,
            "Task" => Self::Task,
            "Choice" => Self::Choice,
            "Pass" => Self::Pass,
            "Wait" => Self::Wait,
            "Succeed" => Self::Succeed,
            "Fail" => Self::Fail,
            "Parallel" => Self::Parallel,
            "Map" => Self::Map,
            other => Self::Other(other.to_owned()),
        }
    }

    /// The kind in words, for people.
    pub fn label(&self) -> &str {
        match self {
            Self::Task => "Task",
            Self::HumanTask => "Human task",
            Self::Workflow => "Nested workflow",
            Self::Choice => "Choice",
            Self::Pass => "Pass",
            Self::Wait => "Wait",
            Self::Succeed => "Succeed",
            Self::Fail => "Fail",
            Self::Parallel => "Parallel",
            Self::Map => "Map",
            Self::Other(name) => name,
        }
    }

    /// The CSS class of a state of this kind.
    pub fn class(&self) -> &'static str {
        match self {
            Self::Task | Self::HumanTask | Self::Workflow => "state-task",
            Self::Choice => "state-choice",
            Self::Pass => "state-pass",
            Self::Wait => "state-wait",
            Self::Succeed => "state-succeed",
            Self::Fail => "state-fail",
            Self::Parallel => "state-parallel",
            Self::Map => "state-map",
            Self::Other(_) => "state-other",
        }
    }
}

/// An activity ARN, or the `${...ActivityArn}` substitution deploy replaces by one.
fn is_activity(resource: Option<&Value>) -> bool {
    let Some(resource) = resource.and_then(Value::as_str) else {
        return false;
    };
    let substituted = resource.starts_with("${") && resource.ends_with("ActivityArn}");
    substituted || (resource.starts_with("arn:") && resource.contains(":activity:"))
}

/// `arn:aws:states:::states:startExecution`, plain or `.sync[:2]`.
fn starts_execution(resource: Option<&Value>) -> bool {
    resource
        .and_then(Value::as_str)
        .is_some_and(|r| r.starts_with("arn:aws:states:::states:startExecution"))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn kind_of(state: Value) -> StepKind {
        let state = state.as_object().cloned().unwrap_or_default();
        let type_name = state.get("Type").and_then(Value::as_str).unwrap_or("");
        StepKind::of(&state, type_name)
    }

    #[test]
    fn a_task_on_an_activity_is_a_human_task_and_one_starting_an_execution_a_nested_workflow() {
        // Arrange
        let substituted = json!({"Type": "Task", "Resource": "${AssignActivityArn}"});
        let arn = json!({"Type": "Task", "Resource": "arn:aws:states:us-east-1:1:activity:x"});
        let lambda = json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke"});
        let nested =
            json!({"Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync:2"});

        // Act
        let kinds = [
            kind_of(substituted),
            kind_of(arn),
            kind_of(lambda),
            kind_of(nested),
        ];

        // Assert
        assert_eq!(
            kinds,
            [
                StepKind::HumanTask,
                StepKind::HumanTask,
                StepKind::Task,
                StepKind::Workflow
            ]
        );
    }

    #[test]
    fn an_unknown_type_keeps_its_name() {
        // Arrange
        let state = json!({"Type": "Teleport"});

        // Act
        let kind = kind_of(state);

        // Assert
        assert_eq!(kind.label(), "Teleport");
        assert_eq!(kind.class(), "state-other");
    }
}
