//! The access request case type, whose workflow is written in JSONata,
//! through the server functions: the step's input is built by `Arguments`,
//! a rejection is caught and ends the case as refused with its reason.

use crate::helpers::{Client, Server};

/// Opens an access request for `days` days as `client` and returns its id.
async fn open_request(client: &Client, days: &str) -> String {
    let reply = client
        .call(
            "open_case",
            &[
                ("case_type", "access-request"),
                ("title", "Billing for the audit"),
                ("priority", "normal"),
                ("values[System]", "billing-prod"),
                ("values[Days]", days),
                ("values[Justification]", "The yearly audit."),
            ],
        )
        .await;
    assert!(reply.ok, "open_case: {}", reply.body);
    reply.json().as_str().expect("the case id").to_owned()
}

#[tokio::test]
async fn a_manager_approves_an_access_request_whose_step_shows_what_arguments_built() {
    // Arrange
    let dir = tempfile::tempdir().expect("temp dir");
    let server = Server::start(dir.path()).await;
    let olivia = server.signed_in("olivia").await;
    let maria = server.signed_in("maria").await;
    let id = open_request(&olivia, "1").await;
    let task = maria.task_of(&id, "ApproveAccess").await;
    let before = maria.case(&id).await;

    // Act
    let by_operator = olivia.answer(&task, &[("Decision", "approve")]).await;
    let approved = maria.answer(&task, &[("Decision", "approve")]).await;

    // Assert
    let shown = before.to_string();
    assert!(shown.contains("billing-prod for 1 day"), "{before:#}");
    assert!(shown.contains("The yearly audit."), "{before:#}");
    assert!(
        !by_operator.ok,
        "an operator may not approve: {by_operator:?}"
    );
    assert!(approved.ok, "{}", approved.body);
    let done = maria.until(&id, |c| c["status"] == "closed").await;
    assert_eq!(done["current_step"], "Granted", "{done:#}");
}

#[tokio::test]
async fn a_rejected_access_request_is_refused_with_the_managers_reason() {
    // Arrange
    let dir = tempfile::tempdir().expect("temp dir");
    let server = Server::start(dir.path()).await;
    let olivia = server.signed_in("olivia").await;
    let maria = server.signed_in("maria").await;
    let id = open_request(&olivia, "90").await;
    let task = maria.task_of(&id, "ApproveAccess").await;

    // Act
    let without_reason = maria.answer(&task, &[("Decision", "reject")]).await;
    let rejected = maria
        .answer(
            &task,
            &[("Decision", "reject"), ("Comment", "Ask for read-only.")],
        )
        .await;

    // Assert
    assert!(
        !without_reason.ok && without_reason.body.contains("Comment is required."),
        "{without_reason:?}"
    );
    assert!(rejected.ok, "{}", rejected.body);
    let done = maria.until(&id, |c| c["status"] == "closed").await;
    assert_eq!(done["current_step"], "Refused", "{done:#}");
    assert!(done["timeline"].to_string().contains("Ask for read-only."));
}
