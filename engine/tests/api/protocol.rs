//! The wire protocol under malformed requests: always AWS's error shape, HTTP
//! 400, never a panic or a 500.

use serde_json::{Value, json};

use crate::helpers::spawn_engine;
use crate::wire::Request;

/// Sends a signed raw HTTP request and returns (status, body as JSON or text).
async fn raw(
    addr: std::net::SocketAddr,
    method: &str,
    target: Option<&str>,
    body: &[u8],
) -> (u16, Value) {
    let request = Request {
        method,
        target,
        body,
        headers: Vec::new(),
    };
    request.signed(addr).send(addr).await
}

async fn call(addr: std::net::SocketAddr, action: &str, body: Value) -> (u16, Value) {
    raw(addr, "POST", Some(action), body.to_string().as_bytes()).await
}

#[tokio::test]
async fn malformed_bodies_and_headers_get_aws_errors() {
    let t = spawn_engine().await;
    let a = t.addr;
    let cases: Vec<(u16, Value)> = vec![
        raw(a, "POST", Some("ListActivities"), b"{not json").await,
        raw(a, "POST", Some("ListActivities"), b"[1,2]").await,
        raw(a, "POST", None, b"{}").await,
        raw(a, "POST", Some("LaunchRockets"), b"{}").await,
        // The operation is checked before the body is read, as on AWS.
        raw(a, "POST", Some("LaunchRockets"), b"{not json").await,
        call(a, "CreateActivity", json!({})).await,
        call(a, "CreateActivity", json!({"name": 42})).await,
        call(a, "DescribeStateMachine", json!({"stateMachineArn": "arn:aws:nope"})).await,
        call(a, "DescribeExecution", json!({"executionArn": "arn:aws:states:us-east-1:123456789012:execution:A:b"})).await,
        call(a, "SendTaskSuccess", json!({"taskToken": "", "output": "{}"})).await,
        call(a, "SendTaskSuccess", json!({"taskToken": "abc", "output": "{}"})).await,
        call(a, "SendTaskSuccess", json!({"taskToken": "abc", "output": "{oops"})).await,
        call(a, "ListExecutions", json!({"stateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:X", "maxResults": 5000})).await,
    ];
    let names: Vec<(u16, &str)> = cases
        .iter()
        .map(|(s, b)| {
            (
                *s,
                b["__type"]
                    .as_str()
                    .and_then(|t| t.rsplit('#').next())
                    .unwrap_or("<none>"),
            )
        })
        .collect();
    assert_eq!(
        names,
        [
            (400, "SerializationException"),
            (400, "SerializationException"),
            (400, "UnknownOperationException"),
            (400, "UnknownOperationException"),
            (400, "UnknownOperationException"),
            (400, "ValidationException"),
            (400, "SerializationException"),
            (400, "InvalidArn"),
            (400, "ExecutionDoesNotExist"),
            (400, "InvalidToken"),
            (400, "TaskDoesNotExist"),
            (400, "InvalidOutput"),
            (400, "ValidationException"),
        ]
    );
    for (_, body) in &cases {
        assert!(body["message"].is_string(), "{body}");
    }
}

#[tokio::test]
async fn a_missing_member_is_named_in_the_message() {
    let t = spawn_engine().await;
    let (status, body) = call(t.addr, "CreateActivity", json!({})).await;
    assert_eq!(status, 400);
    insta::assert_json_snapshot!(body, @r#"
    {
      "__type": "com.amazonaws.swf.service.v2.model#ValidationException",
      "message": "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null"
    }
    "#);
}

#[tokio::test]
async fn inputs_over_256_kib_are_refused_before_they_reach_the_interpreter() {
    let t = spawn_engine().await;
    let machine = t
        .machine(
            "P",
            r#"{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}"#,
        )
        .await;
    let big = json!({ "blob": "x".repeat(300 * 1024) }).to_string();
    let (status, body) = call(
        t.addr,
        "StartExecution",
        json!({"stateMachineArn": machine, "name": "big", "input": big}),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(
        body["__type"],
        "com.amazonaws.swf.service.v2.model#ValidationException"
    );
    let listed = t
        .client
        .list_executions()
        .state_machine_arn(&machine)
        .send()
        .await
        .unwrap();
    assert!(listed.executions.is_empty());
}

#[tokio::test]
async fn the_server_survives_odd_methods_and_huge_bodies() {
    let t = spawn_engine().await;
    let (get, _) = raw(t.addr, "GET", None, b"").await;
    let huge = vec![b'{'; 8 * 1024 * 1024];
    let (too_big, _) = raw(t.addr, "POST", Some("ListActivities"), &huge).await;
    let (after, body) = call(t.addr, "ListActivities", json!({})).await;
    assert_eq!(get, 405);
    assert!(too_big == 413 || too_big == 0, "{too_big}");
    assert_eq!((after, body), (200, json!({"activities": []})));
}
