//! Task states: work done by a resource.

use serde_json::Value;

use super::chain::{Chain, Node};
use super::fields::{Fields, setters};
use super::recovery::{Catch, Recovery, Retry};

const TASK_ORDER: &[&str] = &[
    "Comment",
    "Resource",
    "InputPath",
    "Parameters",
    "ResultSelector",
    "ResultPath",
    "OutputPath",
    "HeartbeatSeconds",
    "HeartbeatSecondsPath",
    "TimeoutSeconds",
    "TimeoutSecondsPath",
    "Retry",
    "Catch",
];

/// A Task state: work done by a resource (a service integration, an
/// activity, a nested state machine) given as any string.
#[derive(Debug, Clone)]
pub struct Task {
    name: String,
    fields: Fields,
    recovery: Recovery,
}

impl Task {
    /// A Task named `name` on `resource`, such as
    /// `arn:aws:states:::states:startExecution.sync:2`.
    pub fn new(name: impl Into<String>, resource: impl Into<String>) -> Self {
        let mut fields = Fields::default();
        fields.set("Resource", Value::String(resource.into()));
        Self {
            name: name.into(),
            fields,
            recovery: Recovery::default(),
        }
    }

    /// A Task on the activity that deploy substitutes for `${substitution}`:
    /// a human step.
    pub fn activity(name: impl Into<String>, substitution: &str) -> Self {
        Self::new(name, format!("${{{substitution}}}"))
    }

    /// Retries the task on the errors `retry` names.
    pub fn retry(mut self, retry: Retry) -> Self {
        self.recovery.retries.push(retry);
        self
    }

    /// Goes to `catch`'s handler on the errors it names.
    pub fn catch(mut self, catch: Catch) -> Self {
        self.recovery.catches.push(catch);
        self
    }
}

setters!(Task {
    /// `Comment`: a note for people.
    comment(text) => "Comment";
    /// `InputPath`: the part of the input the task sees.
    input_path(text) => "InputPath";
    /// `Parameters`: the task's input, with `.$` keys taken from the state's input.
    parameters(json) => "Parameters";
    /// `ResultSelector`: the part of the result kept.
    result_selector(json) => "ResultSelector";
    /// `ResultPath`: where in the input the result goes.
    result_path(text) => "ResultPath";
    /// `OutputPath`: the part of the output passed on.
    output_path(text) => "OutputPath";
    /// `HeartbeatSeconds`: how long the worker may go without a heartbeat.
    heartbeat_seconds(count) => "HeartbeatSeconds";
    /// `HeartbeatSecondsPath`: the heartbeat interval, read from the input.
    heartbeat_seconds_path(text) => "HeartbeatSecondsPath";
    /// `TimeoutSeconds`: how long the task may take.
    timeout_seconds(count) => "TimeoutSeconds";
    /// `TimeoutSecondsPath`: how long the task may take, read from the input.
    timeout_seconds_path(text) => "TimeoutSecondsPath";
});

impl From<Task> for Chain {
    fn from(task: Task) -> Self {
        let mut node = Node::new(task.name, "Task", TASK_ORDER, true);
        node.fields = task.fields;
        task.recovery.into_chain(node)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::builder::StateMachine;

    #[test]
    fn a_tasks_fields_come_in_asl_order_whatever_order_they_were_set_in() {
        // Arrange
        let task = Task::activity("Review", "ReviewActivityArn")
            .timeout_seconds(300)
            .result_path("$.Review")
            .parameters(json!({"Case.$": "$"}))
            .comment("A person reviews.");

        // Act
        let built = StateMachine::new(task).build().expect("builds");

        // Assert
        assert_eq!(
            built["States"]["Review"].to_string(),
            r#"{"Type":"Task","Comment":"A person reviews.","Resource":"${ReviewActivityArn}","Parameters":{"Case.$":"$"},"ResultPath":"$.Review","TimeoutSeconds":300,"End":true}"#
        );
    }

    #[test]
    fn a_catch_handler_follows_its_task_and_ends_unless_chained_on() {
        // Arrange
        let task = Task::new("Charge", "arn:aws:states:::lambda:invoke").catch(Catch::new(
            ["Declined"],
            crate::builder::Pass::new("Refund"),
        ));

        // Act
        let built =
            StateMachine::new(Chain::start(task).next(crate::builder::Succeed::new("Done")))
                .build()
                .expect("builds");

        // Assert
        let names: Vec<&String> = built["States"]
            .as_object()
            .expect("states")
            .keys()
            .collect();
        assert_eq!(names, ["Charge", "Refund", "Done"]);
        assert_eq!(built["States"]["Charge"]["Next"], "Done");
        assert_eq!(built["States"]["Refund"]["End"], true);
    }
}
