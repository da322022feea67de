//! The engine's port lets in only requests signed with its key: a wrong
//! secret, an unknown key, no signature, an old signature, a signature of
//! another request all get AWS's errors and change nothing.

use std::time::{Duration, SystemTime};

use aws_sdk_sfn::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_sfn::types::ExecutionStatus;
use serde_json::{Value, json};

use crate::helpers::{KEY_ID, SECRET, TestEngine, client_with, code, spawn_engine, spawn_open};
use crate::wire::Request;

/// The error name of an AWS error body (the `__type` after its `#`).
fn error_name(body: &Value) -> &str {
    body["__type"]
        .as_str()
        .and_then(|t| t.rsplit('#').next())
        .unwrap_or("<none>")
}

/// The names of the engine's activities, listed with the right key.
async fn activities(t: &TestEngine) -> Vec<String> {
    let listed = t.client.list_activities().send().await.expect("listed");
    listed.activities.into_iter().map(|a| a.name).collect()
}

#[tokio::test]
async fn the_engines_key_works_from_any_region() {
    // Arrange
    let t = spawn_engine().await;
    let config = aws_sdk_sfn::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("eu-west-1"))
        .credentials_provider(Credentials::new(KEY_ID, SECRET, None, None, "tests"))
        .endpoint_url(format!("http://{}", t.addr))
        .build();
    let elsewhere = aws_sdk_sfn::Client::from_conf(config);

    // Act
    t.activity("Here").await;
    elsewhere
        .create_activity()
        .name("There")
        .send()
        .await
        .expect("signed in eu-west-1");

    // Assert
    assert_eq!(activities(&t).await, ["Here", "There"]);
}

#[tokio::test]
async fn a_wrong_secret_gets_invalid_signature_and_changes_nothing() {
    let t = spawn_engine().await;
    let wrong = client_with(t.addr, KEY_ID, "not-the-secret");

    let err = wrong
        .create_activity()
        .name("Sneaky")
        .send()
        .await
        .expect_err("refused");

    assert_eq!(code(&err), "InvalidSignatureException");
    assert_eq!(
        aws_sdk_sfn::error::ProvideErrorMetadata::message(&err),
        Some(
            "The request signature we calculated does not match the signature you provided. \
             Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
        )
    );
    assert!(activities(&t).await.is_empty());
}

#[tokio::test]
async fn an_unknown_key_gets_unrecognized_client_and_changes_nothing() {
    let t = spawn_engine().await;
    let stranger = client_with(t.addr, "AKIAIOSFODNN7EXAMPLE", SECRET);

    let err = stranger
        .create_activity()
        .name("Sneaky")
        .send()
        .await
        .expect_err("refused");

    assert_eq!(code(&err), "UnrecognizedClientException");
    assert!(activities(&t).await.is_empty());
}

#[tokio::test]
async fn a_session_token_is_not_one_of_the_engines_and_is_refused() {
    let t = spawn_engine().await;
    let config = aws_sdk_sfn::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new(
            KEY_ID,
            SECRET,
            Some("a-token-from-elsewhere".into()),
            None,
            "tests",
        ))
        .endpoint_url(format!("http://{}", t.addr))
        .build();

    let err = aws_sdk_sfn::Client::from_conf(config)
        .create_activity()
        .name("Sneaky")
        .send()
        .await
        .expect_err("refused");

    assert_eq!(code(&err), "UnrecognizedClientException");
    assert!(activities(&t).await.is_empty());
}

#[tokio::test]
async fn unsigned_requests_are_refused_with_aws_errors_before_anything_runs() {
    // Arrange: a case waiting on a person, its task token in hand.
    let t = spawn_engine().await;
    let work = t.activity("Work").await;
    let machine = t.machine("M", &crate::helpers::task_machine(&work)).await;
    let execution = t.start(&machine, "case-1", r#"{"CaseId":"1"}"#).await;
    let (token, _) = t.take(&work).await;
    let history = json!({"executionArn": execution}).to_string();
    let success = json!({"taskToken": token, "output": "{\"approved\":true}"}).to_string();
    let stop = json!({"executionArn": execution}).to_string();
    let poll = json!({"activityArn": work}).to_string();

    // Act
    let answers = [
        Request::post("GetExecutionHistory", history.as_bytes())
            .send(t.addr)
            .await,
        Request::post("SendTaskSuccess", success.as_bytes())
            .send(t.addr)
            .await,
        Request::post("StopExecution", stop.as_bytes())
            .send(t.addr)
            .await,
        Request::post("GetActivityTask", poll.as_bytes())
            .send(t.addr)
            .await,
        Request::post("CreateActivity", br#"{"name":"Sneaky"}"#)
            .send(t.addr)
            .await,
    ];

    // Assert
    for (status, body) in &answers {
        assert_eq!(*status, 400, "{body}");
        assert_eq!(error_name(body), "MissingAuthenticationTokenException");
    }
    insta::assert_json_snapshot!(answers[0].1, @r#"
    {
      "__type": "com.amazon.coral.service#MissingAuthenticationTokenException",
      "message": "Missing Authentication Token"
    }
    "#);
    let described = t
        .client
        .describe_execution()
        .execution_arn(&execution)
        .send()
        .await
        .expect("described");
    assert_eq!(described.status, ExecutionStatus::Running);
    assert_eq!(activities(&t).await, ["Work"]);
    // The token was not spent: the case's own answer still goes through.
    t.succeed(&token, r#"{"approved":false}"#).await;
    let (status, output, _) = t.finished(&execution).await;
    assert_eq!(
        (status, output.as_deref()),
        (ExecutionStatus::Succeeded, Some(r#"{"approved":false}"#))
    );
}

#[tokio::test]
async fn a_signature_covers_the_body_the_action_and_the_time() {
    // Arrange
    let t = spawn_engine().await;
    let a = t.addr;
    let mut tampered = Request::post("CreateActivity", br#"{"name":"A"}"#).signed(a);
    tampered.body = br#"{"name":"B"}"#;
    let mut retargeted = Request::post("ListActivities", b"{}").signed(a);
    retargeted.target = Some("DeleteActivity");
    let old = SystemTime::now() - Duration::from_secs(20 * 60);
    let expired =
        Request::post("CreateActivity", br#"{"name":"C"}"#).signed_with(a, KEY_ID, SECRET, old);
    let unknown = Request::post("CreateActivity", br#"{"name":"D"}"#).signed_with(
        a,
        "AKIAIOSFODNN7EXAMPLE",
        SECRET,
        SystemTime::now(),
    );
    let mut garbled = Request::post("CreateActivity", br#"{"name":"E"}"#);
    garbled
        .headers
        .push(("Authorization".into(), "AWS4-HMAC-SHA256 nonsense".into()));

    // Act
    let (s1, tampered) = tampered.send(a).await;
    let (s2, retargeted) = retargeted.send(a).await;
    let (s3, expired) = expired.send(a).await;
    let (s4, unknown) = unknown.send(a).await;
    let (s5, garbled) = garbled.send(a).await;

    // Assert
    assert_eq!([s1, s2, s3, s4, s5], [400; 5]);
    assert_eq!(error_name(&tampered), "InvalidSignatureException");
    assert_eq!(error_name(&retargeted), "InvalidSignatureException");
    assert_eq!(error_name(&expired), "InvalidSignatureException");
    let message = expired["message"].as_str().unwrap_or_default();
    assert!(message.starts_with("Signature expired: "), "{message}");
    assert!(message.ends_with(" - 15 min.)"), "{message}");
    insta::assert_json_snapshot!(unknown, @r#"
    {
      "__type": "com.amazon.coral.service#UnrecognizedClientException",
      "message": "The security token included in the request is invalid."
    }
    "#);
    assert_eq!(error_name(&garbled), "IncompleteSignatureException");
    assert!(activities(&t).await.is_empty());
}

#[tokio::test]
async fn a_request_signed_by_hand_like_the_sdk_is_accepted() {
    let t = spawn_engine().await;

    let (status, body) = Request::post("CreateActivity", br#"{"name":"ByHand"}"#)
        .signed(t.addr)
        .send(t.addr)
        .await;

    assert_eq!(status, 200, "{body}");
    assert_eq!(activities(&t).await, ["ByHand"]);
}

#[tokio::test]
async fn an_open_engine_takes_unsigned_requests() {
    let t = spawn_open().await;

    let (status, body) = Request::post("CreateActivity", br#"{"name":"Open"}"#)
        .send(t.addr)
        .await;

    assert_eq!(status, 200, "{body}");
    assert_eq!(activities(&t).await, ["Open"]);
}

#[tokio::test]
async fn odd_authorization_headers_get_auth_errors_never_a_panic_or_a_500() {
    let t = spawn_engine().await;
    let day = chrono::Utc::now().format("%Y%m%d").to_string();
    let now = chrono::Utc::now().format("%Y%m%dT%H%M%SZ").to_string();
    let scope = format!("{KEY_ID}/{day}/us-east-1/states/aws4_request");
    let headers = [
        String::new(),
        "AWS4-HMAC-SHA256 ".into(),
        "AWS4-ECDSA-P256-SHA256 Credential=x, SignedHeaders=host, Signature=00".into(),
        format!("AWS4-HMAC-SHA256 Credential={scope}, SignedHeaders=, Signature="),
        format!(
            "AWS4-HMAC-SHA256 Credential={scope}, SignedHeaders=bad name;Host;;x-amz-date, Signature=zz"
        ),
        format!("AWS4-HMAC-SHA256 Credential={scope},SignedHeaders=host;x-amz-date,Signature=00"),
        format!(
            "AWS4-HMAC-SHA256 Credential={KEY_ID}/{day}//states/aws4_request, SignedHeaders=host, Signature=00"
        ),
        format!(
            "AWS4-HMAC-SHA256 Credential={KEY_ID}/{day}/us-east-1/states/aws5_request, SignedHeaders=host, Signature=00"
        ),
        format!(
            "AWS4-HMAC-SHA256 Credential={KEY_ID}/19990101/us-east-1/states/aws4_request, SignedHeaders=host, Signature=00"
        ),
    ];
    for header in &headers {
        let mut request = Request::post("CreateActivity", br#"{"name":"Odd"}"#);
        request
            .headers
            .push(("Authorization".into(), header.clone()));
        request.headers.push(("X-Amz-Date".into(), now.clone()));
        let (status, body) = request.send(t.addr).await;
        assert_eq!(status, 400, "{header}: {body}");
        assert!(
            [
                "MissingAuthenticationTokenException",
                "IncompleteSignatureException",
                "InvalidSignatureException",
            ]
            .contains(&error_name(&body)),
            "{header}: {body}"
        );
    }
    let mut bad_date = Request::post("CreateActivity", br#"{"name":"Odd"}"#).signed(t.addr);
    bad_date.headers.retain(|(name, _)| name != "x-amz-date");
    bad_date
        .headers
        .push(("X-Amz-Date".into(), "yesterday".into()));
    let (status, body) = bad_date.send(t.addr).await;
    assert_eq!(
        (status, error_name(&body)),
        (400, "IncompleteSignatureException"),
        "{body}"
    );
    assert!(activities(&t).await.is_empty());
}
