//! The talk's smoke test: does the case workflow even work?

use aws_sdk_sfn::types::ExecutionStatus;
use serde_json::json;

use crate::helpers::case_engine;

#[tokio::test]
async fn a_case_is_opened_assigned_worked_and_closed() {
    // Arrange
    let (t, assign, work, _escalate, machine) = case_engine().await;
    let input = json!({"CaseId": "case-1", "Title": "Printer on fire", "Priority": "high", "SlaSeconds": 3600});
    // Act
    let execution = t.start(&machine, "case-1", &input.to_string()).await;
    let (token, task) = t.take(&assign).await;
    assert_eq!(task["Step"], "AssignCase");
    assert_eq!(task["Case"]["CaseId"], "case-1");
    t.succeed(&token, r#"{"Assignee":"olive"}"#).await;
    let (token, task) = t.take(&work).await;
    assert_eq!(task["Case"]["Assignment"]["Assignee"], "olive");
    t.succeed(&token, r#"{"Status":1,"Notes":"Extinguished"}"#)
        .await;
    // Assert
    let (status, output, _) = t.finished(&execution).await;
    assert_eq!(status, ExecutionStatus::Succeeded);
    let output: serde_json::Value = serde_json::from_str(&output.unwrap()).unwrap();
    assert_eq!(output["Outcome"], "Closed");
    assert_eq!(output["Case"]["Work"]["Notes"], "Extinguished");
    let history = t.history(&execution).await;
    assert_eq!(
        history.first().map(String::as_str),
        Some("ExecutionStarted")
    );
    assert_eq!(
        history.last().map(String::as_str),
        Some("ExecutionSucceeded")
    );
    assert!(history.iter().any(|e| e == "ChoiceStateExited"));
}

#[tokio::test]
async fn an_unresolved_case_is_escalated_and_a_confirmed_failure_fails_the_execution() {
    // Arrange
    let (t, assign, work, escalate, machine) = case_engine().await;
    let input =
        json!({"CaseId": "case-2", "Title": "Lost parcel", "Priority": "low", "SlaSeconds": 3600});
    // Act
    let execution = t.start(&machine, "case-2", &input.to_string()).await;
    let (token, _) = t.take(&assign).await;
    t.succeed(&token, r#"{"Assignee":"olive"}"#).await;
    let (token, _) = t.take(&work).await;
    t.succeed(&token, r#"{"Status":0,"Notes":"Carrier cannot find it"}"#)
        .await;
    let (token, task) = t.take(&escalate).await;
    assert_eq!(task["Case"]["Work"]["Status"], 0);
    t.succeed(
        &token,
        r#"{"Decision":"fail","Reason":"Write it off","DecidedBy":"mia"}"#,
    )
    .await;
    // Assert
    let (status, _, error) = t.finished(&execution).await;
    assert_eq!(status, ExecutionStatus::Failed);
    assert_eq!(error.as_deref(), Some("CaseEscalated"));
}

#[tokio::test]
async fn a_manager_can_send_an_escalated_case_back_to_assignment() {
    // Arrange
    let (t, assign, work, escalate, machine) = case_engine().await;
    let input =
        json!({"CaseId": "case-3", "Title": "Refund", "Priority": "normal", "SlaSeconds": 3600});
    let execution = t.start(&machine, "case-3", &input.to_string()).await;
    let (token, _) = t.take(&assign).await;
    t.succeed(&token, r#"{"Assignee":"olive"}"#).await;
    let (token, _) = t.take(&work).await;
    t.succeed(&token, r#"{"Status":0}"#).await;
    let (token, _) = t.take(&escalate).await;
    // Act
    t.succeed(
        &token,
        r#"{"Decision":"reassign","Reason":"Try the other warehouse","DecidedBy":"mia"}"#,
    )
    .await;
    let (token, task) = t.take(&assign).await;
    // Assert
    assert_eq!(task["Case"]["ReopenedBecause"], "Try the other warehouse");
    t.succeed(&token, r#"{"Assignee":"pat"}"#).await;
    let (token, _) = t.take(&work).await;
    t.succeed(&token, r#"{"Status":1}"#).await;
    assert_eq!(t.finished(&execution).await.0, ExecutionStatus::Succeeded);
}
