//! Starting, listing, describing, stopping and redriving executions.

use std::sync::Arc;
use std::time::Duration;

use aws_sdk_sfn::types::{ExecutionStatus, HistoryEventType};
use engine::clock::ManualClock;

use crate::helpers::{code, spawn_engine, spawn_on, task_machine};

const PASS: &str = r#"{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}"#;

#[tokio::test]
async fn starting_with_the_same_name_and_input_returns_the_same_execution() {
    // Arrange
    let t = spawn_engine().await;
    let arn = t.activity("Hold").await;
    let machine = t.machine("Hold", &task_machine(&arn)).await;
    // Act
    let first = t.start(&machine, "case-7", r#"{"a":1}"#).await;
    let again = t.start(&machine, "case-7", r#"{"a":1}"#).await;
    let other = t
        .client
        .start_execution()
        .state_machine_arn(&machine)
        .name("case-7")
        .input(r#"{"a":2}"#)
        .send()
        .await
        .unwrap_err();
    // Assert
    assert_eq!(first, again);
    assert_eq!(code(&other), "ExecutionAlreadyExists");
    let listed = t
        .client
        .list_executions()
        .state_machine_arn(&machine)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.executions.len(), 1);
}

#[tokio::test]
async fn a_name_of_a_finished_execution_cannot_be_reused() {
    let t = spawn_engine().await;
    let machine = t.machine("P", PASS).await;
    let arn = t.start(&machine, "done", "{}").await;
    t.finished(&arn).await;
    let err = t
        .client
        .start_execution()
        .state_machine_arn(&machine)
        .name("done")
        .input("{}")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "ExecutionAlreadyExists");
}

#[tokio::test]
async fn listings_filter_by_status_and_page_newest_first() {
    // Arrange
    let t = spawn_engine().await;
    let arn = t.activity("Hold").await;
    let machine = t.machine("Hold", &task_machine(&arn)).await;
    for i in 0..5 {
        t.start(&machine, &format!("run-{i}"), "{}").await;
    }
    let (token, _) = t.take(&arn).await;
    t.succeed(&token, "{}").await;
    // Act
    let first = t
        .client
        .list_executions()
        .state_machine_arn(&machine)
        .max_results(3)
        .send()
        .await
        .unwrap();
    let second = t
        .client
        .list_executions()
        .state_machine_arn(&machine)
        .max_results(3)
        .next_token(first.next_token.clone().unwrap())
        .send()
        .await
        .unwrap();
    let running = t
        .client
        .list_executions()
        .state_machine_arn(&machine)
        .status_filter(ExecutionStatus::Running)
        .send()
        .await
        .unwrap();
    // Assert
    let names: Vec<_> = first
        .executions
        .iter()
        .chain(&second.executions)
        .map(|e| e.name.clone())
        .collect();
    assert_eq!(names, ["run-4", "run-3", "run-2", "run-1", "run-0"]);
    assert!(second.next_token.is_none());
    assert_eq!(running.executions.len(), 4);
}

#[tokio::test]
async fn history_pages_forwards_and_backwards_and_can_hide_data() {
    // Arrange
    let t = spawn_engine().await;
    let machine = t
        .machine("Chain", r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","Next":"C"},"C":{"Type":"Pass","End":true}}}"#)
        .await;
    let arn = t.start(&machine, "chain", r#"{"secret":1}"#).await;
    t.finished(&arn).await;
    // Act
    let page = t
        .client
        .get_execution_history()
        .execution_arn(&arn)
        .max_results(4)
        .send()
        .await
        .unwrap();
    let rest = t
        .client
        .get_execution_history()
        .execution_arn(&arn)
        .max_results(100)
        .next_token(page.next_token.clone().unwrap())
        .send()
        .await
        .unwrap();
    let reversed = t
        .client
        .get_execution_history()
        .execution_arn(&arn)
        .reverse_order(true)
        .include_execution_data(false)
        .send()
        .await
        .unwrap();
    // Assert
    let ids: Vec<i64> = page
        .events
        .iter()
        .chain(&rest.events)
        .map(|e| e.id)
        .collect();
    assert_eq!(ids, (1..=8).collect::<Vec<_>>());
    assert_eq!(
        reversed.events[0].r#type,
        HistoryEventType::ExecutionSucceeded
    );
    assert_eq!(
        reversed.events.last().unwrap().r#type,
        HistoryEventType::ExecutionStarted
    );
    let started = reversed
        .events
        .last()
        .unwrap()
        .execution_started_event_details
        .as_ref()
        .unwrap();
    assert!(started.input.is_none());
    let previous: Vec<i64> = page.events.iter().map(|e| e.previous_event_id).collect();
    assert_eq!(previous, [0, 1, 2, 3]);
}

#[tokio::test]
async fn a_stopped_execution_is_aborted_and_its_task_token_is_void() {
    // Arrange
    let t = spawn_engine().await;
    let arn = t.activity("Hold").await;
    let machine = t.machine("Hold", &task_machine(&arn)).await;
    let execution = t.start(&machine, "stop-me", "{}").await;
    let (token, _) = t.take(&arn).await;
    // Act
    t.client
        .stop_execution()
        .execution_arn(&execution)
        .error("Operator")
        .cause("duplicate case")
        .send()
        .await
        .unwrap();
    // Assert
    let d = t
        .client
        .describe_execution()
        .execution_arn(&execution)
        .send()
        .await
        .unwrap();
    assert_eq!(d.status, ExecutionStatus::Aborted);
    assert_eq!(d.error.as_deref(), Some("Operator"));
    assert!(
        t.client
            .send_task_success()
            .task_token(&token)
            .output("{}")
            .send()
            .await
            .is_err()
    );
}

#[tokio::test]
async fn a_redriven_execution_reruns_the_failed_state_and_can_succeed() {
    // Arrange
    let t = spawn_engine().await;
    let arn = t.activity("Flaky").await;
    let machine = t.machine("Flaky", &task_machine(&arn)).await;
    let execution = t.start(&machine, "flaky", r#"{"n":5}"#).await;
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
    assert_eq!(input["n"], 5);
    let (status, output, _) = t.finished(&execution).await;
    assert_eq!(status, ExecutionStatus::Succeeded);
    assert_eq!(output.as_deref(), Some(r#"{"fixed":true}"#));
    let d = t
        .client
        .describe_execution()
        .execution_arn(&execution)
        .send()
        .await
        .unwrap();
    assert_eq!(d.redrive_count, Some(1));
    assert!(
        t.history(&execution)
            .await
            .contains(&"ExecutionRedriven".to_owned())
    );
    let err = t
        .client
        .redrive_execution()
        .execution_arn(&execution)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "ExecutionNotRedrivable");
}

#[tokio::test]
async fn a_parent_waits_for_a_nested_execution_with_sync_2() {
    // Arrange
    let t = spawn_engine().await;
    let arn = t.activity("Approve").await;
    let child = t
        .machine("Approval", &format!(r#"{{"StartAt":"A","States":{{"A":{{"Type":"Task","Resource":"{arn}","ResultPath":"$.approval","End":true}}}}}}"#))
        .await;
    let parent = t
        .machine(
            "Parent",
            &format!(
                r#"{{"StartAt":"Nested","States":{{"Nested":{{"Type":"Task",
                "Resource":"arn:aws:states:::states:startExecution.sync:2",
                "Parameters":{{"StateMachineArn":"{child}","Input":{{"case.$":"$.case"}}}},
                "ResultSelector":{{"approval.$":"$.Output.approval","status.$":"$.Status"}},
                "End":true}}}}}}"#
            ),
        )
        .await;
    let execution = t.start(&parent, "nested", r#"{"case":"c-9"}"#).await;
    // Act
    let (token, input) = t.take(&arn).await;
    t.succeed(&token, r#"{"by":"maria"}"#).await;
    // Assert
    assert_eq!(input["case"], "c-9");
    let (status, output, _) = t.finished(&execution).await;
    assert_eq!(status, ExecutionStatus::Succeeded);
    let output: serde_json::Value = serde_json::from_str(&output.unwrap()).unwrap();
    assert_eq!(
        output,
        serde_json::json!({"approval": {"by": "maria"}, "status": "SUCCEEDED"})
    );
    let history = t.history(&execution).await;
    for kind in [
        "TaskScheduled",
        "TaskStarted",
        "TaskSubmitted",
        "TaskSucceeded",
    ] {
        assert!(history.iter().any(|e| e == kind), "{kind} in {history:?}");
    }
}

#[tokio::test]
async fn a_failing_nested_execution_fails_the_parent_task() {
    let t = spawn_engine().await;
    let child = t
        .machine(
            "Child",
            r#"{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"Nope"}}}"#,
        )
        .await;
    let parent = t
        .machine(
            "Parent",
            &format!(
                r#"{{"StartAt":"N","States":{{"N":{{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync",
                "Parameters":{{"StateMachineArn":"{child}"}},"End":true}}}}}}"#
            ),
        )
        .await;
    let execution = t.start(&parent, "p", "{}").await;
    let (status, _, error) = t.finished(&execution).await;
    assert_eq!(status, ExecutionStatus::Failed);
    assert_eq!(error.as_deref(), Some("States.TaskFailed"));
}

#[tokio::test]
async fn an_execution_past_the_machine_timeout_times_out() {
    let clock = Arc::new(ManualClock::new(1_800_000_000_000));
    let dir = tempfile::tempdir().unwrap();
    let t = spawn_on(
        dir.path().join("e.db"),
        clock.clone(),
        Duration::from_secs(60),
    )
    .await;
    let machine = t
        .machine("Slow", r#"{"TimeoutSeconds":10,"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":100,"End":true}}}"#)
        .await;
    let execution = t.start(&machine, "slow", "{}").await;
    clock.advance(Duration::from_secs(11));
    let (status, _, error) = t.finished(&execution).await;
    assert_eq!(status, ExecutionStatus::TimedOut);
    assert_eq!(error.as_deref(), Some("States.Timeout"));
}

#[tokio::test]
async fn the_definition_an_execution_ran_with_is_described() {
    let t = spawn_engine().await;
    let machine = t.machine("P", PASS).await;
    let arn = t.start(&machine, "first", "{}").await;
    let newer = r#"{"StartAt":"Q","States":{"Q":{"Type":"Pass","End":true}}}"#;
    t.client
        .update_state_machine()
        .state_machine_arn(&machine)
        .definition(newer)
        .send()
        .await
        .unwrap();
    let d = t
        .client
        .describe_state_machine_for_execution()
        .execution_arn(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(d.definition, PASS);
    assert_eq!(d.name, "P");
}

#[tokio::test]
async fn a_redrive_reruns_only_the_failed_parallel_branch() {
    // Arrange
    let t = spawn_engine().await;
    let left = t.activity("Left").await;
    let right = t.activity("Right").await;
    let machine = t
        .machine(
            "Both",
            &format!(
                r#"{{"StartAt":"P","States":{{"P":{{"Type":"Parallel","End":true,"Branches":[
                {{"StartAt":"L","States":{{"L":{{"Type":"Task","Resource":"{left}","End":true}}}}}},
                {{"StartAt":"R","States":{{"R":{{"Type":"Task","Resource":"{right}","End":true}}}}}}]}}}}}}"#
            ),
        )
        .await;
    let execution = t.start(&machine, "both", "{}").await;
    let (token, _) = t.take(&left).await;
    t.succeed(&token, r#""left done""#).await;
    let (token, _) = t.take(&right).await;
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
    let (token, _) = t.take(&right).await;
    t.succeed(&token, r#""right done""#).await;
    // Assert
    let (status, output, _) = t.finished(&execution).await;
    assert_eq!(status, ExecutionStatus::Succeeded);
    assert_eq!(output.as_deref(), Some(r#"["left done","right done"]"#));
    let scheduled = t
        .history(&execution)
        .await
        .iter()
        .filter(|e| *e == "ActivityScheduled")
        .count();
    assert_eq!(
        scheduled, 3,
        "the left branch ran once, the right one twice"
    );
}

#[tokio::test]
async fn a_map_over_activity_tasks_survives_a_restart() {
    // Arrange
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("engine.db");
    let clock: Arc<dyn engine::clock::Clock> = Arc::new(ManualClock::new(1_800_000_000_000));
    let first = spawn_on(db.clone(), clock.clone(), Duration::from_secs(60)).await;
    let arn = first.activity("Item").await;
    let machine = first
        .machine(
            "Items",
            &format!(
                r#"{{"StartAt":"M","States":{{"M":{{"Type":"Map","MaxConcurrency":2,"End":true,
                "ItemProcessor":{{"StartAt":"T","States":{{"T":{{"Type":"Task","Resource":"{arn}","End":true}}}}}}}}}}}}"#
            ),
        )
        .await;
    let execution = first.start(&machine, "items", "[1,2,3]").await;
    let (token, input) = first.take(&arn).await;
    first
        .succeed(&token, &format!("{}", input.as_i64().unwrap() * 10))
        .await;
    // Act
    first.stop();
    let second = spawn_on(db, clock, Duration::from_secs(60)).await;
    for _ in 0..2 {
        let (token, input) = second.take(&arn).await;
        second
            .succeed(&token, &format!("{}", input.as_i64().unwrap() * 10))
            .await;
    }
    // Assert
    let (status, output, _) = second.finished(&execution).await;
    assert_eq!(status, ExecutionStatus::Succeeded);
    assert_eq!(output.as_deref(), Some("[10,20,30]"));
}

#[tokio::test]
async fn starting_past_the_running_limit_is_refused() {
    // Arrange
    let dir = tempfile::tempdir().unwrap();
    let mut config = engine::EngineConfig::new(dir.path().join("e.db").to_string_lossy());
    config.max_running = 1;
    let e = engine::Engine::open(config).unwrap();
    let act = e
        .call("CreateActivity", br#"{"name":"Hold"}"#)
        .await
        .unwrap();
    let body = serde_json::json!({"name": "Hold", "roleArn": "arn:aws:iam::123456789012:role/r",
        "definition": task_machine(act["activityArn"].as_str().unwrap())});
    let machine = e
        .call("CreateStateMachine", body.to_string().as_bytes())
        .await
        .unwrap();
    let start = |name: &str| {
        serde_json::json!({"stateMachineArn": machine["stateMachineArn"], "name": name}).to_string()
    };
    // Act
    let first = e.call("StartExecution", start("one").as_bytes()).await;
    let second = e.call("StartExecution", start("two").as_bytes()).await;
    // Assert
    assert!(first.is_ok());
    assert_eq!(second.unwrap_err().name(), "ExecutionLimitExceeded");
}
