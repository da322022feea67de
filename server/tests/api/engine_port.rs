//! The embedded engine's loopback port admits only Stepdesk itself: another
//! local process, unsigned or signing with a key of its own (or the fixed
//! key of earlier versions), can neither read a case's history nor stop,
//! poll or answer its workflow.

use aws_sdk_sfn::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_sfn::types::ExecutionStatus;
use serde_json::{Value, json};
use server::stepfunctions::Connection;

const ROLE: &str = "arn:aws:iam::123456789012:role/stepdesk";

/// POSTs an unsigned Step Functions call, as any local process could.
async fn unsigned(endpoint: &str, action: &str, body: Value) -> (u16, Value) {
    let reply = reqwest::Client::new()
        .post(endpoint)
        .header("content-type", "application/x-amz-json-1.0")
        .header("x-amz-target", format!("AWSStepFunctions.{action}"))
        .body(body.to_string())
        .send()
        .await
        .expect("the engine answers");
    let status = reply.status().as_u16();
    (status, reply.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn another_local_process_cannot_use_the_embedded_engines_port() {
    // Arrange: a case's execution waiting on a person, as Stepdesk runs it.
    let dir = tempfile::tempdir().expect("temp dir");
    let connection = Connection::embedded(&dir.path().join("engine.db"))
        .await
        .expect("embedded engine");
    let sfn = &connection.client;
    let activity = sfn
        .create_activity()
        .name("Decide")
        .send()
        .await
        .expect("activity")
        .activity_arn;
    let definition = json!({"StartAt": "D", "States": {"D": {"Type": "Task", "Resource": activity, "End": true}}});
    let machine = sfn
        .create_state_machine()
        .name("Case")
        .role_arn(ROLE)
        .definition(definition.to_string())
        .send()
        .await
        .expect("machine")
        .state_machine_arn;
    let execution = sfn
        .start_execution()
        .state_machine_arn(&machine)
        .name("case-1")
        .input(r#"{"CaseId":"case-1","Secret":"customer data"}"#)
        .send()
        .await
        .expect("started")
        .execution_arn;
    let endpoint = connection.endpoint.clone();
    let old_key = aws_sdk_sfn::Client::from_conf(
        aws_sdk_sfn::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .credentials_provider(Credentials::new(
                "stepdesk", "stepdesk", None, None, "intruder",
            ))
            .endpoint_url(&endpoint)
            .build(),
    );

    // Act
    let history = unsigned(
        &endpoint,
        "GetExecutionHistory",
        json!({"executionArn": execution}),
    )
    .await;
    let stop = unsigned(
        &endpoint,
        "StopExecution",
        json!({"executionArn": execution}),
    )
    .await;
    let poll = old_key
        .get_activity_task()
        .activity_arn(&activity)
        .send()
        .await;

    // Assert
    assert_eq!(history.0, 400, "{}", history.1);
    assert_eq!(
        history.1["__type"],
        "com.amazon.coral.service#MissingAuthenticationTokenException"
    );
    assert!(!history.1.to_string().contains("customer data"));
    assert_eq!(stop.0, 400, "{}", stop.1);
    let err = poll.expect_err("the old fixed key is refused");
    assert_eq!(
        aws_sdk_sfn::error::ProvideErrorMetadata::code(&err),
        Some("UnrecognizedClientException")
    );
    let described = sfn
        .describe_execution()
        .execution_arn(&execution)
        .send()
        .await
        .expect("Stepdesk's own client still works");
    assert_eq!(described.status, ExecutionStatus::Running);
    let task = sfn
        .get_activity_task()
        .activity_arn(&activity)
        .send()
        .await
        .expect("Stepdesk's poller still gets the task");
    assert!(task.task_token.is_some_and(|t| !t.is_empty()));
    connection.shutdown();
}
