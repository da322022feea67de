//! State machine actions.

use crate::helpers::{code, spawn_engine};

const PASS: &str = r#"{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}"#;
const ROLE: &str = "arn:aws:iam::123456789012:role/stepdesk";

#[tokio::test]
async fn creating_the_same_machine_twice_is_idempotent_and_a_different_one_conflicts() {
    // Arrange
    let t = spawn_engine().await;
    // Act
    let first = t.machine("Case", PASS).await;
    let again = t.machine("Case", PASS).await;
    let other = t
        .client
        .create_state_machine()
        .name("Case")
        .definition(r#"{"StartAt":"Q","States":{"Q":{"Type":"Pass","End":true}}}"#)
        .role_arn(ROLE)
        .send()
        .await
        .unwrap_err();
    // Assert
    assert_eq!(first, again);
    assert_eq!(code(&other), "StateMachineAlreadyExists");
}

#[tokio::test]
async fn an_invalid_definition_is_refused_with_its_problems() {
    let t = spawn_engine().await;
    let err = t
        .client
        .create_state_machine()
        .name("Bad")
        .definition(r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"Nowhere"}}}"#)
        .role_arn(ROLE)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidDefinition");
    let message = aws_sdk_sfn::error::ProvideErrorMetadata::message(&err)
        .unwrap_or_default()
        .to_owned();
    assert!(message.contains("MISSING_TRANSITION_TARGET"), "{message}");
    assert!(message.contains("/States/A/Next"), "{message}");
}

#[tokio::test]
async fn validation_reports_diagnostics_without_creating_anything() {
    let t = spawn_engine().await;
    let bad = t
        .client
        .validate_state_machine_definition()
        .definition(r#"{"StartAt":"A","States":{"A":{"Type":"Pass"}}}"#)
        .send()
        .await
        .unwrap();
    let good = t
        .client
        .validate_state_machine_definition()
        .definition(PASS)
        .send()
        .await
        .unwrap();
    assert_eq!(bad.result.as_str(), "FAIL");
    assert_eq!(bad.diagnostics[0].code, "SCHEMA_VALIDATION_FAILED");
    assert_eq!(good.result.as_str(), "OK");
    assert!(
        t.client
            .list_state_machines()
            .send()
            .await
            .unwrap()
            .state_machines
            .is_empty()
    );
}

#[tokio::test]
async fn machines_are_described_listed_in_pages_updated_and_deleted() {
    // Arrange
    let t = spawn_engine().await;
    for name in ["A", "B", "C"] {
        t.machine(name, PASS).await;
    }
    let arn = t.machine("D", PASS).await;
    // Act
    let page = t
        .client
        .list_state_machines()
        .max_results(2)
        .send()
        .await
        .unwrap();
    let rest = t
        .client
        .list_state_machines()
        .next_token(page.next_token.clone().unwrap())
        .send()
        .await
        .unwrap();
    let newer = r#"{"StartAt":"Z","States":{"Z":{"Type":"Succeed"}}}"#;
    t.client
        .update_state_machine()
        .state_machine_arn(&arn)
        .definition(newer)
        .send()
        .await
        .unwrap();
    let described = t
        .client
        .describe_state_machine()
        .state_machine_arn(&arn)
        .send()
        .await
        .unwrap();
    t.client
        .delete_state_machine()
        .state_machine_arn(&arn)
        .send()
        .await
        .unwrap();
    let gone = t
        .client
        .describe_state_machine()
        .state_machine_arn(&arn)
        .send()
        .await
        .unwrap_err();
    // Assert
    let names: Vec<_> = page
        .state_machines
        .iter()
        .chain(&rest.state_machines)
        .map(|m| m.name.clone())
        .collect();
    assert_eq!(names, ["A", "B", "C", "D"]);
    assert_eq!(described.definition, newer);
    assert_eq!(code(&gone), "StateMachineDoesNotExist");
}

#[tokio::test]
async fn tags_are_added_listed_and_removed() {
    let t = spawn_engine().await;
    let arn = t.machine("Tagged", PASS).await;
    let tag = |k: &str, v: &str| aws_sdk_sfn::types::Tag::builder().key(k).value(v).build();
    t.client
        .tag_resource()
        .resource_arn(&arn)
        .tags(tag("team", "support"))
        .tags(tag("tier", "1"))
        .send()
        .await
        .unwrap();
    t.client
        .untag_resource()
        .resource_arn(&arn)
        .tag_keys("tier")
        .send()
        .await
        .unwrap();
    let tags = t
        .client
        .list_tags_for_resource()
        .resource_arn(&arn)
        .send()
        .await
        .unwrap()
        .tags
        .unwrap_or_default();
    assert_eq!(tags.len(), 1);
    assert_eq!(tags[0].key.as_deref(), Some("team"));
    let missing = t
        .client
        .list_tags_for_resource()
        .resource_arn(arn.replace("Tagged", "Nope"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&missing), "ResourceNotFound");
}
