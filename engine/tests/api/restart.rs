//! Everything the API accepted survives a stop of the process.

use std::sync::Arc;
use std::time::Duration;

use aws_sdk_sfn::types::ExecutionStatus;
use engine::clock::{Clock, ManualClock};

use crate::helpers::{case_workflow, spawn_on, task_machine};

const START: i64 = 1_800_000_000_000;

fn waiting_machine() -> &'static str {
    r#"{"StartAt":"Nap","States":{
        "Nap":{"Type":"Wait","Seconds":30,"Next":"Done"},
        "Done":{"Type":"Pass","Result":{"rested":true},"End":true}}}"#
}

#[tokio::test]
async fn a_pending_activity_task_survives_a_restart_and_can_be_completed() {
    // Arrange
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("engine.db");
    let clock: Arc<dyn Clock> = Arc::new(ManualClock::new(START));
    let first = spawn_on(db.clone(), clock.clone(), Duration::from_secs(60)).await;
    let assign = first.activity("AssignCase").await;
    let work = first.activity("WorkOnCase").await;
    // This case never escalates: its nested machine need not exist.
    let escalation = "arn:aws:states:us-east-1:123456789012:stateMachine:CaseEscalation";
    let machine = first
        .machine("Case", &case_workflow(&assign, &work, escalation))
        .await;
    let input = r#"{"CaseId":"c1","Title":"t","Priority":"low","SlaSeconds":3600}"#;
    let execution = first.start(&machine, "c1", input).await;
    let (token, _) = first.take(&assign).await;
    // Act
    first.stop();
    let second = spawn_on(db.clone(), clock.clone(), Duration::from_secs(60)).await;
    second.succeed(&token, r#"{"Assignee":"olive"}"#).await;
    let (token, task) = second.take(&work).await;
    second.succeed(&token, r#"{"Status":1}"#).await;
    // Assert
    assert_eq!(task["Case"]["Assignment"]["Assignee"], "olive");
    assert_eq!(
        second.finished(&execution).await.0,
        ExecutionStatus::Succeeded
    );
}

#[tokio::test]
async fn a_task_queued_before_a_restart_is_handed_out_after_it() {
    // Arrange
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("engine.db");
    let clock: Arc<dyn Clock> = Arc::new(ManualClock::new(START));
    let first = spawn_on(db.clone(), clock.clone(), Duration::from_secs(60)).await;
    let assign = first.activity("AssignCase").await;
    let machine = first.machine("One", &task_machine(&assign)).await;
    let execution = first.start(&machine, "queued", r#"{"n":1}"#).await;
    // Act
    first.stop();
    let second = spawn_on(db, clock, Duration::from_secs(60)).await;
    let (token, input) = second.take(&assign).await;
    second.succeed(&token, r#"{"ok":true}"#).await;
    // Assert
    assert_eq!(input["n"], 1);
    let (status, output, _) = second.finished(&execution).await;
    assert_eq!(status, ExecutionStatus::Succeeded);
    assert_eq!(output.as_deref(), Some(r#"{"ok":true}"#));
}

#[tokio::test]
async fn a_wait_that_expired_while_the_engine_was_down_fires_on_restart() {
    // Arrange
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("engine.db");
    let clock = Arc::new(ManualClock::new(START));
    let first = spawn_on(db.clone(), clock.clone(), Duration::from_secs(60)).await;
    let machine = first.machine("Napper", waiting_machine()).await;
    let execution = first.start(&machine, "nap-1", "{}").await;
    first.stop();
    // Act
    clock.advance(Duration::from_secs(31));
    let second = spawn_on(db, clock.clone(), Duration::from_secs(60)).await;
    // Assert
    let (status, output, _) = second.finished(&execution).await;
    assert_eq!(status, ExecutionStatus::Succeeded);
    assert_eq!(output.as_deref(), Some(r#"{"rested":true}"#));
}

#[tokio::test]
async fn a_wait_still_running_after_a_restart_fires_at_its_deadline() {
    // Arrange
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("engine.db");
    let clock = Arc::new(ManualClock::new(START));
    let first = spawn_on(db.clone(), clock.clone(), Duration::from_secs(60)).await;
    let machine = first.machine("Napper", waiting_machine()).await;
    let execution = first.start(&machine, "nap-2", "{}").await;
    first.stop();
    let second = spawn_on(db, clock.clone(), Duration::from_secs(60)).await;
    clock.advance(Duration::from_secs(10));
    tokio::time::sleep(Duration::from_millis(50)).await;
    let early = second
        .client
        .describe_execution()
        .execution_arn(&execution)
        .send()
        .await
        .unwrap()
        .status;
    // Act
    clock.advance(Duration::from_secs(25));
    // Assert
    assert_eq!(early, ExecutionStatus::Running);
    assert_eq!(
        second.finished(&execution).await.0,
        ExecutionStatus::Succeeded
    );
}
