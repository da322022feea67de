//! JSONata workflows with workflow variables, end to end through `aws-sdk-sfn`:
//! activities fed by `Arguments`, results read by `Output` and `Assign`,
//! Map and Parallel scopes, redrive and restart.

use std::sync::Arc;
use std::time::Duration;

use aws_sdk_sfn::types::ExecutionStatus;
use engine::clock::{Clock, ManualClock};
use serde_json::{Value, json};

use crate::helpers::{spawn_engine, spawn_on};

/// A JSONata case workflow: the task input is built by `Arguments`, the
/// worker's answer is kept by `Assign` and shaped by `Output`.
fn review_machine(activity: &str) -> String {
    json!({
        "QueryLanguage": "JSONata",
        "StartAt": "Open",
        "States": {
            "Open": {
                "Type": "Pass",
                "Assign": {"caseId": "{% $states.input.id %}", "opened": "{% $states.context.Execution.Name %}"},
                "Next": "Review"
            },
            "Review": {
                "Type": "Task",
                "Resource": activity,
                "Arguments": {
                    "case": "{% $caseId %}",
                    "title": "{% $uppercase($states.input.title) %}",
                    "state": "{% $states.context.State.Name %}"
                },
                "TimeoutSeconds": "{% 60 * 60 %}",
                "HeartbeatSeconds": "{% $states.input.heartbeat %}",
                "Assign": {"decision": "{% $states.result.decision %}"},
                "Output": {"by": "{% $states.result.by %}", "title": "{% $states.input.title %}"},
                "Next": "Decide"
            },
            "Decide": {
                "Type": "Choice",
                "Choices": [{"Condition": "{% $decision = 'approve' %}", "Next": "Approved"}],
                "Default": "Rejected"
            },
            "Approved": {
                "Type": "Pass",
                "Output": {"case": "{% $caseId %}", "opened": "{% $opened %}", "by": "{% $states.input.by %}", "decision": "{% $decision %}"},
                "End": true
            },
            "Rejected": {"Type": "Fail", "Error": "Rejected", "Cause": "{% 'case ' & $caseId & ' rejected' %}"}
        }
    })
    .to_string()
}

#[tokio::test]
async fn a_jsonata_task_gets_its_input_from_arguments_and_its_result_feeds_output_and_assign() {
    // Arrange
    let t = spawn_engine().await;
    let arn = t.activity("Review").await;
    let machine = t.machine("Review", &review_machine(&arn)).await;
    let input = r#"{"id":"c-7","title":"broken printer","heartbeat":30}"#;
    let execution = t.start(&machine, "case-7", input).await;
    // Act
    let (token, task_input) = t.take(&arn).await;
    t.succeed(&token, r#"{"decision":"approve","by":"olive"}"#)
        .await;
    // Assert
    assert_eq!(
        task_input,
        json!({"case": "c-7", "title": "BROKEN PRINTER", "state": "Review"})
    );
    let (status, output, _) = t.finished(&execution).await;
    assert_eq!(status, ExecutionStatus::Succeeded);
    let output: Value = serde_json::from_str(&output.unwrap_or_default()).unwrap();
    assert_eq!(
        output,
        json!({"case": "c-7", "opened": "case-7", "by": "olive", "decision": "approve"})
    );
    let history = t
        .client
        .get_execution_history()
        .execution_arn(&execution)
        .send()
        .await
        .unwrap();
    let scheduled = history
        .events
        .iter()
        .find_map(|e| e.activity_scheduled_event_details.as_ref())
        .expect("scheduled");
    assert_eq!(scheduled.timeout_in_seconds, Some(3600));
    assert_eq!(scheduled.heartbeat_in_seconds, Some(30));
    let assigned = history
        .events
        .iter()
        .filter_map(|e| e.state_exited_event_details.as_ref())
        .find(|d| d.name == "Review")
        .and_then(|d| d.assigned_variables.clone())
        .expect("the variables Review assigned");
    assert_eq!(
        assigned,
        [("decision".to_owned(), "\"approve\"".to_owned())].into()
    );
}

#[tokio::test]
async fn a_rejection_fails_with_the_cause_the_expression_built() {
    // Arrange
    let t = spawn_engine().await;
    let arn = t.activity("Review").await;
    let machine = t.machine("Review", &review_machine(&arn)).await;
    let execution = t
        .start(
            &machine,
            "case-8",
            r#"{"id":"c-8","title":"t","heartbeat":30}"#,
        )
        .await;
    // Act
    let (token, _) = t.take(&arn).await;
    t.succeed(&token, r#"{"decision":"reject","by":"olive"}"#)
        .await;
    // Assert
    let (status, _, error) = t.finished(&execution).await;
    assert_eq!(status, ExecutionStatus::Failed);
    assert_eq!(error.as_deref(), Some("Rejected"));
    let d = t
        .client
        .describe_execution()
        .execution_arn(&execution)
        .send()
        .await
        .unwrap();
    assert_eq!(d.cause.as_deref(), Some("case c-8 rejected"));
}

/// A Map whose iterations are activity tasks and a Parallel whose branches
/// assign variables of their own, both reading an outer variable.
fn fan_out_machine(activity: &str) -> String {
    json!({
        "QueryLanguage": "JSONata",
        "StartAt": "Setup",
        "States": {
            "Setup": {"Type": "Pass", "Assign": {"team": "{% $states.input.team %}", "note": "outer"}, "Next": "Each"},
            "Each": {
                "Type": "Map",
                "Items": "{% $states.input.cases %}",
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "INLINE"},
                    "StartAt": "Work",
                    "States": {
                        "Work": {
                            "Type": "Task",
                            "Resource": activity,
                            "Arguments": {"case": "{% $states.input %}", "team": "{% $team %}",
                                          "index": "{% $states.context.Map.Item.Index %}"},
                            "Assign": {"note": "{% 'inner ' & $states.result.done %}"},
                            "Output": {"case": "{% $states.input %}", "note": "{% $note %}"},
                            "End": true
                        }
                    }
                },
                "Assign": {"worked": "{% $count($states.result) %}"},
                "Next": "Both"
            },
            "Both": {
                "Type": "Parallel",
                "Arguments": {"results": "{% $states.input %}"},
                "Branches": [
                    {"StartAt": "L", "States": {
                        "L": {"Type": "Pass", "Assign": {"mine": "left"}, "Next": "L2"},
                        "L2": {"Type": "Pass", "Output": "{% $mine & ' ' & $team & ' ' & $string($worked) %}", "End": true}}},
                    {"StartAt": "R", "States": {
                        "R": {"Type": "Pass", "Output": "{% $exists($mine) ? 'leak' : $note %}", "End": true}}}
                ],
                "Output": {"branches": "{% $states.result %}", "note": "{% $note %}", "mine": "{% $exists($mine) %}"},
                "End": true
            }
        }
    })
    .to_string()
}

#[tokio::test]
async fn map_and_parallel_branches_read_outer_variables_and_keep_their_own() {
    // Arrange
    let t = spawn_engine().await;
    let arn = t.activity("Work").await;
    let machine = t.machine("FanOut", &fan_out_machine(&arn)).await;
    let execution = t
        .start(&machine, "fan", r#"{"team":"blue","cases":["a","b"]}"#)
        .await;
    // Act
    let mut inputs = Vec::new();
    for _ in 0..2 {
        let (token, input) = t.take(&arn).await;
        let done = input["case"].as_str().unwrap_or_default().to_owned();
        t.succeed(&token, &json!({ "done": done }).to_string())
            .await;
        inputs.push(input);
    }
    // Assert
    inputs.sort_by_key(|i| i["index"].as_u64());
    assert_eq!(
        inputs,
        [
            json!({"case": "a", "team": "blue", "index": 0}),
            json!({"case": "b", "team": "blue", "index": 1})
        ]
    );
    let (status, output, error) = t.finished(&execution).await;
    assert_eq!(status, ExecutionStatus::Succeeded, "{error:?}");
    let output: Value = serde_json::from_str(&output.unwrap_or_default()).unwrap();
    assert_eq!(
        output,
        json!({"branches": ["left blue 2", "outer"], "note": "outer", "mine": false})
    );
}

/// Assigns a variable, then hands work to an activity that reads it.
fn remembering_machine(activity: &str) -> String {
    json!({
        "QueryLanguage": "JSONata",
        "StartAt": "Remember",
        "States": {
            "Remember": {"Type": "Pass", "Assign": {"who": "{% $states.input.who %}"}, "Next": "Work"},
            "Work": {
                "Type": "Task",
                "Resource": activity,
                "Arguments": {"who": "{% $who %}"},
                "Output": {"who": "{% $who %}", "result": "{% $states.result %}"},
                "End": true
            }
        }
    })
    .to_string()
}

#[tokio::test]
async fn a_redriven_jsonata_task_runs_again_with_the_variables_it_had() {
    // Arrange
    let t = spawn_engine().await;
    let arn = t.activity("Flaky").await;
    let machine = t.machine("Remember", &remembering_machine(&arn)).await;
    let execution = t.start(&machine, "flaky", r#"{"who":"olive"}"#).await;
    let (token, _) = t.take(&arn).await;
    t.client
        .send_task_failure()
        .task_token(&token)
        .error("Broken")
        .send()
        .await
        .unwrap();
    assert_eq!(t.finished(&execution).await.0, ExecutionStatus::Failed);
    // Act
    t.client
        .redrive_execution()
        .execution_arn(&execution)
        .send()
        .await
        .unwrap();
    let (token, input) = t.take(&arn).await;
    t.succeed(&token, r#"{"fixed":true}"#).await;
    // Assert
    assert_eq!(input, json!({"who": "olive"}));
    let (status, output, _) = t.finished(&execution).await;
    assert_eq!(status, ExecutionStatus::Succeeded);
    let output: Value = serde_json::from_str(&output.unwrap_or_default()).unwrap();
    assert_eq!(output, json!({"who": "olive", "result": {"fixed": true}}));
}

#[tokio::test]
async fn variables_survive_a_restart_of_the_engine() {
    // Arrange
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("engine.db");
    let clock: Arc<dyn Clock> = Arc::new(ManualClock::new(1_800_000_000_000));
    let first = spawn_on(db.clone(), clock.clone(), Duration::from_secs(60)).await;
    let arn = first.activity("Work").await;
    let machine = first.machine("Remember", &remembering_machine(&arn)).await;
    let execution = first.start(&machine, "kept", r#"{"who":"ada"}"#).await;
    let (token, _) = first.take(&arn).await;
    // Act
    first.stop();
    let second = spawn_on(db, clock, Duration::from_secs(60)).await;
    second.succeed(&token, r#"{"ok":1}"#).await;
    // Assert
    let (status, output, _) = second.finished(&execution).await;
    assert_eq!(status, ExecutionStatus::Succeeded);
    let output: Value = serde_json::from_str(&output.unwrap_or_default()).unwrap();
    assert_eq!(output, json!({"who": "ada", "result": {"ok": 1}}));
}

#[tokio::test]
async fn a_failed_expression_is_recorded_as_evaluation_failed_with_its_field() {
    // Arrange
    let t = spawn_engine().await;
    let definition = json!({
        "QueryLanguage": "JSONata",
        "StartAt": "P",
        "States": {"P": {"Type": "Pass", "Output": {"v": "{% $states.input.absent %}"}, "End": true}}
    });
    let machine = t.machine("Undefined", &definition.to_string()).await;
    // Act
    let execution = t.start(&machine, "undefined", "{}").await;
    // Assert
    let (status, _, error) = t.finished(&execution).await;
    assert_eq!(status, ExecutionStatus::Failed);
    assert_eq!(error.as_deref(), Some("States.QueryEvaluationError"));
    let history = t
        .client
        .get_execution_history()
        .execution_arn(&execution)
        .send()
        .await
        .unwrap();
    let details = history
        .events
        .iter()
        .find_map(|e| e.evaluation_failed_event_details.as_ref())
        .expect("an EvaluationFailed event");
    assert_eq!(details.state, "P");
    assert_eq!(details.location.as_deref(), Some("Output/v"));
    assert_eq!(
        details.cause.as_deref(),
        Some(
            "The JSONata expression '$states.input.absent' specified for the field 'Output/v' returned nothing (undefined)."
        )
    );
}
