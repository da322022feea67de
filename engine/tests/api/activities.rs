//! Activities, long polls, heartbeats and task timeouts.

use std::sync::Arc;
use std::time::Duration;

use aws_sdk_sfn::types::ExecutionStatus;
use engine::clock::ManualClock;

use crate::helpers::{code, spawn_engine, spawn_on, task_machine};

const START: i64 = 1_800_000_000_000;

#[tokio::test]
async fn creating_an_activity_twice_returns_the_same_activity() {
    // Arrange
    let t = spawn_engine().await;
    // Act
    let first = t.activity("Assign").await;
    let second = t.activity("Assign").await;
    let listed = t.client.list_activities().send().await.unwrap();
    // Assert
    assert_eq!(first, second);
    assert_eq!(listed.activities.len(), 1);
    let described = t
        .client
        .describe_activity()
        .activity_arn(&first)
        .send()
        .await
        .unwrap();
    assert_eq!(described.name, "Assign");
}

#[tokio::test]
async fn a_deleted_activity_no_longer_exists() {
    let t = spawn_engine().await;
    let arn = t.activity("Gone").await;
    t.client
        .delete_activity()
        .activity_arn(&arn)
        .send()
        .await
        .unwrap();
    let err = t
        .client
        .describe_activity()
        .activity_arn(&arn)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "ActivityDoesNotExist");
    let err = t
        .client
        .get_activity_task()
        .activity_arn(&arn)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "ActivityDoesNotExist");
}

#[tokio::test]
async fn a_long_poll_with_no_task_returns_no_token_when_it_times_out() {
    // Arrange
    let clock = Arc::new(ManualClock::new(START));
    let dir = tempfile::tempdir().unwrap();
    let t = spawn_on(
        dir.path().join("e.db"),
        clock.clone(),
        Duration::from_secs(60),
    )
    .await;
    let arn = t.activity("Idle").await;
    let poll = tokio::spawn({
        let client = t.client.clone();
        async move { client.get_activity_task().activity_arn(arn).send().await }
    });
    tokio::time::sleep(Duration::from_millis(50)).await;
    // Act
    clock.advance(Duration::from_secs(61));
    let out = tokio::time::timeout(Duration::from_secs(5), poll)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    // Assert
    assert_eq!(out.task_token.unwrap_or_default(), "");
}

#[tokio::test]
async fn a_waiting_poller_gets_a_task_scheduled_after_it_started_polling() {
    // Arrange
    let t = spawn_engine().await;
    let arn = t.activity("Later").await;
    let machine = t.machine("Later", &task_machine(&arn)).await;
    let poll = tokio::spawn({
        let client = t.client.clone();
        let arn = arn.clone();
        async move { client.get_activity_task().activity_arn(arn).send().await }
    });
    tokio::time::sleep(Duration::from_millis(50)).await;
    // Act
    t.start(&machine, "later-1", r#"{"x":1}"#).await;
    let out = tokio::time::timeout(Duration::from_secs(5), poll)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    // Assert
    assert!(out.task_token.is_some_and(|t| !t.is_empty()));
    assert_eq!(out.input.as_deref(), Some(r#"{"x":1}"#));
}

fn heartbeat_machine(activity: &str) -> String {
    format!(
        r#"{{"StartAt":"Work","States":{{"Work":{{"Type":"Task","Resource":"{activity}",
            "HeartbeatSeconds":10,
            "Retry":[{{"ErrorEquals":["States.HeartbeatTimeout"],"IntervalSeconds":2,"MaxAttempts":1}}],
            "End":true}}}}}}"#
    )
}

#[tokio::test]
async fn a_silent_worker_times_out_and_the_retry_schedules_the_task_again() {
    // Arrange
    let clock = Arc::new(ManualClock::new(START));
    let dir = tempfile::tempdir().unwrap();
    let t = spawn_on(
        dir.path().join("e.db"),
        clock.clone(),
        Duration::from_secs(60),
    )
    .await;
    let arn = t.activity("Work").await;
    let machine = t.machine("Beat", &heartbeat_machine(&arn)).await;
    let execution = t.start(&machine, "beat-1", "{}").await;
    let (lost, _) = t.take(&arn).await;
    // Act
    clock.advance(Duration::from_secs(11));
    tokio::time::sleep(Duration::from_millis(50)).await;
    clock.advance(Duration::from_secs(3));
    let (token, _) = t.take(&arn).await;
    t.succeed(&token, r#"{"done":1}"#).await;
    // Assert
    assert_eq!(t.finished(&execution).await.0, ExecutionStatus::Succeeded);
    let err = t
        .client
        .send_task_success()
        .task_token(&lost)
        .output("{}")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "TaskTimedOut");
    let history = t.history(&execution).await;
    assert_eq!(
        history.iter().filter(|e| *e == "ActivityTimedOut").count(),
        1
    );
    assert_eq!(
        history.iter().filter(|e| *e == "ActivityScheduled").count(),
        2
    );
}

#[tokio::test]
async fn heartbeats_keep_a_task_alive() {
    // Arrange
    let clock = Arc::new(ManualClock::new(START));
    let dir = tempfile::tempdir().unwrap();
    let t = spawn_on(
        dir.path().join("e.db"),
        clock.clone(),
        Duration::from_secs(60),
    )
    .await;
    let arn = t.activity("Work").await;
    let machine = t.machine("Beat", &heartbeat_machine(&arn)).await;
    let execution = t.start(&machine, "beat-2", "{}").await;
    let (token, _) = t.take(&arn).await;
    // Act
    for _ in 0..3 {
        clock.advance(Duration::from_secs(8));
        t.client
            .send_task_heartbeat()
            .task_token(&token)
            .send()
            .await
            .unwrap();
    }
    tokio::time::sleep(Duration::from_millis(50)).await;
    t.succeed(&token, "{}").await;
    // Assert
    assert_eq!(t.finished(&execution).await.0, ExecutionStatus::Succeeded);
    assert!(
        !t.history(&execution)
            .await
            .iter()
            .any(|e| e == "ActivityTimedOut")
    );
}

#[tokio::test]
async fn a_task_completed_twice_is_refused_the_second_time() {
    let t = spawn_engine().await;
    let arn = t.activity("Once").await;
    let machine = t.machine("Once", &task_machine(&arn)).await;
    t.start(&machine, "once-1", "{}").await;
    let (token, _) = t.take(&arn).await;
    t.succeed(&token, "{}").await;
    let err = t
        .client
        .send_task_success()
        .task_token(&token)
        .output("{}")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "TaskDoesNotExist");
    let err = t
        .client
        .send_task_failure()
        .task_token(&token)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "TaskDoesNotExist");
}

#[tokio::test]
async fn a_failed_task_is_caught_with_its_error_and_cause() {
    let t = spawn_engine().await;
    let arn = t.activity("Risky").await;
    let machine = t
        .machine(
            "Risky",
            &format!(
                r#"{{"StartAt":"A","States":{{
                "A":{{"Type":"Task","Resource":"{arn}","Catch":[{{"ErrorEquals":["Custom.Broken"],"ResultPath":"$.err","Next":"B"}}],"End":true}},
                "B":{{"Type":"Pass","End":true}}}}}}"#
            ),
        )
        .await;
    let execution = t.start(&machine, "risky-1", r#"{"keep":true}"#).await;
    let (token, _) = t.take(&arn).await;
    t.client
        .send_task_failure()
        .task_token(&token)
        .error("Custom.Broken")
        .cause("the printer is on fire")
        .send()
        .await
        .unwrap();
    let (status, output, _) = t.finished(&execution).await;
    assert_eq!(status, ExecutionStatus::Succeeded);
    let output: serde_json::Value = serde_json::from_str(&output.unwrap()).unwrap();
    assert_eq!(output["keep"], true);
    assert_eq!(output["err"]["Error"], "Custom.Broken");
    assert_eq!(output["err"]["Cause"], "the printer is on fire");
}

#[tokio::test]
async fn a_task_past_its_timeout_fails_with_states_timeout() {
    let clock = Arc::new(ManualClock::new(START));
    let dir = tempfile::tempdir().unwrap();
    let t = spawn_on(
        dir.path().join("e.db"),
        clock.clone(),
        Duration::from_secs(60),
    )
    .await;
    let arn = t.activity("Slow").await;
    let machine = t
        .machine("Slow", &format!(r#"{{"StartAt":"A","States":{{"A":{{"Type":"Task","Resource":"{arn}","TimeoutSeconds":5,"End":true}}}}}}"#))
        .await;
    let execution = t.start(&machine, "slow-1", "{}").await;
    clock.advance(Duration::from_secs(6));
    let (status, _, error) = t.finished(&execution).await;
    assert_eq!(status, ExecutionStatus::Failed);
    assert_eq!(error.as_deref(), Some("States.Timeout"));
}
