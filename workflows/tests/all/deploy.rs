//! Deploying the case types on the engine, and smoking them.

use std::time::Duration;

use aws_sdk_sfn::Client;
use aws_sdk_sfn::config::{BehaviorVersion, Credentials, Region};
use engine::{Engine, EngineConfig};

pub(crate) async fn engine_client() -> (Client, Engine, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let engine =
        Engine::open(EngineConfig::new(dir.path().join("e.db").to_string_lossy())).expect("engine");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let endpoint = format!("http://{}", listener.local_addr().expect("addr"));
    let auth = engine::http::Auth::SigV4(engine::http::AccessKey::new("t", "t"));
    tokio::spawn(engine::http::serve(listener, engine.clone(), auth));
    let config = aws_sdk_sfn::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("t", "t", None, None, "tests"))
        .endpoint_url(endpoint)
        .build();
    (Client::from_conf(config), engine, dir)
}

pub(crate) const ROLE: &str = "arn:aws:iam::123456789012:role/stepdesk";

#[tokio::test]
async fn deploying_twice_changes_nothing() {
    // Arrange
    let (client, _engine, _dir) = engine_client().await;
    let catalog = workflows::load_dir(&workflows::shipped_dir()).unwrap();
    // Act
    let first = workflows::deploy_all(&client, "Stepdesk", ROLE, &catalog)
        .await
        .unwrap();
    let second = workflows::deploy_all(&client, "Stepdesk", ROLE, &catalog)
        .await
        .unwrap();
    // Assert
    assert_eq!(first, second);
    let support = first.iter().find(|d| d.case_type == "support").unwrap();
    assert_eq!(support.machine_name, "StepdeskCase");
    assert_eq!(
        client
            .list_state_machines()
            .send()
            .await
            .unwrap()
            .state_machines
            .len(),
        catalog.types.len()
    );
    assert_eq!(
        client
            .list_activities()
            .send()
            .await
            .unwrap()
            .activities
            .len(),
        catalog
            .types
            .iter()
            .map(|t| t.spec.steps.len())
            .sum::<usize>()
    );
    let d = client
        .describe_state_machine()
        .state_machine_arn(&support.machine_arn)
        .send()
        .await
        .unwrap();
    assert!(d.definition.contains(&support.steps[0].activity_arn));
    assert_eq!(support.steps[0].state, "AssignCase");
    assert!(!d.definition.contains("${"));
}

/// Deploys every shipped case type and smokes `name`: the steps it answered
/// and the execution as it ended.
async fn smoke(
    name: &str,
) -> (
    Vec<String>,
    aws_sdk_sfn::operation::describe_execution::DescribeExecutionOutput,
) {
    let (client, _engine, _dir) = engine_client().await;
    let catalog = workflows::load_dir(&workflows::shipped_dir()).unwrap();
    let deployments = workflows::deploy_all(&client, "Smoke", ROLE, &catalog)
        .await
        .unwrap();
    let t = catalog.get(name).unwrap();
    let report = workflows::smoke(&client, t, &deployments, Duration::from_secs(30))
        .await
        .unwrap();
    let ended = client
        .describe_execution()
        .execution_arn(&report.execution_arn)
        .send()
        .await
        .unwrap();
    (report.steps, ended)
}

#[tokio::test]
async fn the_smoke_run_drives_a_case_through_its_nested_escalation_to_success() {
    let (steps, ended) = smoke("support").await;
    assert_eq!(steps, ["AssignCase", "WorkOnCase", "DecideEscalation"]);
    assert_eq!(ended.status.as_str(), "SUCCEEDED");
}

#[tokio::test]
async fn the_refund_smoke_run_goes_through_both_parallel_approvals_to_the_payout() {
    let (steps, ended) = smoke("refund").await;
    assert_eq!(
        steps,
        [
            "ReviewRefund",
            "FinanceApproval",
            "ManagerApproval",
            "RecordPayout"
        ]
    );
    assert_eq!(ended.status.as_str(), "SUCCEEDED");
    let output: serde_json::Value = serde_json::from_str(ended.output.as_deref().unwrap()).unwrap();
    assert_eq!(output["Outcome"], "Refunded");
    assert_eq!(output["PayoutRef"], "TX-1");
}

#[tokio::test]
async fn the_jsonata_access_request_is_granted_with_what_its_variables_carried() {
    let (steps, ended) = smoke("access-request").await;
    assert_eq!(steps, ["ApproveAccess"]);
    assert_eq!(ended.status.as_str(), "SUCCEEDED");
    let output: serde_json::Value = serde_json::from_str(ended.output.as_deref().unwrap()).unwrap();
    assert_eq!(
        output,
        serde_json::json!({
            "Outcome": "Granted",
            "System": "billing-prod",
            "Days": 45,
            "ApprovedBy": "smoke",
            "Review": "quarterly"
        })
    );
}
